/**
 * Per test file in the workerd project: no call ever leaves the machine, and nothing a file started
 * outlives it.
 *
 * - The Worker's global fetch refuses every host but loopback, at once, with a TypeError (as a
 *   refused connection would). Tests stub fetch with their emulators for as long as they need them;
 *   a job object's alarm that fires after a stub is restored would otherwise resolve a pretend host
 *   (`krea.emulator.test`) for real. Where the machine has no resolver at all (CI), workerd answers
 *   that lookup with an internal error per attempt, and a retried alarm keeps the runtime busy.
 * - After the file, every job object's pending alarm is deleted and the objects are aborted, so no
 *   poll, copy or webhook delivery runs once the file's own stubs are gone.
 */
import { env } from 'cloudflare:workers';
import { abortAllDurableObjects, listDurableObjectIds, runInDurableObject } from 'cloudflare:test';
import { afterAll } from 'vitest';

const realFetch = globalThis.fetch.bind(globalThis);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOOPBACK.has(url.hostname)) return realFetch(input, init);
  throw new TypeError(`fetch to ${url.host} refused: the workerd tests have no network`);
};

afterAll(async () => {
  await stopPendingAlarms();
  await abortAllDurableObjects();
});

interface Namespace {
  get(id: unknown): unknown;
}
interface ObjectState {
  storage: { deleteAlarm(): Promise<void> };
}

async function stopPendingAlarms(): Promise<void> {
  for (const name of ['JOBS', 'JOB_OWNERS'] as const) {
    const namespace = (env as unknown as Record<string, Namespace | undefined>)[name];
    if (!namespace) continue;
    for (const id of await listDurableObjectIds(namespace)) {
      await runInDurableObject(namespace.get(id), (_instance: unknown, state: ObjectState) => state.storage.deleteAlarm());
    }
  }
}
