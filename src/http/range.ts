/**
 * Single-range `Range: bytes=…` requests (RFC 9110 §14), as video players send them to seek. A
 * header that is not one well-formed byte range (several ranges, another unit, bad syntax) is
 * ignored and the whole object served, which the RFC allows; a well-formed range that starts past
 * the end is unsatisfiable (416).
 */
export type RangeRequest =
  | { kind: 'whole' }
  | { kind: 'range'; offset: number; length: number }
  | { kind: 'unsatisfiable' };

const BYTE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  const match = header ? BYTE_RANGE.exec(header.trim()) : null;
  if (!match) return { kind: 'whole' };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    // A suffix: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    const length = Math.min(suffix, size);
    return { kind: 'range', offset: size - length, length };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', offset: start, length: end - start + 1 };
}
