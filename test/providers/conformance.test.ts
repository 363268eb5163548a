/**
 * The provider conformance suite (the idea of Hono's shared router cases): the same checks for
 * every provider in the registry, through the real gateway (in-process) and the provider's own
 * emulator. A new provider passes these or it does not ship.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorModule } from '../../providers/emulator-kit/index.ts';
import { providers } from '../../providers/index.ts';
import type { JsonSchema, ModelDescriptor, ProviderDefinition, ProviderFailureKind } from '../../providers/types.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { UPSTREAM_ERRORS } from '../../src/errors.ts';
import { memoryJobStore } from '../../src/jobs/store/memory-job-store.ts';
import type { JobStore } from '../../src/jobs/store/job-store.ts';
import { failureKind } from '../../src/upstream/failures.ts';
import { emulatorEnv, emulatorNetwork, type EmulatorNetwork } from '../support/emulator-network.ts';

const GATEWAY_KEY = 'conformance-gateway-key';
const JOB_SECRET = 'conformance-job-id-secret-0123';
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const STATUS_RANK: Record<string, number> = { queued: 0, in_progress: 1, completed: 2, failed: 2, cancelled: 2 };
const FAILURE_KINDS: readonly ProviderFailureKind[] = ['invalid_request', 'auth', 'out_of_credits', 'rate_limited', 'not_found', 'unavailable', 'timeout'];

let network: EmulatorNetwork;
let app: ReturnType<typeof createApp>;
let store: JobStore;

beforeAll(async () => {
  network = await emulatorNetwork();
  // Every read refreshes (freshness 0) and no background poll interferes: each GET is one provider poll.
  const config = loadConfig({ GATEWAY_API_KEYS: GATEWAY_KEY, JOB_ID_SECRET: JOB_SECRET, POLL_FRESHNESS_MS: '0', POLL_INTERVAL_MS: '3600000', ...emulatorEnv() }, providers);
  store = memoryJobStore();
  app = createApp({ config, providers, store, fetch: network.fetch, sleep: async () => {} });
});

async function call(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${GATEWAY_KEY}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** A model that takes a bare prompt: no required image, no required provider options. */
function plainModel(provider: ProviderDefinition): ModelDescriptor {
  const model = provider.models.find((candidate) => candidate.capabilities.start_image !== 'required' && requiredOptions(candidate).length === 0);
  if (!model) throw new Error(`${provider.name} has no model that takes a bare prompt`);
  return model;
}

function requiredOptions(model: ModelDescriptor): string[] {
  return (model.capabilities.provider_options.required ?? []) as string[];
}

/** A value the JSON Schema accepts, for the provider options a model requires. */
function exampleOf(schema: JsonSchema): unknown {
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.type === 'number' || schema.type === 'integer') return typeof schema.minimum === 'number' ? schema.minimum : 512;
  if (schema.type === 'boolean') return false;
  if (schema.type === 'string') return schema.format === 'uri' ? 'https://example.com/input.mp4' : 'x';
  throw new Error(`no example for ${JSON.stringify(schema)}`);
}

/** The smallest request the model accepts: a prompt, plus whatever it requires. */
function baseRequest(provider: ProviderDefinition, model: ModelDescriptor): Record<string, unknown> {
  const properties = (model.capabilities.provider_options.properties ?? {}) as Record<string, JsonSchema>;
  const options = Object.fromEntries(requiredOptions(model).map((name) => [name, exampleOf(properties[name]!)]));
  return {
    model: `${provider.name}/${model.id}`,
    prompt: 'a lighthouse at dusk',
    ...(model.capabilities.start_image === 'required' ? { start_image: 'https://example.com/start.png' } : {}),
    ...(Object.keys(options).length > 0 ? { provider_options: { [provider.name]: options } } : {}),
  };
}

/** One request field set to each value the model advertises, one at a time. */
function advertisedValues(model: ModelDescriptor): [string, unknown][] {
  const caps = model.capabilities;
  const values: [string, unknown][] = [];
  const rule = caps.duration;
  if (rule?.kind === 'values') values.push(...rule.values.map((seconds): [string, unknown] => ['duration', seconds]));
  if (rule?.kind === 'range') values.push(...[rule.min, rule.max, rule.default].filter((seconds) => seconds !== undefined && seconds > 0).map((seconds): [string, unknown] => ['duration', seconds]));
  if (rule?.kind === 'frames') values.push(['duration', rule.min_frames / rule.fps], ['duration', rule.max_frames / rule.fps], ['duration', 5]);
  for (const ratio of caps.aspect_ratios ?? []) values.push(['aspect_ratio', ratio]);
  for (const resolution of caps.resolutions ?? []) values.push(['resolution', resolution]);
  for (const mode of caps.modes ?? []) values.push(['mode', mode]);
  if (caps.start_image) values.push(['start_image', 'https://example.com/start.png']);
  if (caps.end_image) values.push(['end_image', 'https://example.com/end.png']);
  if (caps.generate_audio) values.push(['generate_audio', true], ['generate_audio', false]);
  if (caps.enhance_prompt) values.push(['enhance_prompt', true], ['enhance_prompt', false]);
  // An open bound is tested far out: a negative seed and one past 2^32.
  if (caps.seed) values.push(['seed', caps.seed.min ?? -2_147_483_648], ['seed', caps.seed.max ?? 2 ** 40]);
  return values;
}

/** An HTTP status this provider reads as `kind` (its own table where it differs, else the shared one). */
function statusFor(provider: ProviderDefinition, kind: ProviderFailureKind): number {
  for (let status = 400; status < 600; status++) if (failureKind(provider, status) === kind) return status;
  throw new Error(`${provider.name} maps no HTTP status to ${kind}`);
}

describe.each(providers.map((provider) => [provider.name, provider] as const))('provider %s', (name, provider) => {
  let module: EmulatorModule;
  beforeAll(() => {
    module = network.modules[name]!;
  });
  beforeEach(() => network.reset());

  /** Creates a job and polls it to the end, pairing each answer with the status the emulator served behind it. */
  async function walk(prompt: string) {
    network.reset();
    const created = await call('POST', '/v1/jobs', { ...baseRequest(provider, plainModel(provider)), prompt });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const served = network.emulators[name]!.control.statusesServed;
    const answers = [{ raw: served.at(-1), job: created.body }];
    for (let polls = 0; polls < 20 && !TERMINAL.has(answers.at(-1)!.job.status); polls++) {
      const polled = await call('GET', `/v1/jobs/${created.body.id}`);
      answers.push({ raw: served.at(-1), job: polled.status === 200 ? polled.body : polled });
      if (polled.status !== 200) break;
    }
    return answers;
  }

  it('reaches every documented status through its emulator, and each normalizes by the table', async () => {
    const seen = new Set<string>();
    for (const prompt of module.statusWalks) {
      const answers = await walk(prompt);
      // A job only moves forward: waiting, then running, then one terminal state it never leaves.
      const ranks = answers.map(({ job }) => STATUS_RANK[job.status as string]);
      expect(ranks, prompt).toEqual([...ranks].sort());
      expect(TERMINAL.has(answers.at(-1)!.job.status), prompt).toBe(true);
      for (const { raw, job } of answers) {
        expect(raw, prompt).toBeDefined();
        seen.add(raw!);
        expect(provider.statuses.has(raw!), `${raw} is documented`).toBe(true);
        expect(job.status, `${prompt}: ${raw}`).toBe(provider.statuses.get(raw!));
        if (job.status === 'completed') expect(job).toMatchObject({ progress: 100, error: null, videos: [expect.objectContaining({ url: expect.any(String) })] });
        if (job.status === 'failed') expect(job).toMatchObject({ videos: [], error: { code: 'generation_failed', provider_status: raw } });
        if (job.status === 'cancelled') expect(job).toMatchObject({ videos: [], error: null });
      }
    }
    expect([...seen].sort()).toEqual([...provider.statuses.keys()].sort());
  });

  it('reports a status it never documented as provider_unknown_status, never a guess', async () => {
    const answers = await walk(module.unknownStatusPrompt);
    const last = answers.at(-1)!;
    expect(provider.statuses.has(last.raw!)).toBe(false);
    expect(last.job).toMatchObject({ status: 502, body: { error: { code: 'provider_unknown_status', provider: name } } });
  });

  it.each(FAILURE_KINDS)('maps the HTTP answers it reads as %s to their stable code', async (kind) => {
    const httpStatus = statusFor(provider, kind);
    const onPoll = kind === 'not_found';
    const id = onPoll ? (await call('POST', '/v1/jobs', baseRequest(provider, plainModel(provider)))).body.id : undefined;
    network.emulators[name]!.control.faults.add({ on: onPoll ? 'poll' : 'create', fault: { kind: 'status', status: httpStatus, body: { error: `emulated ${httpStatus}` } }, times: 0 });
    const answer = onPoll ? await call('GET', `/v1/jobs/${id}`) : await call('POST', '/v1/jobs', baseRequest(provider, plainModel(provider)));
    const expected = UPSTREAM_ERRORS[kind];
    expect(answer.status).toBe(expected.status);
    expect(answer.body.error).toMatchObject({ code: expected.code, provider: name });
  });

  it('stores the operation its create returned so that its own schema reads it back and the job polls', async () => {
    const created = await call('POST', '/v1/jobs', baseRequest(provider, plainModel(provider)));
    const record = await store.get(created.body.id);
    const decoded = provider.operation.safeParse(record?.operation);
    expect(decoded.success).toBe(true);
    expect(decoded.data).toEqual(record!.operation);
    expect((await call('GET', `/v1/jobs/${created.body.id}`)).status).toBe(200);
  });

  it.each(provider.models.map((model) => [model.id, model] as const))('builds a body its emulator accepts for every value %s advertises', async (_id, model) => {
    for (const [field, value] of advertisedValues(model)) {
      network.reset();
      const answer = await call('POST', '/v1/jobs', { ...baseRequest(provider, model), [field]: value });
      expect(answer.status, `${field}=${JSON.stringify(value)}: ${JSON.stringify(answer.body)}`).toBe(202);
      expect(network.emulators[name]!.control.requests.filter((request) => request.kind === 'create')).toHaveLength(1);
    }
  });
});

