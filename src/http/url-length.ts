/** Refusing overlong URLs before routing, the same way on Node and Workers. */
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../errors.ts';
import { requestTargetLength } from './request-url.ts';

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
