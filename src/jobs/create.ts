/**
 * Creating a job, write-ahead: everything that needs no provider is checked first, then the record
 * is written (holding the lease), and only then is a provider called. Whatever happens next is
 * recorded: the accepted job with its handle; a refusal that provably started nothing is forgotten
 * (the client may simply retry); anything else leaves a failed record, because the provider may
 * have started (and billed) a job that must never be submitted again.
 */
import type { JobWarning, JsonValue, StartResult } from '../../providers/types.ts';
import { checkClientUrl, checkImage, type ClientUrlRules } from '../capabilities/client-urls.ts';
import type { GatewayConfig } from '../config.ts';
import { GatewayError, invalidRequest, unsupported } from '../errors.ts';
import type { ModelIndex } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import { noTargetTookTheJob, planFallback, skippedWarning, startOn, type FallbackPlan, type Prepared, type Skip } from './fallback.ts';
import { claimFor, keyInUse, keyReused, REPLAYED_HEADER } from './idempotency.ts';
import { newJobId } from './job-ids.ts';
import { wakeUpUrl } from './wake-up.ts';
import { keepLease, updateJob, type LifecycleDeps } from './lifecycle.ts';
import { isTerminal } from './observation.ts';
import { nextPollInterval } from './schedule.ts';
import type { IdempotencyClaim, JobRecord, StoredInput, WebhookEvent } from './store/job-store.ts';
import { DEFAULT_WEBHOOK_EVENTS, withWebhook } from './webhooks/events.ts';
import { estimatedUsage, observedUsage } from '../pricing/usage.ts';
import { hasBudget } from '../keys/accounts.ts';
import { admitJob, releaseJob } from '../keys/bookings.ts';
import { limitReasonOf } from '../keys/limit-errors.ts';

export interface CreateCall {
  request: CreateJobRequest;
  /** The body as sent (its JSON value identifies the request for idempotency). */
  body: unknown;
  owner: string;
  idempotencyKey: string | undefined;
  requestId: string;
  /** The origin the request came in on: signed video links in webhook payloads point there unless `PUBLIC_URL` is set. */
  origin?: string;
  /** What another API shape keeps with the job (`extra.video` for `/v1/videos`). */
  extra?: Record<string, JsonValue>;
  /** Notes that shaping the request produced, kept first among the job's warnings. */
  warnings?: readonly JobWarning[];
}

export interface Created {
  record: JobRecord;
  /** An earlier create with the same key and body made this job. */
  replayed: boolean;
}

/** Read-modify-write of the job being created (it cannot vanish mid-create: only its owner can delete it, after this answers). */
async function update(deps: LifecycleDeps, id: string, change: (current: JobRecord) => JobRecord, known?: JobRecord): Promise<JobRecord> {
  const written = await updateJob(deps, id, change, known);
  if (!written) throw new Error(`job ${id} vanished during its create`);
  return written;
}

const IMAGE_FIELDS = ['start_image', 'end_image'] as const;
type Echoes = Partial<Record<(typeof IMAGE_FIELDS)[number], string>>;
/** How the record presents the request whatever target serves it: image echoes, and notes from the request's shaping. */
interface Presentation {
  echoes: Echoes;
  notes: readonly JobWarning[];
}

/** Everything a create decides before it writes anything: shared with the quote, so a quote is what the create would do. */
export async function planCreate(config: GatewayConfig, models: ModelIndex, sent: CreateJobRequest, requirePrice = false) {
  const route = models.resolve(sent.model);
  const { request, echoes } = await checkRequestImages(sent, config);
  const webhook = checkWebhook(request, config);
  const plan = planFallback(route, request, config, requirePrice);
  if (plan.candidates.length === 0) throw noTargetTookTheJob(request.model, plan.ruledOut);
  return { request, echoes, webhook, plan };
}

export async function createJob(deps: LifecycleDeps, models: ModelIndex, call: CreateCall): Promise<Created> {
  const account = await deps.accounts.of(call.owner);
  const { echoes, webhook, plan } = await countedRefusal(deps, planCreate(deps.config, models, call.request, hasBudget(account)));
  const claim = call.idempotencyKey === undefined ? undefined : await claimFor(call.idempotencyKey, call.body, deps.now());
  const shown: Presentation = { echoes, notes: call.warnings ?? [] };
  const record = initialRecord(deps, call, plan, shown, account.id);
  const outcome = await deps.store.create(webhook ? { ...record, extra: withWebhook(record.extra, webhook.url, webhook.events) } : record, claim);
  if (!outcome.created) return replay(deps, outcome, claim!);
  // Booked after the record exists (a replay books nothing) and before any provider call; a refused booking leaves nothing behind.
  await admitJob(deps, account, outcome.record, plan.candidates).catch(async (error: unknown) => {
    await forget(deps, outcome.record, claim);
    throw error;
  });
  return { record: await submit(deps, outcome.record, plan, shown, call, claim), replayed: false };
}

/** A create refused for its cost is a limit rejection too (`vidgate_limit_rejections_total`). */
async function countedRefusal<T>(deps: LifecycleDeps, planning: Promise<T>): Promise<T> {
  try {
    return await planning;
  } catch (error) {
    const reason = error instanceof GatewayError ? limitReasonOf(error) : undefined;
    if (reason) deps.metrics.limitRejected(reason);
    throw error;
  }
}

/** The request with its images checked (URLs normalized), and how the job echoes them. */
async function checkRequestImages(request: CreateJobRequest, rules: ClientUrlRules) {
  const echoes: Echoes = {};
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

/** The job's webhook, checked: a secret to sign with, a safe URL, known events. */
function checkWebhook(request: CreateJobRequest, config: GatewayConfig): { url: string; events: readonly WebhookEvent[] } | undefined {
  if (request.webhook_url === undefined) {
    if (request.webhook_events !== undefined) throw invalidRequest('`webhook_events` needs a `webhook_url`.', 'webhook_events');
    return undefined;
  }
  if (!config.webhooks.secret) {
    throw unsupported('webhooks_not_configured', 'This gateway sends no webhooks: its operator has not set WEBHOOK_SECRET.', 'webhook_url');
  }
  return { url: checkClientUrl('webhook_url', request.webhook_url, config), events: request.webhook_events ?? DEFAULT_WEBHOOK_EVENTS };
}

function initialRecord(deps: LifecycleDeps, call: CreateCall, plan: FallbackPlan, shown: Presentation, account: string): JobRecord {
  const now = deps.now();
  const until = now + deps.config.lifecycle.leaseMs;
  const first = plan.candidates[0]!;
  return {
    id: newJobId(now),
    owner: call.owner,
    model: call.request.model,
    ...targetFields(first, plan.ruledOut, shown),
    operation: null,
    status: 'queued',
    rawStatus: null,
    progress: 0,
    metadata: call.request.metadata ?? {},
    videos: [],
    error: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    observedAt: null,
    // Should this instance die mid-create, the driver finds the record when the lease has run out.
    nextPollAt: until,
    pollIntervalMs: null,
    leaseHolder: deps.instanceId,
    leaseUntil: until,
    version: 1,
    extra: { ...call.extra, ...(call.origin ? { origin: call.origin } : {}), ...usageFields(first), account },
  };
}

/** The job's `usage` while `prepared` is the target: its estimate. */
function usageFields(prepared: Prepared): { usage?: JsonValue } {
  const usage = estimatedUsage(prepared.estimate);
  return usage ? { usage: usage as unknown as JsonValue } : {};
}

/** What the record says about the target being tried. */
function targetFields(prepared: Prepared, skips: Skip[], shown: Presentation): Pick<JobRecord, 'provider' | 'providerModel' | 'input' | 'warnings'> {
  const { target, applied, options } = prepared;
  const input: StoredInput = { ...applied.input, ...shown.echoes, ...(Object.keys(options).length > 0 ? { provider_options: { [target.provider.name]: options } } : {}) };
  // A target after the one serving the job was never in its way: the job says nothing about it.
  const passedOver = skips.filter((skip) => skip.position < prepared.position);
  return { provider: target.provider.name, providerModel: target.model.id, input, warnings: [...shown.notes, ...passedOver.map((skip) => skippedWarning(skip, target)), ...applied.warnings] };
}

/** Tries the candidates in order; each is named in the record before it is called. */
async function submit(deps: LifecycleDeps, written: JobRecord, plan: FallbackPlan, shown: Presentation, call: CreateCall, claim: IdempotencyClaim | undefined): Promise<JobRecord> {
  const skips = [...plan.ruledOut];
  // The record as last written here: the next update starts from it instead of reading it back.
  let latest = written;
  for (const [index, prepared] of plan.candidates.entries()) {
    if (index > 0) latest = await update(deps, written.id, (current) => ({ ...current, ...targetFields(prepared, skips, shown), extra: { ...withoutUsage(current.extra), ...usageFields(prepared) } }), latest);
    const heartbeat = keepLease(deps, written.id);
    let started: StartResult;
    try {
      const callbackUrl = await wakeUpUrl(deps.config, prepared.target.provider, written.id);
      started = await startOn(prepared, { config: deps.config, transport: deps.transport, requestId: call.requestId, ...(callbackUrl ? { callbackUrl } : {}) });
    } catch (error) {
      await heartbeat.stop();
      if (error instanceof GatewayError && error.jobNotStarted) {
        skips.push({ target: prepared.target, position: prepared.position, error, called: true });
        continue;
      }
      await recordUnknownOutcome(deps, written.id, error);
      throw error;
    }
    await heartbeat.stop();
    return recordAccepted(deps, latest, prepared, started, skips, shown);
  }
  await forget(deps, written, claim);
  await releaseJob(deps, written).catch((error: unknown) => deps.log('booking_release_failed', { job_id: written.id, message: String(error) }));
  throw noTargetTookTheJob(call.request.model, skips);
}

/** The job the provider accepted: its handle, its first state, and when the driver looks next. */
function recordAccepted(deps: LifecycleDeps, latest: JobRecord, prepared: Prepared, started: StartResult, skips: Skip[], shown: Presentation): Promise<JobRecord> {
  const now = deps.now();
  const { provider } = prepared.target;
  const raw = started.state?.raw_status;
  const known = raw === undefined ? undefined : provider.statuses.get(raw);
  // The job exists upstream now, so nothing here may throw: an unknown first status is shown as queued.
  const status = known && !isTerminal(known) ? known : 'queued';
  const unknown: JobWarning[] = raw !== undefined && !known ? [{ code: 'unknown_provider_status', message: `${provider.title} answered the create with status "${raw}"; the gateway keeps polling the job for its state.` }] : [];
  const interval = nextPollInterval(null, true, prepared.settings.pollIntervalMs, deps.config.lifecycle);
  const fields = targetFields(prepared, skips, shown);
  const usage = observedUsage(estimatedUsage(prepared.estimate), started.state?.usage, status, provider, deps.config.prices[provider.name]?.usdPerUnit);
  const accepted = (current: JobRecord): JobRecord => ({
    ...current,
    ...fields,
    // Without a figure the record already has none (usageFields set it for this target).
    ...(usage ? { extra: { ...current.extra, usage: usage as unknown as JsonValue } } : {}),
    warnings: [...fields.warnings, ...(started.warnings ?? []), ...unknown],
    operation: started.operation,
    status,
    rawStatus: raw ?? null,
    progress: status === 'in_progress' ? (started.state?.progress ?? null) : status === 'queued' ? 0 : null,
    observedAt: now,
    updatedAt: now,
    pollIntervalMs: interval,
    nextPollAt: now + interval,
    leaseHolder: null,
    leaseUntil: 0,
  });
  return update(deps, latest.id, accepted, latest);
}

function withoutUsage(extra: JobRecord['extra']): JobRecord['extra'] {
  const { usage: _dropped, ...rest } = extra;
  return rest;
}

/**
 * A create that may have reached the provider and failed in a way that does not prove nothing
 * started (a timeout, a 5xx, a malformed answer): the job is over, and the first answer is kept
 * so that a retry with the same idempotency key gets it again instead of a second job.
 */
async function recordUnknownOutcome(deps: LifecycleDeps, id: string, error: unknown): Promise<void> {
  const now = deps.now();
  const answer = error instanceof GatewayError ? error : undefined;
  const detail = answer ? `The create answered: ${answer.message}` : 'The create failed unexpectedly.';
  await update(deps, id, (current) => ({
    ...current,
    status: 'failed',
    error: { code: 'submission_outcome_unknown', message: `Whether the provider started (and billed) this job is unknown; it was not resubmitted. ${detail}` },
    completedAt: now,
    updatedAt: now,
    nextPollAt: null,
    leaseHolder: null,
    leaseUntil: 0,
    extra: { ...current.extra, create_failure: failureAnswer(answer) },
  })).catch((cause: unknown) => deps.log('job_record_failed', { job_id: id, message: String(cause) }));
}

function failureAnswer(error: GatewayError | undefined) {
  if (!error) return { status: 500, code: 'internal_error', message: 'The gateway failed unexpectedly. The request id identifies it in the logs.' };
  return {
    status: error.status,
    code: error.code,
    message: error.message,
    ...(error.param ? { param: error.param } : {}),
    ...(error.provider ? { provider: error.provider } : {}),
    ...(error.retryAfterMs === undefined ? {} : { retry_after_ms: error.retryAfterMs }),
  };
}

/** Nothing started anywhere: the record and the key go, so the client can try again. */
async function forget(deps: LifecycleDeps, record: JobRecord, claim: IdempotencyClaim | undefined): Promise<void> {
  try {
    await deps.store.delete(record.id);
    if (claim) await deps.store.releaseClaim(record.owner, claim.key);
  } catch (error) {
    deps.log('job_forget_failed', { job_id: record.id, message: String(error) });
  }
}


/** A second create with a key the store already holds: the same job, the first answer, or a wait. */
async function replay(deps: LifecycleDeps, existing: { jobId: string; requestHash: string }, claim: IdempotencyClaim): Promise<Created> {
  if (existing.requestHash !== claim.requestHash) throw keyReused();
  return replayCreate(deps, existing.jobId);
}

/**
 * The first answer of an earlier create, for a request known to repeat it (the same idempotency
 * key and body, or a client's automatic retry): the job, the failure it answered, or a wait.
 */
export async function replayCreate(deps: LifecycleDeps, jobId: string): Promise<Created> {
  const record = await settledRecord(deps, jobId);
  if (!record || (record.operation === null && !isTerminal(record.status))) throw keyInUse();
  const failure = record.extra.create_failure as ReturnType<typeof failureAnswer> | undefined;
  if (failure) throw replayedFailure(failure);
  return { record, replayed: true };
}

/** The record once its create has finished, waiting up to a few seconds for one in flight. */
async function settledRecord(deps: LifecycleDeps, id: string): Promise<JobRecord | undefined> {
  const deadline = deps.now() + Math.min(10_000, deps.config.lifecycle.leaseMs);
  for (;;) {
    const record = await deps.store.get(id);
    if (!record || record.operation !== null || isTerminal(record.status) || deps.now() >= deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function replayedFailure(failure: ReturnType<typeof failureAnswer>): GatewayError {
  return new GatewayError({
    status: failure.status,
    code: failure.code,
    message: failure.message,
    param: 'param' in failure ? failure.param : undefined,
    provider: 'provider' in failure ? failure.provider : undefined,
    retryAfterMs: 'retry_after_ms' in failure ? failure.retry_after_ms : undefined,
    headers: { [REPLAYED_HEADER]: 'true' },
  });
}
