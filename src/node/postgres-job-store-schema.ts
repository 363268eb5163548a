/**
 * The PostgreSQL job store's schema, as an ordered list of migrations. Migration N (1-based) takes a
 * database from version N-1 to N; each applied version is a row of `vidgate_migrations`, written in
 * the same transaction as its step. Append new steps, never edit released ones.
 *
 * Only what the store queries on is a column; the rest of a record is one JSON document (`data`),
 * so later features can add record fields (and `extra`) without a migration. Conceptually the same
 * schema as the SQLite store's (src/node/sqlite-job-store-schema.ts on its branch).
 *
 * Why the column types are what they are:
 * - `data` is `json`, not `jsonb`: `json` keeps the text exactly as `JSON.stringify` wrote it, while
 *   `jsonb` refuses `\u0000` and lone surrogates (both valid in a JS string, so possible in a prompt
 *   or in `extra`) and re-encodes numbers and keys. The store never looks inside `data` (everything it
 *   filters or sorts on is a column), so `jsonb`'s operators and GIN indexes would buy nothing, and
 *   reading `json` hands the stored text straight to `JSON.parse`.
 * - `id` and `owner` use the "C" collation: `list` breaks ties by `id`, and the port's order is the
 *   byte order of these ASCII ids (as in JS), whatever the database's default collation is.
 * - Times are `bigint` milliseconds since the epoch, as in the records.
 * - `jobs_due` covers `next_poll_at` only, not `lease_until`: leases change on every poll, and an
 *   update that touches no indexed column can be a HOT update (no index writes). Due rows that are
 *   leased are few (those being polled right now), so filtering them in the heap costs little.
 *   `fillfactor = 90` leaves room on each page for those HOT updates.
 * - `deliveries` (the webhook outbox, migration 2) follows the same rules: columns for what is
 *   queried, the rest (event, url, attempts) one `json` document. `payload` is `text`: it is the
 *   exact body that is signed and sent, so not even `json`'s validation stands between what was
 *   written and what is read. The unique (job_id, sequence) index lists a job's deliveries;
 *   `deliveries_pending` finds a job's first unfinished delivery and `deliveries_due` the due
 *   ones, both partial (pending rows only) so that they stay small as delivered rows pile up.
 *   Neither indexes the lease, so taking one stays a HOT update, as for jobs.
 * - The key ledger (migration 3; src/node/postgres-ledger.ts): `ledger_requests` holds the admitted
 *   requests of the last minutes (the rate window), deleted as they age; it has no key of its own,
 *   since nothing looks a request up, only counts a range of `ledger_requests_by_time`.
 *   `ledger_bookings` is the usage history, kept for good, money as `bigint` micro-USD (exact
 *   sums) and provider units as `double precision` (they may be fractional). Budget sums and usage
 *   read `ledger_bookings_by_time`, which carries the amount (an index-only scan for a sum); the
 *   partial `ledger_bookings_live` counts live jobs.
 */
import type postgres from 'postgres';

/** The store's migrations, oldest first: index N holds the step from version N to N + 1. */
export const MIGRATIONS: readonly string[] = [
  // 1: jobs and idempotency keys.
  `
  CREATE TABLE jobs (
    id text COLLATE "C" PRIMARY KEY,
    owner text COLLATE "C" NOT NULL,
    status text NOT NULL,
    created_at bigint NOT NULL,
    next_poll_at bigint,
    lease_holder text,
    lease_until bigint NOT NULL,
    version integer NOT NULL,
    data json NOT NULL
  ) WITH (fillfactor = 90);
  CREATE INDEX jobs_by_owner ON jobs (owner, created_at DESC, id DESC);
  CREATE INDEX jobs_by_owner_status ON jobs (owner, status, created_at DESC, id DESC);
  CREATE INDEX jobs_due ON jobs (next_poll_at) WHERE next_poll_at IS NOT NULL;
  CREATE TABLE idempotency (
    owner text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    request_hash text NOT NULL,
    job_id text NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (owner, key)
  );
  `,
  // 2: the webhook outbox (see the file's comment on `deliveries`).
  `
  CREATE TABLE deliveries (
    id text COLLATE "C" PRIMARY KEY,
    job_id text COLLATE "C" NOT NULL,
    owner text COLLATE "C" NOT NULL,
    sequence integer NOT NULL,
    state text NOT NULL,
    next_attempt_at bigint,
    lease_holder text,
    lease_until bigint NOT NULL,
    version integer NOT NULL,
    created_at bigint NOT NULL,
    payload text NOT NULL,
    data json NOT NULL,
    CONSTRAINT deliveries_job_sequence UNIQUE (job_id, sequence)
  ) WITH (fillfactor = 90);
  CREATE INDEX deliveries_pending ON deliveries (job_id, sequence) WHERE state = 'pending';
  CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
  `,
  // 3: the key ledger (see the file's comment on `ledger_bookings`).
  `
  CREATE TABLE ledger_requests (
    account text COLLATE "C" NOT NULL,
    at bigint NOT NULL,
    job_id text COLLATE "C" NOT NULL
  );
  CREATE INDEX ledger_requests_by_time ON ledger_requests (account, at);
  CREATE TABLE ledger_bookings (
    account text COLLATE "C" NOT NULL,
    job_id text COLLATE "C" NOT NULL,
    model text NOT NULL,
    provider text NOT NULL,
    unit text,
    amount_micros bigint NOT NULL,
    provider_units double precision,
    source text NOT NULL,
    live boolean NOT NULL,
    at bigint NOT NULL,
    PRIMARY KEY (account, job_id)
  );
  CREATE INDEX ledger_bookings_by_time ON ledger_bookings (account, at) INCLUDE (amount_micros);
  CREATE INDEX ledger_bookings_live ON ledger_bookings (account) WHERE live;
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * How long `migrate` waits for another process's migration (or for a table lock a later step needs)
 * before giving up with an error, rather than hanging the start of the gateway.
 */
const MIGRATION_LOCK_TIMEOUT = '60s';

/** The advisory lock of migrations: one fixed key, derived from a name so that it documents itself. */
const MIGRATION_LOCK = `hashtextextended('vidgate job store migrations', 0)`;

/**
 * Brings the database up to the last of `migrations` (the store's own, unless a test brings its own),
 * all pending steps in one transaction. Several processes starting at once queue on a transaction-
 * scoped advisory lock, taken before the version is read, so the first one migrates and the others
 * then find its work committed (the lock is released with the commit, or the rollback of a failed
 * step). A database written by a newer vidgate is refused, since this code cannot know what that
 * version's columns mean. Returns the version the database is at.
 */
export async function migrate(sql: postgres.Sql, migrations: readonly string[] = MIGRATIONS): Promise<number> {
  const target = migrations.length;
  return sql.begin(async (tx) => {
    // A later step may rewrite a large table: the store's statement timeout is for its operations, not for this.
    await tx.unsafe(`SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`);
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.unsafe('CREATE TABLE IF NOT EXISTS vidgate_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const [row] = await tx<{ version: number }[]>`SELECT coalesce(max(version), 0) AS version FROM vidgate_migrations`;
    const from = refuseNewer(row!.version, target);
    for (const [index, step] of migrations.entries()) {
      if (index < from) continue;
      await tx.unsafe(step);
      await tx`INSERT INTO vidgate_migrations (version) VALUES (${index + 1})`;
    }
    return target;
  });
}

function refuseNewer(version: number, supported: number): number {
  if (version > supported) {
    throw new Error(`its schema is version ${version}, newer than this vidgate supports (${supported}); run a newer vidgate or use another database`);
  }
  return version;
}
