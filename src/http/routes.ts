/**
 * Every route the gateway serves, declared once: the app registers its handlers under these
 * methods and paths, and the OpenAPI document describes exactly these (a contract test checks that
 * the app serves nothing else). Paths use Hono's syntax (`:id`).
 */
export const ROUTES = {
  createJob: { method: 'post', path: '/v1/jobs', auth: true },
  quoteJob: { method: 'post', path: '/v1/jobs/quote', auth: true },
  listJobs: { method: 'get', path: '/v1/jobs', auth: true },
  getJob: { method: 'get', path: '/v1/jobs/:id', auth: true },
  cancelJob: { method: 'post', path: '/v1/jobs/:id/cancel', auth: true },
  streamJobEvents: { method: 'get', path: '/v1/jobs/:id/events', auth: true },
  getJobContent: { method: 'get', path: '/v1/jobs/:id/content', auth: true },
  listWebhookDeliveries: { method: 'get', path: '/v1/jobs/:id/webhook-deliveries', auth: true },
  retryWebhookDelivery: { method: 'post', path: '/v1/jobs/:id/webhook-deliveries/:delivery_id/retry', auth: true },
  getSignedVideo: { method: 'get', path: '/outputs/:id/:index', auth: false },
  receiveProviderCallback: { method: 'post', path: '/webhooks/:provider/:job/:token', auth: false },
  listModels: { method: 'get', path: '/v1/models', auth: true },
  getUsage: { method: 'get', path: '/v1/usage', auth: true },
  createVideo: { method: 'post', path: '/v1/videos', auth: true },
  listVideos: { method: 'get', path: '/v1/videos', auth: true },
  getVideo: { method: 'get', path: '/v1/videos/:id', auth: true },
  deleteVideo: { method: 'delete', path: '/v1/videos/:id', auth: true },
  getVideoContent: { method: 'get', path: '/v1/videos/:id/content', auth: true },
  getHealth: { method: 'get', path: '/healthz', auth: false },
  getOpenApiDocument: { method: 'get', path: '/openapi.json', auth: false },
  getApiReference: { method: 'get', path: '/docs', auth: false },
  getDocsAsset: { method: 'get', path: '/docs/assets/:version/:file', auth: false },
  getPlayground: { method: 'get', path: '/playground', auth: false },
  /** Prometheus metrics: no gateway key, but `METRICS_TOKEN` (a 404 without it). */
  getMetrics: { method: 'get', path: '/metrics', auth: false },
} as const satisfies Record<string, RouteDeclaration>;

export interface RouteDeclaration {
  method: 'get' | 'post' | 'delete';
  path: string;
  /** Whether the route needs a gateway key (everything under `/v1`). */
  auth: boolean;
}

export type OperationId = keyof typeof ROUTES;

/** The prefix of the OpenAI-shaped routes, whose errors come in OpenAI's envelope. */
export const OPENAI_SHAPED_PREFIX = '/v1/videos';

/** The prefix under which every route needs a gateway key. */
export const AUTHENTICATED_PREFIX = '/v1/';

/** A route path in OpenAPI's syntax: `/v1/jobs/:id` → `/v1/jobs/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}');
}
