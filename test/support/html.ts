/** Reading a served HTML page in tests (pure, so the Node and workerd tests can share it). */

/** Every URL the page references through a `src` or `href` attribute, in document order. */
export function referencedUrls(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((match) => match[1]!);
}

/** A path on the page's own origin: `/…`, not `//host/…` or any URL with a scheme. */
export function isSameOriginPath(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}
