/**
 * Upstream HTTP on Node: the provider calls core makes (`fetch(url, init)`, small JSON both ways)
 * over one undici keep-alive pool, so polls reuse warm TLS connections instead of paying a
 * handshake each time.
 *
 * Not undici's WHATWG `fetch`: its request and response streams, header guards and redirect
 * machinery cost several times the call itself on a poll (profiled: about 150 µs of CPU against
 * 40 µs for `Agent.request`). Core needs none of it: answers are a few hundred bytes, read whole, and
 * a redirect is never followed. So this is `Agent.request` behind fetch's signature: the answer is
 * read here (decompressed as fetch would, the cap counting decoded bytes) into an ordinary
 * `Response`; failures are thrown as fetch throws them (a `TypeError` whose `cause` is the socket's
 * error, or the signal's reason when it aborts).
 */
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, type Dispatcher } from 'undici';
import { BodyTooLargeError, MAX_UPSTREAM_BODY_BYTES } from '../upstream/response-body.ts';

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
  const agent = new Agent({
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
    let answer: Dispatcher.ResponseData;
    try {
      answer = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: { 'accept-encoding': ACCEPT_ENCODING, ...(init.headers as Record<string, string> | undefined) },
        body: requestBody(init.body),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw asFetchError(error, signal);
    }
    const bytes = await readCapped(decoded(answer), maxBodyBytes, signal);
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

/** The body as sent, or decompressed when it came in one coding that fetch decodes. */
function decoded(answer: Dispatcher.ResponseData): Readable {
  const coding = String(answer.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = DECODERS[coding];
  if (!decoder) return answer.body;
  const decoding = decoder();
  // Dropping the decoded stream (past the cap) drops the connection's too.
  answer.body.on('error', (error) => decoding.destroy(error));
  decoding.on('close', () => answer.body.destroy());
  return answer.body.pipe(decoding);
}

/** The body's bytes; past `maxBytes` (decoded) the answer is dropped (the connection with it) and core's BodyTooLargeError thrown. */
async function readCapped(body: Readable, maxBytes: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        body.destroy();
        throw new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw error;
    throw asFetchError(error, signal);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/** What `fetch` would have thrown: the abort reason when the signal fired, else `TypeError('fetch failed')` with the cause. */
function asFetchError(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

function toHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}
