/**
 * The gateway routes the provider calls, through provider-utils so that an HTTP failure becomes an
 * `APICallError` carrying the gateway's error envelope (`data.error.code`, its message): create a
 * job, read one (optionally held open with `Prefer: wait`), download one of its videos.
 */
import {
  combineHeaders,
  createBinaryResponseHandler,
  createJsonErrorResponseHandler,
  createJsonResponseHandler,
  getFromApi,
  postJsonToApi,
  type FetchFunction,
} from '@ai-sdk/provider-utils';
import * as z from 'zod';

export interface GatewayConfig {
  /** The AI SDK provider name (`vidgate.video`). */
  provider: string;
  /** The gateway's root URL, without a trailing slash; read when a call is made (it may come from the environment). */
  baseURL: () => string;
  /** Authorization and the caller's fixed headers; read when a call is made. */
  headers: () => Record<string, string | undefined>;
  fetch?: FetchFunction;
}

type HeaderMap = Record<string, string | undefined>;

export interface CallContext {
  headers?: HeaderMap;
  abortSignal?: AbortSignal;
}

/** What the provider reads of a job; other fields are kept as the gateway sent them. */
const jobSchema = z.looseObject({
  id: z.string(),
  // A string, not an enum: a status added to the gateway later is "not finished yet" here.
  status: z.string(),
  model: z.string(),
  provider: z.string(),
  provider_model: z.string(),
  warnings: z.array(z.looseObject({ code: z.string(), field: z.string().optional(), message: z.string() })),
  videos: z.array(
    z.looseObject({
      url: z.string(),
      content_type: z.string().optional(),
      bytes: z.number().optional(),
      sha256: z.string().optional(),
      storage: z.string().optional(),
    }),
  ),
  error: z.looseObject({ code: z.string(), message: z.string() }).nullable(),
});
export type GatewayJob = z.infer<typeof jobSchema>;

const errorEnvelopeSchema = z.object({
  error: z.looseObject({ code: z.string(), message: z.string(), param: z.string().optional(), request_id: z.string().optional() }),
});
export type GatewayErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** Every gateway error is `{"error": {"code", "message", …}}`: the message becomes the error's, the envelope its `data`. */
const failedResponseHandler = createJsonErrorResponseHandler({
  errorSchema: errorEnvelopeSchema,
  errorToMessage: (envelope) => envelope.error.message,
});

const TERMINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(job: GatewayJob): boolean {
  return TERMINAL_STATUSES.has(job.status);
}

export interface JobAnswer {
  job: GatewayJob;
  responseHeaders: Record<string, string> | undefined;
}

export async function createJob(config: GatewayConfig, body: Record<string, unknown>, call: CallContext): Promise<JobAnswer> {
  const { value, responseHeaders } = await postJsonToApi({
    url: `${config.baseURL()}/v1/jobs`,
    headers: combineHeaders(config.headers(), call.headers),
    body,
    failedResponseHandler,
    successfulResponseHandler: createJsonResponseHandler(jobSchema),
    abortSignal: call.abortSignal,
    fetch: config.fetch,
  });
  return { job: value, responseHeaders };
}

/** `GET /v1/jobs/{id}`; with `waitSeconds`, the gateway holds the answer until the job is over or that time has passed. */
export async function readJob(config: GatewayConfig, jobId: string, call: CallContext & { waitSeconds?: number }): Promise<JobAnswer> {
  const { value, responseHeaders } = await getFromApi({
    url: `${config.baseURL()}/v1/jobs/${encodeURIComponent(jobId)}`,
    // Built from the configured base URL, never from an answer.
    validateUrl: false,
    headers: combineHeaders(config.headers(), call.headers, call.waitSeconds === undefined ? {} : { prefer: `wait=${call.waitSeconds}` }),
    failedResponseHandler,
    successfulResponseHandler: createJsonResponseHandler(jobSchema),
    abortSignal: call.abortSignal,
    fetch: config.fetch,
  });
  return { job: value, responseHeaders };
}

/**
 * The bytes of one video from the content route, with the same key. Not the job's signed link: the
 * AI SDK's downloader refuses loopback and private addresses, where a self-hosted gateway often is.
 */
export async function downloadVideo(config: GatewayConfig, jobId: string, index: number, call: CallContext): Promise<Uint8Array> {
  const { value } = await getFromApi({
    url: `${config.baseURL()}/v1/jobs/${encodeURIComponent(jobId)}/content?index=${index}`,
    validateUrl: false,
    headers: combineHeaders(config.headers(), call.headers),
    failedResponseHandler,
    successfulResponseHandler: createBinaryResponseHandler(),
    abortSignal: call.abortSignal,
    fetch: config.fetch,
  });
  return value;
}
