/** Calling the Worker from workerd tests: through `exports.default` or a handler built in the test. */
import { env } from 'cloudflare:workers';
import type { FetcherLike } from '../../../src/worker/bindings.ts';
import { gatewayRequest, toApiResponse, type ApiResponse, type RequestOptions } from '../../cases/index.ts';
import { WORKERD_TEST_BINDINGS } from './bindings.ts';

/** The Worker's own hostname in tests (it also becomes the origin of Cache API keys). */
export const GATEWAY_ORIGIN = 'https://vidgate.test';

/**
 * The static assets wrangler.toml binds (the built pages, the provider catalogs), for the bindings
 * of handlers built in a test: without them the Worker cannot build its provider registry.
 */
export const WORKER_ASSETS = env.ASSETS as FetcherLike;

export type Fetcher = (request: Request) => Response | Promise<Response>;

/** A `request(method, path, options)` that sends a valid gateway key by default. */
export function requester(fetcher: Fetcher) {
  return async (method: string, path: string, options?: RequestOptions): Promise<ApiResponse> =>
    toApiResponse(await fetcher(gatewayRequest(GATEWAY_ORIGIN + path, method, WORKERD_TEST_BINDINGS.GATEWAY_API_KEYS.split(',')[0]!, options)));
}
