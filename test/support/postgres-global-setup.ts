/**
 * vitest globalSetup of the `node` project: one throwaway PostgreSQL cluster per run, started only
 * when a test file first asks for it (over test/support/control-channel.ts), so runs without
 * database tests pay nothing. Test files use test/support/fresh-database.ts.
 */
import type { TestProject } from 'vitest/node';
import { serveControlChannel, type ControlAddress } from './control-channel.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Where a test file asks for the run's PostgreSQL server (see test/support/fresh-database.ts). */
    postgresControl: ControlAddress;
  }
}

/** Starts the control channel; the returned teardown stops the cluster, if one was started. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: Promise<ThrowawayPostgres> | undefined;
  const channel = await serveControlChannel(async () => (await (cluster ??= startThrowawayPostgres())).url);
  project.provide('postgresControl', channel.address);
  return async () => {
    channel.close();
    const started = await cluster?.catch(() => undefined);
    await started?.stop();
  };
}
