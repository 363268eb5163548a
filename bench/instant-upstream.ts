/**
 * An upstream that answers at once: Krea's create and job routes with fixed, precomputed bodies, so
 * that the gateway and the floor proxy are measured against the same cheap upstream. Counts the
 * polls each job id receives (the coalescing figure reads them). Run as its own process.
 *
 * Large results (the outputs figures): a prompt with `[big]` (or `[big:<bytes>]`) makes a job that
 * reads as completed with its result on this server, `/files/big-<bytes>.mp4` (`RESULT_BYTES`,
 * 200 MiB, when the prompt names no size). That route streams an MP4-looking body of exactly that
 * many bytes (an `ftyp` box, then one `mdat` box of filler) with `Content-Length`, generated as it
 * is sent from one reused chunk, never held whole. `/__stats` lists when each file was asked for
 * and when its last byte was handed to the socket.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

const polls = new Map<string, number>();
let created = 0;
const headers = { 'content-type': 'application/json', 'keep-alive': 'timeout=60' };
const RESULT_BYTES = Number(process.env.RESULT_BYTES ?? 200 * 1024 * 1024);
/** Result sizes of the `[big]` jobs, by id. */
const bigJobs = new Map<string, number>();
/** The large files served: bytes, when the request arrived and when the last byte was written (ms since the epoch). */
const files: { bytes: number; requestedAt: number; sentAt: number | null }[] = [];
const FILLER = randomBytes(256 * 1024);
const now = () => performance.timeOrigin + performance.now();

function job(id: string, origin: string): string {
  const big = bigJobs.get(id);
  const done = id.startsWith('done-') || big !== undefined;
  const urls = big !== undefined ? [`${origin}/files/big-${big}.mp4`] : [`https://cdn.example.com/${id}.mp4`];
  return JSON.stringify(
    done
      ? { job_id: id, status: 'completed', created_at: '2026-12-01T10:00:00Z', completed_at: '2026-12-01T10:01:00Z', result: { urls } }
      : { job_id: id, status: 'processing', created_at: '2026-12-01T10:00:00Z', completed_at: null, result: {}, progress: 50 },
  );
}

/** The first bytes of the file: `ftyp` (isom), then the header of an `mdat` box (64-bit size) holding the rest. */
function mp4Head(total: number): Buffer {
  const head = Buffer.alloc(40);
  head.writeUInt32BE(24, 0);
  head.write('ftypisom', 4, 'latin1');
  head.writeUInt32BE(0x200, 12);
  head.write('isomiso2', 16, 'latin1');
  head.writeUInt32BE(1, 24);
  head.write('mdat', 28, 'latin1');
  head.writeBigUInt64BE(BigInt(Math.max(0, total - 24)), 32);
  return head;
}

/** Streams `total` bytes, waiting for the socket to drain whenever it asks to. */
async function sendFile(response: ServerResponse, total: number): Promise<void> {
  const record = { bytes: total, requestedAt: now(), sentAt: null as number | null };
  files.push(record);
  if (files.length > 100) files.shift();
  response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(total), 'keep-alive': 'timeout=60' });
  const head = mp4Head(total);
  let sent = 0;
  const write = (chunk: Buffer) => {
    sent += chunk.byteLength;
    return response.write(chunk);
  };
  let ok = write(head.subarray(0, Math.min(head.byteLength, total)));
  while (sent < total && !response.destroyed) {
    if (!ok) await drained(response);
    ok = write(FILLER.subarray(0, Math.min(FILLER.byteLength, total - sent)));
  }
  response.end(() => (record.sentAt = now()));
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done).off('close', done);
      resolve();
    };
    response.on('drain', done).on('close', done);
  });
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  const file = request.method === 'GET' ? /^\/files\/big-(\d+)\.mp4$/.exec(url) : null;
  if (file) {
    void sendFile(response, Number(file[1]));
    return;
  }
  if (request.method === 'GET' && url.startsWith('/jobs/')) {
    const id = decodeURIComponent(url.slice('/jobs/'.length));
    polls.set(id, (polls.get(id) ?? 0) + 1);
    response.writeHead(200, headers).end(job(id, `http://${request.headers.host}`));
    return;
  }
  if (request.method === 'POST' && url.startsWith('/generate/video/')) {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      created += 1;
      // A prompt with `[done]` makes a job that reads as completed (the finished-job figure); `[big]`, one whose result is a large file here.
      const big = /\[big(?::(\d+))?\]/.exec(body);
      const id = `${big ? 'big' : body.includes('[done]') ? 'done' : 'live'}-${created}`;
      if (big) bigJobs.set(id, Number(big[1] ?? RESULT_BYTES));
      response.writeHead(200, headers).end(JSON.stringify({ job_id: id, status: 'queued', created_at: '2026-12-01T10:00:00Z', completed_at: null, result: null }));
    });
    return;
  }
  if (url === '/__stats') {
    response.writeHead(200, headers).end(JSON.stringify({ created, polls: Object.fromEntries(polls), files }));
    return;
  }
  if (url === '/__reset') {
    polls.clear();
    bigJobs.clear();
    files.length = 0;
    created = 0;
    response.writeHead(200, headers).end('{}');
    return;
  }
  response.writeHead(404, headers).end('{"error":"not found"}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
});
