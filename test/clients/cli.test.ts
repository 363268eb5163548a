/**
 * The `vidgate` CLI as users run it: the built bin (build/src/clients/cli/main.js, built by the global
 * setup) as a child process on the project's Node 24, against real gateways over loopback, against a
 * closed port, behind a proxy that cuts connections, and on a real pseudo-terminal (util-linux
 * `script`). Two gateways: on `driven` the background driver polls jobs to the end on its own, as a
 * deployed gateway does; on `still` jobs move only when a test polls them, so a wait can be
 * interrupted, or a stream cut, while the job is known to be running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job as CliJob, JobList as CliJobList, ModelList as CliModelList } from '../../src/clients/cli/wire-types.ts';
import type { Job as GatewayJob, JobList as GatewayJobList } from '../../src/schemas/job.ts';
import type { ModelList as GatewayModelList } from '../../src/schemas/models.ts';
import { readmeShows } from '../support/readme.ts';
import { closedPort, KEYS, startStack, type Stack } from '../support/stack.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The project's Node 24 (the system `node` may be older). */
const NODE = join(ROOT, 'node_modules/.bin/node');
const BIN = join(ROOT, 'build/src/clients/cli/main.js');
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ESC = '\x1b';
const COLOUR = /\x1b\[\d+(;\d+)*m/;

let driven: Stack;
let still: Stack;
beforeAll(async () => {
  [driven, still] = await Promise.all([startStack({ POLL_INTERVAL_MS: '20' }), startStack()]);
});
afterAll(() => Promise.all([driven?.close(), still?.close()]));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Env = Record<string, string | undefined>;

/** The environment a user's shell would give: the gateway and key in VIDGATE_*, nothing else of this process's. */
function userEnv(env: Env = {}): Record<string, string> {
  const merged: Env = { PATH: process.env.PATH, HOME: tmpdir(), VIDGATE_URL: driven.gateway.url, VIDGATE_API_KEY: KEYS.gateway, ...env };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'vidgate-cli-'));

function start(args: string[], options: { env?: Env; cwd?: string } = {}): { child: ChildProcess; done: Promise<Run>; stderrSoFar: () => string } {
  const child = spawn(NODE, [BIN, ...args], { cwd: options.cwd ?? tempDir(), env: userEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(noKeyIn({ code, stdout, stderr })));
  });
  return { child, done, stderrSoFar: () => stderr };
}

/** Runs `vidgate <args>` to its end. */
const vidgate = (args: string[], options: { env?: Env; cwd?: string } = {}) => start(args, options).done;

/** Whatever the CLI prints, the gateway key is never in it. */
function noKeyIn<T extends { stdout: string; stderr?: string }>(run: T): T {
  expect(run.stdout + (run.stderr ?? '')).not.toContain(KEYS.gateway);
  return run;
}

/** Runs `vidgate <args>` on a pseudo-terminal (util-linux `script`), returning what the terminal received. */
function onTerminal(args: string[], options: { env?: Env; cwd?: string } = {}): Promise<{ code: number | null; stdout: string }> {
  const command = [NODE, BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: options.cwd ?? tempDir(), env: { ...userEnv(options.env), TERM: 'xterm-256color' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(noKeyIn({ code, stdout })));
  });
}

const shellQuote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The job id in the CLI's first status line. */
const jobIdIn = (stderr: string) => /^(job_[\w-]+) /m.exec(stderr)?.[1];

/** The bytes the content route serves for the job's first video. */
async function contentOf(stack: Stack, id: string): Promise<Buffer> {
  const response = await fetch(`${stack.gateway.url}/v1/jobs/${id}/content?index=0`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('vidgate generate', () => {
  it('creates the job, saves the video and prints its path, with plain progress lines off a terminal', async () => {
    const cwd = tempDir();
    const run = await vidgate(['generate', 'a red fox running through snow', '--model', 'kling-2.5', '--duration', '5', '--aspect-ratio', '16:9', '-o', 'out.mp4'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('out.mp4\n');
    const id = jobIdIn(run.stderr)!;
    expect(readFileSync(join(cwd, 'out.mp4')).equals(await contentOf(driven, id))).toBe(true);
    // Nothing but the video: the temporary file is gone.
    expect(readdirSync(cwd)).toEqual(['out.mp4']);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).not.toContain(ESC);
    expect(run.stderr).toContain(`${id} queued 0%\n`);
    expect(run.stderr).toContain(`${id} completed 100%\n`);
  });

  it('with --json prints one JSON document, {job, file}, and nothing else on stdout; the file is named after the job', async () => {
    const cwd = tempDir();
    const run = await vidgate(['generate', 'a lighthouse', '--model', 'krea/kling/kling-2.5', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(Object.keys(document).sort()).toEqual(['file', 'job']);
    expect(document.job).toMatchObject({ object: 'job', status: 'completed', model: 'krea/kling/kling-2.5' });
    expect(document.file).toBe(join(cwd, `${document.job.id}.mp4`));
    expect(isAbsolute(document.file)).toBe(true);
    expect(readFileSync(document.file).equals(await contentOf(driven, document.job.id))).toBe(true);
  });

  it('draws a progress bar on a terminal, redrawn in place, in colour', async () => {
    const cwd = tempDir();
    const run = await onTerminal(['generate', 'a lighthouse', '--model', 'krea/kling/kling-2.5', '-o', 'out.mp4'], { cwd });
    expect(run.code, run.stdout).toBe(0);
    const redraws = run.stdout.split('\r').filter((part) => part.includes('['));
    expect(redraws.length).toBeGreaterThan(2);
    expect(redraws.some((line) => /queued/.test(line) && /\[░{16}\]\s+0%/.test(line))).toBe(true);
    expect(redraws.some((line) => /completed/.test(line) && /\[█{16}\] 100%/.test(line))).toBe(true);
    expect(redraws.some((line) => /downloading .* 100% .*KiB \/ .*KiB/.test(line))).toBe(true);
    expect(run.stdout).toMatch(COLOUR);
    expect(run.stdout).toMatch(/\r\nout\.mp4\r\n$/);
    expect(existsSync(join(cwd, 'out.mp4'))).toBe(true);
  });

  it('leaves colour out on a terminal when NO_COLOR is set, and still redraws', async () => {
    const run = await onTerminal(['generate', 'a lighthouse', '--model', 'krea/kling/kling-2.5'], { env: { NO_COLOR: '1' } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(COLOUR);
    expect(run.stdout.split('\r').filter((part) => part.includes('completed')).length).toBeGreaterThan(0);
  });

  it('sends each option as its request field, and --image/--end-image files as inline images that nothing prints back', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'start.png'), PNG);
    const inline = `data:image/png;sha256=${createHash('sha256').update(PNG).digest('hex')}`;
    const veo = ['--model', 'veo-3.1', '--provider', 'krea', '--duration', '4', '--aspect-ratio', '9:16', '--resolution', '720p', '--audio', '--image', './start.png', '--end-image', 'start.png'];
    const run = await vidgate(['generate', 'a fox', ...veo, '--no-wait', '--json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      provider: 'krea',
      input: { prompt: 'a fox', duration: 4, aspect_ratio: '9:16', resolution: '720p', generate_audio: true, start_image: inline, end_image: inline },
    });
    expect(run.stdout + run.stderr).not.toContain(PNG.toString('base64'));
    const seeded = await vidgate(['generate', 'a fox', '--model', 'krea/lightricks/ltx-video-2.3-22b', '--seed', '7', '--no-wait', '--json']);
    expect(JSON.parse(seeded.stdout).input.seed).toBe(7);
    // This gateway has no WEBHOOK_SECRET: its refusal shows the field was sent.
    const webhook = await vidgate(['generate', 'a fox', '--model', 'kling-2.5', '--webhook-url', 'https://hooks.example/video']);
    expect(webhook.code).toBe(2);
    expect(webhook.stderr).toContain('[webhooks_not_configured');
  });

  it('with --no-wait prints the job id and how to get the video', async () => {
    const run = await vidgate(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '--no-wait']);
    expect(run.code, run.stderr).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^job_[\w-]+$/);
    expect(run.stderr).toContain(`vidgate jobs get ${id} -o <file>`);
    expect((await driven.poll(id)).body.id).toBe(id);
  });

  it('refuses a missing image file, or a file that is no image, before sending anything (exit 2)', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'notes.txt'), 'not an image');
    // Nothing listens there: a request would be exit 4.
    const nowhere = { VIDGATE_URL: `http://127.0.0.1:${await closedPort()}` };
    const missing = await vidgate(['generate', 'a fox', '--model', 'kling-2.5', '--image', './start.png'], { cwd, env: nowhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--image ./start.png: no such file');
    const notImage = await vidgate(['generate', 'a fox', '--model', 'kling-2.5', '--end-image', 'notes.txt'], { cwd, env: nowhere });
    expect(notImage.code).toBe(2);
    expect(notImage.stderr).toContain('--end-image notes.txt: not a PNG, JPEG, WebP, GIF, HEIC or HEIF image');
  });

  it('is exit 2 with the gateway\'s message and code for a request the model cannot serve', async () => {
    const unknown = await vidgate(['generate', 'a fox', '--model', 'kling-99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: Unknown model "kling-99".* \[unknown_model, req_\w+\]$/m);
    const duration = await vidgate(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '--duration', '7', '--json']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain('krea/kling/kling-2.5 supports durations of 5, 10 seconds; got 7.');
    expect(JSON.parse(duration.stdout).error).toMatchObject({ code: 'unsupported_duration', status: 422, param: 'duration' });
  });

  it('is exit 2 for a usage error from the parser', async () => {
    const notSeconds = await vidgate(['generate', 'a fox', '--model', 'kling-2.5', '--duration', 'five']);
    expect(notSeconds.code).toBe(2);
    expect(notSeconds.stderr).toContain("argument 'five' is invalid");
    const noModel = await vidgate(['generate', 'a fox']);
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toContain("required option '-m, --model <model>' not specified");
    const unknownOption = await vidgate(['models', '--colour']);
    expect(unknownOption.code).toBe(2);
  });

  it('is exit 2 without a key or with a wrong one (401), naming VIDGATE_API_KEY and never the key', async () => {
    const missing = await vidgate(['generate', 'a fox', '--model', 'kling-2.5'], { env: { VIDGATE_API_KEY: undefined } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[missing_api_key');
    expect(missing.stderr).toContain('VIDGATE_API_KEY');
    const wrong = await vidgate(['models'], { env: { VIDGATE_API_KEY: 'not-the-gateway-key' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('[invalid_api_key');
    expect(wrong.stdout + wrong.stderr).not.toContain('not-the-gateway-key');
  });

  it('is exit 3 with the job\'s error when the provider fails the job, and writes no file', async () => {
    const cwd = tempDir();
    const run = await vidgate(['generate', 'a fox [fail]', '--model', 'krea/kling/kling-2.5', '-o', 'out.mp4', '--json'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error: job job_[\w-]+ failed: generation_failed: .*Generation failed \(emulated\)/m);
    const document = JSON.parse(run.stdout);
    expect(document).toMatchObject({ job: { status: 'failed', error: { code: 'generation_failed' } }, file: null });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('is exit 3 when the gateway answers with provider trouble (a 503 from the provider on create)', async () => {
    driven.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 503 }, times: 1 });
    const run = await vidgate(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '--json']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error).toMatchObject({ status: 503, provider: 'krea' });
  });

  it('is exit 4 when nothing listens at VIDGATE_URL, or a proxy answers for a gateway that is down', async () => {
    const port = await closedPort();
    const refused = await vidgate(['generate', 'a fox', '--model', 'kling-2.5'], { env: { VIDGATE_URL: `http://127.0.0.1:${port}` } });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`cannot reach the gateway at http://127.0.0.1:${port}: connection refused`);
    const proxy = await badGatewayProxy();
    try {
      const run = await vidgate(['models', '--url', proxy.url]);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain('answered HTTP 502 without a vidgate error body');
    } finally {
      proxy.server.close();
    }
  });

  it('never overwrites a file without --force (checked before the job is created), and does with it', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'out.mp4'), 'keep me');
    const nowhere = { VIDGATE_URL: `http://127.0.0.1:${await closedPort()}` };
    const refused = await vidgate(['generate', 'a fox', '--model', 'kling-2.5', '-o', 'out.mp4'], { cwd, env: nowhere });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('out.mp4 already exists');
    expect(readFileSync(join(cwd, 'out.mp4'), 'utf8')).toBe('keep me');
    const forced = await vidgate(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '-o', 'out.mp4', '--force'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'out.mp4')).equals(await contentOf(driven, jobIdIn(forced.stderr)!))).toBe(true);
  });

  it('on Ctrl-C stops waiting (exit 130), leaves the job running and says how to get it; `jobs get -o` gets it later', async () => {
    const cwd = tempDir();
    const waiting = start(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '-o', 'out.mp4'], { cwd, env: { VIDGATE_URL: still.gateway.url } });
    await until(() => jobIdIn(waiting.stderrSoFar()) !== undefined, 'the first status line');
    const id = jobIdIn(waiting.stderrSoFar())!;
    waiting.child.kill('SIGINT');
    const run = await waiting.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`job ${id} keeps running`);
    expect(run.stderr).toContain(`vidgate jobs get ${id} -o <file>`);
    expect(readdirSync(cwd)).toEqual([]);
    expect((await still.poll(id)).body.status).not.toMatch(/cancelled|failed/);

    const later = start(['jobs', 'get', id, '-o', 'later.mp4'], { cwd, env: { VIDGATE_URL: still.gateway.url } });
    await still.pollUntilTerminal(id);
    const saved = await later.done;
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toBe('later.mp4\n');
    expect(readFileSync(join(cwd, 'later.mp4')).equals(await contentOf(still, id))).toBe(true);
  });

  it('opens the event stream again when the connection is cut, and finishes', async () => {
    const gateway = new URL(still.gateway.url);
    const proxy = await startTcpProxy({ host: gateway.hostname, port: Number(gateway.port) });
    try {
      const cwd = tempDir();
      const waiting = start(['generate', 'a fox', '--model', 'krea/kling/kling-2.5', '-o', 'out.mp4'], { cwd, env: { VIDGATE_URL: `http://127.0.0.1:${proxy.port}` } });
      await until(() => jobIdIn(waiting.stderrSoFar()) !== undefined, 'the first status line');
      // The status line comes before the stream is opened: cut only once its request is under way.
      const events = `/v1/jobs/${jobIdIn(waiting.stderrSoFar())}/events`;
      await until(() => proxy.sent().includes(events), 'the event stream request');
      await proxy.down();
      await proxy.up();
      await until(() => waiting.stderrSoFar().includes('reconnecting'), 'the reconnect notice');
      await still.pollUntilTerminal(jobIdIn(waiting.stderrSoFar())!);
      const run = await waiting.done;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("lost the gateway's event stream; reconnecting in 1 s");
      expect(existsSync(join(cwd, 'out.mp4'))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe('vidgate models', () => {
  it('shows the aliases with their targets and the models with their capabilities', async () => {
    const run = await vidgate(['models']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ALIAS +TARGETS$/m);
    expect(run.stdout).toMatch(/^kling-2\.5 +krea\/kling\/kling-2\.5, aimlapi\/klingai\/v2\.5-turbo\/pro\/text-to-video/m);
    expect(run.stdout).toMatch(/^MODEL +DURATION +ASPECT RATIOS +RESOLUTIONS +IMAGES +AUDIO$/m);
    expect(run.stdout).toMatch(/^krea\/kling\/kling-2\.5 +5, 10 s +16:9, 9:16, 1:1 /m);
  });

  it('with --json prints the gateway\'s listing as it is', async () => {
    const run = await vidgate(['models', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual((await driven.request('GET', '/v1/models')).body);
  });
});

describe('vidgate jobs', () => {
  const stillEnv = () => ({ env: { VIDGATE_URL: still.gateway.url } });

  it('list shows your jobs newest first, a page at a time, filtered by status', async () => {
    const first = (await still.create({ model: 'krea/kling/kling-2.5', prompt: 'one' })).body.id;
    const second = (await still.create({ model: 'krea/kling/kling-2.5', prompt: 'two' })).body.id;
    const all = await vidgate(['jobs', 'list', '--json'], stillEnv());
    expect(all.code, all.stderr).toBe(0);
    const ids = JSON.parse(all.stdout).data.map((job: { id: string }) => job.id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));

    const page = await vidgate(['jobs', 'list', '--limit', '1'], stillEnv());
    expect(page.code, page.stderr).toBe(0);
    const rows = page.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^ID +STATUS +PROGRESS +MODEL +CREATED$/);
    expect(rows.slice(1)).toHaveLength(1);
    expect(rows[1]).toMatch(new RegExp(`^${second} +queued +0% +krea/kling/kling-2\\.5 `));
    expect(page.stderr).toContain(`more: vidgate jobs list --after ${second}`);

    const next = await vidgate(['jobs', 'list', '--limit', '1', '--after', second, '--json'], stillEnv());
    expect(JSON.parse(next.stdout).data.map((job: { id: string }) => job.id)).toEqual([first]);
    const queued = JSON.parse((await vidgate(['jobs', 'list', '--status', 'queued', '--limit', '100', '--json'], stillEnv())).stdout).data;
    expect(queued.map((job: { id: string }) => job.id)).toEqual(expect.arrayContaining([first, second]));
    expect(queued.every((job: { status: string }) => job.status === 'queued')).toBe(true);
    const none = await vidgate(['jobs', 'list', '--status', 'failed'], stillEnv());
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('no jobs\n');
    const badStatus = await vidgate(['jobs', 'list', '--status', 'done'], stillEnv());
    expect(badStatus.code).toBe(2);
  });

  it('get shows one job; an unknown id is exit 2', async () => {
    const id = (await still.create({ model: 'krea/kling/kling-2.5', prompt: 'a fox' })).body.id;
    const shown = await vidgate(['jobs', 'get', id], stillEnv());
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^id: +${id}$`, 'm'));
    expect(shown.stdout).toMatch(/^model: +krea\/kling\/kling-2\.5$/m);
    const json = await vidgate(['jobs', 'get', id, '--json'], stillEnv());
    expect(JSON.parse(json.stdout)).toMatchObject({ id, object: 'job', model: 'krea/kling/kling-2.5' });
    const unknown = await vidgate(['jobs', 'get', 'job_nothing_here'], stillEnv());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('[job_not_found');
  });

  it('cancel cancels a Krea job; a provider without cancel is exit 2', async () => {
    const krea = (await still.create({ model: 'krea/kling/kling-2.5', prompt: 'a fox' })).body.id;
    const run = await vidgate(['jobs', 'cancel', krea], stillEnv());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${krea} cancelled\n`);
    expect((await still.poll(krea)).body.status).toBe('cancelled');
    const aimlapi = (await still.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a fox' })).body.id;
    const refused = await vidgate(['jobs', 'cancel', aimlapi, '--json'], stillEnv());
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'cancel_not_supported', status: 409 });
  });
});

describe('the package bin', () => {
  it('is the built main.js, which keeps its shebang', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, manifest.bin.vidgate)).toBe(BIN);
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('has --help and --version', async () => {
    const help = await vidgate(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/generate \[options\] <prompt>/);
    expect(help.stdout).toMatch(/Exit codes: 0 done, 2 bad input/);
    const version = await vidgate(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  it('runs the README\'s examples/cli.sh as `vidgate` on PATH, the way npm links a bin', async () => {
    const bin = tempDir();
    symlinkSync(BIN, join(bin, 'vidgate'));
    // npm makes bins executable when it links them; `#!/usr/bin/env node` finds the project's Node first, as under `npx`.
    chmodSync(BIN, 0o755);
    const cwd = tempDir();
    const child = spawn('bash', [join(ROOT, 'examples/cli.sh')], { cwd, env: userEnv({ PATH: `${bin}:${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}` }), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    noKeyIn({ stdout: output });
    expect(code, output).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['fox.mp4', 'lighthouse.mp4']);
    expect(output).toMatch(/^kling-2\.5 +krea\/kling\/kling-2\.5/m);
    expect(readmeShows('examples/cli.sh', 'sh'), 'README.md must show examples/cli.sh verbatim in an sh block').toBe(true);
  }, 30_000);
});

/** A reverse proxy whose gateway is down: 502 with an HTML page. */
async function badGatewayProxy(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

/** Never called: it compiles only while the gateway's answers still fit what the CLI reads from them. */
export function gatewayAnswersFitTheCli(job: GatewayJob, list: GatewayJobList, models: GatewayModelList): [CliJob, CliJobList, CliModelList] {
  return [job, list, models];
}
