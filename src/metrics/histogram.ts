/**
 * A Prometheus histogram with fixed label names and fixed bucket bounds: per series, a count per
 * bucket, the sum and the count of observations. Buckets are shown cumulative (each `le` counts
 * every observation at most that large), ending with `le="+Inf"`, which equals `_count`.
 */
import { checkLabelNames, checkMetricName, familyHeader, formatNumber, sampleLine } from './exposition.ts';
import { seriesMap, type Labels } from './series.ts';

export interface HistogramOptions<L extends string> {
  name: string;
  help: string;
  labels: readonly L[];
  /** Upper bounds, increasing; `+Inf` is implied. */
  buckets: readonly number[];
}

export interface Histogram<L extends string> {
  readonly name: string;
  /** Records one observation; a non-finite value is ignored. */
  observe(labels: Labels<L>, value: number): void;
  lines(): string[];
}

interface HistogramState {
  /** Observations per bucket, not cumulative; one more entry than bounds, for those above the last. */
  perBucket: number[];
  sum: number;
  count: number;
}

export function histogram<L extends string>(options: HistogramOptions<L>): Histogram<L> {
  checkMetricName(options.name);
  checkLabelNames(options.name, [...options.labels, 'le']);
  const bounds = checkedBounds(options.name, options.buckets);
  const series = seriesMap<L, HistogramState>(options.labels, () => ({ perBucket: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
  return {
    name: options.name,
    observe(labels, value) {
      if (!Number.isFinite(value)) return;
      const state = series.get(labels);
      const index = bounds.findIndex((bound) => value <= bound);
      state.perBucket[index === -1 ? bounds.length : index]! += 1;
      state.sum += value;
      state.count += 1;
    },
    lines() {
      const samples = series.entries().flatMap(({ pairs, state }) => seriesLines(options.name, bounds, pairs, state));
      return [...familyHeader(options.name, options.help, 'histogram'), ...samples];
    },
  };
}

function seriesLines(name: string, bounds: readonly number[], pairs: [string, string][], state: HistogramState): string[] {
  let cumulative = 0;
  const buckets = [...bounds, Infinity].map((bound, i) => {
    cumulative += state.perBucket[i]!;
    return sampleLine(`${name}_bucket`, [...pairs, ['le', formatNumber(bound)]], cumulative);
  });
  return [...buckets, sampleLine(`${name}_sum`, pairs, state.sum), sampleLine(`${name}_count`, pairs, state.count)];
}

function checkedBounds(name: string, buckets: readonly number[]): readonly number[] {
  const increasing = buckets.every((bound, i) => Number.isFinite(bound) && (i === 0 || bound > buckets[i - 1]!));
  if (buckets.length === 0 || !increasing) throw new Error(`${name}: buckets must be finite and strictly increasing`);
  return [...buckets];
}
