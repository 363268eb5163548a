/**
 * HTTP/1.1 over a raw `node:net` socket, to send what no HTTP client would: oversized headers,
 * malformed request lines, raw backslashes, bodies that contradict their `Content-Length`. The
 * answers are parsed leniently (they may be anything the server wrote) and checked as the error
 * envelope against the OpenAPI document and the error catalog.
 */
import { connect } from 'node:net';
import { expect } from 'vitest';
import { ERROR_CODES } from '../../src/error-catalog.ts';
import { contract } from './contract.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

export interface RawExchange {
  responses: RawResponse[];
  /** Everything the server wrote, as text. */
  raw: string;
}

/** Upper bound on one exchange, so a server that never closes fails the test instead of hanging it. */
const EXCHANGE_BOUND_MS = 10_000;

/**
 * Writes `chunks` to the server at `baseUrl` (one write each) and reads until the server closes
 * the connection. Requests should say `Connection: close` unless the server is expected to close.
 */
export function sendRaw(baseUrl: string, ...chunks: (string | Buffer)[]): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    const bound = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close the connection; it wrote:\n${Buffer.concat(received).toString('latin1').slice(0, 2000)}`));
    }, EXCHANGE_BOUND_MS);
    const finish = () => {
      clearTimeout(bound);
      const raw = Buffer.concat(received).toString('latin1');
      resolve({ raw, responses: parseResponses(raw) });
    };
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => socket.end());
    socket.on('close', finish);
    // A reset after the answer was read still counts as an answer; close follows.
    socket.on('error', () => undefined);
  });
}

/** A request head with the given request line and headers, ending the head. */
export function requestHead(requestLine: string, headers: Record<string, string> = {}): string {
  const lines = [requestLine, ...Object.entries({ Host: '127.0.0.1', Connection: 'close', ...headers }).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function parseResponses(raw: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = raw;
  while (rest.startsWith('HTTP/')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd === -1) break;
    const [statusLine, ...headerLines] = rest.slice(0, headEnd).split('\r\n');
    const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? rest.length - headEnd - 4);
    const bodyBytes = Buffer.from(rest.slice(headEnd + 4), 'latin1').subarray(0, length);
    const text = bodyBytes.toString('utf8');
    responses.push({ status: Number(statusLine!.split(' ')[1]), headers, text, body: parseJson(text) });
    rest = Buffer.from(rest.slice(headEnd + 4), 'latin1').subarray(length).toString('latin1');
  }
  return responses;
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The one answer is the documented error envelope with this status and code: JSON, matching the
 * document's `ErrorEnvelope`, a code the catalog lists for the status. Returns the error.
 */
export function expectEnvelope(exchange: RawExchange, status: number, code: string): RawResponse['body']['error'] {
  expect(exchange.responses, exchange.raw.slice(0, 500)).toHaveLength(1);
  const [response] = exchange.responses;
  expect(response!.status, exchange.raw.slice(0, 500)).toBe(status);
  expect(response!.headers['content-type']).toMatch(/^application\/json\b/);
  expect(contract.validate('/components/schemas/ErrorEnvelope', response!.body)).toEqual([]);
  expect(response!.body.error.code).toBe(code);
  expect(response!.body.error.message).toEqual(expect.any(String));
  expect(ERROR_CODES).toContainEqual(expect.objectContaining({ status, code }));
  return response!.body.error;
}
