/**
 * Extracts Krea's video routes from its published OpenAPI document into `routes.generated.json`,
 * the one input of the Krea catalog and emulator. Run with `npm run generate:krea-catalog` after
 * replacing `krea-openapi.json`; a unit test fails while the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePriceTable, type PriceTable } from './price-tables.ts';

/** One Krea video route: `POST /generate/video/<id>`, its request body schema and its price table. */
export interface KreaRoute {
  /** `kling/kling-2.5` */
  id: string;
  /** The operation summary, e.g. `Kling 2.5`. */
  title: string;
  /** The JSON request body schema, without documentation-only keywords. */
  schema: { [key: string]: unknown };
  /** Compute units by request properties, from the operation's description (absent when it publishes none). */
  price?: PriceTable;
}

const VIDEO_PREFIX = '/generate/video/';
const ANNOTATIONS = new Set(['description', 'example']);
// Keywords whose values are data, not subschemas: never strip inside them.
const VALUE_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/** Every `/generate/video/...` route of a Krea OpenAPI document, sorted by id. */
export function buildRoutes(openapiDocument: unknown): KreaRoute[] {
  const paths = (openapiDocument as { paths?: Record<string, unknown> }).paths ?? {};
  return Object.entries(paths)
    .filter(([path]) => path.startsWith(VIDEO_PREFIX))
    .map(([path, item]) => toRoute(path.slice(VIDEO_PREFIX.length), item))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function toRoute(id: string, pathItem: unknown): KreaRoute {
  const operation = (pathItem as { post?: Record<string, unknown> }).post;
  const schema = (operation?.requestBody as JsonBody | undefined)?.content?.['application/json']?.schema;
  if (!operation || !isRecord(schema)) throw new Error(`Krea route ${id}: no POST with a JSON request body`);
  // The catalog and the emulator read schemas as self-contained; a reference would silently lose rules.
  if (JSON.stringify(schema).includes('"$ref"')) throw new Error(`Krea route ${id}: $ref is not supported`);
  const price = parsePriceTable(String(operation.description ?? ''), id);
  return { id, title: String(operation.summary ?? id), schema: stripAnnotations(schema) as KreaRoute['schema'], ...(price ? { price } : {}) };
}

interface JsonBody {
  content?: Record<string, { schema?: unknown } | undefined>;
}

/** Removes `description`/`example` keywords at every schema level, keeping properties of those names. */
function stripAnnotations(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => stripAnnotations(item));
  if (!isRecord(node)) return node;
  const kept = Object.entries(node).filter(([key]) => isPropertyMap || !ANNOTATIONS.has(key));
  return Object.fromEntries(
    kept.map(([key, value]) => {
      if (!isPropertyMap && VALUE_KEYWORDS.has(key)) return [key, value];
      return [key, stripAnnotations(value, !isPropertyMap && key === 'properties')];
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's exact text, so that regeneration is byte-for-byte deterministic. */
export function renderRoutes(routes: KreaRoute[]): string {
  return `${JSON.stringify(routes, null, 2)}\n`;
}

if (import.meta.main) {
  const here = import.meta.dirname;
  const document: unknown = JSON.parse(readFileSync(join(here, 'krea-openapi.json'), 'utf8'));
  const routes = buildRoutes(document);
  writeFileSync(join(here, 'routes.generated.json'), renderRoutes(routes));
  const priced = routes.filter((route) => route.price).length;
  console.log(`routes.generated.json: ${routes.length} Krea video routes, ${priced} with a price table`);
}
