/**
 * Waiting on a job without polling its provider (event streams, `Prefer: wait`): watchers wait on
 * the store, never the provider, which the driver polls on its schedule anyway. Two ways, by store:
 *
 * - A store that holds waiters beside the job (a job's Durable Object: `waitForChange`): each
 *   watcher waits there on its own, in its own request. The object answers on its next write, so
 *   it fans out to every isolate; and nothing is shared between requests, which Workers forbid
 *   (a request may not write to another request's stream, nor wait on its I/O).
 * - Any other store (SQLite, PostgreSQL): one watch per job per instance, shared by all its
 *   watchers, reads the job a few times a second (other instances' writes arrive that late at
 *   most), and this instance's own writes reach the watchers at once.
 *
 * A watcher that goes away frees what it held in this instance at once.
 */
import type { LifecycleDeps } from './lifecycle.ts';
import { isTerminal } from './observation.ts';
import type { JobRecord } from './store/job-store.ts';

/** How often a shared watch reads its job from the store. */
const WATCH_READ_MS = 250;
/** How long one `waitForChange` call may wait (the store's waiter outlives a watcher that left by at most this). */
const STORE_WAIT_MS = 20_000;
/** After a failed store call, a waiting watcher tries again this much later. */
const RETRY_MS = 1_000;

type Watcher = (record: JobRecord) => void;

interface SharedWatch {
  watchers: Set<Watcher>;
  version: number;
  timer: ReturnType<typeof setInterval>;
}

const shared = new WeakMap<LifecycleDeps, Map<string, SharedWatch>>();
/** Every watcher this instance holds, by job: what it does when the instance shuts down. */
const active = new WeakMap<LifecycleDeps, Map<string, Set<() => void>>>();

/**
 * Calls `watcher` with every newer version of the job from `current` on; returns how to stop.
 * `onShutdown` is called (once) if the instance shuts down first ({@link endAllWatches}).
 */
export function watchJob(deps: LifecycleDeps, current: JobRecord, watcher: Watcher, onShutdown: () => void = () => {}): () => void {
  const stopWaiting = deps.store.waitForChange ? waitInStore(deps, current, watcher) : joinSharedWatch(deps, current, watcher);
  const registered = registryOf(deps, current.id);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    registered.delete(shutdown);
    if (registered.size === 0) active.get(deps)?.delete(current.id);
    stopWaiting();
  };
  const shutdown = () => {
    stop();
    onShutdown();
  };
  registered.add(shutdown);
  return stop;
}

/** Ends every watch of this instance (it is shutting down): streams end, waits answer with the job as it is. */
export function endAllWatches(deps: LifecycleDeps): void {
  for (const watchers of [...(active.get(deps)?.values() ?? [])]) for (const shutdown of [...watchers]) shutdown();
}

/** How many watchers this instance holds for the job (what a client leaving must bring back down). */
export function watcherCount(deps: LifecycleDeps, jobId: string): number {
  return active.get(deps)?.get(jobId)?.size ?? 0;
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
    const stop = watchJob(
      deps,
      current,
      (record) => {
        latest = record;
        if (isTerminal(record.status)) finish();
      },
      () => finish(),
    );
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish);
  });
}

function registryOf(deps: LifecycleDeps, id: string): Set<() => void> {
  let byJob = active.get(deps);
  if (!byJob) active.set(deps, (byJob = new Map()));
  let watchers = byJob.get(id);
  if (!watchers) byJob.set(id, (watchers = new Set()));
  return watchers;
}

/** One watcher waiting in the store, one change after another, until it stops or the job ends. */
function waitInStore(deps: LifecycleDeps, current: JobRecord, watcher: Watcher): () => void {
  let stopped = false;
  let version = current.version;
  const loop = async () => {
    while (!stopped) {
      try {
        const record = await deps.store.waitForChange!(current.id, version, STORE_WAIT_MS);
        if (stopped || !record || record.version <= version) continue;
        version = record.version;
        watcher(record);
        if (isTerminal(record.status)) return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  };
  void loop();
  return () => (stopped = true);
}

function joinSharedWatch(deps: LifecycleDeps, current: JobRecord, watcher: Watcher): () => void {
  const watches = sharedWatchesOf(deps);
  let watch = watches.get(current.id);
  if (!watch) watches.set(current.id, (watch = startSharedWatch(deps, current)));
  const active = watch;
  active.watchers.add(watcher);
  return () => {
    active.watchers.delete(watcher);
    if (active.watchers.size > 0) return;
    clearInterval(active.timer);
    if (watches.get(current.id) === active) watches.delete(current.id);
  };
}

function sharedWatchesOf(deps: LifecycleDeps): Map<string, SharedWatch> {
  let watches = shared.get(deps);
  if (!watches) {
    const created = new Map<string, SharedWatch>();
    // This instance's own writes reach its watchers without waiting for the next read.
    deps.listeners.add((record) => deliver(created.get(record.id), record));
    shared.set(deps, (watches = created));
  }
  return watches;
}

function startSharedWatch(deps: LifecycleDeps, current: JobRecord): SharedWatch {
  const watch: SharedWatch = {
    watchers: new Set(),
    version: current.version,
    timer: setInterval(() => {
      deps.store.get(current.id).then((record) => record && deliver(watch, record), () => undefined);
    }, WATCH_READ_MS),
  };
  (watch.timer as { unref?: () => void }).unref?.();
  return watch;
}

function deliver(watch: SharedWatch | undefined, record: JobRecord): void {
  if (!watch || record.version <= watch.version) return;
  watch.version = record.version;
  for (const watcher of [...watch.watchers]) watcher(record);
}
