/**
 * Holding a body to the length it declared (`PutOptions.bytes`, from the provider's
 * `Content-Length`). Runtime-agnostic: web streams only.
 */

/**
 * A pass-through that errors unless exactly `expected` bytes go through. It holds back the latest
 * chunk until the next one arrives or the body ends, so whatever reads the output never receives
 * the `expected`-th byte of a body that then turns out longer: a store writing a fixed-length
 * object sees it fail short instead of completing with a truncated copy.
 */
export function exactLength(expected: number): TransformStream<Uint8Array, Uint8Array> {
  if (!Number.isSafeInteger(expected) || expected < 0) throw new RangeError(`declared length must be a non-negative integer, not ${expected}`);
  let seen = 0;
  let held: Uint8Array | undefined;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > expected) throw new BodyLengthError(`the body is longer than its declared ${expected} bytes`);
      if (held) controller.enqueue(held);
      held = chunk;
    },
    flush(controller) {
      if (seen !== expected) throw new BodyLengthError(`the body ended after ${seen} of its declared ${expected} bytes`);
      if (held) controller.enqueue(held);
    },
  });
}

/** The body did not carry the number of bytes it declared. */
export class BodyLengthError extends Error {
  override readonly name = 'BodyLengthError';
}
