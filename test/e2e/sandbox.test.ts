import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGatewayToExit, spawnGateway } from '../support/process.ts';

describe('npm start without provider keys', () => {
  it('starts the emulators, prints the sandbox banner and serves a job to completion', async () => {
    // The background driver polls every 50 ms here; the client only reads what it wrote.
    const gateway = await spawnGateway({ SANDBOX_STEP_MS: '1', POLL_INTERVAL_MS: '50' });
    try {
      expect(gateway.output()).toContain('SANDBOX mode');
      const key = /Gateway key:\s+(\S+)/.exec(gateway.output())![1]!;
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const created = await fetch(`${gateway.url}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a fox' }) });
      expect(created.status).toBe(202);
      const { id } = (await created.json()) as { id: string };
      let job: any;
      for (let i = 0; i < 100 && job?.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        job = await (await fetch(`${gateway.url}/v1/jobs/${id}`, { headers })).json();
      }
      expect(job.status).toBe('completed');
      const video = await fetch(job.videos[0].url);
      expect(video.headers.get('content-type')).toBe('video/mp4');
    } finally {
      await gateway.stop();
    }
  });
});

describe('npm start with provider keys but an incomplete configuration', () => {
  it('refuses to start, naming the missing settings without a stack trace', async () => {
    const { code, output } = await runGatewayToExit({ KREA_API_KEY: 'some-key' });
    expect(code).toBe(1);
    expect(output).toContain('GATEWAY_API_KEYS');
    expect(output).toContain('JOB_ID_SECRET');
    expect(output).not.toContain('    at ');
    expect(output).not.toContain('some-key');
  });

  it('names a malformed base URL', async () => {
    const { code, output } = await runGatewayToExit({ KREA_API_KEY: 'k', GATEWAY_API_KEYS: 'gateway-key-1', JOB_ID_SECRET: 'x'.repeat(20), KREA_BASE_URL: 'not a url' });
    expect(code).toBe(1);
    expect(output).toContain('KREA_BASE_URL');
  });
});

describe('npm start with a routing configuration file', () => {
  const write = (content: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'vidgate-')), 'routing.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('routes by the file given in VIDGATE_CONFIG_FILE', async () => {
    const gateway = await spawnGateway({ SANDBOX_STEP_MS: '1', VIDGATE_CONFIG_FILE: write({ aliases: { 'house-model': ['krea/google/veo-3.1'] } }) });
    try {
      const key = /Gateway key:\s+(\S+)/.exec(gateway.output())![1]!;
      const models = (await (await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json()) as { data: { id: string; targets?: unknown }[] };
      expect(models.data.find((model) => model.id === 'house-model')).toMatchObject({ targets: [{ model: 'krea/google/veo-3.1' }] });
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start on a bad file, naming the key', async () => {
    const { code, output } = await runGatewayToExit({ VIDGATE_CONFIG_FILE: write({ aliases: { x: ['krea/kling/kling-99'] } }) });
    expect(code).toBe(1);
    expect(output).toContain('VIDGATE_CONFIG.aliases.x.targets.0: unknown model "krea/kling/kling-99"');
    expect(output).not.toContain('    at ');
  });

  it('refuses to start on a missing file', async () => {
    const { code, output } = await runGatewayToExit({ VIDGATE_CONFIG_FILE: '/nonexistent/routing.json' });
    expect(code).toBe(1);
    expect(output).toContain('VIDGATE_CONFIG_FILE: cannot read /nonexistent/routing.json (ENOENT)');
  });
});
