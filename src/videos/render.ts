/**
 * A job as an OpenAI video object: unix seconds for times, `seconds` and `size` as strings, and
 * the four statuses the OpenAI shape knows, a cancelled job being `failed` with `error.code`
 * `cancelled` (DESIGN §7). Read off the stored record, like the job object.
 */
import type { JsonValue } from '../../providers/types.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';
import { copyFieldsOf } from '../outputs/videos.ts';
import type { OpenAIVideo } from '../schemas/videos.ts';

const DAY_MS = 86_400_000;

/**
 * `error.code` of a cancelled job in the OpenAI-shaped video object (where it shows as `failed`).
 * Listed with the other codes by src/error-catalog.ts; defined here so that rendering a video does
 * not bring the catalog (documentation text) along.
 */
export const CANCELLED_VIDEO_ERROR_CODE = 'cancelled';

/** What a `/v1/videos` create keeps with its job (`extra.video`), to show it and to recognise a retry of it. */
export interface VideoExtra {
  /** The `size` as requested. */
  size?: string;
  /** The digest of the create's fields, for {@link findRetriedCreate}. */
  request_digest: string;
}

export function videoExtraOf(record: JobRecord): VideoExtra | undefined {
  const value = record.extra.video;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as unknown as VideoExtra) : undefined;
}

export function videoExtra(extra: VideoExtra): Record<string, JsonValue> {
  return { video: { ...extra } };
}

export function renderVideo(record: JobRecord, retentionDays: number | undefined): OpenAIVideo {
  return {
    id: record.id,
    object: 'video',
    model: record.model,
    status: record.status === 'cancelled' ? 'failed' : record.status,
    progress: progressOf(record),
    created_at: unixSeconds(record.createdAt),
    completed_at: record.completedAt === null ? null : unixSeconds(record.completedAt),
    expires_at: expiresAt(record, retentionDays),
    prompt: record.input.prompt ?? null,
    seconds: record.input.duration === undefined ? null : String(record.input.duration),
    size: videoExtraOf(record)?.size ?? sizeOf(record.input.resolution, record.input.aspect_ratio),
    remixed_from_video_id: null,
    error: errorOf(record),
  };
}

function progressOf(record: JobRecord): number {
  if (record.status === 'completed') return 100;
  if (record.status === 'in_progress' && record.progress !== null) return Math.min(100, Math.max(0, Math.round(record.progress)));
  return 0;
}

function errorOf(record: JobRecord): OpenAIVideo['error'] {
  if (record.status === 'cancelled') return { code: CANCELLED_VIDEO_ERROR_CODE, message: 'The job was cancelled.' };
  if (record.status !== 'failed') return null;
  return { code: record.error?.code ?? 'generation_failed', message: record.error?.message ?? 'The job failed.' };
}

/** When the first stored copy is deleted under `OUTPUT_RETENTION_DAYS`; null when copies are kept or none is stored. */
function expiresAt(record: JobRecord, retentionDays: number | undefined): number | null {
  if (retentionDays === undefined) return null;
  const stored = record.videos.map((video) => copyFieldsOf(video).stored_at).filter((at): at is number => at !== undefined);
  return stored.length === 0 ? null : unixSeconds(Math.min(...stored) + retentionDays * DAY_MS);
}

/** `WxH` for an `Np` resolution and a ratio (720p at 16:9 → 1280x720; the longer side rounded to even pixels); null otherwise. */
function sizeOf(resolution: string | undefined, ratio: string | undefined): string | null {
  const lines = /^(\d+)p$/.exec(resolution ?? '');
  const terms = /^(\d+):(\d+)$/.exec(ratio ?? '');
  if (!lines || !terms) return null;
  const shorter = Number(lines[1]);
  const [a, b] = [Number(terms[1]), Number(terms[2])];
  const longer = Math.round((shorter * Math.max(a, b)) / Math.min(a, b) / 2) * 2;
  return a >= b ? `${longer}x${shorter}` : `${shorter}x${longer}`;
}

function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
