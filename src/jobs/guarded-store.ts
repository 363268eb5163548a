/**
 * The job store as core uses it: any failure of the store itself (PostgreSQL down, disk full, a
 * Durable Object unreachable) becomes 503 `store_unavailable`, logged once with its cause. Nothing
 * reaches a provider without a record, so a create that cannot write answers 503 before any call.
 */
import { GatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { JobStore, ScannableJobStore } from './store/job-store.ts';

export function storeUnavailable(cause?: unknown): GatewayError {
  return new GatewayError({ status: 503, code: 'store_unavailable', message: 'The job store is unavailable; nothing was sent to a provider. Retry later.', retryable: true, retryAfterMs: 5_000, cause });
}

/** `store` with every failure turned into {@link storeUnavailable}. */
export function guardStore<T extends JobStore | ScannableJobStore>(store: T, log: Logger): T {
  const guarded: Record<string, unknown> = {};
  // Every method of the port (JobStore and ScannableJobStore): one missing here would be missing from the guarded store.
  const methods = ['create', 'get', 'replace', 'listDeliveries', 'getDelivery', 'replaceDelivery', 'acquireLease', 'list', 'releaseClaim', 'delete', 'waitForChange', 'close', 'claimDue', 'claimDueDeliveries', 'admitBooking', 'settleBooking', 'releaseBooking', 'usage'] as const;
  for (const name of methods) {
    const method = (store as unknown as Record<string, ((...args: unknown[]) => Promise<unknown>) | undefined>)[name];
    if (!method) continue;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(store, args);
      } catch (error) {
        if (error instanceof GatewayError) throw error;
        log('store_error', { operation: name, message: error instanceof Error ? error.message : String(error) });
        throw storeUnavailable(error);
      }
    };
  }
  return guarded as T;
}
