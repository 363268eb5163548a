/**
 * The floor for serving a stored video: a plain static file server, `node:http` and
 * `fs.createReadStream` on the one file `FILE` (at every path), with single-range support
 * (`Range: bytes=a-b`, `a-`, `-n` → 206; past the end → 416) and nothing else: no auth, no
 * signature, no job lookup, no ETag. Run as its own process; prints `listening <port>`.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.env.FILE!;
const size = statSync(file).size;
const type = process.env.CONTENT_TYPE ?? 'video/mp4';

function rangeOf(header: string | undefined): { start: number; end: number } | 'whole' | 'unsatisfiable' {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return 'whole';
  if (match[1] === '') {
    const suffix = Math.min(Number(match[2]), size);
    return suffix === 0 ? 'unsatisfiable' : { start: size - suffix, end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (end < start) return 'whole';
  return start >= size ? 'unsatisfiable' : { start, end };
}

const server = createServer((request, response) => {
  const range = rangeOf(request.headers.range);
  if (range === 'unsatisfiable') {
    response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  const { start, end } = range === 'whole' ? { start: 0, end: size - 1 } : range;
  response.writeHead(range === 'whole' ? 200 : 206, {
    'content-type': type,
    'content-length': String(end - start + 1),
    'accept-ranges': 'bytes',
    ...(range === 'whole' ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
  stream.pipe(response);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
