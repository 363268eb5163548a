/**
 * What the shared behaviour cases need from a runtime, so the same cases run against the Node
 * gateway over loopback (test/e2e/shared-cases.test.ts) and against the Worker inside workerd
 * (test/workerd/gateway.test.ts). Nothing here may import Node or Workers APIs.
 */
import type { EmulatorControl } from '../../providers/emulator-kit/index.ts';

/** A provider's registry name (`krea`, `aimlapi`, …). */
export type ProviderName = string;

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface RequestOptions {
  /** JSON (any value), text as is, or a form sent as multipart/form-data. */
  body?: unknown;
  /** Merged over the defaults (a valid gateway key; JSON content type when there is a body). */
  headers?: Record<string, string>;
}

export interface GatewayHarness {
  /** Calls the gateway with a valid key unless `headers.authorization` says otherwise. */
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** The provider emulator behind the gateway: its fault book and the calls it received. */
  emulator(name: ProviderName): EmulatorControl;
  /** Fetches a result URL the way a client would. */
  download(url: string): Promise<Response>;
}

/** The gateway and its emulators, created before the cases run (in `beforeAll`). */
export type HarnessGetter = () => GatewayHarness;

/** Reads a response into an {@link ApiResponse}; shared by both runtimes' harnesses. */
export async function toApiResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Builds a gateway request with the defaults {@link GatewayHarness.request} promises. */
export function gatewayRequest(url: string, method: string, gatewayKey: string, options: RequestOptions = {}): Request {
  const form = options.body instanceof FormData ? options.body : undefined;
  const headers: Record<string, string> = {
    authorization: `Bearer ${gatewayKey}`,
    // A form's content type (with its boundary) is set by the platform.
    ...(options.body === undefined || form ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  if (headers.authorization === '') delete headers.authorization;
  const body = form ?? (options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  return new Request(url, { method, headers, body });
}
