/**
 * A seeded fuzz test of the create route: whatever arrives, the gateway answers below 500, always in
 * the documented envelope, and a request it refuses never reaches a provider. The seed is fixed, so
 * a failure reproduces; fast-check prints the shrunk counterexample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import { callsOf, useStack } from '../support/stack.ts';

const stack = useStack();

const MODELS = ['krea/kling/kling-2.5', 'aimlapi/krea/krea-wan-14b/text-to-video', 'kling-2.5', 'wan-14b', 'krea/google/veo-3.1', 'constructor', '__proto__', 'krea/', '', 'x'.repeat(300)];
const tricky = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', '\u0000', '😀', '../../etc/passwd', 'data:image/png;base64,', 'https://169.254.169.254/', 'file:///etc/passwd');
const anyString = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), tricky);
const anyNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 5, 10, 4.875, 1e308, -0, 2 ** 53 + 1));
const leaf = fc.oneof(anyString, anyNumber, fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(anyString, tie('value'), { maxKeys: 4 })),
})).value;

const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, json);
const createBody = fc.record(
  {
    model: field(fc.constantFrom(...MODELS)),
    prompt: field(fc.oneof(fc.string({ maxLength: 60 }), fc.constant('x'.repeat(10_001)))),
    duration: field(anyNumber),
    aspect_ratio: field(fc.constantFrom('16:9', '9:16', '1:1', '21:9', '1920:1080', '0:0', 'wide')),
    resolution: field(fc.constantFrom('720p', '1080p', '4K', '8k')),
    start_image: field(fc.constantFrom('https://example.com/a.png', 'http://example.com/a.png', 'data:image/png;base64,====', 'javascript:alert(1)', 'https://[::1]/')),
    end_image: field(anyString),
    generate_audio: field(fc.boolean()),
    enhance_prompt: field(fc.boolean()),
    seed: field(anyNumber),
    mode: field(fc.constantFrom('pro', 'std', 'constructor')),
    provider: field(fc.constantFrom(...providers.map((provider) => provider.name), 'openai', '__proto__')),
    provider_options: field(fc.dictionary(fc.constantFrom(...providers.map((provider) => provider.name), '__proto__', 'fal'), json, { maxKeys: 2 })),
    metadata: field(fc.dictionary(anyString, anyString, { maxKeys: 20 })),
    colour: json,
  },
  { requiredKeys: [] },
);
/** Bodies that are not JSON objects at all, and JSON sent under other content types. */
const rawBody = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('{', '[]', 'null', '"x"', '{"model":', '\u0000', '{"__proto__": {"a": 1}}'));

function upstreamCreates(): number {
  return providers.reduce((total, provider) => total + callsOf(stack.emulator(provider.name), 'create').length, 0);
}

async function expectWellFormed(answer: { status: number; body: any; text: string }, createsBefore: number): Promise<void> {
  expect(answer.status, answer.text).toBeLessThan(500);
  if (answer.status === 202) return;
  expect(answer.body?.error, answer.text).toMatchObject({ code: expect.stringMatching(/^[a-z][a-z0-9_]*$/), message: expect.any(String) });
  // A 4xx from the gateway's own checks calls nobody; only a provider's refusal (which names it) may have.
  if (answer.body.error.provider === undefined) expect(upstreamCreates(), answer.text).toBe(createsBefore);
}

describe('the create route under fuzzing', () => {
  it('answers every generated JSON body below 500, in the envelope, without a provider call when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(createBody, async (body) => {
        const before = upstreamCreates();
        await expectWellFormed(await stack.request('POST', '/v1/jobs', { body }), before);
      }),
      { seed: 20261201, numRuns: 400 },
    );
  });

  it('answers every malformed or mistyped body below 500, in the envelope, without a provider call', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json'), async (text, type) => {
        const before = upstreamCreates();
        const answer = await stack.request('POST', '/v1/jobs', { body: text, headers: { 'content-type': type } });
        await expectWellFormed(answer, before);
        expect(answer.status).not.toBe(202);
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });
});
