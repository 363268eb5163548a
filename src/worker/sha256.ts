/**
 * SHA-256 on Workers: `crypto.DigestStream`, a writable that hashes incrementally (WebCrypto's
 * `digest` takes only a whole buffer).
 */
import { toHex, type Sha256, type Sha256Factory } from '../outputs/sha256.ts';
import type { WorkersCryptoLike } from './bindings.ts';

export const workersSha256: Sha256Factory = (): Sha256 => {
  const { DigestStream } = crypto as unknown as WorkersCryptoLike;
  const stream = new DigestStream('SHA-256');
  const writer = stream.getWriter();
  // Writes are queued, not awaited one by one; a failed one fails `close`, and so `digest`.
  const swallow = () => {};
  return {
    update(chunk: Uint8Array) {
      // A copy: the caller may reuse or transfer its buffer before the queued write is hashed.
      writer.write(chunk.slice()).catch(swallow);
    },
    async digest() {
      await writer.close();
      return toHex(new Uint8Array(await stream.digest));
    },
  };
};
