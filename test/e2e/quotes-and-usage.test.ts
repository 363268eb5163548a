/**
 * Cost before and after: `POST /v1/jobs/quote` answers what the create would estimate, without a
 * job or a provider call; `max_cost_usd` refuses or steers fallback before anything is sent; each
 * job carries `usage`, replaced by the provider's billed figure when it reports one.
 */
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.ts';

const ROUTING = JSON.stringify({
  aliases: {
    // Veo 3.1 at 8 s is 916 CU ($1.683150); Kling 2.5 at 10 s is 401 CU ($0.736838).
    'pricey-first': ['krea/google/veo-3.1', 'krea/kling/kling-2.5'],
    'kling-then-aiml': ['krea/kling/kling-2.5', 'aimlapi/klingai/v2.5-turbo/pro/text-to-video'],
  },
  prices: { aimlapi: { models: { 'klingai/v2.5-turbo/pro/text-to-video': { usd_per_second: 0.07 } } } },
});

const stack = useStack({ VIDGATE_CONFIG: ROUTING });

const creates = (provider: 'krea' | 'aimlapi') => stack.emulator(provider).emulator.control.requests.filter((request) => request.method === 'POST').length;

describe('POST /v1/jobs/quote', () => {
  it('answers the estimate of the first target and of each fallback, and creates nothing', async () => {
    const before = creates('krea') + creates('aimlapi');
    const quote = await stack.request('POST', '/v1/jobs/quote', { body: { model: 'kling-then-aiml', prompt: 'a lighthouse', duration: 10 } });
    expect(quote.status).toBe(200);
    expect(quote.body).toEqual({
      object: 'quote',
      model: 'kling-then-aiml',
      target: 'krea/kling/kling-2.5',
      estimate: { amount: 0.736838, currency: 'USD', provider_units: 401, unit: 'krea_compute_unit' },
      alternatives: [{ target: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', estimate: { amount: 0.7, currency: 'USD', provider_units: null, unit: null } }],
    });
    expect(creates('krea') + creates('aimlapi')).toBe(before);
    expect((await stack.request('GET', '/v1/jobs')).body.data.filter((job: { model: string }) => job.model === 'kling-then-aiml')).toEqual([]);
  });

  it("equals the estimate the create then carries as the job's usage", async () => {
    const body = { model: 'kling-2.5', prompt: 'a lighthouse', duration: 5 };
    const quote = await stack.request('POST', '/v1/jobs/quote', { body });
    const created = await stack.create(body);
    expect(created.status).toBe(202);
    expect(created.body.usage).toEqual({ ...quote.body.estimate, source: 'estimate' });
    expect(quote.body.estimate).toEqual({ amount: 0.3675, currency: 'USD', provider_units: 200, unit: 'krea_compute_unit' });
  });

  it('refuses what a create would refuse, with the same error', async () => {
    const body = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 7 };
    const [quote, create] = [await stack.request('POST', '/v1/jobs/quote', { body }), await stack.create(body)];
    expect(quote.status).toBe(422);
    expect(quote.body.error).toMatchObject({ code: 'unsupported_duration', param: 'duration' });
    expect(create.body.error.code).toBe(quote.body.error.code);
  });

  it('answers a null estimate for a target without a known price', async () => {
    const quote = await stack.request('POST', '/v1/jobs/quote', { body: { model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'a lighthouse', start_image: 'https://example.com/cat.png' } });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ target: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', estimate: null, alternatives: [] });
  });
});

describe('max_cost_usd', () => {
  it('is a 422 cost_limit_exceeded with the estimate when the target is above it, and nothing is sent', async () => {
    const before = creates('krea');
    // The alias's first target is $0.736838 and its AI/ML API text-to-video target $0.70 (the
    // operator's price); its image-to-video target cannot serve a request without an image.
    const answer = await stack.create({ model: 'kling-2.5', prompt: 'a lighthouse', duration: 10, max_cost_usd: 0.5 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({
      code: 'cost_limit_exceeded',
      param: 'max_cost_usd',
      estimate: { amount: 0.7, currency: 'USD', provider_units: null, unit: null },
    });
    expect(creates('krea')).toBe(before);
  });

  it('lets fallback pass over a target above it, never picking one that costs more', async () => {
    const answer = await stack.create({ model: 'pricey-first', prompt: 'a lighthouse', duration: 8, max_cost_usd: 1 });
    // Veo 3.1 has no 10 s and Kling 2.5 no 8 s: each target is judged on what it would do with the request.
    expect(answer.status).toBe(422);
    const fits = await stack.create({ model: 'pricey-first', prompt: 'a lighthouse', max_cost_usd: 1 });
    expect(fits.status).toBe(202);
    expect(fits.body).toMatchObject({ provider_model: 'kling/kling-2.5', usage: { amount: 0.3675, source: 'estimate' } });
    expect(fits.body.warnings).toEqual([expect.objectContaining({ code: 'target_skipped', requested: 'krea/google/veo-3.1', message: expect.stringContaining('cost_limit_exceeded') })]);
  });

  it('refuses a target without a known price, since it cannot be held to the limit', async () => {
    const answer = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'a lighthouse', start_image: 'https://example.com/cat.png', max_cost_usd: 100 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'cost_limit_exceeded', estimate: null });
  });

  it('accepts a job within it', async () => {
    const answer = await stack.create({ model: 'kling-2.5', prompt: 'a lighthouse', duration: 5, max_cost_usd: 0.3675 });
    expect(answer.status).toBe(202);
  });
});

describe("a job's usage", () => {
  it("becomes the provider's billed figure when AI/ML API reports it", async () => {
    const created = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', prompt: 'a lighthouse', duration: 5 });
    expect(created.status).toBe(202);
    const done = (await stack.pollUntilTerminal(created.body.id)).body;
    expect(done.status).toBe('completed');
    // The emulator charges 21,000 credits a second and reports $0.0000005 each, in its headers and meta.usage.
    expect(done.usage).toEqual({ amount: 0.0525, currency: 'USD', provider_units: 105_000, unit: 'aimlapi_credit', source: 'provider' });
  });

  it('is zero for a Krea job that failed, which Krea does not bill', async () => {
    const created = await stack.create({ model: 'kling-2.5', prompt: 'a lighthouse [fail]', duration: 5 });
    expect(created.body.usage).toMatchObject({ amount: 0.3675, source: 'estimate' });
    const done = (await stack.pollUntilTerminal(created.body.id)).body;
    expect(done.status).toBe('failed');
    expect(done.usage).toEqual({ amount: 0, currency: 'USD', provider_units: 0, unit: 'krea_compute_unit', source: 'estimate' });
  });
});
