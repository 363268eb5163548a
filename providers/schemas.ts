/**
 * The provider contract's data shapes as zod schemas: one definition for the types (providers/types.ts
 * reads them as types only) and the API document, which publishes their `.meta()` texts. Nothing
 * validates with these, so only build-time code (the document's generator) loads this module.
 */
import * as z from 'zod';

/**
 * The normalized request after core applied capabilities and defaults: exactly what the job will
 * ask the provider for, and what `job.input` echoes. Durations are in seconds (for frame-counted
 * models: the applied length). One definition for the contract, validation and the API document.
 */
export const VideoInputSchema = z.object({
  prompt: z.string(),
  duration: z.number().optional().meta({ description: 'Seconds, as applied (frame-counted models: the rounded length).' }),
  aspect_ratio: z.string().optional(),
  resolution: z.string().optional(),
  start_image: z.string().optional().meta({ description: 'An https URL, or `data:<type>;sha256=<digest>` for an inline image.' }),
  end_image: z.string().optional().meta({ description: 'An https URL, or `data:<type>;sha256=<digest>` for an inline image.' }),
  generate_audio: z.boolean().optional(),
  enhance_prompt: z.boolean().optional(),
  seed: z.number().optional(),
  mode: z.string().optional(),
});

/** A non-fatal note about how a request was applied (`duration_adjusted`, …). */
export const JobWarningSchema = z
  .object({
    code: z.string().meta({ description: 'Stable snake_case code, e.g. `duration_adjusted`.' }),
    field: z.string().optional().meta({ description: 'The request field the warning is about.' }),
    message: z.string().meta({ description: 'Human-readable explanation.' }),
    requested: z.unknown().optional().meta({ description: 'What the request asked for.' }),
    applied: z.unknown().optional().meta({ description: 'What the job actually uses.' }),
  })
  .meta({ description: 'A non-fatal note about how the request was applied, for example a duration rounded to a whole number of frames.' });

/**
 * Counted in frames: `frames = step * n + offset` within `[min_frames, max_frames]`, played at `fps`.
 * Core converts seconds by rounding to the nearest allowed count (ties up), reports the applied
 * length when it differs, and hands the adapter the count. `default_frames` is the provider's default.
 */
export const FramesRuleSchema = z
  .object({
    kind: z.literal('frames'),
    fps: z.number(),
    step: z.number(),
    offset: z.number(),
    min_frames: z.number(),
    max_frames: z.number(),
    default_frames: z.number(),
  })
  .meta({
    description:
      'Counted in frames: `frames = step * n + offset` within `[min_frames, max_frames]`, played at `fps`. Seconds are rounded to the nearest allowed count and the applied length is reported in `warnings`.',
  });

/** How a model takes its length: exact values, a range, or frames. */
export const DurationRuleSchema = z
  .discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('values'), values: z.array(z.number()), default: z.number().optional() })
      .meta({ description: 'Only these lengths, in seconds, exactly.' }),
    z
      .object({ kind: z.literal('range'), min: z.number().optional(), max: z.number().optional(), default: z.number().optional() })
      .meta({ description: 'Any length in seconds within the bounds (a missing bound is open).' }),
    FramesRuleSchema,
  ])
  .meta({ description: 'How the model takes its length; null when it has no length control.' });

/**
 * What a model accepts, in the gateway's vocabulary. Core validates every request against this
 * before any upstream call; `GET /v1/models` publishes it so that clients can build their forms.
 */
export const ModelCapabilitiesSchema = z
  .object({
    prompt: z.object({ min_length: z.number().optional(), max_length: z.number().optional() }),
    duration: DurationRuleSchema.nullable(),
    aspect_ratios: z.array(z.string()).nullable().meta({ description: '`16:9` style; null when the model has no aspect ratio control.' }),
    resolutions: z.array(z.string()).nullable().meta({ description: 'Lower-case (`720p`, `4k`); null when the model has no resolution control.' }),
    modes: z.array(z.string()).nullable(),
    start_image: z.enum(['optional', 'required']).nullable().meta({ description: 'Whether the model takes a first frame; null when it takes none.' }),
    end_image: z.boolean(),
    generate_audio: z.boolean(),
    enhance_prompt: z.boolean(),
    seed: z
      .object({ min: z.number().optional(), max: z.number().optional() })
      .nullable()
      .meta({ description: 'Integer seed bounds as the provider documents them (a missing bound is open); null when the model takes no seed.' }),
    // Core sends the defaults explicitly and echoes them in `job.input`, so a job says what was applied.
    defaults: VideoInputSchema.pick({ duration: true, aspect_ratio: true, resolution: true, mode: true, generate_audio: true, enhance_prompt: true }).meta({
      description: "The provider's documented defaults, applied when a field is not sent.",
    }),
    provider_options: z
      .record(z.string(), z.unknown())
      .meta({ description: 'JSON Schema (draft 2020-12) of `provider_options.<provider>` for this model (an object schema that rejects unknown keys).' }),
  })
  .meta({ description: 'What a model accepts. Requests outside these capabilities are refused with a 422 before anything is sent.' });

/** An output video as a provider reports it. */
export const VideoOutputSchema = z.object({
  url: z.string().meta({ format: 'uri', description: "Absolute URL of the video file, served by the provider (it may expire on the provider's schedule)." }),
  content_type: z.string().optional().meta({ description: 'Media type, e.g. `video/mp4`.' }),
});
