/**
 * A registry of metric families, rendered together as one scrape answer. Written here rather than
 * taken from npm: prom-client needs Node built-ins (cluster, fs, http, perf_hooks, zlib), and the
 * gateway also runs on Workers without Node.js compatibility.
 */
import { counter, type Counter, type CounterOptions } from './counter.ts';
import { histogram, type Histogram, type HistogramOptions } from './histogram.ts';

export interface MetricsRegistry {
  counter<L extends string>(options: CounterOptions<L>): Counter<L>;
  histogram<L extends string>(options: HistogramOptions<L>): Histogram<L>;
  /** Every family in the order registered, each ending with a line feed (as the format requires of the last line). */
  render(): string;
}

export function metricsRegistry(): MetricsRegistry {
  const families: { name: string; lines(): string[] }[] = [];
  const register = <F extends { name: string; lines(): string[] }>(family: F): F => {
    if (families.some((known) => known.name === family.name)) throw new Error(`metric ${family.name} is registered twice`);
    families.push(family);
    return family;
  };
  return {
    counter: (options) => register(counter(options)),
    histogram: (options) => register(histogram(options)),
    render: () => families.map((family) => `${family.lines().join('\n')}\n`).join(''),
  };
}
