/**
 * Signed video links (DESIGN §6 "Outputs"): `<origin>/outputs/<job>/<index>?expires=<unix s>&signature=<mac>`,
 * the MAC an HMAC-SHA-256 over job, index and expiry under a key derived from `JOB_ID_SECRET`, so
 * a link works on every instance and after restarts, without the Authorization header (a
 * `<video>` tag cannot send one). Every render signs a new link, valid for `OUTPUT_URL_TTL`.
 *
 * Signing is synchronous (a small pure SHA-256, src/security/sha256.ts, not WebCrypto's promise API) because jobs are
 * rendered synchronously everywhere: answers, event streams, webhook payloads written with the
 * change they report.
 */
import { hmacSha256 } from '../security/sha256.ts';
import { sameText } from '../security/same-text.ts';
import { toBase64Url } from '../security/bytes.ts';

/** What a render needs to sign links: where the gateway is reached, and when "now" is. */
export interface LinkSigner {
  /** The signed link of a job's `index`-th video. */
  sign(jobId: string, index: number): string;
  /** What the links depend on besides job and index (origin and expiry): signers of one secret with equal keys sign equal links. */
  readonly key: string;
}

export interface LinkSettings {
  /** The absolute origin links point at (`PUBLIC_URL`, else the request's), without a trailing slash. */
  origin: string;
  /** The first `JOB_ID_SECRET`: new links are signed with it. */
  secret: string;
  ttlSeconds: number;
  now: number;
}

const encoder = new TextEncoder();

/** Derived keys, one per secret: the link key is not the secret job ids and wake-up paths are keyed with. */
const derivedKeys = new Map<string, Uint8Array>();

function linkKey(secret: string): Uint8Array {
  let key = derivedKeys.get(secret);
  if (!key) derivedKeys.set(secret, (key = hmacSha256(encoder.encode(secret), encoder.encode('vidgate output links v1'))));
  return key;
}

/**
 * Signatures made lately. A job's link changes only once a second (its expiry is in whole
 * seconds), while every poll of a finished job renders it again: most renders find theirs here.
 * Cleared when full, which costs only a re-sign.
 */
const recent = new Map<string, string>();
const RECENT_SIGNATURES = 10_000;

function signature(secret: string, jobId: string, index: number, expires: number): string {
  const message = `${jobId}/${index}/${expires}`;
  const key = `${secret.length}:${secret}:${message}`;
  const known = recent.get(key);
  if (known !== undefined) return known;
  const mac = hmacSha256(linkKey(secret), encoder.encode(message));
  const signed = toBase64Url(mac);
  if (recent.size >= RECENT_SIGNATURES) recent.clear();
  recent.set(key, signed);
  return signed;
}

export function linkSigner(settings: LinkSettings): LinkSigner {
  const expires = Math.floor(settings.now / 1000) + settings.ttlSeconds;
  return {
    key: `${expires} ${settings.origin}`,
    sign: (jobId, index) =>
      `${settings.origin}/outputs/${jobId}/${index}?expires=${expires}&signature=${signature(settings.secret, jobId, index, expires)}`,
  };
}

export type LinkCheck = 'valid' | 'invalid' | 'expired';

/**
 * Whether a link's query is a signature of this job and index by any listed secret (so rotating
 * `JOB_ID_SECRET` keeps links signed before alive until they expire). A valid signature whose
 * time has passed is `expired`; anything malformed or forged is `invalid`.
 */
export function checkLink(secrets: readonly string[], jobId: string, index: number, expires: string | undefined, given: string | undefined, now: number): LinkCheck {
  if (!expires || !given || !/^\d{1,12}$/.test(expires)) return 'invalid';
  const at = Number(expires);
  const signed = secrets.some((secret) => sameText(signature(secret, jobId, index, at), given));
  if (!signed) return 'invalid';
  return at * 1000 <= now ? 'expired' : 'valid';
}
