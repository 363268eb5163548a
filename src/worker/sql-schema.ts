/**
 * Tables a Durable Object creates on its first write, not in its constructor: any call reaches an
 * object (reading an unknown job id, listing an owner with no jobs), and an object that never
 * writes stores nothing, so it costs nothing after the call.
 */
import type { SqlStorageLike } from './bindings.ts';

export interface LazySchema {
  /** Whether the tables exist (an object that has never written has none). */
  exists(): boolean;
  /** Creates the tables if they are missing; call before every write. */
  ensure(): void;
  /** Forgets what it knew, after `deleteAll()` dropped the tables. */
  reset(): void;
}

/** `statements` create the tables (and indexes) idempotently; `table` is the one whose presence says they exist. */
export function lazySchema(sql: SqlStorageLike, table: string, statements: readonly string[]): LazySchema {
  let known = false;
  const exists = () => {
    known ||= sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;
    return known;
  };
  return {
    exists,
    ensure() {
      if (exists()) return;
      for (const statement of statements) sql.exec(statement);
      known = true;
    },
    reset() {
      known = false;
    },
  };
}
