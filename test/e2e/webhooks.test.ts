/**
 * Outbound webhooks (DESIGN §6 "Webhooks"), end to end: the gateway as `npm start` runs it, the
 * emulators, and a real loopback receiver that verifies every call with the `standardwebhooks`
 * package. Jobs here only move when a test polls them, so every event can be tied to a change.
 */
import { withUnsignedLinks } from '../support/links.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callsOf, KEYS, useStack } from '../support/stack.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver.ts';

const RETRY_MS = 100;
const stack = useStack({
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  WEBHOOK_RETRY_SCHEDULE_MS: `${RETRY_MS},${RETRY_MS}`,
  ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
});

let receiver: WebhookReceiver;
let other: WebhookReceiver;
beforeAll(async () => {
  [receiver, other] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
});
afterAll(() => Promise.all([receiver.close(), other.close()]));
beforeEach(() => {
  for (const each of [receiver, other]) {
    each.received.length = 0;
    each.answer({ kind: 'ok' });
  }
});

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deliveries(id: string, key: string = KEYS.gateway) {
  return stack.request('GET', `/v1/jobs/${id}/webhook-deliveries`, { headers: { authorization: `Bearer ${key}` } });
}

/** Waits until the job's deliveries satisfy `done`. */
async function deliveriesUntil(id: string, done: (data: any[]) => boolean, ms = 5_000): Promise<any[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { body } = await deliveries(id);
    if (done(body.data)) return body.data;
    if (Date.now() > deadline) throw new Error(`deliveries never settled: ${JSON.stringify(body.data)}`);
    await sleep(50);
  }
}

/** The first delivery of any of these jobs to have an attempt logged. */
async function firstAttempted(ids: readonly string[], ms: number): Promise<any> {
  const deadline = Date.now() + ms;
  for (;;) {
    for (const id of ids) {
      const [delivery] = (await deliveries(id)).body.data;
      if (delivery?.attempts.length > 0) return delivery;
    }
    if (Date.now() > deadline) throw new Error('no hung delivery ever had an attempt logged');
    await sleep(100);
  }
}

describe('a job created with webhook_url', () => {
  it('sends one signed job.completed with the job as data, and logs the delivery under its webhook-id', async () => {
    const created = await stack.create({ ...kling, webhook_url: `${receiver.url}/hooks/video` });
    expect(created.status).toBe(202);
    const done = await stack.pollUntilStored(created.body.id);
    const [call] = await receiver.waitFor(1);
    expect(call!.verified).toBe(true);
    expect(call!.path).toBe('/hooks/video');
    // The job as a poll shows it once its copy is stored: job.completed waits for the copy, so its links are the durable ones.
    expect(withUnsignedLinks(call!.payload)).toEqual({ type: 'job.completed', timestamp: expect.any(String), data: withUnsignedLinks(done.body) });
    expect(call!.payload!.data.videos[0].storage).toBe('stored');
    // Signed when sent, which is after the change the payload is stamped with.
    expect(Number(call!.timestamp)).toBeGreaterThanOrEqual(Math.floor(Date.parse(call!.payload!.timestamp) / 1000));

    const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'delivered');
    expect(delivery).toMatchObject({ id: call!.id, event: 'job.completed', url: `${receiver.url}/hooks/video`, state: 'delivered', next_attempt_at: null });
    expect(delivery.attempts).toEqual([{ at: expect.any(String), status: 204 }]);
    expect(call!.id).toMatch(/^msg_/);
    await sleep(3 * RETRY_MS);
    expect(receiver.received).toHaveLength(1);
  });

  it('also sends failed and cancelled jobs their event, by default nothing for the steps between', async () => {
    const failed = await stack.create({ ...kling, prompt: 'a lighthouse [fail]', webhook_url: receiver.url });
    await stack.pollUntilTerminal(failed.body.id);
    const cancelled = await stack.create({ ...kling, webhook_url: receiver.url });
    await stack.poll(cancelled.body.id);
    expect((await stack.request('POST', `/v1/jobs/${cancelled.body.id}/cancel`)).status).toBe(200);
    const calls = await receiver.waitFor(2);
    const byJob = Object.fromEntries(calls.map((call) => [call.payload!.data.id, call.payload!.type]));
    expect(byJob).toEqual({ [failed.body.id]: 'job.failed', [cancelled.body.id]: 'job.cancelled' });
  });

  it('sends job.updated for each change after the create, in order, and the terminal event last', async () => {
    const created = await stack.create({ ...kling, webhook_url: receiver.url, webhook_events: ['job.updated', 'job.completed'] });
    const seen = [created.body];
    for (let polls = 0; polls < 20 && seen.at(-1).status !== 'completed'; polls++) seen.push((await stack.poll(created.body.id)).body);
    const changes = seen.filter((job, index) => index > 0 && (job.status !== seen[index - 1].status || job.progress !== seen[index - 1].progress));
    const calls = await receiver.waitFor(changes.length);
    await sleep(300);
    expect(receiver.received).toHaveLength(changes.length);
    expect(calls.map((call) => call.payload!.type)).toEqual([...changes.slice(0, -1).map(() => 'job.updated'), 'job.completed']);
    expect(calls.map((call) => [call.payload!.data.status, call.payload!.data.progress])).toEqual(changes.map((job) => [job.status, job.progress]));
    // In order: each was sent only after the one before it was delivered.
    const times = calls.map((call) => call.at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('sends only the events asked for', async () => {
    const created = await stack.create({ ...kling, webhook_url: receiver.url, webhook_events: ['job.failed'] });
    await stack.pollUntilTerminal(created.body.id);
    await sleep(300);
    expect(receiver.received).toHaveLength(0);
    expect((await deliveries(created.body.id)).body).toEqual({ object: 'list', data: [] });
  });
});

describe('a receiver that fails', () => {
  it('is retried under the same webhook-id until it answers 2xx', async () => {
    receiver.once({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const created = await stack.create({ ...kling, webhook_url: receiver.url });
    await stack.pollUntilTerminal(created.body.id);
    const calls = await receiver.waitFor(3);
    expect(new Set(calls.map((call) => call.id)).size).toBe(1);
    expect(receiver.duplicates()).toBe(1);
    expect(calls.map((call) => call.answered)).toEqual([500, 503, 204]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(RETRY_MS - 10);
    const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'delivered');
    expect(delivery.attempts.map((attempt: any) => attempt.status)).toEqual([500, 503, 204]);
  });

  it('is given up after the schedule, and POST …/retry sends it again under its id', async () => {
    receiver.answer({ kind: 'status', status: 500 });
    const created = await stack.create({ ...kling, webhook_url: receiver.url });
    await stack.pollUntilTerminal(created.body.id);
    const [failed] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'failed');
    // The first attempt and one per wait of the schedule.
    expect(failed.attempts.map((attempt: any) => attempt.status)).toEqual([500, 500, 500]);
    expect(failed.next_attempt_at).toBeNull();

    receiver.answer({ kind: 'ok' });
    const retried = await stack.request('POST', `/v1/jobs/${created.body.id}/webhook-deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ id: failed.id, state: 'pending', event: 'job.completed' });
    const [delivered] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'delivered');
    expect(delivered.attempts.map((attempt: any) => attempt.status)).toEqual([500, 500, 500, 204]);
    expect(new Set(receiver.received.map((call) => call.id))).toEqual(new Set([failed.id]));
  });

  it('that answers 410 is not called again', async () => {
    receiver.once({ kind: 'status', status: 410 });
    const created = await stack.create({ ...kling, webhook_url: receiver.url });
    await stack.pollUntilTerminal(created.body.id);
    const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'failed');
    expect(delivery.attempts.map((attempt: any) => attempt.status)).toEqual([410]);
    await sleep(4 * RETRY_MS);
    expect(receiver.received).toHaveLength(1);
  });

  it('that cannot be reached gets its attempts logged with the reason', async () => {
    const closed = await startWebhookReceiver();
    const url = `${closed.url}/gone`;
    await closed.close();
    const created = await stack.create({ ...kling, webhook_url: url });
    await stack.pollUntilTerminal(created.body.id);
    const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'failed');
    expect(delivery.attempts).toHaveLength(3);
    for (const attempt of delivery.attempts) expect(attempt.error).toMatch(/connection failed \(ECONNREFUSED\)/);
  });

  it('that hangs holds up only its own host: another receiver gets its webhook at once', { timeout: 45_000 }, async () => {
    receiver.answer({ kind: 'hang' });
    const hung: string[] = [];
    for (let n = 0; n < 6; n++) {
      const created = await stack.create({ ...kling, prompt: `a lighthouse ${n}`, webhook_url: receiver.url });
      await stack.pollUntilTerminal(created.body.id);
      hung.push(created.body.id);
    }
    // Its host's share (4) of deliveries is in flight, hanging.
    await receiver.waitFor(4);
    const created = await stack.create({ ...kling, webhook_url: other.url });
    await stack.pollUntilTerminal(created.body.id);
    await other.waitFor(1);
    // Delivered while every hung attempt was still waiting for its answer.
    for (const id of hung) expect((await deliveries(id)).body.data[0].attempts).toEqual([]);
    // The API answers meanwhile, and the hung attempts end at the 10 s timeout, logged as such.
    expect((await stack.request('GET', '/v1/jobs?limit=1')).status).toBe(200);
    // Whichever hung delivery went out first (copies and the host's share decide the order) ends first.
    const timedOut = await firstAttempted(hung, 20_000);
    expect(timedOut.attempts[0]).toEqual({ at: expect.any(String), error: 'no answer within 10 s' });
  });
});

describe('the delivery log', () => {
  it('belongs to the job’s owner: another key gets 404 for the log and for retries', async () => {
    // To the other receiver: the hanging one's host may still be busy with the test before.
    const created = await stack.create({ ...kling, webhook_url: other.url });
    await stack.pollUntilTerminal(created.body.id);
    const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'delivered');
    const log = await deliveries(created.body.id, KEYS.otherGateway);
    expect(log.status).toBe(404);
    expect(log.body.error.code).toBe('job_not_found');
    const retry = await stack.request('POST', `/v1/jobs/${created.body.id}/webhook-deliveries/${delivery.id}/retry`, { headers: { authorization: `Bearer ${KEYS.otherGateway}` } });
    expect(retry.status).toBe(404);
  });

  it('answers 404 delivery_not_found for an id the job does not have', async () => {
    const created = await stack.create({ ...kling, webhook_url: receiver.url });
    const retry = await stack.request('POST', `/v1/jobs/${created.body.id}/webhook-deliveries/msg_nope/retry`);
    expect(retry.status).toBe(404);
    expect(retry.body.error).toMatchObject({ code: 'delivery_not_found', param: 'delivery_id' });
  });
});

describe('webhook_url and webhook_events are checked before anything is sent', () => {
  const refused: [string, Record<string, unknown>, number, string, string][] = [
    ['plain http to a public host', { webhook_url: 'http://example.com/hook' }, 422, 'unsafe_url', 'webhook_url'],
    ['a private address', { webhook_url: 'https://10.1.2.3/hook' }, 422, 'unsafe_url', 'webhook_url'],
    ['the metadata address', { webhook_url: 'https://169.254.169.254/latest' }, 422, 'unsafe_url', 'webhook_url'],
    ['credentials in the URL', { webhook_url: 'https://user:pass@example.com/hook' }, 422, 'unsafe_url', 'webhook_url'],
    ['not a URL', { webhook_url: 'hook' }, 400, 'invalid_request', 'webhook_url'],
    ['an unknown event', { webhook_url: 'https://example.com/hook', webhook_events: ['job.exploded'] }, 400, 'invalid_request', 'webhook_events.0'],
    ['events without a URL', { webhook_events: ['job.completed'] }, 400, 'invalid_request', 'webhook_events'],
  ];
  it.each(refused)('%s', async (_name, fields, status, code, param) => {
    const answer = await stack.create({ ...kling, ...fields });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.param).toBe(param);
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(0);
  });
});

describe('without WEBHOOK_SECRET', () => {
  it('refuses a create with webhook_url as 422 webhooks_not_configured, calling no provider', async () => {
    const { WEBHOOK_SECRET: _secret, ...unsigned } = stack.env;
    await stack.restartGateway(unsigned);
    try {
      const answer = await stack.create({ ...kling, webhook_url: 'https://example.com/hook' });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'webhooks_not_configured', param: 'webhook_url' });
      expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(0);
    } finally {
      await stack.restartGateway(stack.env);
    }
  });
});

describe('the URL rules at delivery time', () => {
  it('refuse to send to a host that stopped being allowed after the create', async () => {
    const created = await stack.create({ ...kling, webhook_url: receiver.url });
    await stack.restartGateway({ ...stack.env, ALLOWED_PRIVATE_HOSTS: '' });
    try {
      await stack.pollUntilTerminal(created.body.id);
      const [delivery] = await deliveriesUntil(created.body.id, (data) => data[0]?.state === 'failed');
      for (const attempt of delivery.attempts) expect(attempt.error).toMatch(/^not sent: the URL is not safe/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await stack.restartGateway(stack.env);
    }
  });
});
