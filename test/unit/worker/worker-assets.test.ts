/**
 * The Worker's static assets: the copy step puts the pinned renderer where wrangler.toml's
 * `[assets]` looks, under the path the gateway serves, with immutable caching headers, and the
 * folder is generated (git-ignored), never committed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headersFile, prepareWorkerAssets, WORKER_ASSETS_DIR } from '../../../scripts/worker-assets.ts';
import { PROJECT_ROOT } from '../../../scripts/wrangler-env.ts';
import { locateRendererPackage } from '../../../src/node/docs-assets.ts';
import { docsAssetUrl, IMMUTABLE_CACHE_CONTROL, RENDERER_SCRIPT } from '../../../src/reference/renderer.ts';
import { providers } from '../../../providers/index.ts';
import { nodeStaticPages } from '../../../src/node/static-pages.ts';
import { STATIC_PAGE_FILES } from '../../../src/static-pages/static-pages.ts';
import { kreaModelsFromJson } from '../../../providers/krea/models-json.ts';
import { kreaModels } from '../../../providers/krea/with-routes.ts';
import { CATALOG_FILES } from '../../../src/worker/provider-catalogs.ts';

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vidgate-worker-assets-'));
  temporary.push(dir);
  return dir;
}

describe('the Worker\'s static assets', () => {
  it('are the installed renderer, copied to the path the gateway serves, the static pages, the provider catalogs, and a _headers file', async () => {
    const dir = await emptyDir();
    expect(await prepareWorkerAssets(dir)).toEqual([docsAssetUrl(RENDERER_SCRIPT), ...Object.values(STATIC_PAGE_FILES), CATALOG_FILES.kreaModels, '_headers']);
    const installed = await readFile((await locateRendererPackage()).files.get(RENDERER_SCRIPT.name)!);
    expect((await readFile(join(dir, docsAssetUrl(RENDERER_SCRIPT)))).equals(installed)).toBe(true);
    expect(await readFile(join(dir, '_headers'), 'utf8')).toBe(headersFile());
  });

  it('hold the static pages exactly as the Node runtime builds them', async () => {
    const dir = await emptyDir();
    await prepareWorkerAssets(dir);
    const node = nodeStaticPages(providers.map((provider) => provider.name));
    expect(await readFile(join(dir, STATIC_PAGE_FILES.openApiJson), 'utf8')).toBe(await node.openApiJson());
    expect(JSON.parse(await readFile(join(dir, STATIC_PAGE_FILES.docsPage), 'utf8'))).toEqual(await node.docsPage());
    expect(JSON.parse(await readFile(join(dir, STATIC_PAGE_FILES.playground), 'utf8'))).toEqual(await node.playground());
  });

  it('hold Krea\'s models exactly as Node derives them, wire spellings included', async () => {
    const dir = await emptyDir();
    await prepareWorkerAssets(dir);
    expect(kreaModelsFromJson(await readFile(join(dir, CATALOG_FILES.kreaModels), 'utf8'))).toEqual(kreaModels);
  });

  it('are left alone when up to date, and other versions are removed', async () => {
    const dir = await emptyDir();
    await prepareWorkerAssets(dir);
    expect(await prepareWorkerAssets(dir)).toEqual([]);
    await mkdir(join(dir, 'docs', 'assets', '0.0.1'), { recursive: true });
    await writeFile(join(dir, 'docs', 'assets', '0.0.1', 'standalone.js'), 'old');
    expect(await prepareWorkerAssets(dir)).toEqual(['removed docs/assets/0.0.1']);
    expect(existsSync(join(dir, 'docs', 'assets', '0.0.1'))).toBe(false);
  });

  it('get immutable caching and the script\'s content type from _headers', () => {
    expect(headersFile()).toBe(
      [
        '/docs/assets/*',
        `  Cache-Control: ${IMMUTABLE_CACHE_CONTROL}`,
        '  X-Content-Type-Options: nosniff',
        docsAssetUrl(RENDERER_SCRIPT),
        `  Content-Type: ${RENDERER_SCRIPT.contentType}`,
        '',
      ].join('\n'),
    );
  });

  it('are where wrangler.toml serves them from, and only /docs/assets/* skips the Worker', () => {
    const wrangler = readFileSync(join(PROJECT_ROOT, 'wrangler.toml'), 'utf8');
    const assets = /^\[assets\]\n([\s\S]*?)\n\n/m.exec(wrangler)?.[1] ?? '';
    expect(assets).toContain(`directory = "./${relative(PROJECT_ROOT, WORKER_ASSETS_DIR)}"`);
    expect(assets).toContain('binding = "ASSETS"');
    expect(assets).toContain('run_worker_first = ["/*", "!/docs/assets/*"]');
    expect(wrangler).toMatch(/^\[build\]\ncommand = "node scripts\/worker-assets\.ts"$/m);
  });

  it('are generated, not committed: the folder is git-ignored', () => {
    const ignored = readFileSync(join(PROJECT_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain(`${relative(PROJECT_ROOT, WORKER_ASSETS_DIR)}/`);
  });
});
