/**
 * Core's side of every provider call: URL and auth, timeouts, the retry policy, and turning
 * non-2xx answers, malformed bodies and network failures into gateway errors that name the
 * provider. Adapters get a {@link ProviderContext} and never see keys, base URLs or fetch.
 */
import type { Schema } from '../validation/schema.ts';
import type { ProviderContext, ProviderDefinition, UpstreamRequest, UpstreamResponse } from '../../providers/types.ts';
import { GatewayError, upstreamError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { DEFAULT_POLICY, isRetryable, nextDelay, timeoutFor, type UpstreamPolicy } from './retry-policy.ts';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../security/json-shape.ts';
import { BodyTooLargeError, MAX_UPSTREAM_BODY_BYTES, readBodyCapped, redactDeep, redactHeaders, redactor } from './response-body.ts';
import { failureFromResponse, failureFromThrown } from './failures.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { upstreamOutcome } from '../metrics/upstream-outcome.ts';

export interface ProviderContextOptions {
  provider: ProviderDefinition;
  apiKey: string;
  baseUrl: string;
  fetch?: typeof fetch;
  requestId?: string;
  policy?: UpstreamPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Logger;
  metrics?: Pick<GatewayMetrics, 'upstreamCall'>;
}

/** The runtime's pieces every upstream call uses, injected by the runtime entry. */
export interface Transport {
  fetch: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Logger;
  /** Counts and times every attempt (`vidgate_upstream_*`). */
  metrics?: Pick<GatewayMetrics, 'upstreamCall'>;
}

/** A usable provider's key, base URL and call policy. */
export interface Connection {
  apiKey: string;
  baseUrl: string;
  policy: UpstreamPolicy;
}

/** The context a provider's verbs get for one gateway request. */
export function contextFor(provider: ProviderDefinition, connection: Connection, requestId: string, transport: Transport): ProviderContext {
  return createProviderContext({ provider, ...connection, requestId, ...transport });
}

export function createProviderContext(options: ProviderContextOptions): ProviderContext {
  const requestId = options.requestId ?? crypto.randomUUID();
  const redact = redactor([options.apiKey]);
  return {
    requestId,
    send: (request) => sendWithRetries(options, redact, requestId, request),
    parse: <T>(schema: Schema<T, any>, body: unknown, what: string) => parseUpstream(options.provider, schema, body, what),
  };
}

type Redact = (text: string) => string;

async function sendWithRetries(options: ProviderContextOptions, redact: Redact, requestId: string, request: UpstreamRequest): Promise<UpstreamResponse> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  const encoded = await encodeBody(request);
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(options, redact, requestId, request, encoded, attempt);
    } catch (error) {
      if (!(error instanceof GatewayError) || !isRetryable(request.kind, error)) throw error;
      const delay = nextDelay(attempt, error.retryAfterMs, policy);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

/** A request body as bytes or text with its media type, encoded once for every attempt. */
interface EncodedBody {
  content: string | ArrayBuffer;
  contentType: string;
}

/**
 * JSON as text; a form as multipart bytes. The form is encoded here, by the platform's `Response`,
 * rather than handed to the runtime's fetch: Node's upstream fetch is undici's own, which does not
 * recognise the global `FormData` class and would send it as `[object FormData]`.
 */
async function encodeBody(request: UpstreamRequest): Promise<EncodedBody | undefined> {
  if (request.form) {
    const multipart = new Response(request.form);
    return { content: await multipart.arrayBuffer(), contentType: multipart.headers.get('content-type')! };
  }
  return request.body === undefined ? undefined : { content: JSON.stringify(request.body), contentType: 'application/json' };
}

/** One attempt, counted and timed in the metrics however it ends. */
async function sendOnce(options: ProviderContextOptions, redact: Redact, requestId: string, request: UpstreamRequest, encoded: EncodedBody | undefined, attempt: number): Promise<UpstreamResponse> {
  const now = options.now ?? Date.now;
  const started = now();
  const answered: AnsweredStatus = {};
  const record = (failure?: unknown) =>
    options.metrics?.upstreamCall(options.provider.name, request.kind, upstreamOutcome(answered.status, failure), Math.max(0, now() - started) / 1000);
  try {
    const response = await exchange(options, redact, requestId, request, encoded, attempt, answered);
    record();
    return response;
  } catch (error) {
    record(error);
    throw error;
  }
}

/** The provider's HTTP status, once it has answered (a failure after that is named by it). */
interface AnsweredStatus {
  status?: number;
}

async function exchange(options: ProviderContextOptions, redact: Redact, requestId: string, request: UpstreamRequest, encoded: EncodedBody | undefined, attempt: number, answered: AnsweredStatus): Promise<UpstreamResponse> {
  const { provider } = options;
  const now = options.now ?? Date.now;
  const timeoutMs = timeoutFor(request.kind, options.policy ?? DEFAULT_POLICY);
  const started = now();
  const log = (status: number | string) =>
    (options.log ?? silentLogger)('upstream', { request_id: requestId, provider: provider.name, kind: request.kind, method: request.method, path: request.path, attempt, status, ms: now() - started });
  let response: Response;
  let bytes: Uint8Array;
  try {
    response = await (options.fetch ?? fetch)(buildUrl(options.baseUrl, request), {
      method: request.method,
      headers: buildHeaders(options, request, encoded),
      body: encoded?.content,
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect could send the request (and its prompt) to any host; none is ever followed.
      redirect: 'manual',
    });
    answered.status = response.status;
    if (isRedirect(response.status)) await response.body?.cancel();
    bytes = isRedirect(response.status) ? new Uint8Array() : await readBodyCapped(response, MAX_UPSTREAM_BODY_BYTES);
  } catch (error) {
    const failure = error instanceof BodyTooLargeError ? badResponse(provider, `The answer was larger than ${MAX_UPSTREAM_BODY_BYTES} bytes.`) : failureFromThrown(provider, request.kind, error, timeoutMs);
    log(failure.code);
    throw failure;
  }
  log(response.status);
  if (isRedirect(response.status)) throw badResponse(provider, `It answered with a redirect (HTTP ${response.status}), which the gateway never follows.`);
  const headers = redactHeaders(response.headers, redact);
  const parsed = parseBody(bytes);
  if (jsonShapeProblem(parsed)?.kind === 'too_deep') throw badResponse(provider, `The answer was nested more than ${MAX_JSON_DEPTH} levels deep.`);
  const body = parsed instanceof NotJson ? redact(parsed.text) : redactDeep(parsed, redact);
  if (!response.ok) throw failureFromResponse(provider, request.kind, { status: response.status, headers }, body, now());
  if (parsed instanceof NotJson) throw badResponse(provider, 'The body was not valid JSON.');
  return { status: response.status, headers, body };
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** A body that did not parse as JSON: kept as text for error messages, refused as a success body. */
class NotJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** One decoder for every answer: `decode` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder();

function parseBody(bytes: Uint8Array): unknown {
  const text = UTF8.decode(bytes);
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return new NotJson(text);
  }
}

function buildUrl(baseUrl: string, request: UpstreamRequest): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

function buildHeaders(options: ProviderContextOptions, request: UpstreamRequest, body: EncodedBody | undefined): Record<string, string> {
  return {
    accept: 'application/json',
    ...(body ? { 'content-type': body.contentType } : {}),
    ...request.headers,
    ...options.provider.auth(options.apiKey),
  };
}

function parseUpstream<T>(provider: ProviderDefinition, schema: Schema<T, any>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw badResponse(provider, `Unexpected ${what}${where}: ${issue?.message ?? 'invalid'}.`);
}

function badResponse(provider: ProviderDefinition, detail: string, cause?: unknown): GatewayError {
  return upstreamError('bad_response', { provider, detail, cause });
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
