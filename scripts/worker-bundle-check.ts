/**
 * What may not reach the Worker bundle, checked on esbuild's metafile and on the bundled code:
 * Node built-ins (the Worker runs without Node.js compatibility), the Node runtime (src/node),
 * the provider emulators and their sample video, tests and scripts, the API reference's
 * renderer (megabytes, served as a static asset instead), the builders of the static pages
 * (the OpenAPI document and the playground, built into the static assets), and zod (the gateway
 * validates with its own src/validation/; zod documents and emulates at build time and on Node).
 * Pure functions, unit-tested.
 */
import { builtinModules } from 'node:module';

/** The parts of an esbuild metafile these checks read. */
export interface Metafile {
  inputs: Record<string, { bytes: number; imports: { path: string; external?: boolean }[] }>;
  outputs: Record<string, { bytes: number; entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

const FORBIDDEN_INPUTS: readonly [RegExp, string][] = [
  [/(^|\/)src\/node(\/|\.ts$)/, 'the Node runtime (src/node)'],
  [/(^|\/)providers\/emulator-kit\//, 'the emulator kit'],
  [/(^|\/)providers\/[^/]+\/emulator[^/]*\.ts$/, 'a provider emulator'],
  [/(^|\/)providers\/[^/]+\/generate-[^/]*\.ts$/, 'a code generator'],
  [/(^|\/)(test|scripts)\//, 'test or script code'],
  [/(^|\/)node_modules\/@scalar\/api-reference\//, 'the API reference renderer (a static asset, see wrangler.toml [assets])'],
  [/(^|\/)providers\/krea\/(routes\.generated\.json|with-routes\.ts|catalog\.ts)$/, "Krea's route table or its derivation (the Worker reads the derived models from its static assets, src/worker/provider-catalogs.ts)"],
  [/(^|\/)node_modules\/zod\//, 'zod (build-time and Node only; the Worker validates with src/validation/)'],
  [/(^|\/)src\/(openapi\/|playground\/(page|script)\.ts$|reference\/docs-page\.ts$|static-pages\/build\.ts$)/, 'a static page\'s builder (the Worker reads the built pages from its static assets, src/static-pages/)'],
];

/** `import … from "node:x"`, `import("node:x")`, `require("node:x")`, minified or not. */
const NODE_IMPORT_IN_CODE = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*["'`]node:[\w/]+["'`]/;
/** The start of an MP4 (`ftypisom`) in base64: the emulators' sample video. */
const EMBEDDED_MP4 = 'AAAAIGZ0eXBpc29t';
/** The emulators' control routes. */
const EMULATOR_ROUTE = '/__emulator/';

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(path: string): boolean {
  return path.startsWith('node:') || NODE_BUILTINS.has(path) || NODE_BUILTINS.has(path.split('/')[0]!);
}

/** Paths as esbuild wrote them (relative to wherever wrangler ran), without leading `../`. */
function normalize(path: string): string {
  return path.replaceAll('\\', '/').replace(/^(\.\.\/)+/, '');
}

/** Every reason the bundle is not fit for the Worker; empty when it is. */
export function bundleProblems(metafile: Metafile, code: string): string[] {
  const problems: string[] = [];
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const path = normalize(input);
    for (const [pattern, what] of FORBIDDEN_INPUTS) if (pattern.test(path)) problems.push(`${path} is ${what}`);
    for (const imported of imports) {
      if (imported.external && isNodeBuiltin(imported.path)) problems.push(`${path} imports the Node built-in "${imported.path}"`);
    }
  }
  const nodeImport = NODE_IMPORT_IN_CODE.exec(code);
  if (nodeImport) problems.push(`the bundle imports a Node built-in: ${nodeImport[0]}`);
  if (code.includes(EMBEDDED_MP4)) problems.push('the bundle embeds an MP4 (the sandbox sample video)');
  if (code.includes(EMULATOR_ROUTE)) problems.push(`the bundle contains the emulator control routes (${EMULATOR_ROUTE})`);
  return problems;
}

/** The output file built from `entryPoint`, from a metafile. */
export function entryOutput(metafile: Metafile, entryPoint: string): { path: string; inputs: Record<string, { bytesInOutput: number }> } {
  const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint && normalize(output.entryPoint) === entryPoint);
  if (!found) throw new Error(`no output for ${entryPoint} in the metafile`);
  return { path: found[0], inputs: found[1].inputs };
}

/** Bytes in the output per package (`node_modules/<name>`) or source folder, largest first. */
export function contributions(inputs: Record<string, { bytesInOutput: number }>): [string, number][] {
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const parts = normalize(input).split('/');
    const modules = parts.lastIndexOf('node_modules');
    const name = modules >= 0 ? parts.slice(modules + 1, modules + (parts[modules + 1]?.startsWith('@') ? 3 : 2)).join('/') : parts.slice(0, -1).join('/') || parts[0]!;
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
