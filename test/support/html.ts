/** Reading a served HTML page in tests (pure, so the Node and workerd tests can share it). */

/** Every URL the page references through a `src` or `href` attribute, in document order. */
export function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((match) => match[1]!);
}

/** A path on the page's own origin: `/…`, not `//host/…` or any URL with a scheme. */
export function isSameOriginPath(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}

/** The text of every `<tag>` element written without attributes (inline scripts and styles), in document order. */
export function inlineElements(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);
}

/** How a Content-Security-Policy admits an inline element: `'sha256-<base64 SHA-256 of its exact text>'` (Web Crypto, so workerd can run it too). */
export async function cspHashSource(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/** The sources a policy lists for one directive (`undefined` when it has none). */
export function cspDirective(policy: string, name: string): string[] | undefined {
  const directive = policy.split(';').map((part) => part.trim().split(/\s+/)).find(([directiveName]) => directiveName === name);
  return directive?.slice(1);
}
