/**
 * What a job object's alarm runs. The job store does not drive jobs: a job object sets its alarm
 * to the earlier of the record's `nextPollAt` and its next webhook delivery's `nextAttemptAt`,
 * and when it fires, calls the handler the Worker registered here at startup (the job driver and
 * the webhook sender). The registry is per isolate, like the Durable Object classes.
 *
 * One handler serves both reasons to wake, and is not told which: it reads the record
 * (`store.get`) and the outbox (`store.listDeliveries`) and does whatever is due. Both reads are
 * answered by the job's own object in-process, and alarms are at-least-once anyway, so a reason
 * passed in would only be a hint the handler must check again.
 */
import type { JobStore } from '../jobs/store/job-store.ts';
import type { WorkerBindings } from './bindings.ts';

/** One alarm of one job, as the handler sees it. */
export interface JobAlarm {
  /** The bindings of the Durable Object the alarm fired in (the Worker's own). */
  env: WorkerBindings;
  jobId: string;
  /**
   * The job store, as the job's own object sees it: calls for `jobId` (`get`, `replace`,
   * `acquireLease`, `listDeliveries`, `getDelivery`, `replaceDelivery`, …) run in this object
   * directly (no RPC into itself); other ids go through their objects as usual.
   */
  store: JobStore;
  /** 0 on the first attempt; the platform retries a handler that throws, with backoff. */
  retryCount: number;
}

/**
 * Called when a job's alarm fires while the record has a `nextPollAt` or the job has a pending
 * webhook delivery; either may still be in the future (the alarm fires for the earlier one).
 * Alarms are at-least-once, and leases may be held elsewhere, so the handler reads the record and
 * the deliveries and takes the lease on what it acts on: the job's with `acquireLease`, a
 * delivery's by writing `leaseHolder`/`leaseUntil` with `replaceDelivery` (a compare-and-set, so
 * only one taker wins). Only the first pending delivery, in `sequence` order, may be sent. A
 * handler that writes nothing is called again `IDLE_ALARM_RETRY_MS` later while the work is still
 * there; a throw is retried by the platform, with backoff.
 */
export type JobAlarmHandler = (alarm: JobAlarm) => Promise<void>;

let registered: JobAlarmHandler | undefined;

/** Makes `handler` the one job alarms call; returns a function that unregisters it. */
export function registerJobAlarmHandler(handler: JobAlarmHandler): () => void {
  registered = handler;
  return () => {
    if (registered === handler) registered = undefined;
  };
}

/** The registered handler, if any. */
export function jobAlarmHandler(): JobAlarmHandler | undefined {
  return registered;
}
