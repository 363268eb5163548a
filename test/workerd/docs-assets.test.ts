/**
 * The API reference on Workers: `/docs` through the Worker references only same-origin files, and
 * the renderer's script is a static asset (wrangler.toml `[assets]`, filled by
 * scripts/worker-assets.ts), served by the platform and, for requests that reach the Worker,
 * through the `ASSETS` binding.
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../src/reference/docs-page.ts';
import { docsAssetUrl, IMMUTABLE_CACHE_CONTROL, RENDERER_SCRIPT } from '../../src/reference/renderer.ts';
import { isSameOriginPath, referencedUrls } from '../support/html.ts';
import { GATEWAY_ORIGIN } from './support/gateway.ts';

const scriptUrl = GATEWAY_ORIGIN + docsAssetUrl(RENDERER_SCRIPT);
const assets = env.ASSETS as { fetch(input: RequestInfo | URL): Promise<Response> };

describe('the API reference page and its script on Workers', () => {
  it('serves /docs referencing only same-origin files, under a policy that allows no other origin', async () => {
    const response = await exports.default.fetch(`${GATEWAY_ORIGIN}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(DOCS_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    const urls = referencedUrls(html);
    expect(urls).toEqual(expect.arrayContaining([docsAssetUrl(RENDERER_SCRIPT), '/openapi.json']));
    expect(urls.filter((url) => !isSameOriginPath(url))).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('has the renderer\'s script as a static asset, with immutable caching from _headers', async () => {
    const response = await assets.fetch(scriptUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(await response.text()).toContain('createApiReference');
  });

  it('answers the script through the ASSETS binding when a request reaches the Worker', async () => {
    const response = await exports.default.fetch(scriptUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(RENDERER_SCRIPT.contentType);
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(await response.text()).toContain('createApiReference');
  });

  it('answers 404 not_found for another version of the renderer', async () => {
    const response = await exports.default.fetch(`${GATEWAY_ORIGIN}/docs/assets/0.0.0/${RENDERER_SCRIPT.name}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
