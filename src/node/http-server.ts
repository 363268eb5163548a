/**
 * The gateway's HTTP server on Node: @hono/node-server's request listener on a `node:http` server,
 * with every answer Node or the adapter would give on its own replaced by the error envelope
 * (refusals.ts), listening with errors a person can act on, and a graceful close.
 *
 * Not the adapter's `serve()`: it passes no `errorHandler` to the listener, which is why a path
 * with a raw backslash got the adapter's bare 400.
 */
import { getRequestListener } from '@hono/node-server';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NODE_MAX_HEADER_BYTES } from '../http/limits.ts';
import type { GatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { UNMATCHED_ROUTE, type GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { adapterErrorResponse, clientErrorListener, expectationFailed, lacksRequiredHost, missingHost, refuseRequest } from './refusals.ts';

/** What the server needs besides the app's fetch handler. */
export interface GatewayServerOptions {
  /** The host a request without `Host` (HTTP/1.0) is taken to be for. */
  hostname: string;
  log: Logger;
  /**
   * The app's metrics: a request refused here is counted under the route `unmatched`, as it is in the
   * log (`route: null`). What the HTTP parser rejects never became a request, and is not counted.
   */
  metrics: Pick<GatewayMetrics, 'httpRequest'>;
}

/** The server, not yet listening. */
export function createGatewayServer(fetch: (request: Request) => Response | Promise<Response>, options: GatewayServerOptions): Server {
  const { log, metrics } = options;
  const adapterError = (error: unknown) => {
    const response = adapterErrorResponse(error, log);
    metrics.httpRequest(UNMATCHED_ROUTE, response.status);
    return response;
  };
  const refuse = (request: IncomingMessage, response: ServerResponse, refusal: GatewayError) => {
    refuseRequest(request, response, refusal, log);
    metrics.httpRequest(UNMATCHED_ROUTE, refusal.status);
  };
  const listener = getRequestListener(fetch, { hostname: options.hostname, errorHandler: adapterError });
  // Node's own Host check answers a bare 400, so it is off and the same check is made here.
  const server = createServer({ maxHeaderSize: NODE_MAX_HEADER_BYTES, requireHostHeader: false }, (request, response) => {
    if (lacksRequiredHost(request)) return refuse(request, response, missingHost());
    void listener(request, response);
  });
  server.on('clientError', clientErrorListener(log));
  server.on('checkExpectation', (request, response) => refuse(request, response, expectationFailed(request)));
  return server;
}

/** Listening failed: the address is taken, not allowed or not on this machine. */
export class ListenError extends Error {
  override name = 'ListenError';
  /** The system error code: `EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, `ENOTFOUND`, … */
  readonly code: string;
  readonly hostname: string;
  readonly port: number;

  constructor(code: string, hostname: string, port: number, cause: unknown) {
    super(`cannot listen on ${hostname}:${port} (${code})`, { cause });
    this.code = code;
    this.hostname = hostname;
    this.port = port;
  }
}

/** Starts listening; rejects with a {@link ListenError} instead of crashing on the server's 'error'. */
export function listenOn(server: Server, port: number, hostname: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(new ListenError(error.code ?? 'error', hostname, port, error));
    server.once('error', onError);
    server.listen(port, hostname, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

export interface DrainResult {
  /** Connections still busy at the deadline, which were cut. */
  cut: number;
}

/**
 * Closes gracefully: stops accepting, lets requests in flight finish for up to `graceMs`, then
 * cuts what is left. Resolves once every connection is closed.
 */
export async function drainServer(server: Server, graceMs: number): Promise<DrainResult> {
  if (!server.listening) return { cut: 0 };
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // close() drops the idle keep-alive connections once; a connection whose request finishes
  // later would otherwise stay open for its keep-alive timeout.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), graceMs)));
  const outcome = await Promise.race([closed.then(() => 'closed' as const), deadline]);
  clearInterval(sweep);
  clearTimeout(timer);
  if (outcome === 'closed') return { cut: 0 };
  const cut = await openConnections(server);
  server.closeAllConnections();
  await closed;
  return { cut };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
}
