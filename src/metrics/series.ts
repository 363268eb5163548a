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
  /** Each series under its key, for `entries`. */
  const series = new Map<string, Entry<S>>();
  // The same series reached through one map per label, value by value: a count on every request
  // finds its series without building a key (the JSON key was most of what counting cost).
  const root: Tree<S> = new Map();
  return {
    get(labels) {
      let level = root;
      for (let index = 0; index < labelNames.length - 1; index++) {
        const value = String(labels[labelNames[index]!]);
        let next = level.get(value) as Tree<S> | undefined;
        if (!next) level.set(value, (next = new Map()));
        level = next;
      }
      const last = labelNames.length === 0 ? '' : String(labels[labelNames[labelNames.length - 1]!]);
      let found = level.get(last) as Entry<S> | undefined;
      if (!found) {
        const values = labelNames.map((name) => String(labels[name]));
        found = { values, state: fresh() };
        series.set(JSON.stringify(values), found);
        level.set(last, found);
      }
      return found.state;
    },
    entries() {
      return [...series.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, { values, state }]) => ({ pairs: labelNames.map((name, i) => [name, values[i]!] as [L, string]), state }));
    },
  };
}

interface Entry<S> {
  values: string[];
  state: S;
}

/** Label value → the next label's map, or (after the last label) the series. */
type Tree<S> = Map<string, Tree<S> | Entry<S>>;
