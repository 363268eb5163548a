/**
 * `GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD&group_by=key|model|provider`: the bookings of the
 * caller's key (an admin key: of every key) over whole UTC days, `to` included; the current UTC
 * month by default; grouped by key unless asked otherwise.
 */
import { invalidRequest } from '../errors.ts';
import type { JobStore, UsageRow } from '../jobs/store/job-store.ts';
import { utcMonth } from '../jobs/store/ledger.ts';
import type { UsageReport, UsageReportRow } from '../schemas/usage.ts';
import type { Account, Accounts } from './accounts.ts';

/** What `group_by` may name. */
export const USAGE_GROUPS = ['key', 'model', 'provider'] as const;
type Group = (typeof USAGE_GROUPS)[number];

interface UsageQuery {
  from: string;
  to: string;
  groupBy: Group;
}

const PARAMETERS = new Set(['from', 'to', 'group_by']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function parseUsageQuery(query: Record<string, string[]>, now: number): UsageQuery {
  const unknown = Object.keys(query).find((name) => !PARAMETERS.has(name));
  if (unknown) throw invalidRequest(`Unknown query parameter \`${unknown}\`; this route takes from, to and group_by.`, unknown);
  const month = utcMonth(now);
  const from = single(query, 'from') ?? isoDay(month.from);
  const to = single(query, 'to') ?? isoDay(month.to - DAY_MS);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!DAY.test(value) || isoDay(Date.parse(`${value}T00:00:00Z`)) !== value) throw invalidRequest(`\`${name}\` must be a date as YYYY-MM-DD (a UTC day).`, name);
  }
  if (from > to) throw invalidRequest('`to` must not be before `from`.', 'to');
  const groupBy = single(query, 'group_by') ?? 'key';
  if (!(USAGE_GROUPS as readonly string[]).includes(groupBy)) throw invalidRequest('`group_by` must be one of key|model|provider.', 'group_by');
  return { from, to, groupBy: groupBy as Group };
}

function single(query: Record<string, string[]>, name: string): string | undefined {
  const values = query[name];
  if (!values) return undefined;
  if (values.length !== 1) throw invalidRequest(`\`${name}\` may be given once.`, name);
  return values[0];
}

function isoDay(ms: number): string {
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10);
}

export async function usageReport(store: JobStore, accounts: Accounts, caller: Account, query: UsageQuery): Promise<UsageReport> {
  const covered = caller.admin ? await accounts.all() : [caller];
  const fromMs = Date.parse(`${query.from}T00:00:00Z`);
  const toMs = Date.parse(`${query.to}T00:00:00Z`) + DAY_MS;
  const rows = (await Promise.all(covered.map((account) => store.usage(account.id, fromMs, toMs)))).flat();
  return { object: 'usage', from: query.from, to: query.to, data: grouped(rows, query.groupBy) };
}

function grouped(rows: UsageRow[], groupBy: Group): UsageReportRow[] {
  const groups = new Map<string, UsageRow[]>();
  for (const row of rows) {
    const name = groupBy === 'key' ? row.account : row[groupBy];
    groups.set(name, [...(groups.get(name) ?? []), row]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([group, members]) => summary(group, members));
}

function summary(group: string, rows: UsageRow[]): UsageReportRow {
  const units = new Set(rows.map((row) => row.unit));
  const unit = units.size === 1 ? [...units][0]! : null;
  const sum = (pick: (row: UsageRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    group,
    jobs: sum((row) => row.jobs),
    amount_usd: sum((row) => row.amountMicros) / 1_000_000,
    provider_units: unit === null ? null : Math.round(sum((row) => row.providerUnits) * 1000) / 1000,
    unit,
  };
}
