/**
 * Job ids are self-contained: the job's routing facts (provider, provider model, operation handle)
 * and what it was created with (input, warnings, metadata) travel inside the id, compressed and
 * sealed with AES-256-GCM under a key derived from `JOB_ID_SECRET`. Any instance with the secret
 * can serve any job after any restart, with no database; GCM's tag makes ids unforgeable (a
 * tampered or foreign id fails to open and is a 404) and encryption keeps them opaque.
 *
 * `JOB_ID_SECRET` may list several secrets, comma separated: the first seals new ids, all open
 * them, so a secret can be rotated without breaking jobs in flight.
 */
import { z } from 'zod';
import type { JsonValue } from '../../providers/types.ts';
import { JobInputSchema, JobWarningSchema } from '../schemas/job.ts';

export const JobClaimsSchema = z.object({
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
const NONCE_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface JobTokenCodec {
  seal(claims: JobClaims): Promise<string>;
  /** The claims, or `undefined` for anything that is not an intact id sealed with one of our secrets. */
  open(id: string): Promise<JobClaims | undefined>;
}

export function createJobTokenCodec(secrets: readonly string[]): JobTokenCodec {
  if (secrets.length === 0) throw new Error('at least one job id secret is required');
  const keys = Promise.all(secrets.map(deriveKey));
  return {
    async seal(claims) {
      const [key] = await keys;
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const plain = await deflate(encoder.encode(JSON.stringify(claims)));
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key!, plain));
      return PREFIX + toBase64Url(concat(nonce, sealed));
    },
    async open(id) {
      const bytes = id.startsWith(PREFIX) ? fromBase64Url(id.slice(PREFIX.length)) : undefined;
      if (!bytes || bytes.length <= NONCE_BYTES + 16) return undefined;
      for (const key of await keys) {
        const claims = await tryOpen(key, bytes);
        if (claims) return claims;
      }
      return undefined;
    },
  };
}

async function tryOpen(key: CryptoKey, bytes: Uint8Array): Promise<JobClaims | undefined> {
  try {
    const iv = bytes.slice(0, NONCE_BYTES);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, bytes.slice(NONCE_BYTES));
    const parsed = JobClaimsSchema.safeParse(JSON.parse(decoder.decode(await inflate(new Uint8Array(plain)))));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** HKDF so that the id key is independent of wherever else the operator reuses the secret. */
async function deriveKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('vidgate/job-id/v1'), info: new Uint8Array() },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return pipe(bytes, new CompressionStream('deflate-raw'));
}

async function inflate(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return pipe(bytes, new DecompressionStream('deflate-raw'));
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
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
