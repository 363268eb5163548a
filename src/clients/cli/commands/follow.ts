/**
 * What `generate` and `jobs get --wait` share: waiting for the job with a progress view, saving its
 * video, and what Ctrl-C does meanwhile (the job keeps running; the message says how to get it).
 */
import { resolve } from 'node:path';
import type { Context } from '../context.ts';
import { downloadVideo } from '../download.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { errorLine, jobDetails } from '../format.ts';
import type { GatewayClient } from '../gateway-client.ts';
import { Interrupted, onFirstInterrupt } from '../interrupt.ts';
import type { OutputPlan } from '../output-file.ts';
import { waitForJob } from '../wait-for-job.ts';
import type { Job } from '../wire-types.ts';

/** What `--json` prints for a saved video. */
export interface SavedVideo {
  job: Job;
  /** The absolute path of the video file. */
  file: string;
}

/**
 * Runs `work` with a signal that the first Ctrl-C aborts; `work` calls `known(id)` once the job exists,
 * so an interruption can name it.
 */
export async function interruptible(work: (signal: AbortSignal, known: (jobId: string) => void) => Promise<void>): Promise<void> {
  const interrupt = onFirstInterrupt();
  let jobId: string | undefined;
  try {
    await work(interrupt.signal, (id) => {
      jobId = id;
    });
  } catch (error) {
    if (error instanceof Interrupted) throw interrupted(jobId);
    throw error;
  } finally {
    interrupt.dispose();
  }
}

function interrupted(jobId: string | undefined): CliError {
  if (!jobId) {
    return new CliError(EXIT.interrupted, { code: 'interrupted', message: 'interrupted before the gateway answered; the job may have been created' }, { hints: ['See your latest jobs with: vidgate jobs list'] });
  }
  return new CliError(EXIT.interrupted, { code: 'interrupted', message: `interrupted; job ${jobId} keeps running`, job_id: jobId }, {
    hints: [`See it with: vidgate jobs get ${jobId}`, `Save its video when it is done: vidgate jobs get ${jobId} -o <file>`],
  });
}

/** Waits for the job; with a plan, saves its video and prints where, else prints the finished job. A job that did not complete is exit 3. */
export async function followJob(context: Context, client: GatewayClient, job: Job, plan: OutputPlan | undefined, signal: AbortSignal): Promise<void> {
  const view = context.progress();
  let finished: Job;
  let path: string | undefined;
  try {
    finished = await waitForJob(client, job, view, signal);
    if (finished.status === 'completed' && plan) path = await downloadVideo(client, finished, plan, view, signal);
  } finally {
    view.end();
  }
  if (finished.status !== 'completed') throw notCompleted(finished, plan !== undefined);
  if (path === undefined) return context.result(finished, jobDetails);
  context.result<SavedVideo>({ job: finished, file: resolve(path) }, () => path);
}

function notCompleted(job: Job, saving: boolean): CliError {
  const message = job.status === 'cancelled' ? `job ${job.id} was cancelled` : `job ${job.id} failed: ${errorLine(job)}`;
  return new CliError(EXIT.failed, { code: job.error?.code ?? `job_${job.status}`, message, job_id: job.id }, { document: saving ? { job, file: null } : job });
}
