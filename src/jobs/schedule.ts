/**
 * When the driver looks at a live job next: the provider's interval at first, growing by half while
 * nothing changes, up to the ceiling; back to the start when the job moves. `POLL_INTERVAL_MS`
 * fixes one interval for everything, without backoff.
 */
import type { LifecycleSettings } from '../config.ts';

const BACKOFF = 1.5;

/** The interval for the next poll, given the current one and whether the last poll saw a change. */
export function nextPollInterval(current: number | null, changed: boolean, providerIntervalMs: number, lifecycle: LifecycleSettings): number {
  if (lifecycle.fixedPollIntervalMs !== undefined) return lifecycle.fixedPollIntervalMs;
  if (current === null || changed) return providerIntervalMs;
  const ceiling = Math.max(lifecycle.maxPollIntervalMs, providerIntervalMs);
  return Math.min(ceiling, Math.max(providerIntervalMs, Math.round(current * BACKOFF)));
}
