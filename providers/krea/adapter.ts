/**
 * The Krea adapter: one `POST /generate/video/<model>` per job, then `GET /jobs/<id>` until done.
 * Requests carry only properties the route's schema lists (every Krea route rejects unknown keys).
 */
import * as v from '../../src/validation/index.ts';
import type { ProviderContext, ProviderJobState, StartRequest, StartResult } from '../types.ts';
import { withUploadedImages } from './assets.ts';
import { buildBody } from './body.ts';
import type { KreaWire } from './catalog.ts';
import { jobFailure } from './errors.ts';

/** What the gateway stores to find a Krea job again. */
export const operationSchema = v.object({ job_id: v.string().min(1) });
export type KreaOperation = v.Infer<typeof operationSchema>;

/** Krea's job object (create response, `GET /jobs/{id}`), loosely: only what the adapter reads is checked. */
const JobSchema = v.looseObject({
  job_id: v.string().min(1),
  status: v.string().min(1),
  // Documented as required, but nothing here needs it; a job must not break over a missing timestamp.
  created_at: v.string().optional(),
  completed_at: v.string().nullish(),
  // `null` at submit time, `{}` while running, `{urls}` or `{error}` at the end.
  result: v.looseObject({ urls: v.array(v.string()).optional(), error: v.unknown().optional() }).nullish(),
  error: v.unknown().optional(),
  progress: v.unknown().optional(),
});
type KreaJob = v.Infer<typeof JobSchema>;

export async function start(request: StartRequest<KreaWire>, ctx: ProviderContext): Promise<StartResult<KreaOperation>> {
  // Krea calls X-Webhook-URL when the job ends (its payload is unsigned: the gateway only takes it as a cue to look).
  const headers = request.callbackUrl ? { 'x-webhook-url': request.callbackUrl } : undefined;
  const input = await withUploadedImages(request.input, ctx);
  const response = await ctx.send({ kind: 'create', method: 'POST', path: `/generate/video/${request.model.id}`, body: buildBody({ ...request, input }), ...(headers ? { headers } : {}) });
  const job = ctx.parse(JobSchema, response.body, 'create response');
  return { operation: { job_id: job.job_id }, state: toState(job) };
}

export async function status(operation: KreaOperation, ctx: ProviderContext): Promise<ProviderJobState> {
  const response = await ctx.send({ kind: 'poll', method: 'GET', path: `/jobs/${encodeURIComponent(operation.job_id)}` });
  return toState(ctx.parse(JobSchema, response.body, 'job'));
}

/** Krea cancels with `DELETE /jobs/{id}` (documented for queued and processing jobs). */
export async function cancel(operation: KreaOperation, ctx: ProviderContext): Promise<void> {
  await ctx.send({ kind: 'cancel', method: 'DELETE', path: `/jobs/${encodeURIComponent(operation.job_id)}` });
}

/** The job in the contract's words: everything Krea said, judged by core. */
function toState(job: KreaJob): ProviderJobState {
  const state: ProviderJobState = { raw_status: job.status };
  const progress = percent(job.progress);
  if (progress !== undefined) state.progress = progress;
  const urls = job.result?.urls ?? [];
  if (urls.length > 0) state.videos = urls.map((url) => ({ url, content_type: 'video/mp4' }));
  const error = jobFailure(job);
  if (error) state.error = error;
  if (job.completed_at) state.completed_at = job.completed_at;
  return state;
}

/**
 * Krea's `progress` is undocumented: its guide prints it as a percentage, so a fraction strictly
 * between 0 and 1 is scaled and everything else is read as 0–100.
 */
function percent(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const scaled = value > 0 && value < 1 ? value * 100 : value;
  return Math.min(100, Math.max(0, scaled));
}
