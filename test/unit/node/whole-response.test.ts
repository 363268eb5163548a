/** The Node upstream fetch's `Response` over a body read whole: every way of reading it behaves as a real `Response` over the same bytes. */
import { describe, expect, it } from 'vitest';
import { wholeResponse } from '../../../src/node/whole-response.ts';

const text = '{"job_id":"abc","status":"queued"}';
const answer = () => wholeResponse(new TextEncoder().encode(text), { status: 201, headers: [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']] });

describe('a Response over a body read whole', () => {
  it('is a Response with the status and headers it was given, its body unread', () => {
    const response = answer();
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok, response.headers.get('content-type'), response.headers.getSetCookie()]).toEqual([201, true, 'application/json', ['a=1', 'b=2']]);
    expect(response.bodyUsed).toBe(false);
  });

  it.each([
    ['text', (response: Response) => response.text()],
    ['json', async (response: Response) => JSON.stringify(await response.json())],
    ['arrayBuffer', async (response: Response) => new TextDecoder().decode(await response.arrayBuffer())],
    ['bytes', async (response: Response) => new TextDecoder().decode(await response.bytes())],
    ['blob', async (response: Response) => (await response.blob()).text()],
    ['body', (response: Response) => new Response(response.body).text()],
  ])('gives the bytes through %s, once: the body is used after it, and a second read is refused', async (_name, read) => {
    const response = answer();
    expect(await read(response)).toBe(text);
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
  });

  it('clones before a read, each clone read on its own; refuses a clone after one, as a Response does', async () => {
    const response = answer();
    const copy = response.clone();
    expect([await copy.text(), copy.bodyUsed, response.bodyUsed]).toEqual([text, true, false]);
    expect(await response.text()).toBe(text);
    expect(() => response.clone()).toThrow(TypeError);
  });
});
