import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config-error.ts';
import { openDirectoryOutputStore } from '../../src/node/directory-output-store.ts';
import { openOutputStore } from '../../src/node/open-output-store.ts';
import { failingStream, freshKey, outputStoreCases, patternBytes, readAll, streamOf } from './output-store-cases.ts';

const dir = mkdtempSync(join(tmpdir(), 'vidgate-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let roots = 0;
/** A store folder of its own (not created). */
const freshRoot = () => join(dir, `root-${(roots += 1)}`);

outputStoreCases('directory', async () => {
  const store = await openDirectoryOutputStore(freshRoot());
  return { store, close: () => store.close() };
});

const TWO_HOURS_AGO = new Date(Date.now() - 2 * 60 * 60 * 1000);
const HEX = '0123456789abcdef';

describe('directory output store: the folder', () => {
  it('creates its root, parents included, and names it in its description', async () => {
    const root = join(freshRoot(), 'deeper', 'outputs');
    const store = await openDirectoryOutputStore(root);
    expect(existsSync(root)).toBe(true);
    expect(store.description).toBe(`directory ${root}`);
  });

  it('keeps one file per object and a type sidecar, in a folder per job', async () => {
    const root = freshRoot();
    const store = await openDirectoryOutputStore(root);
    await store.put('job_a/0', streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
    expect(readdirSync(join(root, 'job_a')).sort()).toEqual(['0', '0.type']);
  });

  it('removes temporary files left by a crash at open, and nothing else', async () => {
    const root = freshRoot();
    mkdirSync(join(root, 'job_a'), { recursive: true });
    mkdirSync(join(root, 'job_b'), { recursive: true });
    const leftovers = [join(root, 'job_a', `0.partial-${HEX}`), join(root, 'job_a', `1.type.partial-${HEX}`), join(root, 'job_b', `3.partial-${HEX}`)];
    const kept = [
      join(root, 'job_a', '2'),
      join(root, 'job_a', '2.type'),
      join(root, 'job_a', 'notes.txt'),
      join(root, 'job_a', '0.partial-not-ours'),
      join(root, 'job_a', `0.partial-${HEX}.bak`),
      join(root, `0.partial-${HEX}`),
    ];
    for (const path of [...leftovers, ...kept]) {
      writeFileSync(path, 'x');
      utimesSync(path, TWO_HOURS_AGO, TWO_HOURS_AGO);
    }
    // Another process's write in progress: touched just now.
    const live = join(root, 'job_a', `4.partial-${'f'.repeat(16)}`);
    writeFileSync(live, 'x');

    await openDirectoryOutputStore(root);
    for (const path of leftovers) expect(existsSync(path), path).toBe(false);
    for (const path of [...kept, live]) expect(existsSync(path), path).toBe(true);
    // job_b held only a leftover: its folder goes with it.
    expect(existsSync(join(root, 'job_b'))).toBe(false);
  });

  it('leaves no temporary file (nor an empty job folder) when a write fails', async () => {
    const root = freshRoot();
    const store = await openDirectoryOutputStore(root);
    await store.put('job_a/0', streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
    await expect(store.put('job_a/0', failingStream(patternBytes(70_000)), { contentType: 'video/mp4' })).rejects.toThrow();
    await expect(store.put('job_a/1', failingStream(patternBytes(70_000)), { contentType: 'video/mp4' })).rejects.toThrow();
    expect(readdirSync(join(root, 'job_a')).sort()).toEqual(['0', '0.type']);
    await expect(store.put('job_b/0', failingStream(patternBytes(70_000)), { contentType: 'video/mp4' })).rejects.toThrow();
    expect(existsSync(join(root, 'job_b'))).toBe(false);
  });

  it('refuses a body longer or shorter than its declared length, keeping nothing', async () => {
    const root = freshRoot();
    const store = await openDirectoryOutputStore(root);
    await expect(store.put('job_a/0', streamOf(patternBytes(1_000)), { contentType: 'video/mp4', bytes: 999 })).rejects.toThrow(/expected 999 bytes/);
    await expect(store.put('job_a/0', streamOf(patternBytes(1_000)), { contentType: 'video/mp4', bytes: 1_001 })).rejects.toThrow(/expected 1001 bytes/);
    expect(await store.get('job_a/0')).toBeUndefined();
    expect(existsSync(join(root, 'job_a'))).toBe(false);
  });

  it('refuses keys that are not jobId/index with plain segments', async () => {
    const root = freshRoot();
    const store = await openDirectoryOutputStore(join(root, 'outputs'));
    const bad = ['../x', '../../etc/passwd', '/etc/passwd', 'job/../../x', 'job/..', 'job/.', '..', 'job', 'job/0/1', 'job/', '/0', '', 'job/0.type', 'job/0.partial-0123456789abcdef', 'job\\..\\x', 'job/0\0', 'jöb/0', 'job/ 0'];
    for (const key of bad) {
      await expect(store.put(key, streamOf(patternBytes(10)), { contentType: 'video/mp4' }), key).rejects.toThrow(/invalid output key/);
      await expect(store.get(key), key).rejects.toThrow(/invalid output key/);
      await expect(store.delete(key), key).rejects.toThrow(/invalid output key/);
    }
    expect(readdirSync(root)).toEqual(['outputs']);
    expect(readdirSync(join(root, 'outputs'))).toEqual([]);
  });

  it('removes a job folder once its last object is deleted', async () => {
    const root = freshRoot();
    const store = await openDirectoryOutputStore(root);
    await store.put('job_a/0', streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
    await store.put('job_a/1', streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
    await store.delete('job_a/0');
    expect(readdirSync(join(root, 'job_a')).sort()).toEqual(['1', '1.type']);
    await store.delete('job_a/1');
    expect(existsSync(join(root, 'job_a'))).toBe(false);
    await store.delete('job_a/1');
  });

  it('keeps objects across a reopen', async () => {
    const root = freshRoot();
    const bytes = patternBytes(5_000, 4);
    const first = await openDirectoryOutputStore(root);
    await first.put('job_a/0', streamOf(bytes), { contentType: 'video/webm' });
    await first.close();
    const again = await openDirectoryOutputStore(root);
    const object = await again.get('job_a/0');
    expect(object!.contentType).toBe('video/webm');
    expect(await readAll(object!.body)).toEqual(bytes);
  });

  it('reads the version it started reading, whatever replaces or deletes it meanwhile', async () => {
    const store = await openDirectoryOutputStore(freshRoot());
    const key = freshKey();
    const first = patternBytes(2_000_000, 8);
    await store.put(key, streamOf(first), { contentType: 'video/mp4' });
    const reader = (await store.get(key))!.body.getReader();
    const head = await reader.read();
    await store.put(key, streamOf(patternBytes(10, 9)), { contentType: 'video/mp4' });
    await store.delete(key);
    const chunks = [head.value!];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(first);
  });

  it('fails a body not yet read when its file is replaced or deleted, instead of mixing versions', async () => {
    const store = await openDirectoryOutputStore(freshRoot());
    const key = freshKey();
    await store.put(key, streamOf(patternBytes(1_000, 1)), { contentType: 'video/mp4' });
    const beforeReplace = await store.get(key);
    await store.put(key, streamOf(patternBytes(1_000, 2)), { contentType: 'video/mp4' });
    await expect(readAll(beforeReplace!.body)).rejects.toThrow(/replaced/);
    const beforeDelete = await store.get(key);
    await store.delete(key);
    await expect(readAll(beforeDelete!.body)).rejects.toThrow(/deleted/);
  });

  it('streams in chunks, not the whole file at once, and can be cancelled', async () => {
    const store = await openDirectoryOutputStore(freshRoot());
    const key = freshKey();
    await store.put(key, streamOf(patternBytes(3 * 1024 * 1024, 5)), { contentType: 'video/mp4' });
    const reader = (await store.get(key))!.body.getReader();
    const { value } = await reader.read();
    expect(value!.byteLength).toBeLessThanOrEqual(512 * 1024);
    await reader.cancel();
    await store.delete(key);
  });

  it('refuses work once closed; closing again is fine', async () => {
    const store = await openDirectoryOutputStore(freshRoot());
    await store.close();
    await store.close();
    await expect(store.get('job_a/0')).rejects.toThrow(/closed/);
  });
});

describe('openOutputStore', () => {
  it('keeps copies in <dataDir>/outputs when OUTPUT_STORE is unset or empty', async () => {
    for (const env of [{}, { OUTPUT_STORE: '' }, { OUTPUT_STORE: '  ' }]) {
      const dataDir = freshRoot();
      const store = await openOutputStore(env, dataDir);
      expect(store!.description).toBe(`directory ${join(dataDir, 'outputs')}`);
      expect(existsSync(join(dataDir, 'outputs'))).toBe(true);
      await store!.put('job_a/0', streamOf(patternBytes(100)), { contentType: 'video/mp4' });
      expect(existsSync(join(dataDir, 'outputs', 'job_a', '0'))).toBe(true);
      await store!.close();
      await store!.close();
    }
  });

  it('keeps no copies with OUTPUT_STORE=none', async () => {
    const dataDir = freshRoot();
    expect(await openOutputStore({ OUTPUT_STORE: 'none' }, dataDir)).toBeUndefined();
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses anything else with a ConfigError naming OUTPUT_STORE and the accepted forms', async () => {
    for (const value of ['ftp://x', 'file:///tmp/x', '/var/lib/outputs', 'nope']) {
      const refusal = openOutputStore({ OUTPUT_STORE: value }, freshRoot());
      await expect(refusal).rejects.toBeInstanceOf(ConfigError);
      await expect(refusal).rejects.toThrow(/OUTPUT_STORE: expected "none", an s3:\/\/bucket\/prefix URL, or unset/);
    }
  });

  it('does not echo the value it refuses (it may carry credentials)', async () => {
    await expect(openOutputStore({ OUTPUT_STORE: 'https://key:secret@example.com/b' }, freshRoot())).rejects.not.toThrow(/secret/);
  });

  it('opens s3:// with the S3 settings, refusing missing credentials with a ConfigError naming them', async () => {
    const refusal = openOutputStore({ OUTPUT_STORE: 's3://bucket/prefix' }, freshRoot());
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(/AWS_ACCESS_KEY_ID/);
    const store = await openOutputStore({ OUTPUT_STORE: 's3://bucket/prefix', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', S3_ENDPOINT: 'http://127.0.0.1:9' }, freshRoot());
    expect(store?.description).toMatch(/^s3:\/\/bucket\/prefix/);
    expect(store?.description).not.toContain('secret-example');
    await store?.close();
  });

  it('turns a data directory it cannot use into a ConfigError naming OUTPUT_STORE and the folder', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const refusal = openOutputStore({}, file);
    await expect(refusal).rejects.toBeInstanceOf(ConfigError);
    await expect(refusal).rejects.toThrow(new RegExp(`OUTPUT_STORE.*${join(file, 'outputs').replaceAll('/', '\\/')}`));
  });
});
