/**
 * Databases for test files of the `node` project, on the one PostgreSQL server of the run (started
 * by test/support/postgres-global-setup.ts the first time a file asks). Each file takes its own fresh
 * database, so files running in parallel never see each other's tables.
 */
import { inject } from 'vitest';
import { askControlChannel } from './control-channel.ts';
import { createDatabase } from './postgres.ts';

let serverUrl: Promise<string> | undefined;

/** The superuser URL of the run's server (its maintenance database), starting the server on first use. */
export function postgresServerUrl(): Promise<string> {
  return (serverUrl ??= askControlChannel<string>(inject('postgresControl'), 'PostgreSQL server'));
}

/** A new, empty database on the run's server; its `postgres://` URL. */
export async function freshDatabase(): Promise<string> {
  return createDatabase(await postgresServerUrl());
}
