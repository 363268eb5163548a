/**
 * The parts of the gateway's answers the CLI reads. The CLI passes answers on untouched (`--json`), so
 * it declares only the fields it uses; `test/clients/cli.test.ts` checks at compile time that the
 * gateway's own response types still fit these. They are written out here, not imported from the
 * gateway's schemas, so the built CLI stays small: even a type-only import would compile the whole
 * server into the package build.
 */
export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export interface JobWarning {
  code: string;
  field?: string;
  message: string;
}

export interface JobVideo {
  url: string;
  content_type?: string;
  bytes?: number;
  storage?: string;
}

export interface JobError {
  code: string;
  message: string;
  provider_status?: string;
  provider_message?: string;
}

export interface Job {
  id: string;
  status: JobStatus;
  progress: number | null;
  model: string;
  provider: string;
  provider_model: string;
  created_at: string;
  completed_at: string | null;
  warnings: JobWarning[];
  videos: JobVideo[];
  error: JobError | null;
}

export interface JobList {
  data: Job[];
  has_more: boolean;
  last_id: string | null;
}

export interface AliasModel {
  id: string;
  type: 'alias';
  description?: string;
  available: boolean;
  targets: { model: string; provider: string; available: boolean }[];
}

export type DurationRule =
  | { kind: 'values'; values: number[] }
  | { kind: 'range'; min?: number; max?: number }
  | { kind: 'frames'; fps: number; min_frames: number; max_frames: number };

export interface DirectModel {
  id: string;
  type: 'direct';
  title: string;
  available: boolean;
  capabilities: {
    duration: DurationRule | null;
    aspect_ratios: string[] | null;
    resolutions: string[] | null;
    start_image: 'optional' | 'required' | null;
    end_image: boolean;
    generate_audio: boolean;
  };
}

export interface ModelList {
  data: (AliasModel | DirectModel)[];
}

export interface ErrorEnvelope {
  error: { code: string; message: string; param?: string; provider?: string; request_id?: string };
}

/** The create request the CLI sends (a subset of what the gateway accepts). */
export interface CreateJobRequest {
  model: string;
  prompt: string;
  provider?: string;
  duration?: number;
  aspect_ratio?: string;
  resolution?: string;
  start_image?: string;
  end_image?: string;
  generate_audio?: boolean;
  seed?: number;
  webhook_url?: string;
}
