/**
 * Upstream HTTP on Node: the provider calls core makes (`fetch(url, init)`, small JSON both ways)
 * over one undici keep-alive pool, so polls reuse warm TLS connections instead of paying a
 * handshake each time.
 *
 * Not undici's WHATWG `fetch`: its request and response streams, header guards and redirect
 * machinery cost several times the call itself on a poll (profiled: about 150 µs of CPU against
 * 40 µs for `Agent.request`). Core needs none of it: answers are a few hundred bytes, read whole, and
 * a redirect is never followed. Nor `Agent.request`, which wraps every answer in a `Readable`: this
 * is the agent's own `dispatch`, its chunks collected into one buffer (the cap counts them, and the
 * decoded bytes), behind fetch's signature: an ordinary `Response` comes back, decompressed as
 * fetch would, and failures are thrown as fetch throws them (a `TypeError` whose `cause` is the
 * socket's error, or the signal's reason when it aborts).
 */
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { BodyTooLargeError, MAX_UPSTREAM_BODY_BYTES } from '../upstream/response-body.ts';
import { UndiciAgent } from './undici-agent.ts';

export interface UpstreamFetch {
  fetch: typeof fetch;
  /** Closes the pool once its requests in flight are answered. */
  close(): Promise<void>;
  /** Closes the pool now, failing its requests in flight. */
  destroy(): Promise<void>;
}

/** What fetch asks for, and decodes. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const DECODERS: Record<string, (bytes: Buffer, options: ZlibOptions) => Buffer> = { gzip: gunzipSync, 'x-gzip': gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/** Statuses whose answer has no body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function createUpstreamFetch(maxBodyBytes = MAX_UPSTREAM_BODY_BYTES): UpstreamFetch {
  const agent = new UndiciAgent({
    connections: 128,
    keepAliveTimeout: 30_000,
    connect: { timeout: 5_000 },
    // Whole-request deadlines are enforced per call by core (AbortSignal); these are backstops.
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  const upstreamFetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(input);
    const signal = init.signal ?? undefined;
    const answer = await exchange(agent, {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: { 'accept-encoding': ACCEPT_ENCODING, ...(init.headers as Record<string, string> | undefined) },
      body: requestBody(init.body),
    }, signal, maxBodyBytes);
    const bytes = decoded(answer, maxBodyBytes, signal);
    const status = answer.statusCode;
    return new Response(NULL_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>), { status, headers: toHeaders(answer.headers) });
  }) as unknown as typeof fetch;
  return { fetch: upstreamFetch, close: () => agent.close(), destroy: () => agent.destroy() };
}

function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('the upstream fetch sends only string and byte bodies');
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it came, before any decoding. */
  body: Buffer;
}

/**
 * One request through the agent's `dispatch`: the answer's status, headers and whole body. Past
 * `maxBytes` the request is aborted (its connection dropped) with core's BodyTooLargeError; the
 * signal aborts it with its reason.
 */
function exchange(agent: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal | undefined, maxBytes: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let statusCode = 0;
    let headers: Answer['headers'] = {};
    let onAbort: (() => void) | undefined;
    const settle = () => onAbort && signal!.removeEventListener('abort', onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        if (!signal) return;
        if (signal.aborted) return controller.abort(signal.reason as Error);
        onAbort = () => controller.abort(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
      },
      onResponseStart(_controller, status, answerHeaders) {
        statusCode = status;
        headers = answerHeaders;
      },
      onResponseData(controller, chunk) {
        total += chunk.byteLength;
        if (total > maxBytes) return controller.abort(new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`));
        chunks.push(chunk);
      },
      onResponseEnd() {
        settle();
        resolve({ statusCode, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
      },
      onResponseError(_controller, error) {
        settle();
        reject(error instanceof BodyTooLargeError ? error : asFetchError(error, signal));
      },
    };
    try {
      agent.dispatch(options, handler);
    } catch (error) {
      settle();
      reject(asFetchError(error, signal));
    }
  });
}

/** The body as sent, or decompressed when it came in one coding that fetch decodes (never past `maxBytes` decoded). */
function decoded(answer: Answer, maxBytes: number, signal: AbortSignal | undefined): Buffer {
  const coding = String(answer.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decode = DECODERS[coding];
  if (!decode || answer.body.byteLength === 0) return answer.body;
  try {
    return decode(answer.body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`);
    throw asFetchError(error, signal);
  }
}

/** What `fetch` would have thrown: the abort reason when the signal fired, else `TypeError('fetch failed')` with the cause. */
function asFetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

/** The answer's headers as pairs, which the `Response` takes into its own `Headers` (building one here would be copied again). */
function toHeaders(raw: Answer['headers']): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) pairs.push([name, item]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}
