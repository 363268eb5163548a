/**
 * `npm run assets:worker`: fills the Worker's static-assets folder (wrangler.toml `[assets]`,
 * git-ignored) with the pinned reference renderer, copied out of the installed package, under the
 * same versioned paths the gateway serves on Node, plus a `_headers` file giving them immutable
 * caching. The Worker bundle itself never contains the renderer. Runs before every wrangler
 * command of the npm scripts and when the workerd test project loads; a no-op when up to date.
 */
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateRendererPackage } from '../src/node/docs-assets.ts';
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
  const headersPath = join(dir, '_headers');
  if ((await readFile(headersPath, 'utf8').catch(() => undefined)) !== headersFile()) {
    await mkdir(dir, { recursive: true });
    await writeFile(headersPath, headersFile());
    changed.push('_headers');
  }
  return changed;
}

async function sameSize(source: string, target: string): Promise<boolean> {
  const [from, to] = await Promise.all([stat(source), stat(target).catch(() => undefined)]);
  return to !== undefined && to.size === from.size;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const changed = await prepareWorkerAssets();
  console.error(changed.length > 0 ? `worker-assets: ${changed.join(', ')}` : 'worker-assets: up to date');
}
