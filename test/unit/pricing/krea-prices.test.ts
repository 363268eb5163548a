/**
 * Krea's price catalog against its own OpenAPI document: every route whose description publishes a
 * compute-unit table is priced, the published figures come back for the requests they describe,
 * and the USD estimate follows the unit's value (or the operator's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { krea } from '../../../providers/krea/with-routes.ts';
import type { KreaWire } from '../../../providers/krea/catalog.ts';
import type { ModelDescriptor, StartRequest, VideoInput } from '../../../providers/types.ts';
import { priceOf } from '../../../providers/krea/pricing.ts';
import { estimateCost } from '../../../src/pricing/estimate.ts';

const document = JSON.parse(readFileSync(new URL('../../../providers/krea/krea-openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, { post?: { description?: string } }>;
};
const models = krea.models as readonly ModelDescriptor<KreaWire>[];

function model(id: string): ModelDescriptor<KreaWire> {
  const found = models.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no Krea model ${id}`);
  return found;
}

function request(id: string, input: Partial<VideoInput> = {}, options: Record<string, unknown> = {}): StartRequest<KreaWire> {
  const descriptor = model(id);
  return { model: descriptor, input: { prompt: 'a lighthouse', ...descriptor.capabilities.defaults, ...input }, options };
}

const units = (id: string, input: Partial<VideoInput> = {}, options: Record<string, unknown> = {}) => krea.pricing!.price!(request(id, input, options));

describe("Krea's price catalog", () => {
  const published = Object.entries(document.paths)
    .filter(([path, item]) => path.startsWith('/generate/video/') && item.post?.description?.includes('| Compute Units |'))
    .map(([path]) => path.slice('/generate/video/'.length));

  it('has a price table for every route whose description publishes one (30 of 31 today)', () => {
    expect(published.length).toBe(30);
    expect(models.filter((descriptor) => descriptor.wire.price).map((descriptor) => descriptor.id).sort()).toEqual([...published].sort());
  });

  it.each(published)('prices %s at its documented defaults', (id) => {
    const price = units(id);
    expect(price?.units).toBeGreaterThan(0);
  });

  it('has no price for the route without a table (Runway Aleph)', () => {
    expect(models.some((descriptor) => descriptor.id === 'runway/aleph' && descriptor.wire.price === undefined)).toBe(true);
    expect(units('runway/aleph')).toBeUndefined();
  });

  it.each([
    ['kling/kling-2.5', { duration: 5 }, {}, 200],
    ['kling/kling-2.5', { duration: 10 }, {}, 401],
    ['kling/kling-1', { mode: 'pro', duration: 10 }, {}, 421],
    ['kling/kling-1', { mode: 'std', duration: 5 }, {}, 60.1],
    ['google/veo-3.1', { resolution: '720p', generate_audio: false, duration: 4 }, {}, 458],
    ['google/veo-3.1', { resolution: '1080p', generate_audio: true, duration: 8 }, {}, 1833],
    ['google/veo-3.1', { resolution: '4k', generate_audio: false, duration: 6 }, {}, 1375],
    ['google/veo-3.1', { resolution: '4k', generate_audio: true, duration: 8 }, {}, 2749],
    ['minimax/hailuo-2.3', { resolution: '768p', duration: 10 }, {}, 321],
    ['minimax/hailuo-2.3', { resolution: '1080p', duration: 6 }, {}, 281],
    ['kling/kling-o1', { duration: 3 }, {}, 192],
    ['kling/kling-o1', { duration: 3 }, { video_reference: { video: 'https://example.com/ref.mp4' } }, 289],
    ['lightricks/ltx-video-2.3-22b', { duration: 10 }, {}, 205],
    ['lightricks/ltx-video-2.3-22b', { duration: 10 }, { has_lora: true }, 231],
  ] as const)('prices %s %j (options %j) at the published %s compute units', (id, input, options, expected) => {
    expect(units(id, input, options)).toEqual({ units: expected });
  });

  it('marks an average ("~270") as approximate', () => {
    expect(units('alibaba/wan-2.1')).toEqual({ units: 270, approximate: true });
  });

  it('prices a length between published ones per second from the nearest one, as approximate', () => {
    const table = model('kling/kling-2.5').wire.price!;
    expect(table.rows.map((row) => row.values)).toEqual([[5], [10]]);
    // 7 s is nearest to the published 5 s (200 CU): 200 × 7 / 5.
    expect(priceOf(table, { duration: 7 })).toEqual({ units: 280, approximate: true });
    expect(priceOf(table, { duration: 9 })).toEqual({ units: 360.9, approximate: true });
  });

  it('takes the highest row when the body leaves a priced property to the provider (an absent flag is No)', () => {
    // No resolution sent: 720p, 1080p and 4K without audio at 8 s are 916, 916 and 1833.
    expect(priceOf(model('google/veo-3.1').wire.price!, { duration: 8 })).toEqual({ units: 1833 });
  });

  it('values the units in USD at $0.0018375 each unless the operator sets another value', () => {
    const tenSeconds = request('kling/kling-2.5', { duration: 10 });
    expect(estimateCost(krea, tenSeconds, undefined)).toEqual({ amount: 0.736838, currency: 'USD', provider_units: 401, unit: 'krea_compute_unit' });
    expect(estimateCost(krea, tenSeconds, { usdPerUnit: 0.01, models: {} })).toEqual({ amount: 4.01, currency: 'USD', provider_units: 401, unit: 'krea_compute_unit' });
    // Krea's USD page for Hailuo 2.3: 768p 6 s is $0.294.
    expect(estimateCost(krea, request('minimax/hailuo-2.3', { resolution: '768p', duration: 6 }), undefined)?.amount).toBe(0.294);
  });

  it("takes the operator's price of a model over the published one", () => {
    const fiveSeconds = request('kling/kling-2.5', { duration: 5 });
    expect(estimateCost(krea, fiveSeconds, { models: { 'kling/kling-2.5': { usd_per_second: 0.07 } } })).toEqual({ amount: 0.35, currency: 'USD', provider_units: null, unit: null });
    expect(estimateCost(krea, fiveSeconds, { models: { 'kling/kling-2.5': { usd_per_job: 1.25 } } })).toEqual({ amount: 1.25, currency: 'USD', provider_units: null, unit: null });
  });
});
