/**
 * Behaviour cases shared by the Node and workerd runners (the `common.case.test.ts` idea from
 * Hono): one definition, run on both runtimes, so they cannot drift apart.
 */
import { describe } from 'vitest';
import { corsOffCases } from './cors.ts';
import type { HarnessGetter } from './harness.ts';
import { jobLifecycleCases } from './job-lifecycle.ts';
import { jobRouteCases } from './job-routes.ts';
import { providerFaultCases } from './provider-faults.ts';
import { requestErrorCases } from './request-errors.ts';
import { videoCases } from './videos.ts';

export type { ApiResponse, GatewayHarness, HarnessGetter, ProviderName, RequestOptions } from './harness.ts';
export { gatewayRequest, toApiResponse } from './harness.ts';
export { ALLOWED_ORIGIN, CORS_TEST_ORIGINS, corsCases } from './cors.ts';

/** Registers every shared case; call at the top level of a test file, after setting up `beforeAll`. */
export function sharedCases(harness: HarnessGetter): void {
  describe('job lifecycle', () => jobLifecycleCases(harness));
  describe('job routes', () => jobRouteCases(harness));
  describe('request errors', () => requestErrorCases(harness));
  describe('provider faults', () => providerFaultCases(harness));
  describe('CORS', () => corsOffCases(harness));
  describe('OpenAI-shaped videos', () => videoCases(harness));
}
