/**
 * The Node process as an operator runs it: real `node src/node.mjs` (what `npm start` runs), `node src/node.ts` and `npm start` processes,
 * started, refused a port, stopped by signals and by npm going away.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { portIsFree, processTree, runGatewayToExit, spawnGateway, spawnNpmStart, stillRunning, type GatewayProcess } from '../support/process.ts';

const KEY = 'vidgate-sandbox-key';
const running: GatewayProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.stop()));
});

async function track(started: Promise<GatewayProcess>): Promise<GatewayProcess> {
  const gateway = await started;
  running.push(gateway);
  return gateway;
}

function occupy(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

/** Resolves once the emulator has received a create, i.e. the gateway's request is in flight. */
async function createReached(emulatorUrl: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const requests = (await (await fetch(`${emulatorUrl}/__emulator/requests`)).json()) as { kind: string }[];
    if (requests.some((request) => request.kind === 'create')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the create never reached the emulator');
}

async function injectCreateFault(emulatorUrl: string, fault: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${emulatorUrl}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: 'create', fault, times: 1 }) });
  expect(answer.status).toBe(201);
}

function startCreate(gateway: GatewayProcess): Promise<Response> {
  return fetch(`${gateway.url}/v1/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a fox' }),
  });
}

async function untilOutput(gateway: GatewayProcess, text: string): Promise<void> {
  for (let i = 0; i < 400 && !gateway.output().includes(text); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(gateway.output()).toContain(text);
}

describe('a port that cannot be listened on', () => {
  it('is one line naming PORT and the address, and exit code 1, not a stack trace', async () => {
    const { port, server } = await occupy();
    try {
      const { code, output } = await runGatewayToExit({ PORT: String(port) });
      expect(code).toBe(1);
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`127.0.0.1:${port}`);
      expect(lines[0]).toContain('already in use');
      expect(lines[0]).toContain('PORT');
      expect(output).not.toContain('    at ');
    } finally {
      server.close();
    }
  });

  it('names PORT when it is not a port number', async () => {
    const { code, output } = await runGatewayToExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(output).toContain('PORT: expected a port number');
    expect(output).not.toContain('    at ');
  });
});

describe('node src/node.ts', () => {
  it('starts the same gateway as src/node.mjs, and stops on SIGTERM', async () => {
    const gateway = await track(spawnGateway({ SANDBOX_STEP_MS: '1' }, 'src/node.ts'));
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(gateway.output()).toContain('SANDBOX mode');
    expect(await gateway.signal('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('stopping node src/node.mjs', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('closes gracefully and exits 0 on %s', async (signal) => {
    const gateway = await track(spawnGateway({ SANDBOX_STEP_MS: '1' }));
    const port = Number(new URL(gateway.url).port);
    expect(await gateway.signal(signal)).toEqual({ code: 0, signal: null });
    expect(gateway.output()).toContain(`vidgate: ${signal}, stopping`);
    expect(gateway.output()).toContain('vidgate stopped');
    expect(await portIsFree(port)).toBe(true);
  });

  it('lets a request in flight finish, while refusing new connections', async () => {
    const gateway = await track(spawnGateway({ SANDBOX_STEP_MS: '1' }));
    const krea = gateway.emulatorUrl('Krea');
    await injectCreateFault(krea, { kind: 'delay', ms: 1_000 });
    const inFlight = startCreate(gateway);
    await createReached(krea);
    const exited = gateway.signal('SIGTERM');
    await untilOutput(gateway, 'stopping');
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.status).toBe(202);
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('cuts a request still running at the deadline, and still exits 0', async () => {
    const gateway = await track(spawnGateway({ SANDBOX_STEP_MS: '1', SHUTDOWN_GRACE_MS: '200' }));
    const krea = gateway.emulatorUrl('Krea');
    await injectCreateFault(krea, { kind: 'hang' });
    const inFlight = startCreate(gateway).then(
      (response) => response.status,
      () => 'cut',
    );
    await createReached(krea);
    expect(await gateway.signal('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await inFlight).toBe('cut');
    expect(gateway.output()).toContain('still busy at the deadline');
  });
});

describe('npm start', () => {
  it("runs the entry with V8's young generation capped (the Docker image's CMD is checked in production-install)", async () => {
    const npm = await track(spawnNpmStart({ SANDBOX_STEP_MS: '1' }));
    const commands = processTree(npm.child.pid!).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean));
    const gateway = commands.find((args) => args.at(-1) === 'src/node.mjs');
    expect(gateway?.slice(1)).toEqual(['--max-semi-space-size=16', 'src/node.mjs']);
  });
});

describe('stopping npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s to npm, leaves no process of the tree and frees the port', async (signal) => {
    const npm = await track(spawnNpmStart({ SANDBOX_STEP_MS: '1' }));
    const port = Number(new URL(npm.url).port);
    const tree = processTree(npm.child.pid!);
    // npm and the gateway (npm runs the script with `sh -c`, which `exec` replaces with node).
    expect(tree.length).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${npm.url}/healthz`)).status).toBe(200);
    await npm.signal(signal);
    expect(await stillRunning(tree)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    expect(npm.output()).toContain('vidgate stopped');
  });

  it('stops the gateway when npm dies without passing a signal on (SIGKILL; npm does not pass on SIGHUP either)', async () => {
    const npm = await track(spawnNpmStart({ SANDBOX_STEP_MS: '1' }));
    const port = Number(new URL(npm.url).port);
    const tree = processTree(npm.child.pid!);
    await npm.signal('SIGKILL');
    expect(await stillRunning(tree)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  });
});
