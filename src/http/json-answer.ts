/**
 * JSON answers with the request's id, their headers a plain object from end to end.
 *
 * Why not `c.json` with `c.header('X-Request-Id')` in the middleware: Hono keeps headers set ahead
 * of the answer in a WHATWG `Headers`, and so does any answer with more than one header. On Node,
 * @hono/node-server then walks that `Headers` into the object node:http takes, which cost a poll
 * about a sixth of its CPU. An answer made here is a `Response` over a plain object, which the
 * Node server writes as it is; on Workers it is an ordinary `Response`.
 *
 * Answers made elsewhere (errors, pages, streams) get the header from the request-id middleware
 * after the fact: {@link carriesRequestId} tells the two apart.
 */
import type { TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What `c.json` returns, so routes keep their types for Hono's typed client. */
export type JsonAnswer<T, S extends ContentfulStatusCode> = Response & TypedResponse<JSONParsed<T>, S, 'json'>;

const answered = new WeakSet<Response>();

/** `value` as JSON with `status`, the request's `X-Request-Id` and `headers`; `text` when the caller has it serialized already. */
export function jsonAnswer<T, S extends ContentfulStatusCode>(
  requestId: string,
  value: T,
  status: S,
  headers?: Record<string, string>,
  text: string = JSON.stringify(value),
): JsonAnswer<T, S> {
  const response = new Response(text, { status, headers: { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId, ...headers } });
  answered.add(response);
  return response as JsonAnswer<T, S>;
}

/** Whether `response` was made by {@link jsonAnswer}, so already carries the request's id. */
export function carriesRequestId(response: Response): boolean {
  return answered.has(response);
}
