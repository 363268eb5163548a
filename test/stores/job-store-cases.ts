/**
 * The job store conformance suite: one set of cases every implementation of the port runs (memory,
 * SQLite, PostgreSQL on Node; Durable Objects inside workerd). Runtime-agnostic: no Node or Workers
 * APIs here, so the same cases run on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../providers/types.ts';
import { StoreUnavailableError, type JobRecord, type JobStore, type ListCursor, type ListQuery, type ScannableJobStore, type WebhookDelivery } from '../../src/jobs/store/job-store.ts';

export interface StoreUnderTest {
  store: JobStore;
  close(): Promise<void>;
}

let counter = 0;

/** A fresh record with plausible content; ids are unique per run. */
export function sampleRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  counter += 1;
  const now = Date.parse('2026-12-01T10:00:00Z') + counter;
  return {
    id: `job_conformance${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`,
    owner: 'a'.repeat(64),
    model: 'kling-2.5',
    provider: 'krea',
    providerModel: 'kling/kling-2.5',
    operation: { job_id: `op-${counter}` },
    status: 'queued',
    rawStatus: 'queued',
    progress: 0,
    input: { prompt: 'a lighthouse at dusk — 灯台 🌅', duration: 5, provider_options: { krea: { width: 832 } } },
    warnings: [{ code: 'duration_adjusted', field: 'duration', message: 'm', requested: 5, applied: 4.875 }],
    metadata: { user: 'u1', 'quoted"key': 'line\nbreak' },
    videos: [],
    error: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    observedAt: now,
    nextPollAt: null,
    pollIntervalMs: null,
    leaseHolder: null,
    leaseUntil: 0,
    version: 1,
    extra: { webhook: { url: 'https://example.com/hook', events: ['job.completed'] } },
    ...overrides,
  };
}

let deliveryCounter = 0;

/** A pending delivery of `record`'s job; ids are unique per run. */
export function sampleDelivery(record: JobRecord, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  deliveryCounter += 1;
  return {
    id: `msg_conformance${Date.now().toString(36)}${deliveryCounter.toString(36).padStart(4, '0')}`,
    jobId: record.id,
    owner: record.owner,
    event: 'job.completed',
    url: 'https://hooks.example.com/vidgate?x=1',
    payload: JSON.stringify({ type: 'job.completed', timestamp: '2026-12-01T10:00:00.000Z', data: { id: record.id, prompt: '灯台 🌅', duration: 4.875 } }),
    sequence: 1,
    state: 'pending',
    attempts: [],
    nextAttemptAt: record.createdAt,
    createdAt: record.createdAt,
    leaseHolder: null,
    leaseUntil: 0,
    version: 1,
    ...overrides,
  };
}

/**
 * The SQL stores' own guarantee (their unique keys): a delivery id, or a job's sequence number,
 * written twice is a plain error (a bug upstream, not an outage), and neither the job change nor
 * the rest of its outbox is written.
 */
export async function expectDuplicateDeliveryRefused(store: JobStore): Promise<void> {
  const [record, other] = [sampleRecord(), sampleRecord()];
  for (const job of [record, other]) await store.create(job);
  const taken = sampleDelivery(other);
  await store.replace(other, [taken]);
  const fresh = sampleDelivery(record);
  const duplicateId = store.replace({ ...record, status: 'completed' }, [fresh, { ...taken, jobId: record.id, sequence: 2 }]);
  await expect(duplicateId).rejects.toThrow(`delivery ${taken.id} exists`);
  await expect(duplicateId).rejects.not.toBeInstanceOf(StoreUnavailableError);
  const duplicateSequence = store.replace({ ...record, status: 'completed' }, [fresh, sampleDelivery(record, { sequence: 1 })]);
  await expect(duplicateSequence).rejects.toThrow(`job ${record.id} already has a delivery with sequence 1`);
  expect(await store.get(record.id)).toEqual(record);
  expect(await store.listDeliveries(record.id)).toEqual([]);
}

/** Registers the cases; `open` gives a store on an empty database (or namespace) each time. */
export interface StoreKind {
  /**
   * Whether the driver finds due jobs by scanning the store (`claimDue`: the SQL stores). Durable
   * Objects wake each job with its own alarm instead; the Workers driver tests cover that.
   */
  scannable: boolean;
  /** Whether the store holds waiters beside the job (`waitForChange`: memory, Durable Objects). */
  waitsForChanges: boolean;
}

export function jobStoreCases(name: string, open: () => Promise<StoreUnderTest>, kind: StoreKind): void {
  describe(`job store: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: JobStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject?.close());

    describe('records', () => {
      it('gives back exactly what was created, at version 1', async () => {
        const record = sampleRecord({ version: 7, operation: { generation_id: 'a:b/c', nested: [1, null, true] } });
        const outcome = await store.create(record);
        expect(outcome).toEqual({ created: true, record: { ...record, version: 1 } });
        expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
      });

      it('keeps nulls, long prompts and every JSON shape intact', async () => {
        const record = sampleRecord({ operation: null, progress: null, rawStatus: null, observedAt: null, input: { prompt: '長'.repeat(40_000) }, extra: {} });
        await store.create(record);
        expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
      });

      it('knows nothing of an id it never stored', async () => {
        expect(await store.get('job_doesnotexist000000000000')).toBeUndefined();
      });

      it('refuses to create the same id twice', async () => {
        const record = sampleRecord();
        await store.create(record);
        await expect(store.create(record)).rejects.toThrow();
      });

      it('replaces a record only at the version it was read at', async () => {
        const record = sampleRecord();
        await store.create(record);
        const stored = (await store.get(record.id))!;
        const written = await store.replace({ ...stored, status: 'in_progress', progress: 40 });
        expect(written).toMatchObject({ status: 'in_progress', progress: 40, version: 2 });
        expect(await store.replace({ ...stored, status: 'failed' })).toBeUndefined();
        expect(await store.get(record.id)).toMatchObject({ status: 'in_progress', version: 2 });
      });

      it('lets exactly one of two racing writers at the same version win', async () => {
        const record = sampleRecord();
        await store.create(record);
        const stored = (await store.get(record.id))!;
        const results = await Promise.all([store.replace({ ...stored, progress: 10 }), store.replace({ ...stored, progress: 20 })]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.find(Boolean)!;
        expect(await store.get(record.id)).toEqual(winner);
      });

      it('does not replace a record that does not exist', async () => {
        expect(await store.replace(sampleRecord())).toBeUndefined();
      });

      it('forgets a deleted record', async () => {
        const record = sampleRecord({ owner: 'd'.repeat(64) });
        await store.create(record);
        await store.delete(record.id);
        expect(await store.get(record.id)).toBeUndefined();
        expect(await store.list(record.owner, { limit: 10 })).toEqual([]);
      });
    });

    describe('leases', () => {
      it('gives a free lease, refuses it to others until it expires, and renews it for its holder', async () => {
        const record = sampleRecord();
        await store.create(record);
        const now = 1_000_000;
        expect(await store.acquireLease(record.id, 'instance-a', now, 30_000)).toMatchObject({ leaseHolder: 'instance-a', leaseUntil: now + 30_000, version: 2 });
        expect(await store.acquireLease(record.id, 'instance-b', now + 29_999, 30_000)).toBeUndefined();
        expect(await store.acquireLease(record.id, 'instance-a', now + 10_000, 30_000)).toMatchObject({ leaseUntil: now + 40_000 });
        expect(await store.acquireLease(record.id, 'instance-b', now + 40_000, 30_000)).toMatchObject({ leaseHolder: 'instance-b' });
      });

      it('gives a contested lease to exactly one holder', async () => {
        const record = sampleRecord();
        await store.create(record);
        const results = await Promise.all(['a', 'b', 'c', 'd'].map((holder) => store.acquireLease(record.id, holder, 5_000, 30_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('has no lease to give for a job that does not exist', async () => {
        expect(await store.acquireLease('job_doesnotexist000000000000', 'a', 0, 1)).toBeUndefined();
      });

      it('lets a lease be released by writing the record back without it', async () => {
        const record = sampleRecord();
        await store.create(record);
        const leased = (await store.acquireLease(record.id, 'a', 1_000, 30_000))!;
        await store.replace({ ...leased, leaseHolder: null, leaseUntil: 0 });
        expect(await store.acquireLease(record.id, 'b', 1_001, 30_000)).toMatchObject({ leaseHolder: 'b' });
      });
    });

    describe('listing', () => {
      const owner = 'b'.repeat(64);
      const ids: string[] = [];
      beforeAll(async () => {
        // Five jobs; the last two share a creation time, so the id breaks the tie.
        const times = [100, 200, 300, 400, 400];
        for (const [index, createdAt] of times.entries()) {
          const record = sampleRecord({ owner, createdAt, id: `job_list${index}${'x'.repeat(20)}`, status: index % 2 === 0 ? 'completed' : 'queued' });
          await store.create(record);
          ids.push(record.id);
        }
        await store.create(sampleRecord({ owner: 'c'.repeat(64), createdAt: 500 }));
      });

      it('lists only the owner’s jobs, newest first, ties broken by id', async () => {
        const listed = await store.list(owner, { limit: 10 });
        expect(listed.map((record) => record.id)).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
      });

      it('pages with a limit and the position of the last record seen', async () => {
        const first = await store.list(owner, { limit: 2 });
        expect(first.map((record) => record.id)).toEqual([ids[4], ids[3]]);
        const last = first.at(-1)!;
        const second = await store.list(owner, { limit: 2, after: { createdAt: last.createdAt, id: last.id } });
        expect(second.map((record) => record.id)).toEqual([ids[2], ids[1]]);
      });

      it('filters by status', async () => {
        const completed = await store.list(owner, { limit: 10, status: 'completed' });
        expect(completed.map((record) => record.id)).toEqual([ids[4], ids[2], ids[0]]);
      });

      it('lists nothing for an owner with no jobs', async () => {
        expect(await store.list('f'.repeat(64), { limit: 10 })).toEqual([]);
        expect(await store.list('f'.repeat(64), { limit: 10, order: 'asc' })).toEqual([]);
      });
    });

    describe('listing in either order', () => {
      const owner = '1'.repeat(64);
      const id = (name: string) => `job_order${name}${'x'.repeat(20)}`;
      const ids = (names: string) => [...names].map(id);
      /** All of the owner's jobs oldest first (created_at asc, then id asc); `desc` is this reversed. */
      const oldestFirst = ids('cfabedg');
      const newestFirst = oldestFirst.toReversed();
      const listed = async (query: ListQuery) => (await store.list(owner, query)).map((record) => record.id);
      /** Every page from the first until one comes back empty, checking each is full but the last. */
      const allPages = async (query: ListQuery) => {
        const pages: string[][] = [];
        let after: ListCursor | undefined;
        for (;;) {
          const page = await store.list(owner, { ...query, ...(after && { after }) });
          if (page.length === 0) return pages;
          expect(page.length).toBeLessThanOrEqual(query.limit);
          if (pages.length > 0) expect(pages.at(-1)!.length).toBe(query.limit);
          pages.push(page.map((record) => record.id));
          const last = page.at(-1)!;
          after = { createdAt: last.createdAt, id: last.id };
        }
      };
      beforeAll(async () => {
        // Created neither in time nor in id order, three to a millisecond at most, so that only
        // sorting by (created_at, id) gives the expected lists.
        const jobs: [string, number, JobStatus][] = [
          ['e', 200, 'queued'], ['a', 200, 'completed'], ['c', 100, 'completed'], ['g', 300, 'queued'],
          ['b', 200, 'queued'], ['f', 100, 'queued'], ['d', 300, 'completed'],
        ];
        for (const [name, createdAt, status] of jobs) await store.create(sampleRecord({ owner, id: id(name), createdAt, status }));
        await store.create(sampleRecord({ owner: '2'.repeat(64), createdAt: 150 }));
      });

      it('lists oldest first with `asc`, ties broken by id: the exact reverse of `desc`', async () => {
        expect(await listed({ limit: 10, order: 'asc' })).toEqual(oldestFirst);
        expect(await listed({ limit: 10, order: 'desc' })).toEqual(newestFirst);
        expect(await listed({ limit: 10 })).toEqual(newestFirst);
      });

      it('pages with `after` in both orders, reaching every record exactly once', async () => {
        for (const [order, all] of [['asc', oldestFirst], ['desc', newestFirst]] as const) {
          for (const limit of [1, 2, 3]) {
            const pages = await allPages({ limit, order });
            expect(pages.flat(), `${order}, limit ${limit}`).toEqual(all);
          }
        }
      });

      it('starts after the cursor in the chosen order, within and across creation times', async () => {
        const cursor = { createdAt: 200, id: id('b') };
        expect(await listed({ limit: 10, order: 'asc', after: cursor })).toEqual(ids('edg'));
        expect(await listed({ limit: 10, order: 'desc', after: cursor })).toEqual(ids('afc'));
        expect(await listed({ limit: 10, order: 'asc', after: { createdAt: 300, id: id('g') } })).toEqual([]);
      });

      it('filters by status with `asc`, and pages within the filter', async () => {
        expect(await listed({ limit: 10, order: 'asc', status: 'completed' })).toEqual(ids('cad'));
        expect(await allPages({ limit: 2, order: 'asc', status: 'queued' })).toEqual([ids('fb'), ids('eg')]);
        expect(await listed({ limit: 10, order: 'asc', status: 'failed' })).toEqual([]);
      });

      it('gives at most `limit` records, the first ones of the order', async () => {
        expect(await listed({ limit: 3, order: 'asc' })).toEqual(ids('cfa'));
        expect(await listed({ limit: 3, order: 'desc' })).toEqual(ids('gde'));
        expect(await listed({ limit: 0, order: 'asc' })).toEqual([]);
      });
    });

    describe('idempotency keys', () => {
      const claim = (key: string, requestHash = 'hash-1') => ({ key, requestHash, expiresAt: Date.parse('2026-12-02T10:00:00Z') });

      it('hands back the job a key already created, with the digest it was created with', async () => {
        const first = sampleRecord();
        await store.create(first, claim('key-1'));
        const second = sampleRecord();
        expect(await store.create(second, claim('key-1', 'hash-2'))).toEqual({ created: false, jobId: first.id, requestHash: 'hash-1' });
        expect(await store.get(second.id)).toBeUndefined();
      });

      it('keeps keys apart per owner', async () => {
        await store.create(sampleRecord(), claim('key-2'));
        const other = await store.create(sampleRecord({ owner: 'e'.repeat(64) }), claim('key-2'));
        expect(other.created).toBe(true);
      });

      it('creates exactly one job when racing requests share a key', async () => {
        const records = Array.from({ length: 8 }, () => sampleRecord());
        const outcomes = await Promise.all(records.map((record) => store.create(record, claim('key-race'))));
        const created = outcomes.filter((outcome) => outcome.created);
        expect(created).toHaveLength(1);
        const winner = (created[0] as { record: JobRecord }).record.id;
        for (const outcome of outcomes) if (!outcome.created) expect(outcome.jobId).toBe(winner);
      });

      it('lets an expired key be used again', async () => {
        const record = sampleRecord();
        await store.create(record, { key: 'key-3', requestHash: 'h', expiresAt: record.createdAt - 1 });
        expect((await store.create(sampleRecord(), claim('key-3'))).created).toBe(true);
      });

      it('frees a released key', async () => {
        const record = sampleRecord();
        await store.create(record, claim('key-4'));
        await store.releaseClaim(record.owner, 'key-4');
        expect((await store.create(sampleRecord(), claim('key-4'))).created).toBe(true);
      });
    });

    describe('the webhook outbox', () => {
      it('writes deliveries in the same step as the job change, and lists them in sequence order', async () => {
        const record = sampleRecord();
        await store.create(record);
        const stored = (await store.get(record.id))!;
        const [second, first] = [sampleDelivery(record, { sequence: 2, event: 'job.completed' }), sampleDelivery(record, { sequence: 1, event: 'job.updated', version: 9 })];
        const written = await store.replace({ ...stored, status: 'completed' }, [second, first]);
        expect(written).toMatchObject({ status: 'completed', version: 2 });
        expect(await store.listDeliveries(record.id)).toEqual([{ ...first, version: 1 }, { ...second, version: 1 }]);
        expect(await store.getDelivery(record.id, first.id)).toEqual({ ...first, version: 1 });
      });

      it('writes none of the outbox when the job write loses its compare-and-set', async () => {
        const record = sampleRecord();
        await store.create(record);
        const stored = (await store.get(record.id))!;
        await store.replace({ ...stored, progress: 10 });
        expect(await store.replace({ ...stored, status: 'completed' }, [sampleDelivery(record)])).toBeUndefined();
        expect(await store.listDeliveries(record.id)).toEqual([]);
      });

      it('finds a delivery only under its own job', async () => {
        const record = sampleRecord();
        await store.create(record);
        const delivery = sampleDelivery(record);
        await store.replace((await store.get(record.id))!, [delivery]);
        expect(await store.getDelivery('job_someotherjob00000000000000', delivery.id)).toBeUndefined();
        expect(await store.listDeliveries('job_someotherjob00000000000000')).toEqual([]);
      });

      it('replaces a delivery only at the version it was read at', async () => {
        const record = sampleRecord();
        await store.create(record);
        const delivery = sampleDelivery(record);
        await store.replace((await store.get(record.id))!, [delivery]);
        const read = (await store.getDelivery(record.id, delivery.id))!;
        const attempted = { ...read, attempts: [{ at: 1, status: 500 }, { at: 2, error: 'timeout after 10000 ms' }], nextAttemptAt: 5 };
        expect(await store.replaceDelivery(attempted)).toEqual({ ...attempted, version: 2 });
        expect(await store.replaceDelivery({ ...read, state: 'delivered' })).toBeUndefined();
        expect(await store.getDelivery(record.id, delivery.id)).toMatchObject({ version: 2, attempts: attempted.attempts });
      });

      it('forgets a deleted job’s deliveries', async () => {
        const record = sampleRecord();
        await store.create(record);
        await store.replace((await store.get(record.id))!, [sampleDelivery(record)]);
        await store.delete(record.id);
        expect(await store.listDeliveries(record.id)).toEqual([]);
      });
    });

    // Optional in the port: stores that cannot hold waiters leave it out (watchers read on a timer).
    if (!kind.waitsForChanges) it('leaves out waitForChange', () => expect(store.waitForChange).toBeUndefined());
    if (kind.waitsForChanges) describe('waiting for a change', () => {
      const waiting = () => store.waitForChange!.bind(store);
      it('answers at once when the record is already newer', async () => {
        const record = sampleRecord();
        await store.create(record);
        expect(await waiting()(record.id, 0, 5_000)).toMatchObject({ id: record.id, version: 1 });
      });

      it('answers with the write that makes it newer', async () => {
        const record = sampleRecord();
        await store.create(record);
        const waiter = waiting()(record.id, 1, 10_000);
        const written = await store.replace({ ...(await store.get(record.id))!, progress: 55 });
        expect(await waiter).toEqual(written);
      });

      it('answers undefined after the time asked, or when the job is deleted', async () => {
        const record = sampleRecord();
        await store.create(record);
        expect(await waiting()(record.id, 1, 50)).toBeUndefined();
        const waiter = waiting()(record.id, 1, 10_000);
        await store.delete(record.id);
        expect(await waiter).toBeUndefined();
        expect(await waiting()('job_missing', 0, 50)).toBeUndefined();
      });
    });

    if (kind.scannable) describe('due deliveries', () => {
      const scanner = () => store as ScannableJobStore;

      it('leases only the first unfinished delivery of each job, soonest first', async () => {
        const base = 9_200_000_000_000;
        const [a, b] = [sampleRecord(), sampleRecord()];
        for (const record of [a, b]) await store.create(record);
        const a1 = sampleDelivery(a, { sequence: 1, nextAttemptAt: base + 5 });
        const a2 = sampleDelivery(a, { sequence: 2, nextAttemptAt: base });
        const b1 = sampleDelivery(b, { sequence: 1, nextAttemptAt: base + 1 });
        await store.replace((await store.get(a.id))!, [a1, a2]);
        await store.replace((await store.get(b.id))!, [b1]);
        const claimed = (await scanner().claimDueDeliveries('sender-1', base + 100, 30_000, 10)).filter((delivery) => [a.id, b.id].includes(delivery.jobId));
        expect(claimed.map((delivery) => delivery.id)).toEqual([b1.id, a1.id]);
        expect(claimed[0]).toMatchObject({ leaseHolder: 'sender-1', leaseUntil: base + 30_100, version: 2 });
        const after = (await scanner().claimDueDeliveries('sender-2', base + 200, 30_000, 10)).filter((delivery) => delivery.jobId === a.id);
        expect(after).toEqual([]);
        const delivered = (await store.getDelivery(a.id, a1.id))!;
        await store.replaceDelivery({ ...delivered, state: 'delivered', nextAttemptAt: null, leaseHolder: null, leaseUntil: 0 });
        const next = (await scanner().claimDueDeliveries('sender-2', base + 300, 30_000, 10)).filter((delivery) => delivery.jobId === a.id);
        expect(next.map((delivery) => delivery.id)).toEqual([a2.id]);
      });

      it('never hands one delivery to two concurrent senders, and skips future ones', async () => {
        const base = 9_300_000_000_000;
        const records = Array.from({ length: 20 }, () => sampleRecord());
        for (const [index, record] of records.entries()) {
          await store.create(record);
          await store.replace((await store.get(record.id))!, [sampleDelivery(record, { nextAttemptAt: index < 15 ? base + index : base + 1_000_000 })]);
        }
        const ids = new Set(records.map((record) => record.id));
        const batches = await Promise.all(['s1', 's2', 's3'].map((holder) => scanner().claimDueDeliveries(holder, base + 100, 30_000, 12)));
        const claimed = batches.flat().filter((delivery) => ids.has(delivery.jobId)).map((delivery) => delivery.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed).toHaveLength(15);
      });
    });

    if (kind.scannable) describe('due jobs', () => {
      const scanner = () => store as ScannableJobStore;

      it('leases due jobs soonest first, skipping leased, future and finished ones', async () => {
        const base = 9_000_000_000_000;
        const soon = sampleRecord({ nextPollAt: base + 10 });
        const sooner = sampleRecord({ nextPollAt: base + 5 });
        const future = sampleRecord({ nextPollAt: base + 1_000_000 });
        const finished = sampleRecord({ nextPollAt: null, status: 'completed' });
        const leased = sampleRecord({ nextPollAt: base, leaseHolder: 'other', leaseUntil: base + 10_000 });
        for (const record of [soon, sooner, future, finished, leased]) await store.create(record);
        const claimed = await scanner().claimDue('driver-1', base + 100, 30_000, 10);
        const mine = claimed.filter((record) => [soon, sooner, future, finished, leased].some((r) => r.id === record.id));
        expect(mine.map((record) => record.id)).toEqual([sooner.id, soon.id]);
        expect(mine[0]).toMatchObject({ leaseHolder: 'driver-1', leaseUntil: base + 30_100, version: 2 });
        expect(await scanner().claimDue('driver-2', base + 200, 30_000, 10)).not.toEqual(expect.arrayContaining([expect.objectContaining({ id: soon.id })]));
        const afterExpiry = await scanner().claimDue('driver-2', base + 40_000, 30_000, 10);
        expect(afterExpiry.map((record) => record.id)).toEqual(expect.arrayContaining([sooner.id, soon.id, leased.id]));
      });

      it('never hands one job to two concurrent drivers', async () => {
        const base = 9_100_000_000_000;
        const records = Array.from({ length: 30 }, (_, index) => sampleRecord({ nextPollAt: base + index }));
        for (const record of records) await store.create(record);
        const batches = await Promise.all(['d1', 'd2', 'd3'].map((holder) => scanner().claimDue(holder, base + 1_000, 30_000, 12)));
        const claimed = batches.flat().map((record) => record.id).filter((id) => records.some((record) => record.id === id));
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed).toHaveLength(30);
      });
    });
  });
}
