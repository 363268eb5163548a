/**
 * `JobObject`: one Durable Object per job (binding `JOBS`, named by the job id), holding the
 * record in one SQLite row and the job's webhook outbox in a table of its own, one row per
 * delivery. Every method reads and writes synchronously before its first await, and an object
 * runs one such turn at a time, so the compare-and-set and the lease need no lock.
 *
 * Two things follow every write, in this order:
 * - the alarm moves to the earlier of the record's `nextPollAt` and the job's next delivery (see
 *   {@link alarmTime}), or is deleted when there is neither; when it fires, the registered job
 *   alarm handler (job-alarm.ts) polls the job or sends the webhook, whichever is due;
 * - a status change is sent to the owner's index. The row remembers the last status the index
 *   acknowledged, and while they differ the alarm is also set to retry, so a failed or interrupted
 *   update is sent again instead of leaving the listing's status filter wrong.
 *
 * Internals are `#private`: any public method of a Durable Object class can be called over RPC.
 */
import { DurableObject } from 'cloudflare:workers';
import type { JobStatus } from '../../providers/types.ts';
import type { JobRecord, WebhookDelivery } from '../jobs/store/job-store.ts';
import { changeWaiters } from '../jobs/store/change-waiters.ts';
import { jsonLogger } from '../logger.ts';
import type { AlarmInvocationInfoLike, DurableObjectStateLike, SqlStorageLike, WorkerBindings } from './bindings.ts';
import { durableObjectJobStore } from './durable-object-job-store.ts';
import { jobAlarmHandler } from './job-alarm.ts';
import { jobStoreNamespaces, ownerIndex, type JobCreateResult, type JobObjectRpc, type JobStoreNamespaces } from './job-store-rpc.ts';
import { lazySchema, type LazySchema } from './sql-schema.ts';

/** An alarm is never set sooner than this: a `nextPollAt` in the past wakes the job soon, not in a tight loop. */
export const MIN_ALARM_DELAY_MS = 1_000;
/** When the owner's index has not acknowledged a status change, it is sent again after this long. */
export const INDEX_RETRY_MS = 10_000;
/** An alarm whose handler left the job as it was (someone else holds the lease, say) looks again after this long. */
export const IDLE_ALARM_RETRY_MS = 30_000;
/** Cloudflare retries a throwing `alarm()` six times (backoff from 2 s), then gives up on that alarm. */
export const PLATFORM_ALARM_RETRIES = 6;
/** After the platform has given up, the job object itself tries again this much later, so the job is not dropped. */
export const STALLED_ALARM_RETRY_MS = 5 * 60_000;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS job (
    id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    prefix TEXT NOT NULL,
    indexed_status TEXT NOT NULL
  )`,
];

/**
 * The outbox: each delivery as JSON (version included), with the two fields the alarm looks up by
 * (the first pending delivery in `sequence` order) beside it. A table of its own, created on the
 * first delivery, so that jobs without webhooks, and objects written before the outbox existed,
 * work as they are. A job has a handful of deliveries, so no index.
 */
const DELIVERY_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS delivery (
    id TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL,
    state TEXT NOT NULL,
    delivery TEXT NOT NULL
  )`,
];

type JobRow = { record: string; prefix: string; indexed_status: string };
type DeliveryRow = { delivery: string };
/** Ties on `sequence` (a bug upstream) keep insertion order, as the memory store does. */
const DELIVERY_ORDER = 'ORDER BY sequence, rowid';

/** The row: the record (as JSON, version included), the store's name prefix, and what the index knows. */
interface StoredJob {
  record: JobRecord;
  /** Finds the owner's index, and rebuilds the store for the alarm handler. */
  prefix: string;
  /** The status the owner's index has acknowledged. */
  indexedStatus: JobStatus;
}

/** What decides the alarm: when to poll, when the next webhook can go out, and whether the index is behind. */
export interface AlarmInputs {
  nextPollAt: number | null;
  /** See {@link nextDeliveryAt}. */
  nextDeliveryAt: number | null;
  status: JobStatus;
  indexedStatus: JobStatus;
}

/** When the job next has work for its handler: the earlier of polling and delivering, or `null` for neither. */
export function workTime(job: Pick<AlarmInputs, 'nextPollAt' | 'nextDeliveryAt'>): number | null {
  const times = [job.nextPollAt, job.nextDeliveryAt].filter((time): time is number => time !== null);
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * When the alarm should fire, or `null` for no alarm: at the {@link workTime}, but not before
 * `earliest` (by default `MIN_ALARM_DELAY_MS` from now), and within `INDEX_RETRY_MS` while the index is behind.
 */
export function alarmTime(job: AlarmInputs, now: number, earliest = now + MIN_ALARM_DELAY_MS): number | null {
  const times: number[] = [];
  const work = workTime(job);
  if (work !== null) times.push(Math.max(work, earliest));
  if (job.status !== job.indexedStatus) times.push(now + INDEX_RETRY_MS);
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * When the job's next webhook can be attempted, or `null` when none is waiting. Only the first
 * pending delivery counts (the later ones wait for it). Its `nextAttemptAt`, unless someone holds
 * its lease: then when the lease runs out, so a sender that died with the lease does not leave
 * the delivery stranded, and a live one is not raced.
 */
export function nextDeliveryAt(firstPending: WebhookDelivery | undefined): number | null {
  if (!firstPending || firstPending.nextAttemptAt === null) return null;
  return Math.max(firstPending.nextAttemptAt, firstPending.leaseUntil);
}

const leaseFree = (record: JobRecord, holder: string, now: number) => record.leaseUntil <= now || record.leaseHolder === holder;

export class JobObject extends DurableObject<WorkerBindings, DurableObjectStateLike> implements JobObjectRpc {
  readonly #sql: SqlStorageLike;
  readonly #schema: LazySchema;
  readonly #outbox: LazySchema;
  readonly #log = jsonLogger();
  /** Writes this instance has made; the alarm compares it around its handler to see whether the handler did anything. */
  #writes = 0;
  /** Event streams and `Prefer: wait` of every isolate wait here, on the job itself, instead of reading it on a timer. */
  readonly #waiters = changeWaiters();

  constructor(ctx: DurableObjectStateLike, env: WorkerBindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#schema = lazySchema(this.#sql, 'job', SCHEMA);
    this.#outbox = lazySchema(this.#sql, 'delivery', DELIVERY_SCHEMA);
  }

  async create(record: JobRecord, prefix: string): Promise<JobCreateResult> {
    if (this.#read()) return { created: false };
    this.#schema.ensure();
    // The store listed the job under `record.status` before calling, so the index is in step.
    this.#sql.exec(
      'INSERT INTO job (id, record, prefix, indexed_status) VALUES (?, ?, ?, ?)',
      record.id,
      JSON.stringify({ ...record, version: 1 }),
      prefix,
      record.status,
    );
    await this.#arm();
    return { created: true, record: this.#read()!.record };
  }

  async read(): Promise<JobRecord | undefined> {
    return this.#read()?.record;
  }

  async waitForChange(afterVersion: number, timeoutMs: number): Promise<JobRecord | undefined> {
    return this.#waiters.wait('', () => this.#read()?.record, afterVersion, timeoutMs);
  }

  async replace(next: JobRecord, outbox: readonly WebhookDelivery[] = []): Promise<JobRecord | undefined> {
    const current = this.#read()?.record;
    if (!current || current.id !== next.id || current.version !== next.version) return undefined;
    return this.#commit({ ...next, version: next.version + 1 }, outbox);
  }

  async listDeliveries(): Promise<WebhookDelivery[]> {
    if (!this.#outbox.exists()) return [];
    return this.#sql.exec<DeliveryRow>(`SELECT delivery FROM delivery ${DELIVERY_ORDER}`).toArray().map(parseDelivery);
  }

  async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    return this.#delivery(id);
  }

  async replaceDelivery(next: WebhookDelivery): Promise<WebhookDelivery | undefined> {
    const current = this.#delivery(next.id);
    if (!current || current.jobId !== next.jobId || current.version !== next.version) return undefined;
    const stored = { ...next, version: next.version + 1 };
    this.#sql.exec('UPDATE delivery SET sequence = ?, state = ?, delivery = ? WHERE id = ?', stored.sequence, stored.state, JSON.stringify(stored), stored.id);
    this.#writes += 1;
    await this.#arm();
    return stored;
  }

  async acquireLease(holder: string, now: number, leaseMs: number): Promise<JobRecord | undefined> {
    const current = this.#read()?.record;
    if (!current || !leaseFree(current, holder, now)) return undefined;
    return this.#commit({ ...current, leaseHolder: holder, leaseUntil: now + leaseMs, version: current.version + 1 });
  }

  async delete(): Promise<void> {
    const job = this.#read();
    if (!job) return;
    // Index first: if that fails, nothing is gone and the delete can simply be retried.
    await ownerIndex(this.#namespaces(), job.prefix, job.record.owner).remove(job.record.id);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#schema.reset();
    this.#outbox.reset();
    this.#waiters.notify('');
  }

  /**
   * Brings the index up to date if it is behind, then runs the handler when the job has work
   * scheduled, a poll or a delivery (not when the alarm was only the index retry, ahead of that
   * work). The handler works out which is due (job-alarm.ts). A throw is rethrown so the platform
   * retries with backoff, except after its last retry, when the object sets a later alarm itself.
   */
  async alarm(info?: AlarmInvocationInfoLike): Promise<void> {
    const before = this.#read();
    const indexWasBehind = before !== undefined && before.indexedStatus !== before.record.status;
    await this.#syncIndex();
    const job = this.#read();
    const work = job ? workTime(this.#alarmInputs(job)) : null;
    if (!job || work === null || (indexWasBehind && work > Date.now())) return this.#arm();
    const retryCount = info?.retryCount ?? 0;
    const writesBefore = this.#writes;
    try {
      await this.#runHandler(job, retryCount);
    } catch (error) {
      if (retryCount < PLATFORM_ALARM_RETRIES) throw error;
      this.#log('job_alarm_failed', { retry_count: retryCount, message: String(error) });
      return this.#arm(Date.now() + STALLED_ALARM_RETRY_MS);
    }
    const unchanged = this.#writes === writesBefore;
    await this.#arm(unchanged ? Date.now() + IDLE_ALARM_RETRY_MS : undefined);
  }

  async #runHandler(job: StoredJob, retryCount: number): Promise<void> {
    const handler = jobAlarmHandler();
    if (!handler) throw new Error('no job alarm handler is registered (registerJobAlarmHandler)');
    const jobId = job.record.id;
    const store = durableObjectJobStore(this.#namespaces(), { prefix: job.prefix, self: { id: jobId, object: this } });
    await handler({ env: this.env, jobId, store, retryCount });
  }

  #read(): StoredJob | undefined {
    if (!this.#schema.exists()) return undefined;
    const [row] = this.#sql.exec<JobRow>('SELECT record, prefix, indexed_status FROM job').toArray();
    return row && { record: JSON.parse(row.record) as JobRecord, prefix: row.prefix, indexedStatus: row.indexed_status as JobStatus };
  }

  #delivery(id: string): WebhookDelivery | undefined {
    if (!this.#outbox.exists()) return undefined;
    const [row] = this.#sql.exec<DeliveryRow>('SELECT delivery FROM delivery WHERE id = ?', id).toArray();
    return row && parseDelivery(row);
  }

  /** The delivery that goes out next: the first one, in `sequence` order, that is neither delivered nor given up. */
  #firstPending(): WebhookDelivery | undefined {
    if (!this.#outbox.exists()) return undefined;
    const [row] = this.#sql.exec<DeliveryRow>(`SELECT delivery FROM delivery WHERE state = 'pending' ${DELIVERY_ORDER} LIMIT 1`).toArray();
    return row && parseDelivery(row);
  }

  #alarmInputs(job: StoredJob): AlarmInputs {
    const { nextPollAt, status } = job.record;
    return { nextPollAt, nextDeliveryAt: nextDeliveryAt(this.#firstPending()), status, indexedStatus: job.indexedStatus };
  }

  /**
   * Writes the record and inserts `outbox` in one transaction: a delivery that cannot be written
   * (a duplicate id) undoes the record too, rather than leaving a change without its webhook.
   */
  async #commit(next: JobRecord, outbox: readonly WebhookDelivery[] = []): Promise<JobRecord> {
    // Outside the transaction: a rollback would drop the table but not the schema's memory of it.
    if (outbox.length > 0) this.#outbox.ensure();
    this.ctx.storage.transactionSync(() => {
      this.#sql.exec('UPDATE job SET record = ? WHERE id = ?', JSON.stringify(next), next.id);
      for (const delivery of outbox) {
        const stored = { ...delivery, version: 1 };
        this.#sql.exec('INSERT INTO delivery (id, sequence, state, delivery) VALUES (?, ?, ?, ?)', stored.id, stored.sequence, stored.state, JSON.stringify(stored));
      }
    });
    this.#writes += 1;
    this.#waiters.notify('');
    const job = this.#read()!;
    await this.#arm();
    if (job.record.status !== job.indexedStatus) {
      await this.#syncIndex();
      // Back from the index retry to the poll time (or to no alarm), now that the index has it.
      await this.#arm();
    }
    return job.record;
  }

  /** Sets the alarm from the rows as they are now. Synchronous up to `setAlarm`, so alarms are set in write order. */
  #arm(earliest?: number): Promise<void> {
    const job = this.#read();
    const at = job ? alarmTime(this.#alarmInputs(job), Date.now(), earliest) : null;
    return at === null ? this.ctx.storage.deleteAlarm() : this.ctx.storage.setAlarm(at);
  }

  /**
   * Sends the status to the owner's index until the row says it has it. Updates may cross (the
   * index keeps the one with the higher version), so each round reads the row again. A failure
   * is left to the alarm that the write set.
   */
  async #syncIndex(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      const job = this.#read();
      if (!job || job.record.status === job.indexedStatus) return;
      const { id, owner, status, version } = job.record;
      try {
        await ownerIndex(this.#namespaces(), job.prefix, owner).setStatus(id, status, version);
      } catch (error) {
        this.#log('job_index_error', { message: String(error) });
        return;
      }
      if (this.#read()) this.#sql.exec('UPDATE job SET indexed_status = ? WHERE id = ?', status, id);
    }
  }

  #namespaces(): JobStoreNamespaces {
    const namespaces = jobStoreNamespaces(this.env);
    if (!namespaces) throw new Error('the job store needs the JOBS and JOB_OWNERS Durable Object bindings');
    return namespaces;
  }
}

function parseDelivery(row: DeliveryRow): WebhookDelivery {
  return JSON.parse(row.delivery) as WebhookDelivery;
}
