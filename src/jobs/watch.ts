/**
 * Waiting on a job without polling its provider (event streams, `Prefer: wait`): watchers wait on
 * the store, never the provider, which the driver polls on its schedule anyway. One watch per job
 * per instance is shared by all its watchers. Where the store can hold waiters beside the job (a
 * job's Durable Object: `waitForChange`), the watch waits there; otherwise it reads the job a few
 * times a second. A write this instance makes reaches watchers at once either way. A watcher that
 * goes away frees everything it held; the last one ends the watch.
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
  /** Ends the store reads or waits. */
  stop(): void;
}

/** How long one `waitForChange` call waits before the watch asks again (and notices it has no watchers). */
const STORE_WAIT_MS = 20_000;
/** After a failed store call, the watch tries again this much later. */
const RETRY_MS = 1_000;

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
  if (!watch) hub.set(current.id, (watch = startWatch(deps, current)));
  const active = watch;
  active.watchers.add(watcher);
  return () => {
    active.watchers.delete(watcher);
    if (active.watchers.size > 0) return;
    active.stop();
    if (hub.get(current.id) === active) hub.delete(current.id);
  };
}

function startWatch(deps: LifecycleDeps, current: JobRecord): Watch {
  const watch: Watch = { watchers: new Set(), version: current.version, stop: () => {} };
  if (deps.store.waitForChange) {
    let stopped = false;
    watch.stop = () => (stopped = true);
    void waitInStore(deps, current.id, watch, () => stopped);
  } else {
    const timer = setInterval(() => {
      deps.store.get(current.id).then((record) => record && deliver(watch, record), () => undefined);
    }, WATCH_READ_MS);
    (timer as { unref?: () => void }).unref?.();
    watch.stop = () => clearInterval(timer);
  }
  return watch;
}

/** Waits on the job in the store, one change after another, until the watch stops or the job ends. */
async function waitInStore(deps: LifecycleDeps, id: string, watch: Watch, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    try {
      const record = await deps.store.waitForChange!(id, watch.version, STORE_WAIT_MS);
      if (record) deliver(watch, record);
      if (record && isTerminal(record.status)) return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

/** How many watchers this instance holds for the job (what a client leaving must bring back down). */
export function watcherCount(deps: LifecycleDeps, jobId: string): number {
  return hubs.get(deps)?.get(jobId)?.watchers.size ?? 0;
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
