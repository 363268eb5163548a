/** The `GET /v1/models` answer as zod schemas: aliases with their ordered targets, direct models with capabilities. */
import { z } from 'zod';

const DurationRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('values'), values: z.array(z.number()), default: z.number().optional() }),
  z.object({ kind: z.literal('range'), min: z.number().optional(), max: z.number().optional(), default: z.number().optional() }),
  z.object({
    kind: z.literal('frames'),
    fps: z.number(),
    step: z.number(),
    offset: z.number(),
    min_frames: z.number(),
    max_frames: z.number(),
    default_frames: z.number(),
  }),
]);

export const ModelCapabilitiesSchema = z.object({
  prompt: z.object({ min_length: z.number().optional(), max_length: z.number().optional() }),
  duration: DurationRuleSchema.nullable(),
  aspect_ratios: z.array(z.string()).nullable(),
  resolutions: z.array(z.string()).nullable(),
  modes: z.array(z.string()).nullable(),
  start_image: z.enum(['optional', 'required']).nullable(),
  end_image: z.boolean(),
  generate_audio: z.boolean(),
  enhance_prompt: z.boolean(),
  seed: z.object({ min: z.number(), max: z.number() }).nullable(),
  defaults: z.record(z.string(), z.unknown()),
  /** JSON Schema of `provider_options.<provider>` for this model. */
  provider_options: z.record(z.string(), z.unknown()),
});

export const AliasTargetSchema = z.object({
  model: z.string(),
  provider: z.string(),
  /** Whether the target's provider is enabled and has a key. */
  available: z.boolean(),
});

export const AliasModelSchema = z.object({
  id: z.string(),
  object: z.literal('model'),
  type: z.literal('alias'),
  description: z.string().optional(),
  available: z.boolean(),
  /** Tried in this order; the first that can take the job serves it. */
  targets: z.array(AliasTargetSchema),
});

export const DirectModelSchema = z.object({
  id: z.string(),
  object: z.literal('model'),
  type: z.literal('direct'),
  title: z.string(),
  provider: z.string(),
  provider_model: z.string(),
  available: z.boolean(),
  capabilities: ModelCapabilitiesSchema,
});

export const ProviderStatusSchema = z.object({
  name: z.string(),
  title: z.string(),
  /** A key is set. */
  configured: z.boolean(),
  /** Enabled in the routing configuration. */
  enabled: z.boolean(),
});

export const ModelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(z.discriminatedUnion('type', [AliasModelSchema, DirectModelSchema])),
  providers: z.array(ProviderStatusSchema),
});
export type ModelList = z.infer<typeof ModelListSchema>;
