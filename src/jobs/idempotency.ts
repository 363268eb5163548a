/**
 * `Idempotency-Key` on creates (DESIGN §6): the same key (per gateway key) with the same body within
 * 24 h is the same job, answered as the first create was, with `Idempotent-Replayed: true`, and no
 * second upstream create, also when the requests race (the store claims the key atomically). The
 * same key with another body is a 422; a key whose create is still in flight is waited for briefly,
 * then a 409 with `Retry-After`.
 */
import { GatewayError, invalidRequest, unsupported } from '../errors.ts';
import type { IdempotencyClaim } from './store/job-store.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const PRINTABLE_ASCII = /^[\x20-\x7e]{1,255}$/;

/** The header's key, if sent; 400 naming the header when it is not 1–255 printable ASCII characters. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!PRINTABLE_ASCII.test(header)) throw invalidRequest(`\`${IDEMPOTENCY_HEADER}\` must be 1 to 255 printable ASCII characters.`, IDEMPOTENCY_HEADER);
  return header;
}

/** The claim a create with this key makes: the digest of the body as a JSON value (key order and whitespace do not matter). */
export async function claimFor(key: string, body: unknown, now: number): Promise<IdempotencyClaim> {
  return { key, requestHash: await requestDigest(body), expiresAt: now + KEY_LIFETIME_MS };
}

/** SHA-256 (hex) of a body as a JSON value: the same for the same value however it was written. */
export async function requestDigest(body: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(body)));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted at every level: one text per JSON value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function keyReused(): GatewayError {
  return unsupported('idempotency_key_reused', `This \`${IDEMPOTENCY_HEADER}\` was used with a different body; use a new key for a new request.`, IDEMPOTENCY_HEADER);
}

export function keyInUse(): GatewayError {
  return new GatewayError({
    status: 409,
    code: 'idempotency_key_in_use',
    message: `A create with this \`${IDEMPOTENCY_HEADER}\` is still being submitted; retry after the indicated delay.`,
    param: IDEMPOTENCY_HEADER,
    retryAfterMs: 1_000,
    retryable: true,
  });
}
