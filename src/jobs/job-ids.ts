/**
 * Job ids: `job_`, the creation time (8 characters), then 27 base64url characters of 160 random
 * bits. The id is only the store's key and carries nothing a client may rely on; the random part
 * alone keeps it from being guessed, with as many bits as before the time was added.
 *
 * Why the time comes first: ids made close together sort close together, so a create adds to the
 * end of the id index (and of the ledger's (account, job) index) instead of to a random page of it.
 * With random ids every create dirtied, and wrote to the log at commit, one more index page per
 * index. The time is in an alphabet in ASCII order, so that ids compare as their times do (the
 * base64url alphabet's order is not ASCII's). 48 bits of milliseconds last until the year 10889.
 */
import { toBase64Url } from '../security/bytes.ts';
import { randomBytes } from '../security/random-pool.ts';

const RANDOM_BYTES = 20;
const JOB_ID = /^job_[A-Za-z0-9_-]{1,60}$/;
/** The 64 URL-safe characters in ASCII order. */
const SORTED_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const TIME_CHARACTERS = 8;

/** A new id for a job created at `now` (milliseconds since the epoch). */
export function newJobId(now: number): string {
  return `job_${timePrefix(now)}${toBase64Url(randomBytes(RANDOM_BYTES))}`;
}

/** `ms` as 8 characters of 6 bits each, most significant first (clamped to 0 … 2^48 - 1). */
function timePrefix(ms: number): string {
  let rest = Math.min(Math.max(Math.floor(ms), 0), 2 ** 48 - 1);
  let text = '';
  for (let index = 0; index < TIME_CHARACTERS; index++) {
    text = SORTED_ALPHABET[rest % 64]! + text;
    rest = Math.floor(rest / 64);
  }
  return text;
}

/** Whether a string could be a job id at all (anything else is a 404 without a store lookup). */
export function looksLikeJobId(id: string): boolean {
  return JOB_ID.test(id);
}
