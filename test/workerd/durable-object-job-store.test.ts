/**
 * What the Durable Object job store does beyond the conformance suite, inside workerd on the real
 * bindings: alarms at `nextPollAt` or the next webhook delivery and the handler they run (with its
 * own job reached without RPC), the owner index kept in step, records and deliveries across
 * eviction, half-finished creates, and errors.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError, type JobRecord, type JobStore, type WebhookDelivery } from '../../src/jobs/store/job-store.ts';
import * as main from '../../src/worker.ts';
import type { DurableObjectStateLike } from '../../src/worker/bindings.ts';
import { durableObjectJobStore, workerJobStore } from '../../src/worker/durable-object-job-store.ts';
import { registerJobAlarmHandler, type JobAlarm, type JobAlarmHandler } from '../../src/worker/job-alarm.ts';
import {
  alarmTime,
  IDLE_ALARM_RETRY_MS,
  INDEX_RETRY_MS,
  MIN_ALARM_DELAY_MS,
  nextDeliveryAt,
  PLATFORM_ALARM_RETRIES,
  STALLED_ALARM_RETRY_MS,
  type JobObject,
} from '../../src/worker/job-object.ts';
import { jobObject, ownerIndex, type AccountLedgerRpc, type JobObjectRpc, type JobStoreNamespaces, type OwnerIndexRpc } from '../../src/worker/job-store-rpc.ts';
import { sampleDelivery, sampleRecord } from '../stores/job-store-cases.ts';
import { sampleBooking } from '../stores/ledger-cases.ts';
import { boundNamespaces, isolatedStore } from './support/job-store.ts';

const HOUR = 3_600_000;

/** Registers `handler` for one test. */
let unregister: (() => void) | undefined;
function onAlarm(handler: JobAlarmHandler): void {
  unregister = registerJobAlarmHandler(handler);
}
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

/** A store of its own, and the stub of one of its job objects. */
function subject(label: string) {
  const { prefix, store } = isolatedStore(label);
  return { store, stub: (id: string) => jobObject(boundNamespaces(), prefix, id), index: (owner: string) => ownerIndex(boundNamespaces(), prefix, owner) };
}

const storedAlarm = (stub: JobObjectRpc) => runInDurableObject(stub, (_: JobObject, state: DurableObjectStateLike) => state.storage.getAlarm());
const sqlRows = (stub: unknown, query: string) => runInDurableObject(stub, (_: unknown, state: DurableObjectStateLike) => state.storage.sql.exec(query).toArray());

/** Creates `record` and returns it as stored. */
async function created(store: JobStore, record: JobRecord): Promise<JobRecord> {
  const outcome = await store.create(record);
  if (!outcome.created) throw new Error('not created');
  return outcome.record;
}

/** Writes `record` unchanged with `outbox`, and returns the record as written. */
async function withOutbox(store: JobStore, record: JobRecord, outbox: WebhookDelivery[]): Promise<JobRecord> {
  const written = await store.replace(record, outbox);
  if (!written) throw new Error('not written');
  return written;
}

/** `delivery` as the store last wrote it. */
async function reread(store: JobStore, delivery: WebhookDelivery): Promise<WebhookDelivery> {
  const stored = await store.getDelivery(delivery.jobId, delivery.id);
  if (!stored) throw new Error('no such delivery');
  return stored;
}

describe('the Worker as deployed', () => {
  it('binds JOBS and JOB_OWNERS to the Durable Object classes its main module exports', () => {
    expect(main).toMatchObject({ JobObject: expect.any(Function), OwnerIndex: expect.any(Function) });
    expect(workerJobStore(env)).toBeDefined();
    expect(workerJobStore({ JOBS: 'not a namespace' })).toBeUndefined();
  });
});

describe('when the alarm is set', () => {
  const inputs = (nextPollAt: number | null, indexedStatus: JobRecord['status'] = 'queued', nextDeliveryAt: number | null = null) => ({ nextPollAt, nextDeliveryAt, status: 'queued' as const, indexedStatus });

  it('is the record’s nextPollAt, moves with it, and is deleted when it becomes null', async () => {
    const { store, stub } = subject('alarm-follows');
    const nextPollAt = Date.now() + HOUR;
    const record = await created(store, sampleRecord({ nextPollAt }));
    expect(await storedAlarm(stub(record.id))).toBe(nextPollAt);
    const moved = (await store.replace({ ...record, nextPollAt: nextPollAt + 60_000 }))!;
    expect(await storedAlarm(stub(record.id))).toBe(nextPollAt + 60_000);
    await store.replace({ ...moved, nextPollAt: null, status: 'completed' });
    expect(await storedAlarm(stub(record.id))).toBeNull();
  });

  it('is never in the past: an overdue poll wakes the job a second from now, not in a loop', () => {
    const now = 1_000_000;
    expect(alarmTime(inputs(now - 60_000), now)).toBe(now + MIN_ALARM_DELAY_MS);
    expect(alarmTime(inputs(now + 5 * MIN_ALARM_DELAY_MS), now)).toBe(now + 5 * MIN_ALARM_DELAY_MS);
    expect(alarmTime(inputs(now - 60_000), now, now + IDLE_ALARM_RETRY_MS)).toBe(now + IDLE_ALARM_RETRY_MS);
  });

  it('comes early enough to retry the owner index while it is behind, and is absent when nothing is left to do', () => {
    const now = 1_000_000;
    expect(alarmTime(inputs(now + HOUR, 'in_progress'), now)).toBe(now + INDEX_RETRY_MS);
    expect(alarmTime(inputs(null, 'in_progress'), now)).toBe(now + INDEX_RETRY_MS);
    expect(alarmTime(inputs(null), now)).toBeNull();
  });

  it('comes at the next delivery when it is due before the poll, and is never in the past for it either', () => {
    const now = 1_000_000;
    expect(alarmTime(inputs(now + HOUR, 'queued', now + 60_000), now)).toBe(now + 60_000);
    expect(alarmTime(inputs(now + 60_000, 'queued', now + HOUR), now)).toBe(now + 60_000);
    expect(alarmTime(inputs(null, 'queued', now + 60_000), now)).toBe(now + 60_000);
    expect(alarmTime(inputs(now + HOUR, 'queued', now - 60_000), now)).toBe(now + MIN_ALARM_DELAY_MS);
  });

  it('counts a delivery at its next attempt, or at its lease’s end while someone holds it', () => {
    const delivery = sampleDelivery(sampleRecord(), { nextAttemptAt: 5_000 });
    expect(nextDeliveryAt(undefined)).toBeNull();
    expect(nextDeliveryAt(delivery)).toBe(5_000);
    expect(nextDeliveryAt({ ...delivery, leaseHolder: 'sender', leaseUntil: 9_000 })).toBe(9_000);
    expect(nextDeliveryAt({ ...delivery, leaseHolder: 'sender', leaseUntil: 4_000 })).toBe(5_000);
    expect(nextDeliveryAt({ ...delivery, nextAttemptAt: null })).toBeNull();
  });

  it('survives the object being evicted, with the record, which is one SQLite row', async () => {
    const { store, stub } = subject('eviction');
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    await evictDurableObject(stub(record.id));
    expect(await store.get(record.id)).toEqual(record);
    expect(await storedAlarm(stub(record.id))).toBe(record.nextPollAt);
    const rows = await sqlRows(stub(record.id), 'SELECT id, record, indexed_status FROM job');
    expect(rows).toEqual([{ id: record.id, record: JSON.stringify(record), indexed_status: 'queued' }]);
  });
});

describe('when the alarm fires', () => {
  it('runs the registered handler with the job id, then puts the alarm back at nextPollAt', async () => {
    const { store, stub } = subject('alarm-runs');
    const calls: Omit<JobAlarm, 'env' | 'store'>[] = [];
    onAlarm(async ({ jobId, retryCount }) => {
      calls.push({ jobId, retryCount });
    });
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    expect(await runDurableObjectAlarm(stub(record.id))).toBe(true);
    expect(calls).toEqual([{ jobId: record.id, retryCount: 0 }]);
    expect(await storedAlarm(stub(record.id))).toBe(record.nextPollAt);
  });

  it('gives the handler a store that leases and updates its own job from inside the object', async () => {
    const { store, stub } = subject('alarm-self');
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    onAlarm(async ({ jobId, store: own }) => {
      const leased = await own.acquireLease(jobId, 'alarm-driver', Date.now(), 30_000);
      if (!leased) throw new Error('no lease');
      await own.replace({ ...leased, status: 'in_progress', progress: 50, nextPollAt: null, leaseHolder: null, leaseUntil: 0 });
    });
    expect(await runDurableObjectAlarm(stub(record.id))).toBe(true);
    expect(await store.get(record.id)).toMatchObject({ status: 'in_progress', progress: 50, version: 3, leaseHolder: null });
    expect(await storedAlarm(stub(record.id))).toBeNull();
    // The status change reached the owner's index too.
    expect((await store.list(record.owner, { limit: 100, status: 'in_progress' })).map((job) => job.id)).toContain(record.id);
  });

  it('wakes an overdue job by itself, without the test running the alarm', async () => {
    const { store } = subject('alarm-real');
    const woken: string[] = [];
    onAlarm(async ({ jobId, store: own }) => {
      woken.push(jobId);
      const current = (await own.get(jobId))!;
      await own.replace({ ...current, nextPollAt: null });
    });
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() - 60_000 }));
    await vi.waitFor(() => expect(woken).toEqual([record.id]), { timeout: 15_000, interval: 100 });
    await vi.waitFor(async () => expect(await store.get(record.id)).toMatchObject({ nextPollAt: null }), { timeout: 5_000 });
  });

  it('rethrows what the handler throws, so the platform retries it with backoff', async () => {
    const { store, stub } = subject('alarm-throws');
    onAlarm(async () => {
      throw new Error('provider down');
    });
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    await expect(runDurableObjectAlarm(stub(record.id))).rejects.toThrow('provider down');
    expect(await store.get(record.id)).toEqual(record);
  });

  it('sets a later alarm itself once the platform has made its last retry, so the job is not dropped', async () => {
    const { store, stub } = subject('alarm-gives-up');
    onAlarm(async () => {
      throw new Error('provider down');
    });
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + 60_000 }));
    const before = Date.now();
    await runInDurableObject(stub(record.id), (instance: JobObject) => instance.alarm({ retryCount: PLATFORM_ALARM_RETRIES, isRetry: true }));
    expect(await storedAlarm(stub(record.id))).toBeGreaterThanOrEqual(before + STALLED_ALARM_RETRY_MS);
  });

  it('sends the owner index a status change it missed, without running the handler ahead of the poll', async () => {
    const { store, stub } = subject('index-retry');
    const calls: string[] = [];
    onAlarm(async ({ jobId }) => {
      calls.push(jobId);
    });
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    // As if the object had stopped between writing the record and telling the index.
    const completed = { ...record, status: 'completed' as const, version: 2 };
    await runInDurableObject(stub(record.id), (_: JobObject, state: DurableObjectStateLike) => {
      state.storage.sql.exec('UPDATE job SET record = ?', JSON.stringify(completed));
    });
    expect(await store.list(record.owner, { limit: 100, status: 'completed' })).not.toContainEqual(completed);
    await runInDurableObject(stub(record.id), (instance: JobObject) => instance.alarm());
    expect(await store.list(record.owner, { limit: 100, status: 'completed' })).toContainEqual(completed);
    expect(await sqlRows(stub(record.id), 'SELECT indexed_status FROM job')).toEqual([{ indexed_status: 'completed' }]);
    expect(calls).toEqual([]);
    expect(await storedAlarm(stub(record.id))).toBe(record.nextPollAt);
  });
});

describe('the webhook outbox', () => {
  it('moves the alarm to a delivery due before the poll, follows replaceDelivery, and clears it when nothing is left', async () => {
    const { store, stub } = subject('outbox-alarm');
    const now = Date.now();
    const record = await created(store, sampleRecord({ status: 'in_progress', nextPollAt: now + HOUR }));
    const delivery = sampleDelivery(record, { event: 'job.updated', nextAttemptAt: now + 10 * 60_000 });
    const written = await withOutbox(store, record, [delivery]);
    expect(await storedAlarm(stub(record.id))).toBe(now + 10 * 60_000);
    const failedOnce = await store.replaceDelivery({ ...(await reread(store, delivery)), attempts: [{ at: now, status: 503 }], nextAttemptAt: now + 20 * 60_000 });
    expect(await storedAlarm(stub(record.id))).toBe(now + 20 * 60_000);
    await store.replaceDelivery({ ...failedOnce!, nextAttemptAt: now + 2 * HOUR });
    expect(await storedAlarm(stub(record.id))).toBe(record.nextPollAt);
    await store.replaceDelivery({ ...(await reread(store, delivery)), state: 'delivered', nextAttemptAt: null });
    expect(await storedAlarm(stub(record.id))).toBe(record.nextPollAt);
    await store.replace({ ...written, status: 'completed', nextPollAt: null });
    expect(await storedAlarm(stub(record.id))).toBeNull();
  });

  it('waits for the first pending delivery before later ones, and for a held lease to run out', async () => {
    const { store, stub } = subject('outbox-order');
    const now = Date.now();
    const record = await created(store, sampleRecord({ status: 'completed', nextPollAt: null }));
    const first = sampleDelivery(record, { sequence: 1, event: 'job.updated', nextAttemptAt: now + 30 * 60_000 });
    const second = sampleDelivery(record, { sequence: 2, event: 'job.completed', nextAttemptAt: now + 5 * 60_000 });
    await withOutbox(store, record, [second, first]);
    expect(await storedAlarm(stub(record.id))).toBe(first.nextAttemptAt);
    const leased = await store.replaceDelivery({ ...(await reread(store, first)), leaseHolder: 'sender', leaseUntil: now + 45 * 60_000 });
    expect(await storedAlarm(stub(record.id))).toBe(now + 45 * 60_000);
    await store.replaceDelivery({ ...leased!, state: 'delivered', nextAttemptAt: null, leaseHolder: null, leaseUntil: 0 });
    expect(await storedAlarm(stub(record.id))).toBe(second.nextAttemptAt);
    await store.replaceDelivery({ ...(await reread(store, second)), state: 'failed', nextAttemptAt: null });
    expect(await storedAlarm(stub(record.id))).toBeNull();
  });

  it('runs the alarm handler for a delivery with no poll scheduled, which reads and leases it through its own object', async () => {
    const { store, stub } = subject('outbox-handler');
    const now = Date.now();
    const record = await created(store, sampleRecord({ status: 'completed', nextPollAt: null }));
    const first = sampleDelivery(record, { sequence: 1, nextAttemptAt: now + HOUR });
    const second = sampleDelivery(record, { sequence: 2, event: 'job.updated', nextAttemptAt: now + 10_000 });
    await withOutbox(store, record, [first, second]);
    const sent: string[] = [];
    onAlarm(async ({ jobId, store: own }) => {
      const next = (await own.listDeliveries(jobId)).find((delivery) => delivery.state === 'pending')!;
      const leased = await own.replaceDelivery({ ...next, leaseHolder: 'sender', leaseUntil: Date.now() + 30_000 });
      if (!leased || (await own.getDelivery(jobId, next.id))?.leaseHolder !== 'sender') throw new Error('lease lost');
      sent.push(leased.id);
      await own.replaceDelivery({ ...leased, state: 'delivered', attempts: [{ at: Date.now(), status: 204 }], nextAttemptAt: null, leaseHolder: null, leaseUntil: 0 });
    });
    expect(await runDurableObjectAlarm(stub(record.id))).toBe(true);
    expect(sent).toEqual([first.id]);
    expect(await store.getDelivery(record.id, first.id)).toMatchObject({ state: 'delivered', version: 3, leaseHolder: null });
    // The handler wrote, so the alarm moves straight on to the next delivery (no idle retry delay).
    expect(await storedAlarm(stub(record.id))).toBe(second.nextAttemptAt);
    // Its alarm would otherwise fire during later tests.
    await store.delete(record.id);
  });

  it('keeps the deliveries across eviction, in a table that only jobs with webhooks have', async () => {
    const { store, stub } = subject('outbox-eviction');
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    expect(await sqlRows(stub(record.id), "SELECT name FROM sqlite_master WHERE name = 'delivery'")).toEqual([]);
    const delivery = sampleDelivery(record, { nextAttemptAt: Date.now() + 10 * 60_000 });
    await withOutbox(store, record, [delivery]);
    const listed = await store.listDeliveries(record.id);
    await evictDurableObject(stub(record.id));
    expect(await store.listDeliveries(record.id)).toEqual(listed);
    expect(await store.getDelivery(record.id, delivery.id)).toEqual({ ...delivery, version: 1 });
    expect(await storedAlarm(stub(record.id))).toBe(delivery.nextAttemptAt);
    expect(await sqlRows(stub(record.id), 'SELECT id, sequence, state FROM delivery')).toEqual([{ id: delivery.id, sequence: 1, state: 'pending' }]);
  });

  it('writes neither the record nor any delivery when one delivery of the outbox cannot be stored', async () => {
    const { store } = subject('outbox-atomic');
    const record = await created(store, sampleRecord());
    const delivery = sampleDelivery(record);
    const duplicate = { ...sampleDelivery(record, { sequence: 2 }), id: delivery.id };
    await expect(store.replace({ ...record, status: 'completed' }, [delivery, duplicate])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.get(record.id)).toEqual(record);
    expect(await store.listDeliveries(record.id)).toEqual([]);
    expect(await store.replace({ ...record, status: 'completed' }, [delivery])).toMatchObject({ status: 'completed', version: 2 });
  });

  it('refuses a delivery of another job, which could never be found again, as the bug it is', async () => {
    const { store } = subject('outbox-stray');
    const record = await created(store, sampleRecord());
    const error = await store.replace(record, [sampleDelivery(sampleRecord())]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(await store.get(record.id)).toEqual(record);
  });
});

describe('the owner index', () => {
  const owner = '7'.repeat(64);

  it('lists around a job whose object holds no record, still filling the page', async () => {
    const { store, stub } = subject('list-missing');
    const [oldest, lost, newest] = await Promise.all([100, 200, 300].map((createdAt) => created(store, sampleRecord({ owner, createdAt }))));
    await sqlRows(stub(lost!.id), 'DELETE FROM job');
    expect(await store.list(owner, { limit: 10 })).toEqual([newest, oldest]);
    expect(await store.list(owner, { limit: 2 })).toEqual([newest, oldest]);
  });

  it('keeps the newest status when status updates arrive out of order', async () => {
    const { store, index } = subject('status-order');
    const record = await created(store, sampleRecord({ owner }));
    await index(owner).setStatus(record.id, 'completed', 3);
    await index(owner).setStatus(record.id, 'in_progress', 2);
    expect(await index(owner).list({ limit: 10 })).toEqual([{ id: record.id, createdAt: record.createdAt, status: 'completed' }]);
  });

  it('costs no storage for an id or an owner that was never written, nor for a job once deleted with its deliveries', async () => {
    const { store, stub, index } = subject('no-storage');
    const tables = 'SELECT name FROM sqlite_master';
    expect(await store.get('job_nobodyhome000000000000')).toBeUndefined();
    expect(await store.listDeliveries('job_nobodyhome000000000000')).toEqual([]);
    expect(await store.getDelivery('job_nobodyhome000000000000', 'msg_nobody')).toBeUndefined();
    expect(await store.list('9'.repeat(64), { limit: 10 })).toEqual([]);
    expect(await sqlRows(stub('job_nobodyhome000000000000'), tables)).toEqual([]);
    expect(await sqlRows(index('9'.repeat(64)), tables)).toEqual([]);
    const record = await created(store, sampleRecord({ nextPollAt: Date.now() + HOUR }));
    const delivery = sampleDelivery(record, { nextAttemptAt: Date.now() + 60_000 });
    await withOutbox(store, record, [delivery]);
    await store.delete(record.id);
    expect(await sqlRows(stub(record.id), tables)).toEqual([]);
    expect(await storedAlarm(stub(record.id))).toBeNull();
    expect(await store.getDelivery(record.id, delivery.id)).toBeUndefined();
  });
});

/** The bound namespaces, with the job objects' `create` replaced. */
function withJobCreate(create: (real: JobObjectRpc, record: JobRecord, prefix: string) => ReturnType<JobObjectRpc['create']>): JobStoreNamespaces {
  const real = boundNamespaces();
  return {
    owners: real.owners,
    jobs: {
      idFromName: (name) => real.jobs.idFromName(name),
      get(id) {
        const stub = real.jobs.get(id);
        return {
          create: (record, prefix) => create(stub, record, prefix),
          read: () => stub.read(),
          waitForChange: (afterVersion, timeoutMs) => stub.waitForChange(afterVersion, timeoutMs),
          replace: (next, outbox) => stub.replace(next, outbox),
          acquireLease: (holder, now, leaseMs) => stub.acquireLease(holder, now, leaseMs),
          listDeliveries: () => stub.listDeliveries(),
          getDelivery: (id) => stub.getDelivery(id),
          replaceDelivery: (next) => stub.replaceDelivery(next),
          delete: () => stub.delete(),
        };
      },
    },
  };
}

describe('a create that fails half-way', () => {
  const claim = { key: 'key-half', requestHash: 'h', expiresAt: Date.parse('2026-12-02T10:00:00Z') };
  const prefix = () => `half-${crypto.randomUUID()}/`;

  it('frees the key and the listing when the job object was never written, so a retry can create it', async () => {
    const shared = prefix();
    const failing = durableObjectJobStore(
      withJobCreate(async () => {
        throw new Error('Network connection lost.');
      }),
      { prefix: shared },
    );
    const record = sampleRecord();
    const error = await failing.create(record, claim).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const store = durableObjectJobStore(boundNamespaces(), { prefix: shared });
    expect(await store.list(record.owner, { limit: 10 })).toEqual([]);
    expect(await store.create(sampleRecord(), claim)).toMatchObject({ created: true });
  });

  it('counts as created when the write landed but its answer was lost', async () => {
    const shared = prefix();
    const lossy = durableObjectJobStore(
      withJobCreate(async (real, record, at) => {
        await real.create(record, at);
        throw new Error('Network connection lost.');
      }),
      { prefix: shared },
    );
    const record = sampleRecord();
    expect(await lossy.create(record, claim)).toEqual({ created: true, record });
    expect(await lossy.list(record.owner, { limit: 10 })).toEqual([record]);
  });
});

describe('errors', () => {
  /** Namespaces whose objects all fail, as an unreachable or overloaded object does. */
  function broken(): JobStoreNamespaces {
    const fail = async (): Promise<never> => {
      throw Object.assign(new Error('Durable Object is overloaded.'), { overloaded: true });
    };
    const jobs: JobObjectRpc = { create: fail, read: fail, waitForChange: fail, replace: fail, acquireLease: fail, listDeliveries: fail, getDelivery: fail, replaceDelivery: fail, delete: fail };
    const owners: OwnerIndexRpc & AccountLedgerRpc = {
      register: fail, unregister: fail, setStatus: fail, remove: fail, list: fail, releaseClaim: fail,
      admitBooking: fail, settleBooking: fail, releaseBooking: fail, usage: fail,
    };
    return { jobs: { idFromName: (name) => name, get: () => jobs }, owners: { idFromName: (name) => name, get: () => owners } };
  }

  it('surface as StoreUnavailableError from every operation', async () => {
    const store = durableObjectJobStore(broken());
    const record = sampleRecord();
    const attempts = [
      store.create(record),
      store.get(record.id),
      store.replace(record),
      store.replace(record, [sampleDelivery(record)]),
      store.listDeliveries(record.id),
      store.getDelivery(record.id, 'msg_x'),
      store.replaceDelivery(sampleDelivery(record)),
      store.acquireLease(record.id, 'a', 0, 1),
      store.list(record.owner, { limit: 1 }),
      store.releaseClaim(record.owner, 'k'),
      store.delete(record.id),
      store.waitForChange!(record.id, 1, 10),
      store.admitBooking(sampleBooking(), {}),
      store.settleBooking('acct', record.id, { amountMicros: 1, providerUnits: null, unit: null, source: 'provider', live: false }),
      store.releaseBooking('acct', record.id),
      store.usage('acct', 0, 1),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('are plain errors for a duplicate id, which is a bug rather than an outage', async () => {
    const { store } = subject('duplicate');
    const record = await created(store, sampleRecord());
    const error = await store.create(record).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('the store a job object gives its alarm handler', () => {
  it('calls that object directly for its own job and goes through the namespace for any other', async () => {
    const real = boundNamespaces();
    const named: string[] = [];
    const namespaces: JobStoreNamespaces = {
      owners: real.owners,
      jobs: { idFromName: (name) => (named.push(name), real.jobs.idFromName(name)), get: (id) => real.jobs.get(id) },
    };
    const own = sampleRecord();
    const delivery = sampleDelivery(own);
    const local: JobObjectRpc = {
      create: async () => ({ created: false }),
      read: async () => own,
      waitForChange: async () => own,
      replace: async (next) => ({ ...next, version: next.version + 1 }),
      acquireLease: async (holder) => ({ ...own, leaseHolder: holder }),
      listDeliveries: async () => [delivery],
      getDelivery: async (id) => (id === delivery.id ? delivery : undefined),
      replaceDelivery: async (next) => ({ ...next, version: next.version + 1 }),
      delete: async () => {},
    };
    const store = durableObjectJobStore(namespaces, { prefix: 'self-test/', self: { id: own.id, object: local } });
    expect(await store.get(own.id)).toBe(own);
    expect(await store.acquireLease(own.id, 'me', 0, 1)).toMatchObject({ leaseHolder: 'me' });
    expect(await store.replace(own, [delivery])).toMatchObject({ version: 2 });
    expect(await store.listDeliveries(own.id)).toEqual([delivery]);
    expect(await store.getDelivery(own.id, delivery.id)).toBe(delivery);
    expect(await store.replaceDelivery(delivery)).toMatchObject({ version: 2 });
    expect(named).toEqual([]);
    expect(await store.get('job_someoneelse0000000000')).toBeUndefined();
    expect(await store.listDeliveries('job_someoneelse0000000000')).toEqual([]);
    expect(named).toEqual(['self-test/job_someoneelse0000000000', 'self-test/job_someoneelse0000000000']);
  });
});
