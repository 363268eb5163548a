/**
 * The SHA-256 port's cases, run on each runtime's factory (Node's in test/unit/outputs, Workers' in
 * test/workerd). Runtime-agnostic: the reference digest is WebCrypto's, of the whole input at once.
 */
import { describe, expect, it } from 'vitest';
import { toHex, type Sha256Factory } from '../../src/outputs/sha256.ts';
import { patternBytes } from './output-store-cases.ts';

async function reference(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes))));
}

export function sha256Cases(name: string, factory: Sha256Factory): void {
  describe(`sha256: ${name}`, () => {
    it('hashes nothing to the digest of the empty string', async () => {
      expect(await factory().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      const hash = factory();
      hash.update(new Uint8Array(0));
      expect(await hash.digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });

    it('hashes "abc" and the two-block test vector', async () => {
      const abc = factory();
      abc.update(new TextEncoder().encode('abc'));
      expect(await abc.digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      const twoBlocks = factory();
      twoBlocks.update(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'));
      expect(await twoBlocks.digest()).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    });

    it('hashes 3 MiB fed in uneven chunks as the whole at once', async () => {
      const bytes = patternBytes(3 * 1024 * 1024, 42);
      const hash = factory();
      const sizes = [1, 63, 64, 65, 4_095, 65_536, 1_000_003, 7];
      let at = 0;
      for (let i = 0; at < bytes.byteLength; i++) {
        const size = sizes[i % sizes.length]!;
        hash.update(bytes.subarray(at, at + size));
        at += size;
      }
      expect(await hash.digest()).toBe(await reference(bytes));
    });

    it('is not thrown off when the caller reuses its buffer after update', async () => {
      const bytes = patternBytes(200_000, 5);
      const hash = factory();
      const buffer = new Uint8Array(10_000);
      for (let at = 0; at < bytes.byteLength; at += buffer.byteLength) {
        buffer.set(bytes.subarray(at, at + buffer.byteLength));
        hash.update(buffer);
        buffer.fill(0xff);
      }
      expect(await hash.digest()).toBe(await reference(bytes));
    });

    it('keeps concurrent hashes apart', async () => {
      const inputs = [patternBytes(70_000, 1), patternBytes(90_000, 2), patternBytes(10, 3)];
      const hashes = inputs.map(() => factory());
      for (let at = 0; at < 90_000; at += 5_000) for (const [i, hash] of hashes.entries()) hash.update(inputs[i]!.subarray(at, at + 5_000));
      const digests = await Promise.all(hashes.map((hash) => hash.digest()));
      expect(digests).toEqual(await Promise.all(inputs.map(reference)));
    });
  });
}
