/**
 * The README's client examples against the sandbox exactly as a new user meets it: `npm start`'s
 * gateway with no provider keys (its emulated providers, its sandbox key from the banner), and each
 * example run as a child process: the CLI script with the built `vidgate` on PATH, the OpenAI SDK and
 * the AI SDK scripts on the project's Node.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runInFreshDirectory, runNodeExample } from '../support/examples.ts';
import { spawnGateway, type GatewayProcess } from '../support/process.ts';

let sandbox: GatewayProcess;
let key: string;
beforeAll(async () => {
  // Emulated jobs step every millisecond and the driver polls every 50 ms, so each example takes a moment.
  sandbox = await spawnGateway({ SANDBOX_STEP_MS: '1', POLL_INTERVAL_MS: '50' });
  key = /Gateway key:\s+(\S+)/.exec(sandbox.output())![1]!;
});
afterAll(() => sandbox?.stop());

function isMp4(path: string): boolean {
  return readFileSync(path).subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('the README examples against `npm start` in sandbox mode', () => {
  it('runs examples/cli.sh with the built vidgate bin', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'vidgate-bin-'));
    const built = join(ROOT, 'build/src/clients/cli/main.js');
    chmodSync(built, 0o755);
    symlinkSync(built, join(bin, 'vidgate'));
    const env = { VIDGATE_URL: sandbox.url, VIDGATE_API_KEY: key, PATH: `${bin}:${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` };
    const { code, output, cwd } = await runInFreshDirectory('bash', [join(ROOT, 'examples/cli.sh')], env);
    expect(code, output).toBe(0);
    expect(readdirSync(cwd).filter((name) => name.endsWith('.mp4')).sort()).toEqual(['fox.mp4', 'lighthouse.mp4']);
    expect(isMp4(join(cwd, 'fox.mp4'))).toBe(true);
  }, 60_000);

  it.each(['openai-sdk.ts', 'ai-sdk.ts'])('runs examples/%s', async (example) => {
    const { code, stdout, output, cwd } = await runNodeExample(example, { VIDGATE_URL: sandbox.url, VIDGATE_API_KEY: key });
    expect(code, output).toBe(0);
    // The AI SDK prints the job's warnings on stderr; stdout is the path alone.
    expect(stdout.trim()).toBe(join(cwd, 'video.mp4'));
    expect(isMp4(join(cwd, 'video.mp4'))).toBe(true);
  }, 60_000);
});
