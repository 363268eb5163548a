import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway } from '../support/process.ts';
import { KEYS, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const request = { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon', duration: 5, metadata: { order: '42' } };

async function pollFrom(url: string, id: string) {
  const response = await fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
  return { status: response.status, body: (await response.json()) as any };
}

describe('jobs survive restarts', () => {
  it('are served after the gateway restarts, with input, warnings and metadata intact', async () => {
    const created = await stack.create(request);
    await stack.restartGateway();
    const polled = await stack.poll(created.body.id);
    expect(polled.status).toBe(200);
    expect(polled.body).toMatchObject({
      id: created.body.id,
      model: request.model,
      provider: 'aimlapi',
      created_at: created.body.created_at,
      input: created.body.input,
      warnings: created.body.warnings,
      metadata: { order: '42' },
    });
  });

  it('are served by another process with the same secret, after the creating process is gone', async () => {
    const env = { ...stack.env } as Record<string, string>;
    const first = await spawnGateway(env);
    const created = await fetch(`${first.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.gateway}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await first.stop();

    const second = await spawnGateway(env);
    try {
      let polled = await pollFrom(second.url, id);
      for (let i = 0; i < 10 && polled.body.status !== 'completed'; i++) polled = await pollFrom(second.url, id);
      expect(polled.body).toMatchObject({ id, status: 'completed', metadata: { order: '42' } });
    } finally {
      await second.stop();
    }
  });
});
