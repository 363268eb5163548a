/**
 * The gateway validates with its own schema library (src/validation/), which must refuse and
 * accept exactly as zod 4 does, with the same issues (code, path, message): answers and
 * configuration errors are worded from them. Each schema that validates at the boundary is run
 * here against its zod twin (rebuilt call for call by src/openapi/zod-bridge.ts, the same rebuild
 * the API document is generated from) on inputs generated near what the schema accepts, and every
 * catalog's provider_options schema against `z.fromJSONSchema`, which validated them before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { providers } from '../../../providers/index.ts';
import { CoreEnvSchema, CoreEnvWithNamedKeysSchema } from '../../../src/config.ts';
import { CorsOriginsSchema } from '../../../src/http/cors.ts';
import { toZod } from '../../../src/openapi/zod-bridge.ts';
import { RoutingConfigSchema } from '../../../src/routing/schema.ts';
import { createJobRequestSchema } from '../../../src/schemas/create-job.ts';
import { CreateVideoRequestSchema } from '../../../src/schemas/video-request.ts';
import { fromJsonSchema } from '../../../src/validation/json-schema.ts';
import type { AnySchema, Check } from '../../../src/validation/schema.ts';

const RUNS = 400;

/** Any JSON-ish value, shallow. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -1, 1.5, '', ' ', 'x', [], {}, Number.NaN, Infinity),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
);

function stringNear(checks: readonly Check[]): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })];
  for (const check of checks) {
    // Around the bound (not the 20 MB ones: a test cannot afford strings that long by the hundred).
    if ((check.kind === 'min_length' || check.kind === 'max_length') && check.value <= 20_000) {
      // In UTF-16 units and in code points (an astral character is two units).
      options.push(fc.constantFrom(check.value - 1, check.value, check.value + 1).filter((n) => n >= 0).chain((n) => fc.constantFrom('a'.repeat(n), '😀'.repeat(n), `${'a'.repeat(Math.max(0, n - 1))}😀`)));
    }
    if (check.kind === 'regex') options.push(fc.stringMatching(check.pattern), fc.stringMatching(check.pattern).map((text) => `${text} `));
    if (check.kind === 'url') options.push(fc.constantFrom('https://example.com', ' http://example.com/x ', 'http:example.com', 'ftp://x.y', 'https://', 'not a url', 'https://a.b/\tc'));
    if (check.kind === 'trim') options.push(fc.constantFrom('  ', ' a ', '\tb'));
  }
  return fc.oneof(...options);
}

function numberNear(checks: readonly Check[], coerce: boolean): fc.Arbitrary<unknown> {
  const bounds = checks.flatMap((check) => ('value' in check && typeof check.value === 'number' ? [check.value - 1, check.value - 0.5, check.value, check.value + 0.5, check.value + 1] : []));
  const numbers = fc.oneof(fc.integer({ min: -100, max: 100_000 }), fc.double({ noNaN: true }), fc.constantFrom(0, -0, 0.25, 2 ** 53, -(2 ** 53), ...bounds));
  return coerce ? fc.oneof(numbers.map(String), numbers, fc.constantFrom('', ' 5 ', '0x10', '1e3', 'abc', 'Infinity')) : numbers;
}

/** Values near what `schema` accepts (and some that are not), read off its definition. */
function near(schema: AnySchema, depth = 0): fc.Arbitrary<unknown> {
  const { def } = schema;
  const part = (name: string) => def[name] as AnySchema;
  let specific: fc.Arbitrary<unknown>;
  switch (def.kind) {
    case 'string':
      specific = stringNear(def.checks);
      break;
    case 'number':
      specific = numberNear(def.checks, def.coerce === true);
      break;
    case 'boolean':
      specific = fc.boolean();
      break;
    case 'enum':
    case 'literal':
      specific = fc.oneof(fc.constantFrom(...(def.values as unknown[])), fc.constantFrom('constructor', 'other'));
      break;
    case 'array': {
      const max = def.checks.find((check) => check.kind === 'max_length');
      specific = fc.array(near(part('element'), depth + 1), { maxLength: max && 'value' in max ? (max.value as number) + 2 : 5 });
      break;
    }
    case 'record':
      specific = fc.dictionary(stringNear(part('key').def.checks), near(part('value'), depth + 1), { maxKeys: 18 });
      break;
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const known = fc.record(Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, near(value, depth + 1)])), { requiredKeys: [] });
      const extra = fc.dictionary(fc.constantFrom('colour', 'extra', '__proto__', 'constructor'), anyValue, { maxKeys: 2 });
      specific = fc.tuple(known, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra })).map(([a, b]) => Object.assign(JSON.parse(JSON.stringify(b ?? {})), a));
      break;
    }
    case 'union':
      specific = fc.oneof(...(def.options as AnySchema[]).map((option) => near(option, depth + 1)));
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'catch':
      specific = fc.oneof(fc.constantFrom(undefined, null), near(part('inner'), depth));
      break;
    case 'pipe':
      specific = near(part('in'), depth);
      break;
    default:
      specific = anyValue;
  }
  return depth > 3 ? specific : fc.oneof({ weight: 6, arbitrary: specific }, { weight: 1, arbitrary: anyValue });
}

/** What the two libraries must agree on. */
function outcome(result: { success: boolean; data?: unknown; error?: { issues: readonly object[] } }) {
  if (result.success) return { success: true, data: result.data };
  const issues = result.error!.issues.map((issue) => {
    const { code, path, message, keys } = issue as { code: string; path: PropertyKey[]; message: string; keys?: string[] };
    return { code, path, message, ...(keys ? { keys } : {}) };
  });
  return { success: false, issues };
}

function expectParity(schema: AnySchema, twin: z.ZodType, runs = RUNS): void {
  fc.assert(
    fc.property(near(schema), (input) => {
      expect(outcome(schema.safeParse(input))).toStrictEqual(outcome(twin.safeParse(input)));
    }),
    { numRuns: runs },
  );
}

describe('the validation library against zod', () => {
  const names = providers.map((provider) => provider.name);

  it.each([
    ['the create-job request', createJobRequestSchema(names)],
    ['the OpenAI-shaped create request', CreateVideoRequestSchema],
    ['the environment', CoreEnvSchema],
    ['the environment with named keys', CoreEnvWithNamedKeysSchema],
    ['VIDGATE_CONFIG', RoutingConfigSchema],
    ['CORS_ORIGINS', CorsOriginsSchema],
  ] as [string, AnySchema][])('gives %s the same outcome, value and issues', (_name, schema) => {
    expectParity(schema, toZod(schema));
  });

  it('gives every provider operation schema the same outcome', () => {
    for (const provider of providers) expectParity(provider.operation, toZod(provider.operation), 100);
  });

  it('reads every catalog\'s provider_options JSON Schema as z.fromJSONSchema did', () => {
    for (const provider of providers) {
      for (const model of provider.models) {
        const schema = model.capabilities.provider_options;
        expectParity(fromJsonSchema(schema), z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]), 60);
      }
    }
  });
});
