/**
 * Cloudflare Workers entry. Configuration comes from bindings (`[vars]` and secrets) and is parsed
 * once per isolate; upstream calls use the platform's fetch. Nothing Node-specific is imported.
 */
import type { Hono } from 'hono';
import { providers } from '../providers/index.ts';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Env } from './config.ts';
import { jsonLogger } from './logger.ts';

let app: Hono<never> | undefined;

function appFor(env: Env): Hono<never> {
  app ??= createApp({
    config: loadConfig(env, providers),
    providers,
    // Bound so the platform fetch is not called with the app as `this`.
    fetch: (input, init) => fetch(input, init),
    log: jsonLogger(),
  }) as unknown as Hono<never>;
  return app;
}

export default {
  fetch(request: Request, env: Env, context: unknown): Response | Promise<Response> {
    try {
      return appFor(env).fetch(request, env, context as never);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // The message names the bad keys, never their values.
      console.error(error.message);
      return Response.json({ error: { code: 'configuration_error', message: 'The gateway is misconfigured; see the Worker logs.' } }, { status: 500 });
    }
  },
};
