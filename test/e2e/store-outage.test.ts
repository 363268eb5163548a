/**
 * A store that fails after startup (DESIGN §6): creates answer 503 `store_unavailable` and nothing
 * reaches a provider without a record; reads and lists answer 503 too; when the store is back, so
 * is the gateway, without a restart. PostgreSQL behind a proxy the test takes down and back up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/fresh-database.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { callsOf, startStack, type Stack } from '../support/stack.ts';

let proxy: TcpProxy;
let stack: Stack;
beforeAll(async () => {
  const database = new URL(await freshDatabase());
  proxy = await startTcpProxy({ host: database.hostname, port: Number(database.port) });
  database.port = String(proxy.port);
  stack = await startStack({ DATABASE_URL: database.toString() });
});
afterAll(async () => {
  await stack.close();
  await proxy.close();
});

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

describe('while the job store is down', () => {
  it('refuses creates with 503 store_unavailable before calling any provider, and recovers when it is back', async () => {
    const before = await stack.create(kling);
    expect(before.status).toBe(202);
    stack.emulator('krea').emulator.control.reset();
    await proxy.down();
    try {
      const create = await stack.create(kling);
      expect(create.status).toBe(503);
      expect(create.body.error.code).toBe('store_unavailable');
      expect(Number(create.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(callsOf(stack.emulator('krea'), 'create')).toEqual([]);
      for (const answer of [await stack.poll(before.body.id), await stack.request('GET', '/v1/jobs')]) {
        expect(answer.status).toBe(503);
        expect(answer.body.error.code).toBe('store_unavailable');
      }
      expect(JSON.stringify(stack.logs)).not.toMatch(/password|postgres:\/\/[^@]*:[^@]*@/);
    } finally {
      await proxy.up();
    }
    const after = await stack.create(kling);
    expect(after.status).toBe(202);
    expect((await stack.poll(before.body.id)).status).toBe(200);
  });
});
