/**
 * Running wrangler (and miniflare under vitest) without network access: no usage metrics, no error
 * reports, no npm update check (it rides on the banner), no download of `request.cf` data, and
 * logs in the project's ignored `.wrangler/` instead of the home directory.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const OFFLINE_WRANGLER_ENV: Readonly<Record<string, string>> = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_SEND_ERROR_REPORTS: 'false',
  DO_NOT_TRACK: '1',
  WRANGLER_HIDE_BANNER: 'true',
  WRANGLER_NO_SKILLS_UPDATE_PROMPTS: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_LOG_PATH: join(PROJECT_ROOT, '.wrangler', 'logs'),
};

/** The environment to run wrangler with: the caller's, with the offline settings forced. */
function offlineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...OFFLINE_WRANGLER_ENV };
}

/**
 * Starts the project's wrangler on the Node running this script (`node_modules/.bin/wrangler`
 * would start the machine's Node through its shebang, which may be too old).
 */
export function spawnWrangler(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('wrangler/package.json')), 'bin', 'wrangler.js');
  return spawn(process.execPath, [bin, ...args], { cwd: PROJECT_ROOT, stdio: 'inherit', ...options, env: offlineEnv(options.env ?? process.env) });
}

/** Runs wrangler to completion; resolves with its exit code (a signal counts as failure). */
export function runWrangler(args: readonly string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolveCode, reject) => {
    const child = spawnWrangler(args, options);
    child.once('error', reject);
    child.once('exit', (code) => resolveCode(code ?? 1));
  });
}
