/**
 * The parts of a request's URL the app reads on every request, without parsing it again: a
 * `Request`'s URL is serialized already (scheme and host lowercase, no default port, no
 * credentials), so for http(s) everything before the path's first slash is the origin.
 */

/** `scheme://host[:port]` of a serialized http(s) URL. */
export function originOf(url: string): string {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  return pathStart === -1 ? url : url.slice(0, pathStart);
}

/** The length of what follows the origin (`/path?query`, the fragment never arrives). */
export function requestTargetLength(url: string): number {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  return pathStart === -1 ? 1 : url.length - pathStart;
}
