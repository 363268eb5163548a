/** Shared cases: requests the gateway refuses itself, before any provider is called. */
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import { MAX_URL_LENGTH } from '../../src/http/limits.ts';
import { MAX_PROMPT_LENGTH } from '../../src/schemas/create-job.ts';
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

  describe('limits', () => {
    // A model without a prompt limit of its own, so only the gateway-wide one applies.
    const unlimited = { model: 'aimlapi/krea/krea-wan-14b/text-to-video' };

    it('answers a prompt over the gateway-wide limit with 422 prompt_too_long, naming the limit and the length', async () => {
      const error = await expectRefused(harness(), { ...unlimited, prompt: 'x'.repeat(MAX_PROMPT_LENGTH + 1) }, 422, 'prompt_too_long', 'prompt');
      expect(error.message).toContain(String(MAX_PROMPT_LENGTH));
      expect(error.message).toContain(String(MAX_PROMPT_LENGTH + 1));
    });

    it("answers a prompt over a model's own limit with the same code", async () => {
      const limited = providers.flatMap((provider) => provider.models.map((model) => ({ id: `${provider.name}/${model.id}`, max: model.capabilities.prompt.max_length })))
        .find((model) => model.max !== undefined && model.max < MAX_PROMPT_LENGTH)!;
      const error = await expectRefused(harness(), { model: limited.id, prompt: 'x'.repeat(limited.max! + 1) }, 422, 'prompt_too_long', 'prompt');
      expect(error.message).toContain(String(limited.max));
    });

    it('accepts a prompt of exactly the limit, and its job id fits in a URL the gateway accepts', async () => {
      const created = await create(harness(), { ...unlimited, prompt: 'a fox in the snow '.repeat(1_000).slice(0, MAX_PROMPT_LENGTH) });
      expect(created.status).toBe(202);
      expect(`/v1/jobs/${created.body.id}`.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
      const polled = await poll(harness(), created.body.id);
      expect(polled.status).toBe(200);
    });

    it(`answers a path and query over ${MAX_URL_LENGTH} characters with 414 uri_too_long`, async () => {
      const answer = await harness().request('GET', `/v1/models?q=${'a'.repeat(MAX_URL_LENGTH)}`);
      expect(answer.status).toBe(414);
      expect(answer.body.error).toMatchObject({ code: 'uri_too_long', request_id: expect.stringMatching(/^req_/) });
    });
  });

  describe('malformed paths', () => {
    const paths = ['/%', '/%%', '/%ZZ', '/v1/jobs/%', '/v1/jobs/%E0%A4%A', '/v1/jobs/%00', '/v1/jobs/a%5Cb', '/v1/jobs/..%2F..%2Fetc', '/v1/%2e%2e/models', '/docs/assets/%/x', '/docs/assets/%E0/%ZZ', '/openapi.json%00', '/healthz/%'];

    it.each(paths)('answers %s with an error envelope, never a 500', async (path) => {
      const withAndWithoutKey: Record<string, string>[] = [{}, { authorization: '' }];
      for (const headers of withAndWithoutKey) {
        const answer = await harness().request('GET', path, { headers });
        expect(answer.status, `${path} ${answer.text}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${path} ${answer.text}`).toBeLessThan(500);
        expect(answer.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String), request_id: expect.stringMatching(/^req_/) });
      }
      expectNoProviderCalls(harness());
    });
  });
}
