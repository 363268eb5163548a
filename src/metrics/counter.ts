/**
 * A Prometheus counter with fixed label names. With a `resolution`, values are kept as integer
 * multiples of 1/resolution (money in micro-dollars: 10 × 0.367 adds up to exactly 3.67) and shown
 * in whole units.
 */
import { checkLabelNames, checkMetricName, familyHeader, sampleLine } from './exposition.ts';
import { seriesMap, type Labels } from './series.ts';

export interface CounterOptions<L extends string> {
  name: string;
  help: string;
  labels: readonly L[];
  /** Steps per unit the counter counts in (1_000_000 for micro-dollars); 1 by default. */
  resolution?: number;
}

export interface Counter<L extends string> {
  readonly name: string;
  /**
   * Adds `by` (1 by default) to the series. A negative or non-finite amount is ignored: a counter
   * only goes up, and a bad number from a caller must not break the request that reported it.
   */
  inc(labels: Labels<L>, by?: number): void;
  /** The family's lines: HELP, TYPE, then one sample per series. */
  lines(): string[];
}

export function counter<L extends string>(options: CounterOptions<L>): Counter<L> {
  checkMetricName(options.name);
  checkLabelNames(options.name, options.labels);
  const resolution = options.resolution ?? 1;
  const series = seriesMap(options.labels, () => ({ steps: 0 }));
  return {
    name: options.name,
    inc(labels, by = 1) {
      if (!Number.isFinite(by) || by < 0) return;
      series.get(labels).steps += Math.round(by * resolution);
    },
    lines() {
      const samples = series.entries().map(({ pairs, state }) => sampleLine(options.name, pairs, state.steps / resolution));
      return [...familyHeader(options.name, options.help, 'counter'), ...samples];
    },
  };
}
