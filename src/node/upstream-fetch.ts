/**
 * Upstream HTTP on Node: undici's fetch over one keep-alive pool, so polls reuse warm TLS
 * connections instead of paying a handshake each time. (undici 8's agents must go with undici's
 * own fetch; Node's global fetch rejects them.)
 */
import { Agent, fetch as undiciFetch } from 'undici';

export interface UpstreamFetch {
  fetch: typeof fetch;
  /** Closes the pool once its requests in flight are answered. */
  close(): Promise<void>;
  /** Closes the pool now, failing its requests in flight. */
  destroy(): Promise<void>;
}

export function createUpstreamFetch(): UpstreamFetch {
  const agent = new Agent({
    connections: 128,
    keepAliveTimeout: 30_000,
    connect: { timeout: 5_000 },
    // Whole-request deadlines are enforced per call by core (AbortSignal); these are backstops.
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  const upstreamFetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  return { fetch: upstreamFetch, close: () => agent.close(), destroy: () => agent.destroy() };
}
