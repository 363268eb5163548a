/**
 * The official `openai` SDK, at the current 7.x (which always sends `videos.create` as a form) and at
 * 6.27.0 (the last 6.x that sends JSON unless a file is attached), pointed at a test gateway. Every
 * answer the SDK receives is held to the OpenAPI document, like the stack's own requests.
 */
import OpenAI7, * as openai7 from 'openai';
import OpenAI6, * as openai6 from 'openai-6';
import { contract } from './contract.ts';

export interface SdkFlavour {
  name: string;
  /** How `videos.create` goes over the wire without a file. */
  sends: 'multipart' | 'json';
  client(options: { baseURL: string; apiKey: string; maxRetries?: number; fetch?: typeof fetch }): OpenAI7;
  toFile(bytes: Uint8Array, name: string, type: string): Promise<unknown>;
  /** This version's error classes (each version has its own, so `instanceof` needs the right ones). */
  errors: Pick<typeof openai7, 'AuthenticationError' | 'BadRequestError' | 'ConflictError' | 'InternalServerError' | 'NotFoundError' | 'RateLimitError' | 'UnprocessableEntityError'>;
}

export const SDK_FLAVOURS: readonly SdkFlavour[] = [
  { name: 'openai 7.x', sends: 'multipart', client: (options) => new OpenAI7(options), toFile: (bytes, name, type) => openai7.toFile(bytes, name, { type }), errors: openai7 },
  // 6.27.0's client has the same surface for videos; its types differ only in details the tests do not use.
  {
    name: 'openai 6.27.0',
    sends: 'json',
    client: (options) => new OpenAI6(options) as unknown as OpenAI7,
    toFile: (bytes, name, type) => openai6.toFile(bytes, name, { type }),
    errors: openai6 as unknown as SdkFlavour['errors'],
  },
];

/** A fetch that checks each answer against the document before the SDK sees it (the body is read from a clone). */
export function contractCheckedFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    // The SDK may probe its environment with a fetch of its own (not to the gateway).
    if (!/^https?:/.test(url)) return response;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const text = response.headers.get('content-type')?.includes('json') ? await response.clone().text() : undefined;
    contract.assert(method, new URL(url).pathname, { status: response.status, headers: response.headers, body: text === undefined ? undefined : JSON.parse(text) });
    return response;
  };
}
