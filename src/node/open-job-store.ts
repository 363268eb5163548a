/**
 * The job store on Node: PostgreSQL when `DATABASE_URL` says so (several gateway processes share
 * jobs), else embedded SQLite in `VIDGATE_DATA_DIR` (default `./.vidgate`), which needs no setup.
 * A store that cannot be opened stops startup with one line naming it.
 */
import { join, resolve } from 'node:path';
import type { ScannableJobStore } from '../jobs/store/job-store.ts';
import { ConfigError, type Env } from '../config.ts';
import { openSqliteJobStore } from './sqlite-job-store.ts';

export const DEFAULT_DATA_DIR = './.vidgate';

export interface OpenedStore {
  store: ScannableJobStore;
  /** For the startup line: where jobs live (never a password). */
  description: string;
}

export async function openNodeJobStore(env: Env): Promise<OpenedStore> {
  const url = typeof env.DATABASE_URL === 'string' ? env.DATABASE_URL.trim() : '';
  try {
    if (url !== '') return await openPostgres(url);
    const path = join(dataDirOf(env), 'vidgate.db');
    return { store: openSqliteJobStore({ path }), description: `SQLite at ${path}` };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** `VIDGATE_DATA_DIR` (default `./.vidgate`), absolute: the embedded job store and output copies live here. */
export function dataDirOf(env: Env): string {
  return resolve(typeof env.VIDGATE_DATA_DIR === 'string' && env.VIDGATE_DATA_DIR !== '' ? env.VIDGATE_DATA_DIR : DEFAULT_DATA_DIR);
}

async function openPostgres(url: string): Promise<OpenedStore> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('Invalid configuration:\n  - DATABASE_URL: expected a postgres:// URL');
  // Loaded only here: the client library is a tenth of the start of a gateway that does not use it.
  const { openPostgresJobStore } = await import('./postgres-job-store.ts');
  const store = await openPostgresJobStore({ url });
  const { hostname, port, pathname } = new URL(url);
  return { store, description: `PostgreSQL at ${hostname}:${port || 5432}${pathname}` };
}
