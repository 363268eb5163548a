/**
 * Waiters for `JobStore.waitForChange`, for stores that see every write to a job in one place
 * (the memory store; a job's Durable Object). The store calls `notify` after each write or delete
 * of a job; `wait` resolves with the record once it is newer than asked, or `undefined` once the
 * time is up or the job is gone.
 */
import type { JobRecord } from './job-store.ts';

/** A waiter is never held longer than this, whatever it asked for. */
const MAX_WAIT_MS = 60_000;

export interface ChangeWaiters {
  notify(id: string): void;
  wait(id: string, read: () => JobRecord | undefined, afterVersion: number, timeoutMs: number): Promise<JobRecord | undefined>;
}

export function changeWaiters(): ChangeWaiters {
  const waiting = new Map<string, Set<() => void>>();
  return {
    notify(id) {
      const waiters = waiting.get(id);
      if (waiters) for (const waiter of [...waiters]) waiter();
    },
    wait(id, read, afterVersion, timeoutMs) {
      const current = read();
      if (!current || current.version > afterVersion) return Promise.resolve(current);
      return new Promise((resolve) => {
        const waiters = waiting.get(id) ?? new Set();
        waiting.set(id, waiters);
        const finish = (record: JobRecord | undefined) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (waiters.size === 0) waiting.delete(id);
          resolve(record);
        };
        const check = () => {
          const record = read();
          if (!record || record.version > afterVersion) finish(record);
        };
        const timer = setTimeout(() => finish(undefined), Math.min(Math.max(0, timeoutMs), MAX_WAIT_MS));
        waiters.add(check);
      });
    },
  };
}
