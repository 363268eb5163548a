/** Building the public job object from what the id carries and what the provider reported. */
import type { JobStatus, JobWarning, ProviderJobState } from '../../providers/types.ts';
import type { Job } from '../schemas/job.ts';
import type { JobClaims } from './job-token.ts';

export interface JobView {
  status: JobStatus;
  state?: ProviderJobState;
  /** When the gateway first saw the job terminal, if the provider gave no time. */
  observedAt: number;
  /** Warnings about this answer only (not stored in the id). */
  extraWarnings?: JobWarning[];
}

export function renderJob(id: string, claims: JobClaims, view: JobView): Job {
  const { status, state } = view;
  const terminal = status === 'completed' || status === 'failed' || status === 'cancelled';
  return {
    id,
    object: 'job',
    status,
    progress: progressFor(status, state),
    model: claims.model,
    provider: claims.provider,
    provider_model: claims.provider_model,
    created_at: new Date(claims.created_at).toISOString(),
    completed_at: terminal ? normalizeTime(state?.completed_at) ?? new Date(view.observedAt).toISOString() : null,
    input: claims.input,
    warnings: [...claims.warnings, ...(view.extraWarnings ?? [])],
    videos: status === 'completed' ? (state?.videos ?? []) : [],
    error: status === 'failed' ? failureOf(state) : null,
    metadata: claims.metadata,
  };
}

function progressFor(status: JobStatus, state: ProviderJobState | undefined): number | null {
  if (status === 'completed') return 100;
  if (status === 'queued') return 0;
  if (status === 'in_progress' && state?.progress !== undefined) return Math.min(100, Math.max(0, state.progress));
  return null;
}

function failureOf(state: ProviderJobState | undefined): Job['error'] {
  const reason = state?.error;
  return {
    code: 'generation_failed',
    message: reason?.message ? `The provider failed the job: ${reason.message}` : 'The provider failed the job without a reason.',
    ...(state ? { provider_status: state.raw_status } : {}),
    ...(reason?.code ? { provider_code: reason.code } : {}),
    ...(reason?.message ? { provider_message: reason.message } : {}),
  };
}

function normalizeTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
