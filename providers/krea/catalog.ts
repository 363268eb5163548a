/**
 * The Krea catalog, derived from the route schemas in `routes.generated.json` (never hand-copied):
 * each route's request schema says which gateway fields the model takes, with which values and
 * defaults, and everything it does not map becomes the model's `provider_options` schema. The
 * routes come from the caller (routes.ts imports the file; the Worker reads a copy from its static
 * assets, since the table is most of what a bundle would carry), so this module imports no data.
 */
import type { DurationRule, JsonSchema, ModelCapabilities, ModelDescriptor, VideoInput } from '../types.ts';
import type { KreaRoute } from './generate-catalog.ts';
import type { PriceTable } from './price-tables.ts';

/** The gateway fields a Krea route can carry, and the Krea property names that carry them (first match wins). */
const FIELD_PROPERTIES = {
  prompt: ['prompt'],
  duration: ['duration'],
  aspect_ratio: ['aspect_ratio', 'ratio'],
  resolution: ['resolution'],
  mode: ['mode'],
  start_image: ['start_image'],
  end_image: ['end_image'],
  generate_audio: ['generate_audio'],
  enhance_prompt: ['expand_prompt', 'enable_prompt_expansion'],
  seed: ['seed'],
} as const satisfies Record<keyof VideoInput, readonly string[]>;

export type GatewayField = keyof typeof FIELD_PROPERTIES;
type TranslatedField = 'aspect_ratio' | 'resolution';
type DefaultedField = keyof ModelCapabilities['defaults'];

const DEFAULTED_FIELDS: readonly DefaultedField[] = [
  'duration',
  'aspect_ratio',
  'resolution',
  'mode',
  'generate_audio',
  'enhance_prompt',
];
/** Ratio terms above this are pixel sizes (`1280:720`), not ratios people write (`21:9`). */
const MAX_READABLE_RATIO_TERM = 32;

/** How the adapter spells a request for one route. */
export interface KreaWire {
  /** Gateway field → Krea property, for the fields this route has. */
  fields: Partial<Record<GatewayField, string>>;
  /** Gateway value → Krea value (`16:9` → `1280:720`, `4k` → `4K`) for translated fields. */
  values: Partial<Record<TranslatedField, Record<string, string>>>;
  /** Every property the route accepts; nothing else is ever sent. */
  properties: ReadonlySet<string>;
  /** The route's published compute units (absent when Krea publishes none). */
  price?: PriceTable;
}

/** The Krea models, one per video route, each with its wire spelling. */
export function kreaModelsOf(routes: readonly KreaRoute[]): ModelDescriptor<KreaWire>[] {
  return routes.map(deriveModel);
}

function deriveModel(route: KreaRoute): ModelDescriptor<KreaWire> {
  const properties = propertiesOf(route.schema);
  const fields = mapFields(properties);
  const values = translationMaps(properties, fields, route.id);
  const wire: KreaWire = { fields, values, properties: new Set(Object.keys(properties)), ...(route.price ? { price: route.price } : {}) };
  return { id: route.id, title: route.title, capabilities: deriveCapabilities(route.schema, properties, wire), wire };
}

function deriveCapabilities(schema: JsonSchema, properties: Record<string, JsonSchema>, wire: KreaWire): ModelCapabilities {
  const { fields, values } = wire;
  const property = (field: GatewayField) => (fields[field] ? properties[fields[field]] : undefined);
  const required = requiredOf(schema);
  return {
    prompt: promptLimits(property('prompt')),
    duration: durationRule(property('duration')),
    aspect_ratios: values.aspect_ratio ? Object.keys(values.aspect_ratio) : null,
    resolutions: values.resolution ? Object.keys(values.resolution) : null,
    modes: property('mode') ? (listedValues(property('mode')!) ?? []).map(String) : null,
    start_image: fields.start_image ? (required.includes(fields.start_image) ? 'required' : 'optional') : null,
    end_image: fields.end_image !== undefined,
    generate_audio: fields.generate_audio !== undefined,
    enhance_prompt: fields.enhance_prompt !== undefined,
    seed: property('seed') ? seedBounds(property('seed')!) : null,
    defaults: defaultsOf(property),
    provider_options: providerOptionsSchema(properties, required, new Set(Object.values(fields))),
  };
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

function requiredOf(schema: JsonSchema): string[] {
  return Array.isArray(schema.required) ? schema.required.map(String) : [];
}

function mapFields(properties: Record<string, JsonSchema>): KreaWire['fields'] {
  const fields: KreaWire['fields'] = {};
  for (const [field, candidates] of Object.entries(FIELD_PROPERTIES) as [GatewayField, readonly string[]][]) {
    const name = candidates.find((candidate) => candidate in properties);
    if (name) fields[field] = name;
  }
  return fields;
}

function translationMaps(properties: Record<string, JsonSchema>, fields: KreaWire['fields'], routeId: string): KreaWire['values'] {
  const values: KreaWire['values'] = {};
  for (const field of ['aspect_ratio', 'resolution'] as const) {
    const schema = fields[field] ? properties[fields[field]] : undefined;
    const listed = schema ? listedValues(schema) : undefined;
    if (listed) values[field] = gatewayMap(listed.map(String), field, routeId);
  }
  return values;
}

/** Gateway spelling → Krea spelling; two Krea values with one gateway spelling would be ambiguous. */
function gatewayMap(kreaValues: string[], field: TranslatedField, routeId: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const kreaValue of kreaValues) {
    const gatewayValue = toGatewayValue(field, kreaValue);
    if (Object.hasOwn(map, gatewayValue)) throw new Error(`Krea ${routeId}: ${field} values ${map[gatewayValue]} and ${kreaValue} collide`);
    map[gatewayValue] = kreaValue;
  }
  return map;
}

/**
 * A Krea value in gateway vocabulary: pixel ratios reduced (`1280:720` → `16:9`) while ratios that
 * are already readable stay as written (`21:9`, not `7:3`); resolutions lower-cased.
 */
function toGatewayValue(field: TranslatedField, kreaValue: string): string {
  if (field === 'resolution') return kreaValue.toLowerCase();
  return isPixelRatio(kreaValue) ? reduceRatio(kreaValue) : kreaValue;
}

function isPixelRatio(ratio: string): boolean {
  return ratio.split(':').some((term) => Number(term) > MAX_READABLE_RATIO_TERM);
}

/** `1280:720` → `16:9`; anything that is not two positive integers is kept as is. */
export function reduceRatio(ratio: string): string {
  const match = /^(\d+):(\d+)$/.exec(ratio);
  if (!match) return ratio;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const divisor = gcd(width, height);
  return divisor === 0 ? ratio : `${width / divisor}:${height / divisor}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The values a schema allows when it lists them: `const`, `enum`, or `anyOf`/`oneOf` of those (nested, as on LTX). */
function listedValues(schema: JsonSchema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  const branches = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(branches)) return undefined;
  const nested = branches.map((branch) => listedValues(branch as JsonSchema));
  return nested.every((values) => values !== undefined) ? nested.flat() : undefined;
}

function durationRule(schema: JsonSchema | undefined): DurationRule | null {
  if (!schema) return null;
  const fallback = numberOrUndefined(schema.default);
  const listed = listedValues(schema);
  if (listed) return definedOnly<DurationRule>({ kind: 'values', values: listed.filter(isNumber), default: fallback });
  const min = numberOrUndefined(schema.minimum);
  const max = numberOrUndefined(schema.maximum);
  return definedOnly<DurationRule>({ kind: 'range', min, max, default: fallback });
}

function promptLimits(schema: JsonSchema | undefined): ModelCapabilities['prompt'] {
  return definedOnly({ min_length: numberOrUndefined(schema?.minLength), max_length: numberOrUndefined(schema?.maxLength) });
}

/** What the route's schema says of `seed`, no more: an unbounded `{type: number}` stays unbounded. */
function seedBounds(schema: JsonSchema): ModelCapabilities['seed'] {
  const min = numberOrUndefined(schema.minimum);
  const max = numberOrUndefined(schema.maximum);
  return definedOnly({ min: min === undefined ? undefined : Math.ceil(min), max: max === undefined ? undefined : Math.floor(max) });
}

function defaultsOf(property: (field: GatewayField) => JsonSchema | undefined): ModelCapabilities['defaults'] {
  const defaults: Record<string, unknown> = {};
  for (const field of DEFAULTED_FIELDS) {
    const value = property(field)?.default;
    if (value === undefined) continue;
    defaults[field] = field === 'aspect_ratio' || field === 'resolution' ? toGatewayValue(field, String(value)) : value;
  }
  return defaults as ModelCapabilities['defaults'];
}

/** The route's own schema minus the mapped properties: what `provider_options.krea` may carry. */
function providerOptionsSchema(properties: Record<string, JsonSchema>, required: string[], mapped: Set<string>): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !mapped.has(name))),
    required: required.filter((name) => !mapped.has(name)),
    additionalProperties: false,
  };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function numberOrUndefined(value: unknown): number | undefined {
  return isNumber(value) ? value : undefined;
}

/** Drops `undefined` members so descriptors serialize and compare without empty keys. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
