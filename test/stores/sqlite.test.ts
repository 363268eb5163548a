import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type AccountLimits, type JobRecord, type ScannableJobStore } from '../../src/jobs/store/job-store.ts';
import { openSqliteJobStore } from '../../src/node/sqlite-job-store.ts';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src/node/sqlite-job-store-schema.ts';
import { openDatabase, type SqliteDatabase } from '../../src/node/sqlite.ts';
import { expectDuplicateDeliveryRefused, jobStoreCases, sampleDelivery, sampleRecord } from './job-store-cases.ts';
import { finalFigure, freshAccount, ledgerCases, racingAdmits, sampleBooking } from './ledger-cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'vidgate-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A path for a database file of its own. */
const freshPath = () => join(dir, `store-${(files += 1)}.db`);

jobStoreCases('sqlite', async () => {
  const store = openSqliteJobStore({ path: freshPath() });
  return { store, close: () => store.close() };
}, { scannable: true, waitsForChanges: false });

jobStoreCases('sqlite (:memory:)', async () => {
  const store = openSqliteJobStore({ path: ':memory:' });
  return { store, close: () => store.close() };
}, { scannable: true, waitsForChanges: false });

ledgerCases('sqlite', async () => {
  const store = openSqliteJobStore({ path: freshPath() });
  return { store, close: () => store.close() };
});

// Closed after each test: stores and raw connections the test opened.
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0).reverse()) await handle.close();
});

function open(path: string, busyTimeoutMs?: number): ScannableJobStore {
  const store = openSqliteJobStore({ path, busyTimeoutMs });
  opened.push(store);
  return store;
}

/** A second connection to the file, below the store (to inspect it, or to hold its lock). */
function rawConnection(path: string): SqliteDatabase {
  const db = openDatabase(path);
  opened.push({ close: () => db.isOpen && db.close() });
  return db;
}

function pragma(db: SqliteDatabase, name: string): unknown {
  return Object.values(db.prepare(`PRAGMA ${name}`).get()!)[0];
}

describe('sqlite job store: the file', () => {
  it('is in WAL mode', () => {
    const path = freshPath();
    open(path);
    expect(pragma(rawConnection(path), 'journal_mode')).toBe('wal');
  });

  it('creates the directory it is in when missing', async () => {
    const store = open(join(dir, 'not', 'yet', 'there', 'vidgate.db'));
    const record = sampleRecord();
    await store.create(record);
    expect(await store.get(record.id)).toMatchObject({ id: record.id });
  });

  it('keeps its jobs and idempotency keys when closed and reopened', async () => {
    const path = freshPath();
    const first = openSqliteJobStore({ path });
    const record = sampleRecord();
    const claim = { key: 'k', requestHash: 'h', expiresAt: record.createdAt + 1_000 };
    await first.create(record, claim);
    await first.close();
    const again = open(path);
    expect(await again.get(record.id)).toEqual({ ...record, version: 1 });
    expect(await again.create(sampleRecord(), claim)).toEqual({ created: false, jobId: record.id, requestHash: 'h' });
  });

  it('round-trips record fields it has never heard of, since everything but the queried columns is one JSON text', async () => {
    const store = open(freshPath());
    const record = { ...sampleRecord(), usage: { seconds: 4.875, credits: [1, 2] }, webhookSecretId: null } as JobRecord;
    await store.create(record);
    expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
  });

  it('is closed again without complaint', async () => {
    const store = openSqliteJobStore({ path: freshPath() });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('sqlite job store: migrations', () => {
  it('brings a new file to the current schema version', () => {
    const path = freshPath();
    open(path);
    expect(pragma(rawConnection(path), 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('opens an up-to-date file without writing to it, even while another connection holds the write lock', async () => {
    const path = freshPath();
    const record = sampleRecord();
    await open(path).create(record);
    rawConnection(path).exec('BEGIN IMMEDIATE');
    expect(await open(path, 10).get(record.id)).toMatchObject({ id: record.id });
  });

  it('applies only the steps a file has not had, and records the version reached', () => {
    const db = rawConnection(':memory:');
    migrate(db, ['CREATE TABLE one (x)']);
    migrate(db, ['CREATE TABLE one (x)', 'CREATE TABLE two (y)']);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all().map((row) => row.name);
    expect(tables).toEqual(['one', 'two']);
    expect(pragma(db, 'user_version')).toBe(2);
  });

  it('applies nothing of a migration run that fails partway', () => {
    const db = rawConnection(':memory:');
    expect(() => migrate(db, ['CREATE TABLE one (x)', 'CREATE TABLE broken ('])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([]);
    expect(pragma(db, 'user_version')).toBe(0);
  });

  it('brings a file of version 1 to the outbox schema, keeping its jobs and idempotency keys', async () => {
    const path = freshPath();
    const record = sampleRecord();
    const claim = { key: 'before-the-outbox', requestHash: 'h', expiresAt: record.createdAt + 60_000 };
    const old = rawConnection(path);
    migrate(old, MIGRATIONS.slice(0, 1));
    writeVersion1Job(old, record, claim);
    old.close();

    const store = open(path);
    expect(pragma(rawConnection(path), 'user_version')).toBe(SCHEMA_VERSION);
    expect(await store.get(record.id)).toEqual(record);
    expect(await store.create(sampleRecord(), claim)).toEqual({ created: false, jobId: record.id, requestHash: 'h' });
    const delivery = sampleDelivery(record);
    expect(await store.replace({ ...record, status: 'completed' }, [delivery])).toMatchObject({ status: 'completed', version: 2 });
    expect(await store.listDeliveries(record.id)).toEqual([delivery]);
  });

  it('brings a file of version 2 to the ledger schema, keeping its jobs, and books on it', async () => {
    const path = freshPath();
    const record = sampleRecord();
    const old = rawConnection(path);
    migrate(old, MIGRATIONS.slice(0, 2));
    writeVersion1Job(old, record, { key: 'before-the-ledger', requestHash: 'h', expiresAt: record.createdAt + 60_000 });
    old.close();

    const store = open(path);
    expect(pragma(rawConnection(path), 'user_version')).toBe(SCHEMA_VERSION);
    expect(await store.get(record.id)).toEqual(record);
    const booking = sampleBooking({ jobId: record.id });
    expect(await store.admitBooking(booking, { maxConcurrentJobs: 1 })).toBeUndefined();
    expect(await store.admitBooking(sampleBooking({ account: booking.account }), { maxConcurrentJobs: 1 })).toEqual({ reason: 'concurrency' });
  });

  it('refuses a file written by a newer vidgate, naming the path and both versions', async () => {
    const path = freshPath();
    await openSqliteJobStore({ path }).close();
    const db = openDatabase(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openSqliteJobStore({ path })).toThrow(`Cannot open the job store at ${path}: its schema is version ${SCHEMA_VERSION + 1}, newer than this vidgate supports (${SCHEMA_VERSION})`);
  });
});

describe('sqlite job store: files it cannot open', () => {
  it('names the path and the reason, on one line, for a file that is not a database', () => {
    const path = freshPath();
    writeFileSync(path, 'not a database, only words '.repeat(40));
    expect(() => openSqliteJobStore({ path })).toThrow(new RegExp(`^Cannot open the job store at ${escapeRegExp(path)}: file is not a database$`));
  });

  it('names the path and the reason, on one line, for a directory that cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const path = join(blocker, 'vidgate.db');
    // The reason is the operating system's (which errno depends on the platform).
    expect(() => openSqliteJobStore({ path })).toThrow(new RegExp(`^Cannot open the job store at ${escapeRegExp(path)}: E[A-Z]+: [^\\n]*${escapeRegExp(blocker)}[^\\n]*$`));
  });
});

describe('sqlite job store: two connections to one file', () => {
  it('see each other’s writes, and compare-and-set across them', async () => {
    const path = freshPath();
    const [a, b] = [open(path), open(path)];
    const record = sampleRecord();
    await a.create(record);
    const read = (await b.get(record.id))!;
    expect(await b.replace({ ...read, status: 'in_progress' })).toMatchObject({ version: 2 });
    expect(await a.replace({ ...read, status: 'failed' })).toBeUndefined();
    expect(await a.list(record.owner, { limit: 1 })).toEqual([expect.objectContaining({ id: record.id, status: 'in_progress', version: 2 })]);
  });

  it('give an idempotency key to the first of them only', async () => {
    const path = freshPath();
    const [a, b] = [open(path), open(path)];
    const first = sampleRecord();
    const claim = { key: 'shared', requestHash: 'h', expiresAt: first.createdAt + 60_000 };
    await a.create(first, claim);
    expect(await b.create(sampleRecord(), claim)).toEqual({ created: false, jobId: first.id, requestHash: 'h' });
  });

  it('never hand one due delivery to two processes claiming at the same time, nor a job’s second before its first is done', async () => {
    const path = freshPath();
    const store = open(path);
    const now = 9_600_000_000_000;
    const firsts: string[] = [];
    for (let index = 0; index < 60; index++) {
      const record = sampleRecord();
      await store.create(record);
      const [first, second] = [sampleDelivery(record, { sequence: 1, nextAttemptAt: now - index }), sampleDelivery(record, { sequence: 2, nextAttemptAt: now - index - 1 })];
      await store.replace({ ...record, status: 'completed' }, [first, second]);
      firsts.push(first.id);
    }
    const claimed = (await claimInProcesses(path, ['sender-1', 'sender-2'], now, 'deliveries')).flat();
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(firsts.sort());
  });

  it('never overspend a budget when two store instances on the file admit at once: of 50 (25 each) against a budget that fits 10, exactly 10', async () => {
    const path = freshPath();
    const account = freshAccount();
    const { admitted, reasons } = await racingAdmits([open(path), open(path)], account, 50, { dailyBudgetMicros: 3_670_000 }, { amountMicros: 367_000 });
    expect(admitted).toHaveLength(10);
    expect([...reasons]).toEqual(['daily_budget']);
    expect(rawConnection(path).prepare('SELECT count(*) AS booked, sum(amount_micros) AS micros FROM ledger_bookings WHERE account = ?').get(account)).toEqual({ booked: 10, micros: 3_670_000 });
  });

  it('never overspend a budget nor exceed a concurrency limit when two processes admit at the same time', async () => {
    const path = freshPath();
    open(path);
    const budget = await admitInProcesses(path, freshAccount(), 25, 367_000, { dailyBudgetMicros: 3_670_000 });
    expect(budget.flat()).toHaveLength(10);
    const live = await admitInProcesses(path, freshAccount(), 25, 0, { maxConcurrentJobs: 3 });
    expect(live.flat()).toHaveLength(3);
  });

  it('never hand one due job to two processes claiming at the same time', async () => {
    const path = freshPath();
    const store = open(path);
    const now = 9_500_000_000_000;
    const records = Array.from({ length: 120 }, (_, index) => sampleRecord({ nextPollAt: now - index }));
    for (const record of records) await store.create(record);
    const claims = await claimInProcesses(path, ['driver-1', 'driver-2'], now);
    const claimed = claims.flat();
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(records.map((record) => record.id).sort());
    const holders = await Promise.all(records.map(async (record) => (await store.get(record.id))!.leaseHolder));
    expect(holders.filter((holder) => holder === 'driver-1')).toHaveLength(claims[0]!.length);
  });
});

describe('sqlite job store: writes of one turn, committed together', () => {
  it('commits every write asked for in one turn, and rolls back only the one that fails', async () => {
    const path = freshPath();
    const store = open(path);
    const [existing, changed] = [sampleRecord(), sampleRecord()];
    await store.create(existing);
    await store.create(changed);
    const fresh = sampleRecord();
    const outcomes = await Promise.allSettled([
      store.create(fresh),
      store.create(existing),
      store.replace({ ...changed, progress: 40 }),
      store.replace({ ...changed, progress: 60 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // The second compare-and-set of one version loses, as it would in turns of its own.
    expect(outcomes.slice(2).map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value)).toEqual([expect.objectContaining({ progress: 40, version: 2 }), undefined]);
    const other = rawConnection(path);
    const rows = other.prepare('SELECT id, version FROM jobs ORDER BY id').all();
    expect(rows).toEqual([existing, changed, fresh].map((record) => ({ id: record.id, version: record.id === changed.id ? 2 : 1 })).sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it('writes nothing of a turn whose transaction cannot start, and rejects each of its writes', async () => {
    const path = freshPath();
    const store = open(path, 10);
    const other = rawConnection(path);
    other.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([store.create(sampleRecord()), store.create(sampleRecord()), store.admitBooking(sampleBooking(), {})]);
    other.exec('ROLLBACK');
    expect(outcomes.map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof StoreUnavailableError)).toEqual([true, true, true]);
    expect(other.prepare('SELECT count(*) AS jobs FROM jobs').get()).toEqual({ jobs: 0 });
  });

  it('writes what is queued when closed in the same turn', async () => {
    const path = freshPath();
    const store = openSqliteJobStore({ path });
    const record = sampleRecord();
    const created = store.create(record);
    await store.close();
    await expect(created).resolves.toMatchObject({ created: true });
    expect(rawConnection(path).prepare('SELECT id FROM jobs').all()).toEqual([{ id: record.id }]);
  });
});

describe('sqlite job store: records kept parsed between reads', () => {
  it('reads a job again once another connection has written it, even by a bare UPDATE', async () => {
    const path = freshPath();
    const store = open(path);
    const record = sampleRecord();
    await store.create(record);
    expect((await store.get(record.id))!.status).toBe(record.status);
    rawConnection(path).prepare("UPDATE jobs SET status = 'failed', version = version + 1 WHERE id = ?").run(record.id);
    // Reads are answered as of their turn's first: the other connection's commit shows from the next turn on.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await store.get(record.id)).toMatchObject({ status: 'failed', version: 2 });
  });

  it('loses the compare-and-set of a write based on a record another connection changed in the same turn, and reads the job again after', async () => {
    const path = freshPath();
    const store = open(path);
    const record = sampleRecord();
    await store.create(record);
    await new Promise((resolve) => setImmediate(resolve));
    const read = (await store.get(record.id))!;
    rawConnection(path).prepare("UPDATE jobs SET status = 'failed', version = version + 1 WHERE id = ?").run(record.id);
    expect(await store.replace({ ...read, progress: 10 })).toBeUndefined();
    expect(await store.get(record.id)).toMatchObject({ status: 'failed', version: 2 });
  });

  it('reads a job again after its own write, and hands out records no caller can change', async () => {
    const store = open(freshPath());
    const record = sampleRecord();
    await store.create(record);
    const first = (await store.get(record.id))!;
    expect(() => {
      (first as { progress: number | null }).progress = 99;
    }).toThrow(TypeError);
    expect(() => (first.warnings as unknown[]).push('x')).toThrow(TypeError);
    await store.replace({ ...first, progress: 50 });
    expect(await store.get(record.id)).toMatchObject({ progress: 50, version: 2 });
    await store.delete(record.id);
    expect(await store.get(record.id)).toBeUndefined();
  });
});

describe('sqlite job store: listings and the records kept parsed', () => {
  it('hands a listing the records it holds at their version, the same objects a read gets, frozen', async () => {
    const store = open(freshPath());
    const records = [sampleRecord({ createdAt: 1_000 }), sampleRecord({ createdAt: 2_000 }), sampleRecord({ createdAt: 3_000 })];
    for (const record of records) await store.create(record);
    const listed = await store.list(records[0]!.owner, { limit: 10 });
    expect(listed.map((record) => record.id)).toEqual(records.map((record) => record.id).reverse());
    const again = await store.list(records[0]!.owner, { limit: 10 });
    again.forEach((record, index) => expect(record).toBe(listed[index]));
    expect(await store.get(records[1]!.id)).toBe(listed[1]);
    expect(Object.isFrozen(listed[0]) && Object.isFrozen(listed[0]!.input)).toBe(true);
  });

  it('parses a listed job again once it was written, here or by another connection, and only that one', async () => {
    const path = freshPath();
    const store = open(path);
    const records = [sampleRecord({ createdAt: 1_000 }), sampleRecord({ createdAt: 2_000 })];
    for (const record of records) await store.create(record);
    const owner = records[0]!.owner;
    const [newer, older] = await store.list(owner, { limit: 10 });
    await store.replace({ ...older!, progress: 50 });
    const afterOwnWrite = await store.list(owner, { limit: 10 });
    expect(afterOwnWrite[0]).toBe(newer);
    expect(afterOwnWrite[1]).toMatchObject({ id: older!.id, progress: 50, version: 2 });
    rawConnection(path).prepare("UPDATE jobs SET status = 'failed', version = version + 1 WHERE id = ?").run(newer!.id);
    // As for reads, another connection's commit shows from the next turn on.
    await new Promise((resolve) => setImmediate(resolve));
    const afterTheirs = await store.list(owner, { limit: 10 });
    expect(afterTheirs[0]).toMatchObject({ id: newer!.id, status: 'failed', version: 2 });
    expect(afterTheirs[1]).toMatchObject({ id: older!.id, progress: 50, version: 2 });
  });
});

describe('sqlite job store: failures of the database', () => {
  it('answers StoreUnavailableError, naming the store, while another connection keeps the write lock past the busy timeout, and recovers after', async () => {
    const path = freshPath();
    const store = open(path, 10);
    const record = sampleRecord();
    await store.create(record);
    const other = rawConnection(path);
    other.exec('BEGIN IMMEDIATE');
    const stored = (await store.get(record.id))!;
    const refused = store.replace({ ...stored, progress: 50 });
    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(refused).rejects.toThrow(`The job store at ${path} is unavailable: database is locked`);
    await expect(store.create(sampleRecord(), { key: 'k', requestHash: 'h', expiresAt: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.claimDue('d', 0, 1, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.replace({ ...stored, progress: 50 }, [sampleDelivery(record)])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.claimDueDeliveries('s', 0, 1, 1)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.delete(record.id)).rejects.toBeInstanceOf(StoreUnavailableError);
    const booking = sampleBooking();
    await expect(store.admitBooking(booking, { dailyBudgetMicros: booking.amountMicros })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.settleBooking(booking.account, booking.jobId, finalFigure(0))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.releaseBooking(booking.account, booking.jobId)).rejects.toBeInstanceOf(StoreUnavailableError);
    other.exec('ROLLBACK');
    expect(await store.admitBooking(booking, { dailyBudgetMicros: booking.amountMicros })).toBeUndefined();
    expect(await store.replace({ ...stored, progress: 50 })).toMatchObject({ progress: 50, version: 2 });
  });

  it('keeps a duplicate id a plain error, not an unavailable store', async () => {
    const store = open(freshPath());
    const record = sampleRecord();
    await store.create(record);
    const duplicate = store.create(record);
    await expect(duplicate).rejects.toThrow(`job ${record.id} exists`);
    await expect(duplicate).rejects.not.toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps a duplicate delivery a plain error, and writes neither the job change nor the rest of its outbox', async () => {
    await expectDuplicateDeliveryRefused(open(freshPath()));
  });
});

const DRIVER = fileURLToPath(new URL('./sqlite-claim-driver.ts', import.meta.url));

/** Runs one driver process per holder; once all have opened the file they claim together. Resolves with each one's ids. */
async function claimInProcesses(path: string, holders: string[], now: number, what: 'jobs' | 'deliveries' = 'jobs'): Promise<string[][]> {
  const drivers = holders.map((holder) => spawn(process.execPath, [DRIVER, path, holder, String(now), what], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = drivers.map((driver) => createInterface({ input: driver.stdout })[Symbol.asyncIterator]());
  // A driver that dies ends its output early: the line it owed is missing, and its stderr is in the report.
  const nextLine = async (reader: AsyncIterator<string>) => ((await reader.next()).value as string | undefined) ?? 'driver exited early';
  expect(await Promise.all(lines.map(nextLine))).toEqual(holders.map(() => 'ready'));
  for (const driver of drivers) driver.stdin.end('go\n');
  return Promise.all(lines.map(async (reader) => JSON.parse(await nextLine(reader)) as string[]));
}

const LEDGER_DRIVER = fileURLToPath(new URL('./sqlite-ledger-driver.ts', import.meta.url));

/** Two driver processes, each trying `each` bookings of `account` against `limits` once both are ready; resolves with each one's admitted ids. */
async function admitInProcesses(path: string, account: string, each: number, amountMicros: number, limits: AccountLimits): Promise<string[][]> {
  const at = Date.parse('2026-12-01T10:00:00Z');
  const args = (label: string) => [LEDGER_DRIVER, path, account, label, String(each), String(at), String(amountMicros), JSON.stringify(limits)];
  const drivers = ['a', 'b'].map((label) => spawn(process.execPath, args(label), { stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = drivers.map((driver) => createInterface({ input: driver.stdout })[Symbol.asyncIterator]());
  const nextLine = async (reader: AsyncIterator<string>) => ((await reader.next()).value as string | undefined) ?? 'driver exited early';
  expect(await Promise.all(lines.map(nextLine))).toEqual(['ready', 'ready']);
  for (const driver of drivers) driver.stdin.end('go\n');
  return Promise.all(lines.map(async (reader) => JSON.parse(await nextLine(reader)) as string[]));
}

/** A job and its idempotency claim as version 1 of the schema (before the outbox) stored them. */
function writeVersion1Job(db: SqliteDatabase, record: JobRecord, claim: { key: string; requestHash: string; expiresAt: number }): void {
  const { id, owner, status, createdAt, nextPollAt, leaseUntil, leaseHolder, version, ...data } = record;
  db.prepare('INSERT INTO jobs (id, owner, status, created_at, next_poll_at, lease_until, lease_holder, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id, owner, status, createdAt, nextPollAt, leaseUntil, leaseHolder, version, JSON.stringify(data),
  );
  db.prepare('INSERT INTO idempotency (owner, key, request_hash, job_id, expires_at) VALUES (?, ?, ?, ?, ?)').run(owner, claim.key, claim.requestHash, id, claim.expiresAt);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
