/**
 * Turning what went wrong upstream into gateway errors. Which HTTP answers mean what follows one
 * shared table, overridden by a provider only where it differs (AI/ML API's 403 means out of
 * credits); what that means for clients, retries and double billing is decided here, once, for
 * every provider.
 */
import type { ProviderDefinition, ProviderFailureKind, UpstreamCallKind } from '../../providers/types.ts';
import { upstreamError, type GatewayError } from '../errors.ts';
import { parseRetryAfter } from './retry-policy.ts';

/** What an HTTP status means at most APIs; any other 5xx is `unavailable`, any other 4xx `invalid_request`. */
const SHARED_FAILURE_KINDS: ReadonlyMap<number, ProviderFailureKind> = new Map([
  [400, 'invalid_request'],
  [401, 'auth'],
  [402, 'out_of_credits'],
  [403, 'auth'],
  [404, 'not_found'],
  [408, 'timeout'],
  [422, 'invalid_request'],
  [429, 'rate_limited'],
  [504, 'timeout'],
]);

/** The failure kind of an HTTP status at this provider. */
export function failureKind(provider: ProviderDefinition, status: number): ProviderFailureKind {
  const overrides = provider.httpFailures ?? {};
  if (Object.hasOwn(overrides, status)) return overrides[status]!;
  return SHARED_FAILURE_KINDS.get(status) ?? (status >= 500 ? 'unavailable' : 'invalid_request');
}

/** Connection errors that mean the request never reached the provider, so no job can exist. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * A non-2xx answer as a gateway error. `body` and `headers` were already redacted; only a parsed
 * `Retry-After` travels on, never the header's text.
 */
export function failureFromResponse(
  provider: ProviderDefinition,
  kind: UpstreamCallKind,
  response: { status: number; headers: Headers },
  body: unknown,
  now: number,
): GatewayError {
  const message = provider.errorMessage(body);
  return upstreamError(failureKind(provider, response.status), {
    provider,
    detail: describeAnswer(response.status, message),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
    // A 4xx is the provider refusing the request outright; a 5xx or 408 may come after a job
    // was accepted (the provider documents no "nothing was started" guarantee for those).
    jobNotStarted: kind === 'upload' || (kind === 'create' && response.status >= 400 && response.status < 500 && response.status !== 408),
  });
}

export function failureFromThrown(provider: ProviderDefinition, kind: UpstreamCallKind, error: unknown, timeoutMs: number): GatewayError {
  // An upload that broke off started nothing (it only stores a file), whatever became of it.
  if (isTimeout(error)) {
    return upstreamError('timeout', { provider, detail: `No answer within ${timeoutMs} ms.`, jobNotStarted: kind === 'upload', cause: error });
  }
  const refused = NOT_SENT_CODES.has(errorCode(error) ?? '');
  return upstreamError('network', {
    provider,
    detail: refused ? 'The connection was refused.' : 'The connection failed.',
    jobNotStarted: refused || kind === 'upload',
    cause: error,
  });
}

function describeAnswer(status: number, message: string | undefined): string {
  const said = message ? `: ${JSON.stringify(message.slice(0, 500))}` : '';
  return `(HTTP ${status}${said})`;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Node/undici put the system error code on `cause` (sometimes inside an AggregateError). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string') return candidate.code;
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return undefined;
}
