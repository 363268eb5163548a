/** Aspect ratios in the gateway's reduced `"W:H"` form, so `1280:720` and `16:9` are one value. */

export function reduceAspectRatio(ratio: string): string {
  const match = /^(\d+):(\d+)$/.exec(ratio.trim());
  if (!match) return ratio;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (width === 0 || height === 0) return ratio;
  const divisor = greatestCommonDivisor(width, height);
  return `${width / divisor}:${height / divisor}`;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}
