/**
 * The OpenAPI document itself: valid OpenAPI 3.1, committed up to date, covering exactly the
 * routes the app serves, with examples that satisfy their own schemas.
 */
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { OperationObject, ResponseObject } from 'openapi3-ts/oas31';
import { describe, expect, it } from 'vitest';
import { OPENAPI_JSON_PATH, renderOpenApiJson } from '../../openapi/generate.ts';
import { providers } from '../../providers/index.ts';
import { JOB_STATUSES } from '../../providers/types.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryJobStore } from '../../src/jobs/store/memory-job-store.ts';
import { contract, servedDocument } from '../support/contract.ts';

const operations = Object.entries(servedDocument.paths!).flatMap(([path, item]) =>
  Object.entries(item as Record<string, OperationObject>).map(([method, operation]) => ({ path, method, operation })),
);

function responsesOf(method: string, path: string): Record<string, ResponseObject> {
  return operations.find((entry) => entry.method === method && entry.path === path)!.operation.responses as Record<string, ResponseObject>;
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document whose references all resolve', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(servedDocument) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('is committed as openapi/openapi.json exactly as the code builds it (run `npm run generate:openapi`)', () => {
    const committed = readFileSync(OPENAPI_JSON_PATH, 'utf8');
    expect(JSON.parse(committed)).toEqual(servedDocument);
    expect(committed).toBe(renderOpenApiJson());
  });

  it('documents every route the app serves, and no other', () => {
    const config = loadConfig({ GATEWAY_API_KEYS: 'contract-gateway-key', JOB_ID_SECRET: 'contract-job-id-secret-0123', KREA_API_KEY: 'k' }, providers);
    const app = createApp({ config, providers, store: memoryJobStore(), fetch: () => Promise.reject(new Error('no upstream in this test')) });
    const served = new Set(app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`));
    const documented = new Set(operations.map((entry) => `${entry.method.toUpperCase()} ${entry.path}`));
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('requires the bearer key on every /v1 operation and on nothing else (/metrics has its own token)', () => {
    expect(servedDocument.components!.securitySchemes!.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(servedDocument.components!.securitySchemes!.metricsToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(servedDocument.security).toEqual([{ bearerAuth: [] }]);
    for (const { path, operation } of operations) {
      const expected = path === '/metrics' ? [{ metricsToken: [] }] : path.startsWith('/v1/') ? undefined : [];
      expect(operation.security, path).toEqual(expected);
    }
  });

  it('gives every operation a unique operationId, a summary and a tag', () => {
    const ids = operations.map((entry) => entry.operation.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    for (const { operation } of operations) expect(operation).toMatchObject({ operationId: expect.any(String), summary: expect.any(String), tags: [expect.any(String)] });
  });

  it('lists every error status of a create, each with the envelope and its stable codes', () => {
    const responses = responsesOf('post', '/v1/jobs');
    expect(Object.keys(responses)).toEqual(['202', '400', '401', '402', '404', '408', '409', '413', '414', '415', '417', '422', '429', '431', '500', '502', '503', '504']);
    for (const [status, response] of Object.entries(responses).filter(([status]) => status >= '400')) {
      expect(response.content!['application/json']!.schema, status).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
      expect(response['x-error-codes'], status).toEqual(expect.arrayContaining([expect.stringMatching(/^[a-z_]+$/)]));
      for (const code of response['x-error-codes'] as string[]) expect(response.description, status).toContain(`\`${code}\``);
    }
    expect(responses[422]!['x-error-codes']).toEqual(expect.arrayContaining(['unsupported_duration', 'unknown_model', 'provider_rejected_request']));
    expect(responses[429]!.headers).toHaveProperty('Retry-After');
    expect(responses[202]!.headers).toMatchObject({ Location: { required: true } });
  });

  it('lists the errors of a poll and of the models listing', () => {
    const poll = responsesOf('get', '/v1/jobs/{id}');
    expect(Object.keys(poll)).toEqual(['200', '400', '401', '404', '408', '414', '417', '422', '429', '431', '500', '502', '503', '504']);
    expect(poll[404]!['x-error-codes']).toEqual(['job_not_found', 'provider_job_not_found']);
    const models = responsesOf('get', '/v1/models');
    expect(Object.keys(models)).toEqual(['200', '400', '401', '408', '414', '417', '431', '500']);
    expect(models[401]!['x-error-codes']).toEqual(['missing_api_key', 'invalid_api_key']);
  });

  it('lists the refusals below the app on every operation, without a request id where the HTTP server answers', () => {
    for (const [method, path] of [['get', '/healthz'], ['get', '/v1/models'], ['post', '/v1/jobs']] as const) {
      const responses = responsesOf(method, path);
      expect(responses[400]!['x-error-codes'], path).toEqual(expect.arrayContaining(['invalid_request', 'bad_request']));
      expect(responses[414]!['x-error-codes'], path).toEqual(['uri_too_long']);
      expect(responses[431]!['x-error-codes'], path).toEqual(['request_header_too_large']);
      expect(responses[431]!.headers, path).toMatchObject({ 'X-Request-Id': { required: false } });
      expect(responses[414]!.headers, path).toMatchObject({ 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } });
    }
  });

  it('explains every job status in the status schema', () => {
    const status = servedDocument.components!.schemas!.JobStatus as { enum: string[]; description: string };
    expect(status.enum).toEqual([...JOB_STATUSES]);
    for (const value of JOB_STATUSES) expect(status.description).toMatch(new RegExp(`- \`${value}\`: [A-Z].+\\.`));
  });

  it('has examples that satisfy their own schemas', () => {
    const examples = collectExamples(servedDocument);
    expect(examples.length).toBeGreaterThan(20);
    for (const { pointer, value } of examples) expect(contract.validate(pointer, value), `${pointer}: ${JSON.stringify(value)}`).toEqual([]);
  });
});

interface Example {
  /** The schema the example must satisfy. */
  pointer: string;
  value: unknown;
}

/** Media-type `example`/`examples` (checked against the media type's schema) and JSON Schema `examples`. */
function collectExamples(node: unknown, pointer = '', found: Example[] = []): Example[] {
  if (!node || typeof node !== 'object') return found;
  const record = node as Record<string, unknown>;
  if ('schema' in record && ('example' in record || 'examples' in record)) {
    if ('example' in record) found.push({ pointer: `${pointer}/schema`, value: record.example });
    for (const example of Object.values((record.examples ?? {}) as Record<string, { value: unknown }>)) found.push({ pointer: `${pointer}/schema`, value: example.value });
  } else if (Array.isArray(record.examples) && pointer.includes('/schemas/')) {
    for (const value of record.examples) found.push({ pointer, value });
  }
  for (const [key, child] of Object.entries(record)) collectExamples(child, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, found);
  return found;
}
