/**
 * The answers Node's HTTP parser errors get (src/node/refusals.ts), including those the raw-socket
 * tests cannot provoke quickly (a request timeout) and sockets that can no longer be written.
 */
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clientErrorListener, clientErrorRefusal, rawResponse } from '../../../src/node/refusals.ts';

const parserError = (code: string, reason?: string) => Object.assign(new Error(reason ?? code), { code, reason });

/** A socket that records what is written and whether it was ended or destroyed. */
function fakeSocket(state: { writable?: boolean; headersSent?: boolean } = {}) {
  const written: string[] = [];
  const socket = new Duplex({ read() {}, write(chunk, _encoding, done) { written.push(String(chunk)); done(); } });
  if (state.writable === false) socket.end();
  if (state.headersSent) Object.assign(socket, { _httpMessage: { headersSent: true } });
  return { socket, written };
}

describe('parser errors', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'request_header_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout'],
    ['HPE_INVALID_METHOD', 400, 'bad_request'],
    ['HPE_INVALID_CHUNK_SIZE', 400, 'bad_request'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 400, 'bad_request'],
  ])('answer %s with %i %s', (code, status, answer) => {
    expect(clientErrorRefusal(parserError(code))).toMatchObject({ status, code: answer });
  });

  it('answer nothing to a client that is gone', () => {
    expect(clientErrorRefusal(parserError('ECONNRESET'))).toBeUndefined();
    expect(clientErrorRefusal(parserError('EPIPE'))).toBeUndefined();
  });

  it("name the parser's reason in the message", () => {
    expect(clientErrorRefusal(parserError('HPE_INVALID_URL', 'Invalid char in url path'))!.message).toContain('HPE_INVALID_URL: Invalid char in url path');
  });
});

describe('a raw answer', () => {
  it('is a complete HTTP/1.1 response with the JSON envelope and Connection: close', () => {
    const text = rawResponse(clientErrorRefusal(parserError('HPE_HEADER_OVERFLOW'))!);
    const [head, body] = text.split('\r\n\r\n');
    expect(head!.split('\r\n')).toEqual(['HTTP/1.1 431 Request Header Fields Too Large', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body!)}`, 'Connection: close']);
    expect(JSON.parse(body!)).toEqual({ error: { code: 'request_header_too_large', message: expect.any(String) } });
  });
});

describe('the clientError listener', () => {
  const listener = clientErrorListener(() => {});

  it('writes the answer and ends the connection', () => {
    const { socket, written } = fakeSocket();
    listener(parserError('HPE_INVALID_METHOD'), socket);
    expect(written.join('')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(socket.writableEnded).toBe(true);
  });

  it('only destroys a connection that was reset, is no longer writable, or is mid-response', () => {
    for (const [error, state] of [[parserError('ECONNRESET'), {}], [parserError('HPE_INVALID_METHOD'), { writable: false }], [parserError('HPE_INVALID_METHOD'), { headersSent: true }]] as const) {
      const { socket, written } = fakeSocket(state);
      listener(error, socket);
      expect(written).toEqual([]);
      expect(socket.destroyed).toBe(true);
    }
  });
});
