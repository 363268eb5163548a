/**
 * An in-memory AI/ML API for tests and sandbox mode: the unified `/v2/video/generations` submit
 * and poll routes for the catalog's three models, with the documented error body
 * `{message, path, requestId, statusCode, timestamp}`.
 *
 * Prompt directives: `[fail]` and `[fail:detail]` end the generation in `error` (the schema's
 * `{name, message}` shape and the documented `{detail: [...]}` shape); `[unknown-status]` ends it
 * in `paused`, a status the API does not document, to exercise core's unknown-status path.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  checkBearer,
  createEmulatorApp,
  progressStep,
  promptDirectives,
  readJson,
  type CallKind,
  type Emulator,
  type EmulatorOptions,
  type Progression,
} from '../emulator-kit/index.ts';
import { parseSubmitBody } from './emulator-schemas.ts';

const GENERATIONS_PATH = '/v2/video/generations';

interface EmulatedGeneration {
  id: string;
  /** The uuid part of the id, reused as the video's file name. */
  uuid: string;
  createdAt: number;
  polls: number;
  directives: Set<string>;
  creditsUsed: number;
}

/** Which calls are creates and polls, so that faults can target them. */
function classifyAimlapiCall(method: string, path: string): CallKind | undefined {
  if (path !== GENERATIONS_PATH) return undefined;
  if (method === 'POST') return 'create';
  return method === 'GET' ? 'poll' : undefined;
}

/** Creates an AI/ML API emulator; serve `app` or call `app.fetch` directly. */
export function createAimlapiEmulator(options: EmulatorOptions = {}): Emulator {
  const emulator = createEmulatorApp(classifyAimlapiCall);
  const generations = new Map<string, EmulatedGeneration>();
  const now = options.now ?? Date.now;
  const progression: Progression = options.progression ?? { mode: 'per-poll' };

  emulator.app.post(GENERATIONS_PATH, async (c) => {
    const denied = authError(c, options.apiKey, now());
    if (denied) return denied;
    const parsed = parseSubmitBody(await readJson(c));
    if ('error' in parsed) return errorResponse(c, 400, parsed.error, now());
    const generation = newGeneration(parsed.model, parsed.body, now());
    generations.set(generation.id, generation);
    emulator.control.statusesServed.push('queued');
    return c.json({ id: generation.id, status: 'queued', meta: { usage: usageOf(generation) } });
  });

  emulator.app.get(GENERATIONS_PATH, (c) => {
    const denied = authError(c, options.apiKey, now());
    if (denied) return denied;
    const id = c.req.query('generation_id');
    if (!id) return errorResponse(c, 400, 'Query validation error! generation_id: Required', now());
    const generation = generations.get(id);
    if (!generation) return errorResponse(c, 404, `Generation ${id} not found`, now());
    generation.polls += 1;
    const sequence = statusSequence(generation.directives);
    const status = sequence[Math.min(progressStep(generation, progression, now()), sequence.length - 1)]!;
    emulator.control.statusesServed.push(status);
    // The cost headers of `request-tracing-and-cost.md`, on the answer that records the charge.
    const charged: Record<string, string> = status === 'completed' ? { 'x-aimlapi-credits-used': String(generation.creditsUsed), 'x-aimlapi-usd-spent': String(usageOf(generation).usd_spent) } : {};
    return c.json(pollBody(generation, status, new URL(c.req.url).origin), 200, charged);
  });

  return emulator;
}

/** The factory the provider definition's `emulator()` hands out. */
export const createEmulator = createAimlapiEmulator;

/** Between them, these jobs pass through all four documented statuses. */
export const statusWalks: readonly string[] = ['a dragon', 'a dragon [fail]'];

export const unknownStatusPrompt = 'a dragon [unknown-status]';

function newGeneration(model: string, body: Record<string, unknown>, createdAt: number): EmulatedGeneration {
  const uuid = crypto.randomUUID();
  return {
    id: `${uuid}:${model}`,
    uuid,
    createdAt,
    polls: 0,
    directives: promptDirectives(body.prompt),
    creditsUsed: emulatedCredits(body),
  };
}

/** A made-up but length-proportional charge, so clients see `meta.usage` change with the request. */
function emulatedCredits(body: Record<string, unknown>): number {
  if (typeof body.num_frames === 'number') return body.num_frames * 1_260;
  return (typeof body.duration === 'number' ? body.duration : 5) * 21_000;
}

/** `meta.usage` as the current schema has it: credits, and their USD value (98,000 credits = $0.049 in the docs' example). */
function usageOf(generation: EmulatedGeneration): { credits_used: number; usd_spent: number } {
  return { credits_used: generation.creditsUsed, usd_spent: Math.round(generation.creditsUsed * 0.5) / 1_000_000 };
}

function statusSequence(directives: Set<string>): string[] {
  if (directives.has('unknown-status')) return ['queued', 'generating', 'paused'];
  if (directives.has('fail') || directives.has('fail:detail')) return ['queued', 'generating', 'error'];
  return ['queued', 'generating', 'completed'];
}

function pollBody(generation: EmulatedGeneration, status: string, origin: string): Record<string, unknown> {
  const completed = status === 'completed';
  return {
    id: generation.id,
    status,
    video: completed ? { url: `${origin}/files/${generation.uuid}.mp4` } : null,
    error: status === 'error' ? failureOf(generation.directives) : null,
    meta: completed ? { usage: usageOf(generation) } : null,
  };
}

function failureOf(directives: Set<string>): unknown {
  if (!directives.has('fail:detail')) return { name: 'ProviderError', message: 'Generation failed upstream (emulated)' };
  return {
    detail: [{ loc: ['body', 'prompt'], msg: 'The prompt was flagged by content moderation (emulated)', type: 'moderation_error' }],
  };
}

function authError(c: Context, apiKey: string | undefined, now: number): Response | undefined {
  const problem = checkBearer(c, apiKey);
  if (!problem) return undefined;
  return errorResponse(c, 401, 'This request requires a valid API key. Check the Authorization: Bearer <key> header.', now);
}

/** The documented error body (A-DOCS `docs/errors-and-messages/general-info.md`). */
function errorResponse(c: Context, statusCode: ContentfulStatusCode, message: string, now: number): Response {
  const body = { message, path: c.req.path, requestId: crypto.randomUUID(), statusCode, timestamp: new Date(now).toISOString() };
  return c.json(body, statusCode);
}
