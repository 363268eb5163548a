/**
 * A job that ended without a video (failed or cancelled), or that did not end while the call
 * waited. The HTTP calls themselves fail with the AI SDK's `APICallError`; this one says what
 * happened to the job, with the gateway's error code and message and the job id to look it up.
 */
import { AISDKError } from '@ai-sdk/provider';
import type { GatewayJob } from './gateway-api.ts';

const name = 'AI_VidgateJobError';
const marker = `vercel.ai.error.${name}`;
const symbol = Symbol.for(marker);

/** This client's codes, for what the job itself has no `error.code` for (not gateway error codes). */
const CLIENT_CODES = { cancelled: 'job_cancelled', timeout: 'wait_timeout', failed: 'generation_failed' } as const;

export class VidgateJobError extends AISDKError {
  private readonly [symbol] = true;
  readonly jobId: string;
  /** The job's status: `failed`, `cancelled`, or the one it still had when the wait ran out. */
  readonly status: string;
  /** The gateway's `error.code` (`generation_failed`, …), `job_cancelled`, or `wait_timeout`. */
  readonly code: string;

  constructor({ jobId, status, code, message }: { jobId: string; status: string; code: string; message: string }) {
    super({ name, message });
    this.jobId = jobId;
    this.status = status;
    this.code = code;
  }

  static override isInstance(error: unknown): error is VidgateJobError {
    return AISDKError.hasMarker(error, marker);
  }

  /** Why a finished job has no video, in the gateway's words. */
  static ofFinishedJob(job: GatewayJob): VidgateJobError {
    if (job.status === 'cancelled') {
      return new VidgateJobError({ jobId: job.id, status: job.status, code: job.error?.code ?? CLIENT_CODES.cancelled, message: `vidgate job ${job.id} was cancelled.` });
    }
    const code = job.error?.code ?? CLIENT_CODES.failed;
    return new VidgateJobError({ jobId: job.id, status: job.status, code, message: `vidgate job ${job.id} failed (${code}): ${job.error?.message ?? 'no reason given'}` });
  }

  static ofTimeout(job: GatewayJob, timeoutMs: number): VidgateJobError {
    return new VidgateJobError({
      jobId: job.id,
      status: job.status,
      code: CLIENT_CODES.timeout,
      message: `vidgate job ${job.id} was still ${job.status} after ${timeoutMs} ms; it keeps running (GET /v1/jobs/${job.id}). providerOptions.vidgate.pollTimeoutMs waits longer.`,
    });
  }
}
