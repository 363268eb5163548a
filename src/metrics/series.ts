/**
 * The label sets of one metric family: each distinct set of label values is one series, kept
 * under a key made of its values in the family's label order, and rendered sorted by that key so
 * that a scrape reads the same from one time to the next.
 */
export type Labels<L extends string> = Readonly<Record<L, string>>;

export interface SeriesMap<L extends string, S> {
  /** The series for these label values, created by `fresh` the first time. */
  get(labels: Labels<L>): S;
  /** Every series with its label pairs in the family's order, sorted by label values. */
  entries(): { pairs: [L, string][]; state: S }[];
}

export function seriesMap<L extends string, S>(labelNames: readonly L[], fresh: () => S): SeriesMap<L, S> {
  const series = new Map<string, { values: string[]; state: S }>();
  return {
    get(labels) {
      const values = labelNames.map((name) => String(labels[name]));
      const key = JSON.stringify(values);
      let found = series.get(key);
      if (!found) series.set(key, (found = { values, state: fresh() }));
      return found.state;
    },
    entries() {
      return [...series.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, { values, state }]) => ({ pairs: labelNames.map((name, i) => [name, values[i]!] as [L, string]), state }));
    },
  };
}
