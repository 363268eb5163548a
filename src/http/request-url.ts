/**
 * The parts of a request's URL the app reads on every request, without parsing it again: a
 * `Request`'s URL is serialized already (scheme and host lowercase, no default port, no
 * credentials), so for http(s) everything before the path's first slash is the origin.
 */

/** Where the path starts in a serialized http(s) URL, or -1 when it has none. */
function pathStart(url: string): number {
  return url.indexOf('/', url.indexOf('//') + 2);
}

/** `scheme://host[:port]` of a serialized http(s) URL. */
export function originOf(url: string): string {
  const start = pathStart(url);
  return start === -1 ? url : url.slice(0, start);
}

/** The length of what follows the origin (`/path?query`, the fragment never arrives). */
export function requestTargetLength(url: string): number {
  const start = pathStart(url);
  return start === -1 ? 1 : url.length - start;
}
