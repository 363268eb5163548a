/**
 * Shared cases: CORS. Off unless `CORS_ORIGINS` is set ({@link corsOffCases}, run by the shared
 * harnesses, which set nothing), and for the origins in {@link CORS_TEST_ORIGINS} ({@link corsCases},
 * run against a gateway configured with them: test/e2e/cors.test.ts and test/workerd/cors.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiResponse, HarnessGetter } from './harness.ts';
import { create, expectNoProviderCalls, resetEmulators } from './steps.ts';

export const ALLOWED_ORIGIN = 'https://app.example.test';
/** The `CORS_ORIGINS` of the gateway that {@link corsCases} run against. */
export const CORS_TEST_ORIGINS = `${ALLOWED_ORIGIN}, http://localhost:5173`;
const OTHER_ORIGIN = 'https://evil.example.test';

const preflightHeaders = (origin: string) => ({
  origin,
  'access-control-request-method': 'POST',
  'access-control-request-headers': 'authorization, content-type, idempotency-key',
  authorization: '',
});

function corsHeaders(answer: ApiResponse): string[] {
  return [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

function listed(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
}

export function corsOffCases(harness: HarnessGetter): void {
  describe('CORS when CORS_ORIGINS is unset', () => {
    it('sends no CORS header at all, to a preflight or to a request with an Origin', async () => {
      const preflight = await harness().request('OPTIONS', '/v1/jobs', { headers: preflightHeaders(ALLOWED_ORIGIN) });
      expect(preflight.status).not.toBe(204);
      expect(corsHeaders(preflight)).toEqual([]);
      const answer = await harness().request('GET', '/v1/models', { headers: { origin: ALLOWED_ORIGIN } });
      expect(answer.status).toBe(200);
      expect(corsHeaders(answer)).toEqual([]);
    });
  });
}

export function corsCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  describe('a preflight', () => {
    it('from an allowed origin is answered with 204 before authentication, with what the API accepts', async () => {
      const answer = await harness().request('OPTIONS', '/v1/jobs', { headers: preflightHeaders(ALLOWED_ORIGIN) });
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(listed(answer.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post']));
      expect(listed(answer.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'prefer']));
      expect(Number(answer.headers.get('access-control-max-age'))).toBeGreaterThan(0);
      expect(listed(answer.headers.get('vary'))).toContain('origin');
      expectNoProviderCalls(harness());
    });

    it('from an origin not on the list gets no CORS header', async () => {
      const answer = await harness().request('OPTIONS', '/v1/jobs', { headers: preflightHeaders(OTHER_ORIGIN) });
      expect(answer.status).not.toBe(204);
      expect(corsHeaders(answer)).toEqual([]);
    });
  });

  describe('an actual request', () => {
    it('from an allowed origin may read the answer and the headers the API documents', async () => {
      const created = await harness().request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'a fox' }, headers: { origin: ALLOWED_ORIGIN } });
      expect(created.status).toBe(202);
      expect(created.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(listed(created.headers.get('vary'))).toContain('origin');
      expect(listed(created.headers.get('access-control-expose-headers'))).toEqual(
        expect.arrayContaining(['location', 'x-request-id', 'retry-after', 'idempotent-replayed', 'preference-applied']),
      );
    });

    it('from an allowed origin may read an error envelope, a 401 included', async () => {
      for (const [path, headers, status] of [['/v1/models', { authorization: '' }, 401], ['/v2/nothing', {}, 404]] as const) {
        const answer = await harness().request('GET', path, { headers: { ...headers, origin: 'http://localhost:5173' } });
        expect(answer.status).toBe(status);
        expect(answer.body.error.code).toEqual(expect.any(String));
        expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      }
    });

    it('from an origin not on the list is served without CORS headers, so a browser cannot read it', async () => {
      const answer = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'a fox' }).then(() =>
        harness().request('GET', '/v1/models', { headers: { origin: OTHER_ORIGIN } }),
      );
      expect(answer.status).toBe(200);
      expect(corsHeaders(answer)).toEqual([]);
    });

    it('OPTIONS without Access-Control-Request-Method is not a preflight: it is routed like any request', async () => {
      const answer = await harness().request('OPTIONS', '/healthz', { headers: { origin: ALLOWED_ORIGIN } });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
      expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
  });
}
