/**
 * The `GET /v1/models` answer as zod schemas: aliases with their ordered targets, direct models with capabilities.
 * The `.meta()` texts are the API reference: `openapi/build-document.ts` publishes them verbatim.
 */
import * as z from 'zod';
import { ModelCapabilitiesSchema } from '../../providers/schemas.ts';

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
