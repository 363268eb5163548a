/**
 * README examples are files the tests run: the README must show each one verbatim in a fenced block,
 * so what a reader copies is exactly what was tested.
 */
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** The example's text as the README must show it (without the trailing newline). */
export function exampleText(path: string): string {
  return read(path).trim();
}

/** Whether README.md shows the file verbatim in a block fenced with the given language (`ts`, `sh`…). */
export function readmeShows(path: string, language: string): boolean {
  return read('README.md').includes(`\`\`\`${language}\n${exampleText(path)}\n\`\`\``);
}
