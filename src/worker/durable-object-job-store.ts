/**
 * The job store on Durable Objects (SQLite-backed), for Workers. Two classes share the work:
 *
 * - `JobObject` (binding `JOBS`), one per job, named by the job id: the record, its version and
 *   lease, the job's webhook deliveries (its outbox), and an alarm at the earlier of `nextPollAt`
 *   and the next delivery's attempt that wakes the driver for that job. Each object runs one call
 *   at a time and reads and writes SQLite synchronously, so compare-and-set and leases are atomic
 *   without locks, and a job change and the deliveries it reports are one transaction.
 * - `OwnerIndex` (binding `JOB_OWNERS`), one per owner, named by the owner digest: a small table of
 *   (job id, created_at, status) for listing, and the owner's idempotency keys, so that claiming a
 *   key and listing the job are one transaction. The same class, under a name of the form
 *   `ledger:<account>`, holds one account's key ledger (requests of the last minute, bookings), so
 *   that every check of the account's limits and its booking are one transaction of one object.
 *
 * A create claims the key and lists the job in the owner's index first, then writes the job's
 * object; after that, the job object keeps its index entry in step (status changes, delete).
 * Listing reads ids from the index and the records from their objects, skipping ids whose object
 * holds nothing. There is no `claimDue` (nor `claimDueDeliveries`): each job's own alarm replaces the scan.
 *
 * Every answer the objects give (a taken id, a lost compare-and-set) is a value, so any error out
 * of a call is the store failing and surfaces as `StoreUnavailableError`.
 */
import { StoreUnavailableError, type CreateOutcome, type IdempotencyClaim, type JobRecord, type JobStore, type ListQuery, type WebhookDelivery } from '../jobs/store/job-store.ts';
import { assertBooking, assertSettlement, compareUsageRows, duplicateBookingError, type KeyLedger } from '../jobs/store/ledger.ts';
import type { WorkerBindings } from './bindings.ts';
import {
  accountLedger,
  jobObject,
  jobStoreNamespaces,
  ownerIndex,
  type AccountLedgerRpc,
  type JobObjectRpc,
  type JobStoreNamespaces,
  type OwnerIndexRpc,
  type RegisterResult,
} from './job-store-rpc.ts';

export interface JobStoreOptions {
  /**
   * Prepended to every object name, so that stores with different prefixes share the bindings
   * without seeing each other's jobs (each conformance run opens its own). Production uses none.
   */
  prefix?: string;
  /**
   * Set by a job object for the store it hands its alarm handler: calls for that job go straight
   * to the object's methods instead of through RPC back into the object that is making them.
   */
  self?: { id: string; object: JobObjectRpc };
}

/** A `JobStore` over the `JOBS` and `JOB_OWNERS` namespaces. */
export function durableObjectJobStore(namespaces: JobStoreNamespaces, options: JobStoreOptions = {}): JobStore {
  const prefix = options.prefix ?? '';
  const job = (id: string): JobObjectRpc => (options.self?.id === id ? options.self.object : jobObject(namespaces, prefix, id));
  const owner = (digest: string): OwnerIndexRpc => ownerIndex(namespaces, prefix, digest);

  async function get(id: string): Promise<JobRecord | undefined> {
    return call('get', () => job(id).read());
  }

  return {
    ...ledgerOf((account) => accountLedger(namespaces, prefix, account)),
    async create(record, claim) {
      const index = owner(record.owner);
      const registration = await call('create', () => index.register({ id: record.id, createdAt: record.createdAt, status: record.status }, claim));
      if (!registration.registered) return { created: false, jobId: registration.jobId, requestHash: registration.requestHash };
      return writeCreated(job(record.id), index, record, prefix, registration, claim);
    },
    get,
    async replace(next, outbox = []) {
      assertOwnDeliveries(next.id, outbox);
      return call('replace', () => job(next.id).replace(next, outbox));
    },
    async listDeliveries(jobId) {
      return call('listDeliveries', () => job(jobId).listDeliveries());
    },
    async getDelivery(jobId, id) {
      return call('getDelivery', () => job(jobId).getDelivery(id));
    },
    async replaceDelivery(next) {
      return call('replaceDelivery', () => job(next.jobId).replaceDelivery(next));
    },
    async waitForChange(id, afterVersion, timeoutMs) {
      return call('waitForChange', () => job(id).waitForChange(afterVersion, timeoutMs));
    },
    async acquireLease(id, holder, now, leaseMs) {
      return call('acquireLease', () => job(id).acquireLease(holder, now, leaseMs));
    },
    async list(digest, query) {
      return listRecords(owner(digest), digest, query, get);
    },
    async releaseClaim(digest, key) {
      await call('releaseClaim', () => owner(digest).releaseClaim(key));
    },
    async delete(id) {
      await call('delete', () => job(id).delete());
    },
    async close() {},
  };
}

/** The key ledger's operations, each one call to the account's own object. */
function ledgerOf(ledger: (account: string) => AccountLedgerRpc): KeyLedger {
  return {
    async admitBooking(booking, limits) {
      assertBooking(booking);
      const result = await call('admitBooking', () => ledger(booking.account).admitBooking(booking, limits));
      if (result.outcome === 'duplicate') throw duplicateBookingError(booking.jobId);
      return result.outcome === 'refused' ? result.refusal : undefined;
    },
    async settleBooking(account, jobId, settlement) {
      assertSettlement(jobId, settlement);
      await call('settleBooking', () => ledger(account).settleBooking(jobId, settlement));
    },
    async releaseBooking(account, jobId) {
      await call('releaseBooking', () => ledger(account).releaseBooking(jobId));
    },
    async usage(account, fromMs, toMs) {
      const rows = await call('usage', () => ledger(account).usage(fromMs, toMs));
      return rows.map((row) => ({ account, ...row })).sort(compareUsageRows);
    },
  };
}

/** The Worker's job store, when its bindings have `JOBS` and `JOB_OWNERS` (wrangler.toml binds both). */
export function workerJobStore(env: WorkerBindings): JobStore | undefined {
  const namespaces = jobStoreNamespaces(env);
  return namespaces && durableObjectJobStore(namespaces);
}

/**
 * Deliveries are kept in their job's object and found through `jobId`, so one written with the
 * wrong job would be lost to every later call. That is a bug upstream: a plain error, not an outage.
 */
function assertOwnDeliveries(jobId: string, outbox: readonly WebhookDelivery[]): void {
  const stray = outbox.find((delivery) => delivery.jobId !== jobId);
  if (stray) throw new Error(`delivery ${stray.id} belongs to job ${stray.jobId}, not ${jobId}`);
}

/**
 * The second step of a create: the key is ours and the job listed, so write the job's object.
 * If that call fails we cannot tell whether the write landed; a read settles it. A job that is
 * not there gets its registration undone, so a retry with the same key is not pointed at nothing.
 */
async function writeCreated(
  object: JobObjectRpc,
  index: OwnerIndexRpc,
  record: JobRecord,
  prefix: string,
  registration: Extract<RegisterResult, { registered: true }>,
  claim: IdempotencyClaim | undefined,
): Promise<CreateOutcome> {
  const undo = () => index.unregister(record.id, { entry: registration.entryInserted, claimKey: registration.claimed ? claim?.key : undefined });
  let written;
  try {
    written = await object.create(record, prefix);
  } catch (error) {
    const landed = await object.read().catch(() => undefined);
    if (landed?.version === 1 && landed.owner === record.owner && landed.createdAt === record.createdAt) return { created: true, record: landed };
    if (!landed) await undo().catch(() => {});
    throw unavailable('create', error);
  }
  if (written.created) return { created: true, record: written.record };
  // The id is taken (a bug upstream: ids are random). The existing job keeps its entry.
  await undo().catch(() => {});
  throw new Error(`job ${record.id} exists`);
}

/**
 * Ids from the owner's index, records from their objects (in parallel). An id whose object has
 * nothing (its create failed half-way, or its delete did) is skipped, and so is a record whose
 * status no longer matches the filter (the index learns of status changes just after the
 * record); the index is read again until `limit` records are found or it runs out.
 */
async function listRecords(index: OwnerIndexRpc, owner: string, query: ListQuery, get: (id: string) => Promise<JobRecord | undefined>): Promise<JobRecord[]> {
  const records: JobRecord[] = [];
  let after = query.after;
  while (records.length < query.limit) {
    const wanted = query.limit - records.length;
    const entries = await call('list', () => index.list({ limit: wanted, status: query.status, order: query.order, after }));
    const found = await Promise.all(entries.map((entry) => get(entry.id)));
    for (const record of found) {
      if (record && record.owner === owner && (!query.status || record.status === query.status)) records.push(record);
    }
    const last = entries.at(-1);
    if (!last || entries.length < wanted) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  return records;
}

/** Runs one call to an object; whatever it throws (storage, RPC, an overloaded object) means the store is unavailable. */
async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw unavailable(operation, error);
  }
}

function unavailable(operation: string, error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`job store ${operation} failed: ${message}`, { cause: error });
}
