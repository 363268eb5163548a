/**
 * A driver process for the cross-process ledger tests: opens the store on the file given, says
 * `ready`, waits for `go` on stdin (so both drivers book together), tries `count` bookings of
 * `account` one after the other against `limits`, and prints the job ids admitted as one JSON line.
 *
 * Usage: node sqlite-ledger-driver.ts <database path> <account> <label> <count> <at> <amount micros> <limits as JSON>
 */
import { once } from 'node:events';
import { openSqliteJobStore } from '../../src/node/sqlite-job-store.ts';

const [path, account, label, count, at, amountMicros, limits] = process.argv.slice(2);
const store = openSqliteJobStore({ path: path!, busyTimeoutMs: 10_000 });
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const admitted: string[] = [];
for (let index = 0; index < Number(count); index++) {
  const jobId = `job_${label}${index.toString().padStart(3, '0')}`;
  const booking = { jobId, account: account!, model: 'kling-2.5', provider: 'krea', amountMicros: Number(amountMicros), providerUnits: null, unit: null, at: Number(at) + index };
  if ((await store.admitBooking(booking, JSON.parse(limits!))) === undefined) admitted.push(jobId);
}
await store.close();
process.stdout.write(`${JSON.stringify(admitted)}\n`);
process.exit(0);
