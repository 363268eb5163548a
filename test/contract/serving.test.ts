/**
 * The gateway serves the document, the interactive reference and the reference's script without a
 * key (responses pass the stack's contract check too), and the document's create and poll examples
 * are what it really answers.
 */
import { SAMPLE_MP4 } from '../../providers/emulator-kit/index.ts';
import { readFile } from 'node:fs/promises';
import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETED_JOB_EXAMPLE, CREATE_REQUEST_EXAMPLE, CREATED_JOB_EXAMPLE } from '../../src/openapi/examples.ts';
import { locateRendererPackage } from '../../src/node/docs-assets.ts';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../src/reference/docs-page.ts';
import { docsAssetUrl, IMMUTABLE_CACHE_CONTROL, RENDERER_SCRIPT } from '../../src/reference/renderer.ts';
import { servedDocument } from '../support/contract.ts';
import { isSameOriginPath, referencedUrls } from '../support/html.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const noKey = { headers: { authorization: '' } };

describe('GET /openapi.json', () => {
  it('serves the document the code builds, without a key', async () => {
    const answer = await stack.request('GET', '/openapi.json', noKey);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toEqual(servedDocument);
    // Compact JSON in build order: the bytes the Worker serves from its static assets (test/workerd/gateway.test.ts).
    expect(answer.text).toBe(JSON.stringify(servedDocument));
  });
});

describe('GET /docs', () => {
  it('serves the interactive reference for /openapi.json, without a key', async () => {
    const answer = await stack.request('GET', '/docs', noKey);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(referencedUrls(answer.text)).toEqual(['/openapi.json', '/openapi.json', docsAssetUrl(RENDERER_SCRIPT)]);
    expect(answer.text).toContain('data-url="/openapi.json"');
  });

  it('loads nothing from another origin, and its policy allows no other origin', async () => {
    const answer = await stack.request('GET', '/docs', noKey);
    expect(referencedUrls(answer.text).filter((url) => !isSameOriginPath(url))).toEqual([]);
    expect(answer.text).not.toMatch(/https?:\/\//);
    const policy = answer.headers.get('content-security-policy');
    expect(policy).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });
});

describe('GET /docs/assets/{version}/{file}', () => {
  const path = docsAssetUrl(RENDERER_SCRIPT);
  const installed = locateRendererPackage().then((found) => readFile(found.files.get(RENDERER_SCRIPT.name)!));

  it('serves the installed renderer\'s script, cached immutably, without a key', async () => {
    const answer = await stack.request('GET', path, { headers: { authorization: '', 'accept-encoding': 'identity' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(RENDERER_SCRIPT.contentType);
    expect(answer.headers.get('cache-control')).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(answer.headers.get('content-length')).toBe(String((await installed).byteLength));
    expect(answer.headers.get('content-encoding')).toBeNull();
    expect(answer.text).toBe((await installed).toString('utf8'));
  });

  it('sends it gzip-compressed to clients that accept gzip', async () => {
    // fetch() would decompress; the raw bytes are what the length must count.
    const { headers, body } = await rawGet(stack.gateway.url + path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers.vary).toBe('accept-encoding');
    expect(headers['content-length']).toBe(String(body.byteLength));
    expect(gunzipSync(body).equals(await installed)).toBe(true);
  });

  it('answers 404 not_found for another version or file name', async () => {
    for (const other of [`/docs/assets/0.0.0/${RENDERER_SCRIPT.name}`, path.replace(RENDERER_SCRIPT.name, 'other.js')]) {
      const answer = await stack.request('GET', other, noKey);
      expect(answer.status, other).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
  });
});

/** A GET whose body arrives exactly as sent (no decoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('the document\'s examples', () => {
  /** What differs from one run to the next. */
  const unstable = (job: Record<string, unknown>) => ({ ...job, id: expect.any(String), created_at: expect.any(String), completed_at: job.completed_at === null ? null : expect.any(String) });

  it('show what a create really answers', async () => {
    const created = await stack.create(CREATE_REQUEST_EXAMPLE);
    expect(created.status).toBe(202);
    expect(created.body).toEqual(unstable(CREATED_JOB_EXAMPLE));
  });

  it('show what a poll of the finished job really answers', async () => {
    const created = await stack.create(CREATE_REQUEST_EXAMPLE);
    const done = await stack.pollUntilStored(created.body.id);
    expect(done.body).toEqual({
      ...unstable(COMPLETED_JOB_EXAMPLE),
      videos: [
        {
          ...COMPLETED_JOB_EXAMPLE.videos[0],
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/outputs\/job_[\w-]+\/0\?expires=\d+&signature=[\w-]+$/),
          provider_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.mp4$/),
          bytes: SAMPLE_MP4.byteLength,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
    });
  });
});
