/** The answers to a create over one of its key's limits; nothing was sent upstream. */
import { GatewayError } from '../errors.ts';
import type { BookingRefusal } from '../jobs/store/job-store.ts';
import { utcDay, utcMonth } from '../jobs/store/ledger.ts';
import type { Account } from './accounts.ts';
import type { LimitRejectionReason } from '../metrics/gateway-metrics.ts';

export function limitError(refusal: BookingRefusal, account: Account, now: number): GatewayError {
  switch (refusal.reason) {
    case 'rate':
      return new GatewayError({
        status: 429,
        code: 'rate_limit_exceeded',
        message: `This key may create ${account.limits.requestsPerMinute} jobs a minute; try again after Retry-After seconds.`,
        retryable: true,
        retryAfterMs: refusal.retryAfterMs,
      });
    case 'concurrency':
      // No wait is known: a live job ends when its provider says so. The default Retry-After applies.
      return new GatewayError({
        status: 429,
        code: 'concurrency_limit_exceeded',
        message: `This key may have ${account.limits.maxConcurrentJobs} live jobs at a time; try again when one of them has ended.`,
        retryable: true,
      });
    case 'daily_budget':
      return budgetExceeded('daily', account.budgets.daily, utcDay(now).to - now);
    case 'monthly_budget':
      return budgetExceeded('monthly', account.budgets.monthly, utcMonth(now).to - now);
  }
}

/** 402, naming the budget; `Retry-After` is when the UTC day or month ends and the budget is whole again. */
function budgetExceeded(period: 'daily' | 'monthly', budget: number | undefined, untilResetMs: number): GatewayError {
  const when = period === 'daily' ? 'UTC day' : 'UTC month';
  return new GatewayError({
    status: 402,
    code: 'budget_exceeded',
    message: `This job's estimate would take the key over its ${period} budget of $${budget} (per ${when}, counting what is spent and reserved by live jobs).`,
    retryAfterMs: untilResetMs,
  });
}

/** 422: a key with a budget asked for a target whose price is unknown. */
export function priceUnknown(target: string): GatewayError {
  return new GatewayError({
    status: 422,
    code: 'price_unknown',
    message: `${target} has no known price, and this key has a budget that an unknown spend cannot be held to. The operator can set the model's price under \`prices\` in the routing configuration.`,
    param: 'model',
  });
}

/** Which `vidgate_limit_rejections_total` reason an error is, if it is one. */
export function limitReasonOf(error: GatewayError): LimitRejectionReason | undefined {
  const { code } = error;
  return code === 'rate_limit_exceeded' || code === 'concurrency_limit_exceeded' || code === 'budget_exceeded' || code === 'cost_limit_exceeded' ? code : undefined;
}
