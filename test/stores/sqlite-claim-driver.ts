/**
 * A driver process for the cross-process `claimDue` test: opens the store on the file given, says
 * `ready`, waits for `go` on stdin (so both drivers start claiming together), claims due jobs one
 * small batch at a time until none is left, and prints the ids it got as one JSON line.
 *
 * Usage: node sqlite-claim-driver.ts <database path> <holder> <now>
 */
import { once } from 'node:events';
import { openSqliteJobStore } from '../../src/node/sqlite-job-store.ts';

const [path, holder, now] = process.argv.slice(2);
const store = openSqliteJobStore({ path: path!, busyTimeoutMs: 10_000 });
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const claimed: string[] = [];
for (;;) {
  const batch = await store.claimDue(holder!, Number(now), 3_600_000, 2);
  if (batch.length === 0) break;
  claimed.push(...batch.map((record) => record.id));
}
await store.close();
process.stdout.write(`${JSON.stringify(claimed)}\n`);
process.exit(0);
