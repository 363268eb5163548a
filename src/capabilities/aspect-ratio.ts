/**
 * Aspect ratios are compared by value, so a client may write `21:9`, `7:3` or `2520:1080` for a
 * model that lists `21:9`; the job applies (and echoes) the model's own spelling.
 */

/** The supported value equal to the requested ratio, if any. */
export function matchAspectRatio(requested: string, supported: readonly string[]): string | undefined {
  const wanted = terms(requested);
  if (!wanted) return undefined;
  return supported.find((value) => {
    const candidate = terms(value);
    return candidate !== undefined && candidate[0] * wanted[1] === candidate[1] * wanted[0];
  });
}

function terms(ratio: string): [number, number] | undefined {
  const match = /^(\d+):(\d+)$/.exec(ratio.trim());
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  return match && width > 0 && height > 0 ? [width, height] : undefined;
}
