/**
 * The contract check must be able to fail: each test feeds it a response that departs from the
 * document in one way and expects that departure to be reported.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMPLETED_JOB_EXAMPLE, CREATED_JOB_EXAMPLE } from '../../src/openapi/examples.ts';
import { contract, type ObservedResponse } from '../support/contract.ts';
import { startStack, type Stack } from '../support/stack.ts';

const REQUEST_ID = 'req_0123456789abcdef0123456789abcdef';

function json(status: number, body: unknown, headers: Record<string, string> = {}): ObservedResponse {
  return { status, body, headers: new Headers({ 'content-type': 'application/json', 'x-request-id': REQUEST_ID, ...headers }) };
}

function created(body: unknown = CREATED_JOB_EXAMPLE, headers: Record<string, string> = { location: `/v1/jobs/${CREATED_JOB_EXAMPLE.id}` }) {
  return json(202, body, headers);
}

const envelope = (code: string) => ({ error: { code, message: 'x', request_id: REQUEST_ID } });

describe('the contract check', () => {
  it('accepts responses that match the document', () => {
    expect(contract.check('POST', '/v1/jobs', created())).toEqual([]);
    expect(contract.check('GET', `/v1/jobs/${COMPLETED_JOB_EXAMPLE.id}`, json(200, COMPLETED_JOB_EXAMPLE))).toEqual([]);
    expect(contract.check('POST', '/v1/jobs', json(422, envelope('unsupported_duration')))).toEqual([]);
    expect(contract.check('GET', '/v1/models', json(401, envelope('missing_api_key'), { 'www-authenticate': 'Bearer' }))).toEqual([]);
  });

  it('rejects a job without a required field', () => {
    const { status: _status, ...withoutStatus } = CREATED_JOB_EXAMPLE;
    expect(contract.check('POST', '/v1/jobs', created(withoutStatus)).join('\n')).toContain("must have required property 'status'");
  });

  it('rejects a job with a field the document does not define', () => {
    expect(contract.check('POST', '/v1/jobs', created({ ...CREATED_JOB_EXAMPLE, cost: 1 })).join('\n')).toContain('must NOT have additional properties');
  });

  it('rejects a status outside the job vocabulary and a timestamp that is not one', () => {
    const problems = contract.check('GET', '/v1/jobs/job_x', json(200, { ...COMPLETED_JOB_EXAMPLE, status: 'succeeded', completed_at: 'yesterday' })).join('\n');
    expect(problems).toContain('/status must be equal to one of the allowed values');
    expect(problems).toContain('/completed_at must match format "date-time"');
  });

  it('rejects a create answer without its Location header', () => {
    expect(contract.check('POST', '/v1/jobs', created(CREATED_JOB_EXAMPLE, {}))).toEqual([expect.stringContaining('required header Location is missing')]);
  });

  it('rejects a malformed request id header', () => {
    expect(contract.check('GET', '/v1/models', json(401, envelope('missing_api_key'), { 'www-authenticate': 'Bearer', 'x-request-id': 'nope' })).join('\n')).toContain('header X-Request-Id');
  });

  it('rejects an error code the status does not list', () => {
    expect(contract.check('POST', '/v1/jobs', json(422, envelope('job_not_found')))).toEqual([expect.stringContaining('error code "job_not_found" is not listed')]);
  });

  it('rejects an error body that is not the envelope', () => {
    expect(contract.check('POST', '/v1/jobs', json(400, { message: 'bad' })).join('\n')).toContain("must have required property 'error'");
  });

  it('rejects a status the operation does not document', () => {
    expect(contract.check('GET', '/v1/models', json(404, envelope('not_found')))).toEqual([expect.stringContaining('HTTP 404 is not documented')]);
  });

  it('rejects a content type the response does not document', () => {
    expect(contract.check('GET', '/healthz', { status: 200, body: undefined, headers: new Headers({ 'content-type': 'text/plain', 'x-request-id': REQUEST_ID }) })).toEqual([
      expect.stringContaining('content type "text/plain" is not documented'),
    ]);
  });

  it('holds routes the gateway does not serve to a 404 not_found (or a 401 under /v1)', () => {
    expect(contract.check('GET', '/v2/nothing', json(404, envelope('not_found')))).toEqual([]);
    expect(contract.check('DELETE', '/v1/models', json(401, envelope('invalid_api_key'), { 'www-authenticate': 'Bearer' }))).toEqual([]);
    expect(contract.check('GET', '/v2/nothing', json(200, { status: 'ok' }))).toEqual([expect.stringContaining('HTTP 200 is not documented')]);
  });

  it('throws from assert, naming every departure', () => {
    expect(() => contract.assert('POST', '/v1/jobs', created({ ...CREATED_JOB_EXAMPLE, progress: 101 }, {}))).toThrow(/Location is missing[\s\S]*progress must be <= 100/);
  });
});

describe('the end-to-end stack', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('checks every response it receives against the document', async () => {
    const assert = vi.spyOn(contract, 'assert');
    try {
      const answer = await stack.request('GET', '/v1/models');
      expect(assert).toHaveBeenCalledWith('GET', '/v1/models', answer);
    } finally {
      assert.mockRestore();
    }
  });
});
