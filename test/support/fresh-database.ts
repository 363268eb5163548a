/**
 * Databases for test files of the `node` project, on the one PostgreSQL server of the run (started
 * by test/support/postgres-global-setup.ts the first time a file asks). Each file takes its own fresh
 * database, so files running in parallel never see each other's tables.
 */
import { connect } from 'node:net';
import { inject } from 'vitest';
import { createDatabase } from './postgres.ts';

let serverUrl: Promise<string> | undefined;

/** The superuser URL of the run's server (its maintenance database), starting the server on first use. */
export function postgresServerUrl(): Promise<string> {
  return (serverUrl ??= askControlChannel(inject('postgresControl')));
}

/** A new, empty database on the run's server; its `postgres://` URL. */
export async function freshDatabase(): Promise<string> {
  return createDatabase(await postgresServerUrl());
}

function askControlChannel({ port, token }: { port: number; token: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(`${token}\n`));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => {
      try {
        const answer = JSON.parse(received) as { url?: string; error?: string };
        if (answer.url) resolve(answer.url);
        else reject(new Error(`The test PostgreSQL server did not start: ${answer.error}`));
      } catch {
        reject(new Error(`No answer from the test PostgreSQL control channel on port ${port}`));
      }
    });
  });
}
