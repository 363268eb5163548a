/**
 * DESIGN §6 "Unsafe URLs" on everything a client sends and a provider returns: addresses decided by
 * parsing, inline images decoded and checked, and nothing sent to a provider for a refused request.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callsOf, useStack } from '../support/stack.ts';

const stack = useStack({ ALLOWED_PRIVATE_HOSTS: 'images.internal', MAX_IMAGE_BYTES: '2048' });
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOEDgAAAABJRU5ErkJggg==', 'base64'));
const pngUri = `data:image/png;base64,${Buffer.from(PNG).toString('base64')}`;

function expectNoCreate(): void {
  for (const name of ['krea', 'aimlapi']) expect(callsOf(stack.emulator(name), 'create'), name).toEqual([]);
}

async function expectRefused(body: Record<string, unknown>, status: number, code: string, param: string) {
  const answer = await stack.create(body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error).toMatchObject({ code, param });
  expectNoCreate();
}

describe('image URLs a client sends', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'gopher://example.com/_x',
    'http://example.com/a.png',
    'https://169.254.169.254/latest/meta-data/',
    'https://2852039166/latest/meta-data/',
    'https://0xa9.0xfe.0xa9.0xfe/',
    'https://127.1/a.png',
    'https://0177.0.0.1/a.png',
    'https://[::1]/a.png',
    'https://[::ffff:127.0.0.1]/a.png',
    'https://[::ffff:7f00:1]/a.png',
    'https://10.0.0.7/a.png',
    'https://192.168.1.1/a.png',
    'https://[fe80::1]/a.png',
    'https://localhost/a.png',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://user:secret@example.com/a.png',
  ])('refuses %s with 422 unsafe_url naming the field', async (url) => {
    await expectRefused({ ...kling, start_image: url }, 422, 'unsafe_url', 'start_image');
    await expectRefused({ ...kling, end_image: url }, 422, 'unsafe_url', 'end_image');
  });

  it('never repeats the credentials of a refused URL', async () => {
    const answer = await stack.create({ ...kling, start_image: 'https://user:hunter2@10.0.0.1/a.png' });
    expect(answer.text).not.toContain('hunter2');
  });

  it('accepts a public https URL and a host from ALLOWED_PRIVATE_HOSTS, even over http', async () => {
    for (const url of ['https://example.com/a.png', 'http://images.internal/a.png']) {
      const answer = await stack.create({ ...kling, start_image: url });
      expect(answer.status, url).toBe(202);
      expect(answer.body.input.start_image).toBe(url);
    }
    stack.emulator('krea').emulator.control.reset();
    await expectRefused({ ...kling, start_image: 'http://other.internal/a.png' }, 422, 'unsafe_url', 'start_image');
  });
});

describe('URL-typed provider options', () => {
  it.each(['file:///etc/passwd', 'https://169.254.169.254/', 'javascript:alert(1)', 'data:video/mp4;base64,AAAA'])(
    'refuses %s in a format: uri option, naming its path',
    async (url) => {
      await expectRefused({ ...kling, provider_options: { krea: { start_video: url } } }, 422, 'unsafe_url', 'provider_options.krea.start_video');
    },
  );

  it('forwards a safe one as sent', async () => {
    const answer = await stack.create({ ...kling, provider_options: { krea: { start_video: 'https://example.com/in.mp4' } } });
    expect(answer.status).toBe(202);
    expect(callsOf(stack.emulator('krea'), 'create')[0]!.body).toMatchObject({ start_video: 'https://example.com/in.mp4' });
  });
});

describe('inline images', () => {
  it.each([
    ['an empty payload', 'data:image/png;base64,'],
    ['padding only', 'data:image/png;base64,===='],
    ['whitespace only', 'data:image/png;base64,   \n  '],
    ['broken base64', 'data:image/png;base64,iVBORw0KGgo!'],
    ['bytes of another type', `data:image/jpeg;base64,${Buffer.from(PNG).toString('base64')}`],
    ['an image over MAX_IMAGE_BYTES', `data:image/png;base64,${Buffer.concat([Buffer.from(PNG), Buffer.alloc(4096)]).toString('base64')}`],
    ['a type that is not an image', 'data:text/html;base64,PGgxPmhpPC9oMT4='],
  ])('refuses %s with 400 invalid_image naming the field', async (_what, uri) => {
    await expectRefused({ ...kling, start_image: uri }, 400, 'invalid_image', 'start_image');
  });

  it('uploads a valid image to Krea as an asset, creates the job with its URL, and echoes the SHA-256 of its bytes, as sha256sum prints it', async () => {
    const answer = await stack.create({ ...kling, start_image: pngUri });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const digest = createHash('sha256').update(PNG).digest('hex');
    expect(answer.body.input.start_image).toBe(`data:image/png;sha256=${digest}`);
    const krea = stack.emulator('krea');
    expect(callsOf(krea, 'upload')).toHaveLength(1);
    const sent = (callsOf(krea, 'create')[0]!.body as { start_image: string }).start_image;
    expect(sent).toMatch(new RegExp(`^${krea.url}/assets/[0-9a-f-]{36}\\.png$`));
    expect(new Uint8Array(await (await fetch(sent)).arrayBuffer())).toEqual(PNG);
  });

  it('forwards a valid image inline to AI/ML API, whose image fields take base64', async () => {
    const answer = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'a lighthouse', start_image: pngUri });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(callsOf(stack.emulator('aimlapi'), 'create')[0]!.body).toMatchObject({ image_url: pngUri });
  });

  it('creates no Krea job when the upload is refused, and says so naming Krea', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'upload', fault: { kind: 'status', status: 400, body: { error: 'Invalid file type or size' } } });
    const answer = await stack.create({ ...kling, start_image: pngUri });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'provider_rejected_request', provider: 'krea' });
    expect(answer.body.error.message).toContain('Invalid file type or size');
    expectNoCreate();
  });
});

describe('video URLs a provider returns', () => {
  async function completeWith(urls: string[]) {
    const created = await stack.create(kling);
    const job = { job_id: 'j', status: 'completed', completed_at: '2026-12-01T10:00:00Z', result: { urls } };
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'malformed', body: JSON.stringify(job) }, times: 0 });
    return stack.poll(created.body.id);
  }

  it('are never handed out when they point at a private or metadata address off the provider’s host', async () => {
    const answer = await completeWith(['http://169.254.169.254/latest/meta-data/', 'https://10.1.2.3/v.mp4']);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'failed', videos: [], error: { code: 'provider_bad_response', provider_status: 'completed' } });
    expect(answer.text).not.toContain('169.254');
  });

  it('are kept when they are on the provider’s own configured host, and unsafe ones beside them are dropped', async () => {
    const own = `${stack.emulator('krea').url}/files/v.mp4`;
    const answer = await completeWith([own, 'https://[::ffff:a9fe:a9fe]/x.mp4']);
    expect(answer.status).toBe(200);
    expect(answer.body.videos).toEqual([expect.objectContaining({ provider_url: own, content_type: 'video/mp4' })]);
  });
});
