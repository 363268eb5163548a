/**
 * An upstream that answers at once: Krea's create and job routes with fixed, precomputed bodies, so
 * that the gateway and the floor proxy are measured against the same cheap upstream. Counts the
 * polls each job id receives (the coalescing figure reads them). Run as its own process.
 */
import { createServer } from 'node:http';

const polls = new Map<string, number>();
let created = 0;
const headers = { 'content-type': 'application/json', 'keep-alive': 'timeout=60' };

function job(id: string): string {
  const done = id.startsWith('done-');
  return JSON.stringify(
    done
      ? { job_id: id, status: 'completed', created_at: '2026-12-01T10:00:00Z', completed_at: '2026-12-01T10:01:00Z', result: { urls: [`https://cdn.example.com/${id}.mp4`] } }
      : { job_id: id, status: 'processing', created_at: '2026-12-01T10:00:00Z', completed_at: null, result: {}, progress: 50 },
  );
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (request.method === 'GET' && url.startsWith('/jobs/')) {
    const id = decodeURIComponent(url.slice('/jobs/'.length));
    polls.set(id, (polls.get(id) ?? 0) + 1);
    response.writeHead(200, headers).end(job(id));
    return;
  }
  if (request.method === 'POST' && url.startsWith('/generate/video/')) {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      created += 1;
      // A prompt with `[done]` makes a job that reads as completed (the finished-job figure).
      const id = `${body.includes('[done]') ? 'done' : 'live'}-${created}`;
      response.writeHead(200, headers).end(JSON.stringify({ job_id: id, status: 'queued', created_at: '2026-12-01T10:00:00Z', completed_at: null, result: null }));
    });
    return;
  }
  if (url === '/__stats') {
    response.writeHead(200, headers).end(JSON.stringify({ created, polls: Object.fromEntries(polls) }));
    return;
  }
  if (url === '/__reset') {
    polls.clear();
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
