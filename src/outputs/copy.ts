/**
 * Copying one provider video into the output store, streaming: the response body flows through a
 * meter (size cap, stall guard, SHA-256) straight into the store's write, so memory stays at a few
 * chunks whatever the size. The URL is held to the URL rules again before it is fetched, redirects
 * are refused (a result URL is final; one that redirects could lead anywhere), and the bytes must
 * be a video: a `video/*` type, or a generic type whose first bytes are a video container.
 *
 * A failure is either final (the same URL will never give a copy: too large, not a video, a
 * redirect, an unsafe URL) or worth retrying (network, 5xx, a stall, a store write that failed).
 */
import { concatBytes } from '../security/bytes.ts';
import { checkUrl, type UrlRules } from '../security/url-rules.ts';
import type { OutputStore } from './output-store.ts';
import type { Sha256Factory } from './sha256.ts';
import { isGenericType, mediaTypeOf, SNIFF_BYTES, sniffVideoType } from './sniff.ts';

export interface CopyDeps {
  store: OutputStore;
  sha256: Sha256Factory;
  /** A fetch that only connects to addresses the URL rules allow (checked at connect time on Node). */
  fetch: typeof fetch;
}

export interface CopyLimits {
  maxBytes: number;
  /** How long the provider may take to send headers. */
  headersTimeoutMs?: number;
  /** How long the body may go without a byte before the copy is abandoned. */
  stallMs?: number;
}

export interface CopiedObject {
  bytes: number;
  sha256: string;
  contentType: string;
}

/** Why a copy did not happen; `final` when trying the same URL again cannot help. */
export class CopyFailure extends Error {
  override name = 'CopyFailure';
  readonly final: boolean;
  constructor(message: string, final: boolean) {
    super(message);
    this.final = final;
  }
}

const HEADERS_TIMEOUT_MS = 30_000;
const STALL_MS = 60_000;

export async function copyVideo(deps: CopyDeps, key: string, url: string, rules: UrlRules, limits: CopyLimits): Promise<CopiedObject> {
  const checked = checkUrl(url, rules);
  if (!checked.ok) throw new CopyFailure(`The result URL breaks the URL rules (${checked.reason}); it is not fetched.`, true);
  const response = await fetchHeaders(deps.fetch, url, limits.headersTimeoutMs ?? HEADERS_TIMEOUT_MS);
  const reader = response.body!.getReader();
  try {
    const declared = declaredLength(response, limits.maxBytes);
    const head = await readHead(reader, limits.stallMs ?? STALL_MS);
    const contentType = videoTypeOf(response, head.bytes);
    const hash = deps.sha256();
    const metered = meter(head, { maxBytes: limits.maxBytes, stallMs: limits.stallMs ?? STALL_MS }, hash);
    const written = await deps.store.put(key, metered.stream, { contentType, ...(declared !== undefined ? { bytes: declared } : {}) });
    if (metered.failure()) throw metered.failure();
    return { bytes: written.bytes, sha256: await hash.digest(), contentType };
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error instanceof CopyFailure ? error : new CopyFailure(`Writing the copy failed: ${messageOf(error)}`, false);
  }
}

async function fetchHeaders(fetcher: typeof fetch, url: string, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetcher(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'video/*, application/octet-stream;q=0.5' } });
  } catch (error) {
    throw new CopyFailure(`Fetching the video failed: ${messageOf(error)}`, false);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new CopyFailure(`The result URL redirects (HTTP ${response.status}); redirects are not followed.`, true);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new CopyFailure(`Fetching the video answered HTTP ${response.status}.`, false);
  }
  return response;
}

/** The declared length, refused at once when over the cap. */
function declaredLength(response: Response, maxBytes: number): number | undefined {
  const header = response.headers.get('content-length');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const length = Number(header.trim());
  if (length > maxBytes) throw tooLarge(maxBytes, length);
  return length;
}

function tooLarge(maxBytes: number, length?: number): CopyFailure {
  const size = length === undefined ? 'more than that' : `${length} bytes`;
  return new CopyFailure(`The video is larger than MAX_OUTPUT_BYTES (${maxBytes} bytes): ${size}. It was not copied.`, true);
}

function videoTypeOf(response: Response, head: Uint8Array): string {
  const declared = mediaTypeOf(response.headers.get('content-type'));
  if (declared?.startsWith('video/')) return declared;
  const sniffed = isGenericType(declared) ? sniffVideoType(head) : undefined;
  if (sniffed) return sniffed;
  throw new CopyFailure(`The result is not a video (Content-Type ${declared ?? 'missing'}${isGenericType(declared) ? ', and its first bytes are no video container' : ''}).`, true);
}

interface Head {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  /** The first chunks, joined: at least {@link SNIFF_BYTES} unless the body is shorter. */
  bytes: Uint8Array;
  done: boolean;
}

/** Reads just enough of the body to sniff its type. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>, stallMs: number): Promise<Head> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const { done, value } = await readWithin(reader, stallMs);
    if (done) return { reader, bytes: concatBytes(chunks, length), done: true };
    chunks.push(value);
    length += value.byteLength;
  }
  return { reader, bytes: concatBytes(chunks, length), done: false };
}

interface Metered {
  stream: ReadableStream<Uint8Array>;
  /** What stopped the body, if the meter did (the store sees only a failed stream). */
  failure(): CopyFailure | undefined;
}

/** The body (head first) as a stream that hashes, counts and enforces the cap and the stall guard. */
function meter(head: Head, limits: { maxBytes: number; stallMs: number }, hash: ReturnType<Sha256Factory>): Metered {
  let failure: CopyFailure | undefined;
  let total = 0;
  let pendingHead: Uint8Array | undefined = head.bytes.byteLength > 0 ? head.bytes : undefined;
  let finished = head.done;
  const accept = (chunk: Uint8Array, controller: ReadableStreamDefaultController<Uint8Array>) => {
    total += chunk.byteLength;
    if (total > limits.maxBytes) throw (failure = tooLarge(limits.maxBytes));
    hash.update(chunk);
    controller.enqueue(chunk);
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pendingHead) {
          const chunk = pendingHead;
          pendingHead = undefined;
          return accept(chunk, controller);
        }
        if (finished) return controller.close();
        const { done, value } = await readWithin(head.reader, limits.stallMs);
        if (done) {
          finished = true;
          return controller.close();
        }
        accept(value, controller);
      } catch (error) {
        failure ??= error instanceof CopyFailure ? error : new CopyFailure(`Reading the video failed: ${messageOf(error)}`, false);
        await head.reader.cancel().catch(() => undefined);
        controller.error(failure);
      }
    },
    async cancel(reason) {
      await head.reader.cancel(reason).catch(() => undefined);
    },
  });
  return { stream, failure: () => failure };
}

/** One read, abandoned (as a retryable failure) when nothing arrives for `stallMs`. */
async function readWithin(reader: ReadableStreamDefaultReader<Uint8Array>, stallMs: number): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CopyFailure(`The provider sent nothing for ${Math.round(stallMs / 1000)} s; the copy was abandoned.`, false)), stallMs);
  });
  try {
    return await Promise.race([reader.read(), stalled]);
  } catch (error) {
    throw error instanceof CopyFailure ? error : new CopyFailure(`Reading the video failed: ${messageOf(error)}`, false);
  } finally {
    clearTimeout(timer);
  }
}


function messageOf(error: unknown): string {
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
  return String(error);
}
