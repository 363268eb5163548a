/**
 * What a job object's alarm runs. The job store does not drive jobs: a job object sets its alarm
 * to the record's `nextPollAt`, and when it fires, calls the handler the Worker registered here
 * at startup (the job driver). The registry is per isolate, like the Durable Object classes.
 */
import type { JobStore } from '../jobs/store/job-store.ts';
import type { WorkerBindings } from './bindings.ts';

/** One alarm of one job, as the handler sees it. */
export interface JobAlarm {
  /** The bindings of the Durable Object the alarm fired in (the Worker's own). */
  env: WorkerBindings;
  jobId: string;
  /**
   * The job store, as the job's own object sees it: calls for `jobId` run in this object
   * directly (no RPC into itself); other ids go through their objects as usual.
   */
  store: JobStore;
  /** 0 on the first attempt; the platform retries a handler that throws, with backoff. */
  retryCount: number;
}

/**
 * Called when a job's alarm fires while the record has a `nextPollAt`. Alarms are at-least-once,
 * and a lease may be held elsewhere, so the handler reads the record and takes the lease before
 * acting. A throw is retried by the platform, with backoff.
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
