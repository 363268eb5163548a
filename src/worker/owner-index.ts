/**
 * `OwnerIndex`: one Durable Object per owner (binding `JOB_OWNERS`, named by the owner digest),
 * holding what listing and idempotency need and nothing more: (job id, created_at, status) per
 * job, and the owner's idempotency keys. A key is claimed and the job listed in one SQLite
 * transaction, so of several creates racing with one key exactly one gets it.
 *
 * The same class also holds accounts' key ledgers (limits and usage): an object named as a ledger
 * (`accountLedger` in job-store-rpc.ts) serves only the ledger methods, with tables of its own
 * (src/worker/account-ledger.ts); an owner's object serves only the index methods. One class
 * rather than two keeps wrangler.toml's bindings and migrations as they are.
 *
 * The index keeps no copy of the records: listing fetches them from the job objects. Records
 * change on every poll, statuses a few times per job; mirroring whole records here would turn
 * every poll into a second write, all of an owner's polls into traffic for one object.
 */
import { DurableObject } from 'cloudflare:workers';
import type { JobStatus } from '../../providers/types.ts';
import type { IdempotencyClaim, ListQuery } from '../jobs/store/job-store.ts';
import type { AccountLimits, Booking, Settlement } from '../jobs/store/ledger.ts';
import { AccountLedgerTables } from './account-ledger.ts';
import { sqlListOrder } from '../jobs/store/list-order.ts';
import type { DurableObjectStateLike, SqlStorageLike, SqlValue, WorkerBindings } from './bindings.ts';
import type { AccountLedgerRpc, AccountUsageRow, IndexEntry, LedgerAdmitResult, OwnerIndexRpc, RegisterResult } from './job-store-rpc.ts';
import { lazySchema, type LazySchema } from './sql-schema.ts';

// Ids compare as SQLite's BINARY collation (bytes), which for the ASCII job ids is the JavaScript order.
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS jobs_by_age ON jobs (created_at, id)',
  'CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status, created_at, id)',
  `CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY,
    job_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS claims_by_expiry ON claims (expires_at)',
];

type ClaimRow = { job_id: string; request_hash: string; expires_at: number };
type EntryRow = { id: string; created_at: number; status: string };

export class OwnerIndex extends DurableObject<WorkerBindings, DurableObjectStateLike> implements OwnerIndexRpc, AccountLedgerRpc {
  readonly #sql: SqlStorageLike;
  readonly #schema: LazySchema;
  readonly #ledger: AccountLedgerTables;

  constructor(ctx: DurableObjectStateLike, env: WorkerBindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#schema = lazySchema(this.#sql, 'jobs', SCHEMA);
    this.#ledger = new AccountLedgerTables(ctx.storage);
  }

  async admitBooking(booking: Booking, limits: AccountLimits): Promise<LedgerAdmitResult> {
    return this.#ledger.admitBooking(booking, limits);
  }

  async settleBooking(jobId: string, settlement: Settlement): Promise<void> {
    return this.#ledger.settleBooking(jobId, settlement);
  }

  async releaseBooking(jobId: string): Promise<void> {
    return this.#ledger.releaseBooking(jobId);
  }

  async usage(fromMs: number, toMs: number): Promise<AccountUsageRow[]> {
    return this.#ledger.usage(fromMs, toMs);
  }

  async register(entry: IndexEntry, claim?: IdempotencyClaim): Promise<RegisterResult> {
    this.#schema.ensure();
    return this.ctx.storage.transactionSync(() => {
      if (claim) {
        const held = this.#claim(claim.key);
        // Expiry is judged at the create's own time, as every store does.
        if (held && held.expires_at > entry.createdAt) return { registered: false, jobId: held.job_id, requestHash: held.request_hash };
        // Keys are only ever looked up by name, so expired ones are dropped here rather than on a timer.
        this.#sql.exec('DELETE FROM claims WHERE expires_at <= ?', entry.createdAt);
        this.#sql.exec('INSERT OR REPLACE INTO claims (key, job_id, request_hash, expires_at) VALUES (?, ?, ?, ?)', claim.key, entry.id, claim.requestHash, claim.expiresAt);
      }
      const listed = this.#sql.exec('SELECT 1 FROM jobs WHERE id = ?', entry.id).toArray().length > 0;
      if (!listed) this.#sql.exec('INSERT INTO jobs (id, created_at, status, version) VALUES (?, ?, ?, 1)', entry.id, entry.createdAt, entry.status);
      return { registered: true, entryInserted: !listed, claimed: claim !== undefined };
    });
  }

  async unregister(id: string, options: { entry: boolean; claimKey?: string }): Promise<void> {
    if (!this.#schema.exists()) return;
    this.ctx.storage.transactionSync(() => {
      if (options.entry) this.#sql.exec('DELETE FROM jobs WHERE id = ?', id);
      if (options.claimKey !== undefined) this.#sql.exec('DELETE FROM claims WHERE key = ? AND job_id = ?', options.claimKey, id);
    });
  }

  async setStatus(id: string, status: JobStatus, version: number): Promise<void> {
    if (!this.#schema.exists()) return;
    this.#sql.exec('UPDATE jobs SET status = ?, version = ? WHERE id = ? AND version < ?', status, version, id, version);
  }

  async remove(id: string): Promise<void> {
    if (this.#schema.exists()) this.#sql.exec('DELETE FROM jobs WHERE id = ?', id);
  }

  /** Served by `jobs_by_age` or `jobs_by_status` in either order: SQLite reads an index backwards as readily as forwards. */
  async list(query: ListQuery): Promise<IndexEntry[]> {
    if (!this.#schema.exists()) return [];
    const { orderBy, after } = sqlListOrder(query.order);
    const conditions: string[] = [];
    const bindings: SqlValue[] = [];
    if (query.status) {
      conditions.push('status = ?');
      bindings.push(query.status);
    }
    if (query.after) {
      conditions.push(`(created_at, id) ${after} (?, ?)`);
      bindings.push(query.after.createdAt, query.after.id);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.#sql.exec<EntryRow>(`SELECT id, created_at, status FROM jobs ${where} ORDER BY ${orderBy} LIMIT ?`, ...bindings, query.limit).toArray();
    return rows.map((row) => ({ id: row.id, createdAt: row.created_at, status: row.status as JobStatus }));
  }

  async releaseClaim(key: string): Promise<void> {
    if (this.#schema.exists()) this.#sql.exec('DELETE FROM claims WHERE key = ?', key);
  }

  #claim(key: string): ClaimRow | undefined {
    return this.#sql.exec<ClaimRow>('SELECT job_id, request_hash, expires_at FROM claims WHERE key = ?', key).toArray()[0];
  }
}
