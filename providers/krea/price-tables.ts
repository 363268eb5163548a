/**
 * Krea's prices, read from its OpenAPI document: each video route's description carries a markdown
 * table of compute units by the request properties the price depends on, e.g.
 *
 *     | Mode | Duration | Compute Units |
 *     | std  | 5s       | 60.1          |
 *
 * The generator (generate-catalog.ts) turns every table into data kept with its route; a heading
 * this file does not know stops the generator, so a new pricing dimension is never silently dropped.
 */

/** How a table column is compared with the request body. */
export type PriceColumnKind =
  /** Seconds written `5s`. */
  | 'seconds'
  /** A property's value, compared case-insensitively (`4K` and `4k`). */
  | 'text'
  /** Yes/No: whether the property is set to anything truthy. */
  | 'flag';

export interface PriceColumn {
  /** The Krea request property the column is about. */
  property: string;
  kind: PriceColumnKind;
}

export interface PriceRow {
  /** One value per column, in column order; `null` is the table's `-` (any value). */
  values: (string | number | boolean | null)[];
  units: number;
  /** The table wrote `~270`: an average, not a fixed price. */
  approximate?: true;
}

export interface PriceTable {
  columns: PriceColumn[];
  rows: PriceRow[];
}

/** Table heading → the property it prices by. `Compute Units` is the price itself. */
const HEADINGS: Readonly<Record<string, PriceColumn>> = {
  Duration: { property: 'duration', kind: 'seconds' },
  Resolution: { property: 'resolution', kind: 'text' },
  Mode: { property: 'mode', kind: 'text' },
  Audio: { property: 'generate_audio', kind: 'flag' },
  'Video Reference': { property: 'video_reference', kind: 'flag' },
  LoRA: { property: 'has_lora', kind: 'flag' },
};
const UNITS_HEADING = 'Compute Units';
/** Informational columns, not part of the price. */
const IGNORED_HEADINGS = new Set(['Average Completion Time']);

/** The compute-unit table in an operation description, or undefined when it has none. */
export function parsePriceTable(description: string, routeId: string): PriceTable | undefined {
  const lines = description.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('|'));
  if (lines.length === 0) return undefined;
  const [heading, separator, ...body] = lines.map(cells);
  if (!heading?.includes(UNITS_HEADING) || !separator?.every((cell) => /^:?-+:?$/.test(cell))) {
    throw new Error(`Krea ${routeId}: a table that is not a compute-unit table`);
  }
  const unitsAt = heading.indexOf(UNITS_HEADING);
  const priced = heading.map((name, index) => ({ name, index })).filter(({ name, index }) => index !== unitsAt && !IGNORED_HEADINGS.has(name));
  const columns = priced.map(({ name }) => {
    const column = HEADINGS[name];
    if (!column) throw new Error(`Krea ${routeId}: unknown price column "${name}"`);
    return column;
  });
  const rows = body.map((row) => {
    if (row.length !== heading.length) throw new Error(`Krea ${routeId}: a price row with ${row.length} cells under ${heading.length} headings`);
    return priceRow(row[unitsAt]!, priced.map(({ index }, at) => cellValue(row[index]!, columns[at]!.kind, routeId)), routeId);
  });
  return { columns, rows };
}

function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

function priceRow(unitsCell: string, values: PriceRow['values'], routeId: string): PriceRow {
  const approximate = unitsCell.startsWith('~');
  const units = Number(unitsCell.replace(/^~/, ''));
  if (!Number.isFinite(units) || units < 0) throw new Error(`Krea ${routeId}: compute units "${unitsCell}" are not a number`);
  return approximate ? { values, units, approximate: true } : { values, units };
}

function cellValue(cell: string, kind: PriceColumnKind, routeId: string): string | number | boolean | null {
  if (cell === '-') return null;
  if (kind === 'text') return cell;
  if (kind === 'flag') {
    if (cell === 'Yes' || cell === 'No') return cell === 'Yes';
    throw new Error(`Krea ${routeId}: "${cell}" is not Yes or No`);
  }
  const seconds = /^(\d+(?:\.\d+)?)s$/.exec(cell);
  if (!seconds) throw new Error(`Krea ${routeId}: duration "${cell}" is not in seconds`);
  return Number(seconds[1]);
}
