import { spawn } from 'node:child_process';
import { runLoad } from './load.ts';
import { benchGatewayEnv, createSpec, getSpec, createJob, startServer, readUntilCompleted } from './servers.ts';
const upstream = await startServer('bench/instant-upstream.ts', {});
const gw = await startServer('src/node.ts', benchGatewayEnv(upstream.url, process.env.FRESH === '0' ? { POLL_FRESHNESS_MS: '0' } : {}), ['--perf-basic-prof']);
const which = process.env.WHICH ?? 'create';
let spec = createSpec();
if (which === 'finished') { const id = await createJob(gw.url, 'a lighthouse [done]'); await readUntilCompleted(gw.url, id); spec = getSpec(`/v1/jobs/${id}`); }
if (which === 'live') { const id = await createJob(gw.url, 'a lighthouse'); spec = getSpec(`/v1/jobs/${id}`); }
await runLoad(gw.url, () => spec, 32, 1500);
const perf = spawn('perf', ['record', '-F', '1999', '-g', '-o', '/tmp/perf.data', '-p', String(gw.pid), '--', 'sleep', '5'], { stdio: 'inherit' });
const r = await runLoad(gw.url, () => spec, 32, 5500);
await new Promise((resolve) => perf.once('exit', resolve));
console.log('requests', r.requests);
await gw.stopAndWait(); upstream.stop();
