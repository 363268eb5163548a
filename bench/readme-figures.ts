/**
 * The README's bench figures, written by the bench itself (`BENCH_README=1 npm run bench`): the
 * paths' table as markdown, then everything the run printed, between two markers in README.md.
 * Only that block is rewritten; the prose around it (the method, and why each path costs what it
 * does) is written by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export const BEGIN_MARKER = '<!-- bench:begin -->';
export const END_MARKER = '<!-- bench:end -->';

/** One side of a path's comparison, summed over its rounds. */
export interface Side {
  rps: number;
  cpu: number;
  p50: number;
  p99: number;
}

/** A path's figures: the floor, the gateway, a second floor (the create's write-ahead, the finished poll's constant answer), and the median of the per-round CPU ratios. */
export interface PathFigures {
  name: string;
  floor: Side;
  gateway: Side;
  second?: { label: string; side: Side };
  medianRatio: number;
}

/** Keeps every line the process prints from now on, and hands them back on demand. */
export function keepPrinted(): () => string {
  const lines: string[] = [];
  const print = console.log.bind(console);
  console.log = (...values: unknown[]) => {
    lines.push(values.map(String).join(' '));
    print(...values);
  };
  return () => lines.join('\n');
}

const fixed = (value: number, digits: number) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** `side` against the floor, as the bench prints it: requests/s, then CPU per request. */
export function ratioText(side: Side, floor: Side): string {
  return `${(side.rps / floor.rps).toFixed(2)}x, ${(side.cpu / floor.cpu).toFixed(2)}x`;
}

function tableRow(label: string, floor: Side, side: Side, medianRatio: string): string {
  return `| ${label} | ${fixed(floor.rps, 0)} | ${fixed(side.rps, 0)} | ${fixed(floor.cpu, 1)} | ${fixed(side.cpu, 1)} | ${side.p50.toFixed(2)} / ${side.p99.toFixed(2)} ms | ${ratioText(side, floor)} | ${medianRatio} |`;
}

/** The markdown that goes between the markers. */
export function figuresBlock(header: string, paths: readonly PathFigures[], printed: string): string {
  const rows = paths.flatMap((path) => [
    tableRow(path.name, path.floor, path.gateway, `${path.medianRatio.toFixed(2)}x`),
    ...(path.second ? [tableRow(`${path.name}: the ${path.second.label} floor`, path.floor, path.second.side, '')] : []),
  ]);
  const table = paths.length === 0 ? [] : [
    '| path | floor req/s | gateway req/s | floor CPU µs/req | gateway CPU µs/req | gateway p50 / p99 | vs floor (req/s, CPU) | CPU, median of rounds |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ];
  // A fence longer than any run of backticks in the output, so that nothing in it can close it.
  const fence = '`'.repeat(Math.max(3, ...[...printed.matchAll(/`+/g)].map((run) => run[0].length + 1)));
  return [BEGIN_MARKER, header, '', ...table, '<details><summary>Everything this run printed</summary>', '', fence, printed, fence, '', '</details>', END_MARKER].join('\n');
}

/** `readme` with the text from the begin marker to the end marker replaced by `block`. */
export function withFiguresBlock(readme: string, block: string): string {
  const begin = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER, begin);
  if (begin === -1 || end === -1) throw new Error(`README.md has no ${BEGIN_MARKER} … ${END_MARKER} block to write the figures into`);
  return readme.slice(0, begin) + block + readme.slice(end + END_MARKER.length);
}

/** Rewrites the block in the README at `path`. */
export function writeFiguresBlock(path: string, block: string): void {
  writeFileSync(path, withFiguresBlock(readFileSync(path, 'utf8'), block));
}
