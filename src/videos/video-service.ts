/**
 * The OpenAI-shaped Videos API on top of the same jobs (DESIGN §7): a video is a job, so every
 * operation is the job service's, with the request read and the answer shown in this API's shape.
 */
import { invalidRequest } from '../errors.ts';
import { validateBody } from '../http/request-body.ts';
import type { Created } from '../jobs/create.ts';
import { requestDigest } from '../jobs/idempotency.ts';
import type { JobService } from '../jobs/job-service.ts';
import { isTerminal } from '../jobs/observation.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';
import type { ModelIndex } from '../router.ts';
import type { createJobRequestSchema } from '../schemas/create-job.ts';
import { inVideoTerms, jobRequestFor } from './job-request.ts';
import type { VideoCreate } from './read-request.ts';
import { videoExtra } from './render.ts';
import { findRetriedCreate, isSdkRetry } from './sdk-retries.ts';

export interface VideoServiceDeps {
  jobs: JobService;
  models: ModelIndex;
  createSchema: ReturnType<typeof createJobRequestSchema>;
  now: () => number;
}

export interface VideoCreateCall {
  video: VideoCreate;
  owner: string;
  idempotencyKey: string | undefined;
  /** `X-Stainless-Retry-Count`, which the `openai` SDK sends on every attempt. */
  retryCount: string | undefined;
  requestId: string;
  origin: string;
}

export function createVideoService(deps: VideoServiceDeps) {
  const { jobs } = deps;
  return {
    create: (call: VideoCreateCall) => createVideo(deps, call).catch((error: unknown) => Promise.reject(inVideoTerms(error))),
    /** Cancels a live job where its provider can (else the cancel's 409), then removes it and its stored copies. */
    async delete(id: string, owner: string, requestId: string): Promise<{ id: string; object: 'video.deleted'; deleted: true }> {
      const record = await jobs.stored(id, owner);
      if (!isTerminal(record.status)) await jobs.cancel(id, owner, requestId);
      await jobs.delete(id, owner);
      return { id, object: 'video.deleted', deleted: true };
    },
    /** The job for its content, once `variant` is one the gateway has (only the video itself). */
    async forContent(id: string, owner: string, requestId: string, query: Record<string, string[]>): Promise<JobRecord> {
      checkContentQuery(query);
      return jobs.get(id, owner, requestId);
    },
  };
}

async function createVideo(deps: VideoServiceDeps, call: VideoCreateCall): Promise<Created> {
  const digest = await requestDigest(call.video);
  if (call.idempotencyKey === undefined && isSdkRetry(call.retryCount)) {
    const original = await findRetriedCreate(deps.jobs.lifecycle.store, call.owner, digest, deps.now());
    if (original) return deps.jobs.replay(original.id);
  }
  const { body, warnings } = jobRequestFor(call.video, deps.models.resolve(call.video.model));
  return deps.jobs.create({
    request: validateBody(deps.createSchema, body),
    body: call.video,
    owner: call.owner,
    idempotencyKey: call.idempotencyKey,
    requestId: call.requestId,
    origin: call.origin,
    extra: videoExtra({ request_digest: digest, ...(call.video.size === undefined ? {} : { size: call.video.size }) }),
    warnings,
  });
}

function checkContentQuery(query: Record<string, string[]>): void {
  for (const [name, values] of Object.entries(query)) {
    if (name !== 'variant') throw invalidRequest(`Unknown query parameter \`${name}\`; use variant.`, name, 'unknown_parameter');
    if (values.length > 1) throw invalidRequest('`variant` may be given once.', 'variant');
    if (values[0] !== 'video') throw invalidRequest('`variant` must be `video`: the gateway keeps no thumbnails or spritesheets.', 'variant');
  }
}
