/**
 * Cutting a body of unknown length into the equal parts a multipart upload wants (R2 and S3 take
 * every part but the last at one size, at least 5 MiB). Runtime-agnostic: web streams only.
 */

/**
 * The parts of `body`, each exactly `partBytes` long except the last, which is shorter and never
 * empty (a body of a whole number of parts ends on a full one; an empty body yields nothing).
 * Only one part is held at a time: the body is read on as the consumer asks for the next part, so
 * memory stays near `partBytes` however long the body. Ending early (`return`, or a `break` out of
 * `for await`) cancels the body; an error in the body is thrown from the generator.
 */
export async function* fixedSizeParts(body: ReadableStream<Uint8Array>, partBytes: number): AsyncGenerator<Uint8Array, void, undefined> {
  if (!Number.isSafeInteger(partBytes) || partBytes <= 0) throw new RangeError(`part size must be a positive integer, not ${partBytes}`);
  const reader = body.getReader();
  // The chunks read since the last part was cut, and how many bytes they hold.
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.byteLength === 0) continue;
      pending.push(value);
      pendingBytes += value.byteLength;
      while (pendingBytes >= partBytes) {
        const { part, rest } = cut(pending, partBytes);
        pending = rest;
        pendingBytes -= partBytes;
        yield part;
      }
    }
    finished = true;
    if (pendingBytes > 0) yield cut(pending, pendingBytes).part;
  } finally {
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => {});
  }
}

/** The first `bytes` bytes of `chunks` as one new array, and the chunks left after them. */
function cut(chunks: Uint8Array[], bytes: number): { part: Uint8Array; rest: Uint8Array[] } {
  const part = new Uint8Array(bytes);
  let filled = 0;
  let index = 0;
  for (; filled < bytes; index++) {
    const chunk = chunks[index]!;
    const take = Math.min(chunk.byteLength, bytes - filled);
    part.set(take === chunk.byteLength ? chunk : chunk.subarray(0, take), filled);
    filled += take;
    if (take < chunk.byteLength) return { part, rest: [chunk.subarray(take), ...chunks.slice(index + 1)] };
  }
  return { part, rest: chunks.slice(index) };
}
