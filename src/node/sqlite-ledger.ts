/**
 * The key ledger in the SQLite job store's file (tables of migration 3). `admitBooking` reads its
 * figures and writes the request and the booking as one write of the store's group commit, whose
 * `BEGIN IMMEDIATE` takes the write lock before the first read: of two processes admitting on one
 * file the second reads only after the first committed, and both cannot pass one budget.
 * Statements are prepared once, with the store.
 */
import {
  assertBooking,
  assertSettlement,
  compareUsageRows,
  duplicateBookingError,
  limitRefusal,
  neededFigures,
  rateWindowStart,
  REQUEST_RETENTION_MS,
  utcDay,
  utcMonth,
  type Booking,
  type KeyLedger,
  type Period,
  type UsageRow,
} from '../jobs/store/ledger.ts';
import { SqliteCode, sqliteResultCode, type SqliteDatabase } from './sqlite.ts';

/** How the store runs work: `guard` (reads) maps SQLite's failures to `StoreUnavailableError`; `write` runs the work alone and whole in the turn's group commit. */
export interface SqliteLedgerContext {
  db: SqliteDatabase;
  guard<T>(work: () => T): T;
  write<T>(work: () => T): Promise<T>;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: SqliteDatabase) {
  const prepare = (sql: string) => db.prepare(sql);
  return {
    recentRequests: prepare('SELECT at FROM ledger_requests WHERE account = ? AND at > ? ORDER BY at'),
    liveBookings: prepare('SELECT count(*) AS count FROM ledger_bookings WHERE account = ? AND live = 1'),
    spent: prepare('SELECT coalesce(sum(amount_micros), 0) AS micros FROM ledger_bookings WHERE account = ? AND at >= ? AND at < ?'),
    pruneRequests: prepare('DELETE FROM ledger_requests WHERE account = ? AND at <= ?'),
    insertRequest: prepare('INSERT INTO ledger_requests (account, at, job_id) VALUES (?, ?, ?)'),
    insertBooking: prepare(
      'INSERT INTO ledger_bookings (account, job_id, model, provider, unit, amount_micros, provider_units, source, live, at)' +
        " VALUES (:account, :job_id, :model, :provider, :unit, :amount_micros, :provider_units, 'estimate', 1, :at)",
    ),
    settle: prepare(
      'UPDATE ledger_bookings SET amount_micros = :amount_micros, provider_units = :provider_units, unit = :unit, source = :source, live = :live' +
        ' WHERE account = :account AND job_id = :job_id',
    ),
    release: prepare('DELETE FROM ledger_bookings WHERE account = ? AND job_id = ?'),
    usage: prepare(
      'SELECT model, provider, unit, count(*) AS jobs, sum(amount_micros) AS micros, coalesce(sum(provider_units), 0) AS units' +
        ' FROM ledger_bookings WHERE account = ? AND at >= ? AND at < ? GROUP BY model, provider, unit',
    ),
  };
}

export function sqliteLedger({ db, guard, write }: SqliteLedgerContext): KeyLedger {
  const sql = prepareStatements(db);
  return {
    async admitBooking(booking, limits) {
      assertBooking(booking);
      return write(() => {
        const refusal = limitRefusal(booking, limits, readFigures(sql, booking, neededFigures(limits)));
        if (!refusal) insertBooking(sql, booking);
        return refusal;
      });
    },
    async settleBooking(account, jobId, settlement) {
      assertSettlement(jobId, settlement);
      const { amountMicros, providerUnits, unit, source, live } = settlement;
      await write(() => sql.settle.run({ account, job_id: jobId, amount_micros: amountMicros, provider_units: providerUnits, unit, source, live: live ? 1 : 0 }));
    },
    async releaseBooking(account, jobId) {
      await write(() => sql.release.run(account, jobId));
    },
    async usage(account, fromMs, toMs) {
      const rows = guard(() => sql.usage.all(account, fromMs, toMs)) as unknown as UsageSums[];
      return rows.map((row) => toUsageRow(account, row)).sort(compareUsageRows);
    },
  };
}

/** Inside the write: only the figures of the limits that are set. */
function readFigures(sql: Statements, booking: Booking, needed: ReturnType<typeof neededFigures>) {
  const spent = ({ from, to }: Period) => (sql.spent.get(booking.account, from, to) as { micros: number }).micros;
  return {
    recentRequests: needed.rate ? (sql.recentRequests.all(booking.account, rateWindowStart(booking.at)) as { at: number }[]).map((row) => row.at) : [],
    liveBookings: needed.live ? (sql.liveBookings.get(booking.account) as { count: number }).count : 0,
    daySpentMicros: needed.day ? spent(utcDay(booking.at)) : 0,
    monthSpentMicros: needed.month ? spent(utcMonth(booking.at)) : 0,
  };
}

/** Inside the write; a booking of the job already there throws, which rolls the request back with it. */
function insertBooking(sql: Statements, booking: Booking): void {
  const { account, jobId, model, provider, unit, amountMicros, providerUnits, at } = booking;
  sql.pruneRequests.run(account, at - REQUEST_RETENTION_MS);
  try {
    sql.insertBooking.run({ account, job_id: jobId, model, provider, unit, amount_micros: amountMicros, provider_units: providerUnits, at });
    sql.insertRequest.run(account, at, jobId);
  } catch (error) {
    if (sqliteResultCode(error) === SqliteCode.CONSTRAINT) throw duplicateBookingError(jobId, error);
    throw error;
  }
}

interface UsageSums {
  model: string;
  provider: string;
  unit: string | null;
  jobs: number;
  micros: number;
  units: number;
}

function toUsageRow(account: string, row: UsageSums): UsageRow {
  return { account, model: row.model, provider: row.provider, unit: row.unit, jobs: row.jobs, amountMicros: row.micros, providerUnits: row.units };
}
