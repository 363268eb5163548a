/**
 * A job as the AI SDK reports results: its warnings as AI SDK warnings (with the gateway's
 * message), and `providerMetadata.vidgate` with the job, its provider and its videos.
 */
import type { JSONValue, SharedV4ProviderMetadata, SharedV4Warning } from '@ai-sdk/provider';
import type { GatewayJob } from './gateway-api.ts';

/** Request fields the AI SDK has a call option for, by the option's name. */
const CALL_OPTION_OF_FIELD: Record<string, string> = {
  prompt: 'prompt',
  duration: 'duration',
  aspect_ratio: 'aspectRatio',
  resolution: 'resolution',
  seed: 'seed',
  start_image: 'image',
  end_image: 'frameImages',
  generate_audio: 'generateAudio',
};

/**
 * A warning about a call option (a duration rounded to whole frames) is the AI SDK's `unsupported`
 * for that option, as its own providers report an adjusted setting; any other is `other`.
 */
export function warningsOf(job: GatewayJob): SharedV4Warning[] {
  return job.warnings.map((warning) => {
    const feature = warning.field === undefined ? undefined : CALL_OPTION_OF_FIELD[warning.field];
    return feature ? { type: 'unsupported', feature, details: warning.message } : { type: 'other', message: warning.message };
  });
}

/**
 * `videos` holds one entry per video with its job, because the AI SDK concatenates the `videos` of
 * several calls (`n` > 1 makes one job each) and keeps the last call's other fields.
 */
export function providerMetadataOf(job: GatewayJob): SharedV4ProviderMetadata {
  return {
    vidgate: {
      jobId: job.id,
      status: job.status,
      model: job.model,
      provider: job.provider,
      providerModel: job.provider_model,
      warnings: job.warnings as JSONValue,
      videos: job.videos.map((video, index) => ({
        jobId: job.id,
        index,
        url: video.url,
        contentType: video.content_type ?? null,
        bytes: video.bytes ?? null,
        sha256: video.sha256 ?? null,
      })),
    },
  };
}

/** The model that made the video: the direct target (`krea/kling/kling-2.5`) an alias was routed to. */
export function servingModelOf(job: GatewayJob): string {
  return `${job.provider}/${job.provider_model}`;
}
