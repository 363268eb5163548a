/**
 * What a provider answers is untrusted: redirects are never followed, an answer that inflates past
 * the cap is abandoned while streaming, and a `Retry-After` reaches the client only as valid
 * delay-seconds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsOf, useStack } from '../support/stack.ts';

const stack = useStack();
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

/** A loopback server standing in for a metadata service: it only counts who reached it. */
let decoy: Server;
let decoyHits = 0;
let decoyUrl = '';
beforeAll(async () => {
  decoy = createServer((request, response) => {
    decoyHits += 1;
    response.end('{"AccessKeyId": "stolen"}');
  });
  await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
  decoyUrl = `http://127.0.0.1:${(decoy.address() as AddressInfo).port}/latest/meta-data/iam/security-credentials/`;
});
afterAll(() => new Promise<void>((resolve) => decoy.close(() => resolve())));

describe('redirects from a provider', () => {
  it('are not followed on a poll: the answer is provider_bad_response and the other host never hears from us', async () => {
    const created = await stack.create(kling);
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'redirect', status: 302, location: decoyUrl }, times: 0 });
    const answer = await stack.poll(created.body.id);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ code: 'provider_bad_response', provider: 'krea' });
    expect(answer.text).not.toContain('stolen');
    expect(decoyHits).toBe(0);
  });

  it('are not followed on a create, which is not sent again anywhere', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'redirect', status: 307, location: decoyUrl } });
    const answer = await stack.create(kling);
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('provider_bad_response');
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(1);
    expect(decoyHits).toBe(0);
  });
});

describe('an answer that inflates past the cap', () => {
  it('is abandoned while streaming and answered as provider_bad_response', async () => {
    const created = await stack.create(kling);
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'gzip-bomb', inflated_bytes: 200 * 1024 * 1024 }, times: 0 });
    const before = process.memoryUsage().rss;
    const answer = await stack.poll(created.body.id);
    const grown = process.memoryUsage().rss - before;
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ code: 'provider_bad_response', provider: 'krea' });
    expect(answer.body.error.message).toContain('larger than');
    // Buffering the 200 MB answer would grow memory by far more than this.
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('an answer nested deeper than any provider document', () => {
  it('is refused as provider_bad_response rather than walked', async () => {
    const created = await stack.create(kling);
    const deep = `{"job_id": "j", "status": "queued", "result": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'malformed', body: deep }, times: 0 });
    const answer = await stack.poll(created.body.id);
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('provider_bad_response');
  });
});

describe('Retry-After on a 429', () => {
  it.each([
    ['30', '30'],
    ['soon-ish', '5'],
    ['-5', '5'],
    ['1.2', '2'],
    ['99999999', '86400'],
  ])('is sent as valid delay-seconds when the provider said %j', async (given, sent) => {
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': given } }, times: 0 });
    const answer = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x' });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe(sent);
  });

  it('is derived when the provider sent none', async () => {
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429 }, times: 0 });
    const answer = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x' });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('5');
  });

  it('gives the seconds until an HTTP date', async () => {
    const date = new Date(Date.now() + 120_000).toUTCString();
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': date } }, times: 0 });
    const answer = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x' });
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(100);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(121);
  });
});
