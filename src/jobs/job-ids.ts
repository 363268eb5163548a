/**
 * Job ids: `job_` and 27 base64url characters of 160 random bits. Short enough for any URL or
 * column, random enough never to be guessed; the id is only the store's key and carries nothing.
 */
import { toBase64Url } from '../security/bytes.ts';
import { randomBytes } from '../security/random-pool.ts';

const RANDOM_BYTES = 20;
const JOB_ID = /^job_[A-Za-z0-9_-]{1,60}$/;

export function newJobId(): string {
  return `job_${toBase64Url(randomBytes(RANDOM_BYTES))}`;
}

/** Whether a string could be a job id at all (anything else is a 404 without a store lookup). */
export function looksLikeJobId(id: string): boolean {
  return JOB_ID.test(id);
}
