/**
 * Shared cases: provider trouble mapped to stable errors. Only faults that end without a retry
 * wait are here: in workerd the retry backoff runs on real timers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { HarnessGetter } from './harness.ts';
import { callsOf, create, poll, resetEmulators } from './steps.ts';

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const wan = { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon' };

export function providerFaultCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  describe('a provider in trouble', () => {
    it('never retries a create that got a 5xx, since the job may exist, and answers 503', async () => {
      harness().emulator('krea').faults.add({ on: 'create', fault: { kind: 'status', status: 500 }, times: 0 });
      const answer = await create(harness(), kling);
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'provider_unavailable', provider: 'krea' });
      expect(callsOf(harness(), 'krea', 'create')).toHaveLength(1);
    });

    it('maps running out of credits (Krea 402, AI/ML API 403) to one code', async () => {
      harness().emulator('krea').faults.add({ on: 'create', fault: { kind: 'status', status: 402, body: { error: 'You have run out of credits' } } });
      harness().emulator('aimlapi').faults.add({ on: 'create', fault: { kind: 'status', status: 403, body: { message: "You've run out of credits" } } });
      for (const answer of [await create(harness(), kling), await create(harness(), wan)]) {
        expect(answer.status).toBe(503);
        expect(answer.body.error.code).toBe('provider_out_of_credits');
      }
    });

    it('reports a rejected provider key as 502 provider_auth_failed without echoing the key', async () => {
      harness().emulator('krea').faults.add({ on: 'create', fault: { kind: 'status', status: 401, body: { error: 'You are not authenticated' } } });
      const answer = await create(harness(), kling);
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatchObject({ code: 'provider_auth_failed', provider: 'krea' });
      expect(answer.text).not.toMatch(/secret-key/);
    });

    it('answers a malformed create response with 502 and does not retry', async () => {
      harness().emulator('krea').faults.add({ on: 'create', fault: { kind: 'malformed' } });
      const answer = await create(harness(), kling);
      expect(answer.status).toBe(502);
      expect(answer.body.error).toMatchObject({ code: 'provider_bad_response', provider: 'krea' });
      expect(callsOf(harness(), 'krea', 'create')).toHaveLength(1);
    });

    it('passes a lasting create rate limit to the client as 429 with Retry-After', async () => {
      harness().emulator('aimlapi').faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '30' } }, times: 0 });
      const answer = await create(harness(), wan);
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('30');
      expect(answer.body.error).toMatchObject({ code: 'provider_rate_limited', provider: 'aimlapi' });
      expect(callsOf(harness(), 'aimlapi', 'create')).toHaveLength(1);
    });

    it('passes a poll rate limit longer than the retry policy waits through as 429', async () => {
      const created = await create(harness(), kling);
      harness().emulator('krea').faults.add({ on: 'poll', fault: { kind: 'status', status: 429, headers: { 'retry-after': '60' } }, times: 0 });
      const answer = await poll(harness(), created.body.id);
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('60');
      expect(answer.body.error).toMatchObject({ code: 'provider_rate_limited', provider: 'krea' });
    });

    it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])(
      'reports a job status named %j, which is no documented status, as unknown: 502 on poll, a warning on create',
      async (status) => {
        const body = JSON.stringify({ job_id: 'j1', status, created_at: '2026-12-01T10:00:00Z', completed_at: null, result: null });
        harness().emulator('krea').faults.add({ on: 'create', fault: { kind: 'malformed', body } });
        const created = await create(harness(), kling);
        expect(created.status).toBe(202);
        expect(created.body).toMatchObject({ status: 'queued', warnings: [expect.objectContaining({ code: 'unknown_provider_status' })] });
        harness().emulator('krea').faults.add({ on: 'poll', fault: { kind: 'malformed', body }, times: 0 });
        const polled = await poll(harness(), created.body.id);
        expect(polled.status).toBe(502);
        expect(polled.body.error).toMatchObject({ code: 'provider_unknown_status', provider: 'krea' });
      },
    );

    it('answers a poll body of the wrong shape with 502', async () => {
      const created = await create(harness(), kling);
      harness().emulator('krea').faults.add({ on: 'poll', fault: { kind: 'malformed', body: '{"job_id": 7}' }, times: 0 });
      const answer = await poll(harness(), created.body.id);
      expect(answer.status).toBe(502);
      expect(answer.body.error.code).toBe('provider_bad_response');
    });
  });
}
