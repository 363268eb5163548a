/**
 * Reading what a provider answered, defensively: the body is read as a stream and abandoned as
 * soon as its decoded size passes the cap (a small compressed answer can inflate to gigabytes), and
 * every string in it has the provider key blanked out before anything else sees it (providers echo
 * what they were sent, and whatever they said may reach a client or a log).
 */

import { concatBytes } from '../security/bytes.ts';

/** Upstream answers are abandoned past this many decoded bytes (a job object is a few hundred). */
export const MAX_UPSTREAM_BODY_BYTES = 2 * 1024 * 1024;

/** What a provider key is replaced with. */
export const REDACTED = '[redacted]';

/** The body exceeded the cap; the stream was cancelled. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Answers whose body the runtime's upstream fetch has already read whole (decoded, within its own
 * cap): on Node the answer is collected as it arrives (src/node/upstream-fetch.ts), so reading it
 * again through the `Response` would only build a stream over bytes already in hand (profiled: a
 * real `Response` and its stream were most of what reading an answer cost).
 */
const wholeBodies = new WeakMap<Response, Uint8Array>();

/** Marks `response` as holding `bytes`, read whole: {@link readBodyCapped} hands them out as they are. */
export function answeredWhole(response: Response, bytes: Uint8Array): Response {
  wholeBodies.set(response, bytes);
  return response;
}

/** The body's bytes; read chunk by chunk unless its length is declared, it stops and cancels past `maxBytes` (decoded). */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
  const whole = wholeBodies.get(response);
  if (whole) {
    if (whole.byteLength > maxBytes) throw new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`);
    return whole;
  }
  const length = response.headers.get('content-length');
  // A declared length counts only for a body sent as it is: a compressed one may inflate past it.
  const declared = length === null || response.headers.get('content-encoding') ? Number.NaN : Number(length);
  if (!response.body) return new Uint8Array();
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new BodyTooLargeError(`the body declares ${declared} bytes`);
  }
  // A declared length within the cap: HTTP holds the body to it, so it is read whole (cheaper than
  // chunk by chunk through a reader, on both runtimes).
  if (Number.isFinite(declared)) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(`the body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}


/** Replaces every occurrence of the secrets (as sent, and percent-encoded) in a string. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const needles = [...new Set(secrets.filter((secret) => secret.length > 0).flatMap((secret) => [secret, encodeURIComponent(secret)]))];
  if (needles.length === 0) return (text) => text;
  return (text) => needles.reduce((current, needle) => (current.includes(needle) ? current.split(needle).join(REDACTED) : current), text);
}

/** A JSON value with every string (keys included) passed through `redact`. */
export function redactDeep(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, so a `__proto__` key stays an ordinary key instead of replacing the prototype.
    Object.defineProperty(result, redact(key), { value: redactDeep(item, redact), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * The headers with every value redacted: the same object when no value holds a secret (almost
 * always, and a copy of a `Headers` cost more than the rest of reading a poll's answer), else a
 * copy with the secrets blanked.
 */
export function redactHeaders(headers: Headers, redact: (text: string) => string): Headers {
  let clean = true;
  headers.forEach((value) => {
    clean &&= redact(value) === value;
  });
  if (clean) return headers;
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, redact(value)));
  return copy;
}
