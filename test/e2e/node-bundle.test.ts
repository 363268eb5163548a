/**
 * The bundled Node server (scripts/build-node.ts) as `npm start` runs it when it is fresh: built
 * here into a folder of its own, started in sandbox mode, and exercised on what the bundling could
 * break: the emulators loaded from their source files, the chunks loaded on demand (the API
 * document, the playground), the one undici file required at run time (every provider call).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNodeServer } from '../../scripts/build-node.ts';
import { freshBuiltServer } from '../../src/node/built-server.ts';
import { spawnGateway, type GatewayProcess } from '../support/process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'test-artifacts', `node-bundle-${process.pid}`);

let gateway: GatewayProcess;
let headers: Record<string, string>;

beforeAll(async () => {
  const manifest = await buildNodeServer(OUT);
  expect(manifest.inputs.map(([path]) => path)).toEqual(expect.arrayContaining(['src/node/main.ts', 'src/app.ts', 'providers/krea/adapter.ts']));
  expect(freshBuiltServer(ROOT, OUT)).toMatch(/main\.mjs$/);
  gateway = await spawnGateway({ SANDBOX_STEP_MS: '1', POLL_INTERVAL_MS: '50' }, join(OUT, manifest.entry));
  const key = /Gateway key:\s+(\S+)/.exec(gateway.output())![1]!;
  headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

describe('the bundled Node server', () => {
  it('starts the emulators and serves a job to completion, its video copied', async () => {
    expect(gateway.output()).toContain('SANDBOX mode');
    const created = await fetch(`${gateway.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a fox' }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    let job: { status?: string; videos?: { url: string; storage?: string }[] } = {};
    for (let i = 0; i < 100 && !(job.status === 'completed' && job.videos?.every((video) => video.storage !== 'pending')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await (await fetch(`${gateway.url}/v1/jobs/${id}`, { headers })).json()) as typeof job;
    }
    expect(job.status).toBe('completed');
    const video = await fetch(new URL(job.videos![0]!.url, gateway.url));
    expect(video.status, JSON.stringify(job)).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
  });

  it('serves the committed API document and the playground, built on first use', async () => {
    const document = await fetch(`${gateway.url}/openapi.json`);
    expect(document.status).toBe(200);
    expect(await document.json()).toEqual(JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')));
    const playground = await fetch(`${gateway.url}/playground`);
    expect(playground.status).toBe(200);
    expect(await playground.text()).toContain('<html');
  });

  it('answers a validation error as the sources do, naming the field', async () => {
    const refused = await fetch(`${gateway.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a fox', duration: 'long' }) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('duration');
  });
});
