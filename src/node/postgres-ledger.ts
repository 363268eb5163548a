/**
 * The key ledger in PostgreSQL (tables of migration 3), shared by every gateway process on the
 * database. `admitBooking` is a transaction that first takes a transaction-scoped advisory lock
 * named after the account, so the admits of one account, from any process, run one after the
 * other (other accounts are not held up). The lock is its own statement: under READ COMMITTED each
 * statement reads a snapshot taken when it starts, so the figures, read by the next statement,
 * include everything the previous holder of the lock committed. The figures are one statement, and
 * the writes (prune, booking, request) another.
 *
 * `settleBooking` and `releaseBooking` are single statements without the lock: they only ever
 * lower what the next admit counts, or set a figure the provider already billed.
 *
 * `bigint` columns, `count` and `sum` arrive as strings: converted to numbers here (micro-USD sums
 * stay far below 2^53).
 */
import postgres from 'postgres';
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
  type AccountFigures,
  type AccountLimits,
  type Booking,
  type BookingRefusal,
  type KeyLedger,
  type Settlement,
  type UsageRow,
} from '../jobs/store/ledger.ts';

/** How the store runs an operation: `repeatable` ones (reads, idempotent writes) may be tried twice. */
export type PostgresGuard = <T>(work: () => Promise<T>, repeatable?: boolean) => Promise<T>;

export function postgresLedger(sql: postgres.Sql, guard: PostgresGuard): KeyLedger {
  return {
    admitBooking: async (booking, limits) => {
      assertBooking(booking);
      return guard(() => admitBooking(sql, booking, limits));
    },
    settleBooking: async (account, jobId, settlement) => {
      assertSettlement(jobId, settlement);
      return guard(() => settleBooking(sql, account, jobId, settlement), true);
    },
    releaseBooking: (account, jobId) => guard(() => releaseBooking(sql, account, jobId), true),
    usage: (account, fromMs, toMs) => guard(() => usage(sql, account, fromMs, toMs), true),
  };
}

async function admitBooking(sql: postgres.Sql, booking: Booking, limits: AccountLimits): Promise<BookingRefusal | undefined> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtextextended('vidgate-ledger:' || ${booking.account}::text, 0))`;
    const refusal = limitRefusal(booking, limits, await readFigures(tx, booking, limits));
    if (!refusal) await insertBooking(tx, booking);
    return refusal;
  });
}

interface FiguresRow {
  recent: number[] | null;
  live: string;
  day: string;
  month: string;
}

/**
 * One statement, each figure only when its limit is set (a CASE runs its subquery only in the
 * branch taken). The window's times come as one JSON array, which the driver parses.
 */
async function readFigures(tx: postgres.TransactionSql, booking: Booking, limits: AccountLimits): Promise<AccountFigures> {
  const needed = neededFigures(limits);
  const after = rateWindowStart(booking.at);
  const [day, month] = [utcDay(booking.at), utcMonth(booking.at)];
  const account = booking.account;
  const spent = (from: number, to: number) =>
    tx`(SELECT coalesce(sum(amount_micros), 0) FROM ledger_bookings WHERE account = ${account} AND at >= ${from}::bigint AND at < ${to}::bigint)`;
  const [row] = await tx<FiguresRow[]>`
    SELECT
      CASE WHEN ${needed.rate}::boolean THEN (
        SELECT coalesce(json_agg(at ORDER BY at), '[]'::json) FROM ledger_requests
        WHERE account = ${account} AND at > ${after}::bigint
      ) END AS recent,
      CASE WHEN ${needed.live}::boolean THEN (SELECT count(*) FROM ledger_bookings WHERE account = ${account} AND live) ELSE 0 END AS live,
      CASE WHEN ${needed.day}::boolean THEN ${spent(day.from, day.to)} ELSE 0 END AS day,
      CASE WHEN ${needed.month}::boolean THEN ${spent(month.from, month.to)} ELSE 0 END AS month`;
  return { recentRequests: row!.recent ?? [], liveBookings: Number(row!.live), daySpentMicros: Number(row!.day), monthSpentMicros: Number(row!.month) };
}

/** One statement: old requests pruned, the booking inserted, and the request only from the booking's RETURNING. */
async function insertBooking(tx: postgres.TransactionSql, booking: Booking): Promise<void> {
  const { account, jobId, model, provider, unit, amountMicros, providerUnits, at } = booking;
  try {
    await tx`
      WITH pruned AS (
        DELETE FROM ledger_requests WHERE account = ${account} AND at <= ${at - REQUEST_RETENTION_MS}::bigint
      ), booked AS (
        INSERT INTO ledger_bookings (account, job_id, model, provider, unit, amount_micros, provider_units, source, live, at)
        VALUES (${account}, ${jobId}, ${model}, ${provider}, ${unit}, ${amountMicros}::bigint, ${providerUnits}::double precision, 'estimate', true, ${at}::bigint)
        RETURNING account, at, job_id
      )
      INSERT INTO ledger_requests (account, at, job_id) SELECT account, at, job_id FROM booked`;
  } catch (error) {
    if (error instanceof postgres.PostgresError && error.code === '23505' && error.constraint_name === 'ledger_bookings_pkey') throw duplicateBookingError(jobId, error);
    throw error;
  }
}

async function settleBooking(sql: postgres.Sql, account: string, jobId: string, settlement: Settlement): Promise<void> {
  const { amountMicros, providerUnits, unit, source, live } = settlement;
  await sql`
    UPDATE ledger_bookings
    SET amount_micros = ${amountMicros}::bigint, provider_units = ${providerUnits}::double precision, unit = ${unit}::text, source = ${source}, live = ${live}::boolean
    WHERE account = ${account} AND job_id = ${jobId}`;
}

async function releaseBooking(sql: postgres.Sql, account: string, jobId: string): Promise<void> {
  await sql`DELETE FROM ledger_bookings WHERE account = ${account} AND job_id = ${jobId}`;
}

interface UsageSums {
  model: string;
  provider: string;
  unit: string | null;
  jobs: string;
  micros: string;
  units: number;
}

async function usage(sql: postgres.Sql, account: string, fromMs: number, toMs: number): Promise<UsageRow[]> {
  const rows = await sql<UsageSums[]>`
    SELECT model, provider, unit, count(*) AS jobs, sum(amount_micros) AS micros, coalesce(sum(provider_units), 0)::double precision AS units
    FROM ledger_bookings
    WHERE account = ${account} AND at >= ${fromMs}::bigint AND at < ${toMs}::bigint
    GROUP BY model, provider, unit`;
  const toRow = (row: UsageSums): UsageRow => ({
    account, model: row.model, provider: row.provider, unit: row.unit, jobs: Number(row.jobs), amountMicros: Number(row.micros), providerUnits: Number(row.units),
  });
  return rows.map(toRow).sort(compareUsageRows);
}
