/** Guards for reading untyped provider JSON without trusting its shape. */

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of a string that says something, trimmed; `undefined` for anything else or blank. */
export function nonBlank(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `value`, or `value.message`, as non-blank text: how providers nest their error messages. */
export function messageOf(value: unknown): string | undefined {
  return nonBlank(value) ?? (isRecord(value) ? nonBlank(value.message) : undefined);
}

/**
 * Validation issues as FastAPI, zod and most APIs list them: strings, or `{loc|path|field, msg|message}`
 * entries, each rendered `"body.prompt: message"`. Empty when the value is not such a list.
 */
export function validationIssues(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map(describeIssue).filter((text): text is string => text !== undefined);
}

function describeIssue(issue: unknown): string | undefined {
  if (typeof issue === 'string') return nonBlank(issue);
  if (!isRecord(issue)) return undefined;
  const message = nonBlank(issue.msg) ?? nonBlank(issue.message);
  if (!message) return undefined;
  const where = issue.loc ?? issue.path ?? issue.field;
  const field = Array.isArray(where) ? where.join('.') : typeof where === 'string' ? where : '';
  return field ? `${field}: ${message}` : message;
}

/** `{code?, message}` with the code left out when there is none (optional keys stay absent). */
export function failure(code: string | undefined, message: string | undefined): { code?: string; message: string } | undefined {
  if (message === undefined) return undefined;
  return code === undefined ? { message } : { code, message };
}
