/**
 * The router the gateway's app uses on Node: `hono`'s own default, the RegExpRouter (one regular
 * expression for every route, fastest per match once built) with the TrieRouter as its fallback.
 * The app's default (the TrieRouter alone) is for the Worker, whose bundle it keeps smaller.
 */
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { H, RouterRoute } from 'hono/types';

type Handler = [H, RouterRoute];

export const honoDefaultRouter = () => new SmartRouter<Handler>({ routers: [new RegExpRouter<Handler>(), new TrieRouter<Handler>()] });
