/**
 * node:sqlite behind one door. Its database class is being renamed from `DatabaseSync` to
 * `Database` (DEP0210, documentation-only for now): this module prefers the new name when the
 * running Node has it and falls back to the old one, so nothing else names either. It also knows
 * the shape of node:sqlite's errors, so callers can ask for a result code without guessing.
 */
import * as sqlite from 'node:sqlite';

export type SqliteDatabase = sqlite.DatabaseSync;
export type SqliteStatement = sqlite.StatementSync;
export type SqliteOptions = sqlite.DatabaseSyncOptions;

type DatabaseConstructor = new (path: string, options?: SqliteOptions) => SqliteDatabase;

const Database: DatabaseConstructor = (sqlite as unknown as { Database?: DatabaseConstructor }).Database ?? sqlite.DatabaseSync;

/** Opens a connection (a file path, or `:memory:`). */
export function openDatabase(path: string, options: SqliteOptions = {}): SqliteDatabase {
  return new Database(path, options);
}

/** SQLite's primary result codes (https://sqlite.org/rescode.html) that the stores tell apart. */
export const SqliteCode = {
  BUSY: 5,
  LOCKED: 6,
  NOMEM: 7,
  READONLY: 8,
  IOERR: 10,
  CORRUPT: 11,
  FULL: 13,
  CANTOPEN: 14,
  PROTOCOL: 15,
  CONSTRAINT: 19,
  NOTADB: 26,
} as const;

/** Extended result codes (https://sqlite.org/rescode.html#extrc) that the stores tell apart: which constraint failed. */
export const SqliteExtendedCode = {
  CONSTRAINT_PRIMARYKEY: 1555,
  CONSTRAINT_UNIQUE: 2067,
} as const;

/**
 * The primary result code of an error thrown by SQLite (node:sqlite reports the extended code,
 * e.g. 1555 for a primary-key conflict; its low byte is the primary one), or `undefined` when the
 * error did not come from SQLite.
 */
export function sqliteResultCode(error: unknown): number | undefined {
  const extended = sqliteExtendedResultCode(error);
  return extended === undefined ? undefined : extended & 0xff;
}

/** The extended result code of an error thrown by SQLite, or `undefined` when the error did not come from SQLite. */
export function sqliteExtendedResultCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, errcode } = error as Error & { code?: unknown; errcode?: unknown };
  if (code !== 'ERR_SQLITE_ERROR' || typeof errcode !== 'number') return undefined;
  return errcode;
}
