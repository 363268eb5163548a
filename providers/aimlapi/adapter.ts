/**
 * AI/ML API adapter: `POST /v2/video/generations` to submit, `GET /v2/video/generations
 * ?generation_id=` to poll (A-DOCS `universal-video-fetch.json`). Core sends, retries and maps
 * HTTP errors; this file only builds bodies and reads answers.
 */
import * as z from 'zod';
import type {
  JsonValue,
  ModelDescriptor,
  ProviderAdapter,
  ProviderContext,
  ProviderJobState,
  StartRequest,
  StartResult,
  UpstreamRequest,
} from '../types.ts';
import { bodyMaps, type MappedField } from './catalog.ts';
import { generationFailure } from './errors.ts';
import { appliedFrames } from './frames.ts';

const GENERATIONS_PATH = '/v2/video/generations';

/** What core stores in the job id: AI/ML API's opaque generation id (may contain `:` and `/`). */
export const operationSchema = z.object({ generation_id: z.string().min(1) });

/** `X-Client-Request-Id` is silently dropped upstream when it breaks this rule, so only send valid ones. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const generationFields = z.object({
  id: z.string().min(1).optional(),
  generation_id: z.string().min(1).optional(),
  // Free text, so that core (not this parser) reports statuses missing from the table.
  status: z.string().min(1),
  video: z.object({ url: z.string().min(1) }).nullish(),
  error: z.unknown().optional(),
});

/** A poll answer. Its `id` is not needed: the caller already knows it. */
const pollSchema = generationFields;

/**
 * A submit answer. The id is `id` on the unified endpoint and `generation_id` on the legacy ones
 * (A-DOCS `video-models/README.md`), which also answered without a status.
 */
const submitSchema = generationFields.partial({ status: true }).transform((answer, context) => {
  const generationId = answer.id ?? answer.generation_id;
  if (generationId !== undefined) return { ...answer, generationId };
  context.addIssue({ code: 'custom', message: 'the answer carries neither id nor generation_id' });
  return z.NEVER;
});

type PollAnswer = z.infer<typeof pollSchema>;

/** The adapter core calls. */
export const adapter: ProviderAdapter = { start, status };

async function start(request: StartRequest, ctx: ProviderContext): Promise<StartResult> {
  const response = await ctx.send(createRequest(request, ctx.requestId));
  const { generationId, status, video, error } = ctx.parse(submitSchema, response.body, 'create response');
  const operation = { generation_id: generationId };
  return status === undefined ? { operation } : { operation, state: jobState({ status, video, error }) };
}

async function status(operation: JsonValue, ctx: ProviderContext): Promise<ProviderJobState> {
  const { generation_id } = operationSchema.parse(operation);
  const response = await ctx.send({ kind: 'poll', method: 'GET', path: GENERATIONS_PATH, query: { generation_id } });
  return jobState(ctx.parse(pollSchema, response.body, 'poll response'));
}

/** The submit call for a request. */
export function createRequest(request: StartRequest, requestId: string): UpstreamRequest {
  const headers = CLIENT_REQUEST_ID.test(requestId) ? { 'x-client-request-id': requestId } : undefined;
  return { kind: 'create', method: 'POST', path: GENERATIONS_PATH, body: createBody(request), ...(headers && { headers }) };
}

/** The submit body: model, prompt, the mapped fields the model accepts, then the validated extras. */
export function createBody({ model, input, options }: StartRequest): { [key: string]: JsonValue } {
  const map = bodyMaps[model.id];
  if (!map) throw new Error(`aimlapi has no model "${model.id}"`);
  const body: { [key: string]: JsonValue } = { model: model.id, prompt: input.prompt };
  for (const [field, value] of Object.entries(input) as [keyof typeof input, unknown][]) {
    if (field === 'prompt' || value === undefined) continue;
    const target = map[field];
    // Core rejects unsupported fields before calling; dropping one here would silently change the job.
    if (target === undefined) throw new Error(`aimlapi model "${model.id}" takes no "${field}"`);
    body[target] = bodyValue(field, value as JsonValue, model);
  }
  return { ...body, ...(options as { [key: string]: JsonValue }) };
}

/** Frame-counted models take `duration` as `num_frames`; everything else passes through as is. */
function bodyValue(field: MappedField, value: JsonValue, model: ModelDescriptor): JsonValue {
  const rule = model.capabilities.duration;
  if (field === 'duration' && rule?.kind === 'frames') return appliedFrames(value as number, rule);
  return value;
}

/** A submit or poll answer in the contract's words. No progress: the API documents none. */
function jobState(answer: PollAnswer): ProviderJobState {
  const state: ProviderJobState = { raw_status: answer.status };
  if (answer.video) state.videos = [{ url: answer.video.url, content_type: 'video/mp4' }];
  const failure = generationFailure(answer.error);
  if (failure) state.error = failure;
  return state;
}
