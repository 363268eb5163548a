/**
 * What a Krea job costs, from the compute-unit tables in Krea's OpenAPI document (price-tables.ts),
 * looked up with the exact body the adapter would send.
 *
 * The USD value of a unit: Krea's newer pages quote fixed USD prices for the same requests, and
 * they are the table's units × $0.0018375 (Hailuo 2.3 768p 6 s: 160 CU = $0.294; 10 s: 321 CU ≈
 * $0.588; Veo 3.1 Fast 720p 4 s: 183 CU ≈ $0.336; Veo 3 8 s: 916 CU ≈ $1.68). Operators whose
 * account bills otherwise set `prices.krea.usd_per_unit`.
 */
import type { JsonValue, ProviderPrice, ProviderPricing, StartRequest } from '../types.ts';
import { buildBody } from './body.ts';
import type { KreaWire } from './catalog.ts';
import type { PriceColumn, PriceRow, PriceTable } from './price-tables.ts';

export const kreaPricing: ProviderPricing<KreaWire> = {
  unit: 'krea_compute_unit',
  usdPerUnit: 0.0018375,
  source: "Krea's OpenAPI document (compute units per route, providers/krea/krea-openapi.json); USD per unit from docs.krea.ai's fixed USD prices",
  // docs.krea.ai/developers/api-keys-and-billing: failed and cancelled jobs are not billed.
  unbilled: ['failed', 'cancelled'],
  price: (request) => (request.model.wire.price ? priceOf(request.model.wire.price, buildBody(request)) : undefined),
};

/**
 * The units of the rows matching the body. A property the body leaves out matches every row (the
 * provider applies its default), and when several rows remain the highest is taken: an estimate
 * that reserves a budget must not be low. A length between published ones is priced per second
 * from the nearest published length (Krea's tables are close to linear in seconds).
 */
export function priceOf(table: PriceTable, body: Record<string, JsonValue>): ProviderPrice | undefined {
  const matching = table.rows.filter((row) => table.columns.every((column, at) => matches(column, row.values[at]!, body)));
  if (matching.length === 0) return scaledByLength(table, body);
  const top = highest(matching, (row) => row.units);
  return top.approximate ? { units: top.units, approximate: true } : { units: top.units };
}

function matches(column: PriceColumn, value: PriceRow['values'][number], body: Record<string, JsonValue>): boolean {
  if (value === null) return true;
  const sent = body[column.property];
  if (column.kind === 'flag') return isSet(sent) === value;
  if (sent === undefined) return true;
  if (column.kind === 'seconds') return Number(sent) === value;
  return String(sent).toLowerCase() === String(value).toLowerCase();
}

/** A flag column's Yes: the property is there with a value (`video_reference`) or is `true` (`has_lora`). */
function isSet(sent: JsonValue | undefined): boolean {
  if (sent === undefined || sent === null || sent === false) return false;
  return !(Array.isArray(sent) && sent.length === 0);
}

function scaledByLength(table: PriceTable, body: Record<string, JsonValue>): ProviderPrice | undefined {
  const lengthAt = table.columns.findIndex((column) => column.kind === 'seconds');
  const seconds = Number(body[table.columns[lengthAt]?.property ?? '']);
  if (lengthAt < 0 || !(seconds > 0)) return undefined;
  const lengthOf = (row: PriceRow) => row.values[lengthAt] as number;
  const others = table.rows.filter((row) => typeof row.values[lengthAt] === 'number' && table.columns.every((column, at) => at === lengthAt || matches(column, row.values[at]!, body)));
  if (others.length === 0) return undefined;
  const distance = (row: PriceRow) => Math.abs(lengthOf(row) - seconds);
  const nearest = others.filter((row) => distance(row) === Math.min(...others.map(distance)));
  const perLength = (row: PriceRow) => (row.units * seconds) / lengthOf(row);
  return { units: Math.round(perLength(highest(nearest, perLength)) * 1000) / 1000, approximate: true };
}

function highest(rows: PriceRow[], unitsOf: (row: PriceRow) => number): PriceRow {
  return rows.reduce((top, row) => (unitsOf(row) > unitsOf(top) ? row : top));
}
