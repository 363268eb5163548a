/**
 * The floor: the least a gateway could do on the same paths. A minimal Hono + @hono/node-server +
 * undici proxy that forwards each request to the same upstream (one upstream call per request, no
 * validation, no store, no auth check beyond a header read) and reshapes the JSON into a job. What
 * it does not do (auth digest, validation, a store, ownership) is the gateway's added value.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Pool } from 'undici';

const upstream = process.env.UPSTREAM_URL!;
const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 60_000 });
const app = new Hono();

function reshape(job: { job_id: string; status: string; progress?: number; result?: { urls?: string[] } }) {
  return { id: job.job_id, object: 'job', status: job.status === 'completed' ? 'completed' : 'in_progress', progress: job.progress ?? null, videos: (job.result?.urls ?? []).map((url) => ({ url })) };
}

app.get('/v1/jobs/:id', async (c) => {
  const { body } = await pool.request({ method: 'GET', path: `/jobs/${encodeURIComponent(c.req.param('id'))}`, headers: { authorization: 'Bearer upstream-key' } });
  return c.json(reshape((await body.json()) as never));
});

app.post('/v1/jobs', async (c) => {
  const request = await c.req.text();
  const { body } = await pool.request({ method: 'POST', path: '/generate/video/kling/kling-2.5', headers: { authorization: 'Bearer upstream-key', 'content-type': 'application/json' }, body: request });
  return c.json(reshape((await body.json()) as never), 202);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`listening ${info.port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
