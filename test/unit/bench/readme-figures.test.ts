/** The README's figures block that `BENCH_README=1 npm run bench` writes: only between its markers, as markdown. */
import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, figuresBlock, withFiguresBlock, type PathFigures } from '../../../bench/readme-figures.ts';

const side = (rps: number, cpu: number) => ({ rps, cpu, p50: 2.5, p99: 9.125 });
const paths: PathFigures[] = [
  { name: 'poll, live job', floor: side(5_000, 120), gateway: side(10_000, 84), medianRatio: 0.7 },
  { name: 'create', floor: side(5_000, 120), gateway: side(1_250, 540), second: { label: 'write-ahead', side: side(3_000, 192) }, medianRatio: 4.4 },
];

describe('the README figures block', () => {
  it('holds the paths as a markdown table, a second floor as its own row, and what the run printed', () => {
    const block = figuresBlock('Written by the bench.', paths, 'vidgate bench: Node 24\npath | who');
    expect(block.startsWith(`${BEGIN_MARKER}\nWritten by the bench.\n`)).toBe(true);
    expect(block.endsWith(END_MARKER)).toBe(true);
    expect(block).toContain('| poll, live job | 5,000 | 10,000 | 120.0 | 84.0 | 2.50 / 9.13 ms | 2.00x, 0.70x | 0.70x |');
    expect(block).not.toContain('poll, live job: the');
    expect(block).toContain('| create | 5,000 | 1,250 | 120.0 | 540.0 | 2.50 / 9.13 ms | 0.25x, 4.50x | 4.40x |');
    expect(block).toContain('| create: the write-ahead floor | 5,000 | 3,000 | 120.0 | 192.0 | 2.50 / 9.13 ms | 0.60x, 1.60x |  |');
    expect(block).toContain('```\nvidgate bench: Node 24\npath | who\n```');
  });

  it('fences the printed output with more backticks than any run of them in it', () => {
    const block = figuresBlock('h', [], 'a ```` b');
    expect(block).toContain('`````\na ```` b\n`````');
    expect(block).not.toContain('| path |');
  });

  it('replaces only what is between the markers, the same way each time, and refuses a README without them', () => {
    const readme = `# Title\n\nProse before.\n\n${BEGIN_MARKER}\nold figures\n${END_MARKER}\n\nProse after.\n`;
    const block = figuresBlock('new', paths, 'output');
    const written = withFiguresBlock(readme, block);
    expect(written).toBe(`# Title\n\nProse before.\n\n${block}\n\nProse after.\n`);
    expect(withFiguresBlock(written, block)).toBe(written);
    expect(() => withFiguresBlock('# Title\n', block)).toThrow(/bench:begin/);
  });
});
