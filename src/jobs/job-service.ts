/**
 * Creating and reading jobs: the gateway's one workflow, independent of HTTP framework and
 * runtime. Validation happens before any upstream call; a job that is terminal is answered from
 * the cache; the provider's operation is decoded and its raw status normalized here, never guessed.
 */
import type { JobStatus, JobWarning, ProviderDefinition, ProviderJobState } from '../../providers/types.ts';
import type { GatewayConfig } from '../config.ts';
import { jobNotFound, upstreamError } from '../errors.ts';
import type { ModelIndex } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import type { Job } from '../schemas/job.ts';
import { contextFor, type Transport } from '../upstream/provider-context.ts';
import { startWithFallback } from './fallback.ts';
import type { JobCache } from './job-cache.ts';
import type { JobClaims, JobTokenCodec } from './job-token.ts';
import { providerSettingsFor } from './provider-settings.ts';
import { renderJob } from './render.ts';
import { checkImage, type ClientUrlRules } from '../capabilities/client-urls.ts';
import { safeVideos } from './video-urls.ts';

export interface JobServiceDeps {
  config: GatewayConfig;
  models: ModelIndex;
  codec: JobTokenCodec;
  cache: JobCache;
  now: () => number;
  transport: Transport;
}

export function createJobService(deps: JobServiceDeps) {
  return {
    create: (request: CreateJobRequest, requestId: string) => createJob(deps, request, requestId),
    get: (id: string, requestId: string) => getJob(deps, id, requestId),
  };
}

async function createJob(deps: JobServiceDeps, sent: CreateJobRequest, requestId: string): Promise<Job> {
  const route = deps.models.resolve(sent.model);
  const { request, echoes } = await checkRequestImages(sent, deps.config);
  const { target, applied, options, started, skipped } = await startWithFallback(route, request, { config: deps.config, transport: deps.transport, requestId });
  const providerOptions = Object.keys(options).length > 0 ? { provider_options: { [target.provider.name]: options } } : {};
  const claims: JobClaims = {
    v: 1,
    provider: target.provider.name,
    provider_model: target.model.id,
    operation: started.operation,
    model: request.model,
    created_at: deps.now(),
    input: { ...applied.input, ...echoes, ...providerOptions },
    warnings: [...skipped, ...applied.warnings, ...(started.warnings ?? [])],
    metadata: request.metadata ?? {},
  };
  const id = await deps.codec.seal(claims);
  return renderJob(id, claims, initialView(target.provider, started.state, deps.now()));
}

/** The request with its images checked (URLs normalized), and how the job echoes them. */
async function checkRequestImages(request: CreateJobRequest, rules: ClientUrlRules) {
  const echoes: Partial<Record<ImageField, string>> = {};
  const checked = { ...request };
  for (const field of IMAGE_FIELDS) {
    const value = request[field];
    if (value === undefined) continue;
    const image = await checkImage(field, value, rules);
    checked[field] = image.value;
    echoes[field] = image.echo;
  }
  return { request: checked, echoes };
}

const IMAGE_FIELDS = ['start_image', 'end_image'] as const;
type ImageField = (typeof IMAGE_FIELDS)[number];

/**
 * The job exists upstream now, so nothing here may throw: a status the table does not know is
 * shown as queued with a warning, and the next poll reports it properly.
 */
function initialView(provider: ProviderDefinition, state: ProviderJobState | undefined, now: number) {
  if (!state) return { status: 'queued' as const, observedAt: now };
  const status = provider.statuses.get(state.raw_status);
  if (status && status !== 'completed') return { status, state, observedAt: now };
  const warning: JobWarning = {
    code: 'unknown_provider_status',
    message: `${provider.title} answered the create with status "${state.raw_status}"; poll the job for its state.`,
  };
  return { status: 'queued' as const, observedAt: now, extraWarnings: status ? [] : [warning] };
}

async function getJob(deps: JobServiceDeps, id: string, requestId: string): Promise<Job> {
  const claims = await deps.codec.open(id);
  const provider = claims && deps.models.providers.get(claims.provider);
  const operation = provider?.operation.safeParse(claims!.operation);
  if (!claims || !provider || !operation?.success) throw jobNotFound();
  const cached = await deps.cache.get(id);
  if (cached) return cached;
  const settings = providerSettingsFor(deps.config, provider, { forNewJob: false });
  const state = await provider.status(operation.data, contextFor(provider, settings, requestId, deps.transport));
  const status = normalizeStatus(provider, state);
  const videos = status === 'completed' ? safeVideos(provider, settings.baseUrl, deps.config.allowedPrivateHosts, state.videos) : [];
  const job = renderJob(id, claims, { status, state: { ...state, videos }, observedAt: deps.now() });
  if (status === 'completed' || status === 'failed' || status === 'cancelled') await deps.cache.set(id, job);
  return job;
}

function normalizeStatus(provider: ProviderDefinition, state: ProviderJobState): JobStatus {
  const status = provider.statuses.get(state.raw_status);
  if (status) return status;
  throw upstreamError('unknown_status', { provider, detail: `Status: ${JSON.stringify(state.raw_status)}. Poll again later.` });
}
