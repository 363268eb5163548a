/**
 * Waiting on a job without polling its provider (event streams, `Prefer: wait`): watchers read the
 * store, never the provider, which the driver polls on its schedule anyway. One watch per job per
 * instance, shared by all its watchers, reads the store a few times a second; a write this instance
 * makes reaches them at once. A watcher that goes away frees everything it held.
 */
import type { LifecycleDeps } from './lifecycle.ts';
import { isTerminal } from './observation.ts';
import type { JobRecord } from './store/job-store.ts';

/** How often a watched job is read from the store (changes made by other instances arrive this late at most). */
const WATCH_READ_MS = 250;

type Watcher = (record: JobRecord) => void;

interface Watch {
  watchers: Set<Watcher>;
  version: number;
  timer: ReturnType<typeof setInterval>;
}

const hubs = new WeakMap<LifecycleDeps, Map<string, Watch>>();

function hubOf(deps: LifecycleDeps): Map<string, Watch> {
  let hub = hubs.get(deps);
  if (!hub) {
    const created = new Map<string, Watch>();
    deps.listeners.add((record) => deliver(created.get(record.id), record));
    hubs.set(deps, (hub = created));
  }
  return hub;
}

function deliver(watch: Watch | undefined, record: JobRecord): void {
  if (!watch || record.version <= watch.version) return;
  watch.version = record.version;
  for (const watcher of [...watch.watchers]) watcher(record);
}

/** Calls `watcher` with every newer version of the job from `current` on; returns how to stop. */
export function watchJob(deps: LifecycleDeps, current: JobRecord, watcher: Watcher): () => void {
  const hub = hubOf(deps);
  let watch = hub.get(current.id);
  if (!watch) {
    const created: Watch = {
      watchers: new Set(),
      version: current.version,
      timer: setInterval(() => {
        deps.store.get(current.id).then((record) => record && deliver(created, record), () => undefined);
      }, WATCH_READ_MS),
    };
    (created.timer as { unref?: () => void }).unref?.();
    hub.set(current.id, (watch = created));
  }
  const active = watch;
  active.watchers.add(watcher);
  return () => {
    active.watchers.delete(watcher);
    if (active.watchers.size > 0) return;
    clearInterval(active.timer);
    if (hub.get(current.id) === active) hub.delete(current.id);
  };
}

/** The job once it is terminal, or as it is after `ms`, or when `signal` aborts (the client left). */
export function waitForJob(deps: LifecycleDeps, current: JobRecord, ms: number, signal?: AbortSignal): Promise<JobRecord> {
  if (isTerminal(current.status)) return Promise.resolve(current);
  return new Promise((resolve) => {
    let latest = current;
    const finish = () => {
      stop();
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve(latest);
    };
    const stop = watchJob(deps, current, (record) => {
      latest = record;
      if (isTerminal(record.status)) finish();
    });
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish);
  });
}
