/**
 * AI/ML API adapter: `POST /v2/video/generations` to submit, `GET /v2/video/generations
 * ?generation_id=` to poll (A-DOCS `universal-video-fetch.json`). Core sends, retries and maps
 * HTTP errors; this file only builds bodies and reads answers.
 */
import * as v from '../../src/validation/index.ts';
import type { JsonValue, ProviderContext, ProviderJobState, ReportedUsage, StartRequest, StartResult, UpstreamRequest } from '../types.ts';
import type { BodyMap, MappedField } from './catalog.ts';
import { generationFailure } from './errors.ts';

const GENERATIONS_PATH = '/v2/video/generations';

/** What the gateway stores to find a generation again: AI/ML API's opaque id (may contain `:` and `/`). */
export const operationSchema = v.object({ generation_id: v.string().min(1) });
export type AimlapiOperation = v.Infer<typeof operationSchema>;

/** `X-Client-Request-Id` is silently dropped upstream when it breaks this rule, so only send valid ones. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const generationFields = v.object({
  id: v.string().min(1).optional(),
  generation_id: v.string().min(1).optional(),
  // Free text, so that core (not this parser) reports statuses missing from the table.
  status: v.string().min(1),
  video: v.object({ url: v.string().min(1) }).nullish(),
  error: v.unknown().optional(),
  // `credits_used` (+ `usd_spent`) in the current schema, `tokens_used` in older examples (PROVIDERS B.3).
  meta: v
    .looseObject({ usage: v.looseObject({ credits_used: v.number().optional(), tokens_used: v.number().optional(), usd_spent: v.number().optional() }).nullish() })
    .nullish()
    .catch(null),
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
  return v.NEVER;
});

type PollAnswer = v.Infer<typeof pollSchema>;

export async function start(request: StartRequest<BodyMap>, ctx: ProviderContext): Promise<StartResult<AimlapiOperation>> {
  const response = await ctx.send(createRequest(request, ctx.requestId));
  const { generationId, status, video, error, meta } = ctx.parse(submitSchema, response.body, 'create response');
  const operation = { generation_id: generationId };
  return status === undefined ? { operation } : { operation, state: jobState({ status, video, error, meta }, response.headers) };
}

export async function status({ generation_id }: AimlapiOperation, ctx: ProviderContext): Promise<ProviderJobState> {
  const response = await ctx.send({ kind: 'poll', method: 'GET', path: GENERATIONS_PATH, query: { generation_id } });
  return jobState(ctx.parse(pollSchema, response.body, 'poll response'), response.headers);
}

/** The submit call for a request. */
function createRequest(request: StartRequest<BodyMap>, requestId: string): UpstreamRequest {
  const headers = CLIENT_REQUEST_ID.test(requestId) ? { 'x-client-request-id': requestId } : undefined;
  return { kind: 'create', method: 'POST', path: GENERATIONS_PATH, body: createBody(request), ...(headers && { headers }) };
}

/** The submit body: model, prompt, the mapped fields the model accepts, then the validated extras. */
function createBody({ model, input, frames, options }: StartRequest<BodyMap>): { [key: string]: JsonValue } {
  const body: { [key: string]: JsonValue } = { model: model.id, prompt: input.prompt };
  for (const [field, value] of Object.entries(input) as [MappedField | 'prompt', JsonValue | undefined][]) {
    if (field === 'prompt' || value === undefined) continue;
    const target = Object.hasOwn(model.wire, field) ? model.wire[field] : undefined;
    // Core rejects unsupported fields before calling; dropping one here would silently change the job.
    if (target === undefined) throw new Error(`aimlapi model "${model.id}" takes no "${field}"`);
    body[target] = field === 'duration' && frames !== undefined ? frames : value;
  }
  return { ...body, ...(options as { [key: string]: JsonValue }) };
}

/** A submit or poll answer in the contract's words. No progress: the API documents none. */
function jobState(answer: PollAnswer, headers: Headers): ProviderJobState {
  const state: ProviderJobState = { raw_status: answer.status };
  if (answer.video) state.videos = [{ url: answer.video.url, content_type: 'video/mp4' }];
  const failure = generationFailure(answer.error);
  if (failure) state.error = failure;
  const usage = reportedUsage(answer.meta?.usage, headers);
  if (usage) state.usage = usage;
  return state;
}

/**
 * The charge AI/ML API reports: the `x-aimlapi-credits-used` and `x-aimlapi-usd-spent` headers
 * (docs `request-tracing-and-cost.md`; for async video recorded once the generation completed),
 * else `meta.usage` in the body.
 */
function reportedUsage(usage: { credits_used?: number; tokens_used?: number; usd_spent?: number } | null | undefined, headers: Headers): ReportedUsage | undefined {
  const units = headerNumber(headers, 'x-aimlapi-credits-used') ?? usage?.credits_used ?? usage?.tokens_used;
  const usd = headerNumber(headers, 'x-aimlapi-usd-spent') ?? usage?.usd_spent;
  if (units === undefined && usd === undefined) return undefined;
  return { ...(units === undefined ? {} : { units }), ...(usd === undefined ? {} : { usd }) };
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  const number = value === null || value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
