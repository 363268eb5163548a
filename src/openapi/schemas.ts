/**
 * The document's `components/schemas`, converted (`z.toJSONSchema`) from the very schemas that
 * validate requests (the gateway's own, rebuilt as zod by zod-bridge.ts) and from the zod schemas
 * that shape responses. Nothing here restates a field: names and `$ref`s only.
 */
import type { SchemaObject } from 'openapi3-ts/oas31';
import * as z from 'zod';
import { createJobRequestSchema } from '../schemas/create-job.ts';
import { QuoteSchema } from '../schemas/quote.ts';
import { UsageReportSchema } from '../schemas/usage.ts';
import { HealthSchema } from '../schemas/health.ts';
import { DeliveryAttemptSchema, WebhookDeliveryListSchema, WebhookDeliverySchema, WebhookEventSchema, WebhookPayloadSchema } from '../schemas/webhooks.ts';
import { JobWarningSchema, ModelCapabilitiesSchema } from '../../providers/schemas.ts';
import { ErrorEnvelopeSchema, JobErrorSchema, JobInputSchema, JobListSchema, JobSchema, JobStatusSchema, VideoSchema } from '../schemas/job.ts';
import { CreateVideoFormSchema, OpenAIErrorEnvelopeSchema, OpenAIVideoDeletedSchema, OpenAIVideoListSchema, OpenAIVideoSchema } from '../schemas/videos.ts';
import { CreateVideoRequestSchema } from '../schemas/video-request.ts';
import { toZod } from './zod-bridge.ts';
import { CREATE_JOB_DOCS } from '../schemas/create-job-docs.ts';
import { documented } from '../schemas/request-docs.ts';
import { CREATE_VIDEO_DOCS } from '../schemas/video-request-docs.ts';
import { AliasModelSchema, AliasTargetSchema, DirectModelSchema, ModelListSchema, ProviderStatusSchema } from '../schemas/models.ts';

type Registry = z.core.$ZodRegistry<{ id: string }>;

/** A `$ref` to a component schema. */
export function schemaRef(name: string): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

/** What the gateway sends (zod output side). Order is the order of `components/schemas`. */
function responseSchemas(): Registry {
  const registry = z.registry<{ id: string }>();
  const named: [z.ZodType, string][] = [
    [JobSchema, 'Job'],
    [JobListSchema, 'JobList'],
    [WebhookDeliveryListSchema, 'WebhookDeliveryList'],
    [WebhookDeliverySchema, 'WebhookDelivery'],
    [DeliveryAttemptSchema, 'DeliveryAttempt'],
    [WebhookEventSchema, 'WebhookEvent'],
    [WebhookPayloadSchema, 'WebhookPayload'],
    [JobStatusSchema, 'JobStatus'],
    [JobInputSchema, 'JobInput'],
    [JobWarningSchema, 'JobWarning'],
    [JobErrorSchema, 'JobError'],
    [VideoSchema, 'Video'],
    [ModelListSchema, 'ModelList'],
    [AliasModelSchema, 'AliasModel'],
    [AliasTargetSchema, 'AliasTarget'],
    [DirectModelSchema, 'DirectModel'],
    [ModelCapabilitiesSchema, 'ModelCapabilities'],
    [ProviderStatusSchema, 'ProviderStatus'],
    [ErrorEnvelopeSchema, 'ErrorEnvelope'],
    [OpenAIVideoSchema, 'OpenAIVideo'],
    [OpenAIVideoListSchema, 'OpenAIVideoList'],
    [OpenAIVideoDeletedSchema, 'OpenAIVideoDeleted'],
    [OpenAIErrorEnvelopeSchema, 'OpenAIErrorEnvelope'],
    [HealthSchema, 'Health'],
    [QuoteSchema, 'Quote'],
    [UsageReportSchema, 'UsageReport'],
  ];
  for (const [schema, id] of named) registry.add(schema, { id });
  return registry;
}

/** What clients send (zod input side: `null` is accepted where the validator turns it into "not set"). */
function requestSchemas(providerNames: readonly string[]): Registry {
  const registry = z.registry<{ id: string }>();
  // The gateway's own schemas (they validate requests), rebuilt as zod to be described.
  registry.add(toZod(documented(createJobRequestSchema(providerNames), CREATE_JOB_DOCS)), { id: 'CreateJobRequest' });
  registry.add(toZod(documented(CreateVideoRequestSchema, CREATE_VIDEO_DOCS)), { id: 'CreateVideoRequest' });
  registry.add(CreateVideoFormSchema, { id: 'CreateVideoForm' });
  return registry;
}

function convert(registry: Registry, io: 'input' | 'output'): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema)]));
}

/** `$schema`/`$id` belong to standalone JSON Schemas; inside an OpenAPI 3.1 document they are noise. */
function withoutDialect(schema: Record<string, unknown>): SchemaObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest as SchemaObject;
}

/** Every component schema of the document. */
export function componentSchemas(providerNames: readonly string[]): Record<string, SchemaObject> {
  const requests = convert(requestSchemas(providerNames), 'input');
  return { CreateJobRequest: requests.CreateJobRequest!, CreateVideoRequest: requests.CreateVideoRequest!, CreateVideoForm: requests.CreateVideoForm!, ...convert(responseSchemas(), 'output') };
}
