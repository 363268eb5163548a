/**
 * Limits on the shape of parsed JSON from outside (request bodies, provider answers). `JSON.parse`
 * handles any nesting, but every recursive walk after it (validation, redaction, serialization)
 * would overflow the stack on a deep enough value, and a `__proto__` key silently changes meaning
 * when an object is built from it. Both are found here without recursion.
 */

/** Deeper than this is refused: no request or provider answer the gateway understands comes close. */
export const MAX_JSON_DEPTH = 64;

export type JsonShapeProblem = { kind: 'too_deep'; path: string } | { kind: 'prototype_key'; path: string };

/** The first problem in `value`'s shape, or `undefined`; `path` is dotted (`metadata.__proto__`). */
export function jsonShapeProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonShapeProblem | undefined {
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= maxDepth) return { kind: 'too_deep', path: path.slice(0, 3).join('.') };
    for (const [key, item] of Object.entries(current)) {
      if (key === '__proto__' && !Array.isArray(current)) return { kind: 'prototype_key', path: [...path, key].join('.') };
      pending.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}
