/**
 * Reading AI/ML API failures: non-2xx answers (error body `{message, path, requestId, statusCode,
 * timestamp}` — A-DOCS `docs/errors-and-messages/general-info.md`) and failed generations, whose
 * `error` is `{name, message}` per the schema but `{detail: [{loc, msg, type, input}]}` in a
 * documented real response (`kling-ai/v1.6-pro-effects.md`).
 */
import { failure, isRecord, messageOf, nonBlank, validationIssues } from '../shared/records.ts';

/**
 * The provider's message from an error body, whichever documented shape it has: `{message}`
 * (string or string[]), `{error: {message}}`, `{error: "…"}` or `{detail: [{msg, loc}]}`.
 */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return nonBlank(body);
  if (!isRecord(body)) return undefined;
  return textOf(body.message) ?? messageOf(body.error) ?? detailMessage(body.detail);
}

/**
 * Why a generation failed, from the poll response's `error` field in any documented shape.
 * `undefined` when it says nothing readable (`null`, absent, or an unknown shape).
 */
export function generationFailure(error: unknown): { code?: string; message: string } | undefined {
  if (typeof error === 'string') return failure(undefined, nonBlank(error));
  if (!isRecord(error)) return undefined;
  const detail = Array.isArray(error.detail) ? error.detail : undefined;
  const code = nonBlank(error.name) ?? (isRecord(detail?.[0]) ? nonBlank(detail[0].type) : undefined);
  return failure(code, textOf(error.message) ?? detailMessage(detail));
}

/** `detail: [{loc: ['body', 'prompt'], msg}]` → `"body.prompt: msg"`, one entry per item. */
function detailMessage(detail: unknown): string | undefined {
  const parts = validationIssues(Array.isArray(detail) ? detail.filter(isRecord) : undefined);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** A message, which AI/ML API sometimes sends as a list of strings. */
function textOf(value: unknown): string | undefined {
  if (Array.isArray(value)) return nonBlank(value.filter((item) => typeof item === 'string').join('; '));
  return nonBlank(value);
}
