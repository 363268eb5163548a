/** The request's origin and target read off its serialized URL, and request ids. */
import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../../src/http/request-id.ts';
import { originOf, requestTargetLength } from '../../../src/http/request-url.ts';

describe('originOf and requestTargetLength', () => {
  it.each([
    'http://127.0.0.1:8787/v1/jobs/job_abc',
    'https://gateway.example.com/v1/jobs?limit=2&after=x',
    'http://[::1]:8787/outputs/job_a/0?expires=1&signature=s',
    'HTTP://Example.COM:80/Path/',
    'https://example.com:443/',
    'http://localhost:3000/a//b?c=/d',
  ])('agree with the URL parser for %s, once the URL is serialized as a Request has it', (given) => {
    const url = new Request(given).url;
    const parsed = new URL(url);
    expect(originOf(url)).toBe(parsed.origin);
    expect(requestTargetLength(url)).toBe(parsed.pathname.length + parsed.search.length);
  });
});

describe('newRequestId', () => {
  it('gives req_ and 32 hex digits, never the same twice, across refills of its pool', () => {
    const ids = Array.from({ length: 1_000 }, newRequestId);
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit turns up in every position: the bytes are random, not a counter.
    for (let position = 4; position < 36; position++) expect(new Set(ids.map((id) => id[position])).size).toBe(16);
  });
});
