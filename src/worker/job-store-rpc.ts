/**
 * What the job store's two Durable Object classes answer over RPC, and how they are named. Kept
 * apart from the classes (which import `cloudflare:workers`) so that the store, and anything that
 * only calls the objects, can be loaded and type-checked anywhere.
 */
import type { JobStatus } from '../../providers/types.ts';
import type { IdempotencyClaim, JobRecord, ListQuery, WebhookDelivery } from '../jobs/store/job-store.ts';
import type { AccountLimits, Booking, BookingRefusal, Settlement, UsageRow } from '../jobs/store/ledger.ts';
import { isDurableObjectNamespace, type DurableObjectNamespaceLike } from './bindings.ts';

/** `JobObject.create`'s answer; an id that is taken is an answer, not an error, so errors mean "unavailable". */
export type JobCreateResult = { created: true; record: JobRecord } | { created: false };

/** One job, in its own object (named by the job id): its record, its lease, its webhook outbox and its alarm. */
export interface JobObjectRpc {
  /** Writes the record at version 1 unless this object already holds one. `prefix` is the store's (see `JobStoreOptions`). */
  create(record: JobRecord, prefix: string): Promise<JobCreateResult>;
  read(): Promise<JobRecord | undefined>;
  /** The record once its version is above `afterVersion`, or `undefined` after `timeoutMs` or when the job is gone (see `JobStore.waitForChange`). */
  waitForChange(afterVersion: number, timeoutMs: number): Promise<JobRecord | undefined>;
  /**
   * Compare-and-set on `next.version`. `outbox` deliveries (all of this job) are inserted at
   * version 1 in the same transaction as the record: all of it, or nothing when the compare-and-set fails.
   */
  replace(next: JobRecord, outbox?: readonly WebhookDelivery[]): Promise<JobRecord | undefined>;
  acquireLease(holder: string, now: number, leaseMs: number): Promise<JobRecord | undefined>;
  /** The job's deliveries, in `sequence` order. */
  listDeliveries(): Promise<WebhookDelivery[]>;
  getDelivery(id: string): Promise<WebhookDelivery | undefined>;
  /** Compare-and-set on `next.version`, like `replace`; the alarm follows the job's next delivery. */
  replaceDelivery(next: WebhookDelivery): Promise<WebhookDelivery | undefined>;
  /** Takes the job out of its owner's index, then wipes the object (record, deliveries and alarm). */
  delete(): Promise<void>;
}

/** A job as its owner's index lists it. */
export interface IndexEntry {
  id: string;
  createdAt: number;
  status: JobStatus;
}

/** `OwnerIndex.register`'s answer: the key was free (and what this call wrote), or the job that holds it. */
export type RegisterResult =
  | { registered: true; entryInserted: boolean; claimed: boolean }
  | { registered: false; jobId: string; requestHash: string };

/** One owner's listing index and idempotency keys, in one object (named by the owner digest). */
export interface OwnerIndexRpc {
  /**
   * In one transaction: when `claim`'s key is held and unexpired at `entry.createdAt`, changes
   * nothing and names the holder; otherwise takes the key for `entry.id` and lists the entry.
   */
  register(entry: IndexEntry, claim?: IdempotencyClaim): Promise<RegisterResult>;
  /** Undoes what `register` wrote for a job that was never written: the entry if asked, the key if it still names the job. */
  unregister(id: string, options: { entry: boolean; claimKey?: string }): Promise<void>;
  /** Records a job's new status, unless a newer version already did (status updates can arrive out of order). */
  setStatus(id: string, status: JobStatus, version: number): Promise<void>;
  remove(id: string): Promise<void>;
  /** Entries in `query.order` (after `query.after`), filtered by the index's own copy of the status. */
  list(query: ListQuery): Promise<IndexEntry[]>;
  releaseClaim(key: string): Promise<void>;
}

/** `AccountLedgerRpc.admitBooking`'s answer: a booking of a job already there is an answer too (the facade makes it a plain error). */
export type LedgerAdmitResult = { outcome: 'admitted' } | { outcome: 'refused'; refusal: BookingRefusal } | { outcome: 'duplicate' };

/** A usage row as the account's own object has it (it does not know the account's name, only its object id). */
export type AccountUsageRow = Omit<UsageRow, 'account'>;

/**
 * One account's key ledger, in one `OwnerIndex` object of its own (named by `accountLedger`): the
 * object runs one call at a time, so each method's checks and writes are atomic.
 */
export interface AccountLedgerRpc {
  /** `KeyLedger.admitBooking` for this object's account, in one transaction. */
  admitBooking(booking: Booking, limits: AccountLimits): Promise<LedgerAdmitResult>;
  settleBooking(jobId: string, settlement: Settlement): Promise<void>;
  releaseBooking(jobId: string): Promise<void>;
  /** The bookings with `at` in [fromMs, toMs), grouped by (model, provider, unit). */
  usage(fromMs: number, toMs: number): Promise<AccountUsageRow[]>;
}

/**
 * The two namespace bindings the store is built from (wrangler.toml names them `JOBS` and
 * `JOB_OWNERS`). `JOB_OWNERS`' class serves both owners' indexes and accounts' ledgers.
 */
export interface JobStoreNamespaces {
  jobs: DurableObjectNamespaceLike<JobObjectRpc>;
  owners: DurableObjectNamespaceLike<OwnerIndexRpc & AccountLedgerRpc>;
}

/** The job store's namespaces from a Worker's (or Durable Object's) bindings, or `undefined` when either is not bound. */
export function jobStoreNamespaces(env: Record<string, unknown>): JobStoreNamespaces | undefined {
  const { JOBS: jobs, JOB_OWNERS: owners } = env;
  if (!isDurableObjectNamespace(jobs) || !isDurableObjectNamespace(owners)) return undefined;
  return { jobs: jobs as JobStoreNamespaces['jobs'], owners: owners as JobStoreNamespaces['owners'] };
}

/** The object that holds job `id`. */
export function jobObject(namespaces: JobStoreNamespaces, prefix: string, id: string): JobObjectRpc {
  return namespaces.jobs.get(namespaces.jobs.idFromName(prefix + id));
}

/** The object that indexes `owner`'s jobs. */
export function ownerIndex(namespaces: JobStoreNamespaces, prefix: string, owner: string): OwnerIndexRpc {
  return namespaces.owners.get(namespaces.owners.idFromName(prefix + owner));
}

/**
 * The object that holds `account`'s ledger: an `OwnerIndex` under a name of its own. Owner indexes
 * are named by a hex digest, which never contains `:`, so no owner's index and no account's
 * ledger share an object.
 */
export function accountLedger(namespaces: JobStoreNamespaces, prefix: string, account: string): AccountLedgerRpc {
  return namespaces.owners.get(namespaces.owners.idFromName(`${prefix}ledger:${account}`));
}
