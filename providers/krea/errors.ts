/**
 * Reading Krea's error answers and job failure reasons. Krea documents `{"error": "<message>"}`
 * bodies, but its own helper also parses validation arrays, and a failed job explains itself in
 * `error` or `result.error` (string or object), so everything here reads defensively.
 */
import { failure, isRecord, messageOf, nonBlank, validationIssues } from '../shared/records.ts';

const VALIDATION_LISTS = ['detail', 'details', 'errors', 'issues'] as const;

/** The message of an error body: `error` (string or `{message}`), `message`, plus any validation details. */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return nonBlank(body);
  if (!isRecord(body)) return undefined;
  const main = messageOf(body.error) ?? messageOf(body.message);
  const details = validationDetails(body);
  if (details.length === 0) return main;
  return main ? `${main}: ${details.join('; ')}` : details.join('; ');
}

function validationDetails(body: Record<string, unknown>): string[] {
  const list = VALIDATION_LISTS.map((key) => body[key]).find(Array.isArray);
  if (list) return validationIssues(list);
  return typeof body.detail === 'string' ? [body.detail] : [];
}

/** Why a Krea job failed: `job.error`, else `job.result.error`; each a string or `{code?, message}`. */
export function jobFailure(job: { error?: unknown; result?: unknown }): { code?: string; message: string } | undefined {
  return failureReason(job.error) ?? failureReason(isRecord(job.result) ? job.result.error : undefined);
}

function failureReason(reason: unknown): { code?: string; message: string } | undefined {
  if (typeof reason === 'string') return failure(undefined, nonBlank(reason) && reason);
  if (!isRecord(reason)) return undefined;
  const code = nonBlank(reason.code);
  return failure(code, messageOf(reason.message) ?? code);
}
