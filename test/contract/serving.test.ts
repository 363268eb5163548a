/**
 * The gateway serves the document and the interactive reference without a key (responses pass the
 * stack's contract check too), and the document's create and poll examples are what it really answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETED_JOB_EXAMPLE, CREATE_REQUEST_EXAMPLE, CREATED_JOB_EXAMPLE } from '../../src/openapi/examples.ts';
import { servedDocument } from '../support/contract.ts';
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
  });
});

describe('GET /docs', () => {
  it('serves the interactive reference for /openapi.json, without a key', async () => {
    const answer = await stack.request('GET', '/docs', noKey);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toContain('/openapi.json');
    expect(answer.text).toContain('@scalar/api-reference');
  });
});

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
    const done = await stack.pollUntilTerminal(created.body.id);
    expect(done.body).toEqual({
      ...unstable(COMPLETED_JOB_EXAMPLE),
      videos: [{ ...COMPLETED_JOB_EXAMPLE.videos[0], url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.+\.mp4$/) }],
    });
  });
});
