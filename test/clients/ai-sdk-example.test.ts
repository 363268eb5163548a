/**
 * The README's Vercel AI SDK example (`examples/ai-sdk.ts`), run verbatim as a user runs it: a
 * child process on the project's Node, importing `vidgate/ai-sdk` as built, against a live gateway.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNodeExample } from '../support/examples.ts';
import { readmeShows } from '../support/readme.ts';
import { KEYS, useStack } from '../support/stack.ts';

const stack = useStack({ POLL_INTERVAL_MS: '20' });

describe('the Vercel AI SDK example', () => {
  it('generates a video through the gateway and writes it where it says', async () => {
    const { code, stdout, output, cwd } = await runNodeExample('ai-sdk.ts', { VIDGATE_URL: stack.gateway.url, VIDGATE_API_KEY: KEYS.gateway });
    expect(code, output).toBe(0);
    const path = stdout.trim();
    expect(path).toBe(join(cwd, 'video.mp4'));

    const [job] = (await stack.request('GET', '/v1/jobs?limit=1')).body.data;
    expect(job).toMatchObject({ status: 'completed', model: 'kling-2.5', metadata: { order: '42' }, input: { duration: 5, aspect_ratio: '16:9' } });
    const content = await fetch(`${stack.gateway.url}/v1/jobs/${job.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
    const written = readFileSync(path);
    expect(written.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(written.equals(Buffer.from(await content.arrayBuffer()))).toBe(true);
  });

  it('is shown in the README exactly as tested', () => {
    expect(readmeShows('examples/ai-sdk.ts', 'ts'), 'README.md must show examples/ai-sdk.ts verbatim in a ts block').toBe(true);
  });
});
