/**
 * A validator from a JSON Schema (draft 2020-12), for `provider_options`: the schemas the provider
 * catalogs publish in `GET /v1/models` are the ones enforced. It reads them as zod's
 * `z.fromJSONSchema` did (same checks, same issues), for the keywords the catalogs use; a schema
 * with any other keyword that constrains values is refused when converted, not silently ignored
 * (a unit test converts every catalog schema).
 */
import * as v from './index.ts';
import type { AnySchema } from './schema.ts';

type JsonSchema = { [keyword: string]: unknown };

/** Keywords that constrain values but are not implemented here. */
const UNSUPPORTED = ['$ref', 'not', 'allOf', 'if', 'then', 'else', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties', 'dependentSchemas', 'dependentRequired', 'prefixItems', 'additionalItems', 'uniqueItems', 'contains', 'multipleOf', 'unevaluatedItems', 'unevaluatedProperties'];

export function fromJsonSchema(schema: JsonSchema | boolean): AnySchema {
  if (typeof schema === 'boolean') return schema ? v.unknown() : never();
  for (const keyword of UNSUPPORTED) if (keyword in schema) unsupported(`keyword "${keyword}"`);
  let converted = base(schema);
  const typed = schema.type !== undefined || schema.enum !== undefined || schema.const !== undefined;
  for (const [keyword, exclusive] of [['anyOf', false], ['oneOf', true]] as const) {
    const options = schema[keyword];
    if (!Array.isArray(options)) continue;
    if (typed) unsupported(`"${keyword}" beside "type", "enum" or "const"`);
    converted = union((options as JsonSchema[]).map(fromJsonSchema), exclusive);
  }
  return schema.default !== undefined ? converted.default(schema.default) : converted;
}

function base(schema: JsonSchema): AnySchema {
  if (Array.isArray(schema.enum)) {
    const values = schema.enum as (string | number | boolean | null)[];
    if (values.length === 0) return never();
    if (values.length === 1) return v.literal(values[0]!);
    if (values.every((value) => typeof value === 'string')) return v.enum(values as string[]);
    return union(values.map((value) => v.literal(value)), false);
  }
  if (schema.const !== undefined) return v.literal(schema.const as string | number | boolean | null);
  const type = schema.type;
  if (Array.isArray(type)) {
    if (type.length === 0) return never();
    return union(type.map((one) => base({ ...schema, type: one })), false);
  }
  switch (type) {
    case undefined:
      return v.unknown();
    case 'string':
      return string(schema);
    case 'number':
    case 'integer':
      return number(schema, type === 'integer');
    case 'boolean':
      return v.boolean();
    case 'null':
      return v.null();
    case 'object':
      return object(schema);
    case 'array':
      return array(schema);
    default:
      return unsupported(`type ${JSON.stringify(type)}`);
  }
}

function string(schema: JsonSchema): AnySchema {
  let converted = v.string();
  if (schema.format === 'uri' || schema.format === 'uri-reference') converted = v.url();
  else if (schema.format !== undefined) unsupported(`format ${JSON.stringify(schema.format)}`);
  if (typeof schema.minLength === 'number') converted = converted.min(schema.minLength);
  if (typeof schema.maxLength === 'number') converted = converted.max(schema.maxLength);
  if (typeof schema.pattern === 'string') converted = converted.regex(new RegExp(schema.pattern));
  return converted;
}

function number(schema: JsonSchema, integer: boolean): AnySchema {
  let converted = integer ? v.number().int() : v.number();
  if (typeof schema.minimum === 'number' && schema.exclusiveMinimum !== true) converted = converted.min(schema.minimum);
  if (typeof schema.maximum === 'number' && schema.exclusiveMaximum !== true) converted = converted.max(schema.maximum);
  if (typeof schema.exclusiveMinimum === 'number') converted = converted.gt(schema.exclusiveMinimum);
  else if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') converted = converted.gt(schema.minimum);
  if (typeof schema.exclusiveMaximum === 'number') converted = converted.lt(schema.exclusiveMaximum);
  else if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') converted = converted.lt(schema.maximum);
  return converted;
}

function object(schema: JsonSchema): AnySchema {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const shape: Record<string, AnySchema> = {};
  for (const [key, property] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
    const converted = fromJsonSchema(property);
    // Own property: a key like `__proto__` must become a key of the shape, not its prototype.
    Object.defineProperty(shape, key, { value: required.has(key) ? converted : converted.optional(), enumerable: true, configurable: true, writable: true });
  }
  const additional = schema.additionalProperties;
  if (additional === false) return v.strictObject(shape);
  if (typeof additional === 'object' && additional !== null) return v.object(shape).catchall(fromJsonSchema(additional as JsonSchema));
  return v.looseObject(shape);
}

function array(schema: JsonSchema): AnySchema {
  if (Array.isArray(schema.items)) unsupported('tuple "items"');
  let converted = v.array(schema.items === undefined ? v.unknown() : fromJsonSchema(schema.items as JsonSchema));
  if (typeof schema.minItems === 'number') converted = converted.min(schema.minItems);
  if (typeof schema.maxItems === 'number') converted = converted.max(schema.maxItems);
  return converted;
}

function union(options: AnySchema[], exclusive: boolean): AnySchema {
  if (options.length === 0) return never();
  const list = options as [AnySchema, ...AnySchema[]];
  return exclusive ? v.xor(list) : v.union(list);
}

function unsupported(what: string): never {
  throw new Error(`JSON Schema ${what} is not supported by the gateway's validator`);
}

/** Nothing passes (`false`, an empty `enum`). */
function never(): AnySchema {
  return v.unknown().refine(() => false);
}
