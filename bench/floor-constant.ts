/**
 * The finished poll's second floor: the least that the gateway's own HTTP stack (Hono and
 * @hono/node-server) does to answer a poll at all. It sends the gateway's answer for the finished
 * job (`ANSWER`, read from the gateway before the run, byte for byte) as a constant, with a request
 * id header, and reads no store, checks no key, calls no upstream, logs nothing and counts nothing.
 * A finished job's poll on this stack cannot cost less; what the gateway costs above it is its own
 * work (the key check, the ownership check, the log line, the metrics, its middleware layers).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const answer = process.env.ANSWER!;
let requests = 0;
const app = new Hono();
app.get('/v1/jobs/:id', (c) => c.body(answer, 200, { 'content-type': 'application/json', 'x-request-id': `req_${(requests++).toString(16).padStart(32, '0')}` }));

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`listening ${info.port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
