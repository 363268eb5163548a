/**
 * The port's list order (`ListOrder`) in the two forms the stores need, kept in one place so that
 * every store sorts and pages exactly alike: a comparison for the memory store, SQL for the others.
 */
import type { ListCursor, ListOrder } from './job-store.ts';

/**
 * Negative when `a` comes before `b` in `order`. Ids compare by UTF-16 code units, which for the
 * ASCII job ids is the byte order the SQL stores compare them in.
 */
export function compareInListOrder(order: ListOrder = 'desc'): (a: ListCursor, b: ListCursor) => number {
  const oldestFirst = (a: ListCursor, b: ListCursor) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return order === 'asc' ? oldestFirst : (a, b) => oldestFirst(b, a);
}

/**
 * `order` over the columns `created_at` and `id`: the ORDER BY terms, and the operator that keeps
 * the rows after a cursor as `(created_at, id) <operator> (cursor)`. A row-value comparison rather
 * than its expansion into ORs: SQLite and PostgreSQL both take it as a range of the index on
 * (…, created_at, id), and a B-tree index serves either order (read forwards or backwards), so
 * one index per filter serves both.
 */
export function sqlListOrder(order: ListOrder = 'desc'): { orderBy: string; after: '<' | '>' } {
  return order === 'asc' ? { orderBy: 'created_at ASC, id ASC', after: '>' } : { orderBy: 'created_at DESC, id DESC', after: '<' };
}
