/**
 * A gateway that shuts down with clients waiting on jobs (event streams, `Prefer: wait`) ends
 * them at once instead of holding its drain for the whole grace period and then cutting them:
 * streams end cleanly (clients reconnect to another instance), waits answer with the job as it is.
 */
import { describe, expect, it } from 'vitest';
import { openEventStream } from '../support/sse.ts';
import { KEYS, startStack } from '../support/stack.ts';

describe('shutting down with watchers', () => {
  it('ends event streams and answers waits, so nothing is cut', async () => {
    const stack = await startStack();
    try {
      const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
      const stream = await openEventStream(`${stack.gateway.url}/v1/jobs/${created.body.id}/events`, { authorization: `Bearer ${KEYS.gateway}` });
      await stream.waitFor(1);
      const waiting = fetch(`${stack.gateway.url}/v1/jobs/${created.body.id}`, { headers: { authorization: `Bearer ${KEYS.gateway}`, prefer: 'wait=60' } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // A grace far longer than the test's timeout: only ending the watchers lets the drain finish.
      const drained = await stack.gateway.close(60_000);
      expect(drained.cut).toBe(0);
      await stream.ended;
      expect(JSON.parse(stream.events[0]!.data).id).toBe(created.body.id);
      const answer = await waiting;
      expect(answer.status).toBe(200);
      expect(answer.headers.get('preference-applied')).toBe('wait=60');
      expect(((await answer.json()) as { status: string }).status).toBe('queued');
    } finally {
      await Promise.all(Object.values(stack.emulators).map((emulator) => emulator.close()));
    }
  });
});
