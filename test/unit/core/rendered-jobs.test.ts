/** Rendered answers kept per frozen record: the same bytes a new render makes, and a new one once the links change. */
import { describe, expect, it } from 'vitest';
import { pageText } from '../../../src/jobs/list.ts';
import { renderedJobs } from '../../../src/jobs/rendered-jobs.ts';
import { renderJob } from '../../../src/jobs/render.ts';
import type { JobRecord } from '../../../src/jobs/store/job-store.ts';
import { linkSigner } from '../../../src/outputs/links.ts';
import { sampleRecord } from '../../stores/job-store-cases.ts';

const completed = (): JobRecord =>
  sampleRecord({ status: 'completed', rawStatus: 'completed', progress: 100, completedAt: Date.parse('2026-12-01T10:05:00Z'), videos: [{ url: 'https://cdn.example.com/v.mp4', storage: 'stored', bytes: 10 } as never] });
const signer = (now: number, origin = 'https://gw.example.com') => linkSigner({ origin, secret: 'a-secret-of-enough-length-000000', ttlSeconds: 3_600, now });
const at = Date.parse('2026-12-01T11:00:00.250Z');

describe('renderedJobs', () => {
  it('renders a frozen record once while its links stay the same, as a new render would', () => {
    const render = renderedJobs();
    const record = Object.freeze(completed());
    const first = render(record, signer(at));
    expect(render(record, signer(at + 700))).toBe(first);
    expect(first.job).toEqual(renderJob(record, signer(at)));
    expect(first.text).toBe(JSON.stringify(renderJob(record, signer(at))));
    expect(first.job.videos[0]!.url).toContain('https://gw.example.com/outputs/');
  });

  it('renders again when the links would change: the next second, another origin', () => {
    const render = renderedJobs();
    const record = Object.freeze(completed());
    const first = render(record, signer(at));
    const nextSecond = render(record, signer(at + 1_000));
    expect(nextSecond).not.toBe(first);
    expect(nextSecond.text).toBe(JSON.stringify(renderJob(record, signer(at + 1_000))));
    expect(nextSecond.text).not.toBe(first.text);
    const elsewhere = render(record, signer(at + 1_000, 'https://other.example.com'));
    expect(elsewhere.job.videos[0]!.url).toContain('https://other.example.com/outputs/');
  });

  it('keeps nothing of a record that is not frozen, which could still change', () => {
    const render = renderedJobs();
    const record = completed();
    const first = render(record, undefined);
    record.metadata = { user: 'changed' };
    const second = render(record, undefined);
    expect(second).not.toBe(first);
    expect(second.job.metadata).toEqual({ user: 'changed' });
  });
});

describe('pageText', () => {
  it('is byte for byte the page of job objects as JSON, whatever the page holds', () => {
    const render = renderedJobs();
    const records = [Object.freeze(completed()), sampleRecord({ metadata: { note: 'quote " and \\ and \u2028' } })];
    const items = records.map((record) => render(record, signer(at)));
    const pages = [
      { object: 'list' as const, data: items, has_more: true, first_id: items[0]!.id, last_id: items[1]!.id },
      { object: 'list' as const, data: items.slice(0, 1), has_more: false, first_id: items[0]!.id, last_id: items[0]!.id },
      { object: 'list' as const, data: [], has_more: false, first_id: null, last_id: null },
    ];
    for (const page of pages) expect(pageText(page)).toBe(JSON.stringify({ ...page, data: page.data.map((item) => item.job) }));
    expect(items.map((item) => item.id)).toEqual(records.map((record) => record.id));
  });
});
