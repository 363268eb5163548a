/**
 * Writes `openapi/openapi.json`, the committed copy of the document (`npm run generate:openapi`).
 * A contract test fails while the committed copy differs from what the code builds.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { providers } from '../providers/index.ts';
import { buildOpenApiDocument } from '../src/openapi/build-document.ts';

/** Where the committed copy lives. */
export const OPENAPI_JSON_PATH = fileURLToPath(new URL('./openapi.json', import.meta.url));

/** The committed file's exact text: two-space indentation, a final newline, keys in build order. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(providers.map((provider) => provider.name)), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_JSON_PATH, renderOpenApiJson());
  console.log(`Wrote ${OPENAPI_JSON_PATH}`);
}
