/**
 * The `route` label of a request: the pattern of the route that served it (`/v1/jobs/:id`), so that
 * ids never become label values, or `unmatched` when no route matched its method and path.
 */
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { UNMATCHED_ROUTE } from '../metrics/gateway-metrics.ts';

/** Middleware (`app.use`) is registered for every method (`ALL`); a route has the method it serves. */
const MIDDLEWARE_METHOD = 'ALL';

/** Known as soon as Hono has matched the request, so also for a request refused before its handler (a 401). */
export function routeLabel(c: Context): string {
  return matchedRoutes(c).find((route) => route.method !== MIDDLEWARE_METHOD)?.path ?? UNMATCHED_ROUTE;
}
