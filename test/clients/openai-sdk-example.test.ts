/**
 * The README's OpenAI SDK example (`examples/openai-sdk.ts`), run verbatim as a user runs it: a child
 * process on the project's Node with the official `openai` package, against a live gateway.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNodeExample } from '../support/examples.ts';
import { readmeShows } from '../support/readme.ts';
import { KEYS, useStack } from '../support/stack.ts';

// The gateway's driver moves jobs on by itself, as it does for a user.
const stack = useStack({ POLL_INTERVAL_MS: '20' });

describe('the OpenAI SDK example', () => {
  it('creates a video, waits for it and downloads it where it says', async () => {
    const { code, stdout, output, cwd } = await runNodeExample('openai-sdk.ts', { VIDGATE_URL: stack.gateway.url, VIDGATE_API_KEY: KEYS.gateway });
    expect(code, output).toBe(0);
    expect(stdout.trim()).toBe(join(cwd, 'video.mp4'));

    const [job] = (await stack.request('GET', '/v1/jobs?limit=1')).body.data;
    expect(job).toMatchObject({ status: 'completed', model: 'veo-3.1', provider: 'krea', input: { duration: 8, aspect_ratio: '16:9', resolution: '720p' } });
    const content = await fetch(`${stack.gateway.url}/v1/videos/${job.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
    const written = readFileSync(stdout.trim());
    expect(written.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(written.equals(Buffer.from(await content.arrayBuffer()))).toBe(true);
  });

  it('is shown in the README exactly as tested', () => {
    expect(readmeShows('examples/openai-sdk.ts', 'ts'), 'README.md must show examples/openai-sdk.ts verbatim in a ts block').toBe(true);
  });
});
