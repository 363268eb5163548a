/**
 * The pinned renderer and how Node serves it: the version is exact and installed, the file is
 * found through the package itself, read once on first use, and failures are not remembered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { acceptsGzip, locateRendererPackage, nodeDocsAssets, type RendererPackage } from '../../../src/node/docs-assets.ts';
import { docsAssetFor, DOCS_ASSETS_PATH, RENDERER_PACKAGE, RENDERER_SCRIPT, RENDERER_VERSION } from '../../../src/reference/renderer.ts';

const request = (headers: Record<string, string> = {}) => new Request(`http://gateway.test${DOCS_ASSETS_PATH}/${RENDERER_SCRIPT.name}`, { headers });

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A stand-in package whose script says `text`. */
async function fakePackage(text: string): Promise<RendererPackage & { script: string }> {
  const root = await mkdtemp(join(tmpdir(), 'vidgate-renderer-'));
  temporary.push(root);
  const script = join(root, 'standalone.js');
  await writeFile(script, text);
  return { root, version: RENDERER_VERSION, files: new Map([[RENDERER_SCRIPT.name, script]]), script };
}

describe('the pinned renderer', () => {
  it('is pinned to an exact version in package.json, and that version is installed', async () => {
    expect(RENDERER_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packageJson.dependencies[RENDERER_PACKAGE], 'src/reference/renderer.ts must name the version package.json pins').toBe(RENDERER_VERSION);
    expect(packageJson.dependencies).not.toHaveProperty('@scalar/hono-api-reference');
    const found = await locateRendererPackage();
    expect(found.version).toBe(RENDERER_VERSION);
    expect(JSON.parse(readFileSync(join(found.root, 'package.json'), 'utf8')).name).toBe(RENDERER_PACKAGE);
  });

  it('is found as the package\'s own standalone browser bundle', async () => {
    const found = await locateRendererPackage();
    const manifest = JSON.parse(readFileSync(join(found.root, 'package.json'), 'utf8')) as { browser: string };
    const script = found.files.get(RENDERER_SCRIPT.name)!;
    expect(script).toBe(join(found.root, manifest.browser));
    expect(existsSync(script)).toBe(true);
    expect(readFileSync(script, 'utf8')).toContain('createApiReference');
  });

  it('is only served at its own version and file names', () => {
    expect(docsAssetFor(RENDERER_VERSION, RENDERER_SCRIPT.name)).toBe(RENDERER_SCRIPT);
    expect(docsAssetFor('0.0.0', RENDERER_SCRIPT.name)).toBeUndefined();
    expect(docsAssetFor(RENDERER_VERSION, 'package.json')).toBeUndefined();
  });
});

describe('serving the renderer on Node', () => {
  it('finds and reads the file on the first request, once, and serves it from memory afterwards', async () => {
    const fake = await fakePackage('first');
    const locate = vi.fn(async () => fake);
    const serve = nodeDocsAssets(locate);
    expect(locate).not.toHaveBeenCalled();
    const [one, two] = await Promise.all([serve(RENDERER_SCRIPT, request()), serve(RENDERER_SCRIPT, request())]);
    await writeFile(fake.script, 'changed on disk');
    const three = await serve(RENDERER_SCRIPT, request());
    expect(await Promise.all([one, two, three].map((response) => response!.text()))).toEqual(['first', 'first', 'first']);
    expect(locate).toHaveBeenCalledTimes(1);
    expect(three!.headers.get('content-length')).toBe('5');
  });

  it('gzips for clients that accept it, with the compressed length', async () => {
    const fake = await fakePackage('x'.repeat(10_000));
    const response = (await nodeDocsAssets(async () => fake)(RENDERER_SCRIPT, request({ 'accept-encoding': 'gzip' })))!;
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-length')).toBe(String(body.byteLength));
    expect(body.byteLength).toBeLessThan(10_000);
  });

  it('does not remember a failure: the next request looks for the package again', async () => {
    const fake = await fakePackage('found');
    const locate = vi.fn<() => Promise<RendererPackage>>().mockRejectedValueOnce(new Error('not installed')).mockResolvedValue(fake);
    const serve = nodeDocsAssets(locate);
    await expect(serve(RENDERER_SCRIPT, request())).rejects.toThrow('not installed');
    expect(await (await serve(RENDERER_SCRIPT, request()))!.text()).toBe('found');
    expect(locate).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['GZIP', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['', false],
    ['x-gzip', false],
  ])('reads Accept-Encoding %j as accepting gzip: %s', (header, expected) => {
    expect(acceptsGzip(request({ 'accept-encoding': header }))).toBe(expected);
  });

  it('serves the real file byte for byte', async () => {
    const found = await locateRendererPackage();
    const response = (await nodeDocsAssets()(RENDERER_SCRIPT, request()))!;
    const expected = await readFile(found.files.get(RENDERER_SCRIPT.name)!);
    expect(Buffer.from(await response.arrayBuffer()).equals(expected)).toBe(true);
  });
});
