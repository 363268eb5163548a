/**
 * Recently read job records of the SQLite store, kept parsed. A poll of a live job answered from
 * the store (its state fresher than `POLL_FRESHNESS_MS`) otherwise spent most of its store time
 * turning the row's JSON back into a record (profiled: about 35 µs of a 150 µs poll).
 *
 * Not stale, across processes too: SQLite's `PRAGMA data_version` changes whenever another
 * connection (another process on the file) has committed, and then the whole cache is dropped.
 * It is asked once per turn of the event loop, not per read, because asking takes WAL's read lock
 * and costs about as much as the row's lookup: the reads of one turn are answered as of its first
 * (what a commit that lands mid-turn changed is seen at the next turn, as if it came a moment
 * later; a write based on the older record loses its compare-and-set and reads the job again).
 * This connection's own writes forget the records they touch, inside the write, so a record is
 * cached only as read after its last write here. Records handed out are frozen, deeply: every
 * caller gets the same object, and none may change it.
 */
import type { JobRecord } from '../jobs/store/job-store.ts';
import type { SqliteDatabase } from './sqlite.ts';

export interface RecordCache {
  /** The record by id: from the cache when nothing changed it since, else `load()`ed (and kept). */
  read(id: string, load: () => JobRecord | undefined): JobRecord | undefined;
  /**
   * A job row just read (a listing's): the cached record when it is the row's version (every write
   * of a job raises its version, in any process, so the same version is the same record), else
   * `parse()`d and kept. A dashboard reading the same page again parses none of it.
   */
  reuse(id: string, version: number, parse: () => JobRecord): JobRecord;
  /** Drops the record (a write of this connection touched it). */
  forget(id: string): void;
}

/** Bounded so that memory stays flat however many jobs are polled; filling up just starts it over. */
const DEFAULT_SIZE = 2_000;

export function recordCache(db: SqliteDatabase, size = DEFAULT_SIZE): RecordCache {
  const dataVersion = db.prepare('PRAGMA data_version');
  const currentVersion = () => (dataVersion.get() as { data_version: number }).data_version;
  const records = new Map<string, JobRecord>();
  let seenVersion = currentVersion();
  let checkedThisTurn = false;
  const checkVersion = () => {
    checkedThisTurn = true;
    setImmediate(() => (checkedThisTurn = false));
    const version = currentVersion();
    if (version === seenVersion) return;
    records.clear();
    seenVersion = version;
  };
  const keep = (record: JobRecord) => {
    if (records.size >= size) records.clear();
    records.set(record.id, deepFreeze(record));
    return record;
  };
  return {
    read(id, load) {
      if (!checkedThisTurn) checkVersion();
      const cached = records.get(id);
      if (cached) return cached;
      const record = load();
      return record === undefined ? undefined : keep(record);
    },
    reuse(id, version, parse) {
      if (!checkedThisTurn) checkVersion();
      const cached = records.get(id);
      return cached?.version === version ? cached : keep(parse());
    },
    forget(id) {
      records.delete(id);
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
