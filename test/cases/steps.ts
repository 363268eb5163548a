/** Small steps the shared cases are written in, on top of a {@link GatewayHarness}. */
import { expect } from 'vitest';
import type { RecordedRequest } from '../../providers/emulator-kit/index.ts';
import { providers } from '../../providers/index.ts';
import type { ApiResponse, GatewayHarness, ProviderName } from './harness.ts';

const TERMINAL = ['completed', 'failed', 'cancelled'];

export const create = (h: GatewayHarness, body: Record<string, unknown>) => h.request('POST', '/v1/jobs', { body });

export const poll = (h: GatewayHarness, id: string) => h.request('GET', `/v1/jobs/${id}`);

/** Polls until the job is terminal or a poll is not a 200; emulated jobs advance one status per poll. */
export async function pollUntilTerminal(h: GatewayHarness, id: string, maxPolls = 20): Promise<ApiResponse> {
  for (let i = 0; i < maxPolls; i++) {
    const response = await poll(h, id);
    if (response.status !== 200 || TERMINAL.includes(response.body.status)) return response;
  }
  throw new Error(`job did not finish within ${maxPolls} polls`);
}

/** The upstream calls an emulator received, by kind. */
export function callsOf(h: GatewayHarness, provider: ProviderName, kind: 'create' | 'poll' | 'upload'): RecordedRequest[] {
  return h.emulator(provider).requests.filter((request) => request.kind === kind);
}

export function expectNoProviderCalls(h: GatewayHarness): void {
  for (const { name } of providers) expect(h.emulator(name).requests, name).toEqual([]);
}

/** Clears faults and recorded calls (emulated jobs survive). */
export function resetEmulators(h: GatewayHarness): void {
  for (const { name } of providers) h.emulator(name).reset();
}
