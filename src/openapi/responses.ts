/**
 * Response objects: the error responses of each operation, grouped by HTTP status from the error
 * catalog (with the stable codes as a table and as `x-error-codes`), and the common headers.
 */
import type { HeaderObject, ReferenceObject, ResponseObject, ResponsesObject, SchemaObject } from 'openapi3-ts/oas31';
import { ERROR_CODES, type ErrorCodeEntry, type ErrorScope } from '../error-catalog.ts';
import { errorExample, openAIErrorExample } from './examples.ts';
import { schemaRef } from './schemas.ts';

/** What each error status means, before its table of codes. */
const STATUS_SUMMARIES: Record<number, string> = {
  400: 'The request is malformed. Nothing was sent to a provider.',
  401: 'The gateway key is missing or wrong.',
  402: "The job would take the gateway key over its daily or monthly budget. Nothing was sent to a provider; `Retry-After` says when the budget is whole again.",
  403: 'The signed link is not valid.',
  404: 'Not found.',
  410: 'The signed link has expired.',
  416: 'The range cannot be served.',
  409: 'The request conflicts with the job\'s state or with a create still in flight.',
  413: 'The body is too large.',
  408: 'The request did not arrive in time.',
  414: 'The URL is too long.',
  415: 'The body is not JSON.',
  417: 'The expectation in `Expect` cannot be met.',
  422: 'The request is well-formed but cannot be served as asked: the model cannot do it (nothing was sent to a provider), or the provider refused it.',
  431: 'The request line and headers are too large.',
  429: "The gateway key is over its own rate or concurrency limit (nothing was sent), or the provider is rate limiting or at its concurrency limit. Wait for `Retry-After` seconds.",
  500: 'The gateway failed.',
  502: 'The provider misbehaved, or rejected the gateway\'s own credentials.',
  503: 'The provider or target cannot be used right now, or is not set up on this gateway.',
  504: 'The provider did not answer in time. A create that timed out is never retried by the gateway, since the job may exist at the provider.',
};

/** Reusable headers, under `components/headers`. */
export const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description: 'Identifies the request in the gateway\'s logs; the same value as `error.request_id`.',
    required: true,
    schema: { type: 'string', pattern: '^req_[0-9a-f]{32}$' },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying (delay-seconds, at least 1): on every 429, and on 409s and 503s that will clear by themselves.',
    required: false,
    schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
  },
  'Preference-Applied': {
    description: 'Present (`wait=N`) when the answer was held for `Prefer: wait=N`.',
    required: false,
    schema: { type: 'string', pattern: '^wait=[0-9]+$' },
  },
  'Idempotent-Replayed': {
    description: 'Present (`true`) when the answer repeats an earlier create with the same `Idempotency-Key` and body: no new job was made.',
    required: false,
    schema: { type: 'string', const: 'true' },
  },
  'WWW-Authenticate': {
    description: 'The authentication scheme to use.',
    required: true,
    schema: { type: 'string', const: 'Bearer' },
  },
};

export function headerRef(name: keyof typeof HEADERS & string): ReferenceObject {
  return { $ref: `#/components/headers/${name}` };
}

/**
 * `X-Request-Id` is on every answer of the app; `entries` are the error codes a response can carry,
 * and those answered before the app ran (see {@link ErrorCodeEntry.beforeApp}) come without it.
 */
export function requestIdHeader(entries: readonly ErrorCodeEntry[] = []): Record<string, HeaderObject | ReferenceObject> {
  const beforeApp = entries.filter((entry) => entry.beforeApp).map((entry) => `\`${entry.code}\``);
  if (beforeApp.length === 0) return { 'X-Request-Id': headerRef('X-Request-Id') };
  const description = `Present unless the answer came before the app ran (${beforeApp.join(', ')}).`;
  return { 'X-Request-Id': { ...HEADERS['X-Request-Id'], required: false, description } };
}

function errorHeaders(status: number, entries: readonly ErrorCodeEntry[]): Record<string, HeaderObject | ReferenceObject> {
  return {
    ...requestIdHeader(entries),
    ...(status === 401 ? { 'WWW-Authenticate': headerRef('WWW-Authenticate') } : {}),
    ...(status === 409 || status === 429 || status === 503 ? { 'Retry-After': headerRef('Retry-After') } : {}),
    ...(status === 416 ? { 'Content-Range': { description: 'The video\'s size, as `bytes */<size>`.', required: true, schema: { type: 'string', pattern: '^bytes \\*/[0-9]+$' } } } : {}),
    ...(status !== 401 && status !== 404 ? { 'Idempotent-Replayed': headerRef('Idempotent-Replayed') } : {}),
  };
}

function codeTable(entries: readonly ErrorCodeEntry[]): string {
  const rows = entries.map((entry) => `| \`${entry.code}\` | ${entry.when}${entry.retryable ? ' Retrying later may succeed.' : ''} |`);
  return ['| code | when |', '|---|---|', ...rows].join('\n');
}

/** The gateway's envelope, or OpenAI's on the OpenAI-shaped routes (with `x-should-retry`). */
export type Envelope = 'gateway' | 'openai';

const SHOULD_RETRY: HeaderObject = {
  description: '`true` when the same request may succeed later and cannot start a second billed job, else `false`; the `openai` SDK obeys it instead of retrying every 408, 409, 429 and 5xx.',
  required: true,
  schema: { type: 'string', enum: ['true', 'false'] },
};

/** One error response: the envelope, the codes it can carry, an example. */
export function errorResponse(status: number, entries: readonly ErrorCodeEntry[], envelope: Envelope = 'gateway'): ResponseObject {
  const summary = STATUS_SUMMARIES[status];
  if (!summary) throw new Error(`No summary for HTTP ${status}; add one to STATUS_SUMMARIES.`);
  const openAI = envelope === 'openai';
  return {
    description: `${summary}\n\n${codeTable(entries)}`,
    'x-error-codes': entries.map((entry) => entry.code),
    headers: { ...errorHeaders(status, entries), ...(openAI ? { 'x-should-retry': SHOULD_RETRY } : {}) },
    content: { 'application/json': openAI ? { schema: schemaRef('OpenAIErrorEnvelope'), example: openAIErrorExample(entries) } : { schema: schemaRef('ErrorEnvelope'), example: errorExample(entries) } },
  };
}

/** Every error response an operation can give, from the scopes its errors can arise in. */
export function errorResponses(scopes: readonly ErrorScope[], envelope: Envelope = 'gateway'): ResponsesObject {
  const byStatus = new Map<number, ErrorCodeEntry[]>();
  for (const entry of ERROR_CODES) {
    if (scopes.includes(entry.scope)) byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), entry]);
  }
  const statuses = [...byStatus.keys()].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => [String(status), errorResponse(status, byStatus.get(status)!, envelope)]));
}

/** What every route serving a video's bytes answers with when it can: the whole video, a range, or not modified. */
export function videoContentResponses(): ResponsesObject {
  const bytes = { 'video/*': { schema: { type: 'string', contentEncoding: 'binary' } as SchemaObject } };
  const common = {
    ...requestIdHeader(),
    'Content-Type': { description: 'The video\'s media type (`video/mp4`, …).', schema: { type: 'string' } },
    'Content-Length': { description: 'Bytes in this answer.', schema: { type: 'string', pattern: '^[0-9]+$' } },
    'Accept-Ranges': { description: '`bytes`: single `Range` requests are answered with 206.', schema: { type: 'string' } },
    ETag: { description: 'The copy\'s SHA-256 in quotes (send it as `If-None-Match` or `If-Range`). Passed through from the provider while there is no copy.', schema: { type: 'string' } },
  };
  return {
    200: { description: 'The whole video: the gateway\'s copy when `storage` is `stored`, else streamed from the provider\'s URL.', headers: common, content: bytes },
    206: {
      description: 'The requested range (`Range: bytes=start-end`, `bytes=start-` or `bytes=-suffix`; one range per request).',
      headers: { ...common, 'Content-Range': { description: '`bytes start-end/size`.', required: true, schema: { type: 'string' } } },
      content: bytes,
    },
    304: { description: 'The `If-None-Match` ETag still matches; no body.', headers: requestIdHeader() },
  };
}
