/**
 * Request-size limits below the body limit (`MAX_REQUEST_BYTES`), in one place so the app, the Node
 * server and the error catalog state the same numbers.
 */

/**
 * Longest path plus query string the app accepts (in characters); longer is `414 uri_too_long`.
 * Every URL of the API is far shorter (a job id is 41 characters, a signed video link a few hundred):
 * the limit only refuses absurd ones before any routing. (It dates from job ids that carried the
 * request and grew with the prompt.) Cloudflare itself refuses URLs over 32 KB, so Workers reach
 * this check too.
 */
export const MAX_URL_LENGTH = 16 * 1024;

/**
 * Node's limit on the request line plus all headers (its `maxHeaderSize`); over it the HTTP parser
 * refuses the request (`431 request_header_too_large`). Node counts the request line in this limit
 * and reports the same parser error either way, so it is set above {@link MAX_URL_LENGTH}: an
 * overlong URL then reaches the app and gets its own `414`, unless it is longer than this.
 */
export const NODE_MAX_HEADER_BYTES = 32 * 1024;
