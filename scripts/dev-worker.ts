/**
 * `npm run dev:worker`: the Worker under `wrangler dev` (local workerd; no account, no network),
 * pointed at the sandbox emulators, which start here on loopback as they do for `npm start`.
 * Sandbox keys are passed as `--var`s, so no secret file is needed. Extra arguments go to wrangler
 * (`npm run dev:worker -- --port 8788`). Ctrl-C stops wrangler and the emulators.
 */
import { providers } from '../providers/index.ts';
import { startSandbox } from '../src/node/sandbox.ts';
import { spawnWrangler } from './wrangler-env.ts';

// Only the step length is taken from the environment: provider keys there would not reach the emulators.
const sandbox = await startSandbox({ SANDBOX_STEP_MS: process.env.SANDBOX_STEP_MS }, providers);
const names = ['GATEWAY_API_KEYS', 'JOB_ID_SECRET', ...providers.flatMap((provider) => [provider.env.apiKey, provider.env.baseUrl])];
const vars = names.flatMap((name) => ['--var', `${name}:${String(sandbox.env[name])}`]);

console.error(
  [
    '',
    '  vidgate on wrangler dev, in SANDBOX mode: every provider is emulated on loopback.',
    `  Gateway key:  ${String(sandbox.env.GATEWAY_API_KEYS)}   (the gateway URL is the "Ready on" line below)`,
    ...sandbox.emulators.map(({ provider, url }) => `  ${`${provider.title}:`.padEnd(13)} emulated at ${url}`),
    '',
  ].join('\n'),
);

const wrangler = spawnWrangler(['dev', ...vars, ...process.argv.slice(2)]);

async function shutDown(code: number): Promise<never> {
  await sandbox.close();
  process.exit(code);
}

wrangler.once('error', (error) => {
  console.error(`Could not start wrangler: ${error.message}`);
  void shutDown(1);
});
wrangler.once('exit', (code, signal) => void shutDown(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => wrangler.kill(signal));
