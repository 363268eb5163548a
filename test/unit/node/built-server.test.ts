/** When src/node.ts may load the bundled server instead of the sources: only while every input is as it was built. */
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_SERVER_DIR, freshBuiltServer, MANIFEST_FILE, type BuiltServerManifest } from '../../../src/node/built-server.ts';

let root: string;
const dir = () => join(root, BUILT_SERVER_DIR);

function build(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  mkdirSync(dir(), { recursive: true });
  const inputs = Object.keys(files).map((path): [string, number, number] => {
    const stats = statSync(join(root, path));
    return [path, stats.size, stats.mtimeMs];
  });
  const manifest: BuiltServerManifest = { entry: 'main.mjs', inputs };
  writeFileSync(join(dir(), MANIFEST_FILE), JSON.stringify(manifest));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vidgate-built-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the bundled server', () => {
  it('is used while every input has the size and modification time it was built from', () => {
    build({ 'a.ts': 'export const a = 1;', 'b.ts': 'export const b = 2;' });
    expect(freshBuiltServer(root)).toBe(pathToFileURL(join(dir(), 'main.mjs')).href);
  });

  it('is not used once an input was edited, even to the same size', () => {
    build({ 'a.ts': 'export const a = 1;' });
    writeFileSync(join(root, 'a.ts'), 'export const a = 2;');
    utimesSync(join(root, 'a.ts'), new Date(), new Date(Date.now() + 5_000));
    expect(freshBuiltServer(root)).toBeUndefined();
  });

  it('is not used once an input changed size, or is gone', () => {
    build({ 'a.ts': 'export const a = 1;', 'b.ts': 'export const b = 2;' });
    const { mtime } = statSync(join(root, 'a.ts'));
    writeFileSync(join(root, 'a.ts'), 'export const a = 10;');
    utimesSync(join(root, 'a.ts'), mtime, mtime);
    expect(freshBuiltServer(root)).toBeUndefined();
    build({ 'a.ts': 'export const a = 1;', 'b.ts': 'export const b = 2;' });
    rmSync(join(root, 'b.ts'));
    expect(freshBuiltServer(root)).toBeUndefined();
  });

  it('is not used when there is no bundle, or its manifest is unreadable', () => {
    expect(freshBuiltServer(root)).toBeUndefined();
    mkdirSync(dir(), { recursive: true });
    writeFileSync(join(dir(), MANIFEST_FILE), '{"entry": "main.mjs", "inputs": [');
    expect(freshBuiltServer(root)).toBeUndefined();
  });
});
