/**
 * The key ledger: the part of the job store that counts, per account (a named gateway key), what
 * its limits are checked against: requests in the last minute, live jobs, and spend per UTC day and
 * month. It lives in the job store so that limits hold across every instance sharing the store
 * (PostgreSQL, one SQLite file, the Durable Objects), not per process.
 *
 * Money is integer micro-USD (1 USD = 1_000_000) everywhere here, so sums never drift.
 *
 * Besides the types, this module holds what every implementation decides the same way: the order
 * of the checks and their arithmetic (`limitRefusal`), the UTC periods, the shape checks of what
 * comes in, and the order of usage rows. Each store only reads its figures and writes its rows.
 */

/** A key's limits (each optional: absent = unlimited). */
export interface AccountLimits {
  requestsPerMinute?: number;
  maxConcurrentJobs?: number;
  dailyBudgetMicros?: number; // integer micro-USD
  monthlyBudgetMicros?: number; // integer micro-USD
}

/** What one create books against its account: one request, one live job, and its estimated cost. */
export interface Booking {
  /** The job's id (unique). */
  jobId: string;
  /** The configured key's name, or another stable account id for unnamed keys. */
  account: string;
  /** The model as the client asked for it (alias or direct id), the provider that serves it. */
  model: string;
  provider: string;
  /** The reserved estimate, integer micro-USD (0 when unknown). */
  amountMicros: number;
  /** The estimate in the provider's own units, and the unit's name (`krea_compute_unit`), or null. */
  providerUnits: number | null;
  unit: string | null;
  /** When the create happened (ms since epoch): decides the minute window, the UTC day and month. */
  at: number;
}

export type LimitReason = 'rate' | 'concurrency' | 'daily_budget' | 'monthly_budget';

export interface BookingRefusal {
  reason: LimitReason;
  /**
   * For `rate`: ms until the oldest request in the window leaves it (> 0); when the window holds
   * more than the limit (it was lowered), until enough have left for one more; 60_000 at a limit
   * of 0. Otherwise absent.
   */
  retryAfterMs?: number;
}

/** The final figure of a booked job. */
export interface Settlement {
  amountMicros: number;
  providerUnits: number | null;
  unit: string | null;
  source: 'estimate' | 'provider';
  /** false once the job reached a terminal state (it stops counting toward concurrency). */
  live: boolean;
}

/** Spend and counts of one account over a period, one row per (model, provider, unit). */
export interface UsageRow {
  account: string;
  model: string;
  provider: string;
  unit: string | null;
  jobs: number;
  amountMicros: number;
  providerUnits: number;
}

/** The ledger's operations; every `JobStore` has them. */
export interface KeyLedger {
  /**
   * Atomically (across processes sharing the store): checks the account's limits at `booking.at`
   * and, only if all pass, records the request and the booking (live). Checks, in this order:
   * - rate: admitted requests of the account in (at - 60_000, at] >= requestsPerMinute → refused
   *   (any stamped after `at` count as well: a racing create admitted first, or one from an
   *   instance whose clock runs ahead, must not leave room for one more; see `rateWindowStart`);
   * - concurrency: live bookings >= maxConcurrentJobs → refused;
   * - daily: sum of amountMicros of bookings whose `at` is in the same UTC day + booking.amountMicros > dailyBudgetMicros → refused;
   * - monthly: same for the UTC month.
   * A refusal writes nothing. Returns undefined when admitted. A `jobId` booked before, or an
   * amount that is not a non-negative integer, is a plain error (a bug upstream), and writes nothing.
   */
  admitBooking(booking: Booking, limits: AccountLimits): Promise<BookingRefusal | undefined>;
  /** Updates a booking's figure and live state (no-op when there is no such booking). */
  settleBooking(account: string, jobId: string, settlement: Settlement): Promise<void>;
  /**
   * Removes a booking whose create was refused upstream or never started: its reservation is
   * released and it stops counting toward concurrency. Its request still counts toward the rate.
   */
  releaseBooking(account: string, jobId: string): Promise<void>;
  /** The account's bookings with `at` in [fromMs, toMs), grouped by (model, provider, unit), in `compareUsageRows` order. */
  usage(account: string, fromMs: number, toMs: number): Promise<UsageRow[]>;
}

/** The rate limit's window: a request counts while it is less than this old. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Request rows older than this may be deleted. Longer than the window by a minute, so that an
 * instance whose clock runs behind the others' (its `at` earlier) still finds what its window holds.
 */
export const REQUEST_RETENTION_MS = 2 * RATE_WINDOW_MS;

/** A half-open span of time [from, to), in ms since the epoch. */
export interface Period {
  from: number;
  to: number;
}

/** The UTC day `at` falls in. */
export function utcDay(at: number): Period {
  const day = new Date(at);
  const from = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  return { from, to: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1) };
}

/** The UTC month `at` falls in. */
export function utcMonth(at: number): Period {
  const day = new Date(at);
  return { from: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1), to: Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1) };
}

/**
 * The rate window of a request at `at`: the requests stamped after `at - 60 s`. No upper bound:
 * under a race, creates reach the store in another order than their `at` (and instances' clocks
 * differ), and a request stamped later but admitted first must still count, or the limit would
 * let one more through.
 */
export function rateWindowStart(at: number): number {
  return at - RATE_WINDOW_MS;
}

/**
 * What a store reads, inside its atomic step, for the limits that are set (an unset limit's figure
 * is never looked at, so a store may leave it at 0 or empty without reading it).
 */
export interface AccountFigures {
  /** The `at` of the account's admitted requests after `rateWindowStart(booking.at)`, oldest first. */
  recentRequests: readonly number[];
  /** The account's live bookings. */
  liveBookings: number;
  /** The sum of `amountMicros` of the account's bookings in `utcDay(booking.at)`, and in `utcMonth(booking.at)`. */
  daySpentMicros: number;
  monthSpentMicros: number;
}

/** The first limit the booking breaks, in the port's order, or `undefined` when it passes them all. */
export function limitRefusal(booking: Booking, limits: AccountLimits, figures: AccountFigures): BookingRefusal | undefined {
  const { requestsPerMinute, maxConcurrentJobs, dailyBudgetMicros, monthlyBudgetMicros } = limits;
  if (requestsPerMinute !== undefined && figures.recentRequests.length >= requestsPerMinute) {
    return { reason: 'rate', retryAfterMs: rateRetryAfter(figures.recentRequests, requestsPerMinute, booking.at) };
  }
  if (maxConcurrentJobs !== undefined && figures.liveBookings >= maxConcurrentJobs) return { reason: 'concurrency' };
  if (dailyBudgetMicros !== undefined && figures.daySpentMicros + booking.amountMicros > dailyBudgetMicros) return { reason: 'daily_budget' };
  if (monthlyBudgetMicros !== undefined && figures.monthSpentMicros + booking.amountMicros > monthlyBudgetMicros) return { reason: 'monthly_budget' };
  return undefined;
}

/**
 * When the window is exactly full, the time until its oldest request leaves. When it holds more
 * than the limit (the limit was lowered), the time until enough have left for one more to pass,
 * which is what a client waiting `Retry-After` needs. A limit of 0 never admits; a full window
 * is the honest answer then.
 */
function rateRetryAfter(recent: readonly number[], limit: number, at: number): number {
  // The window passes a request while it holds fewer than `limit`: at most `allowed` may stay.
  const allowed = Math.ceil(limit) - 1;
  const mustLeave = recent[recent.length - 1 - allowed];
  if (allowed < 0 || mustLeave === undefined) return RATE_WINDOW_MS;
  return Math.max(1, mustLeave + RATE_WINDOW_MS - at);
}

/** Which limits need figures at all: the others are not read. */
export function neededFigures(limits: AccountLimits): { rate: boolean; live: boolean; day: boolean; month: boolean } {
  return {
    rate: limits.requestsPerMinute !== undefined,
    live: limits.maxConcurrentJobs !== undefined,
    day: limits.dailyBudgetMicros !== undefined,
    month: limits.monthlyBudgetMicros !== undefined,
  };
}

/** Money must be whole micro-dollars: a fraction would be rounded differently by each store. */
function assertMicros(amountMicros: number, what: string): void {
  if (!Number.isSafeInteger(amountMicros) || amountMicros < 0) throw new Error(`${what} must be a non-negative integer of micro-USD, got ${amountMicros}`);
}

export function assertBooking(booking: Booking): void {
  assertMicros(booking.amountMicros, `the booking of ${booking.jobId}`);
}

export function assertSettlement(jobId: string, settlement: Settlement): void {
  assertMicros(settlement.amountMicros, `the settlement of ${jobId}`);
}

/** A second booking of one job is a bug upstream: the same plain error from every store. */
export function duplicateBookingError(jobId: string, cause?: unknown): Error {
  return new Error(`booking ${jobId} exists`, cause === undefined ? undefined : { cause });
}

/** Usage rows by model, then provider, then unit (no unit first), each in code-unit order, so every store lists them alike. */
export function compareUsageRows(a: UsageRow, b: UsageRow): number {
  return compareText(a.model, b.model) || compareText(a.provider, b.provider) || compareUnit(a.unit, b.unit);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareUnit(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareText(a, b);
}
