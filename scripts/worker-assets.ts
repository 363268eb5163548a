/**
 * `npm run assets:worker`: fills the Worker's static-assets folder (wrangler.toml `[assets]`,
 * git-ignored) with the pinned reference renderer, copied out of the installed package, under the
 * same versioned paths the gateway serves on Node, plus a `_headers` file giving them immutable
 * caching; with the static pages (the OpenAPI document, the reference and playground pages), built
 * by the same code that builds them on Node (src/static-pages/build.ts); and with the provider
 * catalog data the Worker reads at startup (Krea's derived models, src/worker/provider-catalogs.ts).
 * The Worker bundle itself contains none of them, nor the pages' builders. Runs before every wrangler command of the
 * npm scripts and when the workerd test project loads; a no-op when up to date.
 */
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providers } from '../providers/index.ts';
import { kreaModelsToJson } from '../providers/krea/models-json.ts';
import { kreaModels } from '../providers/krea/with-routes.ts';
import { locateRendererPackage } from '../src/node/docs-assets.ts';
import { staticPageFiles } from '../src/static-pages/build.ts';
import { CATALOG_FILES } from '../src/worker/provider-catalogs.ts';
import { DOCS_ASSETS, docsAssetUrl, IMMUTABLE_CACHE_CONTROL, RENDERER_VERSION } from '../src/reference/renderer.ts';
import { PROJECT_ROOT } from './wrangler-env.ts';

/** wrangler.toml's `[assets] directory`. */
export const WORKER_ASSETS_DIR = join(PROJECT_ROOT, 'worker-assets');

/** Cloudflare's custom headers for static assets: the same caching and types the Node route sends. */
export function headersFile(): string {
  const common = [`/docs/assets/*`, `  Cache-Control: ${IMMUTABLE_CACHE_CONTROL}`, '  X-Content-Type-Options: nosniff'];
  const types = DOCS_ASSETS.flatMap((asset) => [docsAssetUrl(asset), `  Content-Type: ${asset.contentType}`]);
  return `${[...common, ...types].join('\n')}\n`;
}

/** Copies what is missing or stale and removes other versions; returns what it changed. */
export async function prepareWorkerAssets(dir: string = WORKER_ASSETS_DIR): Promise<string[]> {
  const changed: string[] = [];
  const renderer = await locateRendererPackage();
  const versions = join(dir, 'docs', 'assets');
  for (const entry of await readdir(versions).catch(() => [])) {
    if (entry === RENDERER_VERSION) continue;
    await rm(join(versions, entry), { recursive: true, force: true });
    changed.push(`removed docs/assets/${entry}`);
  }
  for (const asset of DOCS_ASSETS) {
    const source = renderer.files.get(asset.name)!;
    const target = join(dir, ...docsAssetUrl(asset).split('/'));
    if (await sameSize(source, target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await copyFile(source, target);
    changed.push(docsAssetUrl(asset));
  }
  const catalogs: [string, string][] = [[CATALOG_FILES.kreaModels, kreaModelsToJson(kreaModels)]];
  for (const [file, text] of [...staticPageFiles(providers.map((provider) => provider.name)), ...catalogs]) {
    if (await writeIfChanged(join(dir, ...file.split('/')), text)) changed.push(file);
  }
  if (await writeIfChanged(join(dir, '_headers'), headersFile())) changed.push('_headers');
  return changed;
}

/** Writes `text` unless the file already holds exactly that; whether it wrote. */
async function writeIfChanged(path: string, text: string): Promise<boolean> {
  if ((await readFile(path, 'utf8').catch(() => undefined)) === text) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return true;
}

async function sameSize(source: string, target: string): Promise<boolean> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
  return to !== undefined && to.size === from.size;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changed = await prepareWorkerAssets();
  console.error(changed.length > 0 ? `worker-assets: ${changed.join(', ')}` : 'worker-assets: up to date');
}
