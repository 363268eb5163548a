/** Refusing overlong URLs before routing, the same way on Node and Workers. */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors.ts';

/** `414 uri_too_long` for a path plus query string longer than `maxLength` characters. */
export function urlLengthLimit(maxLength: number): MiddlewareHandler {
  return async (c, next) => {
    const length = requestTargetLength(c.req.url);
    if (length > maxLength) {
      throw new GatewayError({ status: 414, code: 'uri_too_long', message: `The path and query string are ${length} characters long; the gateway accepts at most ${maxLength}.` });
    }
    await next();
  };
}

/** The length of what follows the origin in an absolute URL (`/path?query`, the fragment never arrives). */
function requestTargetLength(url: string): number {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  return pathStart === -1 ? 1 : url.length - pathStart;
}
