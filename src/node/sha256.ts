/** SHA-256 on Node: `node:crypto`'s incremental hash (it reads each chunk before `update` returns). */
import { createHash } from 'node:crypto';
import type { Sha256, Sha256Factory } from '../outputs/sha256.ts';

export const nodeSha256: Sha256Factory = (): Sha256 => {
  const hash = createHash('sha256');
  return {
    update(chunk: Uint8Array) {
      hash.update(chunk);
    },
    async digest() {
      return hash.digest('hex');
    },
  };
};
