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
 * decoded bytes), behind fetch's signature: a `Response` comes back, decompressed as fetch would,
 * and marked as read whole (`answeredWhole`), so that core takes its bytes without a stream; its
 * own stream is built only if something reads the body through it (src/node/whole-response.ts).
 * Failures are thrown as fetch throws them (a `TypeError` whose `cause` is the socket's
 * error, or the signal's reason when it aborts).
 */
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { answeredWhole, BodyTooLargeError, MAX_UPSTREAM_BODY_BYTES } from '../upstream/response-body.ts';
import { UndiciAgent } from './undici-agent.ts';
import { wholeResponse } from './whole-response.ts';

export interface UpstreamFetch {
  fetch: typeof fetch;
  /** Closes the pool once its requests in flight are answered. */
  close(): Promise<void>;
  /** Closes the pool now, failing its requests in flight. */
  destroy(): Promise<void>;
}

/** What fetch asks for, and decodes. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

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
    const status = answer.statusCode;
    const body = NULL_BODY_STATUSES.has(status) ? null : (answer.body as Uint8Array<ArrayBuffer>);
    const answered = { status, headers: toHeaders(answer.headers) };
    return body === null ? new Response(null, answered) : answeredWhole(wholeResponse(body, answered), body);
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
  /** The body, decoded when it came in one coding that fetch decodes. */
  body: Buffer;
}

/**
 * One request through the agent's `dispatch`: the answer's status, headers and whole body. Past
 * `maxBytes`, on the wire or decoded, the request is aborted (its connection dropped) with core's
 * BodyTooLargeError, while it streams: a small compressed answer that inflates a thousandfold
 * costs the cap, never the whole download. The signal aborts it with its reason.
 */
function exchange(agent: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal | undefined, maxBytes: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let headers: Answer['headers'] = {};
    let wireBytes = 0;
    let body: BodyCollector = collectPlain();
    let request: Dispatcher.DispatchController | undefined;
    let settled = false;
    const onAbort = () => request?.abort(signal!.reason as Error);
    const settle = () => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    // Once: aborting the request calls back into onResponseError.
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      body.discard();
      reject(error instanceof BodyTooLargeError ? error : asFetchError(error, signal));
      request?.abort(error as Error);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        request = controller;
        if (!signal) return;
        if (signal.aborted) return controller.abort(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
      },
      onResponseStart(_controller, status, answerHeaders) {
        statusCode = status;
        headers = answerHeaders;
        const decoder = DECODERS[String(answerHeaders['content-encoding'] ?? '').trim().toLowerCase()];
        if (decoder) body = collectDecoded(decoder(), maxBytes, fail);
      },
      onResponseData(_controller, chunk) {
        wireBytes += chunk.byteLength;
        if (wireBytes > maxBytes) return fail(tooLarge(maxBytes));
        body.add(chunk);
      },
      onResponseEnd() {
        body.end().then((bytes) => {
          if (settled) return;
          settle();
          resolve({ statusCode, headers, body: bytes });
        }, fail);
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };
    try {
      agent.dispatch(options, handler);
    } catch (error) {
      fail(error);
    }
  });
}

/** Where an answer's chunks go as they arrive. */
interface BodyCollector {
  add(chunk: Buffer): void;
  /** The whole body, once the last chunk is in. */
  end(): Promise<Buffer>;
  discard(): void;
}

/** Chunks kept as they came (the wire count already caps them). */
function collectPlain(): BodyCollector {
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    add(chunk) {
      chunks.push(chunk);
      total += chunk.byteLength;
    },
    end: () => Promise.resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)),
    discard() {
      chunks.length = 0;
    },
  };
}

/** Chunks fed through a zlib decoder as they arrive, failing once the decoded bytes pass the cap. */
function collectDecoded(decoder: Transform, maxBytes: number, fail: (error: unknown) => void): BodyCollector {
  const chunks: Buffer[] = [];
  let total = 0;
  let fed = false;
  const done = new Promise<Buffer>((resolve, reject) => {
    decoder.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) return fail(tooLarge(maxBytes));
      chunks.push(chunk);
    });
    decoder.once('end', () => resolve(Buffer.concat(chunks, total)));
    decoder.once('error', reject);
  });
  // A failure while streaming is reported through `fail`; this keeps an unread rejection quiet.
  done.catch(fail);
  return {
    add(chunk) {
      fed ||= chunk.byteLength > 0;
      decoder.write(chunk);
    },
    end() {
      // An empty body (a 204, a HEAD) is no stream at all: zlib would call it truncated.
      if (!fed) {
        decoder.destroy();
        return Promise.resolve(Buffer.alloc(0));
      }
      decoder.end();
      return done;
    },
    discard() {
      chunks.length = 0;
      decoder.destroy();
    },
  };
}

function tooLarge(maxBytes: number): BodyTooLargeError {
  return new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`);
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
