/**
 * Job ids are self-contained: the job's routing facts (provider, provider model, operation handle)
 * and what it was created with (input, warnings, metadata) travel inside the id, sealed with
 * AES-256-GCM under a key derived from `JOB_ID_SECRET` (see id-cipher.ts). Any instance with the
 * secret can serve any job after any restart, with no database; GCM's tag makes ids unforgeable
 * (a tampered or foreign id fails to open and is a 404) and encryption keeps them opaque.
 *
 * `JOB_ID_SECRET` may list several secrets, comma separated: the first seals new ids, all open
 * them, so a secret can be rotated without breaking jobs in flight.
 */
import * as z from 'zod';
import { JobWarningSchema, type JsonValue } from '../../providers/types.ts';
import { JobInputSchema } from '../schemas/job.ts';
import { NONCE_BYTES, TAG_BYTES, webCryptoCipher, type IdCipherFactory } from './id-cipher.ts';

const JobClaimsSchema = z.object({
  v: z.literal(1),
  provider: z.string(),
  provider_model: z.string(),
  operation: z.custom<JsonValue>((value) => value !== undefined),
  model: z.string(),
  created_at: z.number(),
  input: JobInputSchema,
  warnings: z.array(JobWarningSchema),
  metadata: z.record(z.string(), z.string()),
});
export type JobClaims = z.infer<typeof JobClaimsSchema>;

const PREFIX = 'job_';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface JobTokenCodec {
  seal(claims: JobClaims): Promise<string>;
  /** The claims, or `undefined` for anything that is not an intact id sealed with one of our secrets. */
  open(id: string): Promise<JobClaims | undefined>;
}

export function createJobTokenCodec(secrets: readonly string[], cipherFactory: IdCipherFactory = webCryptoCipher): JobTokenCodec {
  if (secrets.length === 0) throw new Error('at least one job id secret is required');
  const cipher = cipherFactory(secrets);
  return {
    async seal(claims) {
      return PREFIX + toBase64Url(await cipher.seal(encoder.encode(JSON.stringify(claims))));
    },
    async open(id) {
      const text = id.startsWith(PREFIX) ? id.slice(PREFIX.length) : '';
      const bytes = fromBase64Url(text);
      // Only the one canonical spelling opens: the unused bits of the last character must be zero.
      if (!bytes || bytes.length <= NONCE_BYTES + TAG_BYTES || toBase64Url(bytes) !== text) return undefined;
      const plain = await cipher.open(bytes);
      return plain && parseClaims(plain);
    },
  };
}

function parseClaims(plain: Uint8Array): JobClaims | undefined {
  try {
    const parsed = JobClaimsSchema.safeParse(JSON.parse(decoder.decode(plain)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
