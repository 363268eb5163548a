#!/usr/bin/env node
/**
 * The `vidgate` bin (package.json `bin`, built to build/src/clients/cli/main.js). `node` is whichever
 * one is on PATH, so the version is checked before anything else loads.
 */
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`error: vidgate needs Node 24 or later; this is Node ${process.versions.node}\n`);
  process.exit(1);
}
// A closed pipe (`vidgate jobs list | head -1`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { run } = await import('./program.ts');
process.exitCode = await run(process.argv);
