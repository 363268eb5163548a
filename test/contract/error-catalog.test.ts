/**
 * The error catalog (src/error-catalog.ts) is what the document publishes, so it must list every
 * code the source can produce, and nothing the source never produces. This reads the source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, JOB_ERROR_CODES, WARNING_CODES } from '../../src/error-catalog.ts';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** How codes appear in the source: `code: '…'`, helpers' default and explicit code arguments, and `unsupported_${field}`. */
const CODE_PATTERNS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/\bcode:\s*'([a-z][a-z0-9_]*)'/g, (match) => match[1]!],
  // A helper's default code (`code = 'invalid_request'`).
  [/\bcode\s*=\s*'([a-z][a-z0-9_]*)'/g, (match) => match[1]!],
  [/\b(?:unsupported|unauthorized)\(\s*'([a-z][a-z0-9_]*)'/g, (match) => match[1]!],
  // The code is their third argument (the second is the `param`, which may look like a code too).
  [/\b(?:invalidRequest|fail)\([^;]*?,[^;,]*,\s*'([a-z]+_[a-z0-9_]+)'\)/g, (match) => match[1]!],
  [/\bpickChoice\(\s*'([a-z][a-z0-9_]*)'/g, (match) => `unsupported_${match[1]!}`],
];

/**
 * Folders whose codes are not the gateway's: the package's clients (the AI SDK provider, the CLI)
 * have codes of their own, which the gateway never answers with, and the validation library's
 * issue codes (`invalid_type`, …) are internal (a request's issue becomes `invalid_request` & co.).
 */
const NOT_GATEWAY_CODES = [join(SRC, 'clients'), join(SRC, 'validation')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return NOT_GATEWAY_CODES.includes(path) ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && entry.name !== 'error-catalog.ts' ? [path] : [];
  });
}

function codesInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const [pattern, code] of CODE_PATTERNS) for (const match of text.matchAll(pattern)) found.add(code(match));
  }
  return found;
}

describe('the error catalog', () => {
  const published = new Set([...ERROR_CODES.map((entry) => entry.code), ...Object.keys(WARNING_CODES), ...Object.keys(JOB_ERROR_CODES)]);
  const inSource = codesInSource();

  it('lists every code the source can produce (add new ones to src/error-catalog.ts)', () => {
    expect([...inSource].filter((code) => !published.has(code)).sort()).toEqual([]);
  });

  it('lists no code the source never produces', () => {
    expect([...published].filter((code) => !inSource.has(code)).sort()).toEqual([]);
  });

  it('gives each code one status, except missing_parameter (a missing field is 400; a field the model needs is 422)', () => {
    const statuses = new Map<string, number[]>();
    for (const entry of ERROR_CODES) statuses.set(entry.code, [...new Set([...(statuses.get(entry.code) ?? []), entry.status])]);
    const several = [...statuses].filter(([, list]) => list.length > 1);
    expect(several).toEqual([['missing_parameter', [400, 422]]]);
  });
});
