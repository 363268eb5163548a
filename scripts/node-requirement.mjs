// Plain JavaScript, not TypeScript: this runs on whatever Node the machine has (npm's `prestart`
// and `pretest` hooks run it before anything else), which may be too old to strip types.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The Node major version vidgate runs on (package.json `engines`). */
export const REQUIRED_NODE_MAJOR = 24;

/**
 * Why the running Node cannot run vidgate, with what to do about it, or `undefined` when it can.
 * npm scripts normally run on the Node 24 that the `node` devDependency installs (npm puts
 * node_modules/.bin first on PATH); when that binary is missing, npm silently uses the machine's
 * Node, so the hint depends on why it is missing.
 *
 * @param {string} version `process.versions.node`
 * @param {string} root the project folder
 * @returns {string | undefined}
 */
export function nodeRequirementProblem(version, root) {
  if (Number(version.split('.')[0]) >= REQUIRED_NODE_MAJOR) return undefined;
  const problem = `vidgate needs Node ${REQUIRED_NODE_MAJOR} or later; this is Node ${version}.`;
  const devNode = join(root, 'node_modules', 'node');
  if (!existsSync(join(root, 'node_modules'))) {
    return `${problem} Run \`npm ci\` first: it installs Node ${REQUIRED_NODE_MAJOR} as a dev dependency, and npm scripts run on it.`;
  }
  if (!existsSync(join(devNode, 'package.json'))) {
    return (
      `${problem} This is a production install (\`npm ci --omit=dev\`), which leaves out the Node ${REQUIRED_NODE_MAJOR} dev dependency, ` +
      `so npm ran the machine's Node. Install Node ${REQUIRED_NODE_MAJOR} on this machine (or use the Dockerfile) and start the gateway ` +
      'with `node src/node.ts`; see "Running in production" in README.md.'
    );
  }
  if (!existsSync(join(devNode, 'bin', 'node')) && !existsSync(join(devNode, 'bin', 'node.exe'))) {
    return (
      `${problem} The Node ${REQUIRED_NODE_MAJOR} dev dependency is installed without its binary, which happens when install scripts ` +
      'were skipped (`npm ci --ignore-scripts`): run `npm ci` without --ignore-scripts.'
    );
  }
  return `${problem} Run it through npm (\`npm start\`, \`npm test\`), which runs the dev dependency's Node ${REQUIRED_NODE_MAJOR} (node_modules/.bin/node).`;
}
