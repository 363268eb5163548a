/**
 * Who a gateway key bills to: a named key from the routing configuration (its name, its limits), or
 * an unnamed, unlimited key from `GATEWAY_API_KEYS`. Requests carry only the key's digest (the
 * job owner), so accounts are looked up by digest; keys never leave this module.
 */
import type { GatewayConfig } from '../config.ts';
import { ownerOf } from '../http/auth.ts';
import type { AccountLimits } from '../jobs/store/job-store.ts';
import { toMicros } from '../pricing/estimate.ts';
import type { NamedKey } from './named-keys.ts';

export interface Account {
  /** The key's name, or `unnamed:` and the start of its digest for a `GATEWAY_API_KEYS` key. */
  id: string;
  limits: AccountLimits;
  /** The budgets in USD, for messages. */
  budgets: { daily?: number; monthly?: number };
  admin: boolean;
}

export interface Accounts {
  of(owner: string): Promise<Account>;
  /** Every account this gateway knows, in configuration order (what an admin key's usage covers). */
  all(): Promise<Account[]>;
}

/** Digests are computed once per process or isolate, on first use. */
export function accountsFor(config: Pick<GatewayConfig, 'apiKeys' | 'keys'>): Accounts {
  let byOwner: Promise<Map<string, Account>> | undefined;
  const load = () => (byOwner ??= indexAccounts(config));
  return {
    of: async (owner) => (await load()).get(owner) ?? unnamed(owner),
    all: async () => [...(await load()).values()],
  };
}

async function indexAccounts(config: Pick<GatewayConfig, 'apiKeys' | 'keys'>): Promise<Map<string, Account>> {
  const named = new Set(config.keys.map((key) => key.key));
  const index = new Map<string, Account>();
  for (const key of config.apiKeys.filter((candidate) => !named.has(candidate))) {
    const owner = await ownerOf(key);
    index.set(owner, unnamed(owner));
  }
  for (const key of config.keys) index.set(await ownerOf(key.key), namedAccount(key));
  return index;
}

function unnamed(owner: string): Account {
  return { id: `unnamed:${owner.slice(0, 12)}`, limits: {}, budgets: {}, admin: false };
}

function namedAccount(key: NamedKey): Account {
  const limits: AccountLimits = {
    ...(key.requestsPerMinute === undefined ? {} : { requestsPerMinute: key.requestsPerMinute }),
    ...(key.maxConcurrentJobs === undefined ? {} : { maxConcurrentJobs: key.maxConcurrentJobs }),
    ...(key.dailyBudgetUsd === undefined ? {} : { dailyBudgetMicros: toMicros(key.dailyBudgetUsd) }),
    ...(key.monthlyBudgetUsd === undefined ? {} : { monthlyBudgetMicros: toMicros(key.monthlyBudgetUsd) }),
  };
  return { id: key.name, limits, budgets: { daily: key.dailyBudgetUsd, monthly: key.monthlyBudgetUsd }, admin: key.admin };
}

/** Whether jobs of this account must have a known price (a budget cannot hold an unknown spend). */
export function hasBudget(account: Account): boolean {
  return account.limits.dailyBudgetMicros !== undefined || account.limits.monthlyBudgetMicros !== undefined;
}
