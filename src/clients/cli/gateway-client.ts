/**
 * The gateway's HTTP API as the CLI uses it, over plain `fetch`. (Hono's typed `hc<AppType>` would type
 * the requests, but importing `AppType`, even as a type, compiles the whole server into the package
 * build, and its error answers are untyped anyway; the answers the CLI reads are in wire-types.ts.)
 *
 * Every failure becomes a {@link CliError} with its exit code: an error answer by its status and
 * envelope (exit-codes.ts), a connection that fails or a gateway that does not answer in time as
 * unreachable (4). An aborted `signal` (Ctrl-C) rejects with the signal's reason, untouched.
 */
import { CliError, EXIT, exitCodeForAnswer, unreachable, type ErrorDetail } from './exit-codes.ts';
import { serverSentEvents } from './sse.ts';
import type { CreateJobRequest, ErrorEnvelope, Job, JobList, ModelList } from './wire-types.ts';

/** How long the gateway may take to start answering (a create with a large image included). */
const ANSWER_TIMEOUT_MS = 60_000;

export interface GatewaySettings {
  /** The gateway's base URL (may have a path prefix). */
  url: URL;
  /** The gateway key; without one, requests go without `Authorization` and the gateway answers 401. */
  apiKey: string | undefined;
  userAgent: string;
}

export interface ListQuery {
  status?: string;
  limit?: number;
  after?: string;
}

export type GatewayClient = ReturnType<typeof gatewayClient>;

export function gatewayClient(settings: GatewaySettings) {
  const send = (method: string, path: string, init: { body?: unknown; accept?: string; signal?: AbortSignal } = {}) => request(settings, method, path, init);
  const json = async <T>(response: Response): Promise<T> => {
    try {
      return (await response.json()) as T;
    } catch {
      throw notVidgate(settings.url, response.status);
    }
  };
  const job = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;
  return {
    /** Where requests go, without any credentials the URL held: safe to print. */
    origin: printable(settings.url),
    createJob: async (body: CreateJobRequest, signal?: AbortSignal) => json<Job>(await send('POST', '/v1/jobs', { body, signal })),
    getJob: async (id: string, signal?: AbortSignal) => json<Job>(await send('GET', job(id), { signal })),
    cancelJob: async (id: string, signal?: AbortSignal) => json<Job>(await send('POST', `${job(id)}/cancel`, { signal })),
    listJobs: async (query: ListQuery, signal?: AbortSignal) => json<JobList>(await send('GET', `/v1/jobs${queryString(query)}`, { signal })),
    listModels: async (signal?: AbortSignal) => json<ModelList>(await send('GET', '/v1/models', { signal })),
    /** The job now and on every change, until the stream ends (after the terminal event, or early if the gateway goes away). */
    async *jobEvents(id: string, signal?: AbortSignal): AsyncGenerator<Job> {
      const response = await send('GET', `${job(id)}/events`, { accept: 'text/event-stream', signal });
      if (!response.body) return;
      try {
        for await (const event of serverSentEvents(response.body)) {
          if (event.event === 'job') yield JSON.parse(event.data) as Job;
        }
      } catch (error) {
        throw readFailure(settings.url, error, signal);
      }
    },
    /** The video's bytes (`GET /v1/jobs/{id}/content`), as a response whose body is still to be read. */
    content: (id: string, index: number, signal?: AbortSignal) => send('GET', `${job(id)}/content?index=${index}`, { accept: 'video/*', signal }),
    /** What an error while reading an answer's body (a connection cut mid-download) means for the CLI. */
    readFailure: (error: unknown, signal?: AbortSignal) => readFailure(settings.url, error, signal),
  };
}

async function request(settings: GatewaySettings, method: string, path: string, init: { body?: unknown; accept?: string; signal?: AbortSignal }): Promise<Response> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new AnswerTimeout()), ANSWER_TIMEOUT_MS);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
  try {
    const response = await fetch(urlFor(settings.url, path), {
      method,
      headers: {
        accept: init.accept ?? 'application/json',
        'user-agent': settings.userAgent,
        ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
    if (!response.ok) throw await answerError(settings.url, response);
    return response;
  } catch (error) {
    throw readFailure(settings.url, error, init.signal);
  } finally {
    // The deadline covers the wait for an answer, not the reading of a long body (a video, an event stream).
    clearTimeout(timer);
  }
}

class AnswerTimeout extends Error {}

/** Ctrl-C's reason as it was; a CliError as it is; anything else is the network failing under us. */
function readFailure(base: URL, error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof CliError) return error;
  return connectionError(base, error);
}

/** The base URL joined with an API path, keeping any path prefix the base has (`https://host/vidgate/`). */
function urlFor(base: URL, path: string): URL {
  const url = new URL(base);
  const [pathname, search] = path.split('?');
  url.pathname = base.pathname.replace(/\/+$/, '') + pathname;
  url.search = search ? `?${search}` : '';
  return url;
}

function queryString(query: ListQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The gateway's error envelope as a CliError (its message, code and request id), with a hint where one helps. */
async function answerError(base: URL, response: Response): Promise<CliError> {
  const envelope = await response.json().then((body: unknown) => (isEnvelope(body) ? body : undefined), () => undefined);
  if (!envelope) return notVidgate(base, response.status);
  const { code, message, param, provider, request_id } = envelope.error;
  const detail: ErrorDetail = { code, message, status: response.status, ...(param ? { param } : {}), ...(provider ? { provider } : {}), ...(request_id ? { request_id } : {}) };
  return new CliError(exitCodeForAnswer(response.status, envelope.error), detail, { hints: hintsFor(code, response.headers) });
}

function hintsFor(code: string, headers: Headers): string[] {
  if (code === 'missing_api_key' || code === 'invalid_api_key') return ['Set VIDGATE_API_KEY to one of the gateway\'s keys (GATEWAY_API_KEYS; the sandbox prints its key at start).'];
  if (code === 'unknown_model') return ['`vidgate models` lists the models and aliases this gateway serves.'];
  const retryAfter = headers.get('retry-after');
  return retryAfter ? [`Try again in ${retryAfter} s.`] : [];
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as ErrorEnvelope | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

/** An answer that is not the gateway's: a wrong URL, or a proxy in front of a gateway that is down. */
function notVidgate(base: URL, status: number): CliError {
  const exitCode = status >= 400 && status < 500 ? EXIT.badInput : EXIT.unreachable;
  return new CliError(exitCode, { code: 'not_a_vidgate_answer', message: `${printable(base)} answered HTTP ${status} without a vidgate error body`, status }, { hints: ['Check VIDGATE_URL: it should be the gateway\'s base URL.'] });
}

function connectionError(base: URL, error: unknown): CliError {
  const where = printable(base);
  if (error instanceof AnswerTimeout) return unreachable('gateway_timeout', `the gateway at ${where} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
  const reason = networkReason(error);
  return unreachable('gateway_unreachable', `cannot reach the gateway at ${where}: ${reason}`, ['Is it running? Set VIDGATE_URL to its address (default http://127.0.0.1:8787).']);
}

/** Why a fetch failed, from the system error under undici's "fetch failed". */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.find((inner) => inner.code)?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    UND_ERR_SOCKET: 'connection closed',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  if (code && reasons[code]) return reasons[code];
  return code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** The URL without user name or password, for messages. */
export function printable(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.href.replace(/\/$/, '');
}
