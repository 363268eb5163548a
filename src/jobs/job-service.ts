/**
 * Creating and reading jobs: the gateway's one workflow, independent of HTTP framework and
 * runtime. Validation happens before any upstream call; a job that is terminal is answered from
 * the cache; the provider's raw status is normalized through its table and never guessed.
 */
import type { JobStatus, JobWarning, ProviderContext, ProviderDefinition, ProviderJobState } from '../../providers/types.ts';
import { applyCapabilities } from '../capabilities/apply.ts';
import { validateProviderOptions } from '../capabilities/provider-options.ts';
import type { GatewayConfig, ProviderSettings } from '../config.ts';
import { GatewayError, jobNotFound, upstreamError } from '../errors.ts';
import type { ModelIndex } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import type { Job } from '../schemas/job.ts';
import type { JobCache } from './job-cache.ts';
import type { JobClaims, JobTokenCodec } from './job-token.ts';
import { renderJob, summarizeInlineImages } from './render.ts';
import { checkVideoUrls } from './video-urls.ts';

export interface JobServiceDeps {
  config: GatewayConfig;
  models: ModelIndex;
  codec: JobTokenCodec;
  cache: JobCache;
  now: () => number;
  contextFor(provider: ProviderDefinition, settings: ProviderSettings, requestId: string): ProviderContext;
}

export function createJobService(deps: JobServiceDeps) {
  return {
    create: (request: CreateJobRequest, requestId: string) => createJob(deps, request, requestId),
    get: (id: string, requestId: string) => getJob(deps, id, requestId),
  };
}
export type JobService = ReturnType<typeof createJobService>;

async function createJob(deps: JobServiceDeps, request: CreateJobRequest, requestId: string): Promise<Job> {
  const target = deps.models.resolve(request.model);
  const { provider, model, publicId } = target;
  const options = validateProviderOptions(request.provider_options?.[provider.name], model, provider.name, publicId);
  const applied = applyCapabilities(request, model, publicId);
  const settings = configuredSettings(deps.config, provider);
  const started = await provider.adapter.start({ model, input: applied.input, options }, deps.contextFor(provider, settings, requestId));
  const claims: JobClaims = {
    v: 1,
    provider: provider.name,
    provider_model: model.id,
    operation: started.operation,
    model: request.model,
    created_at: deps.now(),
    input: { ...(await summarizeInlineImages(applied.input)), ...(Object.keys(options).length ? { provider_options: { [provider.name]: options } } : {}) },
    warnings: [...applied.warnings, ...(started.warnings ?? [])],
    metadata: request.metadata ?? {},
  };
  const id = await deps.codec.seal(claims);
  return renderJob(id, claims, initialView(provider, started.state, deps.now()));
}

/**
 * The job exists upstream now, so nothing here may throw: a status the table does not know is
 * shown as queued with a warning, and the next poll reports it properly.
 */
function initialView(provider: ProviderDefinition, state: ProviderJobState | undefined, now: number) {
  if (!state) return { status: 'queued' as const, observedAt: now };
  const status = provider.statusTable[state.raw_status];
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
  const operation = provider?.operationSchema.safeParse(claims!.operation);
  if (!claims || !provider || !operation?.success) throw jobNotFound();
  const cached = await deps.cache.get(id);
  if (cached) return cached;
  const settings = configuredSettings(deps.config, provider);
  const state = await provider.adapter.status(operation.data, deps.contextFor(provider, settings, requestId));
  const status = normalizeStatus(provider, state);
  if (status === 'completed') checkVideoUrls(provider, settings, state.videos);
  const job = renderJob(id, claims, { status, state, observedAt: deps.now() });
  if (status === 'completed' || status === 'failed' || status === 'cancelled') await deps.cache.set(id, job);
  return job;
}

function normalizeStatus(provider: ProviderDefinition, state: ProviderJobState): JobStatus {
  const status = provider.statusTable[state.raw_status];
  if (status) return status;
  throw upstreamError('unknown_status', { provider, detail: `Status: ${JSON.stringify(state.raw_status)}. Poll again later.` });
}

function configuredSettings(config: GatewayConfig, provider: ProviderDefinition): ProviderSettings & { apiKey: string } {
  const settings = config.providers[provider.name];
  if (settings?.apiKey) return settings as ProviderSettings & { apiKey: string };
  throw new GatewayError({
    status: 503,
    code: 'provider_not_configured',
    message: `${provider.title} is not configured on this gateway (no ${provider.env.apiKey}).`,
    provider: provider.name,
  });
}
