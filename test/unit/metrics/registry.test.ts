/** The metrics registry and its text renderer: the Prometheus text exposition format 0.0.4, exactly. */
import { describe, expect, it } from 'vitest';
import { escapeHelp, escapeLabelValue, formatNumber } from '../../../src/metrics/exposition.ts';
import { metricsRegistry } from '../../../src/metrics/registry.ts';

describe('a counter', () => {
  it('renders HELP, TYPE and one sample per label set, sorted by label values', () => {
    const registry = metricsRegistry();
    const requests = registry.counter({ name: 'demo_requests_total', help: 'Requests.', labels: ['route', 'status'] });
    requests.inc({ route: '/v1/jobs/:id', status: '200' });
    requests.inc({ route: '/healthz', status: '200' }, 2);
    requests.inc({ route: '/v1/jobs/:id', status: '200' });
    requests.inc({ route: '/v1/jobs/:id', status: '404' });
    expect(registry.render()).toBe(
      [
        '# HELP demo_requests_total Requests.',
        '# TYPE demo_requests_total counter',
        'demo_requests_total{route="/healthz",status="200"} 2',
        'demo_requests_total{route="/v1/jobs/:id",status="200"} 2',
        'demo_requests_total{route="/v1/jobs/:id",status="404"} 1',
        '',
      ].join('\n'),
    );
  });

  it('keeps apart series whose values differ at any label, and counts one series however often it is reached', () => {
    const registry = metricsRegistry();
    const calls = registry.counter({ name: 'demo_calls_total', help: 'Calls.', labels: ['provider', 'kind', 'outcome'] });
    const sets = [
      { provider: 'krea', kind: 'poll', outcome: 'ok' },
      { provider: 'krea', kind: 'poll', outcome: 'error' },
      { provider: 'krea', kind: 'create', outcome: 'ok' },
      { provider: 'kreapoll', kind: '', outcome: 'ok' },
      { provider: 'aimlapi', kind: 'poll', outcome: 'ok' },
    ];
    sets.forEach((labels, index) => {
      for (let count = 0; count <= index; count++) calls.inc({ ...labels });
    });
    expect(registry.render().split('\n').filter((line) => line.startsWith('demo_calls_total{'))).toEqual([
      'demo_calls_total{provider="aimlapi",kind="poll",outcome="ok"} 5',
      'demo_calls_total{provider="krea",kind="create",outcome="ok"} 3',
      'demo_calls_total{provider="krea",kind="poll",outcome="error"} 2',
      'demo_calls_total{provider="krea",kind="poll",outcome="ok"} 1',
      'demo_calls_total{provider="kreapoll",kind="",outcome="ok"} 4',
    ]);
  });

  it('renders only HELP and TYPE before its first increment, and a bare name without labels', () => {
    const registry = metricsRegistry();
    registry.counter({ name: 'demo_untouched_total', help: 'Nothing yet.', labels: ['kind'] });
    const plain = registry.counter({ name: 'demo_plain_total', help: 'No labels.', labels: [] });
    plain.inc({});
    expect(registry.render()).toBe('# HELP demo_untouched_total Nothing yet.\n# TYPE demo_untouched_total counter\n# HELP demo_plain_total No labels.\n# TYPE demo_plain_total counter\ndemo_plain_total 1\n');
  });

  it('escapes backslash, double quote and line feed in label values, and backslash and line feed in HELP', () => {
    const registry = metricsRegistry();
    const tricky = registry.counter({ name: 'demo_escapes_total', help: 'A "quoted" help\nwith C:\\path.', labels: ['value'] });
    tricky.inc({ value: 'say "hi"\\n\nbye' });
    expect(registry.render()).toBe(
      '# HELP demo_escapes_total A "quoted" help\\nwith C:\\\\path.\n# TYPE demo_escapes_total counter\ndemo_escapes_total{value="say \\"hi\\"\\\\n\\nbye"} 1\n',
    );
  });

  it('keeps money exact with a resolution: ten increments of 0.367 read 3.67', () => {
    const registry = metricsRegistry();
    const spend = registry.counter({ name: 'demo_usd_total', help: 'Spend.', labels: ['provider'], resolution: 1_000_000 });
    for (let i = 0; i < 10; i++) spend.inc({ provider: 'krea' }, 0.367);
    spend.inc({ provider: 'aimlapi' }, 0.1);
    spend.inc({ provider: 'aimlapi' }, 0.2);
    expect(registry.render()).toContain('demo_usd_total{provider="krea"} 3.67\n');
    expect(registry.render()).toContain('demo_usd_total{provider="aimlapi"} 0.3\n');
  });

  it('ignores negative and non-finite increments, since a counter only goes up', () => {
    const registry = metricsRegistry();
    const total = registry.counter({ name: 'demo_total', help: 'x', labels: ['k'] });
    total.inc({ k: 'a' }, 3);
    total.inc({ k: 'a' }, -1);
    total.inc({ k: 'a' }, Number.NaN);
    total.inc({ k: 'a' }, Infinity);
    expect(registry.render()).toContain('demo_total{k="a"} 3\n');
  });
});

describe('a histogram', () => {
  it('renders cumulative buckets ending in +Inf, then _sum and _count, per label set', () => {
    const registry = metricsRegistry();
    const seconds = registry.histogram({ name: 'demo_seconds', help: 'Durations.', labels: ['kind'], buckets: [0.5, 1, 2.5] });
    for (const value of [0.25, 0.5, 0.75, 2, 10]) seconds.observe({ kind: 'poll' }, value);
    seconds.observe({ kind: 'create' }, 1);
    expect(registry.render()).toBe(
      [
        '# HELP demo_seconds Durations.',
        '# TYPE demo_seconds histogram',
        'demo_seconds_bucket{kind="create",le="0.5"} 0',
        'demo_seconds_bucket{kind="create",le="1"} 1',
        'demo_seconds_bucket{kind="create",le="2.5"} 1',
        'demo_seconds_bucket{kind="create",le="+Inf"} 1',
        'demo_seconds_sum{kind="create"} 1',
        'demo_seconds_count{kind="create"} 1',
        // 0.5 falls in le="0.5": a bound is inclusive.
        'demo_seconds_bucket{kind="poll",le="0.5"} 2',
        'demo_seconds_bucket{kind="poll",le="1"} 3',
        'demo_seconds_bucket{kind="poll",le="2.5"} 4',
        'demo_seconds_bucket{kind="poll",le="+Inf"} 5',
        'demo_seconds_sum{kind="poll"} 13.5',
        'demo_seconds_count{kind="poll"} 5',
        '',
      ].join('\n'),
    );
  });

  it('refuses buckets that do not increase, and a label named le', () => {
    const registry = metricsRegistry();
    expect(() => registry.histogram({ name: 'demo_a', help: 'x', labels: [], buckets: [1, 1] })).toThrow(/strictly increasing/);
    expect(() => registry.histogram({ name: 'demo_b', help: 'x', labels: [], buckets: [] })).toThrow(/strictly increasing/);
    expect(() => registry.histogram({ name: 'demo_c', help: 'x', labels: ['le'], buckets: [1] })).toThrow(/repeated/);
  });

  it('ignores a non-finite observation', () => {
    const registry = metricsRegistry();
    const seconds = registry.histogram({ name: 'demo_seconds', help: 'x', labels: [], buckets: [1] });
    seconds.observe({}, Number.NaN);
    seconds.observe({}, 0.5);
    expect(registry.render()).toContain('demo_seconds_count 1\n');
    expect(registry.render()).toContain('demo_seconds_bucket{le="+Inf"} 1\n');
  });
});

describe('the registry', () => {
  it('renders families in the order they were registered, each with its HELP and TYPE', () => {
    const registry = metricsRegistry();
    registry.counter({ name: 'demo_second_total', help: 'b', labels: [] }).inc({});
    registry.histogram({ name: 'demo_first_seconds', help: 'a', labels: [], buckets: [1] });
    const lines = registry.render().split('\n');
    expect(lines.filter((line) => line.startsWith('# TYPE'))).toEqual(['# TYPE demo_second_total counter', '# TYPE demo_first_seconds histogram']);
    expect(lines.filter((line) => line.startsWith('# HELP'))).toHaveLength(2);
  });

  it('refuses a name registered twice, and names or label names Prometheus would reject', () => {
    const registry = metricsRegistry();
    registry.counter({ name: 'demo_total', help: 'x', labels: [] });
    expect(() => registry.counter({ name: 'demo_total', help: 'x', labels: [] })).toThrow(/twice/);
    expect(() => registry.counter({ name: 'demo-total', help: 'x', labels: [] })).toThrow(/metric name/);
    expect(() => registry.counter({ name: 'demo_x_total', help: 'x', labels: ['bad-label'] })).toThrow(/label name/);
    expect(() => registry.counter({ name: 'demo_y_total', help: 'x', labels: ['__reserved'] })).toThrow(/label name/);
  });
});

describe('formatting', () => {
  it('writes numbers as Prometheus parses them', () => {
    expect([0, 3, 0.005, 1.5e-7, Infinity, -Infinity, Number.NaN].map(formatNumber)).toEqual(['0', '3', '0.005', '1.5e-7', '+Inf', '-Inf', 'NaN']);
  });

  it('escapes label values and HELP text differently (a quote stays as is in HELP)', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });
});
