/**
 * Running vidgate from a production install: Node 24 is the stated requirement everywhere it is
 * stated, the hint for a too-old Node names the actual cause, and the Dockerfile is a production
 * image (dependencies only, non-root, data volume, the plain entry).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface NodeRequirement {
  REQUIRED_NODE_MAJOR: number;
  nodeRequirementProblem(version: string, root: string): string | undefined;
}
// Plain JavaScript (it runs on old Nodes too), so it is imported by URL, untyped.
const requirement = (await import(new URL('../../../scripts/node-requirement.mjs', import.meta.url).href)) as NodeRequirement;

/** A project folder laid out as an install of the given kind leaves it. */
function install(kind: 'none' | 'production' | 'ignore-scripts' | 'development'): string {
  const root = mkdtempSync(join(tmpdir(), 'vidgate-install-'));
  if (kind === 'none') return root;
  mkdirSync(join(root, 'node_modules', 'hono'), { recursive: true });
  if (kind === 'production') return root;
  mkdirSync(join(root, 'node_modules', 'node'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'node', 'package.json'), '{"name": "node"}');
  if (kind === 'ignore-scripts') return root;
  mkdirSync(join(root, 'node_modules', 'node', 'bin'));
  writeFileSync(join(root, 'node_modules', 'node', 'bin', 'node'), '');
  return root;
}

describe('the Node requirement', () => {
  it('is Node 24 in engines, in the dev dependency that npm scripts run on, and in the check', () => {
    expect(packageJson.engines.node).toBe(`>=${requirement.REQUIRED_NODE_MAJOR}`);
    expect(packageJson.devDependencies.node.split('.')[0]).toBe(String(requirement.REQUIRED_NODE_MAJOR));
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(new RegExp(`^FROM node:${requirement.REQUIRED_NODE_MAJOR}\\b`, 'm'));
  });

  it('is met by Node 24 and later, whatever the install', () => {
    for (const version of ['24.0.0', '24.21.0', '25.1.0']) expect(requirement.nodeRequirementProblem(version, install('production'))).toBeUndefined();
  });

  it('tells a production install on an old Node to install Node 24 and start with node src/node.ts', () => {
    const hint = requirement.nodeRequirementProblem('20.20.2', install('production'))!;
    expect(hint).toContain('this is Node 20.20.2');
    expect(hint).toContain('production install');
    expect(hint).toContain('node src/node.ts');
    expect(hint).not.toContain('--ignore-scripts');
  });

  it('tells a development install whose scripts were skipped to run npm ci without --ignore-scripts', () => {
    const hint = requirement.nodeRequirementProblem('20.20.2', install('ignore-scripts'))!;
    expect(hint).toContain('without --ignore-scripts');
    expect(hint).not.toContain('production install');
  });

  it('tells a checkout without node_modules to run npm ci, and a full install to run through npm', () => {
    expect(requirement.nodeRequirementProblem('22.1.0', install('none'))).toContain('Run `npm ci` first');
    expect(requirement.nodeRequirementProblem('22.1.0', install('development'))).toContain('Run it through npm');
  });

  it('passes on the Node that npm scripts run on here', () => {
    const check = spawnSync(process.execPath, ['scripts/check-node.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stderr).toBe('');
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+\s/.test(line));

  it('installs the runtime dependencies only, from the lockfile', () => {
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
  });

  it('runs the plain entry as a non-root user, listening on all interfaces on 8787', () => {
    expect(instructions).toContain('CMD ["node", "--max-semi-space-size=16", "src/node.ts"]');
    expect(instructions).toContain('USER node');
    expect(instructions.indexOf('USER node')).toBeLessThan(instructions.findIndex((line) => line.startsWith('CMD')));
    expect(instructions).toContain('EXPOSE 8787');
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('keeps a data volume the non-root user owns', () => {
    expect(dockerfile).toMatch(/VIDGATE_DATA_DIR=\/data/);
    expect(instructions).toContain('VOLUME ["/data"]');
    expect(dockerfile).toMatch(/chown node:node \/data/);
  });
});
