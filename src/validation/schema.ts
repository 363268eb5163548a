/**
 * The gateway's validation: a small schema library with the part of zod's API the gateway uses
 * (`v.string().min(1)`, `v.strictObject({…})`, `.optional()`, `.transform()`, `safeParse`), with
 * zod 4's semantics and its English messages, so requests are refused exactly as before and the
 * answers read the same. zod itself is a build-time and Node-only dependency (the API document,
 * the emulators, the clients): it is most of a Worker bundle, and this is a few KiB.
 *
 * Schemas are plain data underneath (`def`), so the API document's generator can rebuild each one
 * as the equivalent zod schema and let `z.toJSONSchema` describe it (src/openapi/zod-bridge.ts):
 * the schema that validates a request is still the one that documents it.
 *
 * What mirrors zod, in brief: a schema parses its type, then runs its checks in order (all of
 * them, unless one aborts); a failed type check skips the checks. Objects run every property and
 * report unknown keys after them (strict), drop them (plain) or keep them (loose); absent keys of
 * optional properties are left out. A pipe stops at the first issue (an unknown key excepted); a
 * union takes the first option that passes, else the one option that failed only a check, else
 * says "Invalid input". Strings are measured in code points.
 */
import { defaultMessage, type Issue, type IssueCode, type RawIssue } from './messages.ts';

export type { Issue } from './messages.ts';

/** The result of {@link Schema.safeParse}, shaped like zod's. */
export type SafeParseResult<T> = { success: true; data: T; error?: undefined } | { success: false; data?: undefined; error: { issues: Issue[] } };

/** A check's or refinement's failure message: text, or text made from the issue. */
export type ErrorParam = string | ((issue: RawIssue) => string | undefined);

/** A check of a schema, run on its parsed value; also what the document's generator reads. */
export type Check =
  | { kind: 'min_length' | 'max_length'; value: number; message?: string }
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; value: number; message?: string }
  | { kind: 'int'; message?: string }
  | { kind: 'regex'; pattern: RegExp; message?: string }
  | { kind: 'url'; protocol?: RegExp }
  | { kind: 'trim' }
  | { kind: 'refine'; test: (value: never) => unknown; error?: ErrorParam; params?: Record<string, unknown>; abort?: boolean };

/** How absence travels through wrappers (zod's `optin`/`optout`): decides whether an object property may be missing. */
type Absence = 'optional' | 'defaulted' | undefined;

/** What the document's generator needs to rebuild a schema: its kind, its parts, its checks and metadata. */
export interface SchemaDef {
  kind: string;
  checks: readonly Check[];
  /** `.meta()` (documentation only: never read while validating). */
  meta?: Record<string, unknown>;
  /** The message for this schema's own type issue and for its checks that have none (zod's `error` param). */
  error?: string;
  [part: string]: unknown;
}

/** The sentinel a transform returns after adding an issue (zod's `z.NEVER`). */
export const NEVER = Object.freeze({ status: 'aborted' }) as never;

/** What a transform gets besides the value: a way to refuse it with a message. */
export interface TransformContext {
  addIssue(issue: string | { code?: 'custom'; message: string; path?: (string | number)[] }): void;
}

const noChecks: readonly Check[] = [];

/** What {@link Schema.parse} throws (zod's `ZodError`): the issues, and a message listing them. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  readonly issues: Issue[];
  constructor(issues: Issue[]) {
    super(issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; '));
    this.issues = issues;
  }
}

export abstract class Schema<Out = unknown, In = Out> {
  /** Type-only: what parsing gives and what it takes. */
  declare readonly _output: Out;
  declare readonly _input: In;
  readonly def: SchemaDef;

  constructor(def: { kind: string; checks?: readonly Check[]; [part: string]: unknown }) {
    this.def = { ...def, checks: def.checks ?? noChecks };
  }

  /** Parses the type (coercing, unwrapping): pushes issues and gives the value the checks see. */
  protected abstract parseType(value: unknown, issues: RawIssue[]): unknown;

  /** @internal How absence passes through this schema. */
  get optin(): Absence {
    return undefined;
  }
  /** @internal */
  get optout(): Absence {
    return undefined;
  }

  /** @internal Runs the schema: issues go to `issues` (paths relative to this value); returns the parsed value. */
  run(value: unknown, issues: RawIssue[]): unknown {
    const start = issues.length;
    let parsed = this.parseType(value, issues);
    const checks = this.def.checks;
    if (checks.length === 0) return parsed;
    let isAborted = aborted(issues, start);
    for (const check of checks) {
      if (check.kind === 'min_length' || check.kind === 'max_length') {
        // As in zod, a length check runs on anything with a length, even after a failed type
        // check, unless an issue explicitly stopped the schema.
        if (parsed === null || parsed === undefined || (parsed as { length?: unknown }).length === undefined || explicitlyAborted(issues, start)) continue;
      } else if (isAborted) continue;
      const before = issues.length;
      parsed = runCheck(check, parsed, issues, this.def.error);
      if (!isAborted) isAborted = aborted(issues, before);
    }
    return parsed;
  }

  /** The parsed value; throws a {@link ValidationError} listing the issues when it does not parse. */
  parse(value: unknown): Out {
    const result = this.safeParse(value);
    if (!result.success) throw new ValidationError(result.error.issues);
    return result.data;
  }

  safeParse(value: unknown): SafeParseResult<Out> {
    const issues: RawIssue[] = [];
    const data = this.run(value, issues);
    if (issues.length === 0) return { success: true, data: data as Out };
    return { success: false, error: { issues: issues.map(finalize) } };
  }

  /** A copy of this schema with more of its definition (checks appended, metadata merged). */
  protected with(changes: Partial<SchemaDef>): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    (copy as { def: SchemaDef }).def = { ...this.def, ...changes };
    return copy;
  }

  protected check(check: Check): this {
    return this.with({ checks: [...this.def.checks, check] });
  }

  /** Documentation for the API document (zod's `.meta()`); validation never reads it. */
  meta(meta: Record<string, unknown>): this {
    return this.with({ meta: { ...this.def.meta, ...meta } });
  }

  refine(test: (value: Out) => unknown, options: { message?: string; error?: ErrorParam; params?: Record<string, unknown>; abort?: boolean } = {}): this {
    return this.check({ kind: 'refine', test: test as (value: never) => unknown, error: options.message ?? options.error, params: options.params, abort: options.abort });
  }

  optional(): OptionalSchema<this> {
    return new OptionalSchema(this);
  }
  nullable(): NullableSchema<this> {
    return new NullableSchema(this);
  }
  nullish(): OptionalSchema<NullableSchema<this>> {
    return new OptionalSchema(new NullableSchema(this));
  }
  default(value: Exclude<Out, undefined>): DefaultSchema<this> {
    return new DefaultSchema(this, value);
  }
  catch(value: Out): CatchSchema<this> {
    return new CatchSchema(this, value);
  }
  transform<T>(fn: (value: Out, context: TransformContext) => T): PipeSchema<this, TransformSchema<Out, T>> {
    return new PipeSchema(this, new TransformSchema(fn));
  }
  pipe<S extends Schema<unknown, Out>>(next: S): PipeSchema<this, S> {
    return new PipeSchema(this, next);
  }
}

export type Output<S> = S extends Schema<infer O, unknown> ? O : never;
export type Input<S> = S extends Schema<unknown, infer I> ? I : never;
export type AnySchema = Schema<any, any>;

/** Whether an issue from `start` on stops the schema (zod: any issue not marked `continue`). */
function aborted(issues: readonly RawIssue[], start: number): boolean {
  for (let i = start; i < issues.length; i++) if (issues[i]!.continue !== true) return true;
  return false;
}

function explicitlyAborted(issues: readonly RawIssue[], start: number): boolean {
  for (let i = start; i < issues.length; i++) if (issues[i]!.continue === false) return true;
  return false;
}

function issue(raw: RawIssue, message: ErrorParam | undefined): RawIssue {
  const text = typeof message === 'function' ? message(raw) : message;
  if (text !== undefined) raw.message = text;
  return raw;
}

function finalize(raw: RawIssue): Issue {
  const { continue: _continue, ...rest } = raw;
  return { ...rest, path: raw.path ?? [], message: raw.message ?? defaultMessage(raw) } as Issue;
}

/** Adds `key` in front of the paths of the issues from `start` on. */
function prefix(issues: RawIssue[], start: number, key: string | number): void {
  for (let i = start; i < issues.length; i++) (issues[i]!.path ??= []).unshift(key);
}

function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

const lengthOf = (value: string | unknown[]) => (typeof value === 'string' ? codePointLength(value) : value.length);
const originOf = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : 'number');

function runCheck(check: Check, value: unknown, issues: RawIssue[], schemaError: string | undefined): unknown {
  const fail = (raw: Omit<RawIssue, 'input'>, message?: ErrorParam) => {
    issues.push(issue({ input: value, continue: true, ...raw } as RawIssue, message ?? schemaError));
  };
  switch (check.kind) {
    case 'min_length':
      if (lengthOf(value as string) < check.value) fail({ code: 'too_small', origin: originOf(value), minimum: check.value, inclusive: true }, check.message);
      return value;
    case 'max_length':
      if (lengthOf(value as string) > check.value) fail({ code: 'too_big', origin: originOf(value), maximum: check.value, inclusive: true }, check.message);
      return value;
    case 'gt':
    case 'gte':
      if (check.kind === 'gt' ? !((value as number) > check.value) : !((value as number) >= check.value)) {
        fail({ code: 'too_small', origin: 'number', minimum: check.value, inclusive: check.kind === 'gte' }, check.message);
      }
      return value;
    case 'lt':
    case 'lte':
      if (check.kind === 'lt' ? !((value as number) < check.value) : !((value as number) <= check.value)) {
        fail({ code: 'too_big', origin: 'number', maximum: check.value, inclusive: check.kind === 'lte' }, check.message);
      }
      return value;
    case 'int':
      if (!Number.isInteger(value)) fail({ code: 'invalid_type', expected: 'int', continue: false }, check.message);
      else if (!Number.isSafeInteger(value)) {
        if ((value as number) > 0) fail({ code: 'too_big', origin: 'int', maximum: Number.MAX_SAFE_INTEGER, inclusive: true }, check.message);
        else fail({ code: 'too_small', origin: 'int', minimum: Number.MIN_SAFE_INTEGER, inclusive: true }, check.message);
      }
      return value;
    case 'regex':
      check.pattern.lastIndex = 0;
      if (!check.pattern.test(value as string)) fail({ code: 'invalid_format', format: 'regex', origin: 'string', pattern: String(check.pattern) }, check.message);
      return value;
    case 'trim':
      return (value as string).trim();
    case 'url':
      return checkUrl(value as string, check.protocol, fail);
    case 'refine':
      if (!check.test(value as never)) fail({ code: 'custom', continue: !check.abort, ...(check.params ? { params: check.params } : {}) }, check.error);
      return value;
  }
}

/** zod's `z.url()`: parsable by the platform's URL, with the protocol given; the value trimmed, tabs and newlines removed. */
function checkUrl(value: string, protocol: RegExp | undefined, fail: (raw: Omit<RawIssue, 'input'>) => void): string {
  const trimmed = value.trim();
  // Like zod, an http(s)-only URL must spell `://` (`http:example.com` parses, but is not meant).
  const httpOnly = protocol?.source === '^https?$';
  let url: URL | undefined;
  try {
    url = httpOnly && !/^https?:\/\//i.test(trimmed) ? undefined : new URL(trimmed);
  } catch {
    url = undefined;
  }
  if (!url || (protocol && !protocol.test(url.protocol.replace(/:$/, '')))) {
    fail({ code: 'invalid_format', format: 'url' });
    return value;
  }
  return trimmed.replace(/[\t\n\r]/g, '');
}

function typeIssue(issues: RawIssue[], expected: string, input: unknown, error: string | undefined): void {
  issues.push(issue({ code: 'invalid_type', expected, input }, error));
}

export class StringSchema extends Schema<string> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (typeof value !== 'string') typeIssue(issues, 'string', value, this.def.error);
    return value;
  }
  min(value: number, message?: string): this {
    return this.check({ kind: 'min_length', value, message });
  }
  max(value: number, message?: string): this {
    return this.check({ kind: 'max_length', value, message });
  }
  regex(pattern: RegExp, message?: string): this {
    return this.check({ kind: 'regex', pattern, message });
  }
  trim(): this {
    return this.check({ kind: 'trim' });
  }
}

export class NumberSchema extends Schema<number> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (this.def.coerce) {
      try {
        value = Number(value);
      } catch {
        // Left as it is: reported below.
      }
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) typeIssue(issues, 'number', value, this.def.error);
    return value;
  }
  int(message?: string): this {
    return this.check({ kind: 'int', message });
  }
  min(value: number, message?: string): this {
    return this.check({ kind: 'gte', value, message });
  }
  max(value: number, message?: string): this {
    return this.check({ kind: 'lte', value, message });
  }
  positive(): this {
    return this.check({ kind: 'gt', value: 0 });
  }
  nonnegative(): this {
    return this.check({ kind: 'gte', value: 0 });
  }
  gt(value: number): this {
    return this.check({ kind: 'gt', value });
  }
  lt(value: number): this {
    return this.check({ kind: 'lt', value });
  }
  /** A no-op, as in zod 4: numbers are always finite. Kept so the document's generator sees the same chain. */
  finite(): this {
    return this.with({ finite: true });
  }
}

export class BooleanSchema extends Schema<boolean> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (typeof value !== 'boolean') typeIssue(issues, 'boolean', value, this.def.error);
    return value;
  }
}

export class NullSchema extends Schema<null> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (value !== null) typeIssue(issues, 'null', value, this.def.error);
    return value;
  }
}

/** Anything at all (`z.unknown()`). */
export class UnknownSchema extends Schema<unknown> {
  protected parseType(value: unknown): unknown {
    return value;
  }
}

type Primitive = string | number | boolean | null;

/** One of fixed values: `z.enum` (strings) and `z.literal` (one value), by `def.kind`. */
export class ValuesSchema<T extends Primitive> extends Schema<T> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    const values = this.def.values as readonly T[];
    if (!values.includes(value as T)) issues.push(issue({ code: 'invalid_value', values, input: value }, this.def.error));
    return value;
  }
}

export class ArraySchema<E extends AnySchema> extends Schema<Output<E>[], Input<E>[]> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (!Array.isArray(value)) {
      typeIssue(issues, 'array', value, this.def.error);
      return value;
    }
    if (this.oversized(value, issues)) return value;
    const element = this.def.element as E;
    return value.map((item, index) => {
      const start = issues.length;
      const parsed = element.run(item, issues);
      prefix(issues, start, index);
      return parsed;
    });
  }
  min(value: number, message?: string): this {
    return this.check({ kind: 'min_length', value, message });
  }
  max(value: number, message?: string): this {
    return this.check({ kind: 'max_length', value, message });
  }

  /**
   * As in zod, an array longer than a maximum among its leading length checks fails that check
   * alone, before any element is parsed (so a huge array costs one issue, not one per element).
   */
  private oversized(value: unknown[], issues: RawIssue[]): boolean {
    for (const check of this.def.checks) {
      if (check.kind !== 'min_length' && check.kind !== 'max_length') break;
      if (check.kind === 'max_length' && value.length > check.value) {
        const start = issues.length;
        runCheck(check, value, issues, this.def.error);
        issues[start]!.continue = false;
        return true;
      }
    }
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** zod's plain-object test for records: an object whose constructor, if it is a function, has an ordinary prototype. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const ctor = value.constructor;
  if (typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
}

/** `Record<K, V>` over a string key schema: every own enumerable key is checked, then its value. */
export class RecordSchema<K extends Schema<string>, V extends AnySchema> extends Schema<Record<Output<K>, Output<V>>, Record<Input<K>, Input<V>>> {
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (!isPlainObject(value)) {
      typeIssue(issues, 'record', value, this.def.error);
      return value;
    }
    const { key: keySchema, value: valueSchema } = this.def as unknown as { key: K; value: V };
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') continue;
      const keyIssues: RawIssue[] = [];
      const parsedKey = keySchema.run(key, keyIssues) as string;
      if (keyIssues.length > 0) {
        issues.push({ code: 'invalid_key', origin: 'record', issues: keyIssues.map(finalize), input: key, path: [key] });
        continue;
      }
      const start = issues.length;
      const parsed = valueSchema.run(value[key], issues);
      prefix(issues, start, key);
      if (parsedKey !== '__proto__') result[parsedKey] = parsed;
    }
    return result;
  }
}

export type Shape = Record<string, AnySchema>;
/** The keys that may be absent: those whose side (output or input) admits `undefined`, as zod types them. */
type OptionalKeys<S extends Shape, Side extends '_output' | '_input'> = { [K in keyof S]: undefined extends S[K][Side] ? K : never }[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Flatten<{ [K in Exclude<keyof S, OptionalKeys<S, '_output'>>]: Output<S[K]> } & { [K in OptionalKeys<S, '_output'>]?: Output<S[K]> }>;
export type ObjectInput<S extends Shape> = Flatten<{ [K in Exclude<keyof S, OptionalKeys<S, '_input'>>]: Input<S[K]> } & { [K in OptionalKeys<S, '_input'>]?: Input<S[K]> }>;

/** What happens to keys the shape does not name: dropped (`strip`, zod's `object`), refused (`strict`) or kept (`loose`). */
export type UnknownKeys = 'strip' | 'strict' | 'loose';
type WithUnknown<T, M extends UnknownKeys> = M extends 'loose' ? T & { [key: string]: unknown } : T;

export class ObjectSchema<S extends Shape, M extends UnknownKeys = 'strip'> extends Schema<WithUnknown<ObjectOutput<S>, M>, WithUnknown<ObjectInput<S>, M>> {
  get shape(): S {
    return this.def.shape as S;
  }

  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (!isObject(value)) {
      typeIssue(issues, 'object', value, this.def.error);
      return value;
    }
    const shape = this.def.shape as Shape;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      if (key === '__proto__') continue;
      property(shape[key]!, key, value, result, issues);
    }
    const catchall = this.def.catchall as AnySchema | undefined;
    const mode = this.def.unknownKeys as UnknownKeys;
    if (mode === 'strip' && !catchall) return result;
    const unrecognized: string[] = [];
    for (const key in value) {
      if (Object.hasOwn(shape, key)) continue;
      if (catchall) {
        if (key !== '__proto__') property(catchall, key, value, result, issues);
      } else if (mode === 'strict') unrecognized.push(key);
      else if (key !== '__proto__') result[key] = value[key];
    }
    if (unrecognized.length > 0) issues.push(issue({ code: 'unrecognized_keys', keys: unrecognized, input: value, continue: true }, this.def.error));
    return result;
  }

  /** The same object with more (or replaced) properties, unknown keys handled alike. */
  extend<E extends Shape>(extra: E): ObjectSchema<Flatten<Omit<S, keyof E> & E>, M> {
    return new ObjectSchema({ ...this.def, meta: undefined, checks: noChecks, shape: { ...this.shape, ...extra } });
  }

  /** The same object, its other keys each checked by `rest` (JSON Schema's `additionalProperties` as a schema). */
  catchall(rest: AnySchema): ObjectSchema<S, 'loose'> {
    return new ObjectSchema({ ...this.def, catchall: rest });
  }

  /** The same object with the named properties optional. */
  partial<P extends { [K in keyof S]?: true }>(mask: P): ObjectSchema<Flatten<Omit<S, keyof P> & { [K in keyof P & keyof S]: OptionalSchema<S[K]> }>, M> {
    const shape: Shape = { ...this.shape };
    for (const key of Object.keys(mask)) shape[key] = new OptionalSchema(shape[key]!);
    return new ObjectSchema({ ...this.def, meta: undefined, checks: noChecks, shape });
  }
}

/** One property of an object, as zod's `handlePropertyResult` treats it. */
function property(schema: AnySchema, key: string, input: Record<string, unknown>, result: Record<string, unknown>, issues: RawIssue[]): void {
  const present = key in input;
  const { optin, optout } = schema;
  // An absent optional key contributes nothing, whatever the schema would make of `undefined`.
  if (!present && optout === 'optional' && optin === 'optional') return;
  const start = issues.length;
  const parsed = schema.run(input[key], issues);
  if (issues.length > start) {
    if (optin !== undefined && optout === 'optional' && !present) {
      issues.length = start;
      return;
    }
    prefix(issues, start, key);
  }
  if (!present && optin === undefined) {
    if (issues.length === start) issues.push({ code: 'invalid_type', expected: 'nonoptional', input: undefined, path: [key] });
    return;
  }
  if (parsed !== undefined) result[key] = parsed;
  else if (present || (optin === 'defaulted' && optout !== 'optional')) result[key] = undefined;
}

/** The first option that passes; else the one that failed only a check (a close match), else "Invalid input". `exclusive`: exactly one must pass (JSON Schema's `oneOf`). */
export class UnionSchema<O extends readonly AnySchema[]> extends Schema<Output<O[number]>, Input<O[number]>> {
  override get optin(): Absence {
    const options = this.def.options as O;
    if (options.some((option) => option.optin === 'defaulted')) return 'defaulted';
    return options.some((option) => option.optin !== undefined) ? 'optional' : undefined;
  }
  override get optout(): Absence {
    return (this.def.options as O).some((option) => option.optout === 'optional') ? 'optional' : undefined;
  }

  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    const options = this.def.options as O;
    if (options.length === 1) return options[0]!.run(value, issues);
    const results: { value: unknown; issues: RawIssue[] }[] = [];
    for (const option of options) {
      const own: RawIssue[] = [];
      const parsed = option.run(value, own);
      // A plain union stops at the first option that passes.
      if (own.length === 0 && !this.def.exclusive) return parsed;
      results.push({ value: parsed, issues: own });
    }
    const passed = results.filter((result) => result.issues.length === 0);
    if (this.def.exclusive) {
      if (passed.length === 1) return passed[0]!.value;
      if (passed.length > 1) {
        issues.push(issue({ code: 'invalid_union', input: value, inclusive: false }, this.def.error));
        return value;
      }
    } else {
      const close = results.filter((result) => !aborted(result.issues, 0));
      if (close.length === 1) {
        issues.push(...close[0]!.issues);
        return close[0]!.value;
      }
    }
    issues.push(issue({ code: 'invalid_union', input: value }, this.def.error));
    return value;
  }
}

export class OptionalSchema<S extends AnySchema> extends Schema<Output<S> | undefined, Input<S> | undefined> {
  constructor(inner: S) {
    super({ kind: 'optional', inner });
  }
  override get optin(): Absence {
    return (this.def.inner as S).optin === 'defaulted' ? 'defaulted' : 'optional';
  }
  override get optout(): Absence {
    return 'optional';
  }
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    const inner = this.def.inner as S;
    if (value !== undefined) return inner.run(value, issues);
    if (inner.optin !== 'defaulted') return undefined;
    const own: RawIssue[] = [];
    const parsed = inner.run(value, own);
    return own.length > 0 ? undefined : parsed;
  }
}

export class NullableSchema<S extends AnySchema> extends Schema<Output<S> | null, Input<S> | null> {
  constructor(inner: S) {
    super({ kind: 'nullable', inner });
  }
  override get optin(): Absence {
    return (this.def.inner as S).optin;
  }
  override get optout(): Absence {
    return (this.def.inner as S).optout;
  }
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    return value === null ? null : (this.def.inner as S).run(value, issues);
  }
}

/** `undefined` becomes the default, unchecked (as in zod); anything else goes to the inner schema. */
export class DefaultSchema<S extends AnySchema> extends Schema<Exclude<Output<S>, undefined>, Input<S> | undefined> {
  constructor(inner: S, value: unknown) {
    super({ kind: 'default', inner, value });
  }
  override get optin(): Absence {
    return 'defaulted';
  }
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    if (value === undefined) return this.def.value;
    const parsed = (this.def.inner as S).run(value, issues);
    return parsed === undefined ? this.def.value : parsed;
  }
}

/** The inner schema's value, or this fixed one (and no issue) when the inner schema refuses. */
export class CatchSchema<S extends AnySchema> extends Schema<Output<S>, Input<S>> {
  constructor(inner: S, value: unknown) {
    super({ kind: 'catch', inner, value });
  }
  override get optin(): Absence {
    return (this.def.inner as S).optin === 'defaulted' ? 'defaulted' : 'optional';
  }
  override get optout(): Absence {
    return (this.def.inner as S).optout;
  }
  protected parseType(value: unknown): unknown {
    const own: RawIssue[] = [];
    const parsed = (this.def.inner as S).run(value, own);
    return own.length > 0 ? this.def.value : parsed;
  }
}

export class TransformSchema<I, O> extends Schema<O, I> {
  constructor(fn: (value: I, context: TransformContext) => O) {
    super({ kind: 'transform', fn });
  }
  override get optin(): Absence {
    return 'optional';
  }
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    const context: TransformContext = {
      addIssue: (added) => {
        const raw: RawIssue = typeof added === 'string' ? { code: 'custom', message: added, input: value } : { code: 'custom', input: value, message: added.message, ...(added.path ? { path: [...added.path] } : {}) };
        issues.push(raw);
      },
    };
    return (this.def.fn as (value: I, context: TransformContext) => O)(value as I, context);
  }
}

/** `in`, then `out` on its value, unless `in` raised an issue other than an unknown key. */
export class PipeSchema<A extends AnySchema, B extends AnySchema> extends Schema<Output<B>, Input<A>> {
  constructor(first: A, next: B) {
    super({ kind: 'pipe', in: first, out: next });
  }
  override get optin(): Absence {
    return (this.def.in as A).optin;
  }
  override get optout(): Absence {
    return (this.def.out as B).optout;
  }
  protected parseType(value: unknown, issues: RawIssue[]): unknown {
    const start = issues.length;
    const parsed = (this.def.in as A).run(value, issues);
    for (let i = start; i < issues.length; i++) if (issues[i]!.code !== 'unrecognized_keys') return parsed;
    return (this.def.out as B).run(parsed, issues);
  }
}

export type { IssueCode };
