/**
 * vitest globalSetup of the `node` project: one throwaway PostgreSQL cluster per run, started only
 * when a test file first asks for it, so runs without database tests pay nothing. globalSetup runs
 * in vitest's main process and test files in forked children, so the children ask over a loopback
 * control channel (its port and a token are provided to them): one line with the token in, one JSON
 * line `{ url }` or `{ error }` out. Plain TCP rather than HTTP, so that a test file's nock or
 * stubbed fetch cannot intercept it. Test files use test/support/fresh-database.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres, type ThrowawayPostgres } from './postgres.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Where a test file asks for the run's PostgreSQL server (see test/support/fresh-database.ts). */
    postgresControl: { port: number; token: string };
  }
}

/** Starts the control channel; the returned teardown stops the cluster, if one was started. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const token = randomBytes(16).toString('hex');
  let cluster: Promise<ThrowawayPostgres> | undefined;
  const clusterUrl = async () => (await (cluster ??= startThrowawayPostgres())).url;
  const server = createServer((socket) => answer(socket, token, clusterUrl));
  const port = await listen(server);
  project.provide('postgresControl', { port, token });
  return async () => {
    server.close();
    const started = await cluster?.catch(() => undefined);
    await started?.stop();
  };
}

function answer(socket: Socket, token: string, clusterUrl: () => Promise<string>): void {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  const onData = (chunk: string) => {
    received += chunk;
    if (!received.includes('\n')) {
      if (received.length > token.length + 1) socket.destroy();
      return;
    }
    socket.off('data', onData);
    if (received.split('\n')[0] !== token) return void socket.destroy();
    clusterUrl().then(
      (url) => socket.end(`${JSON.stringify({ url })}\n`),
      (error: unknown) => socket.end(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`),
    );
  };
  socket.on('data', onData);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
}
