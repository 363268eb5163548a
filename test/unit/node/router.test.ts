/**
 * The app's routers: Node's (GETs apart from the rest, so that polls keep the RegExpRouter) and the
 * Worker's default (the PatternRouter, the smallest in the bundle) match every request as one
 * TrieRouter of all the routes would.
 */
import type { H, RouterRoute } from 'hono/types';
import { PatternRouter } from 'hono/router/pattern-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { AUTHENTICATED_PREFIX, ROUTES } from '../../../src/http/routes.ts';
import { GetsApartRouter } from '../../../src/node/router.ts';

type Handler = [H, RouterRoute];

/** The app's shape: middleware for every path, the public routes, the gateway key for /v1, then the rest. */
function register(router: { add(method: string, path: string, handler: Handler): void }): void {
  const handler = (name: string, method: string, path: string): Handler => [(() => name) as unknown as H, { basePath: '/', path, method, handler: (() => name) as unknown as H }];
  for (const name of ['request-id', 'cors', 'url-length']) router.add('ALL', '*', handler(name, 'ALL', '*'));
  const routes = Object.entries(ROUTES);
  for (const [name, route] of routes.filter(([, route]) => !route.auth)) router.add(route.method.toUpperCase(), route.path, handler(name, route.method, route.path));
  router.add('ALL', `${AUTHENTICATED_PREFIX}*`, handler('auth', 'ALL', `${AUTHENTICATED_PREFIX}*`));
  for (const [name, route] of routes.filter(([, route]) => route.auth)) router.add(route.method.toUpperCase(), route.path, handler(name, route.method, route.path));
}

/** The handlers' names in order, with the parameters each got. */
function matched(router: { match(method: string, path: string): unknown }, method: string, path: string) {
  const [entries, stash] = router.match(method, path) as [[Handler, Record<string, string | number>][], string[] | undefined];
  return entries.map(([[name], params]) => {
    const values = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, stash && typeof value === 'number' ? stash[value] : value]));
    return [(name as unknown as () => string)(), values];
  });
}

const requests: [string, string][] = [
  ['GET', '/v1/jobs/job_abc'],
  ['GET', '/v1/jobs'],
  ['GET', '/v1/jobs/job_abc/events'],
  ['GET', '/v1/jobs/job_abc/content'],
  ['GET', '/v1/jobs/job_abc/webhook-deliveries'],
  ['GET', '/outputs/job_abc/0'],
  ['GET', '/v1/videos/video_1/content'],
  ['GET', '/docs/assets/1.2.3/app.js'],
  ['GET', '/healthz'],
  ['GET', '/nowhere'],
  ['POST', '/v1/jobs'],
  ['POST', '/v1/jobs/quote'],
  ['POST', '/v1/jobs/job_abc/cancel'],
  ['POST', '/v1/jobs/job_abc/webhook-deliveries/whd_1/retry'],
  ['POST', '/webhooks/krea/job_abc/token'],
  ['DELETE', '/v1/videos/video_1'],
  ['OPTIONS', '/v1/jobs'],
  ['PUT', '/v1/jobs/job_abc'],
];

describe('GetsApartRouter', () => {
  it('matches every request as one TrieRouter of all the routes does', () => {
    const split = new GetsApartRouter();
    const single = new TrieRouter<Handler>();
    register(split);
    register(single);
    for (const [method, path] of requests) expect(matched(split, method, path), `${method} ${path}`).toEqual(matched(single, method, path));
  });

  it('keeps the RegExpRouter for the GETs, which one router for every route could not', () => {
    const split = new GetsApartRouter();
    register(split);
    split.match('GET', '/v1/jobs/job_abc');
    split.match('POST', '/v1/jobs');
    expect(split.activeRouters).toEqual({ gets: 'SmartRouter + RegExpRouter', others: 'SmartRouter + TrieRouter' });
  });
});

describe("the app's default router (the Worker's)", () => {
  it('matches every request as one TrieRouter of all the routes does', () => {
    const pattern = new PatternRouter<Handler>();
    const single = new TrieRouter<Handler>();
    register(pattern);
    register(single);
    for (const [method, path] of requests) expect(matched(pattern, method, path), `${method} ${path}`).toEqual(matched(single, method, path));
  });
});
