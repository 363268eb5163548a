/** Node only: `VIDGATE_CONFIG_FILE=path/to/routing.json` supplies `VIDGATE_CONFIG` from a file. */
import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '../config.ts';

export function withConfigFile(env: Env): Env {
  const path = env.VIDGATE_CONFIG_FILE;
  if (typeof path !== 'string' || path === '') return env;
  if (env.VIDGATE_CONFIG) {
    throw new ConfigError('Invalid configuration:\n  - VIDGATE_CONFIG_FILE: set either VIDGATE_CONFIG or VIDGATE_CONFIG_FILE, not both');
  }
  try {
    return { ...env, VIDGATE_CONFIG: readFileSync(path, 'utf8') };
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
