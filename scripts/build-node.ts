/**
 * `npm run build:node` (also run by `npm install`, as `prepare`): the Node server bundled by esbuild
 * into build/node-server/, with a manifest of its inputs, so that src/node.mjs can load it instead of
 * the sources while they are unchanged (src/node/built-server.ts says why).
 *
 * What the bundle keeps from the sources' layout: every `import.meta.url` still names the module's
 * own file (rewritten to a URL relative to the bundle), so the sandbox's emulators, loaded on demand
 * from providers/<name>/, and the one undici file required at run time are found where they are.
 * Dynamic imports are bundled too, and run when the sources would run them.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { BUILT_SERVER_DIR, MANIFEST_FILE, type BuiltServerManifest } from '../src/node/built-server.ts';
import { PROJECT_ROOT as ROOT } from './wrangler-env.ts';

/** Each module's `import.meta.url`, as the URL of its source file relative to the bundle's directory. */
function ownImportMetaUrl(outdir: string): Plugin {
  return {
    name: 'own-import-meta-url',
    setup(plugin) {
      plugin.onLoad({ filter: /\.ts$/ }, ({ path }) => {
        const source = readFileSync(path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const own = `new URL(${JSON.stringify(relative(outdir, path).split('\\').join('/'))}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', own), loader: 'ts' };
      });
    },
  };
}

/** Builds the bundle into `outdir` (replacing what was there) and returns its manifest. */
export async function buildNodeServer(outdir = join(ROOT, BUILT_SERVER_DIR)): Promise<BuiltServerManifest> {
  const target = resolve(outdir);
  const staging = `${target}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'src/node/main.ts' },
    bundle: true,
    // One file: dynamic imports stay lazy (their modules run when first imported), and no binding
    // crosses between chunks, which cost the hot paths about 4% of CPU when they were split.
    splitting: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    outdir: staging,
    // .mjs, so that the bundle is ESM wherever it is written (a folder without this package.json too).
    outExtension: { '.js': '.mjs' },
    metafile: true,
    // Loaded from node_modules at run time, as from the sources: undici's CommonJS modules lose their
    // named exports when bundled into ESM, and src/node/undici-agent.ts requires one of its files.
    external: ['undici'],
    logLevel: 'warning',
    plugins: [ownImportMetaUrl(target)],
  });
  const inputs = Object.keys(result.metafile.inputs).map((path): [string, number, number] => {
    const stats = statSync(join(ROOT, path));
    return [path, stats.size, stats.mtimeMs];
  });
  const manifest: BuiltServerManifest = { entry: 'main.mjs', inputs };
  writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`);
  // Swapped in whole, so a process starting meanwhile loads the old bundle or the new one, never half of each.
  mkdirSync(dirname(target), { recursive: true });
  const old = `${target}.old-${process.pid}`;
  try {
    renameSync(target, old);
  } catch {
    // No bundle yet.
  }
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = await buildNodeServer(process.argv[2]);
  console.log(`Node server bundled from ${manifest.inputs.length} files into ${process.argv[2] ?? BUILT_SERVER_DIR}/`);
}
