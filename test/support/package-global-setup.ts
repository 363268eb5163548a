/**
 * Builds the package's client surfaces (`npm run build:package`) once per run, so the tests drive the
 * same JavaScript a user installs (`vidgate/ai-sdk`, the `vidgate` bin) and never a stale build.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildPackage(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
