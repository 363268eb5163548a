/**
 * The gateway signs webhooks itself (src/jobs/webhooks/signature.ts); the `standardwebhooks`
 * package, which receivers use, must compute the same signature and accept it.
 */
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookSignature } from '../../../src/jobs/webhooks/signature.ts';

/** Secrets as the configuration accepts them: `whsec_` and the base64 of at least 16 bytes, padded or not. */
const secrets = fc.uint8Array({ minLength: 16, maxLength: 64 }).chain((bytes) => {
  const padded = btoa(String.fromCharCode(...bytes));
  return fc.constantFrom(`whsec_${padded}`, `whsec_${padded.replace(/=+$/, '')}`);
});

describe('webhook signatures', () => {
  it('are what the standardwebhooks package signs, and it verifies them', () => {
    fc.assert(
      fc.property(secrets, fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 4_000_000_000 }), fc.string({ unit: 'grapheme', maxLength: 200 }), (secret, id, seconds, text) => {
        const body = JSON.stringify({ text });
        const signature = webhookSignature(secret, id, seconds, body);
        const webhook = new Webhook(secret);
        expect(signature).toBe(webhook.sign(id, new Date(seconds * 1000), body));
        // verify() also checks the timestamp against the clock, so verify a fresh one.
        const now = Math.floor(Date.now() / 1000);
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': webhookSignature(secret, id, now, body) };
        expect(webhook.verify(body, headers)).toEqual({ text });
      }),
    );
  });
});
