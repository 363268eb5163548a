/**
 * A Krea API emulator for tests and the sandbox: every video route of `routes.generated.json`,
 * validated against its own schema, plus `GET`/`DELETE /jobs/:id`. Jobs walk Krea's statuses one
 * step per poll (or per interval); prompt directives steer how they end:
 * `[fail]`, `[fail:result]`, `[fail:moderation]`, `[cancel]`, `[unknown-status]`, `[backlog]`.
 * `POST /assets` keeps an uploaded file and serves it at its `image_url` (`GET /assets/<id>.<ext>`).
 * A create with `X-Webhook-URL` is called back, as Krea does, with the job JSON when it ends: at
 * the moment it ends in timed mode, when it is cancelled, or when a poll first sees it ended.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import {
  checkBearer,
  createEmulatorApp,
  progressStep,
  promptDirectives,
  readJson,
  type Emulator,
  type EmulatorControl,
  type EmulatorOptions,
  type Progression,
} from '../emulator-kit/index.ts';
import { kreaRoutes } from './with-routes.ts';
import type { KreaRoute } from './generate-catalog.ts';

interface EmulatedJob {
  id: string;
  createdAt: number;
  polls: number;
  sequence: readonly string[];
  directives: Set<string>;
  cancelledAt?: number;
  finishedAt?: number;
  /** Where Krea would POST the finished job (`X-Webhook-URL`), until it has. */
  webhookUrl?: string;
  origin: string;
}

const WALK = ['queued', 'scheduled', 'processing', 'sampling', 'intermediate-complete'] as const;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
/** Directive → final status; the first directive present wins. */
const ENDINGS: readonly [string, string][] = [
  ['fail:result', 'failed'],
  ['fail:moderation', 'failed'],
  ['fail', 'failed'],
  ['cancel', 'cancelled'],
  ['unknown-status', 'exploded'],
];
/** How a failed job explains itself, per directive: Krea uses both places. */
const FAILURES: Readonly<Record<string, Record<string, unknown>>> = {
  'fail:result': { result: { error: 'content moderation (emulated)' } },
  'fail:moderation': { error: { code: 'nsfw', message: 'The output was flagged by content moderation (emulated)' } },
  fail: { error: { code: 'internal_error', message: 'Generation failed (emulated)' } },
};

const routesById = new Map(kreaRoutes.map((route) => [route.id, route]));
const validators = new Map<string, z.ZodType>();

/** Per-emulator state the route handlers share. */
interface EmulatorState {
  jobs: Map<string, EmulatedJob>;
  served: string[];
  progression: Progression;
  now: () => number;
  apiKey: string | undefined;
  callbacks: EmulatorControl['callbacks'];
  /** Uploaded assets by file name (`<id>.<ext>`). */
  assets: Map<string, { bytes: Uint8Array; type: string }>;
}

/** A Krea emulator: a Hono app plus the kit's control (faults, request log). */
export function createKreaEmulator(options: EmulatorOptions = {}): Emulator {
  const emulator = createEmulatorApp(classify);
  const state: EmulatorState = {
    jobs: new Map(),
    served: emulator.control.statusesServed,
    progression: options.progression ?? { mode: 'per-poll' },
    now: options.now ?? Date.now,
    apiKey: options.apiKey,
    callbacks: emulator.control.callbacks,
    assets: new Map(),
  };
  emulator.app.post('/generate/video/:vendor/:model', (c) => createJob(c, state));
  emulator.app.get('/jobs/:id', (c) => pollJob(c, state));
  emulator.app.delete('/jobs/:id', (c) => cancelJob(c, state));
  emulator.app.post('/assets', (c) => uploadAsset(c, state));
  emulator.app.get('/assets/:name', (c) => serveAsset(c, state));
  emulator.app.notFound((c) => c.json({ error: 'Not found' }, 404));
  return emulator;
}

async function createJob(c: Context, state: EmulatorState): Promise<Response> {
  if (checkBearer(c, state.apiKey)) return notAuthenticated(c);
  const route = routesById.get(`${c.req.param('vendor')}/${c.req.param('model')}`);
  if (!route) return c.json({ error: `There is no video model at ${c.req.path}` }, 404);
  const body = await readJson(c);
  const problem = validationProblem(route, body);
  if (problem) return c.json({ error: `The request body is invalid: ${problem}` }, 400);
  const job = newJob((body as { prompt: unknown }).prompt, state.now(), new URL(c.req.url).origin);
  job.webhookUrl = c.req.header('x-webhook-url');
  state.jobs.set(job.id, job);
  scheduleCallback(job, state);
  state.served.push(job.sequence[0]!);
  return c.json(renderCreated(job), 200);
}

function pollJob(c: Context, state: EmulatorState): Response {
  if (checkBearer(c, state.apiKey)) return notAuthenticated(c);
  const job = state.jobs.get(c.req.param('id') ?? '');
  if (!job) return jobNotFound(c);
  job.polls += 1;
  const status = currentStatus(job, state.progression, state.now());
  state.served.push(status);
  if (TERMINAL.has(status)) callBack(job, state);
  return c.json(renderJob(job, status));
}

/** Krea's `DELETE /jobs/:id` cancels; what it answers for a finished job is undocumented, so: 400. */
function cancelJob(c: Context, state: EmulatorState): Response {
  if (checkBearer(c, state.apiKey)) return notAuthenticated(c);
  const job = state.jobs.get(c.req.param('id') ?? '');
  if (!job) return jobNotFound(c);
  const status = currentStatus(job, state.progression, state.now());
  if (TERMINAL.has(status)) return c.json({ error: `The job is already ${status} and cannot be cancelled` }, 400);
  job.cancelledAt = state.now();
  callBack(job, state);
  return c.json({});
}

/** Krea's documented upload types (by media type) and the extension its asset URL gets. */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic',
  'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'model/gltf-binary': 'glb', 'audio/wav': 'wav', 'audio/mpeg': 'mp3',
};
const MAX_ASSET_BYTES = 75 * 1024 * 1024;

/** `POST /assets`: multipart with a `file` (and an optional `description`), answered with the asset. */
async function uploadAsset(c: Context, state: EmulatorState): Promise<Response> {
  if (checkBearer(c, state.apiKey)) return notAuthenticated(c);
  const form = await c.req.parseBody().catch(() => undefined);
  const file = form?.file;
  if (!(file instanceof File)) return c.json({ error: 'A file is required' }, 400);
  const extension = ASSET_TYPES[file.type];
  if (!extension || file.size > MAX_ASSET_BYTES || file.size === 0) return c.json({ error: 'Invalid file type or size' }, 400);
  const id = crypto.randomUUID();
  state.assets.set(`${id}.${extension}`, { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type });
  const origin = new URL(c.req.url).origin;
  return c.json({ id, image_url: `${origin}/assets/${id}.${extension}`, uploaded_at: iso(state.now()), width: null, height: null, size_bytes: file.size, mime_type: file.type, description: typeof form?.description === 'string' ? form.description : '' });
}

function serveAsset(c: Context, state: EmulatorState): Response {
  const asset = state.assets.get(c.req.param('name') ?? '');
  if (!asset) return c.json({ error: 'Asset not found' }, 404);
  return c.body(asset.bytes.slice().buffer, 200, { 'content-type': asset.type });
}

/** In timed mode a job ends on its own, so Krea's call comes when it does; per poll, a poll ends it. */
function scheduleCallback(job: EmulatedJob, state: EmulatorState): void {
  if (!job.webhookUrl || state.progression.mode !== 'timed') return;
  const endsAt = job.createdAt + (job.sequence.length - 1) * state.progression.msPerStep;
  const timer = setTimeout(() => callBack(job, state), Math.max(0, endsAt - state.now()) + 1);
  (timer as { unref?: () => void }).unref?.();
}

/** One unsigned POST of the job JSON, as Krea's webhooks are; a failed call is not retried (Krea documents no retries). */
function callBack(job: EmulatedJob, state: EmulatorState): void {
  const url = job.webhookUrl;
  if (!url) return;
  job.webhookUrl = undefined;
  const status = currentStatus(job, state.progression, state.now());
  state.callbacks.push({ job_id: job.id, url, status });
  void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(renderJob(job, status)) })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

/** The factory the provider definition's `emulator()` hands out. */
export const createEmulator = createKreaEmulator;

/** Between them, these jobs pass through all nine documented statuses. */
export const statusWalks: readonly string[] = ['a lighthouse [backlog]', 'a lighthouse [fail]', 'a lighthouse [cancel]'];

export const unknownStatusPrompt = 'a lighthouse [unknown-status]';

function classify(method: string, path: string): 'create' | 'poll' | 'upload' | undefined {
  if (method === 'POST' && path.startsWith('/generate/video/')) return 'create';
  if (method === 'POST' && path === '/assets') return 'upload';
  if (method === 'GET' && path.startsWith('/jobs/')) return 'poll';
  return undefined;
}

function notAuthenticated(c: Context): Response {
  return c.json({ error: 'You are not authenticated' }, 401);
}

function jobNotFound(c: Context): Response {
  return c.json({ error: 'The job was not found or the client is not authorized to see it' }, 404);
}

/** What is wrong with a request body, naming the field; `undefined` when the route accepts it. */
function validationProblem(route: KreaRoute, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'expected a JSON object';
  const result = validatorFor(route).safeParse(body);
  if (result.success) return undefined;
  return result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function validatorFor(route: KreaRoute): z.ZodType {
  let validator = validators.get(route.id);
  if (!validator) {
    validator = z.fromJSONSchema(route.schema as Parameters<typeof z.fromJSONSchema>[0]);
    validators.set(route.id, validator);
  }
  return validator;
}

function newJob(prompt: unknown, createdAt: number, origin: string): EmulatedJob {
  const directives = promptDirectives(prompt);
  const ending = ENDINGS.find(([directive]) => directives.has(directive))?.[1] ?? 'completed';
  const start = directives.has('backlog') ? ['backlogged'] : [];
  return { id: crypto.randomUUID(), createdAt, polls: 0, sequence: [...start, ...WALK, ending], directives, origin };
}

function currentStatus(job: EmulatedJob, progression: Progression, now: number): string {
  if (job.cancelledAt !== undefined) return 'cancelled';
  const step = Math.min(progressStep(job, progression, now), job.sequence.length - 1);
  const status = job.sequence[step]!;
  // The first time a job is seen finished fixes its completion time.
  if (TERMINAL.has(status)) job.finishedAt ??= now;
  return status;
}

/** The submit answer, as Krea documents it: nothing finished, no result yet. */
function renderCreated(job: EmulatedJob): Record<string, unknown> {
  return { job_id: job.id, status: job.sequence[0], created_at: iso(job.createdAt), completed_at: null, result: null };
}

/** The job as `GET /jobs/:id` shows it: `result` is `{}` while running, then the outcome. */
function renderJob(job: EmulatedJob, status: string): Record<string, unknown> {
  const base = { job_id: job.id, status, created_at: iso(job.createdAt), completed_at: null, result: {} };
  if (status === 'backlogged' || (WALK as readonly string[]).includes(status)) return { ...base, progress: progressOf(job, status) };
  if (!TERMINAL.has(status)) return base;
  const ended = { ...base, completed_at: iso(job.finishedAt ?? job.cancelledAt ?? job.createdAt) };
  if (status === 'completed') return { ...ended, result: { urls: [`${job.origin}/files/${job.id}.mp4`] } };
  return status === 'failed' ? { ...ended, ...failureOf(job) } : ended;
}

function failureOf(job: EmulatedJob): Record<string, unknown> {
  const directive = Object.keys(FAILURES).find((name) => job.directives.has(name)) ?? 'fail';
  return FAILURES[directive]!;
}

function progressOf(job: EmulatedJob, status: string): number {
  return Math.round((job.sequence.indexOf(status) / (job.sequence.length - 1)) * 100);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
