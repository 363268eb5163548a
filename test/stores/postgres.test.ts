import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type JobRecord, type ScannableJobStore, type WebhookDelivery } from '../../src/jobs/store/job-store.ts';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/node/postgres-job-store-schema.ts';
import { openPostgresJobStore, type PostgresJobStoreOptions } from '../../src/node/postgres-job-store.ts';
import { freshDatabase, postgresServerUrl } from '../support/fresh-database.ts';
import { freeLoopbackPort, startThrowawayPostgres } from '../support/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { expectDuplicateDeliveryRefused, jobStoreCases, sampleDelivery, sampleRecord } from './job-store-cases.ts';
import { freshAccount, ledgerCases, racingAdmits, sampleBooking } from './ledger-cases.ts';

jobStoreCases(
  'postgresql',
  async () => {
    const store = await openPostgresJobStore({ url: await freshDatabase() });
    return { store, close: () => store.close() };
  },
  { scannable: true, waitsForChanges: false },
);

ledgerCases('postgresql', async () => {
  const store = await openPostgresJobStore({ url: await freshDatabase() });
  return { store, close: () => store.close() };
});

/** Everything opened by a test, closed after the file. */
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const resource of opened.reverse()) await resource.close();
});

/** A store, as one gateway process would open it (its own pool). */
async function openStore(url: string, options: Omit<PostgresJobStoreOptions, 'url'> = {}): Promise<ScannableJobStore> {
  const store = await openPostgresJobStore({ url, ...options });
  opened.push(store);
  return store;
}

/** A plain client, for looking at (and meddling with) the database behind the store's back. */
function adminClient(url: string): postgres.Sql {
  const sql = postgres(url, { max: 3, onnotice: () => {} });
  opened.push({ close: () => sql.end() });
  return sql;
}

/** Waits, a bounded number of times, for the database to reach a state a test needs. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Never happened: ${what}`);
}

/** The error opening a store with `options` fails with (and a failed assertion if it opens). */
async function openingError(options: PostgresJobStoreOptions): Promise<Error> {
  const store = await openPostgresJobStore(options).catch((error: unknown) => error);
  if (!(store instanceof Error)) {
    await (store as ScannableJobStore).close();
    expect.fail(`opened ${options.url}`);
  }
  return store;
}

/** A job and its idempotency claim as version 1 of the schema (before the outbox) stored them. */
async function writeVersion1Job(sql: postgres.Sql, record: JobRecord, claim: { key: string; requestHash: string; expiresAt: number }): Promise<void> {
  const { id, owner, status, createdAt, nextPollAt, leaseUntil, leaseHolder, version, ...data } = record;
  await sql`
    INSERT INTO jobs (id, owner, status, created_at, next_poll_at, lease_until, lease_holder, version, data)
    VALUES (${id}, ${owner}, ${status}, ${createdAt}, ${nextPollAt}, ${leaseUntil}, ${leaseHolder}, ${version}, ${JSON.stringify(data)}::text::json)`;
  await sql`INSERT INTO idempotency (owner, key, request_hash, job_id, expires_at) VALUES (${owner}, ${claim.key}, ${claim.requestHash}, ${id}, ${claim.expiresAt})`;
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

describe('the PostgreSQL job store', () => {
  describe('records', () => {
    let url: string;
    beforeAll(async () => {
      url = await freshDatabase();
    });

    it('keeps what jsonb would refuse or rewrite: NUL characters, lone surrogates, key order, numbers as written', async () => {
      const store = await openStore(url);
      const extra = { nul: 'a\u0000b', lone: 'x\ud800y', order: { z: 1, a: 2, m: 3 }, numbers: [4.875, 0.1, 1e21, 5e-324, -7, 2 ** 53], empty: {}, nothing: null };
      const record = sampleRecord({ extra, metadata: { 'ключ': 'значение 🎬' } });
      await store.create(record);
      const stored = await store.get(record.id);
      expect(stored).toEqual({ ...record, version: 1 });
      expect(Object.keys(stored!.extra.order as object)).toEqual(['z', 'a', 'm']);
    });

    it('keeps a delivery’s payload as the exact text it was given, and NUL characters and lone surrogates in its attempts', async () => {
      const store = await openStore(url);
      const record = sampleRecord();
      await store.create(record);
      const payload = '{ "type":"job.completed",\n  "z":1, "a":[4.875, 1e21, 0.10], "nul":"a\\u0000b", "lone":"\\ud800", "dup":1, "dup":2, "text":"灯台 🌅 \\"quoted\\"" }';
      const delivery = sampleDelivery(record, { payload, attempts: [{ at: 1, error: 'a\u0000b x\ud800y' }] });
      await store.replace(record, [delivery]);
      const stored = (await store.getDelivery(record.id, delivery.id))!;
      expect(stored.payload).toBe(payload);
      expect(stored).toEqual(delivery);
      const rewritten = `${payload} `;
      await store.replaceDelivery({ ...stored, payload: rewritten });
      expect(await store.getDelivery(record.id, delivery.id)).toEqual({ ...stored, payload: rewritten, version: 2 });
    });

    it('keeps a duplicate delivery a plain error, and writes neither the job change nor the rest of its outbox', async () => {
      await expectDuplicateDeliveryRefused(await openStore(url));
    });

    it('keeps its data when reopened', async () => {
      const first = await openStore(url);
      const record = sampleRecord({ nextPollAt: 1_234 });
      await first.create(record, { key: 'reopen', requestHash: 'h', expiresAt: Date.parse('2026-12-02T10:00:00Z') });
      await first.close();

      const second = await openStore(url);
      expect(await second.get(record.id)).toEqual({ ...record, version: 1 });
      expect(await second.create(sampleRecord(), { key: 'reopen', requestHash: 'h2', expiresAt: Date.parse('2026-12-02T10:00:00Z') })).toEqual({ created: false, jobId: record.id, requestHash: 'h' });
    });
  });

  describe('listing', () => {
    it('breaks ties by the byte order of ids, even in a database whose collation sorts otherwise', async () => {
      // An ICU English collation puts "a" before "B"; the port's order (and JS's) is "B" before "a".
      const server = postgresServerUrl();
      const admin = adminClient(await server);
      const name = `vidgate_icu_${Date.now().toString(36)}`;
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`);
      const url = new URL(await server);
      url.pathname = `/${name}`;
      const store = await openStore(url.toString());
      const owner = '9'.repeat(64);
      const lower = sampleRecord({ owner, createdAt: 1_000, id: 'job_azz' });
      const upper = sampleRecord({ owner, createdAt: 1_000, id: 'job_Bzz' });
      await store.create(upper);
      await store.create(lower);
      expect((await store.list(owner, { limit: 10 })).map((record) => record.id)).toEqual(['job_azz', 'job_Bzz']);
      expect((await store.list(owner, { limit: 10, after: { createdAt: 1_000, id: 'job_azz' } })).map((record) => record.id)).toEqual(['job_Bzz']);
      expect((await store.list(owner, { limit: 10, order: 'asc' })).map((record) => record.id)).toEqual(['job_Bzz', 'job_azz']);
      expect((await store.list(owner, { limit: 10, order: 'asc', after: { createdAt: 1_000, id: 'job_Bzz' } })).map((record) => record.id)).toEqual(['job_azz']);
    });
  });

  describe('shared by two processes', () => {
    let one: ScannableJobStore;
    let other: ScannableJobStore;
    let admin: postgres.Sql;
    beforeAll(async () => {
      const url = await freshDatabase();
      [one, other] = [await openStore(url), await openStore(url)];
      admin = adminClient(url);
    });
    const claim = (key: string) => ({ key, requestHash: `hash-${key}`, expiresAt: Date.parse('2026-12-02T10:00:00Z') });
    const storeFor = (index: number) => (index % 2 === 0 ? one : other);

    it('shows each what the other wrote', async () => {
      const record = sampleRecord();
      await one.create(record);
      const written = await other.replace({ ...(await other.get(record.id))!, status: 'in_progress' });
      expect(await one.get(record.id)).toEqual(written);
    });

    it('creates exactly one job when both race with one idempotency key', async () => {
      const records = Array.from({ length: 12 }, () => sampleRecord());
      const outcomes = await Promise.all(records.map((record, index) => storeFor(index).create(record, claim('shared-key'))));
      const created = outcomes.filter((outcome) => outcome.created);
      expect(created).toHaveLength(1);
      const winner = (created[0] as { record: JobRecord }).record.id;
      expect(outcomes.filter((outcome) => !outcome.created)).toEqual(Array(11).fill({ created: false, jobId: winner, requestHash: 'hash-shared-key' }));
      const ids = records.map((record) => record.id);
      expect(await admin`SELECT id FROM jobs WHERE id IN ${admin(ids)}`).toEqual([{ id: winner }]);
    });

    it('lets exactly one of them take over an expired key', async () => {
      const expired = sampleRecord();
      await one.create(expired, { key: 'expired-key', requestHash: 'old', expiresAt: expired.createdAt - 1 });
      const records = Array.from({ length: 12 }, () => sampleRecord());
      const outcomes = await Promise.all(records.map((record, index) => storeFor(index).create(record, claim('expired-key'))));
      const created = outcomes.filter((outcome) => outcome.created);
      expect(created).toHaveLength(1);
      const winner = (created[0] as { record: JobRecord }).record.id;
      for (const outcome of outcomes) if (!outcome.created) expect(outcome).toEqual({ created: false, jobId: winner, requestHash: 'hash-expired-key' });
    });

    it('never hands one due job to both when they claim at once', async () => {
      const base = 9_500_000_000_000;
      const records = Array.from({ length: 40 }, (_, index) => sampleRecord({ nextPollAt: base + index }));
      for (const record of records) await storeFor(0).create(record);
      const claimed: string[] = [];
      // Rounds of six concurrent claims (three per process) until one round finds nothing left.
      for (let round = 0; round < 10; round++) {
        const batches = await Promise.all(Array.from({ length: 6 }, (_, index) => storeFor(index).claimDue(`driver-${index}`, base + 1_000, 30_000, 5)));
        const ids = batches.flat().map((record) => record.id);
        if (ids.length === 0) break;
        claimed.push(...ids);
      }
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort()).toEqual(records.map((record) => record.id).sort());
    });

    it('never hands one due delivery to both when they claim at once, nor a job’s second delivery before its first is done', async () => {
      const base = 9_600_000_000_000;
      const firsts: WebhookDelivery[] = [];
      const seconds: WebhookDelivery[] = [];
      for (let index = 0; index < 30; index++) {
        const record = sampleRecord();
        await one.create(record);
        // The second is due sooner, so only the per-job order keeps it back.
        const [first, second] = [sampleDelivery(record, { sequence: 1, nextAttemptAt: base + index }), sampleDelivery(record, { sequence: 2, nextAttemptAt: base })];
        await one.replace(record, [first, second]);
        firsts.push(first);
        seconds.push(second);
      }
      const ours = new Set([...firsts, ...seconds].map((delivery) => delivery.id));
      const claimAll = async (now: number) => {
        const claimed: WebhookDelivery[] = [];
        // Rounds of six concurrent claims (three per process) until one round finds nothing left.
        for (let round = 0; round < 20; round++) {
          const batches = await Promise.all(Array.from({ length: 6 }, (_, index) => storeFor(index).claimDueDeliveries(`sender-${index}`, now, 30_000, 4)));
          const mine = batches.flat().filter((delivery) => ours.has(delivery.id));
          if (mine.length === 0) break;
          claimed.push(...mine);
        }
        return claimed.map((delivery) => delivery.id);
      };
      const ids = (deliveries: WebhookDelivery[]) => deliveries.map((delivery) => delivery.id).sort();

      const first = await claimAll(base + 1_000);
      expect(new Set(first).size).toBe(first.length);
      expect([...first].sort()).toEqual(ids(firsts));

      for (const delivery of firsts) {
        const leased = (await other.getDelivery(delivery.jobId, delivery.id))!;
        await other.replaceDelivery({ ...leased, state: 'delivered', nextAttemptAt: null, leaseHolder: null, leaseUntil: 0 });
      }
      const second = await claimAll(base + 2_000);
      expect(new Set(second).size).toBe(second.length);
      expect([...second].sort()).toEqual(ids(seconds));
    });

    it('never overspend a budget when both admit at once: of 50 bookings (25 each) against a budget that fits 10, exactly 10', async () => {
      const account = freshAccount();
      const { admitted, reasons } = await racingAdmits([one, other], account, 50, { dailyBudgetMicros: 3_670_000 }, { amountMicros: 367_000 });
      expect(admitted).toHaveLength(10);
      expect([...reasons]).toEqual(['daily_budget']);
      expect(await admin`SELECT count(*)::int AS booked, sum(amount_micros)::int AS micros FROM ledger_bookings WHERE account = ${account}`).toEqual([{ booked: 10, micros: 3_670_000 }]);
    });

    it('never exceed a concurrency limit nor a rate limit when both admit at once', async () => {
      const live = await racingAdmits([one, other], freshAccount(), 50, { maxConcurrentJobs: 3 });
      expect(live.admitted).toHaveLength(3);
      const rate = await racingAdmits([one, other], freshAccount(), 50, { requestsPerMinute: 7 });
      expect(rate.admitted).toHaveLength(7);
    });

    it('gives a contested lease to exactly one of them', async () => {
      const record = sampleRecord();
      await one.create(record);
      const results = await Promise.all(Array.from({ length: 8 }, (_, index) => storeFor(index).acquireLease(record.id, `holder-${index}`, 5_000, 30_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('migrations', () => {
    it('run once when several processes open a new database at the same time', async () => {
      const url = await freshDatabase();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(url)));
      expect(await adminClient(url)`SELECT version FROM vidgate_migrations ORDER BY version`).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      const record = sampleRecord();
      await stores[0]!.create(record);
      expect(await stores[3]!.get(record.id)).toEqual({ ...record, version: 1 });
    });

    it('apply only the steps a database has not had yet', async () => {
      const url = await freshDatabase();
      const store = await openStore(url);
      const record = sampleRecord();
      await store.create(record);
      const sql = adminClient(url);
      // A second run of this step would fail: the table would exist.
      const later = [...MIGRATIONS, 'CREATE TABLE later_feature (id text PRIMARY KEY)'];
      expect(await migrate(sql, later)).toBe(SCHEMA_VERSION + 1);
      expect(await migrate(sql, later)).toBe(SCHEMA_VERSION + 1);
      expect(await sql`SELECT count(*)::int AS steps FROM vidgate_migrations`).toEqual([{ steps: SCHEMA_VERSION + 1 }]);
      expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
    });

    it('bring a database of version 1 to the outbox schema, keeping its jobs and idempotency keys', async () => {
      const url = await freshDatabase();
      const sql = adminClient(url);
      expect(await migrate(sql, MIGRATIONS.slice(0, 1))).toBe(1);
      const record = sampleRecord();
      const claim = { key: 'before-the-outbox', requestHash: 'h', expiresAt: record.createdAt + 60_000 };
      await writeVersion1Job(sql, record, claim);

      const store = await openStore(url);
      expect(await sql`SELECT version FROM vidgate_migrations ORDER BY version`).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.create(sampleRecord(), claim)).toEqual({ created: false, jobId: record.id, requestHash: 'h' });
      const delivery = sampleDelivery(record);
      expect(await store.replace({ ...record, status: 'completed' }, [delivery])).toMatchObject({ status: 'completed', version: 2 });
      expect(await store.listDeliveries(record.id)).toEqual([delivery]);
    });

    it('bring a database of version 2 to the ledger schema, keeping its jobs, and book on it', async () => {
      const url = await freshDatabase();
      const sql = adminClient(url);
      expect(await migrate(sql, MIGRATIONS.slice(0, 2))).toBe(2);
      const record = sampleRecord();
      await writeVersion1Job(sql, record, { key: 'before-the-ledger', requestHash: 'h', expiresAt: record.createdAt + 60_000 });

      const store = await openStore(url);
      expect(await sql`SELECT version FROM vidgate_migrations ORDER BY version`).toEqual(MIGRATIONS.map((_, index) => ({ version: index + 1 })));
      expect(await store.get(record.id)).toEqual(record);
      const booking = sampleBooking({ jobId: record.id, account: freshAccount() });
      expect(await store.admitBooking(booking, { maxConcurrentJobs: 1 })).toBeUndefined();
      expect(await store.admitBooking(sampleBooking({ account: booking.account }), { maxConcurrentJobs: 1 })).toEqual({ reason: 'concurrency' });
    });

    it('refuse a database whose schema a newer vidgate wrote, saying so on one line', async () => {
      const url = await freshDatabase();
      await (await openStore(url)).close();
      const sql = adminClient(url);
      await sql`INSERT INTO vidgate_migrations (version) VALUES (${SCHEMA_VERSION + 1})`;
      const database = new URL(url).pathname.slice(1);
      const error = await openingError({ url });
      expect(error.message).toContain(`database "${database}"`);
      expect(error.message).toContain(`its schema is version ${SCHEMA_VERSION + 1}, newer than this vidgate supports (${SCHEMA_VERSION})`);
      expect(error.message).not.toContain('\n');
    });
  });

  describe('when it cannot open', () => {
    it('names the host, port and database of an unreachable server, never the password', async () => {
      const port = await freeLoopbackPort();
      const error = await openingError({ url: `postgres://vidgate:s3cret-Passw0rd@127.0.0.1:${port}/vidgate_jobs` });
      expect(error.message).toMatch(new RegExp(`^Cannot open the job store in PostgreSQL database "vidgate_jobs" on 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
      expect(error.message).not.toContain('s3cret-Passw0rd');
      expect(error.message).not.toContain('\n');
    });

    it('names the database of a refused login, never the password', async () => {
      const url = new URL(await freshDatabase());
      url.password = 'not-the-Passw0rd';
      const error = await openingError({ url: url.toString() });
      expect(error.message).toContain(`database "${url.pathname.slice(1)}" on 127.0.0.1:${url.port}`);
      expect(error.message).toContain('password authentication failed');
      expect(error.message).not.toContain('not-the-Passw0rd');
    });

    it('refuses a malformed URL without repeating it', async () => {
      const error = await openingError({ url: 'postgres://vidgate:s3cret-Passw0rd@db host/jobs' });
      expect(error.message).toMatch(/not a valid postgres:\/\/ URL/);
      expect(error.message).not.toContain('s3cret-Passw0rd');
      expect(error.cause).toBeUndefined();
    });
  });

  describe('when connections are lost', () => {
    let url: string;
    let admin: postgres.Sql;
    beforeAll(async () => {
      url = await freshDatabase();
      admin = adminClient(url);
    });
    const backendsOf = (application: string) => admin<{ pid: number; waiting: boolean }[]>`
      SELECT pid, wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${application}`;

    it('fails a statement cut off by a terminated connection with StoreUnavailableError, and works again at the next call', async () => {
      const store = await openStore(url, { applicationName: 'vidgate-cut-off', maxConnections: 1 });
      const record = sampleRecord();
      await store.create(record);
      const stored = (await store.get(record.id))!;
      await admin.begin(async (tx) => {
        // Hold the row, so that the store's replace is in flight (waiting for it) when its connection is terminated.
        await tx`SELECT id FROM jobs WHERE id = ${record.id} FOR UPDATE`;
        const replacing = store.replace({ ...stored, progress: 50 }).catch((error: unknown) => error);
        await until(async () => (await backendsOf('vidgate-cut-off')).some((backend) => backend.waiting), 'the replace waits for the row lock');
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'vidgate-cut-off'`;
        const error = (await replacing) as Error;
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(error.message).toMatch(/^The job store in PostgreSQL database "\w+" on 127\.0\.0\.1:\d+ is unavailable: /);
        expect(error.message).not.toContain(passwordOf(url));
      });
      expect(await store.get(record.id)).toEqual(stored);
      expect(await store.replace({ ...stored, progress: 60 })).toMatchObject({ progress: 60, version: 2 });
    });

    it('replaces idle connections that were terminated, without an error', async () => {
      const store = await openStore(url, { applicationName: 'vidgate-idle', maxConnections: 3 });
      const records = Array.from({ length: 3 }, () => sampleRecord());
      await Promise.all(records.map((record) => store.create(record)));
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'vidgate-idle'`;
      await until(async () => (await backendsOf('vidgate-idle')).length === 0, 'the idle connections are gone');
      const read = await Promise.all(records.map((record) => store.get(record.id)));
      expect(read).toEqual(records.map((record) => ({ ...record, version: 1 })));
    });

    it('gives up on a statement stuck behind a lock with StoreUnavailableError, and serves the next one', async () => {
      const store = await openStore(url, { statementTimeoutMs: 200 });
      const record = sampleRecord();
      await store.create(record);
      const stored = (await store.get(record.id))!;
      await admin.begin(async (tx) => {
        await tx`SELECT id FROM jobs WHERE id = ${record.id} FOR UPDATE`;
        const error = await store.replace({ ...stored, progress: 70 }).catch((error: unknown) => error);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message).toContain('canceling statement due to statement timeout');
      });
      expect(await store.replace({ ...stored, progress: 80 })).toMatchObject({ progress: 80, version: 2 });
    });

    it('answers StoreUnavailableError once its server has shut down', async () => {
      // A server of its own, since this one is stopped for good (its data directory goes with it).
      const cluster = await startThrowawayPostgres();
      opened.push({ close: cluster.stop });
      const store = await openStore(cluster.url);
      const record = sampleRecord();
      await store.create(record);
      await cluster.stop();
      const error = await store.get(record.id).catch((error: unknown) => error);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).not.toContain(passwordOf(cluster.url));
    });

    describe('to a server that goes away', () => {
      let proxy: TcpProxy;
      let store: ScannableJobStore;
      beforeAll(async () => {
        const server = new URL(url);
        proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port) });
        opened.push(proxy);
        server.port = String(proxy.port);
        store = await openStore(server.toString());
      });

      it('answers StoreUnavailableError while the server is unreachable, and works again once it is back, without a restart', async () => {
        const record = sampleRecord();
        await store.create(record);
        await proxy.down();

        const calls = [store.get(record.id), store.create(sampleRecord()), store.claimDue('d', 0, 1, 1), store.replace(record, [sampleDelivery(record)]), store.claimDueDeliveries('s', 0, 1, 1), store.delete(record.id)];
        const failures = await Promise.all(calls.map((call: Promise<unknown>) => call.catch((error: unknown) => error)));
        for (const error of failures) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          expect((error as Error).message).toMatch(new RegExp(`^The job store in PostgreSQL database "\\w+" on 127\\.0\\.0\\.1:${proxy.port} is unavailable: `));
          expect((error as Error).message).not.toContain(passwordOf(url));
        }

        await proxy.up();
        expect(await store.get(record.id)).toEqual({ ...record, version: 1 });
        expect((await store.create(sampleRecord())).created).toBe(true);
      });
    });
  });
});
