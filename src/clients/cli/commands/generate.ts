/**
 * `vidgate generate "<prompt>" --model <model> [...] [-o out.mp4]`: creates the job, waits for it with a
 * progress view, saves the video and prints its path. Everything that can be checked locally (the
 * options, the image files, the output path) is checked before the job is created.
 */
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { badInput } from '../exit-codes.ts';
import { warningLine } from '../format.ts';
import { imageValue } from '../image-input.ts';
import { planOutput } from '../output-file.ts';
import type { CreateJobRequest, Job } from '../wire-types.ts';
import { followJob, interruptible } from './follow.ts';
import { gatewayOptions, integer, positiveSeconds } from './options.ts';

interface GenerateOptions {
  model: string;
  provider?: string;
  duration?: number;
  aspectRatio?: string;
  resolution?: string;
  image?: string;
  endImage?: string;
  audio?: boolean;
  seed?: number;
  webhookUrl?: string;
  output?: string;
  force?: boolean;
  wait: boolean;
  url?: string;
  json?: boolean;
}

export function registerGenerate(program: Command, context: Context): void {
  gatewayOptions(
    program
      .command('generate')
      .description('create a video job, wait for it, and save the video')
      .argument('<prompt>', 'what the video shows')
      .requiredOption('-m, --model <model>', 'an alias (kling-2.5) or a direct model (krea/kling/kling-2.5); see `vidgate models`')
      .option('-d, --duration <seconds>', 'length in seconds', positiveSeconds)
      .option('--aspect-ratio <ratio>', 'e.g. 16:9')
      .option('--resolution <resolution>', 'e.g. 720p, 1080p')
      .option('--image <file|url>', 'the first frame: an image file (PNG, JPEG, WebP, GIF, HEIC) or an https URL')
      .option('--end-image <file|url>', 'the last frame, likewise')
      .option('--audio', 'generate audio (models that can)')
      .option('--seed <integer>', 'random seed', integer)
      .option('--provider <name>', 'use only this provider among the alias\'s targets')
      .option('--webhook-url <url>', 'also have the gateway POST the finished job here')
      .option('-o, --output <file>', 'where to save the video (default: <job id>.mp4; a directory puts it there)')
      .option('-f, --force', 'overwrite the output file if it exists')
      .option('--no-wait', 'print the job as created and exit, without waiting'),
  ).action((prompt: string, options: GenerateOptions) => generate(context, prompt, options));
}

async function generate(context: Context, prompt: string, options: GenerateOptions): Promise<void> {
  if (!options.wait && options.output !== undefined) throw badInput('invalid_usage', '-o needs the job to finish: leave out --no-wait, or save it later with `vidgate jobs get <id> -o <file>`');
  const client = context.client(options);
  const request = await createRequest(prompt, options);
  const plan = options.wait ? await planOutput(options.output, options.force === true) : undefined;
  await interruptible(async (signal, known) => {
    const job = await client.createJob(request, signal);
    known(job.id);
    for (const warning of job.warnings) context.note(`warning: ${warningLine(warning)}`);
    if (!plan) return printCreated(context, job);
    await followJob(context, client, job, plan, signal);
  });
}

async function createRequest(prompt: string, options: GenerateOptions): Promise<CreateJobRequest> {
  const request: CreateJobRequest = { model: options.model, prompt };
  if (options.provider !== undefined) request.provider = options.provider;
  if (options.duration !== undefined) request.duration = options.duration;
  if (options.aspectRatio !== undefined) request.aspect_ratio = options.aspectRatio;
  if (options.resolution !== undefined) request.resolution = options.resolution;
  if (options.image !== undefined) request.start_image = await imageValue('--image', options.image);
  if (options.endImage !== undefined) request.end_image = await imageValue('--end-image', options.endImage);
  if (options.audio) request.generate_audio = true;
  if (options.seed !== undefined) request.seed = options.seed;
  if (options.webhookUrl !== undefined) request.webhook_url = options.webhookUrl;
  return request;
}

/** `--no-wait`: the job id on stdout (or the job with `--json`), and how to follow it on stderr. */
function printCreated(context: Context, job: Job): void {
  context.result(job, (created) => created.id);
  if (!context.json) context.note(`${job.id} ${job.status}; wait for it and save the video with: vidgate jobs get ${job.id} -o <file>`);
}
