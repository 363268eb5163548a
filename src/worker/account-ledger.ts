/**
 * One account's key ledger in a Durable Object's SQLite storage: the tables and statements behind
 * `AccountLedgerRpc`, which `OwnerIndex` serves for the objects named as ledgers. The object holds
 * one account only, so no row names it. A Durable Object runs one call at a time and SQLite here
 * is synchronous; `admitBooking` also runs in `transactionSync`, so its checks and its writes are
 * one atomic step, and a failure half-way writes nothing.
 *
 * The tables are created on the first admit (see sql-schema.ts): an account that never booked
 * stores nothing.
 */
import { limitRefusal, neededFigures, rateWindowStart, REQUEST_RETENTION_MS, utcDay, utcMonth, type AccountLimits, type Booking, type Period, type Settlement } from '../jobs/store/ledger.ts';
import type { DurableObjectStorageLike, SqlStorageLike } from './bindings.ts';
import type { AccountLedgerRpc, AccountUsageRow, LedgerAdmitResult } from './job-store-rpc.ts';
import { lazySchema, type LazySchema } from './sql-schema.ts';

// Money in integer micro-USD; `live` 1 or 0. See src/node/sqlite-job-store-schema.ts (migration 3) for the same tables on Node.
const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS ledger_requests (at INTEGER NOT NULL, job_id TEXT NOT NULL)',
  'CREATE INDEX IF NOT EXISTS ledger_requests_by_time ON ledger_requests (at)',
  `CREATE TABLE IF NOT EXISTS ledger_bookings (
    job_id TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    provider TEXT NOT NULL,
    unit TEXT,
    amount_micros INTEGER NOT NULL,
    provider_units REAL,
    source TEXT NOT NULL,
    live INTEGER NOT NULL,
    at INTEGER NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS ledger_bookings_by_time ON ledger_bookings (at, amount_micros)',
  'CREATE INDEX IF NOT EXISTS ledger_bookings_live ON ledger_bookings (at) WHERE live = 1',
];

type UsageSums = { model: string; provider: string; unit: string | null; jobs: number; micros: number; units: number };

export class AccountLedgerTables implements AccountLedgerRpc {
  readonly #storage: DurableObjectStorageLike;
  readonly #sql: SqlStorageLike;
  readonly #schema: LazySchema;

  constructor(storage: DurableObjectStorageLike) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#schema = lazySchema(this.#sql, 'ledger_bookings', SCHEMA);
  }

  async admitBooking(booking: Booking, limits: AccountLimits): Promise<LedgerAdmitResult> {
    this.#schema.ensure();
    return this.#storage.transactionSync((): LedgerAdmitResult => {
      const refusal = limitRefusal(booking, limits, this.#figures(booking, limits));
      if (refusal) return { outcome: 'refused', refusal };
      if (this.#sql.exec('SELECT 1 FROM ledger_bookings WHERE job_id = ?', booking.jobId).toArray().length > 0) return { outcome: 'duplicate' };
      this.#insert(booking);
      return { outcome: 'admitted' };
    });
  }

  async settleBooking(jobId: string, settlement: Settlement): Promise<void> {
    if (!this.#schema.exists()) return;
    const { amountMicros, providerUnits, unit, source, live } = settlement;
    this.#sql.exec(
      'UPDATE ledger_bookings SET amount_micros = ?, provider_units = ?, unit = ?, source = ?, live = ? WHERE job_id = ?',
      amountMicros, providerUnits, unit, source, live ? 1 : 0, jobId,
    );
  }

  async releaseBooking(jobId: string): Promise<void> {
    if (this.#schema.exists()) this.#sql.exec('DELETE FROM ledger_bookings WHERE job_id = ?', jobId);
  }

  async usage(fromMs: number, toMs: number): Promise<AccountUsageRow[]> {
    if (!this.#schema.exists()) return [];
    const rows = this.#sql
      .exec<UsageSums>(
        'SELECT model, provider, unit, count(*) AS jobs, sum(amount_micros) AS micros, coalesce(sum(provider_units), 0) AS units' +
          ' FROM ledger_bookings WHERE at >= ? AND at < ? GROUP BY model, provider, unit',
        fromMs, toMs,
      )
      .toArray();
    return rows.map((row) => ({ model: row.model, provider: row.provider, unit: row.unit, jobs: row.jobs, amountMicros: row.micros, providerUnits: row.units }));
  }

  /** Only the figures of the limits that are set. */
  #figures(booking: Booking, limits: AccountLimits) {
    const needed = neededFigures(limits);
    const spent = ({ from, to }: Period) =>
      this.#sql.exec<{ micros: number }>('SELECT coalesce(sum(amount_micros), 0) AS micros FROM ledger_bookings WHERE at >= ? AND at < ?', from, to).toArray()[0]!.micros;
    const recent = () => this.#sql.exec<{ at: number }>('SELECT at FROM ledger_requests WHERE at > ? ORDER BY at', rateWindowStart(booking.at)).toArray();
    return {
      recentRequests: needed.rate ? recent().map((row) => row.at) : [],
      liveBookings: needed.live ? this.#sql.exec<{ count: number }>('SELECT count(*) AS count FROM ledger_bookings WHERE live = 1').toArray()[0]!.count : 0,
      daySpentMicros: needed.day ? spent(utcDay(booking.at)) : 0,
      monthSpentMicros: needed.month ? spent(utcMonth(booking.at)) : 0,
    };
  }

  #insert({ jobId, model, provider, unit, amountMicros, providerUnits, at }: Booking): void {
    this.#sql.exec('DELETE FROM ledger_requests WHERE at <= ?', at - REQUEST_RETENTION_MS);
    this.#sql.exec(
      "INSERT INTO ledger_bookings (job_id, model, provider, unit, amount_micros, provider_units, source, live, at) VALUES (?, ?, ?, ?, ?, ?, 'estimate', 1, ?)",
      jobId, model, provider, unit, amountMicros, providerUnits, at,
    );
    this.#sql.exec('INSERT INTO ledger_requests (at, job_id) VALUES (?, ?)', at, jobId);
  }
}
