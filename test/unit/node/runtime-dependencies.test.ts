/**
 * A production install (`npm ci --omit=dev`) has only package.json's "dependencies", so nothing
 * that `npm start` (`node src/node.mjs`) can load may import a devDependency. This follows every import reachable
 * from the entry (static, dynamic, and the emulators loaded on demand) through the source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { RENDERER_PACKAGE } from '../../../src/reference/renderer.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = join(ROOT, 'src/node.mjs');

/** Specifiers a file loads at run time; `import type` and `export type` are erased and load nothing. */
const LOADS: RegExp[] = [
  /(?:^|[\n;])\s*(?:import|export)\s+(?!type[\s{])[^'"]*?\bfrom\s+'([^']+)'/g,
  /(?:^|[\n;])\s*import\s+'([^']+)'/g,
  /\bimport\(\s*'([^']+)'\s*\)/g,
  // src/node/undici-agent.ts: one file of a package, through `createRequire`.
  /\brequire\(\s*'([^']+)'\s*\)/g,
  // providers/shared/on-demand-import.ts: `emulatorAt(import.meta.url, './emulator.ts')` imports the path later.
  /\bemulatorAt\(\s*import\.meta\.url,\s*'([^']+)'\s*\)/g,
];

interface ImportGraph {
  files: string[];
  /** Bare specifiers (packages and built-ins), with a file that loads each. */
  bare: Map<string, string>;
}

function importGraph(entry: string): ImportGraph {
  const files = [entry];
  const bare = new Map<string, string>();
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const source = readFileSync(file, 'utf8');
    for (const pattern of LOADS) {
      for (const [, specifier] of source.matchAll(pattern)) {
        if (!specifier!.startsWith('.')) {
          if (!bare.has(specifier!)) bare.set(specifier!, relative(ROOT, file));
          continue;
        }
        const target = resolve(dirname(file), specifier!);
        expect(existsSync(target), `${relative(ROOT, file)} imports ${specifier}, which does not exist`).toBe(true);
        if (/\.(ts|mjs)$/.test(target) && !files.includes(target)) files.push(target);
      }
    }
  }
  return { files: files.map((file) => relative(ROOT, file)), bare };
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

describe('what npm start (node src/node.mjs) loads', () => {
  const graph = importGraph(ENTRY);
  const runtime = new Set(Object.keys(packageJson.dependencies));

  it('reaches the server, the sandbox and the emulators it loads on demand', () => {
    expect(graph.files).toEqual(expect.arrayContaining(['src/node/main.ts', 'src/node/built-server.ts', 'src/node/http-server.ts', 'src/node/sandbox.ts', 'providers/krea/emulator.ts', 'providers/aimlapi/emulator.ts']));
  });

  it('imports only Node built-ins and runtime dependencies, never a devDependency', () => {
    const offenders = [...graph.bare].filter(([specifier]) => !isBuiltin(specifier) && !runtime.has(packageName(specifier)));
    expect(offenders.map(([specifier, file]) => `${file} imports ${specifier}`)).toEqual([]);
  });

  it('lives entirely in the folders the Dockerfile copies into the image', () => {
    // `COPY <source>… <destination>`: every word but the first and the last is a source.
    const copied = [...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^COPY\s+(.+)$/gm)].flatMap(([, words]) => words!.trim().split(/\s+/).slice(0, -1));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'src', 'providers']));
    const outside = graph.files.filter((file) => !copied.includes(file.split('/')[0]!));
    expect(outside).toEqual([]);
  });

  it('resolves the reference renderer at run time from a runtime dependency', () => {
    // src/node/docs-assets.ts finds it with import.meta.resolve, which the scan above cannot see.
    expect(runtime).toContain(RENDERER_PACKAGE);
  });
});
