import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresServerUrl } from '../../support/fresh-database.ts';
import { findPostgresBinaries, startThrowawayPostgres } from '../../support/postgres.ts';

const clients: postgres.Sql[] = [];
afterAll(() => Promise.all(clients.map((sql) => sql.end())));

function client(url: string): postgres.Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  clients.push(sql);
  return sql;
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

describe('the test PostgreSQL server', () => {
  it('is a real PostgreSQL server', async () => {
    const [row] = await client(await freshDatabase())`select version()`;
    expect(row!.version).toMatch(/^PostgreSQL \d+/);
  });

  it('runs the chosen binaries: those VIDGATE_TEST_POSTGRES names, else Debian’s where installed', async () => {
    const binaries = await findPostgresBinaries();
    const wanted = process.env.VIDGATE_TEST_POSTGRES;
    if (wanted) expect(binaries.source).toBe(wanted);
    const binaryVersion = execFileSync(join(binaries.bin, 'postgres'), ['--version'], { encoding: 'utf8' });
    const [row] = await client(await postgresServerUrl())`select current_setting('server_version') as version`;
    expect(binaryVersion).toContain(` ${row!.version.split(' ')[0]}`);
  });

  it('gives each fresh database its own tables', async () => {
    const first = client(await freshDatabase());
    const second = client(await freshDatabase());
    await first`create table jobs (id text primary key)`;
    await first`insert into jobs values ('only-in-the-first')`;

    const databaseOf = async (sql: postgres.Sql) => (await sql<{ name: string }[]>`select current_database() as name`)[0]!.name;
    expect(await databaseOf(first)).not.toBe(await databaseOf(second));
    const [row] = await second<{ table: string | null }[]>`select to_regclass('jobs')::text as table`;
    expect(row!.table).toBeNull();

    await second`create table jobs (id text primary key)`;
    expect(await second`select id from jobs`).toEqual([]);
    expect(await first`select id from jobs`).toEqual([{ id: 'only-in-the-first' }]);
  });

  it('listens on 127.0.0.1 only', async () => {
    const url = new URL(await postgresServerUrl());
    expect(url.hostname).toBe('127.0.0.1');
    const [row] = await client(url.toString())`select current_setting('listen_addresses') as listen, host(inet_server_addr()) as address`;
    expect(row).toEqual({ listen: '127.0.0.1', address: '127.0.0.1' });
    const port = Number(url.port);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    // Another loopback address and IPv6 loopback: bound to 0.0.0.0 or ::, the server would accept these too.
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(await accepts('::1', port)).toBe(false);
  });
});

describe('a throwaway cluster', () => {
  it('is gone after stop(): no server on its port, no temp dir', async () => {
    const cluster = await startThrowawayPostgres();
    const port = Number(new URL(cluster.url).port);
    expect(existsSync(cluster.directory)).toBe(true);
    expect(await accepts('127.0.0.1', port)).toBe(true);

    await cluster.stop();
    expect(await accepts('127.0.0.1', port)).toBe(false);
    expect(existsSync(cluster.directory)).toBe(false);
  });
});
