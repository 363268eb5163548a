/**
 * The job store port: every job is a record here, from before the provider is called until long
 * after it ended. Core talks only to this interface; the runtimes bring implementations (embedded
 * SQLite and PostgreSQL on Node, Durable Objects on Workers), and every implementation passes the
 * one conformance suite in test/stores/.
 *
 * Concurrency is handled with two tools, so that several gateway processes can share one store:
 * - a version number on every record: `replace` is a compare-and-set, so no update is lost;
 * - a lease: whoever holds an unexpired lease on a job is the only one talking to its provider.
 */
import type { JobStatus, JobWarning, JsonValue, VideoInput } from '../../../providers/types.ts';
import type { KeyLedger } from './ledger.ts';

export type { AccountLimits, Booking, BookingRefusal, KeyLedger, LimitReason, Settlement, UsageRow } from './ledger.ts';

/** What the job echoes as `input`: the applied request, with the provider options that were sent. */
export type StoredInput = VideoInput & { provider_options?: Record<string, unknown> };

/** A failed job's explanation, as the job shows it. */
export interface StoredError {
  code: string;
  message: string;
  provider_status?: string;
  provider_code?: string;
  provider_message?: string;
}

/** One output video, as the job shows it. Later features add fields (storage, digests). */
export interface StoredVideo {
  url: string;
  content_type?: string;
  [extra: string]: JsonValue | undefined;
}

export interface JobRecord {
  /** `job_` + random; the record's key. */
  id: string;
  /** SHA-256 (hex) of the gateway key that created the job; never the key itself. */
  owner: string;
  /** The `model` the client asked for (alias or direct id). */
  model: string;
  provider: string;
  providerModel: string;
  /** The provider's handle; `null` while the create is in flight (its outcome unknown until it answers). */
  operation: JsonValue | null;
  status: JobStatus;
  /** The provider's own last status, if it reported one. */
  rawStatus: string | null;
  progress: number | null;
  input: StoredInput;
  warnings: JobWarning[];
  metadata: Record<string, string>;
  videos: StoredVideo[];
  error: StoredError | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /** When the provider's state was last read (or the create answered). */
  observedAt: number | null;
  /** When the driver should next look at the job; `null` once nothing is left to do. */
  nextPollAt: number | null;
  /** The current polling interval (it backs off while nothing changes). */
  pollIntervalMs: number | null;
  leaseHolder: string | null;
  /** Lease expiry in ms since the epoch; 0 when free. */
  leaseUntil: number;
  /** Incremented by the store on every write. */
  version: number;
  /**
   * Fields later features keep with the job (webhook settings, usage, …): stored and returned as
   * is, never interpreted by the store.
   */
  extra: Record<string, JsonValue>;
}

/** An `Idempotency-Key` claim: per owner and key, the body's digest and the job it created. */
export interface IdempotencyClaim {
  key: string;
  requestHash: string;
  /** Until when the key binds (24 h after first use). */
  expiresAt: number;
}

export type CreateOutcome =
  | { created: true; record: JobRecord }
  /** The key was already claimed (and has not expired): the job it belongs to, and the body digest it was claimed with. */
  | { created: false; jobId: string; requestHash: string };

/**
 * The order of a listing. `desc` (the default): newest first, `createdAt` desc then `id` desc, so
 * that jobs created in the same millisecond still have one stable order to page through. `asc`:
 * the exact reverse (oldest first, `id` asc on ties).
 */
export type ListOrder = 'desc' | 'asc';

/** A position in a listing: the `createdAt` and `id` of the last record seen. */
export interface ListCursor {
  createdAt: number;
  id: string;
}

export interface ListQuery {
  /** How many records at most. */
  limit: number;
  status?: JobStatus;
  /** Default `desc`. */
  order?: ListOrder;
  /** Only records after this position in the chosen order (the next page after the record last seen). */
  after?: ListCursor;
}

/** The webhook events of the contract (DESIGN §6 "Webhooks"). */
export type WebhookEvent = 'job.completed' | 'job.failed' | 'job.cancelled' | 'job.updated';

/** One attempt at delivering a webhook: when, and the receiver's HTTP status or what went wrong. */
export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
}

/**
 * A webhook in the outbox: written in the same step as the job change it reports, so a crash
 * between the change and the delivery loses nothing. Deliveries of one job go out in `sequence`
 * order: the next waits until the previous is delivered or given up.
 */
export interface WebhookDelivery {
  /** The `webhook-id` (`msg_` + random): the same on every attempt. */
  id: string;
  jobId: string;
  owner: string;
  event: WebhookEvent;
  url: string;
  /** The exact body sent: `{"type", "timestamp", "data": <the job>}` as JSON text. */
  payload: string;
  /** 1, 2, … within the job. */
  sequence: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  /** When the next attempt is due; `null` once delivered or given up. */
  nextAttemptAt: number | null;
  createdAt: number;
  leaseHolder: string | null;
  leaseUntil: number;
  /** Incremented by the store on every write. */
  version: number;
}

/** The store of jobs, their webhook outbox, and the key ledger (per-account counters for limits and usage; see ./ledger.ts). */
export interface JobStore extends KeyLedger {
  /**
   * Inserts a new record (version 1). With a claim, atomically: when the owner's key is already
   * claimed and unexpired, nothing is written and the existing claim is returned; an expired claim
   * is replaced. Two racing creates with one key: exactly one is created.
   */
  create(record: JobRecord, claim?: IdempotencyClaim): Promise<CreateOutcome>;

  get(id: string): Promise<JobRecord | undefined>;

  /**
   * Writes `next` if the stored version is still `next.version` (compare-and-set); the stored copy
   * gets `version + 1`. Returns what was written, or `undefined` if the record changed meanwhile
   * or does not exist. `outbox` deliveries (version 1) are inserted in the same atomic step: all
   * of it or nothing.
   */
  replace(next: JobRecord, outbox?: readonly WebhookDelivery[]): Promise<JobRecord | undefined>;

  /** A job's deliveries, in `sequence` order. */
  listDeliveries(jobId: string): Promise<WebhookDelivery[]>;

  getDelivery(jobId: string, id: string): Promise<WebhookDelivery | undefined>;

  /** Compare-and-set on a delivery, like {@link replace}. */
  replaceDelivery(next: WebhookDelivery): Promise<WebhookDelivery | undefined>;

  /**
   * Takes the lease for `holder` if it is free, expired, or already `holder`'s; returns the record
   * as written (version incremented), or `undefined` when someone else holds it or there is no such job.
   */
  acquireLease(id: string, holder: string, now: number, leaseMs: number): Promise<JobRecord | undefined>;

  /** The owner's records in `query.order` (newest first unless asked otherwise; see {@link ListOrder}). */
  list(owner: string, query: ListQuery): Promise<JobRecord[]>;

  /** Frees an owner's idempotency key (its create was refused before any job could start). */
  releaseClaim(owner: string, key: string): Promise<void>;

  /** Removes a job for good (its idempotency claims stop pointing anywhere). */
  delete(id: string): Promise<void>;

  /**
   * Optional, for stores that can hold waiters where the job lives (a job's Durable Object): the
   * record as soon as its version is above `afterVersion` (at once if it already is), or
   * `undefined` once `timeoutMs` passed or the job is gone. Without it, watchers read on a timer.
   */
  waitForChange?(id: string, afterVersion: number, timeoutMs: number): Promise<JobRecord | undefined>;

  close(): Promise<void>;
}

/**
 * A store whose due jobs are found by scanning (the SQL stores). The Node driver calls
 * `claimDue` in a loop; Durable Objects instead wake each job with its own alarm.
 */
export interface ScannableJobStore extends JobStore {
  /**
   * Atomically leases to `holder` up to `limit` records with `nextPollAt <= now` whose lease is free
   * or expired, soonest first, and returns them as written. Concurrent callers never get the same record.
   */
  claimDue(holder: string, now: number, leaseMs: number, limit: number): Promise<JobRecord[]>;

  /**
   * Atomically leases to `holder` up to `limit` deliveries that are due (`state` pending,
   * `nextAttemptAt <= now`, lease free or expired) and are each the first unfinished delivery of
   * their job (lowest `sequence` not delivered or failed), soonest first.
   */
  claimDueDeliveries(holder: string, now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
}

/** A store that could not do what was asked (unreachable, disk full, …): creates answer 503 `store_unavailable`. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
