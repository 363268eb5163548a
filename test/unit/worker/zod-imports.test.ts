import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('code that imports zod', () => {
  // The Worker bundle has no zod at all (scripts/worker-bundle-check.ts refuses it), but the
  // package's clients import it, and whoever bundles them gets the same effect: `import { z } from
  // 'zod'` pulls zod's whole `z` namespace object, every locale included (632 KiB minified, as
  // measured on the Worker when it still validated with zod); `import * as z` lets the bundler
  // keep only what is used (325 KiB).
  it('imports zod as a namespace so the bundler can drop what is unused', () => {
    const offenders = ['src', 'providers', 'openapi']
      .flatMap(sourceFiles)
      .filter((file) => /import\s+(type\s+)?\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
