/**
 * Group commit for the SQLite store: the writes asked for during one turn of the event loop are run
 * in one `BEGIN IMMEDIATE` transaction, each inside its own savepoint, and committed together.
 *
 * Why: a commit is the dear part of a write here (the WAL frames of every b-tree page it touched,
 * written with a system call each, and the lock calls around them), several times the statements'
 * own cost. A create writes three times (the record, its booking, the provider's answer), so with
 * 32 creates in flight the commits were most of the CPU a create cost. One commit per turn keeps
 * each write as durable as before, since its promise settles only once the commit is done: nothing
 * is sent to a provider before its record is on disk.
 *
 * Each write is still all-or-nothing and alone: a failing write (a duplicate id, a lost
 * compare-and-set) is rolled back to its savepoint and rejects, and the others in the turn go on.
 * When the transaction itself fails (the lock not obtained within the busy timeout, a full disk,
 * an I/O error), every write in the turn rejects with that failure, nothing of them having been
 * written. Work is synchronous (node:sqlite is), so no other code runs inside the transaction.
 */
import type { SqliteDatabase } from './sqlite.ts';

interface Queued {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /** Runs `work` in this turn's transaction; settles once that is committed (or has failed). */
  write<T>(work: () => T): Promise<T>;
  /** Runs what is queued now (before the database is closed). */
  flush(): void;
}

/** `guard` turns SQLite's failures of the database itself into the store's unavailable error. */
export function groupCommit(db: SqliteDatabase, guard: <T>(work: () => T) => T): GroupCommit {
  const statements = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT write'),
    release: db.prepare('RELEASE write'),
    rollbackTo: db.prepare('ROLLBACK TO write'),
  };
  let queue: Queued[] = [];

  const flush = () => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    try {
      guard(() => statements.begin.run());
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const outcomes = runEach(db, statements, batch, guard);
    if (outcomes === undefined) return;
    try {
      guard(() => statements.commit.run());
    } catch (error) {
      if (db.isTransaction) statements.rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if ('error' in outcome) item.reject(outcome.error);
      else item.resolve(outcome.value);
    });
  };

  return {
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (queue.length === 1) setImmediate(flush);
      });
    },
    flush,
  };
}

type Outcome = { value: unknown } | { error: unknown };

/**
 * Each write in its savepoint. `undefined` (every write rejected) when SQLite ended the whole
 * transaction on a failure (it does after a full disk or an I/O error): nothing in it was written.
 */
function runEach(db: SqliteDatabase, statements: Record<'savepoint' | 'release' | 'rollbackTo', { run(): unknown }>, batch: Queued[], guard: <T>(work: () => T) => T): Outcome[] | undefined {
  const outcomes: Outcome[] = [];
  for (const item of batch) {
    statements.savepoint.run();
    try {
      outcomes.push({ value: guard(item.work) });
      statements.release.run();
    } catch (error) {
      if (!db.isTransaction) {
        for (const queued of batch) queued.reject(error);
        return undefined;
      }
      statements.rollbackTo.run();
      statements.release.run();
      outcomes.push({ error });
    }
  }
  return outcomes;
}
