// npm's `prestart` and `pretest` hook: fail early, with the right hint, when the Node that npm
// found is too old (see node-requirement.mjs), instead of failing later with confusing errors.
import { fileURLToPath } from 'node:url';
import { nodeRequirementProblem } from './node-requirement.mjs';

const problem = nodeRequirementProblem(process.versions.node, fileURLToPath(new URL('..', import.meta.url)));
if (problem) {
  console.error(problem);
  process.exit(1);
}
