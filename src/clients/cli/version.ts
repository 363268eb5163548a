/** The package's version, from the package.json above this file (the same from the sources and from build/). */
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  for (let url = new URL('./package.json', import.meta.url); ; url = new URL('../package.json', url)) {
    try {
      const manifest = JSON.parse(readFileSync(url, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'vidgate' && manifest.version) return manifest.version;
    } catch {
      // Not here (or not readable): look one directory up.
    }
    if (new URL('../package.json', url).href === url.href) return 'unknown';
  }
}
