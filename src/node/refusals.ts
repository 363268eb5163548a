/**
 * Requests refused on Node before the app runs, answered with the same error envelope as the app:
 *
 * - requests @hono/node-server cannot turn into a `Request` (a raw backslash in the path, a bad
 *   `Host`, a target that is not a path): its own answer is a bare `400`;
 * - an HTTP/1.1 request without `Host`, and an `Expect` other than `100-continue`: Node's own
 *   answers are a bare `400` and `417`;
 * - what Node's HTTP parser rejects (`clientError`): an oversized request line or headers, a
 *   malformed request, a timeout. Node's own answers are bare `431`, `400` and `408`.
 *
 * The first two kinds were parsed, so they get a request id and a log line like any request; a
 * parser error happens before there is a request, so it has neither.
 */
import { RequestError } from '@hono/node-server';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, GatewayError, internalError, invalidRequest } from '../errors.ts';
import { NODE_MAX_HEADER_BYTES } from '../http/limits.ts';
import { newRequestId } from '../http/request-id.ts';
import type { Logger } from '../logger.ts';

/** How long a refused connection may stay open for the client to read the answer. */
const LINGER_MS = 2_000;

/** The answer to a request @hono/node-server could not build (its `errorHandler`). */
export function adapterErrorResponse(error: unknown, log: Logger): Response {
  const refusal = error instanceof RequestError ? invalidRequest(describeRequestError(error)) : internalError(error);
  const requestId = newRequestId();
  if (!(error instanceof RequestError)) log('error', { request_id: requestId, message: String(error) });
  log('request', { request_id: requestId, route: null, status: refusal.status, error: refusal.code });
  return Response.json(errorBody(refusal, requestId), { status: refusal.status, headers: { 'X-Request-Id': requestId } });
}

/** The adapter's reasons, in the gateway's words (its messages are terse and may change). */
function describeRequestError(error: RequestError): string {
  if (/backslash/i.test(error.message)) return 'The request path contains a raw backslash; percent-encode it as %5C.';
  if (/missing host/i.test(error.message)) return 'The request has no Host header.';
  if (/host/i.test(error.message)) return 'The Host header is not a valid host.';
  // The adapter says "Invalid URL" for a path that does not start with `/` and for a bad Host alike.
  return "The request's path or Host header is not valid.";
}

/** An HTTP/1.1 request must name its host (RFC 9112); Node's own check answers a bare 400. */
export function lacksRequiredHost(request: IncomingMessage): boolean {
  return request.httpVersion === '1.1' && request.headers.host === undefined;
}

/** Answers a parsed request that the gateway refuses before the app (no `Host`, a bad `Expect`). */
export function refuseRequest(request: IncomingMessage, response: ServerResponse, refusal: GatewayError, log: Logger): void {
  const requestId = newRequestId();
  const body = JSON.stringify(errorBody(refusal, requestId));
  response.writeHead(refusal.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Request-Id': requestId });
  response.end(body);
  log('request', { request_id: requestId, method: request.method, route: null, status: refusal.status, error: refusal.code });
}

/** 400 for an HTTP/1.1 request without `Host` (an HTTP/1.0 one is taken to be for the listening host). */
export function missingHost(): GatewayError {
  return invalidRequest('HTTP/1.1 requests need a Host header.');
}

/** Node answers `Expect: 100-continue` itself; any other expectation cannot be met. */
export function expectationFailed(request: IncomingMessage): GatewayError {
  return new GatewayError({ status: 417, code: 'expectation_failed', message: `The gateway cannot meet \`Expect: ${request.headers.expect ?? ''}\`; only 100-continue is supported.` });
}

/** What a parser error is answered with; `undefined`: the client is gone, so nothing is written. */
export function clientErrorRefusal(error: NodeJS.ErrnoException & { reason?: string }): GatewayError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError({ status: 431, code: 'request_header_too_large', message: `The request line and headers are larger than ${NODE_MAX_HEADER_BYTES} bytes.` });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError({ status: 408, code: 'request_timeout', message: 'The request did not arrive in time.' });
    default: {
      // Everything else the parser rejects (HPE_INVALID_METHOD, HPE_INVALID_URL, HPE_INVALID_HEADER_TOKEN, …).
      const reason = error.reason ? `${error.code}: ${error.reason}` : (error.code ?? 'unknown');
      return new GatewayError({ status: 400, code: 'bad_request', message: `The request is not valid HTTP/1.1 (${reason}).` });
    }
  }
}

/** A complete HTTP/1.1 response carrying the envelope, for a socket that has no `ServerResponse`. */
export function rawResponse(refusal: GatewayError): string {
  const body = JSON.stringify(errorBody(refusal, undefined));
  return [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * The server's `clientError` listener. Like Node's default, it writes only when nothing of a
 * response is on the wire yet (a pipelined request may be mid-answer), and always closes.
 */
export function clientErrorListener(log: Logger) {
  return (error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex): void => {
    const refusal = clientErrorRefusal(error);
    if (!refusal || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    log('client_error', { status: refusal.status, error: refusal.code, reason: error.code });
    // end() rather than destroy(): closing with unread bytes in the kernel's buffer (the rest of an
    // oversized header) would reset the connection before the client reads the answer.
    socket.end(rawResponse(refusal));
    const linger = setTimeout(() => socket.destroy(), LINGER_MS);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  };
}

/** Whether the response in progress on this connection has already sent its headers. */
function responseStarted(socket: Duplex): boolean {
  // Node's own clientError default checks the same internal field.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return Boolean(inFlight?.headersSent);
}
