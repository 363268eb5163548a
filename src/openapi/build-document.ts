/**
 * The gateway's OpenAPI 3.1 document, built from the zod schemas that validate requests and shape
 * responses, and from the error catalog. Pure: Node builds it in-process for `GET /openapi.json`,
 * scripts/worker-assets.ts builds the Worker's copy into its static assets (src/static-pages/), so
 * the Worker bundle never carries this module; `npm run generate:openapi` writes
 * `openapi/openapi.json`, and the contract tests check every response against it.
 */
import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, ResponsesObject, SchemaObject } from 'openapi3-ts/oas31';
import packageJson from '../../package.json' with { type: 'json' };
import { ERROR_CODES, WARNING_CODES, type ErrorScope } from '../error-catalog.ts';
import { DOCS_ASSETS, IMMUTABLE_CACHE_CONTROL, RENDERER_PACKAGE, RENDERER_VERSION } from '../reference/renderer.ts';
import { COMPLETED_JOB_EXAMPLE, CREATE_REQUEST_EXAMPLE, CREATED_JOB_EXAMPLE, FAILED_JOB_EXAMPLE, IN_PROGRESS_JOB_EXAMPLE } from './examples.ts';
import { errorResponse, errorResponses, headerRef, HEADERS, requestIdHeader, videoContentResponses } from './responses.ts';
import { openApiPath, ROUTES, type OperationId } from '../http/routes.ts';
import { WEBHOOK_EVENTS } from '../jobs/webhooks/events.ts';
import { componentSchemas, schemaRef } from './schemas.ts';
import { VIDEO_OPERATION_SCOPES, VIDEO_OPERATIONS } from './video-operations.ts';

/** Where each operation's errors can arise (see {@link ErrorScope}). */
const OPERATION_SCOPES: Record<OperationId, readonly ErrorScope[]> = {
  getHealth: ['any'],
  getOpenApiDocument: ['any'],
  getApiReference: ['any'],
  getDocsAsset: ['any', 'route'],
  getPlayground: ['any'],
  getMetrics: ['any', 'route', 'metrics'],
  createJob: ['any', 'auth', 'create', 'job', 'store'],
  quoteJob: ['any', 'auth', 'create'],
  listJobs: ['any', 'auth', 'list', 'store'],
  getJob: ['any', 'auth', 'poll', 'job', 'store'],
  cancelJob: ['any', 'auth', 'poll', 'job', 'cancel', 'store'],
  streamJobEvents: ['any', 'auth', 'poll', 'job', 'store'],
  getJobContent: ['any', 'auth', 'poll', 'job', 'content', 'store'],
  getSignedVideo: ['any', 'job', 'content', 'link', 'store'],
  listWebhookDeliveries: ['any', 'auth', 'poll', 'store'],
  retryWebhookDelivery: ['any', 'auth', 'poll', 'delivery', 'store'],
  receiveProviderCallback: ['any', 'route'],
  listModels: ['any', 'auth'],
  getUsage: ['any', 'auth', 'store'],
  ...VIDEO_OPERATION_SCOPES,
};

type DocumentedOperation = Omit<OperationObject, 'operationId' | 'security'>;

/** How each route is documented; the method, path and authentication come from {@link ROUTES}. */
const OPERATIONS: Record<OperationId, () => DocumentedOperation> = {
  getHealth,
  getOpenApiDocument,
  getApiReference,
  getDocsAsset,
  getPlayground,
  getMetrics,
  createJob,
  quoteJob,
  listJobs,
  getJob,
  cancelJob,
  streamJobEvents,
  getJobContent,
  getSignedVideo,
  listWebhookDeliveries,
  retryWebhookDelivery,
  receiveProviderCallback,
  listModels,
  getUsage,
  ...VIDEO_OPERATIONS,
};

/** The name of the reusable response for a path or method the gateway does not serve. */
export const ROUTE_NOT_FOUND = 'RouteNotFound';

const PUBLIC: OperationObject['security'] = [];

/** Operations outside `/v1` that need a credential of their own rather than none. */
const OWN_SECURITY: Partial<Record<OperationId, OperationObject['security']>> = {
  getMetrics: [{ metricsToken: [] }],
};

/** Builds the document; `providerNames` are the registry's (they key `provider` and `provider_options`). */
export function buildOpenApiDocument(providerNames: readonly string[]): OpenAPIObject {
  // A plain object rather than openapi3-ts's builder, whose module brings a YAML library (51 KiB) into the Worker.
  const paths: NonNullable<OpenAPIObject['paths']> = {};
  for (const [operationId, route] of Object.entries(ROUTES) as [OperationId, (typeof ROUTES)[OperationId]][]) {
    const operation: OperationObject = { operationId, ...OPERATIONS[operationId](), ...(route.auth ? {} : { security: OWN_SECURITY[operationId] ?? PUBLIC }) };
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'vidgate',
      version: packageJson.version,
      description: describeApi(),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Jobs', description: 'Create a video generation job, then poll it until it is terminal.' },
      { name: 'Webhooks', description: 'Signed notifications of job changes, sent to the `webhook_url` of a create, and their delivery log.' },
      { name: 'Videos (OpenAI-compatible)', description: 'The OpenAI Videos API shape (`openai` SDK `client.videos`) over the same jobs: a video id is a job id. Errors here come in OpenAI\'s envelope `{"error": {"message", "type", "param", "code"}}` with `x-should-retry`.' },
      { name: 'Models', description: 'The models and aliases a client can ask for, with their capabilities.' },
      { name: 'Usage', description: "What each gateway key spent: prices from the providers' documents (or the operator's), billed figures where providers report them." },
      { name: 'Health', description: 'Liveness for load balancers and orchestrators.' },
      { name: 'Metrics', description: 'Counters and histograms for Prometheus, behind their own token.' },
      { name: 'Reference', description: 'This document, its interactive reference, and a page to try the API in.' },
    ],
    paths,
    components: {
      schemas: componentSchemas(providerNames),
      headers: { ...HEADERS },
      responses: { [ROUTE_NOT_FOUND]: errorResponse(404, ERROR_CODES.filter((entry) => entry.scope === 'route')) },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'A gateway key from `GATEWAY_API_KEYS` (in sandbox mode: `vidgate-sandbox-key`), sent as `Authorization: Bearer <key>`.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The scraper\'s token, `METRICS_TOKEN`, sent as `Authorization: Bearer <token>`. A gateway key does not work here.',
        },
      },
    },
    webhooks: Object.fromEntries(WEBHOOK_EVENTS.map((event) => [event, { post: webhookOperation(event) }])),
  };
}

/** What a receiver gets for an event: the signed POST, and what its answer means. */
function webhookOperation(event: string): OperationObject {
  const header = (name: string, description: string) => ({ name, in: 'header' as const, required: true, description, schema: { type: 'string' as const } });
  return {
    operationId: `webhook_${event.replace('.', '_')}`,
    tags: ['Webhooks'],
    summary: `\`${event}\` to your webhook_url`,
    description: `Sent to the job's \`webhook_url\` when ${event === 'job.updated' ? "the job's status or progress changes after the create" : `the job becomes \`${event.slice(4)}\``} (if the create asked for it in \`webhook_events\`). Signed per Standard Webhooks with \`WEBHOOK_SECRET\`. A non-2xx, a connection error or no answer within 10 s is retried under the same \`webhook-id\` after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h and 12 h (\`WEBHOOK_RETRY_SCHEDULE_MS\`); a 410 stops the retries. A job's webhooks arrive in order.`,
    parameters: [
      header('webhook-id', 'The delivery id, the same on every attempt: use it to ignore duplicates.'),
      header('webhook-timestamp', 'Seconds since the epoch when the attempt was signed.'),
      header('webhook-signature', '`v1,<base64 HMAC-SHA256 of "webhook-id.webhook-timestamp.body">` under the secret (the `whsec_` prefix removed, base64-decoded).'),
    ],
    requestBody: { required: true, content: json(schemaRef('WebhookPayload')) },
    responses: {
      '2XX': { description: 'Received: the delivery is done.' },
      '410': { description: 'Gone: no more attempts for this delivery.' },
      default: { description: 'Anything else, a connection error or a timeout: tried again later.' },
    },
  };
}

function describeApi(): string {
  const warnings = Object.entries(WARNING_CODES).map(([code, when]) => `| \`${code}\` | ${when} |`);
  return [
    'One HTTP API for asynchronous video generation in front of several providers. Requests are checked against what the chosen model can do before anything is sent (and billed).',
    '',
    '**Flow.** `POST /v1/jobs` creates a job and answers `202` with the job and its `Location`. The gateway keeps the job in its store and polls the provider for you; read it at `GET /v1/jobs/{id}` until `status` is `completed`, `failed` or `cancelled`. `GET /v1/jobs` lists your jobs, `POST /v1/jobs/{id}/cancel` cancels one, and `GET /v1/models` lists the aliases and models with their capabilities. Jobs belong to the gateway key that created them: another key sees none of them.',
    '',
    '**Authentication.** Every `/v1` route needs `Authorization: Bearer <gateway key>`. `/healthz`, `/openapi.json`, `/docs` and its assets, and `/playground` need none. `/metrics` needs `Authorization: Bearer <METRICS_TOKEN>`, not a gateway key.',
    '',
    '**OpenAI-compatible videos.** `/v1/videos` speaks the OpenAI Videos API (create as JSON or multipart, retrieve, list, delete, content) over the same jobs, for the official `openai` SDK and clients built for it; its errors use OpenAI\'s envelope.',
    '',
    '**Errors.** Every error has one envelope, `{"error": {"code", "message", "param"?, "provider"?, "request_id"?}}`. `code` is stable, and each response lists the codes it can carry. Any other path or method answers `404` `not_found` (under `/v1`, after authentication).',
    '',
    '**Compatibility.** Within `/v1` nothing is removed or renamed. New fields and codes come with a new version of this document, so ignore fields you do not know and handle unknown codes by HTTP status.',
    '',
    '**Job warnings** (`warnings[].code`):',
    '',
    '| code | meaning |',
    '|---|---|',
    ...warnings,
  ].join('\n');
}

function json(schema: SchemaObject | ReferenceObject, extra: Record<string, unknown> = {}) {
  return { 'application/json': { schema, ...extra } };
}

/** The success response plus every error response of an operation. */
function responses(operation: OperationId, success: ResponsesObject): ResponsesObject {
  return { ...success, ...errorResponses(OPERATION_SCOPES[operation]) };
}

function createJob(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Create a job',
    description:
      'Checks the request against the model\'s capabilities (a 422 names what the model supports; nothing is sent), writes the job record, then submits it to the provider. An alias is served by its first target that can take the job. A create is retried only when the provider provably started no job, so a timeout or 5xx is answered as such: the job may exist (its record says `submission_outcome_unknown`), and a retry could bill twice. Send an `Idempotency-Key` to make retries safe: the same key and body within 24 hours answers the same job, with `Idempotent-Replayed: true`, and never creates a second one.',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: '1 to 255 printable ASCII characters, unique per intended job (a UUID). Scoped to your gateway key, kept 24 hours. The same key with a different body is a 422 `idempotency_key_reused`; while the first create is still in flight, a 409 `idempotency_key_in_use` with `Retry-After`.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
      },
      PREFER_WAIT,
    ],
    requestBody: {
      required: true,
      content: json(schemaRef('CreateJobRequest'), {
        examples: { wan14b: { summary: 'Wan 14B for 5 seconds', value: CREATE_REQUEST_EXAMPLE } },
      }),
    },
    responses: responses('createJob', {
      202: {
        description: 'The job was accepted by the provider. Poll the `Location` until it is terminal.',
        headers: {
          Location: { description: 'Where to poll the job: `/v1/jobs/{id}`.', required: true, schema: { type: 'string', format: 'uri-reference' } },
          'Idempotent-Replayed': headerRef('Idempotent-Replayed'),
          'Preference-Applied': headerRef('Preference-Applied'),
          ...requestIdHeader(),
        },
        content: json(schemaRef('Job'), {
          examples: { queued: { summary: 'Queued, with the duration applied as 4.875 s', value: CREATED_JOB_EXAMPLE } },
        }),
      },
    }),
  };
}

function getUsage(): DocumentedOperation {
  const day = (name: string, description: string): ParameterObject => ({ name, in: 'query', required: false, description, schema: { type: 'string', format: 'date' } });
  return {
    tags: ['Usage'],
    summary: 'Report spend',
    description:
      "Spend and job counts of the caller's key over whole UTC days, from its bookings in the job store (so every instance answers the same). An admin key (`admin: true` in the routing configuration's `keys`) sees every key. A job counts on the day it was created: its billed figure where the provider reported one, else its estimate (a live job's reservation); creates that no provider took are not counted.",
    parameters: [
      day('from', 'First UTC day, `YYYY-MM-DD` (default: the first day of the current UTC month).'),
      day('to', 'Last UTC day, included (default: the last day of the current UTC month).'),
      { name: 'group_by', in: 'query', required: false, description: '`key` (default), `model` (as requested: alias or direct id) or `provider`.', schema: { type: 'string', enum: ['key', 'model', 'provider'], default: 'key' } },
    ],
    responses: responses('getUsage', {
      200: {
        description: 'The period and one row per group.',
        headers: requestIdHeader(),
        content: json(schemaRef('UsageReport'), {
          examples: {
            byModel: {
              summary: 'A month by model',
              value: { object: 'usage', from: '2026-12-01', to: '2026-12-31', data: [{ group: 'kling-2.5', jobs: 12, amount_usd: 4.41, provider_units: 2400, unit: 'krea_compute_unit' }] },
            },
          },
        }),
      },
    }),
  };
}

function quoteJob(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Quote a job',
    description:
      "Takes the same body as a create and answers what that create would cost, without writing a job or calling a provider: the estimate for the target the router would pick first, and for each fallback target after it. Estimates come from the providers' published prices (Krea's compute-unit tables, valued in USD) or the operator's `prices`; `estimate` is null where no price is known. The same checks as a create apply, with the same errors: a request no target can serve, or that no target can serve within `max_cost_usd`, is refused here too.",
    requestBody: { required: true, content: json(schemaRef('CreateJobRequest')) },
    responses: responses('quoteJob', {
      200: {
        description: 'The estimates, in the order a create would try the targets.',
        headers: requestIdHeader(),
        content: json(schemaRef('Quote'), {
          examples: {
            kling: {
              summary: 'Kling 2.5 for 10 seconds on Krea',
              value: { object: 'quote', model: 'kling-2.5', target: 'krea/kling/kling-2.5', estimate: { amount: 0.736838, currency: 'USD', provider_units: 401, unit: 'krea_compute_unit' }, alternatives: [] },
            },
          },
        }),
      },
    }),
  };
}

function getJob(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Poll a job',
    description:
      'Answers the job from the job store. The gateway polls every live job in the background; when the stored state is older than `POLL_FRESHNESS_MS` (2 s by default), this request refreshes it from the provider first, and concurrent requests for one job share that refresh. A terminal job never changes again and is answered without calling the provider. Any instance sharing the store answers, after any restart.',
    parameters: [JOB_ID_PARAMETER, PREFER_WAIT],
    responses: responses('getJob', {
      200: {
        description: 'The job, in its current state.',
        headers: { ...requestIdHeader(), 'Preference-Applied': headerRef('Preference-Applied') },
        content: json(schemaRef('Job'), {
          examples: {
            completed: { summary: 'Completed', value: COMPLETED_JOB_EXAMPLE },
            in_progress: { summary: 'Generating', value: IN_PROGRESS_JOB_EXAMPLE },
            failed: { summary: 'Failed by the provider', value: FAILED_JOB_EXAMPLE },
          },
        }),
      },
    }),
  };
}

const JOB_ID_PARAMETER = {
  name: 'id',
  in: 'path' as const,
  required: true,
  description: 'The job id from the create (`job_` and up to 60 URL-safe characters). A job of another gateway key, or an unknown id, is a 404 and calls no provider.',
  schema: { type: 'string' as const, pattern: '^job_[A-Za-z0-9_-]{1,60}$' },
};

function listJobs(): DocumentedOperation {
  const query = (name: string, description: string, schema: SchemaObject) => ({ name, in: 'query' as const, required: false, description, schema });
  return {
    tags: ['Jobs'],
    summary: 'List jobs',
    description: 'Your jobs (those created with the same gateway key), newest first, from the job store. Page with `after`: the `last_id` of a page gives the next one while `has_more` is true. Any other query parameter is a 400 naming it.',
    parameters: [
      query('limit', 'How many jobs, 1 to 100.', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
      query('after', 'The id of one of your jobs: the page starts after it.', { type: 'string', pattern: '^job_[A-Za-z0-9_-]{1,60}$' }),
      query('status', 'Only jobs in this state.', schemaRef('JobStatus')),
    ],
    responses: responses('listJobs', {
      200: { description: 'A page of jobs.', headers: requestIdHeader(), content: json(schemaRef('JobList')) },
    }),
  };
}

function cancelJob(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Cancel a job',
    description: 'Asks the provider to cancel the job, then reads it back: the answer is the confirmed state, `cancelled`, or the job as it finished if it finished first. Cancelling a cancelled job answers it again. A completed or failed job is a 409 `job_already_finished`; a provider that cannot cancel (AI/ML API documents no cancel) is a 409 `cancel_not_supported` naming it.',
    parameters: [JOB_ID_PARAMETER],
    responses: responses('cancelJob', {
      200: { description: 'The job after the cancel.', headers: requestIdHeader(), content: json(schemaRef('Job')) },
    }),
  };
}

const PREFER_WAIT = {
  name: 'Prefer',
  in: 'header' as const,
  required: false,
  description: '`wait=N` (1 to 60; more is taken as 60): hold the answer until the job is terminal or N seconds passed. The answer then has `Preference-Applied: wait=N`. It waits on the job store (the gateway polls the provider on its own schedule), so any number of waiting clients costs no extra provider polls.',
  schema: { type: 'string' as const, examples: ['wait=30'] },
};

function streamJobEvents(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Stream a job’s changes',
    description: 'Server-sent events: `event: job` with the job as `data`, once now and again on every change of its status or progress; the stream ends after the terminal event. A `: ping` comment every 15 s keeps it open through proxies. Changes made by any instance arrive within a fraction of a second; the stream costs no provider calls of its own.',
    parameters: [JOB_ID_PARAMETER],
    responses: responses('streamJobEvents', {
      200: { description: 'The event stream.', headers: requestIdHeader(), content: { 'text/event-stream': { schema: { type: 'string' }, example: 'event: job\ndata: {"id":"job_…","status":"in_progress","progress":40,…}\n\n' } } },
    }),
  };
}

/** The video routes' answers: the bytes, a range, or not modified, and their errors. */
function videoResponses(operation: 'getJobContent' | 'getSignedVideo'): ResponsesObject {
  return responses(operation, videoContentResponses());
}

const RANGE_PARAMETER: ParameterObject = { name: 'Range', in: 'header', required: false, description: 'One byte range, e.g. `bytes=0-1048575`; video players send these to seek.', schema: { type: 'string' } };

function getJobContent(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Download a job’s video',
    description:
      'The bytes of the job’s `index`-th video: the gateway’s own copy once it is stored, otherwise streamed from the provider’s URL (while the copy is `pending`, after it `failed`, or without an output store). Supports single-range requests and `HEAD`. To hand a video to a browser, use the signed `url` of the job’s `videos[]` entry instead: it needs no key.',
    parameters: [JOB_ID_PARAMETER, { name: 'index', in: 'query', required: false, description: 'Which video (0 for the first; jobs have one today).', schema: { type: 'integer', minimum: 0, default: 0 } }, RANGE_PARAMETER],
    responses: videoResponses('getJobContent'),
  };
}

function getSignedVideo(): DocumentedOperation {
  return {
    tags: ['Jobs'],
    summary: 'Fetch a video by its signed link',
    description:
      'The link in `videos[].url`: signed by the gateway (HMAC over the job, the index and the expiry) and valid until `expires`, for `OUTPUT_URL_TTL` seconds (24 h by default) after the job was read. No `Authorization` header, so it works in a `<video>` tag; every read of the job gives a fresh link. Same bytes, ranges and headers as the content route.',
    parameters: [
      JOB_ID_PARAMETER,
      { name: 'index', in: 'path', required: true, description: 'Which video (0 for the first).', schema: { type: 'integer', minimum: 0 } },
      { name: 'expires', in: 'query', required: true, description: 'When the link stops working (unix seconds).', schema: { type: 'integer' } },
      { name: 'signature', in: 'query', required: true, description: 'The gateway\'s signature (base64url).', schema: { type: 'string' } },
      RANGE_PARAMETER,
    ],
    responses: videoResponses('getSignedVideo'),
  };
}

function listWebhookDeliveries(): DocumentedOperation {
  return {
    tags: ['Webhooks'],
    summary: 'List a job’s webhook deliveries',
    description: 'Every webhook the job has sent or will send, in order, with each attempt (its time and the receiver’s status or the error) and when the next is due.',
    parameters: [JOB_ID_PARAMETER],
    responses: responses('listWebhookDeliveries', {
      200: { description: 'The deliveries.', headers: requestIdHeader(), content: json(schemaRef('WebhookDeliveryList')) },
    }),
  };
}

function retryWebhookDelivery(): DocumentedOperation {
  return {
    tags: ['Webhooks'],
    summary: 'Send a webhook again',
    description: 'Sends the delivery again, under the same `webhook-id`, as soon as the job’s earlier deliveries are done; usually one that failed (after its retries, or a 410).',
    parameters: [JOB_ID_PARAMETER, { name: 'delivery_id', in: 'path', required: true, description: 'The delivery’s id (its `webhook-id`).', schema: { type: 'string' } }],
    responses: responses('retryWebhookDelivery', {
      202: { description: 'The delivery, due now.', headers: requestIdHeader(), content: json(schemaRef('WebhookDelivery')) },
    }),
  };
}

function receiveProviderCallback(): DocumentedOperation {
  return {
    tags: ['Webhooks'],
    summary: 'A provider’s callback (internal)',
    description: 'With `PUBLIC_URL` set, a provider that calls back (Krea’s `X-Webhook-URL`) is given this per-job path. The call is unsigned, so its body is ignored: it only makes the gateway read the job from the provider at once. A wrong path, or one of a job that has ended, is a 404.',
    'x-internal': true,
    parameters: [
      { name: 'provider', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'job', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
    ],
    responses: responses('receiveProviderCallback', { 204: { description: 'The job is being read from the provider.', headers: requestIdHeader() } }),
  };
}

function listModels(): DocumentedOperation {
  return {
    tags: ['Models'],
    summary: 'List models',
    description: 'Every alias (with its targets in order) and every direct model (with its capabilities, including the JSON Schema of its `provider_options`), and which providers are configured.',
    responses: responses('listModels', {
      200: { description: 'The models.', headers: requestIdHeader(), content: json(schemaRef('ModelList')) },
    }),
  };
}

function getMetrics(): DocumentedOperation {
  return {
    tags: ['Metrics'],
    summary: 'Prometheus metrics',
    description:
      'The gateway\'s counters and histograms in the Prometheus text exposition format 0.0.4 (`Content-Type: text/plain; version=0.0.4; charset=utf-8`): requests by route pattern and status, provider calls by outcome and their durations, finished jobs and their durations, webhook deliveries, video copies, limit rejections and spend. The README lists every metric. Needs `METRICS_TOKEN`; without it configured, this path is a `404` like any unknown one. On Cloudflare Workers every isolate counts for itself, so a scrape shows the isolate that answered it.',
    responses: responses('getMetrics', {
      200: {
        description: 'The metrics, one `# HELP` and `# TYPE` line per metric, then its samples.',
        headers: requestIdHeader(),
        content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP vidgate_jobs_finished_total Jobs that reached a terminal status, counted once per job.\n# TYPE vidgate_jobs_finished_total counter\nvidgate_jobs_finished_total{provider="krea",status="completed"} 3\n' } },
      },
    }),
  };
}

function getHealth(): DocumentedOperation {
  return {
    tags: ['Health'],
    summary: 'Health check',
    responses: responses('getHealth', {
      200: { description: 'The gateway is up.', headers: requestIdHeader(), content: json(schemaRef('Health')) },
    }),
  };
}

function getOpenApiDocument(): DocumentedOperation {
  return {
    tags: ['Reference'],
    summary: 'This OpenAPI document',
    responses: responses('getOpenApiDocument', {
      200: { description: 'The OpenAPI 3.1 document.', headers: requestIdHeader(), content: json({ type: 'object' }) },
    }),
  };
}

function getApiReference(): DocumentedOperation {
  return {
    tags: ['Reference'],
    summary: 'Interactive API reference',
    description: `An HTML page rendering this document with Scalar (\`${RENDERER_PACKAGE}\` ${RENDERER_VERSION}, pinned). Everything it loads comes from the gateway itself (its script from \`/docs/assets/…\`, then \`/openapi.json\`), so it works offline; its Content-Security-Policy allows no other origin. Without JavaScript it still shows a link to \`/openapi.json\`.`,
    responses: responses('getApiReference', { 200: htmlPage('The reference page.', 'Same-origin scripts, styles, fetches and images only.') }),
  };
}

function getPlayground(): DocumentedOperation {
  return {
    tags: ['Reference'],
    summary: 'Playground',
    description:
      'An HTML page for trying the API: paste a gateway key, pick a model, and the form offers what `GET /v1/models` says that model supports; it creates the job, shows its progress from `GET /v1/jobs/{id}/events` and plays the video. The page holds no key: the key typed into it stays in the tab (sessionStorage) and is sent as `Authorization: Bearer` to this gateway only. Its script is inline and its Content-Security-Policy admits that script by its hash and nothing from another origin, so it works offline.',
    responses: responses('getPlayground', {
      200: htmlPage('The playground page.', 'The page\'s own inline script and style (by hash), same-origin fetches, and videos from this gateway (or over https when copies are off).'),
    }),
  };
}

/** A page the gateway serves, under the Content-Security-Policy described. */
function htmlPage(description: string, policy: string): ResponseObject {
  return {
    description,
    headers: { ...requestIdHeader(), 'Content-Security-Policy': { description: policy, required: true, schema: { type: 'string' } } },
    content: { 'text/html': { schema: { type: 'string' } } },
  };
}

function getDocsAsset(): DocumentedOperation {
  return {
    tags: ['Reference'],
    summary: 'A file of the interactive reference',
    description: `The script \`/docs\` loads: the standalone browser bundle of the pinned renderer, copied from its npm package. Part of the page, not of the API (hidden from the reference by \`x-internal\`): the path carries the renderer's version, which changes when the renderer is updated, and other versions answer \`404\`, so link \`/docs\` rather than this path. On Cloudflare Workers the platform serves these paths from static assets without running the gateway: there the file has no \`X-Request-Id\`, and a path that names no file gets the platform's empty \`404\`.`,
    'x-internal': true,
    parameters: [
      { name: 'version', in: 'path', required: true, description: `The renderer's version, \`${RENDERER_VERSION}\`.`, schema: { type: 'string', enum: [RENDERER_VERSION] } },
      { name: 'file', in: 'path', required: true, description: 'The file name.', schema: { type: 'string', enum: DOCS_ASSETS.map((asset) => asset.name) } },
    ],
    responses: responses('getDocsAsset', {
      200: {
        description: 'The file. Cached for a year and never revalidated: its content changes only with the version in its path.',
        headers: {
          'Cache-Control': { description: 'Immutable caching.', required: true, schema: { type: 'string', const: IMMUTABLE_CACHE_CONTROL } },
          'X-Request-Id': { ...HEADERS['X-Request-Id'], required: false, description: 'Present when the gateway serves the file (on Node); Workers serves it from static assets, without one.' },
        },
        content: { 'text/javascript': { schema: { type: 'string' } } },
      },
    }),
  };
}
