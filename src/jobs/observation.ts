/**
 * What a provider's answer means for a stored job: the status through the provider's table (an
 * unknown one is reported, never guessed), the result URLs held to the URL rules, the failure in the
 * job's words, and when to look again. Pure: the caller writes the result.
 */
import type { JobStatus, ProviderDefinition, ProviderJobState } from '../../providers/types.ts';
import type { LifecycleSettings } from '../config.ts';
import { GatewayError, upstreamError } from '../errors.ts';
import { nextPollInterval } from './schedule.ts';
import type { JobRecord, StoredError } from './store/job-store.ts';
import { safeVideos } from './video-urls.ts';
import { observedUsage, usageOf } from '../pricing/usage.ts';

export interface ObservationContext {
  provider: ProviderDefinition;
  baseUrl: string;
  pollIntervalMs: number;
  allowedPrivateHosts: readonly string[];
  lifecycle: LifecycleSettings;
  now: number;
  /** The operator's USD value of the provider's unit, if set (for figures reported in units). */
  usdPerUnit?: number;
}

const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

/** The provider's status in gateway terms; an undocumented one is a 502 `provider_unknown_status`. */
export function normalizedStatus(provider: ProviderDefinition, rawStatus: string): JobStatus {
  const status = provider.statuses.get(rawStatus);
  if (status) return status;
  throw upstreamError('unknown_status', { provider, detail: `Status: ${JSON.stringify(rawStatus)}. Poll again later.` });
}

/** The record after the provider reported `state` (not yet written). */
export function observe(record: JobRecord, state: ProviderJobState, context: ObservationContext): JobRecord {
  const status = normalizedStatus(context.provider, state.raw_status);
  const outcome = status === 'completed' ? completedOutcome(state, context) : { status, videos: [], error: status === 'failed' ? failureOf(state) : null };
  const progress = outcome.status === 'in_progress' ? (state.progress ?? null) : null;
  const changed = outcome.status !== record.status || progress !== record.progress;
  const terminal = isTerminal(outcome.status);
  const interval = terminal ? null : nextPollInterval(record.pollIntervalMs, changed, context.pollIntervalMs, context.lifecycle);
  const usage = observedUsage(usageOf(record), state.usage, outcome.status, context.provider, context.usdPerUnit);
  return {
    ...record,
    ...outcome,
    extra: usage === null ? record.extra : { ...record.extra, usage: usage as never },
    rawStatus: state.raw_status,
    progress,
    completedAt: terminal ? (record.completedAt ?? timeOf(state.completed_at) ?? context.now) : null,
    observedAt: context.now,
    updatedAt: context.now,
    pollIntervalMs: interval,
    nextPollAt: interval === null ? null : context.now + interval,
  };
}

/** A completed job keeps its safe URLs; with none left it failed, as the provider's bad answer. */
function completedOutcome(state: ProviderJobState, context: ObservationContext): Pick<JobRecord, 'status' | 'videos' | 'error'> {
  try {
    const videos = safeVideos(context.provider, context.baseUrl, context.allowedPrivateHosts, state.videos);
    return { status: 'completed', videos: videos.map((video) => ({ ...video })), error: null };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { status: 'failed', videos: [], error: { code: error.code, message: error.message, provider_status: state.raw_status } };
  }
}

function failureOf(state: ProviderJobState): StoredError {
  const reason = state.error;
  return {
    code: 'generation_failed',
    message: reason?.message ? `The provider failed the job: ${reason.message}` : 'The provider failed the job without a reason.',
    provider_status: state.raw_status,
    ...(reason?.code ? { provider_code: reason.code } : {}),
    ...(reason?.message ? { provider_message: reason.message } : {}),
  };
}

function timeOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
