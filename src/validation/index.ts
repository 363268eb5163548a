/**
 * The schema builders, spelled as zod spells them (`import * as v from '…/validation/index.ts'`,
 * then `v.strictObject({ model: v.string().min(1) })`). See schema.ts for what they mirror.
 */
import {
  ArraySchema,
  BooleanSchema,
  NullSchema,
  NumberSchema,
  ObjectSchema,
  OptionalSchema,
  PipeSchema,
  RecordSchema,
  StringSchema,
  TransformSchema,
  UnionSchema,
  UnknownSchema,
  ValuesSchema,
  type AnySchema,
  type Output,
  type Schema,
  type Shape,
  type TransformContext,
} from './schema.ts';

export { NEVER, Schema, type AnySchema, type Input, type Issue, type Output, type SafeParseResult } from './schema.ts';
export type { ObjectSchema, Shape } from './schema.ts';
export type Infer<S> = Output<S>;

/** `error`: the message for a value of the wrong type (zod's `{ error }` param). */
export interface TypeParams {
  error?: string;
}

export function string(params: TypeParams = {}): StringSchema {
  return new StringSchema({ kind: 'string', error: params.error });
}

/** A URL the platform can parse (trimmed), with a scheme matching `protocol` (zod's `z.url`). */
export function url(params: TypeParams & { protocol?: RegExp } = {}): StringSchema {
  return new StringSchema({ kind: 'string', error: params.error, checks: [{ kind: 'url', protocol: params.protocol }] });
}

export function number(params: TypeParams = {}): NumberSchema {
  return new NumberSchema({ kind: 'number', error: params.error });
}

export function boolean(): BooleanSchema {
  return new BooleanSchema({ kind: 'boolean' });
}

function nullValue(): NullSchema {
  return new NullSchema({ kind: 'null' });
}
export { nullValue as null };

export function unknown(): UnknownSchema {
  return new UnknownSchema({ kind: 'unknown' });
}

export function literal<const T extends string | number | boolean | null>(value: T): ValuesSchema<T> {
  return new ValuesSchema<T>({ kind: 'literal', values: [value] });
}

function enumOf<const T extends readonly string[]>(values: T): ValuesSchema<T[number]> {
  return new ValuesSchema<T[number]>({ kind: 'enum', values });
}
export { enumOf as enum };

/** Values converted first (`Number(value)`), as from environment strings (zod's `z.coerce`). */
export const coerce = {
  number: (params: TypeParams = {}): NumberSchema => new NumberSchema({ kind: 'number', error: params.error, coerce: true }),
};

export function array<E extends AnySchema>(element: E): ArraySchema<E> {
  return new ArraySchema<E>({ kind: 'array', element });
}

export function record<K extends Schema<string>, V extends AnySchema>(key: K, value: V): RecordSchema<K, V> {
  return new RecordSchema<K, V>({ kind: 'record', key, value });
}

/** Unknown keys are dropped. */
export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  return new ObjectSchema<S>({ kind: 'object', shape, unknownKeys: 'strip' });
}

/** Unknown keys are an issue (`unrecognized_keys`, naming them). */
export function strictObject<S extends Shape>(shape: S): ObjectSchema<S, 'strict'> {
  return new ObjectSchema<S, 'strict'>({ kind: 'object', shape, unknownKeys: 'strict' });
}

/** Unknown keys are kept as they are. */
export function looseObject<S extends Shape>(shape: S): ObjectSchema<S, 'loose'> {
  return new ObjectSchema<S, 'loose'>({ kind: 'object', shape, unknownKeys: 'loose' });
}

export function union<const O extends readonly [AnySchema, ...AnySchema[]]>(options: O): UnionSchema<O> {
  return new UnionSchema<O>({ kind: 'union', options });
}

/** Exactly one option must pass (JSON Schema's `oneOf`; zod's `z.xor`). */
export function xor<const O extends readonly [AnySchema, ...AnySchema[]]>(options: O): UnionSchema<O> {
  return new UnionSchema<O>({ kind: 'union', options, exclusive: true });
}

export function optional<S extends AnySchema>(schema: S): OptionalSchema<S> {
  return new OptionalSchema(schema);
}

/** `fn` first, then `schema` on what it returns (zod's `z.preprocess`). */
export function preprocess<S extends AnySchema>(fn: (value: unknown, context: TransformContext) => unknown, schema: S): PipeSchema<TransformSchema<unknown, unknown>, S> {
  return new PipeSchema(new TransformSchema(fn), schema);
}
