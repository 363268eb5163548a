/**
 * What every provider emulator shares: the control routes (`/__emulator/*`), fault injection,
 * a request log, prompt directives, job progression and the sample video. An emulator is a plain
 * Hono app, so it runs as a loopback server on Node (sandbox, end-to-end tests) and as an
 * in-process fetch handler anywhere else (workerd tests).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { FaultBook, type CallKind, type Fault } from './faults.ts';
import { SAMPLE_MP4 } from './sample-video.ts';

export { FaultBook, type CallKind, type Fault, type FaultRule } from './faults.ts';
export { SAMPLE_MP4 } from './sample-video.ts';

export interface RecordedRequest {
  kind: CallKind | 'other';
  method: string;
  /** Path and query, as received (still percent-encoded). */
  url: string;
  /** Whether an `Authorization` header was present (its value is never recorded). */
  authorized: boolean;
  body: unknown;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/**
 * How jobs move through their statuses: one step per poll (deterministic, for tests) or one step
 * every `msPerStep` (for people trying the sandbox).
 */
export type Progression = { mode: 'per-poll' } | { mode: 'timed'; msPerStep: number };

export interface EmulatorOptions {
  /** When set, only this bearer token is accepted; otherwise any non-empty token is. */
  apiKey?: string;
  progression?: Progression;
  now?: () => number;
}

export interface EmulatorControl {
  faults: FaultBook;
  requests: RecordedRequest[];
  /** Every job status the emulator answered with (creates and polls), in order: what lies behind the gateway's answers. */
  statusesServed: string[];
  /** Every call the emulator made back to a client (provider webhooks), in order. */
  callbacks: { job_id: string; url: string; status: string }[];
  /**
   * What `GET /files/<name>` (the result URLs) answers instead of the sample video, for tests of
   * the gateway's copies (a huge, slow, mislabelled or redirecting file); `undefined` falls back.
   */
  files: ((name: string, request: Request) => Response | undefined | Promise<Response | undefined>) | undefined;
  /** How many times `/files/*` was fetched. */
  fileFetches: number;
  reset(): void;
}

export interface Emulator {
  /** The HTTP API; serve it or call `app.fetch`. */
  app: Hono;
  control: EmulatorControl;
}

/**
 * What a provider's `emulator.ts` exports, loaded through its definition's `emulator()`: the
 * factory, and the prompts that steer its jobs through every documented status, so that one
 * conformance suite can check every registered provider.
 */
export interface EmulatorModule {
  createEmulator(options?: EmulatorOptions): Emulator;
  /** Prompts whose jobs, polled to the end, pass through every documented status between them. */
  statusWalks: readonly string[];
  /** A prompt whose job ends in a status the provider never documented. */
  unknownStatusPrompt: string;
}

/** Directives a prompt may carry to steer an emulated job, e.g. `"a cat [fail]"`. */
export function promptDirectives(prompt: unknown): Set<string> {
  const found = new Set<string>();
  if (typeof prompt !== 'string') return found;
  for (const match of prompt.matchAll(/\[([a-z-]+(?::[a-z-]+)?)\]/g)) found.add(match[1]!);
  return found;
}

/** Index into a status sequence for a job, given how it progresses. */
export function progressStep(job: { createdAt: number; polls: number }, progression: Progression, now: number): number {
  return progression.mode === 'per-poll' ? job.polls : Math.floor((now - job.createdAt) / progression.msPerStep);
}

/** Bearer check shared by the emulators; `undefined` when the caller may proceed. */
export function checkBearer(c: Context, apiKey: string | undefined): 'missing' | 'invalid' | undefined {
  const header = c.req.header('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  if (!token) return 'missing';
  if (apiKey !== undefined && token !== apiKey) return 'invalid';
  return undefined;
}

/** Reads a JSON body; `undefined` for an empty or non-JSON body (the emulator decides what that means). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A Hono app with the kit's routes and middleware installed. `classify` tells which calls are
 * creates and polls, so faults can target them; the provider adds its own routes afterwards.
 */
export function createEmulatorApp(classify: (method: string, path: string) => CallKind | undefined): Emulator {
  const app = new Hono();
  const control: EmulatorControl = {
    faults: new FaultBook(),
    requests: [],
    statusesServed: [],
    callbacks: [],
    files: undefined,
    fileFetches: 0,
    reset() {
      control.files = undefined;
      control.fileFetches = 0;
      control.callbacks.length = 0;
      control.faults.clear();
      control.requests.length = 0;
      control.statusesServed.length = 0;
    },
  };
  installControlRoutes(app, control);
  app.get('/files/:name', async (c) => {
    control.fileFetches += 1;
    const custom = await control.files?.(c.req.param('name'), c.req.raw);
    return custom ?? c.body(SAMPLE_MP4.slice().buffer, 200, { 'content-type': 'video/mp4' });
  });
  app.use('*', recordAndInjectFaults(control, classify));
  return { app, control };
}

function installControlRoutes(app: Hono, control: EmulatorControl): void {
  app.post('/__emulator/faults', async (c) => {
    try {
      control.faults.add((await c.req.json()) as never);
    } catch (error) {
      return c.json({ error: `invalid fault rule: ${String(error)}` }, 400);
    }
    return c.json({ ok: true }, 201);
  });
  app.delete('/__emulator/faults', (c) => {
    control.faults.clear();
    return c.json({ ok: true });
  });
  app.get('/__emulator/requests', (c) => c.json(control.requests));
  app.get('/__emulator/callbacks', (c) => c.json(control.callbacks));
  app.post('/__emulator/reset', (c) => {
    control.reset();
    return c.json({ ok: true });
  });
}

function recordAndInjectFaults(
  control: EmulatorControl,
  classify: (method: string, path: string) => CallKind | undefined,
): MiddlewareHandler {
  return async (c, next) => {
    const kind = classify(c.req.method, c.req.path);
    const url = new URL(c.req.url);
    const bodyText = c.req.method === 'GET' ? '' : await c.req.raw.clone().text();
    control.requests.push({
      kind: kind ?? 'other',
      method: c.req.method,
      url: url.pathname + url.search,
      authorized: c.req.header('authorization') !== undefined,
      body: parseOrRaw(bodyText),
      at: Date.now(),
    });
    const fault = kind ? control.faults.take(kind) : undefined;
    if (!fault) return next();
    const answer = await applyFault(c, fault);
    if (answer) return answer;
    return next();
  };
}

async function applyFault(c: Context, fault: Fault): Promise<Response | undefined> {
  switch (fault.kind) {
    case 'status':
      return c.json((fault.body ?? { error: `injected ${fault.status}` }) as object, fault.status as 400, fault.headers);
    case 'delay':
      await sleep(fault.ms, c.req.raw.signal);
      return undefined;
    case 'hang':
      await sleep(10 * 60_000, c.req.raw.signal);
      return c.json({ error: 'hung request released' }, 504);
    case 'redirect':
      return c.body(null, fault.status as 302, { location: fault.location });
    case 'gzip-bomb':
      return new Response(gzipBomb(fault.inflated_bytes), { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    case 'malformed':
      return c.body(fault.body ?? '{"job_id": "truncated', (fault.status ?? 200) as 200, {
        'content-type': fault.content_type ?? 'application/json',
      });
  }
}

/**
 * `bytes` of spaces after an opening brace, gzip-compressed on the fly: the answer on the wire is
 * about a thousandth of what it inflates to. Streamed, so the emulator never holds it either.
 */
function gzipBomb(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let left = bytes;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const size = Math.min(left, chunk.byteLength);
      left -= size;
      controller.enqueue(size === chunk.byteLength ? chunk : chunk.subarray(0, size));
    },
  });
  return source.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function parseOrRaw(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
