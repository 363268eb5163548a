/** The Node upstream fetch (undici's Agent dispatch behind fetch's signature) answers and fails the way core expects of fetch. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamFetch } from '../../../src/node/upstream-fetch.ts';
import { BodyTooLargeError, readBodyCapped } from '../../../src/upstream/response-body.ts';

let server: Server;
let origin: string;
const upstream = createUpstreamFetch(1024);

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const sent = Buffer.concat(chunks).toString();
      if (request.url === '/redirect') return void response.writeHead(302, { location: 'http://elsewhere.test/' }).end();
      if (request.url === '/large') return void response.writeHead(200).end('x'.repeat(4096));
      if (request.url === '/empty') return void response.writeHead(204).end();
      if (request.url === '/hang') return;
      if (request.url === '/gzip') return void response.writeHead(200, { 'content-encoding': 'gzip', 'x-asked': String(request.headers['accept-encoding']) }).end(gzipSync(JSON.stringify({ zipped: true })));
      if (request.url === '/gzip-endless') return void endlessGzip(response);
      if (request.url === '/gzip-empty') return void response.writeHead(200, { 'content-encoding': 'gzip' }).end();
      if (request.url === '/gzip-broken') return void response.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all');
      if (request.url === '/gzip-large') return void response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('x'.repeat(64 * 1024)));
      response.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      response.end(JSON.stringify({ method: request.method, path: request.url, sent, authorization: request.headers.authorization }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/**
 * A few dozen bytes on the wire that inflate to 64 KiB, and then the answer never ends: only a
 * client that decodes while it streams, and stops at the cap, ever answers.
 */
function endlessGzip(response: import('node:http').ServerResponse) {
  response.writeHead(200, { 'content-encoding': 'gzip' });
  const gzip = createGzip();
  gzip.pipe(response);
  gzip.write(Buffer.alloc(64 * 1024, 0x20));
  gzip.flush();
  response.once('close', () => gzip.destroy());
}

afterAll(async () => {
  await upstream.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the Node upstream fetch', () => {
  it('sends the method, path with query, headers and body, and answers with status, headers and body', async () => {
    const response = await upstream.fetch(`${origin}/jobs?x=1`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', path: '/jobs?x=1', sent: '{"a":1}', authorization: 'Bearer k' });
  });

  it('marks the answer as read whole, so that core reads the same bytes without a stream', async () => {
    const response = await upstream.fetch(`${origin}/gzip`);
    const bytes = await readBodyCapped(response, 1024);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ zipped: true });
    // Not through the body: it is still there, unread.
    expect(response.bodyUsed).toBe(false);
    await expect(readBodyCapped(await upstream.fetch(`${origin}/gzip`), 4)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('sends a byte body as it is', async () => {
    const response = await upstream.fetch(`${origin}/bytes`, { method: 'PUT', body: new TextEncoder().encode('bytes').buffer as ArrayBuffer });
    expect(((await response.json()) as { sent: string }).sent).toBe('bytes');
  });

  it('asks for compressed answers and decodes them, as fetch does, the cap counting decoded bytes', async () => {
    const response = await upstream.fetch(`${origin}/gzip`);
    expect(response.headers.get('x-asked')).toBe('gzip, deflate, br');
    expect(await response.json()).toEqual({ zipped: true });
    await expect(upstream.fetch(`${origin}/gzip-large`)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('abandons a compressed answer while it streams, once its decoded bytes pass the cap', async () => {
    await expect(upstream.fetch(`${origin}/gzip-endless`)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('answers an empty compressed body as empty, and a broken one as fetch fails', async () => {
    expect(await (await upstream.fetch(`${origin}/gzip-empty`)).text()).toBe('');
    const broken = await upstream.fetch(`${origin}/gzip-broken`).catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(TypeError);
    expect((broken as TypeError).cause).toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  it('never follows a redirect', async () => {
    const response = await upstream.fetch(`${origin}/redirect`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://elsewhere.test/');
  });

  it('gives a 204 no body', async () => {
    const response = await upstream.fetch(`${origin}/empty`);
    expect([response.status, response.body]).toEqual([204, null]);
  });

  it('abandons an answer past the cap with core’s BodyTooLargeError', async () => {
    await expect(upstream.fetch(`${origin}/large`)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('throws what fetch throws: the signal’s reason on a timeout, a TypeError caused by the socket’s error when refused', async () => {
    await expect(upstream.fetch(`${origin}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await upstream.fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
