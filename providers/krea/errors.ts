/**
 * Reading Krea's error answers and job failure reasons. Krea documents `{"error": "<message>"}`
 * bodies, but its own helper also parses validation arrays, and a failed job explains itself in
 * `error` or `result.error` (string or object), so everything here reads defensively.
 */
import type { ProviderFailure, ProviderFailureKind } from '../types.ts';

const KIND_BY_STATUS: Readonly<Record<number, ProviderFailureKind>> = {
  400: 'invalid_request',
  401: 'auth',
  402: 'out_of_credits',
  403: 'auth',
  404: 'not_found',
  408: 'timeout',
  422: 'invalid_request',
  429: 'rate_limited',
  504: 'timeout',
};

const VALIDATION_LISTS = ['detail', 'details', 'errors', 'issues'] as const;

/** How core should read a non-2xx Krea answer. */
export function classifyHttpError(status: number, body: unknown): ProviderFailure {
  const kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'invalid_request');
  const message = errorMessage(body);
  return message === undefined ? { kind } : { kind, message };
}

/** The message of an error body: `error` (string or `{message}`), `message`, plus any validation details. */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (!isRecord(body)) return undefined;
  const main = textOf(body.error) ?? textOf(body.message);
  const details = validationDetails(body);
  if (details.length === 0) return main;
  return main ? `${main}: ${details.join('; ')}` : details.join('; ');
}

function validationDetails(body: Record<string, unknown>): string[] {
  const list = VALIDATION_LISTS.map((key) => body[key]).find(Array.isArray);
  if (!list) return typeof body.detail === 'string' ? [body.detail] : [];
  return list.map(describeIssue).filter((text): text is string => text !== undefined);
}

/** One validation entry: a string, or `{loc|path|field, msg|message}` as FastAPI and zod write them. */
function describeIssue(issue: unknown): string | undefined {
  if (typeof issue === 'string') return issue;
  if (!isRecord(issue)) return undefined;
  const message = textOf(issue.msg) ?? textOf(issue.message);
  if (!message) return undefined;
  const where = issue.loc ?? issue.path ?? issue.field;
  const field = Array.isArray(where) ? where.join('.') : typeof where === 'string' ? where : '';
  return field ? `${field}: ${message}` : message;
}

/** Why a Krea job failed: `job.error`, else `job.result.error`; each a string or `{code?, message}`. */
export function jobFailure(job: { error?: unknown; result?: unknown }): { code?: string; message: string } | undefined {
  return failureReason(job.error) ?? failureReason(isRecord(job.result) ? job.result.error : undefined);
}

function failureReason(reason: unknown): { code?: string; message: string } | undefined {
  if (typeof reason === 'string') return reason.trim() ? { message: reason } : undefined;
  if (!isRecord(reason)) return undefined;
  const code = typeof reason.code === 'string' && reason.code ? reason.code : undefined;
  const message = textOf(reason.message) ?? code;
  if (message === undefined) return undefined;
  return code === undefined ? { message } : { code, message };
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (isRecord(value) && typeof value.message === 'string') return value.message.trim() || undefined;
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
