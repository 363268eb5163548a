/**
 * Core's side of every provider call: URL and auth, timeouts, the retry policy, and turning
 * non-2xx answers, malformed bodies and network failures into gateway errors that name the
 * provider. Adapters get a {@link ProviderContext} and never see keys, base URLs or fetch.
 */
import type * as z from 'zod';
import type { ProviderContext, ProviderDefinition, UpstreamRequest, UpstreamResponse } from '../../providers/types.ts';
import { GatewayError, upstreamError } from '../errors.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { DEFAULT_POLICY, isRetryable, nextDelay, parseRetryAfter, timeoutFor, type UpstreamPolicy } from './retry-policy.ts';
import { failureFromResponse, failureFromThrown } from './failures.ts';

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
}

/** The runtime's pieces every upstream call uses, injected by the runtime entry. */
export interface Transport {
  fetch: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Logger;
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

/** Upstream bodies larger than this are treated as malformed rather than buffered. */
const MAX_BODY_CHARS = 2_000_000;

export function createProviderContext(options: ProviderContextOptions): ProviderContext {
  const requestId = options.requestId ?? crypto.randomUUID();
  return {
    requestId,
    send: (request) => sendWithRetries(options, requestId, request),
    parse: <T>(schema: z.ZodType<T>, body: unknown, what: string) => parseUpstream(options.provider, schema, body, what),
  };
}

async function sendWithRetries(options: ProviderContextOptions, requestId: string, request: UpstreamRequest): Promise<UpstreamResponse> {
  const policy = options.policy ?? DEFAULT_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(options, requestId, request, attempt);
    } catch (error) {
      if (!(error instanceof GatewayError) || !isRetryable(request.kind, error)) throw error;
      const retryAfter = parseRetryAfter(error.headers['Retry-After'], (options.now ?? Date.now)());
      const delay = nextDelay(attempt, retryAfter, policy);
      if (delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

async function sendOnce(
  options: ProviderContextOptions,
  requestId: string,
  request: UpstreamRequest,
  attempt: number,
): Promise<UpstreamResponse> {
  const { provider } = options;
  const timeoutMs = timeoutFor(request.kind, options.policy ?? DEFAULT_POLICY);
  const started = (options.now ?? Date.now)();
  const log = (status: number | string) =>
    (options.log ?? silentLogger)('upstream', {
      request_id: requestId,
      provider: provider.name,
      kind: request.kind,
      method: request.method,
      path: request.path,
      attempt,
      status,
      ms: (options.now ?? Date.now)() - started,
    });
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(buildUrl(options.baseUrl, request), {
      method: request.method,
      headers: buildHeaders(options, request),
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const failure = failureFromThrown(provider, error, timeoutMs);
    log(failure.code);
    throw failure;
  }
  log(response.status);
  if (!response.ok) throw failureFromResponse(provider, request.kind, response, text, redactor(options.apiKey));
  return { status: response.status, headers: response.headers, body: parseJsonBody(provider, text) };
}

/** Providers sometimes echo what they were sent; a key must not travel on in an error message. */
function redactor(apiKey: string): (text: string) => string {
  return (text) => (apiKey ? text.split(apiKey).join('[redacted]') : text);
}

function buildUrl(baseUrl: string, request: UpstreamRequest): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

function buildHeaders(options: ProviderContextOptions, request: UpstreamRequest): Record<string, string> {
  return {
    accept: 'application/json',
    ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...request.headers,
    ...options.provider.auth(options.apiKey),
  };
}

function parseJsonBody(provider: ProviderDefinition, text: string): unknown {
  if (text === '') return undefined;
  if (text.length > MAX_BODY_CHARS) throw badResponse(provider, 'The body was too large.');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw badResponse(provider, 'The body was not valid JSON.', cause);
  }
}

function parseUpstream<T>(provider: ProviderDefinition, schema: z.ZodType<T>, body: unknown, what: string): T {
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
