/**
 * A schema of the gateway's validation (src/validation/) rebuilt as the equivalent zod schema, call
 * for call, so that `z.toJSONSchema` documents the very schema that validates requests. Build-time
 * and tests only (zod is not in the Worker bundle): the API document's generator uses it, and the
 * parity tests run both on the same inputs to hold the validation to zod's behaviour.
 */
import * as z from 'zod';
import type { AnySchema, Check, SchemaDef } from '../validation/schema.ts';

const converted = new WeakMap<AnySchema, z.ZodType>();

export function toZod(schema: AnySchema): z.ZodType {
  let found = converted.get(schema);
  if (!found) converted.set(schema, (found = build(schema.def)));
  return found;
}

function build(def: SchemaDef): z.ZodType {
  let schema = withChecks(base(def), def.checks);
  if (def.meta) schema = schema.meta(def.meta);
  return schema;
}

const params = (error: string | undefined) => (error === undefined ? undefined : { error });

function base(def: SchemaDef): z.ZodType {
  const part = <T>(name: string) => def[name] as T;
  switch (def.kind) {
    case 'string': {
      const url = def.checks.find((check) => check.kind === 'url');
      if (url) return z.url({ ...(url.protocol ? { protocol: url.protocol } : {}), ...params(def.error) });
      return z.string(params(def.error));
    }
    case 'number': {
      const number = def.coerce ? z.coerce.number(params(def.error)) : z.number(params(def.error));
      return def.finite ? number.finite() : number;
    }
    case 'boolean':
      return z.boolean();
    case 'null':
      return z.null();
    case 'unknown':
      return z.unknown();
    case 'literal':
      return z.literal(part<readonly z.core.util.Literal[]>('values')[0]!);
    case 'enum':
      return z.enum(part<[string, ...string[]]>('values'));
    case 'array':
      return z.array(toZod(part('element')));
    case 'record':
      return z.record(toZod(part('key')) as z.ZodString, toZod(part('value')));
    case 'object': {
      const shape = Object.fromEntries(Object.entries(part<Record<string, AnySchema>>('shape')).map(([key, value]) => [key, toZod(value)]));
      const catchall = part<AnySchema | undefined>('catchall');
      if (catchall) return z.object(shape).catchall(toZod(catchall));
      const mode = part<string>('unknownKeys');
      return mode === 'strict' ? z.strictObject(shape) : mode === 'loose' ? z.looseObject(shape) : z.object(shape);
    }
    case 'union': {
      const options = part<AnySchema[]>('options').map(toZod) as [z.ZodType, z.ZodType, ...z.ZodType[]];
      return def.exclusive ? z.xor(options) : z.union(options);
    }
    case 'optional':
      return toZod(part('inner')).optional();
    case 'nullable':
      return toZod(part('inner')).nullable();
    case 'default':
      return toZod(part('inner')).default(part('value'));
    case 'catch':
      return toZod(part('inner')).catch(part('value'));
    case 'transform':
      return z.transform(part('fn'));
    case 'pipe':
      return z.pipe(toZod(part('in')), toZod(part('out')) as z.ZodType<unknown, unknown>);
    default:
      throw new Error(`no zod equivalent for a "${def.kind}" schema`);
  }
}

function withChecks(schema: z.ZodType, checks: readonly Check[]): z.ZodType {
  for (const check of checks) schema = withCheck(schema, check);
  return schema;
}

function withCheck(schema: z.ZodType, check: Check): z.ZodType {
  const sized = schema as z.ZodString;
  const number = schema as z.ZodNumber;
  switch (check.kind) {
    case 'min_length':
      return sized.min(check.value, check.message);
    case 'max_length':
      return sized.max(check.value, check.message);
    case 'regex':
      return sized.regex(check.pattern, check.message);
    case 'trim':
      return sized.trim();
    case 'url':
      // Part of the `z.url()` the base already is.
      return schema;
    case 'int':
      return number.int(check.message);
    case 'gt':
      return check.value === 0 && check.message === undefined ? number.positive() : number.gt(check.value, check.message);
    case 'gte':
      return check.value === 0 && check.message === undefined ? number.nonnegative() : number.min(check.value, check.message);
    case 'lt':
      return number.lt(check.value, check.message);
    case 'lte':
      return number.max(check.value, check.message);
    case 'refine':
      return schema.refine(check.test as (value: unknown) => unknown, {
        ...(check.error === undefined ? {} : { error: check.error as z.core.$ZodErrorMap }),
        ...(check.params ? { params: check.params } : {}),
        ...(check.abort ? { abort: true } : {}),
      });
  }
}
