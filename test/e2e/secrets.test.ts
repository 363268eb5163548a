import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
