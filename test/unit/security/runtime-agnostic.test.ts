import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('../../../src/security', import.meta.url));
const FILES = readdirSync(DIR).filter((name) => name.endsWith('.ts'));

// The Worker runs without Node.js compatibility; the type check cannot tell, since it sees Node's types.
describe('the security modules, which run on Workers as well as Node', () => {
  it.each(FILES)('%s uses no Node-only module or global', (name) => {
    const source = readFileSync(join(DIR, name), 'utf8');
    expect(source).not.toMatch(/from\s+'node:|import\(\s*'node:|\brequire\(|\bBuffer\b|\bprocess\./);
  });
});
