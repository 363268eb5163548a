/**
 * The Krea request body for a job: the route's own property names and spellings. Shared by the
 * adapter (what is sent) and the price lookup (what that request costs).
 */
import type { JsonValue, StartRequest, VideoInput } from '../types.ts';
import type { GatewayField, KreaWire } from './catalog.ts';

/** The request body: mapped gateway fields in Krea's spelling, then the provider options. */
export function buildBody({ model: { wire }, input, options }: StartRequest<KreaWire>): { [key: string]: JsonValue } {
  const mapped = new Set(Object.values(wire.fields));
  const body: { [key: string]: JsonValue } = {};
  for (const [field, property] of Object.entries(wire.fields) as [GatewayField, string][]) {
    const value = input[field];
    if (value !== undefined) body[property] = toKreaValue(wire, field, value);
  }
  for (const [name, value] of Object.entries(options)) {
    // Core validated the options already; this keeps a stray key from ever reaching Krea.
    if (value !== undefined && wire.properties.has(name) && !mapped.has(name)) body[name] = value as JsonValue;
  }
  return body;
}

function toKreaValue(wire: KreaWire, field: GatewayField, value: NonNullable<VideoInput[GatewayField]>): JsonValue {
  if (field !== 'aspect_ratio' && field !== 'resolution') return value;
  const key = field === 'resolution' ? String(value).toLowerCase() : String(value);
  const spelled = wire.values[field];
  return spelled && Object.hasOwn(spelled, key) ? spelled[key]! : value;
}
