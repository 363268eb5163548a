/**
 * The job store in process memory: the reference implementation of the port (what the others are
 * held to by the conformance suite) and the store of unit tests. Nothing survives the process, so
 * no runtime uses it by default. Records are copied in and out, as a real store would.
 */
import type { CreateOutcome, IdempotencyClaim, JobRecord, ListQuery, ScannableJobStore, WebhookDelivery } from './job-store.ts';
import { changeWaiters } from './change-waiters.ts';
import { compareInListOrder } from './list-order.ts';
import { memoryLedger } from './memory-ledger.ts';

interface StoredClaim extends IdempotencyClaim {
  jobId: string;
}

export function memoryJobStore(): ScannableJobStore {
  const records = new Map<string, JobRecord>();
  const claims = new Map<string, StoredClaim>();
  const deliveries = new Map<string, WebhookDelivery>();
  const ofJob = (jobId: string) => [...deliveries.values()].filter((delivery) => delivery.jobId === jobId).sort((a, b) => a.sequence - b.sequence);
  const firstUnfinished = (jobId: string) => ofJob(jobId).find((delivery) => delivery.state === 'pending');
  const claimKey = (owner: string, key: string) => `${owner}\u0000${key}`;
  const copy = (record: JobRecord) => structuredClone(record);
  const waiters = changeWaiters();
  const write = (record: JobRecord, version: number) => {
    const stored = { ...copy(record), version };
    records.set(record.id, stored);
    waiters.notify(record.id);
    return copy(stored);
  };
  const leaseFree = (record: JobRecord, holder: string, now: number) => record.leaseUntil <= now || record.leaseHolder === holder;

  return {
    ...memoryLedger(),
    async create(record, claim): Promise<CreateOutcome> {
      if (records.has(record.id)) throw new Error(`job ${record.id} exists`);
      if (claim) {
        const existing = claims.get(claimKey(record.owner, claim.key));
        if (existing && existing.expiresAt > record.createdAt) return { created: false, jobId: existing.jobId, requestHash: existing.requestHash };
        claims.set(claimKey(record.owner, claim.key), { ...claim, jobId: record.id });
      }
      return { created: true, record: write(record, 1) };
    },
    async get(id) {
      const record = records.get(id);
      return record && copy(record);
    },
    async replace(next, outbox = []) {
      const current = records.get(next.id);
      if (!current || current.version !== next.version) return undefined;
      for (const delivery of outbox) {
        if (deliveries.has(delivery.id)) throw new Error(`delivery ${delivery.id} exists`);
      }
      for (const delivery of outbox) deliveries.set(delivery.id, { ...structuredClone(delivery), version: 1 });
      return write(next, next.version + 1);
    },
    async listDeliveries(jobId) {
      return ofJob(jobId).map((delivery) => structuredClone(delivery));
    },
    async getDelivery(jobId, id) {
      const delivery = deliveries.get(id);
      return delivery && delivery.jobId === jobId ? structuredClone(delivery) : undefined;
    },
    async replaceDelivery(next) {
      const current = deliveries.get(next.id);
      if (!current || current.version !== next.version || current.jobId !== next.jobId) return undefined;
      const stored = { ...structuredClone(next), version: next.version + 1 };
      deliveries.set(next.id, stored);
      return structuredClone(stored);
    },
    async claimDueDeliveries(holder, now, leaseMs, limit) {
      const jobs = new Set([...deliveries.values()].map((delivery) => delivery.jobId));
      const due = [...jobs]
        .map(firstUnfinished)
        .filter((delivery): delivery is WebhookDelivery => delivery !== undefined && delivery.nextAttemptAt !== null && delivery.nextAttemptAt <= now && delivery.leaseUntil <= now)
        .sort((a, b) => a.nextAttemptAt! - b.nextAttemptAt!)
        .slice(0, limit);
      return due.map((delivery) => {
        const stored = { ...delivery, leaseHolder: holder, leaseUntil: now + leaseMs, version: delivery.version + 1 };
        deliveries.set(delivery.id, stored);
        return structuredClone(stored);
      });
    },
    async acquireLease(id, holder, now, leaseMs) {
      const current = records.get(id);
      if (!current || !leaseFree(current, holder, now)) return undefined;
      return write({ ...current, leaseHolder: holder, leaseUntil: now + leaseMs }, current.version + 1);
    },
    async claimDue(holder, now, leaseMs, limit) {
      const due = [...records.values()]
        .filter((record) => record.nextPollAt !== null && record.nextPollAt <= now && leaseFree(record, '\u0000', now))
        .sort((a, b) => a.nextPollAt! - b.nextPollAt!)
        .slice(0, limit);
      return due.map((record) => write({ ...record, leaseHolder: holder, leaseUntil: now + leaseMs }, record.version + 1));
    },
    async list(owner, query: ListQuery) {
      // One comparison both sorts and places the cursor, so the page after it is exactly the rest of the order.
      const compare = compareInListOrder(query.order);
      const after = query.after;
      return [...records.values()]
        .filter((record) => record.owner === owner && (!query.status || record.status === query.status))
        .filter((record) => !after || compare(record, after) > 0)
        .sort(compare)
        .slice(0, Math.max(0, query.limit))
        .map(copy);
    },
    async releaseClaim(owner, key) {
      claims.delete(claimKey(owner, key));
    },
    async delete(id) {
      records.delete(id);
      for (const delivery of ofJob(id)) deliveries.delete(delivery.id);
      waiters.notify(id);
    },
    waitForChange(id, afterVersion, timeoutMs) {
      const read = () => {
        const record = records.get(id);
        return record && copy(record);
      };
      return waiters.wait(id, read, afterVersion, timeoutMs);
    },
    async close() {},
  };
}
