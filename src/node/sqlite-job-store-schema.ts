/**
 * The SQLite job store's schema, as an ordered list of migrations. Migration N (1-based) takes a
 * database from version N-1 to N; the version lives in `PRAGMA user_version` (0 for a new file), so
 * no bookkeeping table is needed and SQLite writes it in the same transaction as the step itself.
 * Append new steps, never edit released ones.
 *
 * Only what the store queries on is a column; the rest of a record (of a job, of a webhook delivery)
 * is one JSON text (`data`), so later features can add record fields (and `extra`) without a
 * migration.
 */
import type { SqliteDatabase } from './sqlite.ts';

/** The store's migrations, oldest first: index N holds the step from version N to N + 1. */
export const MIGRATIONS: readonly string[] = [
  // 1: jobs and idempotency keys.
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    next_poll_at INTEGER,
    lease_until INTEGER NOT NULL,
    lease_holder TEXT,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX jobs_by_owner ON jobs (owner, created_at DESC, id DESC);
  CREATE INDEX jobs_by_owner_status ON jobs (owner, status, created_at DESC, id DESC);
  CREATE INDEX jobs_due ON jobs (next_poll_at, lease_until) WHERE next_poll_at IS NOT NULL;
  CREATE TABLE idempotency (
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    job_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
  ) WITHOUT ROWID;
  `,
  // 2: the webhook outbox. `payload` is the exact body sent, kept as the text it was given; `data`
  // is the rest of the delivery (event, url, attempts) as JSON, as for jobs. The unique
  // (job_id, sequence) index lists a job's deliveries; `deliveries_pending` finds a job's first
  // unfinished one and `deliveries_due` the due ones: both partial, so they hold pending rows only.
  `
  CREATE TABLE deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at INTEGER,
    lease_holder TEXT,
    lease_until INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    payload TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (job_id, sequence)
  );
  CREATE INDEX deliveries_pending ON deliveries (job_id, sequence) WHERE state = 'pending';
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
  `,
  // 3: the key ledger (src/jobs/store/ledger.ts). `ledger_requests` holds the admitted requests of
  // the last minutes (the rate window; older rows are deleted as requests come), indexed so that a
  // window is one range of the index. `ledger_bookings` is the usage history, kept for good: money
  // in integer micro-USD, `live` 1 or 0. `ledger_bookings_by_time` serves the budget sums and usage
  // (it holds the amount, so a sum never reads the table) and `ledger_bookings_live`, partial, the
  // count of live jobs.
  `
  CREATE TABLE ledger_requests (
    account TEXT NOT NULL,
    at INTEGER NOT NULL,
    job_id TEXT NOT NULL
  );
  CREATE INDEX ledger_requests_by_time ON ledger_requests (account, at);
  CREATE TABLE ledger_bookings (
    account TEXT NOT NULL,
    job_id TEXT NOT NULL,
    model TEXT NOT NULL,
    provider TEXT NOT NULL,
    unit TEXT,
    amount_micros INTEGER NOT NULL,
    provider_units REAL,
    source TEXT NOT NULL,
    live INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (account, job_id)
  );
  CREATE INDEX ledger_bookings_by_time ON ledger_bookings (account, at, amount_micros);
  CREATE INDEX ledger_bookings_live ON ledger_bookings (account) WHERE live = 1;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to the last of `migrations` (the store's own, unless a test brings its
 * own), all pending steps in one transaction. A database already there is left alone without
 * taking a write lock; one written by a newer vidgate is refused, since this code cannot know what
 * that version's columns mean.
 */
export function migrate(db: SqliteDatabase, migrations: readonly string[] = MIGRATIONS): void {
  const target = migrations.length;
  if (refuseNewer(userVersion(db), target) === target) return;
  // IMMEDIATE, and the version read again inside: two processes opening a new file at once both
  // get here, and the second must find the first one's work done instead of repeating it.
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = refuseNewer(userVersion(db), target);
    for (const step of migrations.slice(from)) db.exec(step);
    db.exec(`PRAGMA user_version = ${target}`);
    db.exec('COMMIT');
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function userVersion(db: SqliteDatabase): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

function refuseNewer(version: number, supported: number): number {
  if (version > supported) {
    throw new Error(`its schema is version ${version}, newer than this vidgate supports (${supported}); run a newer vidgate or use another data directory`);
  }
  return version;
}
