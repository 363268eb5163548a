/**
 * `/playground` in headless Chromium with no network (every non-loopback request is aborted), against
 * a real gateway and the provider emulators: a person pastes the key, picks a model, gets a form with
 * only what that model supports, submits, watches the event stream move the progress bar and sees the
 * video play. Here jobs move only when the test polls them, so each step of the progress is the test's.
 */
import { createHash } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PLAYGROUND_CONTENT_SECURITY_POLICY, PLAYGROUND_TITLE } from '../../src/playground/page.ts';
import type { ModelCapabilities } from '../../providers/types.ts';
import { saveScreenshot, useBrowser, type BrowserPage } from '../support/browser.ts';
import { cspDirective, cspHashSource, inlineElements, isSameOriginPath, referencedUrls } from '../support/html.ts';
import { connect, fillJobForm, optionValues, waitForVideo } from '../support/playground.ts';
import { KEYS, useStack } from '../support/stack.ts';

const stack = useStack();
const browser = useBrowser();

const noKey = { headers: { authorization: '' } };
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOEDgAAAABJRU5ErkJggg==', 'base64');

/** The playground, open, with every request it sends recorded. */
async function openPlayground(): Promise<BrowserPage & { requests: Request[] }> {
  const opened = await browser.newPage();
  const requests: Request[] = [];
  opened.page.on('request', (request) => requests.push(request));
  // Within the test's own timeout, so a step that never happens fails with Playwright's account of it.
  opened.page.setDefaultTimeout(10_000);
  await opened.page.goto(`${stack.gateway.url}/playground`);
  return { ...opened, requests };
}

async function connected(key: string = KEYS.gateway) {
  const opened = await openPlayground();
  try {
    await connect(opened.page, key);
    await opened.page.getByLabel('Model').waitFor({ state: 'visible' });
  } catch (cause) {
    // A script the policy refused, or one that threw, shows here rather than as a bare timeout.
    throw new Error(`the job form did not appear; the page's errors: ${opened.errors.join('; ') || 'none'}`, { cause });
  }
  return opened;
}

/** Clicks Generate and returns the create's request body and the job it answered. */
async function generate(page: Page): Promise<{ sent: Record<string, unknown>; status: number; job: any }> {
  const isCreate = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/v1/jobs';
  const [request] = await Promise.all([page.waitForRequest(isCreate), page.getByRole('button', { name: 'Generate' }).click()]);
  const response = (await request.response())!;
  return { sent: request.postDataJSON(), status: response.status(), job: await response.json() };
}

const alertText = (page: Page) => page.getByRole('alert').textContent();
const progressValue = (page: Page) => page.getByLabel('Progress').evaluate((element) => (element as HTMLProgressElement).value);
const statusText = (page: Page) => page.getByRole('status').textContent();

/** What the page shows for one model: each control it offers and the values it allows, `null` where it offers none. */
interface FormShape {
  duration: string[] | { min: string | null; max: string | null } | null;
  aspect_ratio: string[] | null;
  resolution: string[] | null;
  mode: string[] | null;
  start_image: { required: boolean } | null;
  end_image: { required: boolean } | null;
  generate_audio: { checked: boolean } | null;
}

const LABELS: Record<keyof FormShape, string | RegExp> = {
  duration: 'Duration (seconds)',
  aspect_ratio: 'Aspect ratio',
  resolution: 'Resolution',
  mode: 'Mode',
  start_image: /^Start image/,
  end_image: 'End image',
  generate_audio: 'Generate audio',
};

/** Reads the form through its labels, as a person (or a screen reader) finds the controls. */
async function formShape(page: Page): Promise<FormShape> {
  const entries = await Promise.all(
    (Object.entries(LABELS) as [keyof FormShape, string | RegExp][]).map(async ([name, label]) => {
      const control = page.getByLabel(label, { exact: true });
      if ((await control.count()) === 0) return [name, null] as const;
      const kind = await control.evaluate((element) => (element instanceof HTMLSelectElement ? 'select' : (element as HTMLInputElement).type));
      if (kind === 'select') return [name, await optionValues(control)] as const;
      if (kind === 'number') return [name, { min: await control.getAttribute('min'), max: await control.getAttribute('max') }] as const;
      if (kind === 'file') return [name, { required: await control.evaluate((element) => (element as HTMLInputElement).required) }] as const;
      return [name, { checked: await control.isChecked() }] as const;
    }),
  );
  return Object.fromEntries(entries) as FormShape;
}

/** What the form must offer for these capabilities (a select without a documented default starts with "send nothing"). */
function expectedShape(capabilities: ModelCapabilities): FormShape {
  const { defaults, duration } = capabilities;
  const choices = (values: readonly (string | number)[] | null, chosen: string | number | undefined) => values && [...(chosen === undefined ? [''] : []), ...values.map(String)];
  return {
    duration:
      duration === null ? null
      : duration.kind === 'values' ? choices(duration.values, defaults.duration)
      : duration.kind === 'range' ? { min: optionalText(duration.min), max: optionalText(duration.max) }
      : { min: String(duration.min_frames / duration.fps), max: String(duration.max_frames / duration.fps) },
    aspect_ratio: choices(capabilities.aspect_ratios, defaults.aspect_ratio),
    resolution: choices(capabilities.resolutions, defaults.resolution),
    mode: choices(capabilities.modes, defaults.mode),
    start_image: capabilities.start_image && { required: capabilities.start_image === 'required' },
    end_image: capabilities.end_image ? { required: false } : null,
    generate_audio: capabilities.generate_audio ? { checked: defaults.generate_audio === true } : null,
  };
}

const optionalText = (value: number | undefined) => (value === undefined ? null : String(value));

/** The listing's direct models by id, and each alias's first target. */
async function listedModels() {
  const { body } = await stack.request('GET', '/v1/models');
  const direct = new Map<string, ModelCapabilities>(body.data.filter((model: any) => model.type === 'direct').map((model: any) => [model.id, model.capabilities]));
  const aliases = new Map<string, string>(body.data.filter((model: any) => model.type === 'alias').map((model: any) => [model.id, model.targets[0].model]));
  return { direct, aliases, ids: body.data.map((model: any) => model.id) as string[] };
}

describe('GET /playground', () => {
  it('is served without a key, holds none, and its policy admits only its own inline script and style', async () => {
    const answer = await stack.request('GET', '/playground', noKey);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = answer.headers.get('content-security-policy')!;
    expect(policy).toBe(PLAYGROUND_CONTENT_SECURITY_POLICY);
    const [script] = inlineElements(answer.text, 'script');
    const [style] = inlineElements(answer.text, 'style');
    expect(cspDirective(policy, 'script-src')).toEqual([await cspHashSource(script!)]);
    expect(cspDirective(policy, 'style-src')).toEqual([await cspHashSource(style!)]);
    expect(cspDirective(policy, 'default-src')).toEqual(["'none'"]);
    expect(cspDirective(policy, 'connect-src')).toEqual(["'self'"]);
    expect(referencedUrls(answer.text).filter((url) => !isSameOriginPath(url))).toEqual([]);
    expect(answer.text).not.toMatch(/https?:\/\//);
    for (const key of [KEYS.gateway, KEYS.otherGateway]) expect(answer.text).not.toContain(key);
  });
});

describe('the playground in a browser with no network', () => {
  it('builds the form from the chosen model\'s capabilities, and changes it with the model', async () => {
    const { page, blocked, errors } = await connected();
    await expect(page.title()).resolves.toBe(PLAYGROUND_TITLE);

    await page.getByLabel('Model').selectOption('kling-2.5');
    await expect(formShape(page)).resolves.toEqual({
      duration: ['5', '10'],
      aspect_ratio: ['16:9', '9:16', '1:1'],
      resolution: null,
      mode: ['pro'],
      start_image: { required: false },
      end_image: { required: false },
      generate_audio: null,
    });
    await page.getByLabel('Model').selectOption('krea/google/veo-3.1');
    await expect(formShape(page)).resolves.toEqual({
      duration: ['4', '6', '8'],
      aspect_ratio: ['16:9', '9:16'],
      resolution: ['720p', '1080p', '4k'],
      mode: null,
      start_image: { required: false },
      end_image: { required: false },
      generate_audio: { checked: false },
    });
    // Frame-counted: a length in seconds between 18 and 162 frames at 16 fps.
    await page.getByLabel('Model').selectOption('wan-14b');
    await expect(formShape(page)).resolves.toEqual({ duration: { min: '1.125', max: '10.125' }, aspect_ratio: null, resolution: null, mode: null, start_image: null, end_image: null, generate_audio: null });
    await page.getByLabel('Model').selectOption('aimlapi/klingai/v2.5-turbo/pro/image-to-video');
    await expect(formShape(page)).resolves.toMatchObject({ duration: ['5', '10'], aspect_ratio: null, start_image: { required: true }, end_image: null });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('offers, for every model GET /v1/models lists, exactly the durations, ratios and inputs it lists', { timeout: 60_000 }, async () => {
    const { page } = await connected();
    const { direct, aliases, ids } = await listedModels();
    await expect(optionValues(page.getByLabel('Model'))).resolves.toEqual(ids);
    for (const id of ids) {
      await page.getByLabel('Model').selectOption(id);
      const capabilities = direct.get(aliases.get(id) ?? id)!;
      expect(await formShape(page), id).toEqual(expectedShape(capabilities));
    }
  });

  it('submits the job, moves the progress bar on each event, and plays the finished video', { timeout: 60_000 }, async () => {
    const { page, blocked, errors, requests } = await connected();
    await fillJobForm(page, { model: 'kling-2.5', prompt: 'a lighthouse at dusk', duration: '10', aspectRatio: '9:16' });
    const { sent, status, job } = await generate(page);
    // Fields left at the model's default are not sent: the gateway applies the same ones.
    expect(sent).toEqual({ model: 'kling-2.5', prompt: 'a lighthouse at dusk', duration: 10, aspect_ratio: '9:16' });
    expect(status).toBe(202);
    await expect.poll(() => statusText(page)).toBe(`Job ${job.id}: queued, 0%`);

    // Krea's `scheduled` is still queued at 0 (no visible change, so no event); then it processes, then samples.
    await expect(stack.poll(job.id).then((polled) => polled.body)).resolves.toMatchObject({ status: 'queued', progress: 0 });
    for (const progress of [40, 60]) {
      await expect(stack.poll(job.id).then((polled) => polled.body)).resolves.toMatchObject({ status: 'in_progress', progress });
      await expect.poll(() => progressValue(page)).toBe(progress);
      await expect.poll(() => statusText(page)).toBe(`Job ${job.id}: in_progress, ${progress}%`);
    }

    const done = await stack.pollUntilTerminal(job.id);
    expect(done.body.status).toBe('completed');
    const video = await waitForVideo(page);
    expect(video.readyState).toBeGreaterThanOrEqual(1);
    expect(video.duration).toBe(1); // the emulator's 1-second clip, demuxed by Chromium
    expect(new URL(video.src).pathname).toBe(new URL(done.body.videos[0].url).pathname);
    await expect.poll(() => progressValue(page)).toBe(100);
    await saveScreenshot(page, 'playground', { fullPage: true });

    const events = requests.find((request) => new URL(request.url()).pathname === `/v1/jobs/${job.id}/events`)!;
    expect(await events.headerValue('authorization')).toBe(`Bearer ${KEYS.gateway}`);
    expect(requests.filter((request) => request.url().includes(KEYS.gateway))).toEqual([]);
    await expect(page.getByRole('alert').isHidden()).resolves.toBe(true);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('sends a chosen start image inline, as the file\'s exact bytes', async () => {
    const { page, blocked } = await connected();
    await fillJobForm(page, { model: 'krea/kling/kling-2.5', prompt: 'the first frame, moving' });
    await page.getByLabel('Start image').setInputFiles({ name: 'first.png', mimeType: 'image/png', buffer: PNG });
    const { sent, status, job } = await generate(page);
    expect(sent.start_image).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(status).toBe(202);
    expect(job.input.start_image).toBe(`data:image/png;sha256=${createHash('sha256').update(PNG).digest('hex')}`);
    expect(blocked).toEqual([]);
  });

  it('keeps the key in the tab\'s sessionStorage only, never in a URL, and forgets it on request', async () => {
    const { page, requests } = await connected();
    await page.reload();
    await page.getByLabel('Model').waitFor({ state: 'visible' });
    await expect(page.getByLabel('Gateway key').inputValue()).resolves.toBe(KEYS.gateway);
    await expect(page.evaluate(() => ({ local: localStorage.length, cookies: document.cookie }))).resolves.toEqual({ local: 0, cookies: '' });
    expect(requests.filter((request) => request.url().includes(KEYS.gateway))).toEqual([]);

    await page.getByRole('button', { name: 'Forget key' }).click();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await page.reload();
    await expect(page.getByLabel('Gateway key').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Model').isHidden()).resolves.toBe(true);
  });
});

describe('errors in the playground', () => {
  it('shows the 401 envelope\'s message for a wrong key, and keeps nothing', async () => {
    const { page, blocked } = await openPlayground();
    await connect(page, 'not-a-gateway-key');
    const expected = (await stack.request('GET', '/v1/models', { headers: { authorization: 'Bearer not-a-gateway-key' } })).body.error;
    expect(expected.code).toBe('invalid_api_key');
    await expect.poll(() => alertText(page)).toBe(`${expected.message} (${expected.code})`);
    await expect(page.getByLabel('Model').isHidden()).resolves.toBe(true);
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    expect(blocked).toEqual([]);
  });

  it('shows the message of an input the gateway refuses', async () => {
    const { page } = await connected();
    const bytes = Buffer.from('this is not a PNG');
    await fillJobForm(page, { model: 'kling-2.5', prompt: 'a lighthouse' });
    await page.getByLabel('Start image').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: bytes });
    const { status } = await generate(page);
    const expected = (await stack.create({ model: 'kling-2.5', prompt: 'a lighthouse', start_image: `data:image/png;base64,${bytes.toString('base64')}` })).body.error;
    expect(status).toBe(400);
    expect(expected).toMatchObject({ code: 'invalid_image', param: 'start_image' });
    await expect.poll(() => alertText(page)).toBe(`${expected.message} (${expected.code})`);
  });

  it('refuses an image over MAX_IMAGE_BYTES before uploading it', async () => {
    const { page, requests } = await connected();
    await fillJobForm(page, { model: 'kling-2.5', prompt: 'a lighthouse' });
    const limit = 10 * 1024 * 1024; // the stack's default MAX_IMAGE_BYTES
    await page.getByLabel('Start image').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([PNG, Buffer.alloc(limit)]) });
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect.poll(() => alertText(page)).toBe(`start_image: huge.png is ${PNG.length + limit} bytes; the gateway takes images of at most ${limit} bytes. (invalid_image)`);
    expect(requests.filter((request) => request.method() === 'POST')).toEqual([]);
  });

  it('shows a failed job\'s error message', async () => {
    const { page, blocked, errors } = await connected();
    await fillJobForm(page, { model: 'krea/kling/kling-2.5', prompt: '[fail] a lighthouse' });
    const { job } = await generate(page);
    const failed = await stack.pollUntilTerminal(job.id);
    expect(failed.body).toMatchObject({ status: 'failed', progress: null });
    await expect.poll(() => alertText(page)).toBe(`${failed.body.error.message} (${failed.body.error.code})`);
    await expect.poll(() => statusText(page)).toBe(`Job ${job.id}: failed`);
    await expect(page.locator('video').isHidden()).resolves.toBe(true);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });
});
