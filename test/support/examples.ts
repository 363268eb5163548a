/**
 * Running the README's examples as a user runs them: a child process in a fresh directory, with only
 * PATH and HOME from a user's shell plus the environment given (`VIDGATE_URL`, `VIDGATE_API_KEY`).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The project's Node 24 (the system `node` may be older). */
export const NODE = join(ROOT, 'node_modules/.bin/node');

export interface ExampleRun {
  code: number | null;
  stdout: string;
  /** stdout and stderr interleaved, for failure messages. */
  output: string;
  /** The directory it ran in (where it wrote its files). */
  cwd: string;
}

export async function runInFreshDirectory(command: string, args: string[], env: Record<string, string>): Promise<ExampleRun> {
  const cwd = mkdtempSync(join(tmpdir(), 'vidgate-example-'));
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString('utf8')), (output += chunk.toString('utf8'))));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, stdout, output, cwd };
}

/** Runs `examples/<name>` on the project's Node. */
export function runNodeExample(name: string, env: Record<string, string>): Promise<ExampleRun> {
  return runInFreshDirectory(NODE, [join(ROOT, 'examples', name)], env);
}
