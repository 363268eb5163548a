/**
 * An output store in memory: for unit tests and for the conformance suite's reference. Not for
 * production (copies would die with the process).
 */
import { readAllBytes } from '../security/bytes.ts';
import type { ByteRange, OutputStore, PutOptions, StoredObject } from './output-store.ts';

interface MemoryObject {
  bytes: Uint8Array;
  contentType: string;
}

export function memoryOutputStore(): OutputStore & { readonly keys: () => string[] } {
  const objects = new Map<string, MemoryObject>();
  return {
    description: 'memory',
    keys: () => [...objects.keys()],
    async put(key: string, body: ReadableStream<Uint8Array>, options: PutOptions) {
      const bytes = await readAllBytes(body);
      if (options.bytes !== undefined && bytes.byteLength !== options.bytes) {
        throw new Error(`expected ${options.bytes} bytes, the body had ${bytes.byteLength}`);
      }
      objects.set(key, { bytes, contentType: options.contentType });
      return { bytes: bytes.byteLength };
    },
    async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
      const object = objects.get(key);
      if (!object) return undefined;
      const slice = range ? object.bytes.subarray(range.offset, range.offset + range.length) : object.bytes;
      return { body: streamOf(slice), size: object.bytes.byteLength, contentType: object.contentType };
    },
    async delete(key: string) {
      objects.delete(key);
    },
    async close() {},
  };
}


function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice());
      controller.close();
    },
  });
}
