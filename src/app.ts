/**
 * The gateway as a Hono app, built from injected dependencies (providers, job store, fetch, clock,
 * logger) so the same code serves Node and Workers. Errors are rendered in exactly one place.
 */
import type { Context } from 'hono';
import { HonoBase, type HonoOptions } from 'hono/hono-base';
import { PatternRouter } from 'hono/router/pattern-router';
import type { ProviderDefinition } from '../providers/types.ts';
import type { GatewayConfig } from './config.ts';
import { errorBody, GatewayError, internalError, openAIErrorBody, shouldRetry } from './errors.ts';
import { bearerAuth } from './http/auth.ts';
import { bodyLimit } from './http/body-limit.ts';
import { metricsTokenCheck } from './http/metrics-auth.ts';
import { routeLabel } from './http/route-label.ts';
import { cors } from './http/cors.ts';
import { MAX_URL_LENGTH } from './http/limits.ts';
import { AUTHENTICATED_PREFIX, OPENAI_SHAPED_PREFIX, ROUTES } from './http/routes.ts';
import { jsonBody } from './http/request-body.ts';
import { carriesRequestId, jsonAnswer, REQUEST_ID_HEADER } from './http/json-answer.ts';
import { newRequestId } from './http/request-id.ts';
import { originOf as originOfUrl } from './http/request-url.ts';
import { IDEMPOTENCY_HEADER, idempotencyKeyOf, REPLAYED_HEADER } from './jobs/idempotency.ts';
import { urlLengthLimit } from './http/url-length.ts';
import { createJobService } from './jobs/job-service.ts';
import { linksFor, type LifecycleDeps, type OutputDeps } from './jobs/lifecycle.ts';
import { pageText } from './jobs/list.ts';
import { ownerContent, parseIndex, signedContent } from './outputs/serve.ts';
import { renderJob } from './jobs/render.ts';
import { renderedJobs } from './jobs/rendered-jobs.ts';
import { renderDelivery } from './jobs/webhooks/deliveries.ts';
import { streamJobEvents } from './http/job-events.ts';
import { preferredWait } from './http/prefer.ts';
import type { JobRecord, JobStore } from './jobs/store/job-store.ts';
import { silentLogger, type Logger } from './logger.ts';
import { listModels } from './models-listing.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from './metrics/exposition.ts';
import { docsAssetFor, IMMUTABLE_CACHE_CONTROL, type DocsAssetSource } from './reference/renderer.ts';
import { IMAGE_MEDIA_TYPES } from './security/data-uri.ts';
import { createModelIndex } from './router.ts';
import { createJobRequestSchema } from './schemas/create-job.ts';
import type { Health } from './schemas/health.ts';
import { readVideoCreate } from './videos/read-request.ts';
import { renderVideo } from './videos/render.ts';
import { createVideoService } from './videos/video-service.ts';
import { staticPageAnswers } from './static-pages/serve.ts';
import type { StaticPages } from './static-pages/static-pages.ts';

export interface AppDeps {
  config: GatewayConfig;
  providers: readonly ProviderDefinition[];
  /** The runtime's upstream fetch (undici with a keep-alive pool on Node, the platform's on Workers). */
  fetch: typeof fetch;
  /** Where jobs live: SQLite or PostgreSQL on Node, Durable Objects on Workers. */
  store: JobStore;
  /** This instance's name in the store's leases (random by default). */
  instanceId?: string;
  now?: () => number;
  log?: Logger;
  /** Backoff waits between upstream retries (tests make them instant). */
  sleep?: (ms: number) => Promise<void>;
  /** The reference page's script (the installed package on Node, static assets on Workers); without it those paths are 404. */
  docsAssets?: DocsAssetSource;
  /** The OpenAPI document, the reference page and the playground page (built in-process on Node, static assets on Workers); without it those paths are 404. */
  staticPages?: StaticPages;
  /** Where finished videos are copied (a directory or S3 on Node, R2 on Workers); without it, videos are the provider's URLs. */
  outputs?: OutputDeps;
  /** What `GET /metrics` shows (a fresh set by default; on Workers, one per isolate). */
  metrics?: GatewayMetrics;
  /**
   * Makes the app's router. Default: Hono's PatternRouter, what the Worker uses: the smallest in
   * the bundle, and about as fast per match as the TrieRouter on these routes (1.6-2.4 µs against
   * 1.9-2.2 µs, measured here). `hono`'s own default, the RegExpRouter with the TrieRouter, is 5 KiB
   * more; Node passes that pair back, one for the GETs and one for the rest (src/node/router.ts):
   * its matching is faster once built.
   */
  router?: () => NonNullable<HonoOptions<Env>['router']>;
}

type Env = { Variables: { requestId: string; owner: string } };

/** The app, and what the runtime's driver needs to drive the same jobs. */
export interface Gateway {
  app: AppType;
  lifecycle: LifecycleDeps;
  /** This instance's metrics (the Node server counts its own refusals in them too). */
  metrics: GatewayMetrics;
}


export function createGateway(deps: AppDeps): Gateway {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? Date.now;
  const models = createModelIndex(deps.providers, deps.config.aliases);
  const instanceId = deps.instanceId ?? `gw_${crypto.randomUUID()}`;
  const metrics = deps.metrics ?? createGatewayMetrics();
  const transport = { fetch: deps.fetch, sleep: deps.sleep, now, log, metrics };
  const jobs = createJobService({ config: deps.config, models, store: deps.store, now, transport, instanceId, log, metrics, ...(deps.outputs ? { outputs: deps.outputs } : {}) });
  return { app: buildApp(deps, models, jobs, log, now), lifecycle: jobs.lifecycle, metrics };
}

export function createApp(deps: AppDeps): AppType {
  return createGateway(deps).app;
}

/**
 * The app with its routes chained, so their types flow into {@link AppType}. `/healthz`,
 * `/openapi.json`, `/docs` and its assets, and `/playground` are public; everything under `/v1` needs a
 * gateway key; `/metrics` needs `METRICS_TOKEN` instead.
 */
function buildApp(deps: AppDeps, models: ReturnType<typeof createModelIndex>, jobs: ReturnType<typeof createJobService>, log: Logger, now: () => number) {
  /** `Prefer: wait=N`: the job once terminal or after N seconds, and the header saying so. */
  const waited = async (c: Context<Env>, record: JobRecord): Promise<{ record: JobRecord; applied: Record<string, string> }> => {
    const seconds = preferredWait(c.req.header('prefer'));
    if (seconds === undefined) return { record, applied: {} };
    return { record: await jobs.waitFor(record, seconds, c.req.raw.signal), applied: { 'Preference-Applied': `wait=${seconds}` } };
  };
  const createSchema = createJobRequestSchema(deps.providers.map((provider) => provider.name));
  /** A job's video links in answers to this request: signed for its origin (or `PUBLIC_URL`), with a new expiry each second. */
  const linksOf = (c: Context<Env>, record: JobRecord) => linksFor(jobs.lifecycle, record, originOf(c));
  /** How jobs are shown in answers to this request. */
  const view = (c: Context<Env>) => (record: JobRecord) => renderJob(record, linksOf(c, record));
  /** The same, kept per frozen record while its links stay the same (a poll's answer). */
  const rendered = renderedJobs();
  const videos = createVideoService({ jobs, models, createSchema, now });
  const asVideo = (record: JobRecord) => renderVideo(record, deps.config.outputs.retentionDays);
  const limitBody = bodyLimit(deps.config.maxBodyBytes, () => payloadTooLarge(deps.config.maxBodyBytes));

  const app = new HonoBase<Env>({ router: deps.router?.() ?? new PatternRouter() });
  app.use('*', async (c, next) => {
    const started = now();
    const requestId = newRequestId();
    c.set('requestId', requestId);
    await next();
    // After the answer, not before: a header set ahead of it makes every answer's headers a `Headers` (src/http/json-answer.ts).
    if (!carriesRequestId(c.res)) c.header(REQUEST_ID_HEADER, requestId);
    log('request', { request_id: c.get('requestId'), method: c.req.method, route: c.req.routePath, status: c.res.status, ms: now() - started });
    jobs.lifecycle.metrics.httpRequest(routeLabel(c), c.res.status);
  });
  // Before routing and authentication: preflights are answered here, and errors below carry CORS headers.
  // Not registered when CORS is off (the default): every layer is a turn of every request.
  if (deps.config.corsOrigins !== 'none') app.use('*', cors(deps.config.corsOrigins));
  // Before routing and authentication, on both runtimes (Node's parser counts the URL within its header limit).
  app.use('*', urlLengthLimit(MAX_URL_LENGTH));
  const pages = staticPageAnswers(deps.staticPages, { maxImageBytes: deps.config.maxImageBytes, imageTypes: IMAGE_MEDIA_TYPES });
  const metricsToken = deps.config.metricsToken;
  const checkMetricsToken = metricsToken === undefined ? undefined : metricsTokenCheck(metricsToken);
  const routes = app
    .get(ROUTES.getHealth.path, (c) => c.json({ status: 'ok' } satisfies Health))
    .get(ROUTES.getOpenApiDocument.path, async (c) => (await pages.openApiDocument(c)) ?? notServed(c))
    .get(ROUTES.getApiReference.path, async (c) => (await pages.docsPage(c)) ?? notServed(c))
    .get(ROUTES.getDocsAsset.path, (c) => serveDocsAsset(c, c.req.param('version'), c.req.param('file'), deps.docsAssets))
    .get(ROUTES.getPlayground.path, async (c) => (await pages.playground(c)) ?? notServed(c))
    .get(ROUTES.getMetrics.path, async (c) => {
      // Without METRICS_TOKEN the route does not exist, as far as anyone can tell.
      if (!checkMetricsToken) throw routeNotFound(c);
      await checkMetricsToken(c.req.header('authorization'));
      return c.body(jobs.lifecycle.metrics.render(), 200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
    })
    .get(ROUTES.getSignedVideo.path, async (c) =>
      answerWith(c, await signedContent(jobs.lifecycle, c.req.param('id'), c.req.param('index'), { expires: c.req.query('expires'), signature: c.req.query('signature') }, c.req.raw)),
    )
    .post(ROUTES.receiveProviderCallback.path, async (c) => {
      const woken = await jobs.wakeUp(c.req.param('provider'), c.req.param('job'), c.req.param('token'));
      if (!woken) throw routeNotFound(c);
      keepAlive(c, woken.reading);
      return c.body(null, 204);
    })
    .use(`${AUTHENTICATED_PREFIX}*`, bearerAuth(deps.config.apiKeys))
    .post(
      ROUTES.createJob.path,
      limitBody,
      jsonBody(createSchema),
      async (c) => {
        const idempotencyKey = idempotencyKeyOf(c.req.header(IDEMPOTENCY_HEADER));
        const created = await jobs.create({ request: c.req.valid('json'), body: await c.req.json(), owner: c.get('owner'), idempotencyKey, requestId: c.get('requestId'), origin: originOf(c) });
        const { record, applied } = await waited(c, created.record);
        const job = view(c)(record);
        return jsonAnswer(c.get('requestId'), job, 202, { Location: `/v1/jobs/${job.id}`, ...(created.replayed ? { [REPLAYED_HEADER]: 'true' } : {}), ...applied });
      },
    )
    .post(ROUTES.quoteJob.path, limitBody, jsonBody(createSchema), async (c) => c.json(await jobs.quote(c.req.valid('json')), 200))
    .get(ROUTES.listJobs.path, async (c) => {
      // Each job as its kept render where there is one (a page read again is mostly the same jobs).
      const page = await jobs.list(c.get('owner'), c.req.queries(), (record) => rendered(record, linksOf(c, record)));
      return jsonAnswer(c.get('requestId'), { ...page, data: page.data.map((item) => item.job) }, 200, undefined, pageText(page));
    })
    .get(ROUTES.getJob.path, async (c) => {
      const { record, applied } = await waited(c, await jobs.get(c.req.param('id'), c.get('owner'), c.get('requestId')));
      const { job, text } = rendered(record, linksOf(c, record));
      return jsonAnswer(c.get('requestId'), job, 200, applied, text);
    })
    .post(ROUTES.cancelJob.path, async (c) => jsonAnswer(c.get('requestId'), view(c)(await jobs.cancel(c.req.param('id'), c.get('owner'), c.get('requestId'))), 200))
    .get(ROUTES.streamJobEvents.path, async (c) => streamJobEvents(c, jobs, await jobs.stored(c.req.param('id'), c.get('owner')), view(c)))
    .get(ROUTES.getJobContent.path, async (c) => {
      const index = parseIndex(c.req.query('index'));
      const record = await jobs.get(c.req.param('id'), c.get('owner'), c.get('requestId'));
      return answerWith(c, await ownerContent(jobs.lifecycle, record, index, c.req.raw));
    })
    .get(ROUTES.listWebhookDeliveries.path, async (c) => c.json(await jobs.deliveries(c.req.param('id'), c.get('owner')), 200))
    .post(ROUTES.retryWebhookDelivery.path, async (c) =>
      c.json(renderDelivery(await jobs.retryDelivery(c.req.param('id'), c.get('owner'), c.req.param('delivery_id'))), 202),
    )
    .get(ROUTES.listModels.path, (c) => c.json(listModels(models, deps.config), 200))
    .get(ROUTES.getUsage.path, async (c) => c.json(await jobs.usage(c.get('owner'), c.req.queries()), 200))
    .post(ROUTES.createVideo.path, limitBody, async (c) => {
      const call = { video: await readVideoCreate(c), owner: c.get('owner'), idempotencyKey: idempotencyKeyOf(c.req.header(IDEMPOTENCY_HEADER)), retryCount: c.req.header('x-stainless-retry-count'), requestId: c.get('requestId'), origin: originOf(c) };
      const created = await videos.create(call);
      return jsonAnswer(c.get('requestId'), asVideo(created.record), 200, created.replayed ? { [REPLAYED_HEADER]: 'true' } : {});
    })
    // The OpenAI SDK's polls: plain-object headers, as the job routes' (src/http/json-answer.ts).
    .get(ROUTES.listVideos.path, async (c) => jsonAnswer(c.get('requestId'), await jobs.listVideos(c.get('owner'), c.req.queries(), asVideo), 200))
    .get(ROUTES.getVideo.path, async (c) => jsonAnswer(c.get('requestId'), asVideo(await jobs.get(c.req.param('id'), c.get('owner'), c.get('requestId'))), 200))
    .delete(ROUTES.deleteVideo.path, async (c) => c.json(await videos.delete(c.req.param('id'), c.get('owner'), c.get('requestId')), 200))
    .get(ROUTES.getVideoContent.path, async (c) => {
      const record = await videos.forContent(c.req.param('id'), c.get('owner'), c.get('requestId'), c.req.queries());
      return answerWith(c, await ownerContent(jobs.lifecycle, record, 0, c.req.raw));
    });

  app.notFound((c) => renderError(c, routeNotFound(c)));
  app.onError((error, c) => {
    const gatewayError = error instanceof GatewayError ? error : internalError(error);
    if (!(error instanceof GatewayError)) log('error', { request_id: c.get('requestId'), message: String(error), stack: error.stack });
    return renderError(c, gatewayError);
  });
  return routes;
}

/** The gateway's routes and their request and response types, for Hono's typed client: `hc<AppType>(url)`. */
export type AppType = ReturnType<typeof buildApp>;

/** A public route whose content this runtime does not have: an unknown route, as far as anyone can tell. */
function notServed(c: Context<Env>): never {
  throw routeNotFound(c);
}

/** A renderer file at the pinned version; any other version or name is an unknown route. */
async function serveDocsAsset(c: Context<Env>, version: string, file: string, source: DocsAssetSource | undefined): Promise<Response> {
  const asset = docsAssetFor(version, file);
  const served = asset && source ? await source(asset, c.req.raw) : undefined;
  if (!asset || !served?.ok) throw routeNotFound(c);
  return c.newResponse(served.body, 200, {
    ...Object.fromEntries(served.headers),
    'content-type': asset.contentType,
    'cache-control': IMMUTABLE_CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
  });
}

/** The origin the request came in on (signed links point back at it unless `PUBLIC_URL` is set). */
function originOf(c: Context): string {
  return originOfUrl(c.req.url);
}

/** A streamed answer built outside Hono, with the headers the middleware set (`X-Request-Id`, CORS). */
function answerWith(c: Context, response: Response): Response {
  return c.newResponse(response.body, response.status as 200, Object.fromEntries(response.headers));
}

function routeNotFound(c: Context<Env>): GatewayError {
  return new GatewayError({ status: 404, code: 'not_found', message: `No route ${c.req.method} ${c.req.path}.` });
}

/** The one place errors become answers: OpenAI's envelope (and `x-should-retry`) on the OpenAI-shaped routes, the gateway's everywhere else. */
function renderError(c: Context<Env>, error: GatewayError): Response {
  if (!isOpenAIShaped(c.req.path)) return c.json(errorBody(error, c.get('requestId')), error.status as 400, error.headers);
  const onCreate = c.req.method === 'POST' && c.req.path === ROUTES.createVideo.path;
  return c.json(openAIErrorBody(error), error.status as 400, { ...error.headers, 'x-should-retry': String(shouldRetry(error, onCreate)) });
}

function isOpenAIShaped(path: string): boolean {
  return path === OPENAI_SHAPED_PREFIX || path.startsWith(`${OPENAI_SHAPED_PREFIX}/`);
}

function payloadTooLarge(limit: number): GatewayError {
  return new GatewayError({ status: 413, code: 'payload_too_large', message: `The body exceeds ${limit} bytes.` });
}

/** Lets work outlive the answer: Workers end an isolate's work with its response unless told; Node just carries on. */
function keepAlive(c: Context, work: Promise<unknown>): void {
  let context: { waitUntil(promise: Promise<unknown>): void } | undefined;
  try {
    context = c.executionCtx;
  } catch {
    // No execution context: not on Workers.
  }
  context?.waitUntil(work);
}
