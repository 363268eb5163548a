/**
 * `npm run bench:profile`: a V8 CPU profile (`--cpu-prof`) of the gateway on each hot path under
 * load, one gateway process per path so each profile holds one path, and a summary of where the
 * time went (self time by function, and by file). The .cpuprofile files stay in the printed
 * directory for Chrome DevTools or speedscope. The gateway runs from its sources (src/node/main.ts),
 * not from the bundle `npm start` loads, so that the profiles name each function's own file.
 *
 *   npm run bench:profile                            # every path, 5 s each
 *   PROFILE_PATHS=create,finished PROFILE_MS=8000 npm run bench:profile
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, type RequestSpec } from './load.ts';
import { benchGatewayEnv, createJob, createSpec, FINISHING_PROMPT, getSpec, readUntilCompleted, startServer, type Server } from './servers.ts';

const MS = Number(process.env.PROFILE_MS ?? 5_000);
const TOP = Number(process.env.PROFILE_TOP ?? 15);
const WANTED = process.env.PROFILE_PATHS?.split(',').map((name) => name.trim());

interface Path {
  name: string;
  env?: Record<string, string>;
  /** Creates what the path reads, then names the request to repeat. */
  prepare(gateway: Server): Promise<RequestSpec>;
}

const paths: Path[] = [
  { name: 'fresh', prepare: async (gateway) => getSpec(`/v1/jobs/${await createJob(gateway.url, 'a lighthouse')}`) },
  { name: 'stale', env: { POLL_FRESHNESS_MS: '0' }, prepare: async (gateway) => getSpec(`/v1/jobs/${await createJob(gateway.url, 'a lighthouse')}`) },
  {
    name: 'finished',
    prepare: async (gateway) => {
      const id = await createJob(gateway.url, FINISHING_PROMPT);
      await readUntilCompleted(gateway.url, id);
      return getSpec(`/v1/jobs/${id}`);
    },
  },
  { name: 'create', prepare: async () => createSpec() },
  {
    name: 'list',
    prepare: async (gateway) => {
      for (let index = 0; index < 20; index++) await createJob(gateway.url, `a lighthouse ${index}`);
      return getSpec('/v1/jobs?limit=20');
    },
  },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function main(): Promise<void> {
  const upstream = await startServer('bench/instant-upstream.ts', {});
  const out = mkdtempSync(join(tmpdir(), 'vidgate-profiles-'));
  try {
    for (const path of paths.filter((candidate) => !WANTED || WANTED.includes(candidate.name))) {
      const dir = join(out, path.name);
      const gateway = await startServer('src/node/main.ts', benchGatewayEnv(upstream.url, path.env), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const spec = await path.prepare(gateway);
      const load = await runLoad(gateway.url, () => spec, 32, MS);
      await gateway.stopAndWait();
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))!;
      console.log(`\n== ${path.name}: ${load.requests} requests (${load.rps.toFixed(0)}/s, ${load.failures} unexpected), ${join(dir, file)}`);
      summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, load.requests);
    }
  } finally {
    upstream.stop();
  }
}

/** Self time by function and by file, and inclusive time by function, in µs per request (idle excluded; startup included, spread over the requests). */
function summarize(profile: CpuProfile, requests: number): void {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((node, index) => selfMicros.set(node, (selfMicros.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const bySelf = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byInclusive = new Map<string, number>();
  let busy = 0;
  const nameOf = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) => `${functionName || '(anonymous)'} ${shortFile(url) || ''}${url ? `:${lineNumber + 1}` : ''}`.trim();
  // Depth-first, counting a function once per stack so recursion does not count twice.
  const visit = (node: ProfileNode, onStack: Set<string>): number => {
    const name = nameOf(node);
    const idle = node.callFrame.functionName === '(idle)';
    let total = idle ? 0 : (selfMicros.get(node.id) ?? 0);
    if (!idle) {
      busy += total;
      bySelf.set(name, (bySelf.get(name) ?? 0) + total);
      const file = shortFile(node.callFrame.url) || node.callFrame.functionName;
      byFile.set(file, (byFile.get(file) ?? 0) + total);
    }
    const inner = new Set(onStack).add(name);
    for (const child of node.children ?? []) total += visit(byId.get(child)!, inner);
    if (!onStack.has(name)) byInclusive.set(name, (byInclusive.get(name) ?? 0) + total);
    return total;
  };
  visit(profile.nodes[0]!, new Set());
  const top = (map: Map<string, number>, skip = (_name: string) => false) =>
    [...map].filter(([name]) => !skip(name)).sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([name, micros]) => `  ${(micros / requests).toFixed(1).padStart(7)} µs  ${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${name}`);
  console.log(`busy ${(busy / requests).toFixed(1)} µs per request`);
  console.log('self time by function:');
  console.log(top(bySelf).join('\n'));
  console.log('self time by file:');
  console.log(top(byFile).join('\n'));
  console.log('inclusive time by function (the gateway\'s own code):');
  console.log(top(byInclusive, (name) => !/ (src|providers)\//.test(name)).join('\n'));
}

function shortFile(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|src|providers)\//, '$1/').replace(/^node:/, 'node:');
}

await main();
