/**
 * The write-ahead floor, for the create only: the floor's create (bench/floor-proxy.ts) plus the
 * least that a gateway keeping this project's fixed rules must write on top of it:
 * - "nothing is lost on a crash: write first, then call the provider": the job is written to an
 *   embedded SQLite file and committed before the upstream call, and the provider's answer is
 *   written and committed before the client is answered (else a crash between the two loses a
 *   billed job);
 * - per-key limits and usage whose counters live in the job store (so that they hold across
 *   instances): the job's booking and its request in the rate window, in the same write as the job.
 *
 * It writes as the gateway's default store does, so the two compare: the gateway's own tables
 * and indexes (src/node/sqlite-job-store-schema.ts), WAL with `synchronous=NORMAL`, a record of the
 * same shape and size as the gateway's, ids made as the gateway makes them, and the writes of one
 * turn of the event loop committed together. It has no savepoints, record cache, idempotency key
 * or compare-and-set retries, reads no limit's figures, and does no validation, key check,
 * pricing, log or metric: those are the gateway's own work, and what it costs above this floor.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { newJobId } from '../src/jobs/job-ids.ts';
import { REQUEST_RETENTION_MS } from '../src/jobs/store/ledger.ts';
import { MIGRATIONS } from '../src/node/sqlite-job-store-schema.ts';

const upstream = process.env.UPSTREAM_URL!;
const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'vidgate-bench-write-ahead-'));
const db = new DatabaseSync(join(dir, 'jobs.db'));
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
for (const migration of MIGRATIONS) db.exec(migration);

const insert = db.prepare('INSERT INTO jobs (id, owner, status, created_at, next_poll_at, lease_until, lease_holder, version, data) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)');
const accept = db.prepare('UPDATE jobs SET status = ?, next_poll_at = ?, lease_until = 0, lease_holder = NULL, data = ?, version = 2 WHERE id = ? AND version = 1');
const pruneRequests = db.prepare('DELETE FROM ledger_requests WHERE account = ? AND at <= ?');
const book = db.prepare(
  'INSERT INTO ledger_bookings (account, job_id, model, provider, unit, amount_micros, provider_units, source, live, at)' +
    " VALUES (?, ?, ?, 'krea', 'krea_compute_unit', 367500, 200, 'estimate', 1, ?)",
);
const countRequest = db.prepare('INSERT INTO ledger_requests (account, at, job_id) VALUES (?, ?, ?)');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');

/** The writes asked for in this turn, run and committed together at its end. */
let queued: (() => void)[] = [];
function write(work: () => void): Promise<void> {
  return new Promise((resolve) => {
    queued.push(() => {
      work();
      resolve();
    });
    if (queued.length === 1) setImmediate(flush);
  });
}
function flush(): void {
  const batch = queued;
  queued = [];
  begin.run();
  for (const work of batch) work();
  commit.run();
}

const app = new Hono();
app.post('/v1/jobs', async (c) => {
  const request = await c.req.text();
  const sent = JSON.parse(request) as { model: string; prompt: string; duration?: number };
  const now = Date.now();
  const id = newJobId(now);
  // What the gateway's record holds for this request (about 600 bytes of JSON).
  const record = {
    model: sent.model,
    provider: 'krea',
    providerModel: 'kling/kling-2.5',
    input: { prompt: sent.prompt, duration: sent.duration, aspect_ratio: '16:9', mode: 'pro' },
    warnings: [],
    operation: null as { job_id: string } | null,
    rawStatus: null as string | null,
    progress: 0,
    metadata: {},
    videos: [],
    error: null,
    updatedAt: now,
    completedAt: null,
    observedAt: null as number | null,
    pollIntervalMs: null as number | null,
    extra: { origin: 'http://127.0.0.1', usage: { amount: 0.3675, currency: 'USD', provider_units: 200, unit: 'krea_compute_unit', source: 'estimate' }, account: 'unnamed:0123456789ab' },
  };
  await write(() => {
    insert.run(id, 'owner', 'queued', now, now + 60_000, now + 60_000, 'floor', JSON.stringify(record));
    // The ledger's writes for an unlimited key, as src/node/sqlite-ledger.ts makes them.
    pruneRequests.run(record.extra.account, now - REQUEST_RETENTION_MS);
    book.run(record.extra.account, id, sent.model, now);
    countRequest.run(record.extra.account, now, id);
  });
  const { body } = await pool.request({ method: 'POST', path: '/generate/video/kling/kling-2.5', headers: { authorization: 'Bearer upstream-key', 'content-type': 'application/json' }, body: request });
  const job = (await body.json()) as { job_id: string; status: string };
  const answered = Date.now();
  Object.assign(record, { operation: { job_id: job.job_id }, rawStatus: job.status, observedAt: answered, updatedAt: answered, pollIntervalMs: 5_000 });
  await write(() => accept.run('queued', answered + 5_000, JSON.stringify(record), id));
  return c.json({ id, object: 'job', status: 'queued', progress: 0, model: sent.model, created_at: new Date(now).toISOString(), input: record.input, usage: record.extra.usage }, 202);
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => process.stdout.write(`listening ${info.port}\n`));
process.on('SIGTERM', () =>
  server.close(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
