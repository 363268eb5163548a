/** Shared cases: requests the gateway refuses itself, before any provider is called. */
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import type { GatewayHarness, HarnessGetter } from './harness.ts';
import { create, expectNoProviderCalls, poll, resetEmulators } from './steps.ts';

async function expectRefused(h: GatewayHarness, body: unknown, status: number, code: string, param?: string) {
  const answer = await h.request('POST', '/v1/jobs', { body });
  expect(answer.status).toBe(status);
  expect(answer.body.error).toMatchObject({ code, ...(param ? { param } : {}), request_id: expect.stringMatching(/^req_/) });
  expectNoProviderCalls(h);
  return answer.body.error;
}

export function requestErrorCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  describe('requests the gateway refuses', () => {
    it('rejects an unknown field with 400 naming it', async () => {
      await expectRefused(harness(), { model: 'krea/kling/kling-2.5', prompt: 'x', colour: 'red' }, 400, 'unknown_parameter', 'colour');
    });

    it('rejects a body that is not JSON with 400', async () => {
      const answer = await harness().request('POST', '/v1/jobs', { body: '{"model":' });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_json');
      expectNoProviderCalls(harness());
    });

    it('rejects a duration the model cannot do with 422 listing the supported ones', async () => {
      const error = await expectRefused(harness(), { model: 'krea/kling/kling-2.5', prompt: 'x', duration: 7 }, 422, 'unsupported_duration', 'duration');
      expect(error.message).toContain('5, 10');
    });

    it('rejects an unknown model with 422', async () => {
      await expectRefused(harness(), { model: 'openai/sora', prompt: 'x' }, 422, 'unknown_model', 'model');
    });

    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'krea/constructor', 'krea/__proto__'])(
      'treats %j as the unknown model it is, not as a property of some object',
      async (model) => {
        await expectRefused(harness(), { model, prompt: 'x' }, 422, 'unknown_model', 'model');
      },
    );

    it('refuses prototype keys where the body has fixed keys, and keeps them inert in metadata', async () => {
      await expectRefused(harness(), JSON.parse('{"model": "krea/kling/kling-2.5", "prompt": "x", "provider_options": {"__proto__": {"x": 1}}}'), 400, 'invalid_request', 'provider_options.__proto__');
      await expectRefused(harness(), { model: 'krea/kling/kling-2.5', prompt: 'x', provider: 'constructor' }, 400, 'invalid_request', 'provider');
      await expectRefused(harness(), { model: 'krea/kling/kling-2.5', prompt: 'x', mode: 'constructor' }, 422, 'unsupported_mode', 'mode');
      const proto = await harness().request('POST', '/v1/jobs', { body: '{"model": "krea/kling/kling-2.5", "prompt": "x", "metadata": {"__proto__": "p"}}' });
      expect(proto.status).toBe(400);
      expect(proto.body.error).toMatchObject({ code: 'invalid_request', param: 'metadata.__proto__' });
      const created = await harness().request('POST', '/v1/jobs', { body: '{"model": "krea/kling/kling-2.5", "prompt": "x", "metadata": {"constructor": "c", "toString": "t"}}' });
      expect(created.status).toBe(202);
      expect(created.body.metadata).toEqual({ constructor: 'c', toString: 't' });
      expect(Object.getPrototypeOf(created.body.metadata)).toBe(Object.prototype);
      expect(created.body.metadata.constructor).toBe('c');
    });
  });

  describe('authentication', () => {
    it('answers a missing key with 401 missing_api_key and a Bearer challenge', async () => {
      for (const path of ['/v1/models', '/v1/jobs/job_x']) {
        const answer = await harness().request('GET', path, { headers: { authorization: '' } });
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe('missing_api_key');
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('answers a wrong key with 401 invalid_api_key', async () => {
      const answer = await harness().request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'x' }, headers: { authorization: 'Bearer nope-nope-nope' } });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('invalid_api_key');
      expectNoProviderCalls(harness());
    });

    it('lets health checks through without a key', async () => {
      const answer = await harness().request('GET', '/healthz', { headers: { authorization: '' } });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ status: 'ok' });
    });

    it('answers an unknown route with 404 in the error envelope', async () => {
      const answer = await harness().request('GET', '/v2/nothing');
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    });
  });

  describe('job ids', () => {
    it('answers a tampered or made-up id with 404 and calls no provider', async () => {
      const created = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'x' });
      resetEmulators(harness());
      const id: string = created.body.id;
      const flipped = id.slice(0, 20) + (id[20] === 'A' ? 'B' : 'A') + id.slice(21);
      for (const bad of [flipped, id.slice(0, -2), 'job_notarealid', `${id}x`]) {
        const answer = await poll(harness(), bad);
        expect(answer.status).toBe(404);
        expect(answer.body.error.code).toBe('job_not_found');
      }
      expectNoProviderCalls(harness());
    });
  });

  describe('GET /v1/models', () => {
    it('lists every registered provider as configured, with all of its models', async () => {
      const answer = await harness().request('GET', '/v1/models');
      expect(answer.status).toBe(200);
      const ids = answer.body.data.map((model: { id: string }) => model.id);
      for (const provider of providers) for (const model of provider.models) expect(ids).toContain(`${provider.name}/${model.id}`);
      expect(answer.body.providers).toEqual(providers.map(({ name }) => expect.objectContaining({ name, configured: true })));
    });
  });
}
