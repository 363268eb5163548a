/** Status tables: a provider's documented statuses and what they mean in the gateway's terms. */
import type { JobStatus } from '../types.ts';

/**
 * A provider's status table as a `Map`, so that looking up a status the provider sent can only
 * find the documented entries (`"constructor"` or `"__proto__"` are not statuses).
 */
export function statusTable(entries: Readonly<Record<string, JobStatus>>): ReadonlyMap<string, JobStatus> {
  return new Map(Object.entries(entries));
}
