/**
 * `/playground` on Workers: the same app serves it, with the policy that admits only the page's own
 * inline script and style (by hash) and nothing from another origin.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_TITLE } from '../../src/playground/page.ts';
import { cspDirective, cspHashSource, inlineElements, isSameOriginPath, referencedUrls } from '../support/html.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { GATEWAY_ORIGIN } from './support/gateway.ts';

describe('the playground on Workers', () => {
  it('answers GET /playground with the page, without a key, under its policy', async () => {
    const response = await exports.default.fetch(`${GATEWAY_ORIGIN}/playground`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toBe(PLAYGROUND_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toContain(`<title>${PLAYGROUND_TITLE}</title>`);
    const [script] = inlineElements(html, 'script');
    const [style] = inlineElements(html, 'style');
    // The page and its policy come from the static assets, built together: the hashes are those of the text served.
    expect(cspDirective(policy, 'script-src')).toEqual([await cspHashSource(script!)]);
    expect(cspDirective(policy, 'style-src')).toEqual([await cspHashSource(style!)]);
    expect(referencedUrls(html).filter((url) => !isSameOriginPath(url))).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//);
    for (const key of WORKERD_TEST_BINDINGS.GATEWAY_API_KEYS.split(',')) expect(html).not.toContain(key);
  });
});
