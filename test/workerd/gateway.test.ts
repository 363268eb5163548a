/**
 * The Worker inside workerd, through its own fetch handler (`exports.default` is src/worker.ts as
 * wrangler.toml builds it), running the same behaviour cases as the Node end-to-end tests
 * (test/e2e/shared-cases.test.ts). Provider calls are answered by the in-process emulators.
 */
import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import committedDocument from '../../openapi/openapi.json' with { type: 'json' };
import { providers } from '../../providers/index.ts';
import { sharedCases, type GatewayHarness } from '../cases/index.ts';
import { GATEWAY_ORIGIN, requester } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

let stub: ProviderStub;
let harness: GatewayHarness;
beforeAll(async () => {
  // The gateway's own signed video links are answered by the Worker, as they would be on the Internet.
  stub = await stubProviders({ [GATEWAY_ORIGIN]: async (request) => exports.default.fetch(request) });
  harness = {
    request: requester((request) => exports.default.fetch(request)),
    emulator: (name) => stub.emulators[name]!.control,
    download: (url) => stub.dispatch(new Request(url)),
  };
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
// Not restored: jobs' Durable Object alarms (copies of their videos, webhook retries) go on after the
// last test, and must keep reaching the emulators rather than the real (closed) network.

describe('the Worker as deployed', () => {
  it('takes its non-secret settings from wrangler.toml [vars] and its secrets from bindings', () => {
    expect(env).toMatchObject({
      VIDGATE_CONFIG: { providers: { krea: { enabled: true, retry: { attempts: 3 } }, aimlapi: { enabled: true } } },
      KREA_BASE_URL: 'https://krea.emulator.test',
      GATEWAY_API_KEYS: expect.any(String),
    });
    expect(env.JOB_CACHE).toBeUndefined();
  });

  it('routes by the configuration table in [vars], with the built-in aliases', async () => {
    const { status, body } = await harness.request('GET', '/v1/models');
    expect(status).toBe(200);
    expect(body.providers).toEqual(providers.map(({ name, title }) => ({ name, title, configured: true, enabled: true })));
    expect(body.data.find((model: { id: string }) => model.id === 'wan-14b')).toMatchObject({
      type: 'alias',
      targets: [{ model: 'aimlapi/krea/krea-wan-14b/text-to-video', provider: 'aimlapi', available: true }],
    });
    const created = await harness.request('POST', '/v1/jobs', { body: { model: 'wan-14b', prompt: 'a fox', duration: 5 } });
    expect(created.body).toMatchObject({ model: 'wan-14b', provider: 'aimlapi', input: { duration: 4.875 } });
  });
});

describe('the API reference on Workers', () => {
  it('serves the OpenAPI document and the docs page without a key', async () => {
    const document = await exports.default.fetch(new Request('https://vidgate.test/openapi.json'));
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('application/json');
    expect(document.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const text = await document.text();
    const body = JSON.parse(text) as { openapi: string; paths: Record<string, unknown> };
    expect(body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/v1/jobs', '/v1/jobs/{id}', '/v1/models']));
    // Read from the static assets (built by the code that builds it on Node), it is the committed
    // copy the Node tests check, byte for byte as Node sends it (compact JSON, in build order).
    expect(body).toEqual(committedDocument);
    expect(text).toBe(JSON.stringify(committedDocument));
    const docs = await exports.default.fetch(new Request('https://vidgate.test/docs'));
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/openapi.json');
  });
});

sharedCases(() => harness);
