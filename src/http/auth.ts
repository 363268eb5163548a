/**
 * Bearer authentication against `GATEWAY_API_KEYS`. Keys are compared as SHA-256 digests in
 * constant time, so response timing reveals nothing about how much of a guess was right. The
 * digest (hex) becomes the request's `owner`: jobs belong to it, and it is all the store keeps of a key.
 */
import type { MiddlewareHandler } from 'hono';
import { unauthorized } from '../errors.ts';

/** How many recently accepted keys skip the digest (a gateway has a handful of keys). */
const ACCEPTED_CACHE_SIZE = 256;

export function bearerAuth(apiKeys: readonly string[]): MiddlewareHandler<{ Variables: { owner: string } }> {
  const expected = Promise.all(apiKeys.map(digest));
  // Keys that matched before, with their owner digest: hashing every request's key is the largest
  // single cost of a poll answered from the store. Only accepted keys are remembered.
  const accepted = new Map<string, string>();
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw unauthorized('missing_api_key');
    c.set('owner', accepted.get(token) ?? (await verify(token, await expected, accepted)));
    await next();
  };
}

async function verify(token: string, expected: readonly Uint8Array[], accepted: Map<string, string>): Promise<string> {
  const presented = await digest(token);
  let matched = false;
  for (const key of expected) matched = equalBytes(key, presented) || matched;
  if (!matched) throw unauthorized('invalid_api_key');
  const owner = toHex(presented);
  if (accepted.size >= ACCEPTED_CACHE_SIZE) accepted.clear();
  accepted.set(token, owner);
  return owner;
}

/** The token of an `Authorization: Bearer <token>` header; `undefined` for any other header, or none. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() || undefined;
}

/** SHA-256 of the text's UTF-8 bytes: secrets are compared as digests, so their lengths do not show either. */
export async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The owner digest of a gateway key, as the store keeps it. */
export async function ownerOf(apiKey: string): Promise<string> {
  return toHex(await digest(apiKey));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Equal bytes, compared without an early exit. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ (b[i] ?? 0);
  return difference === 0;
}
