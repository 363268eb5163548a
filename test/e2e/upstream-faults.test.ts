import { describe, expect, it } from 'vitest';
import { callsOf, closedPort, useStack } from '../support/stack.ts';

const stack = useStack();

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const wan = { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon' };

async function createdJobId(): Promise<string> {
  const created = await stack.create(kling);
  expect(created.status).toBe(202);
  return created.body.id;
}

describe('creating a job when the provider is in trouble', () => {
  it('never retries a create that timed out', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'delay', ms: 3_000 } });
    const answer = await stack.create(kling);
    expect(answer.status).toBe(504);
    expect(answer.body.error).toMatchObject({ code: 'provider_timeout', provider: 'krea' });
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(1);
  });

  it('never retries a create whose connection hung', async () => {
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'hang' } });
    const answer = await stack.create(wan);
    expect(answer.status).toBe(504);
    expect(answer.body.error).toMatchObject({ code: 'provider_timeout', provider: 'aimlapi' });
    expect(callsOf(stack.emulator('aimlapi'), 'create')).toHaveLength(1);
  });

  it('retries a create refused with 429, honouring Retry-After, because no job was started', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } } });
    const answer = await stack.create(kling);
    expect(answer.status).toBe(202);
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(2);
    expect(stack.sleeps).toEqual([1000]);
  });

  it('retries a refused connection, since nothing reached the provider', async () => {
    await stack.restartGateway({ ...stack.env, KREA_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    try {
      const answer = await stack.create(kling);
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatchObject({ code: 'provider_unavailable', provider: 'krea' });
      expect(stack.sleeps).toHaveLength(2);
    } finally {
      await stack.restartGateway();
    }
  });
});

describe('polling a job when the provider is in trouble', () => {
  it('retries a poll that got a 503 and succeeds', async () => {
    const id = await createdJobId();
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 503 } });
    const answer = await stack.poll(id);
    expect(answer.status).toBe(200);
    expect(callsOf(stack.emulator('krea'), 'poll')).toHaveLength(2);
    expect(stack.sleeps).toHaveLength(1);
  });

  it('gives up after the policy attempts with a stable code', async () => {
    const id = await createdJobId();
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 500 }, times: 0 });
    const answer = await stack.poll(id);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'provider_unavailable', provider: 'krea' });
    expect(callsOf(stack.emulator('krea'), 'poll')).toHaveLength(3);
  });

  it('times out a hanging poll with 504', async () => {
    const id = await createdJobId();
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'hang' }, times: 0 });
    const answer = await stack.poll(id);
    expect(answer.status).toBe(504);
    expect(answer.body.error).toMatchObject({ code: 'provider_timeout', provider: 'krea' });
  });

  it('answers malformed poll bodies with 502', async () => {
    const id = await createdJobId();
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'malformed', body: '<html>oops</html>', content_type: 'text/html' }, times: 0 });
    const answer = await stack.poll(id);
    expect(answer.status).toBe(502);
    expect(answer.body.error.code).toBe('provider_bad_response');
  });
});
