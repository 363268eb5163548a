/**
 * Reading AI/ML API failures: non-2xx answers (error body `{message, path, requestId, statusCode,
 * timestamp}` — A-DOCS `docs/errors-and-messages/general-info.md`) and failed generations, whose
 * `error` is `{name, message}` per the schema but `{detail: [{loc, msg, type, input}]}` in a
 * documented real response (`kling-ai/v1.6-pro-effects.md`).
 */
import type { ProviderFailure, ProviderFailureKind } from '../types.ts';

/** Status codes with a documented meaning (A-DOCS `errors-with-status-code-4xx.md` / `-5xx.md`). */
const KIND_BY_STATUS: Readonly<Record<number, ProviderFailureKind>> = {
  400: 'invalid_request',
  401: 'auth',
  // "You've run out of credits": AI/ML API says 403 where most APIs say 402.
  403: 'out_of_credits',
  404: 'not_found',
  408: 'timeout',
  422: 'invalid_request',
  // Rate limit or concurrency limit; the doc does not tell them apart.
  429: 'rate_limited',
  // "Generation timeout".
  504: 'timeout',
};

/** How core should read a non-2xx answer from AI/ML API. */
export function classifyHttpError(status: number, body: unknown): ProviderFailure {
  const kind = KIND_BY_STATUS[status] ?? (status >= 500 ? 'unavailable' : 'invalid_request');
  const message = errorMessage(body);
  return message === undefined ? { kind } : { kind, message };
}

/**
 * The provider's message from an error body, whichever documented shape it has: `{message}`
 * (string or string[]), `{error: {message}}`, `{error: "…"}` or `{detail: [{msg, loc}]}`.
 */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return nonEmpty(body);
  if (!isRecord(body)) return undefined;
  return (
    textOf(body.message) ??
    (isRecord(body.error) ? textOf(body.error.message) : textOf(body.error)) ??
    detailMessage(body.detail)
  );
}

/**
 * Why a generation failed, from the poll response's `error` field in any documented shape.
 * `undefined` when it says nothing readable (`null`, absent, or an unknown shape).
 */
export function generationFailure(error: unknown): { code?: string; message: string } | undefined {
  if (typeof error === 'string') return withMessage(undefined, nonEmpty(error));
  if (!isRecord(error)) return undefined;
  const detail = Array.isArray(error.detail) ? error.detail : undefined;
  const code = textOf(error.name) ?? (isRecord(detail?.[0]) ? textOf(detail[0].type) : undefined);
  return withMessage(code, textOf(error.message) ?? detailMessage(detail));
}

/** `detail: [{loc: ['body', 'prompt'], msg}]` → `"body.prompt: msg"`, one entry per item. */
function detailMessage(detail: unknown): string | undefined {
  if (!Array.isArray(detail)) return undefined;
  const parts = detail.filter(isRecord).flatMap((item) => {
    const msg = textOf(item.msg);
    if (msg === undefined) return [];
    const loc = Array.isArray(item.loc) ? item.loc.join('.') : '';
    return [loc ? `${loc}: ${msg}` : msg];
  });
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function withMessage(code: string | undefined, message: string | undefined): { code?: string; message: string } | undefined {
  if (message === undefined) return undefined;
  return code === undefined ? { message } : { code, message };
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return nonEmpty(value);
  if (Array.isArray(value)) return nonEmpty(value.filter((item) => typeof item === 'string').join('; '));
  return undefined;
}

function nonEmpty(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
