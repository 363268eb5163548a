/**
 * Shared cases for the job routes of the lifecycle (DESIGN §6): listing, cancel, idempotent creates
 * and ownership, on both runtimes. Each case makes its own jobs; listing cases use a fresh
 * `metadata` tag and `status` filters only where the expected jobs are known.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { GatewayHarness, HarnessGetter } from './harness.ts';
import { callsOf, create, poll, pollUntilTerminal, resetEmulators } from './steps.ts';

/** The second gateway key both runtimes' harnesses configure. */
const OTHER_KEY = { authorization: 'Bearer test-gateway-key-2' };
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const wan = { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon' };

const list = (h: GatewayHarness, query = '', headers?: Record<string, string>) => h.request('GET', `/v1/jobs${query}`, headers ? { headers } : {});
const cancel = (h: GatewayHarness, id: string, headers?: Record<string, string>) => h.request('POST', `/v1/jobs/${id}/cancel`, headers ? { headers } : {});

export function jobRouteCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  describe('listing jobs', () => {
    it('lists the caller’s jobs newest first and pages with after', async () => {
      const h = harness();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await create(h, { ...kling, prompt: `page ${i}` })).body.id);
      const first = await list(h, '?limit=2');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ object: 'list', has_more: true, first_id: ids[2], last_id: ids[1] });
      expect(first.body.data.map((job: { id: string }) => job.id)).toEqual([ids[2], ids[1]]);
      const second = await list(h, `?limit=2&after=${first.body.last_id}`);
      expect(second.body.data[0].id).toBe(ids[0]);
    });

    it('filters by status', async () => {
      const h = harness();
      const failed = await create(h, { ...kling, prompt: 'x [fail]' });
      await pollUntilTerminal(h, failed.body.id);
      const listed = await list(h, '?status=failed&limit=100');
      expect(listed.body.data.every((job: { status: string }) => job.status === 'failed')).toBe(true);
      expect(listed.body.data.map((job: { id: string }) => job.id)).toContain(failed.body.id);
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?status=done', 'status'],
      ['?after=nope', 'after'],
      ['?after=job_doesnotexistatall000000', 'after'],
      ['?order=asc', 'order'],
      ['?limit=1&limit=2', 'limit'],
    ])('answers %s with a 400 naming %s', async (query, param) => {
      const answer = await list(harness(), query);
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe(param);
    });

    it('shows another key nothing of the caller’s jobs, and refuses them as a cursor', async () => {
      const h = harness();
      const mine = await create(h, kling);
      const theirs = await list(h, '?limit=100', OTHER_KEY);
      expect(theirs.body.data.map((job: { id: string }) => job.id)).not.toContain(mine.body.id);
      expect((await list(h, `?after=${mine.body.id}`, OTHER_KEY)).status).toBe(400);
    });
  });

  describe('ownership', () => {
    it('answers another key’s job with 404 on every route, without calling the provider', async () => {
      const h = harness();
      const mine = await create(h, kling);
      resetEmulators(h);
      for (const answer of [await h.request('GET', `/v1/jobs/${mine.body.id}`, { headers: OTHER_KEY }), await cancel(h, mine.body.id, OTHER_KEY)]) {
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('job_not_found');
      }
      expect(h.emulator('krea').requests).toEqual([]);
      expect((await poll(h, mine.body.id)).status).toBe(200);
    });
  });

  describe('cancelling a job', () => {
    it('cancels a Krea job at the provider and answers the confirmed cancelled job', async () => {
      const h = harness();
      const created = await create(h, kling);
      const answer = await cancel(h, created.body.id);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: created.body.id, status: 'cancelled', videos: [] });
      expect(h.emulator('krea').requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
      expect((await poll(h, created.body.id)).body.status).toBe('cancelled');
    });

    it('answers a cancelled job again, without asking the provider a second time', async () => {
      const h = harness();
      const created = await create(h, kling);
      await cancel(h, created.body.id);
      const again = await cancel(h, created.body.id);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('cancelled');
      expect(h.emulator('krea').requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
    });

    it('refuses a finished job with 409 job_already_finished', async () => {
      const h = harness();
      const created = await create(h, kling);
      await pollUntilTerminal(h, created.body.id);
      const answer = await cancel(h, created.body.id);
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('job_already_finished');
    });

    it('refuses a provider that cannot cancel with 409 cancel_not_supported naming it', async () => {
      const h = harness();
      const created = await create(h, wan);
      const answer = await cancel(h, created.body.id);
      expect(answer.status).toBe(409);
      expect(answer.body.error).toMatchObject({ code: 'cancel_not_supported', provider: 'aimlapi' });
      expect((await poll(h, created.body.id)).body.status).not.toBe('cancelled');
    });

    it('answers the job as it finished when it finished before the cancel reached the provider', async () => {
      const h = harness();
      const created = await create(h, kling);
      // The provider has finished the job, but the gateway has not seen it yet.
      const job = { job_id: 'x', status: 'completed', completed_at: '2026-12-01T10:00:00Z', result: { urls: ['https://krea.emulator.test/files/x.mp4'] } };
      h.emulator('krea').faults.add({ on: 'poll', fault: { kind: 'malformed', body: JSON.stringify(job) } });
      const answer = await cancel(h, created.body.id);
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('completed');
    });
  });

  describe('idempotent creates', () => {
    const key = () => ({ 'idempotency-key': `key-${crypto.randomUUID()}` });

    it('answers a repeated create with the same job, marked as replayed, and creates once', async () => {
      const h = harness();
      const headers = key();
      const first = await h.request('POST', '/v1/jobs', { body: kling, headers });
      const second = await h.request('POST', '/v1/jobs', { body: { prompt: kling.prompt, model: kling.model }, headers });
      expect(first.status).toBe(202);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.status).toBe(202);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers.get('location')).toBe(`/v1/jobs/${first.body.id}`);
      expect(callsOf(h, 'krea', 'create')).toHaveLength(1);
    });

    it('creates exactly one job when requests with one key race', async () => {
      const h = harness();
      const headers = key();
      const answers = await Promise.all(Array.from({ length: 5 }, () => h.request('POST', '/v1/jobs', { body: kling, headers })));
      const accepted = answers.filter((answer) => answer.status === 202);
      expect(accepted.length).toBeGreaterThan(0);
      for (const answer of answers) expect([202, 409]).toContain(answer.status);
      expect(new Set(accepted.map((answer) => answer.body.id)).size).toBe(1);
      expect(callsOf(h, 'krea', 'create')).toHaveLength(1);
    });

    it('refuses the same key with a different body with 422 idempotency_key_reused', async () => {
      const h = harness();
      const headers = key();
      await h.request('POST', '/v1/jobs', { body: kling, headers });
      const answer = await h.request('POST', '/v1/jobs', { body: { ...kling, prompt: 'something else' }, headers });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
      expect(callsOf(h, 'krea', 'create')).toHaveLength(1);
    });

    it('keeps keys apart per gateway key', async () => {
      const h = harness();
      const headers = key();
      const mine = await h.request('POST', '/v1/jobs', { body: kling, headers });
      const theirs = await h.request('POST', '/v1/jobs', { body: kling, headers: { ...headers, ...OTHER_KEY } });
      expect(theirs.status).toBe(202);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('replays a create that may have started a job as the same error, never creating a second one', async () => {
      const h = harness();
      const headers = key();
      h.emulator('krea').faults.add({ on: 'create', fault: { kind: 'status', status: 500 } });
      const first = await h.request('POST', '/v1/jobs', { body: kling, headers });
      const second = await h.request('POST', '/v1/jobs', { body: kling, headers });
      expect(first.status).toBe(503);
      expect(second.status).toBe(503);
      expect(second.body.error.code).toBe(first.body.error.code);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(callsOf(h, 'krea', 'create')).toHaveLength(1);
    });

    it('lets a key be used again after a refusal that provably started nothing', async () => {
      const h = harness();
      const headers = key();
      h.emulator('aimlapi').faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '60' } } });
      expect((await h.request('POST', '/v1/jobs', { body: wan, headers })).status).toBe(429);
      const retried = await h.request('POST', '/v1/jobs', { body: wan, headers });
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
    });

    it.each([['x'.repeat(256)], ['tab\there'], ['é']])('refuses the key %j with a 400 naming the header', async (value) => {
      const answer = await harness().request('POST', '/v1/jobs', { body: kling, headers: { 'idempotency-key': value } });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe('Idempotency-Key');
    });
  });
}
