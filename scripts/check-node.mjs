// npm scripts must run on the Node 24 binary that the `node` devDependency installs into
// node_modules/.bin. When install scripts were skipped (npm ci --ignore-scripts), npm silently
// falls back to the machine's Node, and things fail later with confusing errors; fail here instead.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `vidgate needs Node >= 24 (this is ${process.versions.node}).\n` +
      'Run `npm ci` without --ignore-scripts so the pinned Node 24 devDependency installs, ' +
      'or use Node 24 directly.',
  );
  process.exit(1);
}
