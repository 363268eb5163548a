/** Reading and validating a JSON request body into a typed value, with 4xx errors that name the field. */
import type { Context, MiddlewareHandler } from 'hono';
import type * as v from '../validation/index.ts';
import { GatewayError, invalidRequest } from '../errors.ts';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../security/json-shape.ts';

export async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new GatewayError({ status: 415, code: 'unsupported_media_type', message: 'Send the body as JSON with `Content-Type: application/json`.' });
  }
  try {
    return await c.req.json();
  } catch {
    throw invalidRequest('The body is not valid JSON.', undefined, 'invalid_json');
  }
}

/**
 * The `params` of a schema refinement whose failure is not a 400 but its own answer, e.g. a prompt
 * over the gateway-wide limit is the same `422 prompt_too_long` as one over a model's limit.
 */
export interface IssueAnswer {
  status: number;
  code: string;
}

function issueAnswer(issue: v.Issue): IssueAnswer | undefined {
  if (issue.code !== 'custom') return undefined;
  const { status, code } = (issue.params ?? {}) as Partial<IssueAnswer>;
  return typeof status === 'number' && typeof code === 'string' ? { status, code } : undefined;
}

export function validateBody<T extends v.AnySchema>(schema: T, body: unknown): v.Output<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The body must be a JSON object.');
  }
  const shape = jsonShapeProblem(body);
  if (shape?.kind === 'prototype_key') fail(`\`${shape.path}\`: \`__proto__\` is not allowed as a key.`, shape.path);
  if (shape?.kind === 'too_deep') fail(`\`${shape.path}\` is nested more than ${MAX_JSON_DEPTH} levels deep.`, shape.path.split('.')[0]!);
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const param = [...issue.path.map(String), issue.keys[0]].join('.');
    return fail(`Unknown field \`${param}\`.`, param, 'unknown_parameter');
  }
  const param = issue.path.map(String).join('.');
  const answer = issueAnswer(issue);
  if (answer) throw new GatewayError({ ...answer, message: issue.message, param });
  const missing = issue.code === 'invalid_type' && valueAt(body, issue.path) === undefined;
  return missing ? fail(`\`${param}\` is required.`, param, 'missing_parameter') : fail(`\`${param}\`: ${issue.message}`, param);
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), body);
}

function fail(message: string, param: string, code?: string): never {
  throw invalidRequest(message, param || undefined, code);
}

/** The request and validated types of a JSON body, as Hono's typed client (`hc`) reads them. */
type JsonBodyTypes<T extends v.AnySchema> = { in: { json: v.Input<T> }; out: { json: v.Output<T> } };

/**
 * Middleware reading and validating the JSON body (the errors of {@link readJsonBody} and
 * {@link validateBody}); the handler takes the result from `c.req.valid('json')`. Declaring the
 * schema's input type here is what types `hc`'s `json` argument.
 */
export function jsonBody<T extends v.AnySchema>(schema: T): MiddlewareHandler<any, string, JsonBodyTypes<T>> {
  return async (c, next) => {
    c.req.addValidatedData('json', validateBody(schema, await readJsonBody(c)) as object);
    await next();
  };
}
