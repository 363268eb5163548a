/** `vidgate jobs list|get|cancel`: your jobs at the gateway. */
import { Option, type Command } from 'commander';
import type { Context } from '../context.ts';
import { jobDetails, jobTable } from '../format.ts';
import { planOutput } from '../output-file.ts';
import type { Job } from '../wire-types.ts';
import { followJob, interruptible } from './follow.ts';
import { gatewayOptions, pageLimit } from './options.ts';

const STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'];

interface CommonOptions {
  url?: string;
  json?: boolean;
}

export function registerJobs(program: Command, context: Context): void {
  const jobs = program.command('jobs').description('list, show and cancel your jobs');

  gatewayOptions(
    jobs
      .command('list')
      .description('your jobs, newest first')
      .addOption(new Option('--status <status>', 'only jobs in this state').choices(STATUSES))
      .option('--limit <n>', 'at most this many (1-100; default 20)', pageLimit)
      .option('--after <id>', 'the page after this job (the last id of the previous page)'),
  ).action((options: CommonOptions & { status?: string; limit?: number; after?: string }) => listJobs(context, options));

  gatewayOptions(
    jobs
      .command('get')
      .description('show a job; with -o, wait for it and save its video')
      .argument('<id>', 'the job id')
      .option('--wait', 'wait until the job has finished, with a progress view')
      .option('-o, --output <file>', 'wait for the job and save its video here (a directory puts <job id>.mp4 there)')
      .option('-f, --force', 'overwrite the output file if it exists'),
  ).action((id: string, options: CommonOptions & { wait?: boolean; output?: string; force?: boolean }) => getJob(context, id, options));

  gatewayOptions(jobs.command('cancel').description('cancel a job (providers that can cancel, e.g. Krea)').argument('<id>', 'the job id')).action((id: string, options: CommonOptions) =>
    cancelJob(context, id, options),
  );
}

async function listJobs(context: Context, options: CommonOptions & { status?: string; limit?: number; after?: string }): Promise<void> {
  const list = await context.client(options).listJobs({ status: options.status, limit: options.limit, after: options.after });
  context.result(list, (page) => (page.data.length === 0 ? '' : jobTable(page)));
  if (context.json) return;
  if (list.data.length === 0) context.note('no jobs');
  if (list.has_more && list.last_id) context.note(`more: vidgate jobs list --after ${list.last_id}${options.status ? ` --status ${options.status}` : ''}`);
}

async function getJob(context: Context, id: string, options: CommonOptions & { wait?: boolean; output?: string; force?: boolean }): Promise<void> {
  const client = context.client(options);
  const saving = options.output !== undefined;
  const plan = saving ? await planOutput(options.output, options.force === true) : undefined;
  await interruptible(async (signal, known) => {
    const job = await client.getJob(id, signal);
    known(job.id);
    if (!options.wait && !saving) return context.result(job, jobDetails);
    await followJob(context, client, job, plan, signal);
  });
}

async function cancelJob(context: Context, id: string, options: CommonOptions): Promise<void> {
  const job: Job = await context.client(options).cancelJob(id);
  context.result(job, (answered) => `${answered.id} ${answered.status}`);
  // The job may have finished before the provider took the cancel: the answer is its confirmed state.
  if (!context.json && job.status !== 'cancelled') context.note(`${job.id} had already ${job.status}; nothing was cancelled`);
}
