/**
 * Waiting for a job to finish, on the gateway's event stream (`GET /v1/jobs/{id}/events`): it sends the
 * job at once and on every change, so the progress view moves as the job does, with one open request.
 * A stream that ends before the terminal event (the gateway shutting down, a proxy cutting long
 * requests) is opened again, and its first event is the job as it is by then; only when the gateway
 * stays unreachable through every retry does the wait give up (exit 4).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { CliError, EXIT, unreachable } from './exit-codes.ts';
import type { GatewayClient } from './gateway-client.ts';
import type { ProgressView } from './progress.ts';
import { TERMINAL_STATUSES, type Job } from './wire-types.ts';

const RECONNECT_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

export const isTerminal = (job: Job) => TERMINAL_STATUSES.includes(job.status);

export async function waitForJob(client: GatewayClient, job: Job, view: ProgressView, signal: AbortSignal): Promise<Job> {
  let latest = job;
  let failures = 0;
  view.job(latest);
  while (!isTerminal(latest)) {
    try {
      for await (const update of client.jobEvents(latest.id, signal)) {
        latest = update;
        failures = 0;
        view.job(update);
      }
      if (isTerminal(latest)) break;
    } catch (error) {
      if (!(error instanceof CliError && error.exitCode === EXIT.unreachable) || failures >= RECONNECT_DELAYS_MS.length) throw error;
    }
    const wait = RECONNECT_DELAYS_MS[failures++];
    if (wait === undefined) throw unreachable('stream_lost', `lost the gateway's event stream for ${latest.id}`);
    view.note(`lost the gateway's event stream; reconnecting in ${wait / 1000} s`);
    await delay(wait, undefined, { signal }).catch(() => {
      throw signal.reason;
    });
  }
  return latest;
}
