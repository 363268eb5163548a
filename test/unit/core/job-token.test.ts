import { describe, expect, it } from 'vitest';
import { webCryptoCipher } from '../../../src/jobs/id-cipher.ts';
import { createJobTokenCodec as createCodec, type JobClaims } from '../../../src/jobs/job-token.ts';
import { nodeCryptoCipher } from '../../../src/node/node-crypto-cipher.ts';

const claims: JobClaims = {
  v: 1,
  provider: 'aimlapi',
  provider_model: 'krea/krea-wan-14b/text-to-video',
  operation: { generation_id: '7d3e1c52:krea/krea-wan-14b/text-to-video' },
  model: 'aimlapi/krea/krea-wan-14b/text-to-video',
  created_at: 1_763_800_000_000,
  input: { prompt: 'a dragon circling a peak', duration: 4.875 },
  warnings: [{ code: 'duration_adjusted', field: 'duration', message: 'm', requested: 5, applied: 4.875 }],
  metadata: { order: '42' },
};

describe.each([
  ['WebCrypto', webCryptoCipher],
  ['node:crypto', nodeCryptoCipher],
])('job ids sealed with %s', (_name, cipher) => {
  const createJobTokenCodec = (secrets: string[]) => createCodec(secrets, cipher);

  it('round-trip the claims and are URL-safe', async () => {
    const codec = createJobTokenCodec(['secret-one-0123456789']);
    const id = await codec.seal(claims);
    expect(id).toMatch(/^job_[A-Za-z0-9_-]+$/);
    expect(await codec.open(id)).toEqual(claims);
  });

  it('are opaque: nothing of the prompt or operation is readable', async () => {
    const id = await createJobTokenCodec(['secret-one-0123456789']).seal(claims);
    const decoded = atob(id.slice(4).replaceAll('-', '+').replaceAll('_', '/'));
    expect(decoded).not.toContain('dragon');
    expect(decoded).not.toContain('7d3e1c52');
  });

  it('differ for the same claims (random nonce)', async () => {
    const codec = createJobTokenCodec(['secret-one-0123456789']);
    expect(await codec.seal(claims)).not.toBe(await codec.seal(claims));
  });

  it('do not open when any character changes, or under another secret', async () => {
    const id = await createJobTokenCodec(['secret-one-0123456789']).seal(claims);
    const codec = createJobTokenCodec(['secret-one-0123456789']);
    for (let position = 4; position < id.length; position += 7) {
      const tampered = id.slice(0, position) + (id[position] === 'x' ? 'y' : 'x') + id.slice(position + 1);
      expect(await codec.open(tampered)).toBeUndefined();
    }
    expect(await createJobTokenCodec(['secret-two-0123456789']).open(id)).toBeUndefined();
  });

  it('open under a rotated secret list that still holds the old secret', async () => {
    const id = await createJobTokenCodec(['old-secret-0123456789']).seal(claims);
    expect(await createJobTokenCodec(['new-secret-0123456789', 'old-secret-0123456789']).open(id)).toEqual(claims);
  });

  it('reject garbage without throwing', async () => {
    const codec = createJobTokenCodec(['secret-one-0123456789']);
    for (const garbage of ['', 'job_', 'job_!!!', 'job_AAAA', 'nope', 'job_' + 'A'.repeat(500)]) {
      expect(await codec.open(garbage)).toBeUndefined();
    }
  });
});

describe('the two ciphers', () => {
  it('share one wire format, so ids move between Node and Workers', async () => {
    const secrets = ['old-secret-0123456789', 'shared-secret-0123456789'];
    const fromNode = await createCodec(['shared-secret-0123456789'], nodeCryptoCipher).seal(claims);
    const fromWeb = await createCodec(['shared-secret-0123456789'], webCryptoCipher).seal(claims);
    expect(await createCodec(secrets, webCryptoCipher).open(fromNode)).toEqual(claims);
    expect(await createCodec(secrets, nodeCryptoCipher).open(fromWeb)).toEqual(claims);
  });
});

describe('id spelling', () => {
  it('opens an id only in its one canonical base64url spelling', async () => {
    const codec = createCodec(['a-secret-of-sixteen-chars'], webCryptoCipher);
    const claims: JobClaims = { v: 1, provider: 'krea', provider_model: 'm', operation: { job_id: 'x' }, model: 'm', created_at: 0, input: { prompt: 'p' }, warnings: [], metadata: {} };
    const id = await codec.seal(claims);
    expect(await codec.open(id)).toEqual(claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const opened = [];
    for (const last of alphabet) if (last !== id.at(-1)) opened.push(await codec.open(id.slice(0, -1) + last));
    expect(opened.filter(Boolean)).toEqual([]);
  });
});
