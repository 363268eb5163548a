/**
 * The AI/ML API models vidgate serves, as one declarative table: capabilities in gateway
 * vocabulary, the body field each gateway field becomes, and the provider-native extras.
 *
 * Sources (A-DOCS, github.com/aimlapi/api-docs, docs/api-references/video-models/):
 * - `Krea/krea-wan-14b-text-to-video.json` (https://docs.aimlapi.com/api-references/video-models/krea/krea-wan-14b-text-to-video)
 * - `Kling-AI/v2.5-turbo-pro-text-to-video.json`, `Kling-AI/v2.5-turbo-pro-image-to-video.json`
 */
import type { FramesRule, JsonSchema, ModelCapabilities, ModelDescriptor, VideoInput } from '../types.ts';

/** Gateway input fields that map onto an AI/ML API body field (`prompt` always goes as `prompt`). */
export type MappedField = Exclude<keyof VideoInput, 'prompt'>;

/**
 * Gateway field → AI/ML API body field, for exactly the fields a model accepts. A frame-counted
 * model's `duration` field carries the frame count core validated.
 */
export type BodyMap = Readonly<Partial<Record<MappedField, string>>>;

/** One row of the table: the model (its wire spelling is its body map) and its extras' schema. */
export interface CatalogEntry {
  descriptor: ModelDescriptor<BodyMap>;
  /** JSON Schema of `provider_options.aimlapi` for this model (closed: unknown keys are rejected), as published and enforced. */
  options: JsonSchema;
}

/** krea-wan-14b: `num_frames` 12n+6 in 18..162, default 78, at 16 fps. */
export const WAN_FRAMES: FramesRule = {
  kind: 'frames',
  fps: 16,
  step: 12,
  offset: 6,
  min_frames: 18,
  max_frames: 162,
  default_frames: 78,
};

/** krea-wan-14b documents no extras beyond the normalized fields. */
export const wanOptions: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

/** Extras of the Kling 2.5 Turbo Pro models, all optional. */
export const klingOptions: JsonSchema = {
  type: 'object',
  properties: {
    negative_prompt: { type: 'string', description: 'The description of elements to avoid in the generated video.' },
    cfg_scale: { type: 'number', minimum: 0, maximum: 1, description: 'How closely the model sticks to the prompt (Classifier Free Guidance).' },
    // The doc types `provider` as a plain string (kling/klingai = native only, fal = fal.ai mirror,
    // auto = native with fal fallback, the default) without an enum, so none is enforced here.
    provider: { type: 'string', minLength: 1, description: 'Upstream route: "auto" (default), "kling"/"klingai" (native only) or "fal".' },
  },
  additionalProperties: false,
};

const noMedia = { resolutions: null, modes: null, end_image: false, generate_audio: false } as const;

function klingCapabilities(aspectRatios: string[] | null, startImage: 'required' | null): ModelCapabilities {
  return {
    prompt: {},
    duration: { kind: 'values', values: [5, 10], default: 5 },
    aspect_ratios: aspectRatios,
    ...noMedia,
    start_image: startImage,
    enhance_prompt: false,
    seed: null,
    defaults: { duration: 5 },
    provider_options: klingOptions,
  };
}

const wanEntry: CatalogEntry = {
  descriptor: {
    id: 'krea/krea-wan-14b/text-to-video',
    title: 'Krea Wan 14B (text-to-video)',
    capabilities: {
      prompt: {},
      duration: WAN_FRAMES,
      aspect_ratios: null,
      ...noMedia,
      start_image: null,
      enhance_prompt: true,
      // The doc says only "integer" (random when omitted): no bound is published, so none is enforced.
      seed: {},
      defaults: { duration: WAN_FRAMES.default_frames / WAN_FRAMES.fps, enhance_prompt: true },
      provider_options: wanOptions,
    },
    wire: { duration: 'num_frames', enhance_prompt: 'enable_prompt_expansion', seed: 'seed' },
  },
  options: wanOptions,
};

const klingTextEntry: CatalogEntry = {
  descriptor: {
    id: 'klingai/v2.5-turbo/pro/text-to-video',
    title: 'Kling 2.5 Turbo Pro (text-to-video)',
    capabilities: klingCapabilities(['16:9', '9:16', '1:1'], null),
    wire: { duration: 'duration', aspect_ratio: 'aspect_ratio' },
  },
  options: klingOptions,
};

const klingImageEntry: CatalogEntry = {
  descriptor: {
    id: 'klingai/v2.5-turbo/pro/image-to-video',
    title: 'Kling 2.5 Turbo Pro (image-to-video)',
    capabilities: klingCapabilities(null, 'required'),
    wire: { duration: 'duration', start_image: 'image_url' },
  },
  options: klingOptions,
};

/** The table: one entry per model. */
export const catalog: readonly CatalogEntry[] = [wanEntry, klingTextEntry, klingImageEntry];

/** The models, as the provider definition publishes them. */
export const models: readonly ModelDescriptor<BodyMap>[] = catalog.map((entry) => entry.descriptor);
