import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seenResponses, startStack, type Stack } from '../support/stack.ts';
import { providers } from '../../providers/index.ts';
import { testProviderKey } from '../support/emulator-network.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const providerKeys = providers.map((provider) => testProviderKey(provider.name));

describe('provider keys', () => {
  it('appear in no response and no log line, even when a provider echoes them back', async () => {
    // A provider that quotes the credential it was given in its error message.
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 401, body: { error: `invalid token ${testProviderKey('krea')}` } } });
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 400, body: { message: `bad key ${testProviderKey('aimlapi')}` } } });
    const echoedKrea = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'x' });
    const echoedAiml = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x' });
    expect(echoedKrea.body.error.message).toContain('[redacted]');
    expect(echoedAiml.body.error.message).toContain('[redacted]');

    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'x' });
    await stack.pollUntilTerminal(created.body.id);
    await stack.request('GET', '/v1/models');
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 500 }, times: 0 });
    const failing = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'y' });
    await stack.poll(failing.body.id);

    expect(seenResponses.length).toBeGreaterThan(5);
    expect(stack.logs.length).toBeGreaterThan(5);
    for (const key of providerKeys) {
      for (const response of seenResponses) {
        expect(response.text).not.toContain(key);
        expect(JSON.stringify([...response.headers])).not.toContain(key);
      }
      for (const line of stack.logs) expect(line).not.toContain(key);
    }
  });

  it('are sent to the providers, so the check above is not vacuous', async () => {
    stack.emulator('krea').emulator.control.reset();
    await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'x' });
    expect(stack.emulator('krea').emulator.control.requests.at(-1)!.authorized).toBe(true);
  });
});

describe('a provider that echoes its key in any string it sends', () => {
  beforeEach(() => stack.emulator('krea').emulator.control.reset());
  const key = () => testProviderKey('krea');
  const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
  const withoutKey = (answer: { text: string; headers: Headers }) => {
    expect(answer.text).not.toContain(key());
    expect(JSON.stringify([...answer.headers])).not.toContain(key());
  };

  it('never passes the key on in a job status on poll', async () => {
    const created = await stack.create(kling);
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'malformed', body: JSON.stringify({ job_id: 'j', status: `denied:${key()}` }) }, times: 0 });
    const answer = await stack.poll(created.body.id);
    expect(answer.body.error).toMatchObject({ code: 'provider_unknown_status' });
    expect(answer.body.error.message).toContain('denied:[redacted]');
    withoutKey(answer);
  });

  it('never passes the key on in a warning on create', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'malformed', body: JSON.stringify({ job_id: 'j', status: `weird ${key()}` }) } });
    const answer = await stack.create(kling);
    expect(answer.status).toBe(202);
    expect(answer.body.warnings).toEqual([expect.objectContaining({ code: 'unknown_provider_status', message: expect.stringContaining('[redacted]') })]);
    withoutKey(answer);
  });

  it('never passes the key on in a failed job’s provider message', async () => {
    const created = await stack.create(kling);
    const failed = { job_id: 'j', status: 'failed', completed_at: '2026-12-01T10:00:00Z', error: { code: key(), message: `token ${key()} rejected` } };
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'malformed', body: JSON.stringify(failed) } });
    const answer = await stack.poll(created.body.id);
    expect(answer.body).toMatchObject({ status: 'failed', error: { provider_message: 'token [redacted] rejected', provider_code: '[redacted]' } });
    withoutKey(answer);
  });

  it('never copies a Retry-After header that holds the key', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': key() } }, times: 0 });
    const answer = await stack.create(kling);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('5');
    withoutKey(answer);
  });
});
