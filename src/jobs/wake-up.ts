/**
 * Provider callbacks as wake-ups (DESIGN §6, Krea's `X-Webhook-URL`): with `PUBLIC_URL` set, a
 * provider that calls back gets a per-job path `/webhooks/<provider>/<job id>/<token>`, the token
 * an HMAC of both under `JOB_ID_SECRET`, so it cannot be guessed. The call is unsigned, so its body
 * is never read: it only makes the gateway read the job from the provider at once. A wrong path, or
 * one for a job that is already over, is a 404 and calls nobody.
 */
import type { GatewayConfig } from '../config.ts';
import { coalesce, type LifecycleDeps } from './lifecycle.ts';
import { isTerminal } from './observation.ts';
import { pollLeased } from './refresh.ts';
import { sameText } from '../security/same-text.ts';
import { toBase64Url } from '../security/bytes.ts';

const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
  return key;
}

/** The unguessable part of a job's wake-up path. */
export async function wakeUpToken(secret: string, provider: string, jobId: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await keyFor(secret), new TextEncoder().encode(`wake-up:${provider}:${jobId}`));
  return toBase64Url(new Uint8Array(mac));
}

/** The URL a provider that calls back is given for a job, when the gateway has a public address. */
export async function wakeUpUrl(config: GatewayConfig, provider: { name: string; callsBack?: boolean }, jobId: string): Promise<string | undefined> {
  if (!config.publicUrl || !provider.callsBack) return undefined;
  return `${config.publicUrl}/webhooks/${provider.name}/${jobId}/${await wakeUpToken(config.jobIdSecrets[0]!, provider.name, jobId)}`;
}

/**
 * When the path names a live job of that provider with its right token, the job is read from the
 * provider now: the answer holds that read, which the caller lets finish after it has answered the
 * provider. `undefined` (a 404) otherwise, with no provider call.
 */
export async function wakeUp(deps: LifecycleDeps, provider: string, jobId: string, token: string): Promise<{ reading: Promise<unknown> } | undefined> {
  if (!deps.providers.get(provider)?.callsBack) return undefined;
  const expected = await wakeUpToken(deps.config.jobIdSecrets[0]!, provider, jobId);
  if (!sameText(expected, token)) return undefined;
  const record = await deps.store.get(jobId);
  if (!record || record.provider !== provider || record.operation === null || isTerminal(record.status)) return undefined;
  const reading = coalesce(deps, jobId, async () => {
    const leased = await deps.store.acquireLease(jobId, deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs);
    return leased ? pollLeased(deps, leased, `wake_${jobId}`) : record;
  }).catch((error: unknown) => deps.log('wake_up_poll_failed', { job_id: jobId, message: error instanceof Error ? error.message : String(error) }));
  return { reading };
}
