/**
 * The job store in an embedded SQLite file (node:sqlite): the default store on Node. Several
 * gateway processes may open the same file; the port's version numbers and leases keep them from
 * stepping on each other, and SQLite's locking makes each operation atomic across processes.
 *
 * Why it is configured the way it is:
 * - WAL journal: readers never block the writer nor the writer the readers, so polls and listings
 *   from other processes go on while one process writes, and a commit is an append to one file.
 * - `synchronous=NORMAL`: in WAL mode this cannot corrupt the database; what a power cut (not a
 *   crash of the process) may lose is the last transactions before it, because the WAL is synced
 *   at checkpoints instead of at every commit. Every poll writes its job, so FULL would pay an
 *   fsync per poll for that; a lost update is re-read from the provider at the next poll. (Without
 *   WAL, say on a filesystem that cannot share memory, NORMAL is not safe, so FULL is kept.)
 * - Busy timeout: another process holding the write lock is waited for, instead of failing at
 *   once. node:sqlite is synchronous, so the wait blocks this process's event loop: it is kept
 *   short. Transactions here last well under a millisecond, so a lock held for longer than the
 *   timeout means a stuck process, and the operation fails with `StoreUnavailableError` (503).
 * - Writes are group-committed (sqlite-group-commit.ts): those of one turn of the event loop share
 *   one `BEGIN IMMEDIATE` transaction, each in its own savepoint, so a commit (the dear part) is
 *   paid once per turn instead of once per write, and each write still settles only once it is on
 *   disk. IMMEDIATE takes the write lock before the first read, so what a write reads (an
 *   idempotency claim, a key's spend) cannot change before it writes, across processes too.
 * - Columns only for what is queried; the rest of the record is one JSON text, so fields added to
 *   records later need no migration, and lease updates do not touch (nor re-serialize) it.
 * - The webhook outbox is a table of its own (`deliveries`). A `replace` with an outbox runs the
 *   job's compare-and-set and the inserts as one write, so they are written together or not at
 *   all; `delete` removes the job and its deliveries as one write too.
 *
 * The key ledger (limits and usage) is in src/node/sqlite-ledger.ts, on the same connection.
 *
 * Statements are prepared once per store: `get`, `acquireLease`, `claimDue` and `replace` run on
 * every poll, `claimDueDeliveries` on every round of the webhook sender.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JobStatus } from '../../providers/types.ts';
import {
  StoreUnavailableError,
  type CreateOutcome,
  type IdempotencyClaim,
  type JobRecord,
  type ListOrder,
  type ListQuery,
  type ScannableJobStore,
  type WebhookDelivery,
} from '../jobs/store/job-store.ts';
import { sqlListOrder } from '../jobs/store/list-order.ts';
import { migrate } from './sqlite-job-store-schema.ts';
import { groupCommit } from './sqlite-group-commit.ts';
import { recordCache, type RecordCache } from './sqlite-record-cache.ts';
import { sqliteLedger } from './sqlite-ledger.ts';
import { openDatabase, SqliteCode, SqliteExtendedCode, sqliteExtendedResultCode, sqliteResultCode, type SqliteDatabase, type SqliteStatement } from './sqlite.ts';

export interface SqliteJobStoreOptions {
  /** The database file (its directory is created if missing), or `:memory:` for a private in-memory database. */
  path: string;
  /** How long an operation waits for another connection's write lock before failing, in ms. */
  busyTimeoutMs?: number;
}

/** Long enough for any healthy transaction of another process, short enough not to stall the event loop for long. */
export const DEFAULT_BUSY_TIMEOUT_MS = 1_000;

/**
 * Opens (creating and migrating it if needed) the job store at `options.path`. Throws an `Error`
 * whose one-line message names the path and the reason when the file cannot be opened, is not a
 * database, or was written by a newer vidgate. Afterwards, SQLite failures (disk full, I/O error,
 * lock not obtained in time, read-only file) reject with `StoreUnavailableError`.
 */
export function openSqliteJobStore(options: SqliteJobStoreOptions): ScannableJobStore {
  const db = openConnection(options);
  const sql = prepareStatements(db);
  const guard = <T>(work: () => T): T => guarded(options.path, work);
  // Every write goes through the turn's group commit; reads run at once (see sqlite-group-commit.ts).
  const commits = groupCommit(db, guard);
  const write = commits.write;
  const cache = recordCache(db);
  // Writes that touch a job row forget its cached record, inside the write (see sqlite-record-cache.ts).
  const writeJob = <T>(id: string, work: () => T) => write(() => (cache.forget(id), work()));
  const writeJobs = (work: () => JobRecord[]) => write(() => forgetting(cache, work()));

  return {
    ...sqliteLedger({ db, guard, write }),
    async create(record, claim) {
      return writeJob(record.id, () => (claim ? createClaimed(sql, record, claim) : insertJob(sql, record)));
    },
    async get(id) {
      return guard(() => cache.read(id, () => optionalRecord(sql.get.get(id))));
    },
    async replace(next, outbox = []) {
      return writeJob(next.id, () => (outbox.length === 0 ? replaceJob(sql, next) : replaceWithOutbox(sql, next, outbox)));
    },
    async listDeliveries(jobId) {
      return guard(() => deliveryRows(sql.listDeliveries.all(jobId)).map(toDelivery));
    },
    async getDelivery(jobId, id) {
      return guard(() => optionalDelivery(sql.getDelivery.get(id, jobId)));
    },
    async replaceDelivery(next) {
      return write(() => replaceDelivery(sql, next));
    },
    async claimDueDeliveries(holder, now, leaseMs, limit) {
      if (limit <= 0) return [];
      return write(() => soonestDueFirst(deliveryRows(sql.claimDueDeliveries.all({ holder, now, until: now + leaseMs, limit }))));
    },
    async acquireLease(id, holder, now, leaseMs) {
      return writeJob(id, () => optionalRecord(sql.acquireLease.get({ id, holder, now, until: now + leaseMs })));
    },
    async claimDue(holder, now, leaseMs, limit) {
      if (limit <= 0) return [];
      return writeJobs(() => soonestFirst(jobRows(sql.claimDue.all({ holder, now, until: now + leaseMs, limit }))));
    },
    async list(owner, query) {
      return guard(() => listJobs(sql, owner, query).map((row) => cache.reuse(row.id, row.version, () => toRecord(row))));
    },
    async releaseClaim(owner, key) {
      await write(() => sql.deleteClaim.run(owner, key));
    },
    async delete(id) {
      await writeJob(id, () => deleteJob(sql, id));
    },
    async close() {
      if (!db.isOpen) return;
      commits.flush();
      db.close();
    },
  };
}

function openConnection({ path, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS }: SqliteJobStoreOptions): SqliteDatabase {
  let db: SqliteDatabase | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = openDatabase(path, { timeout: busyTimeoutMs });
    configure(db);
    migrate(db);
    return db;
  } catch (error) {
    if (db?.isOpen) db.close();
    throw new Error(`Cannot open the job store at ${path}: ${oneLine(error)}`, { cause: error });
  }
}

function configure(db: SqliteDatabase): void {
  const { journal_mode: mode } = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string };
  db.exec(`PRAGMA synchronous = ${mode === 'wal' ? 'NORMAL' : 'FULL'}`);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}

/** Failures of the database itself, as opposed to a statement this code got wrong. */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  SqliteCode.BUSY, SqliteCode.LOCKED, SqliteCode.NOMEM, SqliteCode.READONLY, SqliteCode.IOERR, SqliteCode.CORRUPT,
  SqliteCode.FULL, SqliteCode.CANTOPEN, SqliteCode.PROTOCOL, SqliteCode.NOTADB,
]);

function guarded<T>(path: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const code = sqliteResultCode(error);
    if (code === undefined || !UNAVAILABLE_CODES.has(code)) throw error;
    throw new StoreUnavailableError(`The job store at ${path} is unavailable: ${oneLine(error)}`, { cause: error });
  }
}

const COLUMNS = 'id, owner, status, created_at, next_poll_at, lease_until, lease_holder, version, data';
const LEASE = 'lease_holder = :holder, lease_until = :until, version = version + 1';
const DELIVERY_COLUMNS = 'id, job_id, owner, sequence, state, next_attempt_at, lease_holder, lease_until, version, created_at, payload, data';

/**
 * The due deliveries that are each the first unfinished one of their job. `state = 'pending'` is
 * written out (not a parameter) so that SQLite can use the partial indexes. The statement that
 * uses it is one UPDATE, so no other connection can write between this choice and the lease.
 */
const DUE_DELIVERIES = `
  SELECT id FROM deliveries AS due
  WHERE state = 'pending' AND next_attempt_at <= :now AND lease_until <= :now
    AND NOT EXISTS (SELECT 1 FROM deliveries AS earlier WHERE earlier.job_id = due.job_id AND earlier.state = 'pending' AND earlier.sequence < due.sequence)
  ORDER BY next_attempt_at
  LIMIT :limit`;

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: SqliteDatabase) {
  const prepare = (sql: string) => db.prepare(sql);
  return {
    insert: prepare(`INSERT INTO jobs (${COLUMNS}) VALUES (:id, :owner, :status, :created_at, :next_poll_at, :lease_until, :lease_holder, 1, :data)`),
    get: prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`),
    replace: prepare(
      'UPDATE jobs SET owner = :owner, status = :status, created_at = :created_at, next_poll_at = :next_poll_at, lease_until = :lease_until,' +
        ' lease_holder = :lease_holder, data = :data, version = version + 1 WHERE id = :id AND version = :version',
    ),
    acquireLease: prepare(`UPDATE jobs SET ${LEASE} WHERE id = :id AND (lease_until <= :now OR lease_holder = :holder) RETURNING ${COLUMNS}`),
    claimDue: prepare(
      `UPDATE jobs SET ${LEASE} WHERE id IN (SELECT id FROM jobs WHERE next_poll_at <= :now AND lease_until <= :now ORDER BY next_poll_at LIMIT :limit) RETURNING ${COLUMNS}`,
    ),
    list: prepareListings(prepare),
    deleteJob: prepare('DELETE FROM jobs WHERE id = ?'),
    insertDelivery: prepare(
      `INSERT INTO deliveries (${DELIVERY_COLUMNS}) VALUES (:id, :job_id, :owner, :sequence, :state, :next_attempt_at, :lease_holder, :lease_until, 1, :created_at, :payload, :data)`,
    ),
    listDeliveries: prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE job_id = ? ORDER BY sequence`),
    getDelivery: prepare(`SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE id = ? AND job_id = ?`),
    replaceDelivery: prepare(
      'UPDATE deliveries SET owner = :owner, sequence = :sequence, state = :state, next_attempt_at = :next_attempt_at, lease_holder = :lease_holder,' +
        ' lease_until = :lease_until, created_at = :created_at, payload = :payload, data = :data, version = version + 1' +
        ' WHERE id = :id AND job_id = :job_id AND version = :version',
    ),
    claimDueDeliveries: prepare(`UPDATE deliveries SET ${LEASE} WHERE id IN (${DUE_DELIVERIES}) RETURNING ${DELIVERY_COLUMNS}`),
    deleteDeliveries: prepare('DELETE FROM deliveries WHERE job_id = ?'),
    getClaim: prepare('SELECT job_id, request_hash, expires_at FROM idempotency WHERE owner = ? AND key = ?'),
    putClaim: prepare('INSERT OR REPLACE INTO idempotency (owner, key, request_hash, job_id, expires_at) VALUES (?, ?, ?, ?, ?)'),
    deleteClaim: prepare('DELETE FROM idempotency WHERE owner = ? AND key = ?'),
  };
}

/** A shape of `ListQuery`: what its statement's text depends on. */
interface ListingShape {
  order: ListOrder;
  byStatus: boolean;
  paged: boolean;
}

const listingKey = ({ order, byStatus, paged }: ListingShape) => `${order} ${byStatus} ${paged}`;

/**
 * One statement per shape of `ListQuery` (either order, with or without status, first page or
 * after a cursor), all prepared up front, each able to use its index: `jobs_by_owner` or
 * `jobs_by_owner_status`, read forwards for `desc` and backwards for `asc`.
 */
function prepareListings(prepare: (sql: string) => SqliteStatement): (shape: ListingShape) => SqliteStatement {
  const listing = ({ order, byStatus, paged }: ListingShape) => {
    const { orderBy, after } = sqlListOrder(order);
    const conditions = ['owner = :owner', byStatus && 'status = :status', paged && `(created_at, id) ${after} (:after_created_at, :after_id)`];
    return prepare(`SELECT ${COLUMNS} FROM jobs WHERE ${conditions.filter(Boolean).join(' AND ')} ORDER BY ${orderBy} LIMIT :limit`);
  };
  const shapes = (['desc', 'asc'] as const).flatMap((order) => [false, true].flatMap((byStatus) => [false, true].map((paged) => ({ order, byStatus, paged }))));
  const statements = new Map(shapes.map((shape) => [listingKey(shape), listing(shape)]));
  return (shape) => statements.get(listingKey(shape))!;
}

/** A job row as selected (`COLUMNS`). */
interface JobRow {
  id: string;
  owner: string;
  status: string;
  created_at: number;
  next_poll_at: number | null;
  lease_until: number;
  lease_holder: string | null;
  version: number;
  data: string;
}

/** What the `data` column holds: the record without its columns. */
type RecordData = Omit<JobRecord, 'id' | 'owner' | 'status' | 'createdAt' | 'nextPollAt' | 'leaseUntil' | 'leaseHolder' | 'version'>;

function toRow(record: JobRecord): Omit<JobRow, 'version'> {
  const { id, owner, status, createdAt, nextPollAt, leaseUntil, leaseHolder, version: _version, ...data } = record;
  const row = { id, owner, status, created_at: createdAt, next_poll_at: nextPollAt ?? null, lease_until: leaseUntil, lease_holder: leaseHolder ?? null };
  return { ...row, data: JSON.stringify(data satisfies RecordData) };
}

function toRecord(row: JobRow): JobRecord {
  const data = JSON.parse(row.data) as RecordData;
  const columns = { id: row.id, owner: row.owner, status: row.status as JobStatus, createdAt: row.created_at, nextPollAt: row.next_poll_at };
  return { ...data, ...columns, leaseUntil: row.lease_until, leaseHolder: row.lease_holder, version: row.version };
}

/** The records a write returned, each forgotten by the cache. */
function forgetting(cache: RecordCache, records: JobRecord[]): JobRecord[] {
  for (const record of records) cache.forget(record.id);
  return records;
}

function jobRows(rows: unknown[]): JobRow[] {
  return rows as JobRow[];
}

function optionalRecord(row: unknown): JobRecord | undefined {
  return row === undefined ? undefined : toRecord(row as JobRow);
}

function insertJob(sql: Statements, record: JobRecord): CreateOutcome {
  const row = toRow(record);
  try {
    sql.insert.run(row);
  } catch (error) {
    if (sqliteResultCode(error) === SqliteCode.CONSTRAINT) throw new Error(`job ${record.id} exists`, { cause: error });
    throw error;
  }
  return { created: true, record: toRecord({ ...row, version: 1 }) };
}

/** Inside the write: the unexpired claim on the key if there is one, else the claim (re)taken and the job inserted. */
function createClaimed(sql: Statements, record: JobRecord, claim: IdempotencyClaim): CreateOutcome {
  const held = sql.getClaim.get(record.owner, claim.key) as { job_id: string; request_hash: string; expires_at: number } | undefined;
  if (held && held.expires_at > record.createdAt) return { created: false, jobId: held.job_id, requestHash: held.request_hash };
  sql.putClaim.run(record.owner, claim.key, claim.requestHash, record.id, claim.expiresAt);
  return insertJob(sql, record);
}

function replaceJob(sql: Statements, next: JobRecord): JobRecord | undefined {
  const row = toRow(next);
  const { changes } = sql.replace.run({ ...row, version: next.version });
  // Built from what was written rather than from `next`, so the caller gets its own copy, as from `get`.
  return changes === 1 ? toRecord({ ...row, version: next.version + 1 }) : undefined;
}

/** RETURNING gives rows in no particular order; the port promises soonest first. */
function soonestFirst(rows: JobRow[]): JobRecord[] {
  return rows.map(toRecord).sort((a, b) => a.nextPollAt! - b.nextPollAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The rows of a page, unparsed: the store takes records the cache holds at their version from it. */
function listJobs(sql: Statements, owner: string, { limit, status, order = 'desc', after }: ListQuery): JobRow[] {
  const cursor = after && { after_created_at: after.createdAt, after_id: after.id };
  const params = { owner, limit: Math.max(0, limit), ...(status && { status }), ...cursor };
  const statement = sql.list({ order, byStatus: Boolean(status), paged: Boolean(after) });
  return jobRows(statement.all(params));
}

/** Inside the write: the job's compare-and-set, then (only if it won) the outbox. */
function replaceWithOutbox(sql: Statements, next: JobRecord, outbox: readonly WebhookDelivery[]): JobRecord | undefined {
  const written = replaceJob(sql, next);
  if (written) for (const delivery of outbox) insertDelivery(sql, delivery);
  return written;
}

/** Inside the write; a conflict throws, which rolls the job write back with it. */
function insertDelivery(sql: Statements, delivery: WebhookDelivery): void {
  try {
    sql.insertDelivery.run(toDeliveryRow(delivery));
  } catch (error) {
    throw duplicateDelivery(error, delivery);
  }
}

/** A delivery id, or a job's sequence number, used twice is the caller's mistake: a plain error, as in the other stores. */
function duplicateDelivery(error: unknown, delivery: WebhookDelivery): unknown {
  switch (sqliteExtendedResultCode(error)) {
    case SqliteExtendedCode.CONSTRAINT_PRIMARYKEY:
      return new Error(`delivery ${delivery.id} exists`, { cause: error });
    case SqliteExtendedCode.CONSTRAINT_UNIQUE:
      return new Error(`job ${delivery.jobId} already has a delivery with sequence ${delivery.sequence}`, { cause: error });
    default:
      return error;
  }
}

function replaceDelivery(sql: Statements, next: WebhookDelivery): WebhookDelivery | undefined {
  const row = toDeliveryRow(next);
  const { changes } = sql.replaceDelivery.run({ ...row, version: next.version });
  return changes === 1 ? toDelivery({ ...row, version: next.version + 1 }) : undefined;
}

/** Inside the write: the deliveries go with their job, never left behind it. */
function deleteJob(sql: Statements, id: string): void {
  sql.deleteDeliveries.run(id);
  sql.deleteJob.run(id);
}

/** A delivery row as selected (`DELIVERY_COLUMNS`). */
interface DeliveryRow {
  id: string;
  job_id: string;
  owner: string;
  sequence: number;
  state: string;
  next_attempt_at: number | null;
  lease_holder: string | null;
  lease_until: number;
  version: number;
  created_at: number;
  payload: string;
  data: string;
}

/** What a delivery's `data` column holds: the delivery without its columns. */
type DeliveryData = Omit<WebhookDelivery, 'id' | 'jobId' | 'owner' | 'sequence' | 'state' | 'nextAttemptAt' | 'leaseHolder' | 'leaseUntil' | 'version' | 'createdAt' | 'payload'>;

function toDeliveryRow(delivery: WebhookDelivery): Omit<DeliveryRow, 'version'> {
  const { id, jobId, owner, sequence, state, nextAttemptAt, leaseHolder, leaseUntil, version: _version, createdAt, payload, ...data } = delivery;
  const row = { id, job_id: jobId, owner, sequence, state, next_attempt_at: nextAttemptAt ?? null, lease_holder: leaseHolder ?? null, lease_until: leaseUntil };
  return { ...row, created_at: createdAt, payload, data: JSON.stringify(data satisfies DeliveryData) };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  const data = JSON.parse(row.data) as DeliveryData;
  const columns = { id: row.id, jobId: row.job_id, owner: row.owner, sequence: row.sequence, state: row.state as WebhookDelivery['state'], nextAttemptAt: row.next_attempt_at };
  return { ...data, ...columns, leaseHolder: row.lease_holder, leaseUntil: row.lease_until, version: row.version, createdAt: row.created_at, payload: row.payload };
}

function deliveryRows(rows: unknown[]): DeliveryRow[] {
  return rows as DeliveryRow[];
}

function optionalDelivery(row: unknown): WebhookDelivery | undefined {
  return row === undefined ? undefined : toDelivery(row as DeliveryRow);
}

/** RETURNING gives rows in no particular order; the port promises soonest first. */
function soonestDueFirst(rows: DeliveryRow[]): WebhookDelivery[] {
  return rows.map(toDelivery).sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
