/**
 * The job store in PostgreSQL (`DATABASE_URL=postgres://…`): for several gateway processes behind a
 * load balancer sharing their jobs. The port's version numbers and leases keep the processes from
 * stepping on each other; PostgreSQL makes each operation atomic across them.
 *
 * How each operation stays atomic with one statement (one round trip, no explicit transaction):
 * - `create` with a claim: one statement whose `INSERT … ON CONFLICT (owner, key) DO UPDATE` takes
 *   or keeps the claim and whose second CTE inserts the job only when the claim came out ours. ON
 *   CONFLICT waits for a racing insert of the same key to commit, then updates the row it sees, so
 *   of racing creates exactly one inserts its job. The update always happens (keeping the old
 *   values while the claim is unexpired): that locks the row and makes RETURNING give the claim as
 *   it stands, which a separate SELECT in the same statement could not see (its snapshot predates
 *   the racing commit).
 * - `replace`, `acquireLease`: an `UPDATE … WHERE` on the version or the lease. Under READ COMMITTED a
 *   racing UPDATE of the same row waits for the first to commit, then re-checks its WHERE on the
 *   new row version, so only one of them matches.
 * - `claimDue`: `SELECT … FOR UPDATE SKIP LOCKED` picks the due rows nobody else is claiming, in a
 *   MATERIALIZED CTE so it is evaluated exactly once, and the UPDATE leases them.
 * - `replace` with an outbox: the job's compare-and-set is an UPDATE in a CTE, and the INSERT of the
 *   deliveries selects from its RETURNING, so the deliveries are inserted only if the job was
 *   written, and a failed insert (a duplicate id) undoes the job write with the rest of the
 *   statement. The deliveries travel as one JSON parameter, so the statement's text (and its
 *   prepared statement) is the same whatever their number.
 * - `claimDueDeliveries`: as `claimDue`, with the candidates narrowed to the first unfinished
 *   delivery of each job (no pending delivery of the job with a lower sequence).
 * - `delete`: a transaction (two statements), see `deleteJob`.
 * - The key ledger's `admitBooking`: a transaction serialized per account (src/node/postgres-ledger.ts).
 *
 * Connections: a small pool of the `postgres` package, prepared statements (its default: after the
 * first use on a connection, a statement is Bind/Execute only), no type fetching at connect (no
 * custom or array types are used), a short reconnect backoff so an outage fails fast (503) and its
 * end is noticed quickly. A connection that dies is replaced at the next query: no restart needed.
 *
 * Errors: connection failures, server shutdowns and resource exhaustion reject with
 * `StoreUnavailableError` (core answers 503 `store_unavailable`); messages name the host, port and
 * database, never the password. An operation that certainly did not run, and a read whose
 * connection broke under it, are tried once more on a fresh connection first (`worthRetrying`).
 */
import postgres from 'postgres';
import type { JobStatus } from '../../providers/types.ts';
import {
  StoreUnavailableError,
  type CreateOutcome,
  type IdempotencyClaim,
  type JobRecord,
  type ListQuery,
  type ScannableJobStore,
  type WebhookDelivery,
} from '../jobs/store/job-store.ts';
import { sqlListOrder } from '../jobs/store/list-order.ts';
import { migrate } from './postgres-job-store-schema.ts';
import { postgresLedger } from './postgres-ledger.ts';

/** Where the store is and how it connects; everything but `url` has a default fit for a gateway process. */
export interface PostgresJobStoreOptions {
  /** A `postgres://` (or `postgresql://`) URL; `?sslmode=require` and the other libpq-style parameters the `postgres` package reads apply. */
  url: string;
  /** Connections in the pool at most (per process). */
  maxConnections?: number;
  /** Seconds to wait for a connection to be established. */
  connectTimeoutSeconds?: number;
  /** Seconds after which an unused connection is closed. */
  idleTimeoutSeconds?: number;
  /**
   * Milliseconds a statement may run (mostly: wait for a row lock) before the server cancels it and
   * the operation fails with `StoreUnavailableError`, so that a stuck lock cannot hold every
   * connection of the pool, and every request queued behind them, for good. 0: no limit.
   */
  statementTimeoutMs?: number;
  /** `application_name` of the connections, as `pg_stat_activity` shows them. */
  applicationName?: string;
}

/** A handful per process: each operation is one short statement, and PostgreSQL's own limit is shared by every process. */
export const DEFAULT_MAX_CONNECTIONS = 5;
/** Long enough for a remote server under load, short enough that a start against a wrong host fails in reasonable time. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** Below the idle cut-off of the usual NATs and load balancers, so a connection is not found dead at its next use. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
/** Every statement of the store takes milliseconds; one still running after this is stuck. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/**
 * Opens the job store in the database at `options.url`, creating or migrating its tables if needed.
 * Throws an `Error` whose one-line message names the host, port and database (never the password)
 * and the reason when the server cannot be reached, refuses the login, or holds a schema written by
 * a newer vidgate. Afterwards, an unreachable server rejects operations with `StoreUnavailableError`.
 */
export async function openPostgresJobStore(options: PostgresJobStoreOptions): Promise<ScannableJobStore> {
  const sql = connect(options);
  const target = describeTarget(sql.options);
  const password = sql.options.pass;
  try {
    await migrate(sql);
  } catch (error) {
    await sql.end({ timeout: 0 });
    throw new Error(redact(`Cannot open the job store in PostgreSQL ${target}: ${oneLine(error)}`, password), { cause: error });
  }
  const guard = <T>(work: () => Promise<T>, repeatable = false): Promise<T> => guarded(work, repeatable, target, password);

  return {
    ...postgresLedger(sql, guard),
    create: (record, claim) => guard(() => (claim ? createClaimed(sql, record, claim) : insertJob(sql, record))),
    get: (id) => guard(() => getJob(sql, id), true),
    replace: (next, outbox = []) => guard(() => (outbox.length === 0 ? replaceJob(sql, next) : replaceWithOutbox(sql, next, outbox))),
    listDeliveries: (jobId) => guard(() => listDeliveries(sql, jobId), true),
    getDelivery: (jobId, id) => guard(() => getDelivery(sql, jobId, id), true),
    replaceDelivery: (next) => guard(() => replaceDelivery(sql, next)),
    claimDueDeliveries: (holder, now, leaseMs, limit) => guard(() => claimDueDeliveries(sql, holder, now, now + leaseMs, limit)),
    acquireLease: (id, holder, now, leaseMs) => guard(() => acquireLease(sql, id, holder, now, now + leaseMs)),
    claimDue: (holder, now, leaseMs, limit) => guard(() => claimDue(sql, holder, now, now + leaseMs, limit)),
    list: (owner, query) => guard(() => listJobs(sql, owner, query), true),
    releaseClaim: (owner, key) => guard(() => releaseClaim(sql, owner, key), true),
    delete: (id) => guard(() => deleteJob(sql, id), true),
    close: () => sql.end({ timeout: 5 }),
  };
}

function connect(options: PostgresJobStoreOptions): postgres.Sql {
  try {
    return postgres(options.url, {
      max: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      connect_timeout: options.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
      idle_timeout: options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
      backoff: reconnectDelaySeconds,
      fetch_types: false,
      // Notices ("relation already exists, skipping" from the migrations) are not for the gateway's output.
      onnotice: () => {},
      connection: { application_name: options.applicationName ?? 'vidgate', statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS },
    });
  } catch {
    // No cause attached: the URL parser's error carries the input, password included.
    throw new Error('Cannot open the job store in PostgreSQL: DATABASE_URL is not a valid postgres:// URL');
  }
}

/**
 * How long a pooled connection waits before trying again after failing to connect, by the number of
 * failures in a row. The package's default grows to 20 s, and queries wait for it: during an outage
 * every request would hang that long before its 503, and after it the first ones too. Capped at 2 s,
 * with jitter so that the processes of a fleet do not all knock at once.
 */
function reconnectDelaySeconds(failures: number): number {
  return Math.min(0.05 * 2 ** failures, 2) * (0.5 + Math.random() / 2);
}

/** `database "jobs" on db.internal:5432`: what an error names; the URL's user and password stay out. */
function describeTarget(options: postgres.Sql['options']): string {
  const address = (host: string, index: number) => `${host.includes(':') ? `[${host}]` : host}:${options.port[index] ?? options.port[0]}`;
  const where = options.path || options.host.map(address).join(',');
  return `database "${options.database}" on ${where}`;
}

/** Messages of the driver and of the server do not hold the password; this makes sure, should one ever echo it. */
function redact(message: string, password: string | null | undefined): string {
  if (!password || password.length < 4) return message;
  return message.split(password).join('***').split(encodeURIComponent(password)).join('***');
}

function oneLine(error: unknown): string {
  return describeError(error).replace(/\s+/g, ' ').trim();
}

/** The message, or what stands for one: Node's AggregateError of a failed dual-stack connect has an empty message. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof postgres.PostgresError) return `${error.message} (SQLSTATE ${error.code})`;
  if (error.message) return error.message;
  if (error instanceof AggregateError && error.errors[0] !== undefined) return describeError(error.errors[0]);
  return (error as { code?: string }).code ?? error.name;
}

/** What the `postgres` package reports when a connection cannot be made or is lost. */
const CONNECTION_CODES: ReadonlySet<string> = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);

/**
 * SQLSTATEs (or their two-character classes) of a server that cannot serve, as opposed to a statement
 * this code got wrong: connection exceptions, authorization (a password rotated under a running
 * process), resources (too many connections, disk full), operator intervention (shutdown,
 * termination, a statement timeout), system errors, a missing database, a read-only server (a standby
 * after a failover).
 */
const UNAVAILABLE_CLASSES: ReadonlySet<string> = new Set(['08', '28', '53', '57', '58']);
const UNAVAILABLE_STATES: ReadonlySet<string> = new Set(['3D000', '25006']);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof postgres.PostgresError) return UNAVAILABLE_CLASSES.has(error.code.slice(0, 2)) || UNAVAILABLE_STATES.has(error.code);
  if (error instanceof AggregateError) return error.errors.length > 0 && error.errors.every(isUnavailable);
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  // A Node system error (ECONNREFUSED, ECONNRESET, ENOTFOUND…) has a syscall; TLS failures have codes of their own.
  return typeof syscall === 'string' || (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^ERR_(SSL|TLS)_/.test(code)));
}

/**
 * Runs an operation, tried once more where that is safe (see `worthRetrying`), and turns failures
 * of the server or of the connection into `StoreUnavailableError`. `repeatable`: running the
 * operation twice does what running it once does (reads, deletes).
 */
async function guarded<T>(work: () => Promise<T>, repeatable: boolean, target: string, password: string | null | undefined): Promise<T> {
  try {
    try {
      return await work();
    } catch (error) {
      if (!worthRetrying(error, repeatable)) throw error;
      return await work();
    }
  } catch (error) {
    if (!isUnavailable(error)) throw error;
    throw new StoreUnavailableError(redact(`The job store in PostgreSQL ${target} is unavailable: ${oneLine(error)}`, password), { cause: error });
  }
}

/** What the `postgres` package reports when a connection breaks under a statement it sent. */
const LOST_CONNECTION_CODES: ReadonlySet<string> = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE']);

/**
 * Whether a failed operation gets one more try, at once (on a new connection; a real outage then
 * fails that one too, quickly, since connecting is refused):
 * - A FATAL error, whatever the operation: the `postgres` package only ever hands one to a statement
 *   it has not sent. The server closes the connection right after a FATAL error, so a statement cut
 *   off by one fails with CONNECTION_CLOSED instead; the FATAL error itself is either one of
 *   connecting (a refused login) or, in 3.4.9, the stale error of a terminated connection, which the
 *   package keeps and hands to the next statement on the connection that replaces it. Without the
 *   retry, the first operation after a server restart would fail although the server is back.
 * - A connection lost under a repeatable operation: typically a pooled connection that the server
 *   closed while it was idle (a restart, `pg_terminate_backend`) before this process noticed. A write
 *   is not retried: whether it committed is unknown, and a compare-and-set or a claim run twice
 *   would answer as if someone else had won.
 */
function worthRetrying(error: unknown, repeatable: boolean): boolean {
  if (error instanceof postgres.PostgresError) return error.severity === 'FATAL' || error.severity === 'PANIC';
  const code = (error as { code?: unknown } | undefined)?.code;
  return repeatable && typeof code === 'string' && LOST_CONNECTION_CODES.has(code);
}

/** A job row as selected (`COLUMNS`); `bigint` columns arrive as strings (they may exceed 2^53 in general). */
interface JobRow {
  id: string;
  owner: string;
  status: string;
  created_at: string;
  next_poll_at: string | null;
  lease_until: string;
  lease_holder: string | null;
  version: number;
  data: RecordData;
}

/** What the `data` column holds: the record without its columns. */
type RecordData = Omit<JobRecord, 'id' | 'owner' | 'status' | 'createdAt' | 'nextPollAt' | 'leaseUntil' | 'leaseHolder' | 'version'>;

/**
 * A record as the statements' parameters: its columns, and the rest as JSON text. The statements
 * cast that text `::text::json`: a parameter the server reports as `json` would be passed through
 * `JSON.stringify` once more by the driver, storing a JSON string instead of the document.
 */
interface JobParameters {
  id: string;
  owner: string;
  status: JobStatus;
  createdAt: number;
  nextPollAt: number | null;
  leaseUntil: number;
  leaseHolder: string | null;
  data: string;
}

const COLUMNS = 'id, owner, status, created_at, next_poll_at, lease_until, lease_holder, version, data';

function toParameters(record: JobRecord): JobParameters {
  const { id, owner, status, createdAt, nextPollAt, leaseUntil, leaseHolder, version: _version, ...data } = record;
  return { id, owner, status, createdAt, nextPollAt: nextPollAt ?? null, leaseUntil, leaseHolder: leaseHolder ?? null, data: JSON.stringify(data satisfies RecordData) };
}

function toRecord(row: JobRow): JobRecord {
  const columns = { id: row.id, owner: row.owner, status: row.status as JobStatus, createdAt: Number(row.created_at), nextPollAt: row.next_poll_at === null ? null : Number(row.next_poll_at) };
  return { ...row.data, ...columns, leaseUntil: Number(row.lease_until), leaseHolder: row.lease_holder, version: row.version };
}

/**
 * The record as written, built from the parameters rather than read back (saving the bytes of a
 * RETURNING): the JSON text that was sent is parsed again, so the caller gets its own copy, equal to
 * what `get` will return.
 */
function writtenRecord(p: JobParameters, version: number): JobRecord {
  const data = JSON.parse(p.data) as RecordData;
  const columns = { id: p.id, owner: p.owner, status: p.status, createdAt: p.createdAt, nextPollAt: p.nextPollAt };
  return { ...data, ...columns, leaseUntil: p.leaseUntil, leaseHolder: p.leaseHolder, version };
}

/** A duplicate id is the caller's mistake, not an outage: the same plain error as the other stores. */
function duplicateId(error: unknown, id: string): unknown {
  if (error instanceof postgres.PostgresError && error.code === '23505' && error.constraint_name === 'jobs_pkey') return new Error(`job ${id} exists`, { cause: error });
  return error;
}

async function insertJob(sql: postgres.Sql, record: JobRecord): Promise<CreateOutcome> {
  const p = toParameters(record);
  try {
    await sql`
      INSERT INTO jobs (${sql.unsafe(COLUMNS)})
      VALUES (${p.id}, ${p.owner}, ${p.status}, ${p.createdAt}, ${p.nextPollAt}, ${p.leaseUntil}, ${p.leaseHolder}, 1, ${p.data}::text::json)`;
  } catch (error) {
    throw duplicateId(error, record.id);
  }
  return { created: true, record: writtenRecord(p, 1) };
}

/**
 * Takes the claim, or finds it held, and inserts the job only if the claim is now this job's: one
 * statement (see the file's comment). A claim whose `expiresAt` is not after the job's creation time
 * has expired and is taken over.
 */
async function createClaimed(sql: postgres.Sql, record: JobRecord, claim: IdempotencyClaim): Promise<CreateOutcome> {
  const p = toParameters(record);
  const now = p.createdAt;
  let rows: { job_id: string; request_hash: string; created: boolean }[];
  try {
    rows = await sql`
      WITH claim AS (
        INSERT INTO idempotency AS held (owner, key, request_hash, job_id, expires_at)
        VALUES (${p.owner}, ${claim.key}, ${claim.requestHash}, ${p.id}, ${claim.expiresAt}::bigint)
        ON CONFLICT (owner, key) DO UPDATE SET
          request_hash = CASE WHEN held.expires_at > ${now}::bigint THEN held.request_hash ELSE excluded.request_hash END,
          job_id = CASE WHEN held.expires_at > ${now}::bigint THEN held.job_id ELSE excluded.job_id END,
          expires_at = CASE WHEN held.expires_at > ${now}::bigint THEN held.expires_at ELSE excluded.expires_at END
        RETURNING job_id, request_hash
      ), job AS (
        INSERT INTO jobs (${sql.unsafe(COLUMNS)})
        SELECT ${p.id}::text, ${p.owner}::text, ${p.status}::text, ${p.createdAt}::bigint, ${p.nextPollAt}::bigint,
               ${p.leaseUntil}::bigint, ${p.leaseHolder}::text, 1, ${p.data}::text::json
        FROM claim WHERE claim.job_id = ${p.id}::text
        RETURNING id
      )
      SELECT job_id, request_hash, EXISTS (SELECT FROM job) AS created FROM claim`;
  } catch (error) {
    throw duplicateId(error, record.id);
  }
  const held = rows[0]!;
  if (held.created) return { created: true, record: writtenRecord(p, 1) };
  return { created: false, jobId: held.job_id, requestHash: held.request_hash };
}

async function getJob(sql: postgres.Sql, id: string): Promise<JobRecord | undefined> {
  const [row] = await sql<JobRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM jobs WHERE id = ${id}`;
  return row && toRecord(row);
}

async function replaceJob(sql: postgres.Sql, next: JobRecord): Promise<JobRecord | undefined> {
  const p = toParameters(next);
  const result = await sql`
    UPDATE jobs SET owner = ${p.owner}, status = ${p.status}, created_at = ${p.createdAt}, next_poll_at = ${p.nextPollAt},
      lease_until = ${p.leaseUntil}, lease_holder = ${p.leaseHolder}, data = ${p.data}::text::json, version = version + 1
    WHERE id = ${p.id} AND version = ${next.version}`;
  return result.count === 1 ? writtenRecord(p, next.version + 1) : undefined;
}

async function acquireLease(sql: postgres.Sql, id: string, holder: string, now: number, until: number): Promise<JobRecord | undefined> {
  const [row] = await sql<JobRow[]>`
    UPDATE jobs SET lease_holder = ${holder}, lease_until = ${until}::bigint, version = version + 1
    WHERE id = ${id} AND (lease_until <= ${now}::bigint OR lease_holder = ${holder})
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return row && toRecord(row);
}

async function claimDue(sql: postgres.Sql, holder: string, now: number, until: number, limit: number): Promise<JobRecord[]> {
  if (limit <= 0) return [];
  const rows = await sql<JobRow[]>`
    WITH due AS MATERIALIZED (
      SELECT id FROM jobs
      WHERE next_poll_at <= ${now}::bigint AND lease_until <= ${now}::bigint
      ORDER BY next_poll_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs SET lease_holder = ${holder}, lease_until = ${until}::bigint, version = jobs.version + 1
    FROM due WHERE jobs.id = due.id
    RETURNING ${sql.unsafe(COLUMNS.split(', ').map((column) => `jobs.${column}`).join(', '))}`;
  return soonestFirst(rows.map(toRecord));
}

/** RETURNING gives rows in no particular order; the port promises soonest first. */
function soonestFirst(records: JobRecord[]): JobRecord[] {
  return records.sort((a, b) => a.nextPollAt! - b.nextPollAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * One statement per shape of `ListQuery` (either order, with or without status, first page or after
 * a cursor), each prepared once and able to use its index (`jobs_by_owner` or `jobs_by_owner_status`,
 * scanned forwards for `desc`, backwards for `asc`). The order's SQL is one of two fixed texts, never input.
 */
async function listJobs(sql: postgres.Sql, owner: string, { limit, status, order, after }: ListQuery): Promise<JobRecord[]> {
  const { orderBy, after: operator } = sqlListOrder(order);
  const byStatus = status ? sql`AND status = ${status}` : sql``;
  const paged = after ? sql`AND (created_at, id) ${sql.unsafe(operator)} (${after.createdAt}::bigint, ${after.id}::text)` : sql``;
  const rows = await sql<JobRow[]>`
    SELECT ${sql.unsafe(COLUMNS)} FROM jobs
    WHERE owner = ${owner} ${byStatus} ${paged}
    ORDER BY ${sql.unsafe(orderBy)}
    LIMIT ${Math.max(0, limit)}`;
  return rows.map(toRecord);
}

async function releaseClaim(sql: postgres.Sql, owner: string, key: string): Promise<void> {
  await sql`DELETE FROM idempotency WHERE owner = ${owner} AND key = ${key}`;
}

/**
 * The job, then its deliveries, in one transaction. Not one statement with two CTEs: those share
 * one snapshot, so a `replace` committing its outbox while the DELETE waited for the job row would
 * leave those deliveries behind. Deleting the job row first waits for any such `replace`; the second
 * statement's snapshot, taken after, sees its deliveries; and a `replace` after the delete finds no
 * job, so inserts none. The job's idempotency claims are left as they are (as in the other
 * stores): they point at no job until they expire.
 */
async function deleteJob(sql: postgres.Sql, id: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`DELETE FROM jobs WHERE id = ${id}`;
    await tx`DELETE FROM deliveries WHERE job_id = ${id}`;
  });
}

/** A delivery row as selected (`DELIVERY_COLUMNS`); `bigint` columns arrive as strings. */
interface DeliveryRow {
  id: string;
  job_id: string;
  owner: string;
  sequence: number;
  state: string;
  next_attempt_at: string | null;
  lease_holder: string | null;
  lease_until: string;
  version: number;
  created_at: string;
  payload: string;
  data: DeliveryData;
}

/** What a delivery's `data` column holds: the delivery without its columns. */
type DeliveryData = Omit<WebhookDelivery, 'id' | 'jobId' | 'owner' | 'sequence' | 'state' | 'nextAttemptAt' | 'leaseHolder' | 'leaseUntil' | 'version' | 'createdAt' | 'payload'>;

/** A delivery as the statements' parameters (as for jobs: `data` as JSON text, cast `::text::json`). */
interface DeliveryParameters {
  id: string;
  jobId: string;
  owner: string;
  sequence: number;
  state: WebhookDelivery['state'];
  nextAttemptAt: number | null;
  leaseHolder: string | null;
  leaseUntil: number;
  createdAt: number;
  payload: string;
  data: string;
}

const DELIVERY_COLUMNS = 'id, job_id, owner, sequence, state, next_attempt_at, lease_holder, lease_until, version, created_at, payload, data';

function toDeliveryParameters(delivery: WebhookDelivery): DeliveryParameters {
  const { id, jobId, owner, sequence, state, nextAttemptAt, leaseHolder, leaseUntil, version: _version, createdAt, payload, ...data } = delivery;
  const columns = { id, jobId, owner, sequence, state, nextAttemptAt: nextAttemptAt ?? null, leaseHolder: leaseHolder ?? null, leaseUntil, createdAt };
  return { ...columns, payload, data: JSON.stringify(data satisfies DeliveryData) };
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  const nextAttemptAt = row.next_attempt_at === null ? null : Number(row.next_attempt_at);
  const columns = { id: row.id, jobId: row.job_id, owner: row.owner, sequence: row.sequence, state: row.state as WebhookDelivery['state'], nextAttemptAt };
  return { ...row.data, ...columns, leaseHolder: row.lease_holder, leaseUntil: Number(row.lease_until), version: row.version, createdAt: Number(row.created_at), payload: row.payload };
}

/** The delivery as written, built from the parameters (see `writtenRecord`). */
function writtenDelivery(p: DeliveryParameters, version: number): WebhookDelivery {
  const data = JSON.parse(p.data) as DeliveryData;
  const columns = { id: p.id, jobId: p.jobId, owner: p.owner, sequence: p.sequence, state: p.state, nextAttemptAt: p.nextAttemptAt };
  return { ...data, ...columns, leaseHolder: p.leaseHolder, leaseUntil: p.leaseUntil, version, createdAt: p.createdAt, payload: p.payload };
}

/**
 * The outbox as one JSON array for `json_to_recordset`: each delivery's parameters, `payload` and
 * `data` as JSON strings, which the server decodes back to exactly the text they were. Not `data`
 * as a nested document: `json_to_recordset` de-escapes every string of its input, and refuses
 * `\u0000` (which `data` may hold, as in the jobs' documents) where text cannot hold it; as a
 * string, `data`'s own escapes are only characters.
 */
function outboxParameter(outbox: readonly WebhookDelivery[]): string {
  return JSON.stringify(outbox.map(toDeliveryParameters));
}

/** One statement (see the file's comment): the deliveries are inserted only from the UPDATE's RETURNING. */
async function replaceWithOutbox(sql: postgres.Sql, next: JobRecord, outbox: readonly WebhookDelivery[]): Promise<JobRecord | undefined> {
  const p = toParameters(next);
  let rows: { replaced: boolean }[];
  try {
    rows = await sql`
      WITH job AS (
        UPDATE jobs SET owner = ${p.owner}, status = ${p.status}, created_at = ${p.createdAt}, next_poll_at = ${p.nextPollAt},
          lease_until = ${p.leaseUntil}, lease_holder = ${p.leaseHolder}, data = ${p.data}::text::json, version = version + 1
        WHERE id = ${p.id} AND version = ${next.version}
        RETURNING id
      ), outbox AS (
        INSERT INTO deliveries (${sql.unsafe(DELIVERY_COLUMNS)})
        SELECT d."id", d."jobId", d."owner", d."sequence", d."state", d."nextAttemptAt", d."leaseHolder", d."leaseUntil", 1, d."createdAt", d."payload", d."data"::json
        FROM job CROSS JOIN json_to_recordset(${outboxParameter(outbox)}::text::json) AS d(
          "id" text, "jobId" text, "owner" text, "sequence" integer, "state" text, "nextAttemptAt" bigint, "leaseHolder" text,
          "leaseUntil" bigint, "createdAt" bigint, "payload" text, "data" text)
      )
      SELECT EXISTS (SELECT FROM job) AS replaced`;
  } catch (error) {
    throw duplicateDelivery(error, next.id);
  }
  return rows[0]!.replaced ? writtenRecord(p, next.version + 1) : undefined;
}

/** A delivery id, or a job's sequence number, used twice is the caller's mistake: a plain error, as in the other stores. */
function duplicateDelivery(error: unknown, jobId: string): unknown {
  if (!(error instanceof postgres.PostgresError) || error.code !== '23505') return error;
  // The statement inserts the whole outbox at once: which delivery conflicted, only the detail says
  // (`Key (id)=(msg_…) already exists.`, `Key (job_id, sequence)=(job_…, 2) already exists.`).
  const key = /^Key \(.*?\)=\((.*)\) already exists/.exec(error.detail ?? '')?.[1];
  if (error.constraint_name === 'deliveries_pkey') return new Error(`delivery ${key ?? 'of the outbox'} exists`, { cause: error });
  if (error.constraint_name === 'deliveries_job_sequence') {
    return new Error(`job ${jobId} already has a delivery with sequence ${key?.split(', ').at(-1) ?? 'of the outbox'}`, { cause: error });
  }
  return error;
}

async function listDeliveries(sql: postgres.Sql, jobId: string): Promise<WebhookDelivery[]> {
  const rows = await sql<DeliveryRow[]>`SELECT ${sql.unsafe(DELIVERY_COLUMNS)} FROM deliveries WHERE job_id = ${jobId} ORDER BY sequence`;
  return rows.map(toDelivery);
}

async function getDelivery(sql: postgres.Sql, jobId: string, id: string): Promise<WebhookDelivery | undefined> {
  const [row] = await sql<DeliveryRow[]>`SELECT ${sql.unsafe(DELIVERY_COLUMNS)} FROM deliveries WHERE id = ${id} AND job_id = ${jobId}`;
  return row && toDelivery(row);
}

async function replaceDelivery(sql: postgres.Sql, next: WebhookDelivery): Promise<WebhookDelivery | undefined> {
  const p = toDeliveryParameters(next);
  const result = await sql`
    UPDATE deliveries SET owner = ${p.owner}, sequence = ${p.sequence}, state = ${p.state}, next_attempt_at = ${p.nextAttemptAt},
      lease_holder = ${p.leaseHolder}, lease_until = ${p.leaseUntil}, created_at = ${p.createdAt}, payload = ${p.payload},
      data = ${p.data}::text::json, version = version + 1
    WHERE id = ${p.id} AND job_id = ${p.jobId} AND version = ${next.version}`;
  return result.count === 1 ? writtenDelivery(p, next.version + 1) : undefined;
}

/**
 * As `claimDue`, for deliveries that are each the first unfinished one of their job. Under
 * concurrency: a delivery another claimer has locked is skipped, and a later one of the same job
 * is not taken instead, since the earlier one is still pending in this statement's snapshot; one
 * whose lease was taken (or that was finished) since the snapshot fails the re-check of the WHERE
 * on the locked row. `state = 'pending'` is written out so that the partial indexes apply.
 */
async function claimDueDeliveries(sql: postgres.Sql, holder: string, now: number, until: number, limit: number): Promise<WebhookDelivery[]> {
  if (limit <= 0) return [];
  const rows = await sql<DeliveryRow[]>`
    WITH due AS MATERIALIZED (
      SELECT id FROM deliveries AS candidate
      WHERE state = 'pending' AND next_attempt_at <= ${now}::bigint AND lease_until <= ${now}::bigint
        AND NOT EXISTS (
          SELECT FROM deliveries AS earlier
          WHERE earlier.job_id = candidate.job_id AND earlier.state = 'pending' AND earlier.sequence < candidate.sequence
        )
      ORDER BY next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF candidate SKIP LOCKED
    )
    UPDATE deliveries SET lease_holder = ${holder}, lease_until = ${until}::bigint, version = deliveries.version + 1
    FROM due WHERE deliveries.id = due.id
    RETURNING ${sql.unsafe(DELIVERY_COLUMNS.split(', ').map((column) => `deliveries.${column}`).join(', '))}`;
  return rows.map(toDelivery).sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
