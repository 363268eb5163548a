/**
 * The router the gateway's app uses on Node: GETs and the other methods each in their own
 * `hono`-default router (the RegExpRouter, one regular expression for every route and the fastest
 * per match once built, with the TrieRouter as its fallback). The app's default (the PatternRouter)
 * is for the Worker, whose bundle it keeps smaller.
 *
 * Why split by method: the RegExpRouter cannot hold a static segment beside a parameter with more
 * segments under it, which the POSTs have (`/v1/jobs/quote` beside `/v1/jobs/:id/cancel`), so one
 * router for every route fell back to the TrieRouter for all of them, polls included, at several
 * times the RegExpRouter's cost per match. The GETs have no such pair and keep the RegExpRouter.
 * A request is matched against its method's routes and the ones for every method (`ALL`, what
 * `app.use` registers) in the order they were added, as one router would.
 */
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { Router } from 'hono/router';
import type { H, RouterRoute } from 'hono/types';

type Handler = [H, RouterRoute];

const ALL_METHODS = 'ALL';

function honoDefault(): Router<Handler> {
  return new SmartRouter<Handler>({ routers: [new RegExpRouter<Handler>(), new TrieRouter<Handler>()] });
}

export class GetsApartRouter implements Router<Handler> {
  name = 'GetsApartRouter';
  readonly #gets = honoDefault();
  readonly #others = honoDefault();

  add(method: string, path: string, handler: Handler): void {
    if (method !== 'GET') this.#others.add(method, path, handler);
    if (method === 'GET' || method === ALL_METHODS) this.#gets.add(method, path, handler);
  }

  match(method: string, path: string): ReturnType<Router<Handler>['match']> {
    return (method === 'GET' ? this.#gets : this.#others).match(method, path);
  }

  /** Which router each half settled on (after its first match), for tests. */
  get activeRouters(): { gets: string; others: string } {
    return { gets: this.#gets.name, others: this.#others.name };
  }
}

export const nodeRouter = () => new GetsApartRouter();
