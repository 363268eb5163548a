/**
 * The Prometheus text exposition format 0.0.4, the part a registry needs to write it: names,
 * label values and HELP text escaped as the format says, numbers as Prometheus parses them.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

/** What a scrape answer is sent as. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws for a name Prometheus would reject: names are fixed in code, so a bad one is a bug to catch at startup. */
export function checkMetricName(name: string): void {
  if (!METRIC_NAME.test(name)) throw new Error(`"${name}" is not a valid Prometheus metric name`);
}

export function checkLabelNames(metric: string, names: readonly string[]): void {
  for (const name of names) {
    // `__` names are reserved for Prometheus itself.
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`${metric}: "${name}" is not a valid Prometheus label name`);
  }
  if (new Set(names).size !== names.length) throw new Error(`${metric}: a label name is repeated`);
}

/** A label value inside its double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: only backslash and line feed are escaped there. */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value (or a bucket bound) as Prometheus parses it: `+Inf`, `-Inf`, `NaN`, else the shortest round-trip decimal. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `{a="x",b="y"}`, or nothing for a series without labels. */
export function formatLabels(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

/** One sample line: `name{labels} value`. */
export function sampleLine(name: string, pairs: readonly (readonly [string, string])[], value: number): string {
  return `${name}${formatLabels(pairs)} ${formatNumber(value)}`;
}

/** The two comment lines that open every metric family. */
export function familyHeader(name: string, help: string, type: 'counter' | 'histogram'): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}
