/**
 * `GET /playground`: a page for trying the gateway in a browser. It holds no key (the person pastes
 * one) and loads nothing: its style and script are inline, admitted by the Content-Security-Policy
 * through their SHA-256 hashes, so no other script can run and nothing can come from another origin.
 * The same page is served on Node and Workers. It is built once (on Node in-process, for the Worker
 * by scripts/worker-assets.ts into its static assets, so the Worker bundle does not carry it) with
 * empty slots for the gateway's settings, which each app fills (settings.ts).
 */
import { sha256 } from '../security/sha256.ts';
import { PLAYGROUND_SCRIPT } from './script.ts';
import type { HtmlPage } from '../static-pages/static-pages.ts';
import { fillPlaygroundPage, PLAYGROUND_SLOTS, type PlaygroundSettings } from './settings.ts';

export type { PlaygroundSettings } from './settings.ts';

export const PLAYGROUND_TITLE = 'vidgate playground';

const STYLE = `
:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 44rem; padding: 0 16px 32px; }
header { display: flex; align-items: baseline; gap: 16px; border-bottom: 1px solid #8886; margin-bottom: 16px; }
h1 { font-size: 20px; margin: 12px 0; }
form, #job, #model-fields { display: grid; grid-template-columns: minmax(0, 1fr); gap: 10px; margin-bottom: 20px; }
#model-fields { margin: 0; }
.field { display: grid; grid-template-columns: minmax(0, 1fr); gap: 2px; }
.field small, .note, #warnings { color: #888; font-size: 13px; margin: 0; }
input, select, textarea, button { font: inherit; }
textarea { resize: vertical; }
button { justify-self: start; padding: 4px 14px; }
.key-row { display: flex; gap: 8px; }
.key-row input { flex: 1; }
progress { width: 100%; }
#status { margin: 0; font-variant-numeric: tabular-nums; }
#alert { border: 1px solid #c33; border-radius: 4px; padding: 8px 12px; color: #c33; }
video { width: 100%; max-height: 60vh; background: #000; }
[hidden] { display: none !important; }
@media (min-width: 64rem) {
  body { max-width: 72rem; }
  main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 32px; align-items: start; }
  #key-form, #alert { grid-column: 1 / -1; }
}
`;

/** `'sha256-…'`: how a policy admits one inline element, by the hash of its exact text. */
function sourceHash(text: string): string {
  return `'sha256-${btoa(String.fromCharCode(...sha256(new TextEncoder().encode(text))))}'`;
}

/**
 * The page's policy: its own inline script and style only (no other script, no eval, no style
 * attribute), requests to this gateway only, and no form posts, framing or `<base>`. Videos come from
 * this gateway's signed links, or, with copies off (`OUTPUT_STORE=none`), from the provider's https URL.
 */
export const PLAYGROUND_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sourceHash(PLAYGROUND_SCRIPT)}`,
  `style-src ${sourceHash(STYLE)}`,
  "connect-src 'self'",
  "media-src 'self' https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The page for these settings. */
export function playgroundPage(settings: PlaygroundSettings): string {
  return fillPlaygroundPage(playgroundTemplate().html, settings);
}

/** The page with its settings' slots empty, and its policy: the same for every gateway. */
export function playgroundTemplate(): HtmlPage {
  return { html: pageHtml(), contentSecurityPolicy: PLAYGROUND_CONTENT_SECURITY_POLICY };
}

function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${PLAYGROUND_TITLE}</title>
    <style>${STYLE}</style>
  </head>
  <body>
    <header>
      <h1>${PLAYGROUND_TITLE}</h1>
      <a href="/docs">API reference</a>
    </header>
    <noscript><p>The playground needs JavaScript. Without it, use the API directly: see the <a href="/docs">API reference</a>.</p></noscript>
    <main>
      <form id="key-form">
        <div class="field">
          <label for="key">Gateway key</label>
          <div class="key-row">
            <input id="key" type="password" autocomplete="off" spellcheck="false" required>
            <button type="submit">Load models</button>
            <button type="button" id="forget-key">Forget key</button>
          </div>
        </div>
        <p class="note">The key stays in this tab: it is kept in sessionStorage (gone when the tab closes) and sent only to this gateway, as an Authorization header.</p>
      </form>
      <p id="alert" role="alert" hidden></p>
      <form id="job-form" hidden data-max-image-bytes="${PLAYGROUND_SLOTS.maxImageBytes}" data-image-types="${PLAYGROUND_SLOTS.imageTypes}">
        <div class="field">
          <label for="model">Model</label>
          <select id="model" required></select>
        </div>
        <p id="model-note" class="note"></p>
        <div class="field">
          <label for="prompt">Prompt</label>
          <textarea id="prompt" rows="3" required></textarea>
        </div>
        <div id="model-fields"></div>
        <button type="submit" id="submit">Generate</button>
      </form>
      <section id="job" aria-label="Job" hidden>
        <div class="field">
          <label for="progress">Progress</label>
          <progress id="progress" max="100" value="0"></progress>
        </div>
        <p id="status" role="status"></p>
        <ul id="warnings"></ul>
        <video id="video" controls preload="metadata" hidden></video>
      </section>
    </main>
    <script>${PLAYGROUND_SCRIPT}</script>
  </body>
</html>
`;
}
