/**
 * A vidgate model as an AI SDK video model (`VideoModelV4`). `experimental_generateVideo` calls
 * `doGenerate`: create the job, long-poll it to the end, download its video from the content route.
 * With the call's `webhook` (or `poll`) option it drives `doStart` / `doStatus` instead, and the
 * gateway's signed webhook tells the SDK when the job is over.
 */
import {
  InvalidArgumentError,
  type Experimental_VideoModelV4 as VideoModelV4,
  type Experimental_VideoModelV4CallOptions as VideoModelV4CallOptions,
  type Experimental_VideoModelV4OperationStartResult as VideoModelV4OperationStartResult,
  type Experimental_VideoModelV4OperationStatusResult as VideoModelV4OperationStatusResult,
  type Experimental_VideoModelV4OperationWebhook as VideoModelV4OperationWebhook,
  type Experimental_VideoModelV4Result as VideoModelV4Result,
  type Experimental_VideoModelV4VideoData as VideoModelV4VideoData,
  type JSONValue,
} from '@ai-sdk/provider';
import { createJob, downloadVideo, isTerminal, readJob, type CallContext, type GatewayConfig, type GatewayJob, type JobAnswer } from './gateway-api.ts';
import { createHeaders, withoutKey } from './idempotency.ts';
import { buildJobRequest, type JobCallOptions, type JobRequest } from './job-request.ts';
import { providerMetadataOf, servingModelOf, warningsOf } from './job-results.ts';
import { VidgateJobError } from './vidgate-job-error.ts';
import { waitForJob, withTransientRetries } from './wait-for-job.ts';

/** The gateway's default aliases; any alias of your gateway's routing, or a direct id (`krea/kling/kling-2.5`), works too. */
export type VidgateVideoModelId = 'kling-2.5' | 'veo-3.1' | 'veo-3.1-fast' | 'hailuo-2.3' | 'wan-2.5' | 'wan-14b' | (string & {});

type WebhookFactory = () => PromiseLike<{ url: string; received: PromiseLike<VideoModelV4OperationWebhook> }>;

export class VidgateVideoModel implements VideoModelV4 {
  readonly specificationVersion = 'v4';
  /** A job makes one video; the AI SDK makes one call (one job) per video when `n` > 1. */
  readonly maxVideosPerCall = 1;
  readonly modelId: VidgateVideoModelId;
  readonly #config: GatewayConfig;

  constructor(modelId: VidgateVideoModelId, config: GatewayConfig) {
    this.modelId = modelId;
    this.#config = config;
  }

  get provider(): string {
    return this.#config.provider;
  }

  async doGenerate(options: VideoModelV4CallOptions): Promise<VideoModelV4Result> {
    const timestamp = new Date();
    const { request, started } = await this.#start(options);
    const reads = { headers: withoutKey(options.headers), abortSignal: options.abortSignal };
    const { job, responseHeaders } = await waitForJob(this.#config, started, { ...reads, timeoutMs: request.settings.pollTimeoutMs, waitSeconds: request.settings.waitSeconds });
    if (job.status !== 'completed') throw VidgateJobError.ofFinishedJob(job);
    return {
      videos: await this.#download(job, reads),
      warnings: [...request.warnings, ...warningsOf(job)],
      providerMetadata: providerMetadataOf(job),
      response: { timestamp, modelId: servingModelOf(job), headers: responseHeaders },
    };
  }

  /** The gateway sends webhooks itself, for every provider: the SDK's webhook URL becomes the job's `webhook_url`. */
  async handleWebhookOption({ webhook }: { webhook: WebhookFactory }): Promise<{ webhookUrl: string; received: PromiseLike<VideoModelV4OperationWebhook> }> {
    const { url, received } = await webhook();
    return { webhookUrl: url, received };
  }

  async doStart(options: JobCallOptions): Promise<VideoModelV4OperationStartResult> {
    const timestamp = new Date();
    const { request, started } = await this.#start(options);
    return {
      operation: { jobId: started.job.id },
      warnings: [...request.warnings, ...warningsOf(started.job)],
      providerMetadata: providerMetadataOf(started.job),
      response: { timestamp, modelId: servingModelOf(started.job), headers: started.responseHeaders },
    };
  }

  /** One read of the job, without waiting (the SDK paces these); a finished job's video comes with it. */
  async doStatus(options: { operation: JSONValue; abortSignal?: AbortSignal; headers?: Record<string, string | undefined> }): Promise<VideoModelV4OperationStatusResult> {
    const timestamp = new Date();
    const reads = { headers: withoutKey(options.headers), abortSignal: options.abortSignal };
    const { job, responseHeaders } = await readJob(this.#config, jobIdOf(options.operation), reads);
    const about = { providerMetadata: providerMetadataOf(job), response: { timestamp, modelId: servingModelOf(job), headers: responseHeaders } };
    if (!isTerminal(job)) return { status: 'pending', ...about };
    if (job.status !== 'completed') return { status: 'error', error: VidgateJobError.ofFinishedJob(job).message, ...about };
    // The job's warnings were reported by doStart.
    return { status: 'completed', videos: await this.#download(job, reads), warnings: [], ...about };
  }

  async #start(options: JobCallOptions): Promise<{ request: JobRequest; started: JobAnswer }> {
    const request = await buildJobRequest(this.modelId, options);
    const started = await createJob(this.#config, request.body, { headers: createHeaders(options), abortSignal: options.abortSignal });
    return { request, started };
  }

  async #download(job: GatewayJob, call: CallContext): Promise<VideoModelV4VideoData[]> {
    const videos: VideoModelV4VideoData[] = [];
    for (const [index, video] of job.videos.entries()) {
      const data = await withTransientRetries(() => downloadVideo(this.#config, job.id, index, call), call.abortSignal);
      videos.push({ type: 'binary', data, mediaType: video.content_type ?? 'video/mp4' });
    }
    return videos;
  }
}

function jobIdOf(operation: JSONValue): string {
  const jobId = typeof operation === 'object' && operation !== null && !Array.isArray(operation) ? (operation as { jobId?: unknown }).jobId : undefined;
  if (typeof jobId !== 'string') throw new InvalidArgumentError({ argument: 'operation', message: 'Expected the operation doStart returned: { jobId: string }.' });
  return jobId;
}
