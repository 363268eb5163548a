/**
 * A driver process for the cross-process claim tests: opens the store on the file given, says
 * `ready`, waits for `go` on stdin (so both drivers start claiming together), claims due jobs (or,
 * with `deliveries`, due webhook deliveries) one small batch at a time until none is left, and
 * prints the ids it got as one JSON line.
 *
 * Usage: node sqlite-claim-driver.ts <database path> <holder> <now> [jobs|deliveries]
 */
import { once } from 'node:events';
import { openSqliteJobStore } from '../../src/node/sqlite-job-store.ts';

const [path, holder, now, what = 'jobs'] = process.argv.slice(2);
const store = openSqliteJobStore({ path: path!, busyTimeoutMs: 10_000 });
const claim = what === 'deliveries' ? store.claimDueDeliveries.bind(store) : store.claimDue.bind(store);
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const claimed: string[] = [];
for (;;) {
  const batch = await claim(holder!, Number(now), 3_600_000, 2);
  if (batch.length === 0) break;
  claimed.push(...batch.map((claimedOne) => claimedOne.id));
}
await store.close();
process.stdout.write(`${JSON.stringify(claimed)}\n`);
process.exit(0);
