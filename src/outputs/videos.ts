/**
 * A job's videos as stored and as shown. The record keeps the provider's URL in `url` and, once an
 * output store exists, the copy's state beside it; the public entry swaps in a signed gateway link
 * while the gateway has (or is making) a copy, and says plainly where the copy stands:
 * `pending` (being copied; the link proxies the provider meanwhile), `stored`, `failed` (with
 * `storage_error`; the link is the provider's), or `expired` (deleted under `OUTPUT_RETENTION_DAYS`).
 */
import type { StoredVideo } from '../jobs/store/job-store.ts';
import type { LinkSigner } from './links.ts';

export const STORAGE_STATES = ['pending', 'stored', 'failed', 'expired'] as const;
export type StorageState = (typeof STORAGE_STATES)[number];

/** The copy-related fields a stored video carries (all absent without an output store). */
export interface CopyFields {
  storage?: StorageState;
  storage_error?: string;
  bytes?: number;
  sha256?: string;
  /** When the copy was stored (ms since the epoch): retention counts from here. */
  stored_at?: number;
  /** Failed attempts so far. */
  copy_attempts?: number;
  /** When the next attempt is due (ms since the epoch). */
  next_copy_at?: number;
  /** Why the last attempt failed (shown as `storage_error` only once the copy has `failed`). */
  last_copy_error?: string;
}

export type CopiedVideo = StoredVideo & CopyFields;

/** A video entry as the job shows it. */
export interface PublicVideo {
  url: string;
  content_type?: string;
  provider_url?: string;
  bytes?: number;
  sha256?: string;
  storage?: StorageState;
  storage_error?: string;
}

export function copyFieldsOf(video: StoredVideo): CopiedVideo {
  return video as CopiedVideo;
}

/** Whether the gateway serves this video itself (its copy, or a proxy of the provider until the copy is done). */
export function servedByGateway(video: StoredVideo): boolean {
  const { storage } = copyFieldsOf(video);
  return storage === 'pending' || storage === 'stored';
}

export function renderVideos(jobId: string, videos: readonly StoredVideo[], links: LinkSigner | undefined): PublicVideo[] {
  return videos.map((stored, index) => {
    const video = copyFieldsOf(stored);
    if (video.storage === undefined) return { url: video.url, ...(video.content_type ? { content_type: video.content_type } : {}) };
    return {
      url: links && servedByGateway(video) ? links.sign(jobId, index) : video.url,
      provider_url: video.url,
      ...(video.content_type ? { content_type: video.content_type } : {}),
      ...(video.bytes !== undefined ? { bytes: video.bytes } : {}),
      ...(video.sha256 !== undefined ? { sha256: video.sha256 } : {}),
      storage: video.storage,
      ...(video.storage_error !== undefined ? { storage_error: video.storage_error } : {}),
    };
  });
}

export function hasPendingCopies(videos: readonly StoredVideo[]): boolean {
  return videos.some((video) => copyFieldsOf(video).storage === 'pending');
}

/** Every video marked for copying: what a job becomes at completion when there is an output store. */
export function withCopiesPending(videos: readonly StoredVideo[]): StoredVideo[] {
  return videos.map((video) => ({ ...video, storage: 'pending', copy_attempts: 0 }));
}
