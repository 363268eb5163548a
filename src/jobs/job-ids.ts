/**
 * Job ids: `job_`, the creation time (10 base-32 digits of milliseconds), then 27 base64url
 * characters of 160 random bits. The id is only the store's key and carries nothing a client may
 * rely on; the random part alone keeps it from being guessed, with as many bits as before the time
 * was added.
 *
 * Why the time comes first: ids made close together sort close together, so a create adds to the
 * end of the id index (and of the ledger's (account, job) index) instead of to a random page of it.
 * With random ids every create dirtied, and wrote to the log at commit, one more index page per
 * index. 50 bits of milliseconds last until the year 37648.
 */
import { toBase64Url } from '../security/bytes.ts';
import { randomBytes } from '../security/random-pool.ts';

const RANDOM_BYTES = 20;
const JOB_ID = /^job_[A-Za-z0-9_-]{1,60}$/;
/** Base 32 digits (0-9, a-v) are in ASCII order, so that ids compare as their times do (base64url's are not). */
const TIME_DIGITS = 10;
const LATEST = 32 ** TIME_DIGITS - 1;

/** A new id for a job created at `now` (milliseconds since the epoch). */
export function newJobId(now: number): string {
  const time = Math.min(Math.max(Math.floor(now), 0), LATEST);
  return `job_${time.toString(32).padStart(TIME_DIGITS, '0')}${toBase64Url(randomBytes(RANDOM_BYTES))}`;
}

/** Whether a string could be a job id at all (anything else is a 404 without a store lookup). */
export function looksLikeJobId(id: string): boolean {
  return JOB_ID.test(id);
}
