/**
 * The typed-client example in the README: it runs against a gateway over loopback, the README
 * shows exactly this file, and the types really come from the routes (a wrong request does not
 * compile; `npm test` typechecks this file).
 */
import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelQueuedJobs, generateVideo } from '../../openapi/typed-client-example.ts';
import type { AppType } from '../../src/app.ts';
import { readmeShows } from '../support/readme.ts';
import { KEYS, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('the typed client example', () => {
  it('creates a job and polls it to completion with Hono\'s typed client', async () => {
    const job = await generateVideo(stack.gateway.url, KEYS.gateway, 0);
    expect(job).toMatchObject({ status: 'completed', model: 'aimlapi/krea/krea-wan-14b/text-to-video', input: { duration: 4.875 } });
    expect(job.warnings[0]).toMatchObject({ code: 'duration_adjusted', requested: 5, applied: 4.875 });
    expect(job.videos[0]!.provider_url).toMatch(/\.mp4$/);
    expect(job.videos[0]!.url).toContain(`/outputs/${job.id}/0?`);
  });

  it('lists the queued jobs page by page and cancels those whose provider can cancel', async () => {
    const krea = [await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'one' }), await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'two' })];
    const aimlapi = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'three' });
    const cancelled = await cancelQueuedJobs(stack.gateway.url, KEYS.gateway);
    expect(cancelled.sort()).toEqual(krea.map((job) => job.body.id).sort());
    expect((await stack.poll(aimlapi.body.id)).body.status).not.toBe('cancelled');
  });

  it('is shown in the README exactly as tested', () => {
    expect(readmeShows('openapi/typed-client-example.ts', 'ts'), 'README.md must show openapi/typed-client-example.ts verbatim in a ts block').toBe(true);
  });
});

/** Never called: it only has to typecheck, proving that requests are typed from the routes. */
export function typedRequestsAreChecked(client = hc<AppType>('http://127.0.0.1:8787')) {
  // @ts-expect-error `colour` is not a field of the create request.
  void client.v1.jobs.$post({ json: { model: 'krea/kling/kling-2.5', prompt: 'x', colour: 'red' } });
  // @ts-expect-error `duration` is a number of seconds.
  void client.v1.jobs.$post({ json: { model: 'krea/kling/kling-2.5', prompt: 'x', duration: '5' } });
  // @ts-expect-error the poll needs the job id.
  void client.v1.jobs[':id'].$get({ param: {} });
}
