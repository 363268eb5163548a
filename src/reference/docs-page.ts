/**
 * The `/docs` page: plain HTML that names the API and links `/openapi.json` (readable with no
 * script at all), then the pinned renderer from the gateway's own origin, configured to fetch
 * nothing but `/openapi.json`. The Content-Security-Policy allows exactly that.
 */
import { docsAssetUrl, RENDERER_SCRIPT } from './renderer.ts';

export const DOCS_TITLE = 'vidgate API reference';
export const OPENAPI_PATH = '/openapi.json';

/**
 * The renderer's options (Scalar's `data-configuration`): everything that would reach another
 * origin is off. Its default fonts come from Scalar's font host, its telemetry and AI chat call
 * Scalar's services, and its developer toolbar (shown on localhost) links to them. The API is
 * small, so the sidebar lists every operation from the start.
 */
const RENDERER_CONFIGURATION = {
  defaultOpenAllTags: true,
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
} as const;

/**
 * The page's policy. Scripts: same-origin files only (no inline script, no eval), which is what
 * keeps injected markup from running code. Styles may also be inline: the renderer's components
 * create style elements and attributes at run time, without a nonce. Fetches: the document, and
 * "try it" requests to this gateway. Nothing may come from another origin, and nothing may frame it.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page; the same for every request. */
export const DOCS_PAGE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${DOCS_TITLE}</title>
    <style>
      .vidgate-docs-header { font: 14px/1.5 system-ui, sans-serif; padding: 8px 16px; border-bottom: 1px solid #8884; }
      .vidgate-docs-header h1 { display: inline; font-size: 16px; margin: 0 12px 0 0; }
    </style>
  </head>
  <body>
    <header class="vidgate-docs-header">
      <h1>${DOCS_TITLE}</h1>
      <a href="${OPENAPI_PATH}">OpenAPI 3.1 document (${OPENAPI_PATH})</a>
    </header>
    <noscript>
      <p>The interactive reference needs JavaScript. The whole API is described by the OpenAPI document at
      <a href="${OPENAPI_PATH}">${OPENAPI_PATH}</a>.</p>
    </noscript>
    <script id="api-reference" type="application/json" data-url="${OPENAPI_PATH}" data-configuration="${escapeHtml(JSON.stringify(RENDERER_CONFIGURATION))}"></script>
    <script src="${docsAssetUrl(RENDERER_SCRIPT)}"></script>
  </body>
</html>
`;

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
