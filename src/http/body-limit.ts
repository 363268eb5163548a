/**
 * The request body's size limit (`MAX_BODY_BYTES`), checked before the body is read.
 *
 * A body with a `Content-Length` is judged by it: the HTTP parsers on both runtimes hold a body to
 * its declared length, so nothing longer can follow. Only a chunked body (no length up front) is
 * counted as it streams in, by Hono's `bodyLimit`. Hono's middleware also starts with the length,
 * but it reaches for `request.body` first, and on Node that alone turns @hono/node-server's
 * lightweight request into a full WHATWG Request with a web stream over the socket (about a tenth
 * of a create's CPU, profiled), where the length check needs neither.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as streamedBodyLimit } from 'hono/body-limit';

export function bodyLimit(maxBytes: number, tooLarge: () => Error): MiddlewareHandler {
  const streamed = streamedBodyLimit({ maxSize: maxBytes, onError: () => { throw tooLarge(); } });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number.parseInt(length, 10) > maxBytes) throw tooLarge();
    await next();
  };
}
