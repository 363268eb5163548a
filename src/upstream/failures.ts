/**
 * Turning what went wrong upstream into gateway errors. Which HTTP answers mean what is the
 * provider's knowledge (its `classifyHttpError` table); what that means for clients, retries and
 * double billing is decided here, once, for every provider.
 */
import type { ProviderDefinition, ProviderFailureKind, UpstreamCallKind } from '../../providers/types.ts';
import { upstreamError, type GatewayError, type UpstreamErrorKind } from '../errors.ts';

/** Connection errors that mean the request never reached the provider, so no job can exist. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH']);

const KIND_BY_FAILURE: Record<ProviderFailureKind, UpstreamErrorKind> = {
  invalid_request: 'invalid_request',
  auth: 'auth',
  out_of_credits: 'out_of_credits',
  rate_limited: 'rate_limited',
  not_found: 'not_found',
  unavailable: 'unavailable',
  timeout: 'timeout',
};

export function failureFromResponse(
  provider: ProviderDefinition,
  kind: UpstreamCallKind,
  response: Response,
  text: string,
  redact: (text: string) => string,
): GatewayError {
  const failure = provider.classifyHttpError(response.status, parseLoosely(text));
  const retryAfter = response.headers.get('retry-after');
  return upstreamError(KIND_BY_FAILURE[failure.kind], {
    provider,
    detail: describeAnswer(response.status, failure.message, redact),
    headers: retryAfter ? { 'Retry-After': retryAfter } : undefined,
    // A 4xx is the provider refusing the request outright; a 5xx or 408 may come after a job
    // was accepted (the provider documents no "nothing was started" guarantee for those).
    jobNotStarted: kind === 'create' && response.status >= 400 && response.status < 500 && response.status !== 408,
  });
}

export function failureFromThrown(provider: ProviderDefinition, error: unknown, timeoutMs: number): GatewayError {
  if (isTimeout(error)) {
    return upstreamError('timeout', { provider, detail: `No answer within ${timeoutMs} ms.`, cause: error });
  }
  const notSent = NOT_SENT_CODES.has(errorCode(error) ?? '');
  return upstreamError('network', {
    provider,
    detail: notSent ? 'The connection was refused.' : 'The connection failed.',
    jobNotStarted: notSent,
    cause: error,
  });
}

function describeAnswer(status: number, message: string | undefined, redact: (text: string) => string): string {
  const said = message ? `: ${JSON.stringify(redact(message).slice(0, 500))}` : '';
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

function parseLoosely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
