/**
 * CORS for browser clients, from `CORS_ORIGINS`: exact origins, or `*`. Off by default (no CORS
 * header at all). A preflight from an allowed origin is answered here, before authentication,
 * since browsers send it without credentials; every other answer to an allowed origin, errors
 * included, carries the allow-origin header, so a browser can read the error envelope.
 *
 * Not hono/cors: it sends `Access-Control-Expose-Headers` to every origin, allowed or not, and
 * answers any `OPTIONS` as a preflight.
 */
import type { Context, MiddlewareHandler } from 'hono';
import * as v from '../validation/index.ts';

/** Who may call from a browser: nobody (the default), everyone, or exactly these origins. */
export type CorsOrigins = 'none' | '*' | ReadonlySet<string>;

const ALLOWED_METHODS = ['GET', 'POST'];
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Prefer'];
const EXPOSED_HEADERS = ['Location', 'X-Request-Id', 'Retry-After', 'Idempotent-Replayed', 'Preference-Applied'];
/** Seconds a browser may cache a preflight (Chromium caps it at two hours). */
const PREFLIGHT_MAX_AGE = 7_200;

const EXAMPLE = 'https://app.example.com';

/** `CORS_ORIGINS`: unset or empty is `none`; `*` alone is everyone; else comma-separated origins. */
export const CorsOriginsSchema = v
  .string()
  .optional()
  .transform((value, ctx): CorsOrigins => {
    const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    if (entries.length === 0) return 'none';
    if (entries.includes('*')) {
      if (entries.length === 1) return '*';
      ctx.addIssue('"*" allows every origin; list origins or use "*" alone');
      return v.NEVER;
    }
    for (const entry of entries) {
      const problem = originProblem(entry);
      if (problem) ctx.addIssue(problem);
    }
    return new Set(entries);
  });

/** Why `entry` is not an origin exactly as a browser sends it in `Origin`, if it is not. */
function originProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin (expected scheme://host[:port], e.g. ${EXAMPLE})`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${entry}" is not an http(s) origin (e.g. ${EXAMPLE})`;
  // Browsers send the serialized origin: lowercase host, no default port, no path or trailing slash.
  if (url.origin !== entry) return `"${entry}" is not an origin as browsers send it; write "${url.origin}"`;
  return undefined;
}

/** The CORS middleware; a no-op when `origins` is `none`. */
export function cors(origins: CorsOrigins): MiddlewareHandler {
  if (origins === 'none') return (_c, next) => next();
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && (origins === '*' || origins.has(origin));
    if (allowed && isPreflight(c)) return preflight(c, origins === '*' ? '*' : origin);
    await next();
    // Whether the answer carries CORS headers depends on `Origin`, so caches must key on it.
    c.header('Vary', 'Origin', { append: true });
    if (!allowed) return;
    c.header('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
    c.header('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
  };
}

/** A preflight is an `OPTIONS` that names the method it asks for; any other `OPTIONS` is routed. */
function isPreflight(c: Context): boolean {
  return c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
}

function preflight(c: Context, allowOrigin: string): Response {
  return c.body(null, 204, {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS.join(', '),
    'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
    'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE),
    Vary: 'Origin',
  });
}
