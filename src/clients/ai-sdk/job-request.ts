/**
 * The AI SDK's call options as a gateway create (`POST /v1/jobs`), with a warning for each option
 * the gateway has no field for, as AI SDK providers do. The gateway checks the rest against the
 * model (a duration it cannot do is a 422 naming the supported values, or a job warning when it
 * rounds to frames), so nothing is second-guessed here.
 */
import type {
  Experimental_VideoModelV4CallOptions as VideoModelV4CallOptions,
  Experimental_VideoModelV4File as VideoModelV4File,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { convertImageModelFileToDataUri, parseProviderOptions } from '@ai-sdk/provider-utils';
import { DEFAULT_CLIENT_SETTINGS, TERMINAL_WEBHOOK_EVENTS, vidgateVideoModelOptionsSchema, type ClientSettings, type VidgateVideoModelOptions } from './video-model-options.ts';

export type JobCallOptions = VideoModelV4CallOptions & { webhookUrl?: string };

export interface JobRequest {
  body: Record<string, unknown>;
  warnings: SharedV4Warning[];
  settings: ClientSettings;
}

export async function buildJobRequest(modelId: string, options: JobCallOptions): Promise<JobRequest> {
  const parsed = await parseProviderOptions({ provider: 'vidgate', providerOptions: options.providerOptions, schema: vidgateVideoModelOptionsSchema });
  const { pollTimeoutMs, waitSeconds, ...gatewayFields } = withoutUndefined(parsed ?? {}) as VidgateVideoModelOptions;
  const warnings: SharedV4Warning[] = [];
  const mapped = {
    model: modelId,
    prompt: options.prompt,
    duration: options.duration,
    aspect_ratio: aspectRatioOf(options.aspectRatio, warnings),
    // A resolution named in the provider options wins, so the call's one is then not mapped (nor warned about).
    resolution: gatewayFields.resolution == null ? resolutionOf(options.resolution, warnings) : undefined,
    seed: options.seed,
    generate_audio: options.generateAudio,
    // The AI SDK puts a `first_frame` frame image here too.
    start_image: imageField(options.image, 'image', warnings),
    end_image: imageField(options.frameImages?.find((frame) => frame.frameType === 'last_frame')?.image, 'frameImages', warnings),
  };
  warnAboutUnmappedOptions(options, warnings);
  const body = { ...mapped, ...gatewayFields, ...webhookFields(options.webhookUrl, gatewayFields, warnings) };
  return {
    body: withoutUndefined(body),
    warnings,
    settings: { pollTimeoutMs: pollTimeoutMs ?? DEFAULT_CLIENT_SETTINGS.pollTimeoutMs, waitSeconds: waitSeconds ?? DEFAULT_CLIENT_SETTINGS.waitSeconds },
  };
}

function aspectRatioOf(aspectRatio: VideoModelV4CallOptions['aspectRatio'], warnings: SharedV4Warning[]): string | undefined {
  if (aspectRatio !== 'adaptive') return aspectRatio;
  warnings.push({ type: 'unsupported', feature: 'aspectRatio', details: 'The gateway takes explicit ratios only; "adaptive" was not sent, so the model\'s default applies.' });
  return undefined;
}

/**
 * The gateway names resolutions by their short side (`720p`; `4k` for 2160), the way the models
 * publish them in `GET /v1/models`; these are all the names they use.
 */
const RESOLUTION_NAMES: Record<number, string> = { 480: '480p', 512: '512p', 720: '720p', 768: '768p', 1080: '1080p', 2160: '4k' };

function resolutionOf(resolution: VideoModelV4CallOptions['resolution'], warnings: SharedV4Warning[]): string | undefined {
  if (resolution === undefined) return undefined;
  const [width, height] = resolution.split('x').map(Number);
  const name = RESOLUTION_NAMES[Math.min(width ?? NaN, height ?? NaN)];
  if (name === undefined) {
    const known = Object.values(RESOLUTION_NAMES).join(', ');
    warnings.push({ type: 'unsupported', feature: 'resolution', details: `${resolution} is none of the gateway's resolutions (${known}); it was not sent, so the model's default applies. Name one in providerOptions.vidgate.resolution.` });
  }
  return name;
}

/** An image as the gateway takes it: its https URL as given, or inline data as a `data:` URI. */
function imageField(file: VideoModelV4File | undefined, feature: string, warnings: SharedV4Warning[]): string | undefined {
  if (file === undefined) return undefined;
  if (file.mediaType?.startsWith('video/')) {
    warnings.push({ type: 'unsupported', feature, details: `The gateway takes images as frames, not ${file.mediaType}; it was not sent.` });
    return undefined;
  }
  return convertImageModelFileToDataUri(file);
}

function warnAboutUnmappedOptions(options: VideoModelV4CallOptions, warnings: SharedV4Warning[]): void {
  if (options.fps !== undefined) {
    warnings.push({ type: 'unsupported', feature: 'fps', details: 'The gateway has no frame rate setting; each model renders at its own.' });
  }
  if (options.inputReferences?.length) {
    warnings.push({ type: 'unsupported', feature: 'inputReferences', details: 'The gateway takes a start and an end frame, not reference inputs; they were not sent.' });
  }
  if (options.n > 1) {
    warnings.push({ type: 'unsupported', feature: 'n', details: `A job makes one video, so one was made, not ${options.n}. With maxVideosPerCall at 1 (the default), the AI SDK makes one job per video.` });
  }
}

/**
 * The AI SDK's `webhook` option: the gateway signs and sends the job's webhooks to the URL it
 * gives, and the SDK reads the job once the first one arrives, so only terminal events are asked for.
 */
function webhookFields(webhookUrl: string | undefined, fields: VidgateVideoModelOptions, warnings: SharedV4Warning[]): Record<string, unknown> {
  if (webhookUrl === undefined) return {};
  if (fields.webhook_url != null && fields.webhook_url !== webhookUrl) {
    warnings.push({ type: 'other', message: 'providerOptions.vidgate.webhook_url was replaced by the URL of the webhook option.' });
  }
  const events = fields.webhook_events;
  if (events != null && (events.length !== TERMINAL_WEBHOOK_EVENTS.length || !TERMINAL_WEBHOOK_EVENTS.every((event) => events.includes(event)))) {
    warnings.push({ type: 'other', message: `The webhook option waits for the job's end, so webhook_events were set to ${TERMINAL_WEBHOOK_EVENTS.join(', ')}.` });
  }
  return { webhook_url: webhookUrl, webhook_events: [...TERMINAL_WEBHOOK_EVENTS] };
}

function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
