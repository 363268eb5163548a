/**
 * Waiters hold nothing once they are gone: an event stream or a `Prefer: wait` whose client leaves
 * drops its watcher at once, and the last one stops the job's store reads. In-process gateway on
 * the memory store, so the watchers can be counted.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { createGateway, type Gateway } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { memoryJobStore } from '../../../src/jobs/store/memory-job-store.ts';
import { watcherCount } from '../../../src/jobs/watch.ts';
import { emulatorEnv, emulatorNetwork, type EmulatorNetwork } from '../../support/emulator-network.ts';

const KEY = 'watch-gateway-key';
let network: EmulatorNetwork;
let gateway: Gateway;

beforeEach(async () => {
  network = await emulatorNetwork();
  const config = loadConfig({ GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'watch-job-id-secret-0123', POLL_FRESHNESS_MS: '0', POLL_INTERVAL_MS: '3600000', ...emulatorEnv() }, providers);
  gateway = createGateway({ config, providers, store: memoryJobStore(), fetch: network.fetch, sleep: async () => {} });
});

const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function createJob(): Promise<string> {
  const response = await gateway.app.request('/v1/jobs', { method: 'POST', headers, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' }) });
  return ((await response.json()) as { id: string }).id;
}

describe('a client that leaves', () => {
  it('an event stream: its watcher is dropped at once, and the last one stops watching the job', async () => {
    const id = await createJob();
    const streams = await Promise.all([1, 2].map(() => gateway.app.request(`/v1/jobs/${id}/events`, { headers })));
    const readers = streams.map((stream) => stream.body!.getReader());
    await Promise.all(readers.map((reader) => reader.read()));
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(2);
    await readers[0]!.cancel();
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(1);
    await readers[1]!.cancel();
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(0);
  });

  it('a Prefer: wait: its watcher is dropped when the request is aborted', async () => {
    const id = await createJob();
    const controller = new AbortController();
    const waiting = gateway.app.request(`/v1/jobs/${id}`, { headers: { ...headers, prefer: 'wait=60' }, signal: controller.signal });
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(1);
    controller.abort();
    await Promise.resolve(waiting).catch(() => undefined);
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(0);
  });

  it('a stream that reaches the terminal event ends and drops its watcher', async () => {
    const id = await createJob();
    const stream = await gateway.app.request(`/v1/jobs/${id}/events`, { headers });
    const text = stream.text();
    await settle();
    expect(watcherCount(gateway.lifecycle, id)).toBe(1);
    for (let polls = 0; polls < 10; polls++) await gateway.app.request(`/v1/jobs/${id}`, { headers });
    expect(await text).toMatch(/"status":"completed"/);
    expect(watcherCount(gateway.lifecycle, id)).toBe(0);
  });
});
