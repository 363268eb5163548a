/** The JSON logger: one object per line, stamped with the current time to the millisecond. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger } from '../../../src/logger.ts';

afterEach(() => vi.useRealTimers());

describe('jsonLogger', () => {
  it('writes the event and its fields after the time, which follows the clock from one millisecond to the next', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-03T09:00:00.000Z'));
    const lines: string[] = [];
    const log = jsonLogger((line) => lines.push(line));
    log('request', { status: 200 });
    log('request', { status: 201 });
    vi.setSystemTime(Date.parse('2026-12-03T09:00:00.001Z'));
    log('request', { status: 202, absent: undefined });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: '2026-12-03T09:00:00.000Z', event: 'request', status: 200 },
      { time: '2026-12-03T09:00:00.000Z', event: 'request', status: 201 },
      { time: '2026-12-03T09:00:00.001Z', event: 'request', status: 202 },
    ]);
  });
});
