import * as __fs from 'node:fs'; globalThis.__fs = __fs;
import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
const stubs = (process.env.STUBS ?? '').split(',').filter(Boolean);
const plugin = { name: 'stub', setup(b) {
  for (const s of stubs) b.onResolve({ filter: new RegExp(s) }, (a) => ({ path: a.path, namespace: 'stub' }));
  b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = new Proxy(function(){}, { get: (t, k) => k === "__esModule" ? false : module.exports, apply: () => module.exports, construct: () => ({}) });', loader: 'js' }));
}};
const r = await esbuild.build({ entryPoints: ['src/worker.ts'], bundle: true, minify: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'], external: ['cloudflare:*'], write: false, metafile: true, plugins: [plugin], logLevel: 'error', keepNames: !!process.env.KEEP });
const code = r.outputFiles[0].text;
console.log('min', (code.length/1024).toFixed(1), 'gzip', (gzipSync(code).length/1024).toFixed(1));
if (process.env.TOP) { const o = Object.values(r.metafile.outputs)[0]; Object.entries(o.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0, +process.env.TOP).forEach(([k,v])=>console.log(v.bytesInOutput,k)); }
if (process.env.OUT) require_fs().writeFileSync(process.env.OUT, code);
function require_fs() { return globalThis.__fs; }
