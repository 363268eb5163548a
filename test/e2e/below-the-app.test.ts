/**
 * Answers made below Hono on Node, over raw sockets: what Node's HTTP parser rejects, what
 * @hono/node-server cannot turn into a `Request`, and bodies that lie about their size. Each gets
 * the documented error envelope with a stable code, never a bare status line.
 */
import { describe, expect, it } from 'vitest';
import { NODE_MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../../src/http/limits.ts';
import { expectEnvelope, requestHead, sendRaw } from '../support/raw-http.ts';
import { callsOf, KEYS, useStack } from '../support/stack.ts';

const BODY_LIMIT = 4_096;
const stack = useStack({ MAX_REQUEST_BYTES: String(BODY_LIMIT) });
const send = (...chunks: (string | Buffer)[]) => sendRaw(stack.gateway.url, ...chunks);
const auth = { Authorization: `Bearer ${KEYS.gateway}` };
const json = { ...auth, 'Content-Type': 'application/json' };

function expectNoProviderCalls() {
  for (const emulator of Object.values(stack.emulators)) expect(callsOf(emulator, 'create')).toEqual([]);
}

describe("requests Node's HTTP parser rejects", () => {
  it('answers headers over the limit with 431 request_header_too_large and closes the connection', async () => {
    const exchange = await send(requestHead('GET /healthz HTTP/1.1', { 'X-Padding': 'a'.repeat(NODE_MAX_HEADER_BYTES + 1) }));
    const error = expectEnvelope(exchange, 431, 'request_header_too_large');
    expect(exchange.responses[0]!.headers.connection).toBe('close');
    // Nothing reached the gateway, so there is no request id to give.
    expect(error.request_id).toBeUndefined();
  });

  it('answers a URL longer than even the header limit with 431 as well', async () => {
    const exchange = await send(requestHead(`GET /healthz?q=${'a'.repeat(NODE_MAX_HEADER_BYTES)} HTTP/1.1`));
    expectEnvelope(exchange, 431, 'request_header_too_large');
  });

  it('answers a malformed request line with 400 bad_request', async () => {
    const exchange = await send('HELLO WORLD\r\n\r\n');
    const error = expectEnvelope(exchange, 400, 'bad_request');
    expect(error.message).toContain('HPE_INVALID_METHOD');
    expect(exchange.responses[0]!.headers.connection).toBe('close');
  });

  it('answers a control character in the path with 400 bad_request', async () => {
    expectEnvelope(await send(requestHead('GET /v1/jobs/a\u0001b HTTP/1.1')), 400, 'bad_request');
  });

  it('refuses Content-Length together with Transfer-Encoding (a smuggling vector) with 400 bad_request', async () => {
    const head = requestHead('POST /v1/jobs HTTP/1.1', { ...json, 'Content-Length': '5', 'Transfer-Encoding': 'chunked' });
    expectEnvelope(await send(head, '0\r\n\r\n'), 400, 'bad_request');
    expectNoProviderCalls();
  });
});

describe('requests the Node adapter cannot build', () => {
  it('answers a raw backslash in the path with 400 invalid_request, a request id and a log line', async () => {
    const exchange = await send(requestHead('GET /v1/jobs/a\\b HTTP/1.1', auth));
    const error = expectEnvelope(exchange, 400, 'invalid_request');
    expect(error.message).toContain('backslash');
    expect(error.request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(exchange.responses[0]!.headers['x-request-id']).toBe(error.request_id);
    expect(stack.logs.some((line) => line.includes(error.request_id))).toBe(true);
  });

  it('answers a request target that is not a path with 400 invalid_request', async () => {
    expectEnvelope(await send(requestHead('OPTIONS * HTTP/1.1')), 400, 'invalid_request');
  });

  it('answers an invalid Host header with 400 invalid_request', async () => {
    expectEnvelope(await send(requestHead('GET /healthz HTTP/1.1', { Host: 'exa mple' })), 400, 'invalid_request');
  });

  it('answers an HTTP/1.1 request without Host with 400 invalid_request, but serves HTTP/1.0 without one', async () => {
    expectEnvelope(await send('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, 'invalid_request');
    const old = await send('GET /healthz HTTP/1.0\r\n\r\n');
    expect(old.responses[0]).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers an Expect other than 100-continue with 417 expectation_failed', async () => {
    expectEnvelope(await send(requestHead('GET /healthz HTTP/1.1', { Expect: 'teapot' })), 417, 'expectation_failed');
  });
});

describe('overlong URLs', () => {
  it(`answers a path and query over ${MAX_URL_LENGTH} characters with 414 uri_too_long, before authentication`, async () => {
    const exchange = await send(requestHead(`GET /v1/jobs/job_${'a'.repeat(MAX_URL_LENGTH)} HTTP/1.1`));
    const error = expectEnvelope(exchange, 414, 'uri_too_long');
    expect(error.message).toContain(String(MAX_URL_LENGTH));
    expect(error.request_id).toMatch(/^req_/);
  });

  it('answers 414 as the document says, through an ordinary client', async () => {
    const answer = await stack.request('GET', `/healthz?q=${'a'.repeat(MAX_URL_LENGTH)}`);
    expect(answer.status).toBe(414);
    expect(answer.body.error.code).toBe('uri_too_long');
  });
});

describe('bodies over the limit', () => {
  const over = JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'x'.repeat(BODY_LIMIT) });

  it('answers a Content-Length over the limit with 413 payload_too_large, without reading the body', async () => {
    const exchange = await send(requestHead('POST /v1/jobs HTTP/1.1', { ...json, 'Content-Length': String(Buffer.byteLength(over)) }), over);
    expectEnvelope(exchange, 413, 'payload_too_large');
    expectNoProviderCalls();
  });

  it('answers a chunked body that grows over the limit with 413 payload_too_large', async () => {
    const head = requestHead('POST /v1/jobs HTTP/1.1', { ...json, 'Transfer-Encoding': 'chunked' });
    const chunks = [over.slice(0, 1_000), over.slice(1_000, 3_000), over.slice(3_000)].map((part) => `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`);
    const exchange = await send(head, ...chunks, '0\r\n\r\n');
    expectEnvelope(exchange, 413, 'payload_too_large');
    expectNoProviderCalls();
  });

  it('reads no more than a Content-Length that understates the body, and answers the rest as a malformed request', async () => {
    const small = JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a fox' });
    const head = requestHead('POST /v1/jobs HTTP/1.1', { ...json, 'Content-Length': '10' });
    const exchange = await send(head, small + over);
    // The first ten bytes are not JSON; the remainder is garbage where the next request should be.
    expect(exchange.responses.length).toBeGreaterThanOrEqual(1);
    for (const response of exchange.responses) {
      expect(response.headers['content-type']).toMatch(/^application\/json\b/);
      expect(['invalid_json', 'bad_request']).toContain(response.body.error.code);
    }
    expectNoProviderCalls();
  });
});
