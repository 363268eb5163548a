/**
 * The `GET /v1/models` answer as zod schemas: aliases with their ordered targets, direct models with capabilities.
 * The `.meta()` texts are the API reference: `openapi/build-document.ts` publishes them verbatim.
 */
import * as z from 'zod';

const DurationRuleSchema = z
  .discriminatedUnion('kind', [
    z
      .object({ kind: z.literal('values'), values: z.array(z.number()), default: z.number().optional() })
      .meta({ description: 'Only these lengths, in seconds, exactly.' }),
    z
      .object({ kind: z.literal('range'), min: z.number().optional(), max: z.number().optional(), default: z.number().optional() })
      .meta({ description: 'Any length in seconds within the bounds (a missing bound is open).' }),
    z
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
      }),
  ])
  .meta({ description: 'How the model takes its length; null when it has no length control.' });

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
    seed: z.object({ min: z.number(), max: z.number() }).nullable().meta({ description: 'Integer seed bounds; null when the model takes no seed.' }),
    defaults: z.record(z.string(), z.unknown()).meta({ description: "The provider's documented defaults, applied when a field is not sent." }),
    /** JSON Schema of `provider_options.<provider>` for this model. */
    provider_options: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema (draft 2020-12) of `provider_options.<provider>` for this model.' }),
  })
  .meta({ description: 'What a model accepts. Requests outside these capabilities are refused with a 422 before anything is sent.' });

export const AliasTargetSchema = z
  .object({
    model: z.string(),
    provider: z.string(),
    /** Whether the target's provider is enabled and has a key. */
    available: z.boolean().meta({ description: "Whether the target's provider is enabled and has a key." }),
  })
  .meta({ description: 'One model an alias can resolve to.' });

export const AliasModelSchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    type: z.literal('alias'),
    description: z.string().optional(),
    available: z.boolean(),
    /** Tried in this order; the first that can take the job serves it. */
    targets: z.array(AliasTargetSchema).meta({ description: 'Tried in this order; the first that can take the job serves it.' }),
  })
  .meta({ description: 'A name configured on this gateway that resolves to an ordered list of provider models.' });

export const DirectModelSchema = z
  .object({
    id: z.string().meta({ description: '`<provider>/<the provider\'s model id>`; send it as `model`.' }),
    object: z.literal('model'),
    type: z.literal('direct'),
    title: z.string(),
    provider: z.string(),
    provider_model: z.string(),
    available: z.boolean().meta({ description: 'Whether the provider is enabled and has a key on this gateway.' }),
    capabilities: ModelCapabilitiesSchema,
  })
  .meta({ description: "One provider's model." });

export const ProviderStatusSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    /** A key is set. */
    configured: z.boolean().meta({ description: 'A key is set.' }),
    /** Enabled in the routing configuration. */
    enabled: z.boolean().meta({ description: 'Enabled in the routing configuration.' }),
  })
  .meta({ description: 'A provider this gateway knows.' });

export const ModelListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(z.discriminatedUnion('type', [AliasModelSchema, DirectModelSchema])),
    providers: z.array(ProviderStatusSchema),
  })
  .meta({ description: 'Every model a client can ask for (aliases and direct models), and which providers are configured.' });
export type ModelList = z.infer<typeof ModelListSchema>;
