import { describe, expect, it } from 'vitest';
import { bundleProblems, contributions, entryOutput, type Metafile } from '../../../scripts/worker-bundle-check.ts';

function metafile(inputs: Record<string, { path: string; external?: boolean }[]>): Metafile {
  return {
    inputs: Object.fromEntries(Object.entries(inputs).map(([path, imports]) => [path, { bytes: 100, imports }])),
    outputs: {
      'dist/worker.js': {
        bytes: 300,
        entryPoint: 'src/worker.ts',
        inputs: { 'src/worker.ts': { bytesInOutput: 10 }, 'node_modules/hono/dist/hono.js': { bytesInOutput: 200 }, 'node_modules/@scalar/x/index.js': { bytesInOutput: 90 } },
      },
    },
  };
}

const clean = metafile({ 'src/worker.ts': [{ path: 'src/app.ts' }], 'src/app.ts': [{ path: 'cloudflare:workers', external: true }] });

describe('the Worker bundle check', () => {
  it('passes a bundle made of core code and web-standard dependencies', () => {
    expect(bundleProblems(clean, 'export default { fetch() {} };')).toEqual([]);
  });

  it('names Node runtime, emulator, generator, test and script files that were bundled', () => {
    const bundled = metafile({
      '../../work/main/src/node/sandbox.ts': [],
      'src/node.ts': [],
      'providers/emulator-kit/index.ts': [],
      'providers/krea/emulator.ts': [],
      'providers/aimlapi/emulator-schemas.ts': [],
      'providers/krea/generate-catalog.ts': [],
      'test/support/stack.ts': [],
      'scripts/wrangler-env.ts': [],
    });
    expect(bundleProblems(bundled, '')).toHaveLength(8);
  });

  it('names the API reference renderer if it was bundled instead of served as a static asset', () => {
    const bundled = metafile({ 'node_modules/@scalar/api-reference/dist/browser/standalone.js': [] });
    expect(bundleProblems(bundled, '')).toEqual([expect.stringContaining('the API reference renderer')]);
  });

  it('names Krea\'s route table and its derivation if they were bundled instead of read from the static assets', () => {
    const bundled = metafile({ 'providers/krea/routes.generated.json': [], 'providers/krea/with-routes.ts': [], 'providers/krea/catalog.ts': [], 'providers/krea/models-json.ts': [] });
    expect(bundleProblems(bundled, '')).toHaveLength(3);
  });

  it('names zod if it was bundled (the Worker validates with src/validation/)', () => {
    const bundled = metafile({ 'node_modules/zod/v4/core/schemas.js': [], 'src/validation/schema.ts': [] });
    expect(bundleProblems(bundled, '')).toEqual([expect.stringMatching(/^node_modules\/zod\/v4\/core\/schemas\.js is zod/)]);
  });

  it('names the builders of the static pages if they were bundled instead of read from the static assets', () => {
    const builders = ['src/openapi/build-document.ts', 'src/playground/script.ts', 'src/playground/page.ts', 'src/reference/docs-page.ts', 'src/static-pages/build.ts'];
    const bundled = metafile(Object.fromEntries([...builders, 'src/playground/settings.ts', 'src/static-pages/serve.ts', 'src/reference/renderer.ts'].map((path) => [path, []])));
    expect(bundleProblems(bundled, '')).toEqual(builders.map((path) => `${path} is a static page's builder (the Worker reads the built pages from its static assets, src/static-pages/)`));
  });

  it('catches Node built-ins, with or without the node: prefix', () => {
    const bundled = metafile({ 'node_modules/x/index.js': [{ path: 'node:stream', external: true }, { path: 'fs/promises', external: true }] });
    expect(bundleProblems(bundled, '')).toEqual([
      'node_modules/x/index.js imports the Node built-in "node:stream"',
      'node_modules/x/index.js imports the Node built-in "fs/promises"',
    ]);
  });

  it('catches Node imports, the sample video and emulator routes in the code itself', () => {
    for (const code of ['import{a}from"node:fs";', 'await import("node:crypto")', "require('node:path')"]) {
      expect(bundleProblems(clean, code)).toEqual([expect.stringContaining('imports a Node built-in')]);
    }
    expect(bundleProblems(clean, 'const v = "AAAAIGZ0eXBpc29tAAACAGlzb2";')).toEqual([expect.stringContaining('MP4')]);
    expect(bundleProblems(clean, 'app.post("/__emulator/faults")')).toEqual([expect.stringContaining('emulator control routes')]);
  });

  it('sums output bytes per package and source folder, largest first', () => {
    expect(contributions(entryOutput(clean, 'src/worker.ts').inputs)).toEqual([
      ['hono', 200],
      ['@scalar/x', 90],
      ['src', 10],
    ]);
  });
});
