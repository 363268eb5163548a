/**
 * Standard Webhooks signatures (standardwebhooks.com): `v1,` and the base64 HMAC-SHA-256 of
 * `<webhook-id>.<webhook-timestamp>.<body>` under the secret's bytes (`whsec_` + base64). The same
 * text as the `standardwebhooks` package's `sign` (the tests verify every webhook with it), without
 * that package's own base64 and SHA-256 code in the Worker bundle: the HMAC is the one signed
 * video links use, and the base64 is the platform's.
 */
import { hmacSha256 as hmac } from '../../security/sha256.ts';

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/** The `webhook-signature` header's value; `timestampSeconds` is the `webhook-timestamp` header's. */
export function webhookSignature(secret: string, webhookId: string, timestampSeconds: number, body: string): string {
  const key = bytesOfBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  const mac = hmac(key, encoder.encode(`${webhookId}.${timestampSeconds}.${body}`));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}

function bytesOfBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
