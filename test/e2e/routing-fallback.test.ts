import { describe, expect, it } from 'vitest';
import { callsOf, closedPort, useStack } from '../support/stack.ts';

const ROUTING = JSON.stringify({
  aliases: {
    duo: { targets: ['krea/kling/kling-2.5', 'aimlapi/klingai/v2.5-turbo/pro/text-to-video'], pin_only: ['aimlapi/klingai/v2.5-turbo/pro/image-to-video'] },
    'text-first': ['aimlapi/klingai/v2.5-turbo/pro/text-to-video', 'krea/kling/kling-2.5'],
  },
});

const stack = useStack({ VIDGATE_CONFIG: ROUTING });

async function withGateway(env: Record<string, unknown>, run: () => Promise<void>): Promise<void> {
  await stack.restartGateway({ ...stack.env, ...env });
  try {
    await run();
  } finally {
    await stack.restartGateway();
  }
}

const duo = { model: 'duo', prompt: 'a lighthouse', duration: 5 };

describe('an alias with fallback targets', () => {
  it('is served by its first target when that one can take the job', async () => {
    const answer = await stack.create(duo);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ model: 'duo', provider: 'krea', provider_model: 'kling/kling-2.5', warnings: [] });
    expect(stack.emulator('aimlapi').emulator.control.requests).toEqual([]);
  });

  it('falls back when the first provider refuses with 429 (no job was started), saying why', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429 }, times: 0 });
    const answer = await stack.create(duo);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ model: 'duo', provider: 'aimlapi', provider_model: 'klingai/v2.5-turbo/pro/text-to-video' });
    expect(answer.body.warnings).toEqual([
      expect.objectContaining({ code: 'target_skipped', field: 'model', requested: 'krea/kling/kling-2.5', applied: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', message: expect.stringContaining('provider_rate_limited') }),
    ]);
    const job = (await stack.pollUntilTerminal(answer.body.id)).body;
    expect(job).toMatchObject({ status: 'completed', provider: 'aimlapi', warnings: answer.body.warnings });
  });

  it('falls back when the first provider refuses the connection', async () => {
    await withGateway({ KREA_BASE_URL: `http://127.0.0.1:${await closedPort()}` }, async () => {
      const answer = await stack.create(duo);
      expect(answer.status).toBe(202);
      expect(answer.body.provider).toBe('aimlapi');
      expect(answer.body.warnings[0].message).toContain('provider_unavailable');
    });
  });

  it.each([
    ['a 5xx', { kind: 'status', status: 500 }, 503],
    ['a timeout', { kind: 'delay', ms: 3_000 }, 504],
    ['a hang', { kind: 'hang' }, 504],
    ['a malformed answer', { kind: 'malformed' }, 502],
  ] as const)('never falls back after %s on create, since the job may exist upstream', async (_name, fault, status) => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault });
    const answer = await stack.create(duo);
    expect(answer.status).toBe(status);
    expect(answer.body.error.provider).toBe('krea');
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(1);
    expect(stack.emulator('aimlapi').emulator.control.requests).toEqual([]);
  });

  it('says nothing of a target after the serving one that could not have taken the job', async () => {
    // Without a start image the alias's pin-free targets fit; the image-to-video model (third in
    // kling-2.5) does not, but the first target serves the job, so nothing was passed over.
    const answer = await stack.create({ model: 'kling-2.5', prompt: 'a lighthouse' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ provider: 'krea', warnings: [] });
  });

  it('skips a target whose capabilities do not fit, without calling it', async () => {
    const answer = await stack.create({ model: 'text-first', prompt: 'wave', start_image: 'https://example.com/first.png' });
    expect(answer.status).toBe(202);
    expect(answer.body.provider).toBe('krea');
    expect(answer.body.warnings).toEqual([expect.objectContaining({ code: 'target_skipped', requested: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', message: expect.stringContaining('unsupported_parameter') })]);
    expect(stack.emulator('aimlapi').emulator.control.requests).toEqual([]);
  });

  it('answers a request no target fits with 422 listing each target’s reason, calling nobody', async () => {
    const answer = await stack.create({ ...duo, duration: 7 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'no_capable_target', param: 'duration' });
    expect(answer.body.error.message).toContain('krea/kling/kling-2.5: ');
    expect(answer.body.error.message).toContain('aimlapi/klingai/v2.5-turbo/pro/text-to-video: ');
    expect(stack.emulator('krea').emulator.control.requests).toEqual([]);
    expect(stack.emulator('aimlapi').emulator.control.requests).toEqual([]);
  });

  it('passes the last refusal on when every provider refused', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429 }, times: 0 });
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '20' } }, times: 0 });
    const answer = await stack.create(duo);
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('20');
    expect(answer.body.error).toMatchObject({ code: 'provider_rate_limited', provider: 'aimlapi' });
    expect(answer.body.error.message).toContain('No target of "duo" took the job');
  });

  it('skips a disabled provider, and still polls its jobs in flight', async () => {
    const before = await stack.create(duo);
    const disabled = JSON.stringify({ ...JSON.parse(ROUTING), providers: { krea: { enabled: false } } });
    await withGateway({ VIDGATE_CONFIG: disabled }, async () => {
      const answer = await stack.create(duo);
      expect(answer.body.provider).toBe('aimlapi');
      expect(answer.body.warnings[0].message).toContain('provider_disabled');
      expect((await stack.poll(before.body.id)).status).toBe(200);
      const models = (await stack.request('GET', '/v1/models')).body;
      expect(models.providers).toContainEqual({ name: 'krea', title: 'Krea', configured: true, enabled: false });
      expect(models.data.find((model: { id: string }) => model.id === 'duo').targets[0]).toEqual({ model: 'krea/kling/kling-2.5', provider: 'krea', available: false });
    });
  });

  it('skips a provider that has no key', async () => {
    await withGateway({ KREA_API_KEY: undefined }, async () => {
      const answer = await stack.create(duo);
      expect(answer.body.provider).toBe('aimlapi');
      expect(answer.body.warnings[0].message).toContain('provider_not_configured');
    });
  });
});

describe('pinning a provider', () => {
  it('serves the job from the pinned provider even when it is not first', async () => {
    const answer = await stack.create({ ...duo, provider: 'aimlapi' });
    expect(answer.status).toBe(202);
    expect(answer.body.provider).toBe('aimlapi');
    expect(stack.emulator('krea').emulator.control.requests).toEqual([]);
  });

  it('reaches pin-only targets, which fallback never uses', async () => {
    const answer = await stack.create({ model: 'duo', prompt: 'wave', start_image: 'https://example.com/a.png', provider: 'aimlapi' });
    expect(answer.status).toBe(202);
    expect(answer.body.provider_model).toBe('klingai/v2.5-turbo/pro/image-to-video');
  });

  it('does not fall back to other providers when the pinned one refuses', async () => {
    stack.emulator('aimlapi').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '30' } }, times: 0 });
    const answer = await stack.create({ ...duo, provider: 'aimlapi' });
    expect(answer.status).toBe(429);
    expect(stack.emulator('krea').emulator.control.requests).toEqual([]);
  });

  it('rejects a provider outside the model’s targets', async () => {
    const answer = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'x', provider: 'aimlapi' });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'provider_not_allowed', param: 'provider' });
    const unknown = await stack.create({ ...duo, provider: 'fal' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('provider');
  });
});

describe('switching the provider behind an alias by configuration only', () => {
  const request = { model: 'wan-14b', prompt: 'a fox in the snow', duration: 5 };

  it('serves the same client request from AI/ML API, then from Krea after a one-line change', async () => {
    const first = await stack.create(request);
    expect(first.body).toMatchObject({ model: 'wan-14b', provider: 'aimlapi', provider_model: 'krea/krea-wan-14b/text-to-video', input: { duration: 4.875 } });
    expect(first.body.warnings.map((warning: { code: string }) => warning.code)).toEqual(['duration_adjusted']);
    expect((await stack.pollUntilTerminal(first.body.id)).body.status).toBe('completed');

    await withGateway({ VIDGATE_CONFIG: '{"aliases": {"wan-14b": ["krea/alibaba/wan-2.5"]}}' }, async () => {
      const second = await stack.create(request);
      expect(second.body).toMatchObject({ model: 'wan-14b', provider: 'krea', provider_model: 'alibaba/wan-2.5', input: { duration: 5 }, warnings: [] });
      expect(callsOf(stack.emulator('krea'), 'create')[0]!.url).toBe('/generate/video/alibaba/wan-2.5');
      expect((await stack.pollUntilTerminal(second.body.id)).body.status).toBe('completed');
      // A job created before the switch keeps being served by the provider that took it.
      expect((await stack.poll(first.body.id)).body.provider).toBe('aimlapi');
    });
  });
});

describe('GET /v1/models', () => {
  it('lists every alias with its targets in order, next to the direct models', async () => {
    const { body } = await stack.request('GET', '/v1/models');
    const alias = body.data.find((model: { id: string }) => model.id === 'duo');
    expect(alias).toEqual({
      id: 'duo',
      object: 'model',
      type: 'alias',
      available: true,
      targets: [
        { model: 'krea/kling/kling-2.5', provider: 'krea', available: true },
        { model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', provider: 'aimlapi', available: true },
      ],
    });
    expect(body.data.find((model: { id: string }) => model.id === 'wan-14b')).toMatchObject({ type: 'alias', description: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('krea-secret-key');
  });
});
