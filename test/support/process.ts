/** Running the real `node src/node.ts` entry as a child process, the way `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The child's environment: only what the test gives, plus a data directory of its own unless given one. */
function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, PORT: '0', VIDGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgate-process-')), ...env };
}

export interface GatewayProcess {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts the entry and resolves once it prints the address it listens on. */
export function spawnGateway(env: Record<string, string | undefined>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['src/node.ts'], { cwd: ROOT, env: childEnv(env) });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(?:Gateway:\s+|listening on )(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ url: match[1]!, output: () => output, stop: () => stop(child) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs the entry to completion (for configurations that must refuse to start). */
export function runGatewayToExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['src/node.ts'], { cwd: ROOT, env: childEnv(env) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
