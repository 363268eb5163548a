/**
 * The key ledger's conformance cases (src/jobs/store/ledger.ts): run by every job store's test file
 * (memory, SQLite, PostgreSQL on Node; Durable Objects inside workerd) beside `jobStoreCases`.
 * Runtime-agnostic, like job-store-cases.ts. Every case books against accounts of its own, so the
 * cases share one store without seeing each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type JobStore } from '../../src/jobs/store/job-store.ts';
import type { AccountLimits, Booking, Settlement } from '../../src/jobs/store/ledger.ts';
import type { StoreUnderTest } from './job-store-cases.ts';

let bookings = 0;
let accounts = 0;

/** 2026-12-01T10:00:00Z: the cases' "now", well inside a UTC day and month. */
export const LEDGER_NOW = Date.parse('2026-12-01T10:00:00Z');

/** An account name no other case (nor run, for stores that outlive one) has used. */
export function freshAccount(label = 'account'): string {
  accounts += 1;
  return `${label}-${Date.now().toString(36)}-${accounts}`;
}

/** A booking with plausible content; job ids are unique per run. */
export function sampleBooking(overrides: Partial<Booking> = {}): Booking {
  bookings += 1;
  return {
    jobId: `job_ledger${Date.now().toString(36)}${bookings.toString(36).padStart(4, '0')}`,
    account: 'default-account',
    model: 'kling-2.5',
    provider: 'krea',
    amountMicros: 100_000,
    providerUnits: 12.5,
    unit: 'krea_compute_unit',
    at: LEDGER_NOW,
    ...overrides,
  };
}

/** A finished job's final figure. */
export function finalFigure(amountMicros: number, overrides: Partial<Settlement> = {}): Settlement {
  return { amountMicros, providerUnits: null, unit: null, source: 'provider', live: false, ...overrides };
}

/**
 * `count` bookings of `account` admitted all at once (Promise.all) against `limits`; resolves with
 * the ids of those admitted, and fails if any refusal has another reason than `reason`.
 */
export async function racingAdmits(
  stores: readonly JobStore[],
  account: string,
  count: number,
  limits: AccountLimits,
  overrides: Partial<Booking> = {},
): Promise<{ admitted: string[]; reasons: Set<string> }> {
  const attempts = Array.from({ length: count }, (_, index) => sampleBooking({ account, at: LEDGER_NOW + index, ...overrides }));
  const outcomes = await Promise.all(attempts.map((booking, index) => stores[index % stores.length]!.admitBooking(booking, limits)));
  const admitted = attempts.filter((_, index) => outcomes[index] === undefined).map((booking) => booking.jobId);
  return { admitted, reasons: new Set(outcomes.filter((outcome) => outcome !== undefined).map((outcome) => outcome.reason)) };
}

export function ledgerCases(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`key ledger: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: JobStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject?.close());

    /** Books `booking` (with `account` and `at`) and expects it admitted. */
    const admit = async (booking: Booking, limits: AccountLimits = {}) => expect(await store.admitBooking(booking, limits)).toBeUndefined();
    const usageJobs = async (account: string) => (await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).reduce((sum, row) => sum + row.jobs, 0);

    describe('the rate limit', () => {
      it('admits up to requestsPerMinute in a minute, then refuses with the time until the oldest request leaves the window', async () => {
        const account = freshAccount();
        const limits = { requestsPerMinute: 3 };
        for (const offset of [0, 1, 2]) await admit(sampleBooking({ account, at: LEDGER_NOW + offset }), limits);
        expect(await store.admitBooking(sampleBooking({ account, at: LEDGER_NOW + 10_000 }), limits)).toEqual({ reason: 'rate', retryAfterMs: 50_000 });
        expect(await usageJobs(account)).toBe(3);
      });

      it('slides: a request is admitted once the oldest is 60 s old, and the refused ones were never counted', async () => {
        const account = freshAccount();
        const limits = { requestsPerMinute: 3 };
        for (const offset of [0, 1, 2]) await admit(sampleBooking({ account, at: LEDGER_NOW + offset }), limits);
        expect(await store.admitBooking(sampleBooking({ account, at: LEDGER_NOW + 59_999 }), limits)).toEqual({ reason: 'rate', retryAfterMs: 1 });
        // (now, now + 60 s] no longer holds `now`; had the refusals been recorded, the window would be full.
        await admit(sampleBooking({ account, at: LEDGER_NOW + 60_000 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, at: LEDGER_NOW + 60_000 }), limits)).toEqual({ reason: 'rate', retryAfterMs: 1 });
        await admit(sampleBooking({ account, at: LEDGER_NOW + 60_002 }), limits);
      });

      it('counts free requests too, and forgets requests once they are older than the window', async () => {
        const account = freshAccount();
        const limits = { requestsPerMinute: 2 };
        await admit(sampleBooking({ account, amountMicros: 0, at: LEDGER_NOW }), limits);
        await admit(sampleBooking({ account, amountMicros: 0, at: LEDGER_NOW + 1 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 0, at: LEDGER_NOW + 2 }), limits)).toMatchObject({ reason: 'rate' });
        for (const minute of [5, 6]) await admit(sampleBooking({ account, at: LEDGER_NOW + minute * 60_000 }), limits);
      });

      it('when the window holds more than a lowered limit, waits until enough requests left for one more', async () => {
        const account = freshAccount();
        for (const offset of [0, 1_000, 2_000, 3_000]) await admit(sampleBooking({ account, at: LEDGER_NOW + offset }), { requestsPerMinute: 10 });
        // Four in the window, limit 2: one may stay, so the three oldest must leave; the third leaves at now + 62 s.
        expect(await store.admitBooking(sampleBooking({ account, at: LEDGER_NOW + 5_000 }), { requestsPerMinute: 2 })).toEqual({ reason: 'rate', retryAfterMs: 57_000 });
      });

      it('counts a request stamped later than the one being checked (a racing create admitted first, a clock ahead)', async () => {
        const account = freshAccount();
        await admit(sampleBooking({ account, at: LEDGER_NOW + 30_000 }), { requestsPerMinute: 1 });
        expect(await store.admitBooking(sampleBooking({ account, at: LEDGER_NOW }), { requestsPerMinute: 1 })).toEqual({ reason: 'rate', retryAfterMs: 90_000 });
      });

      it('refuses every request at a limit of 0, asking to wait a whole window', async () => {
        const account = freshAccount();
        expect(await store.admitBooking(sampleBooking({ account }), { requestsPerMinute: 0 })).toEqual({ reason: 'rate', retryAfterMs: 60_000 });
        expect(await usageJobs(account)).toBe(0);
      });
    });

    describe('the concurrency limit', () => {
      it('admits up to maxConcurrentJobs live jobs, then refuses', async () => {
        const account = freshAccount();
        const limits = { maxConcurrentJobs: 2 };
        await admit(sampleBooking({ account }), limits);
        await admit(sampleBooking({ account }), limits);
        expect(await store.admitBooking(sampleBooking({ account }), limits)).toEqual({ reason: 'concurrency' });
      });

      it('frees a slot when a job is settled as no longer live, and not when it is settled live', async () => {
        const account = freshAccount();
        const limits = { maxConcurrentJobs: 1 };
        const first = sampleBooking({ account });
        await admit(first, limits);
        await store.settleBooking(account, first.jobId, finalFigure(50_000, { live: true, source: 'estimate' }));
        expect(await store.admitBooking(sampleBooking({ account }), limits)).toEqual({ reason: 'concurrency' });
        await store.settleBooking(account, first.jobId, finalFigure(50_000));
        await admit(sampleBooking({ account }), limits);
      });

      it('refuses any job at a limit of 0', async () => {
        expect(await store.admitBooking(sampleBooking({ account: freshAccount() }), { maxConcurrentJobs: 0 })).toEqual({ reason: 'concurrency' });
      });
    });

    describe('the daily budget', () => {
      it('admits bookings while the day’s sum stays within the budget, to the exact micro-dollar', async () => {
        const account = freshAccount();
        const limits = { dailyBudgetMicros: 1_000_000 };
        await admit(sampleBooking({ account, amountMicros: 400_000 }), limits);
        await admit(sampleBooking({ account, amountMicros: 400_000 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 400_000 }), limits)).toEqual({ reason: 'daily_budget' });
        await admit(sampleBooking({ account, amountMicros: 200_000 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1 }), limits)).toEqual({ reason: 'daily_budget' });
        await admit(sampleBooking({ account, amountMicros: 0 }), limits);
      });

      it('never drifts: ten bookings of $0.367 fit a budget of $3.67 exactly', async () => {
        const account = freshAccount();
        const limits = { dailyBudgetMicros: 3_670_000 };
        for (let index = 0; index < 10; index++) await admit(sampleBooking({ account, amountMicros: 367_000 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1 }), limits)).toEqual({ reason: 'daily_budget' });
        expect(await store.usage(account, LEDGER_NOW, LEDGER_NOW + 1)).toEqual([expect.objectContaining({ jobs: 10, amountMicros: 3_670_000 })]);
      });

      it('at 0 refuses any booking that costs something and admits the free ones', async () => {
        const account = freshAccount();
        const limits = { dailyBudgetMicros: 0 };
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1 }), limits)).toEqual({ reason: 'daily_budget' });
        await admit(sampleBooking({ account, amountMicros: 0 }), limits);
      });

      it('is per UTC day: 23:59:59.999 counts toward its day, 00:00 the next starts afresh', async () => {
        const account = freshAccount();
        const limits = { dailyBudgetMicros: 100 };
        const lastMoment = Date.parse('2026-12-01T23:59:59.999Z');
        await admit(sampleBooking({ account, amountMicros: 100, at: Date.parse('2026-12-01T00:00:00.000Z') }), { dailyBudgetMicros: 100 });
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1, at: lastMoment }), limits)).toEqual({ reason: 'daily_budget' });
        await admit(sampleBooking({ account, amountMicros: 100, at: lastMoment + 1 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1, at: Date.parse('2026-12-02T23:59:59.999Z') }), limits)).toEqual({ reason: 'daily_budget' });
        // A day that is not today is judged by its own bookings.
        await admit(sampleBooking({ account, amountMicros: 100, at: Date.parse('2026-11-30T23:59:59.999Z') }), limits);
      });
    });

    describe('the monthly budget', () => {
      it('sums every day of the UTC month and starts afresh at the next month’s first millisecond', async () => {
        const account = freshAccount();
        const limits = { monthlyBudgetMicros: 1_000_000, dailyBudgetMicros: 600_000 };
        await admit(sampleBooking({ account, amountMicros: 500_000, at: Date.parse('2026-12-01T00:00:00.000Z') }), limits);
        await admit(sampleBooking({ account, amountMicros: 500_000, at: Date.parse('2026-12-15T12:00:00.000Z') }), limits);
        const lastMoment = Date.parse('2026-12-31T23:59:59.999Z');
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 1, at: lastMoment }), limits)).toEqual({ reason: 'monthly_budget' });
        await admit(sampleBooking({ account, amountMicros: 500_000, at: lastMoment + 1 }), limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 500_001, at: Date.parse('2027-01-02T00:00:00.000Z') }), limits)).toEqual({
          reason: 'monthly_budget',
        });
      });
    });

    describe('the order of the checks', () => {
      it('is rate, concurrency, daily budget, monthly budget', async () => {
        const account = freshAccount();
        await admit(sampleBooking({ account, amountMicros: 1_000 }));
        const allBroken = { requestsPerMinute: 1, maxConcurrentJobs: 1, dailyBudgetMicros: 1_000, monthlyBudgetMicros: 1_000 };
        const next = sampleBooking({ account, amountMicros: 1 });
        expect(await store.admitBooking(next, allBroken)).toMatchObject({ reason: 'rate' });
        expect(await store.admitBooking(next, { ...allBroken, requestsPerMinute: undefined })).toEqual({ reason: 'concurrency' });
        expect(await store.admitBooking(next, { dailyBudgetMicros: 1_000, monthlyBudgetMicros: 1_000 })).toEqual({ reason: 'daily_budget' });
        expect(await store.admitBooking(next, { dailyBudgetMicros: 5_000, monthlyBudgetMicros: 1_000 })).toEqual({ reason: 'monthly_budget' });
        await admit(next, { requestsPerMinute: 2, maxConcurrentJobs: 2, dailyBudgetMicros: 1_001, monthlyBudgetMicros: 1_001 });
      });
    });

    describe('releasing a booking', () => {
      it('frees its live slot and its reservation, but its request still counts toward the rate', async () => {
        const account = freshAccount();
        const limits = { requestsPerMinute: 2, maxConcurrentJobs: 1, dailyBudgetMicros: 100 };
        const first = sampleBooking({ account, amountMicros: 100 });
        await admit(first, limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 100, at: LEDGER_NOW + 1 }), limits)).toEqual({ reason: 'concurrency' });
        await store.releaseBooking(account, first.jobId);
        const second = sampleBooking({ account, amountMicros: 100, at: LEDGER_NOW + 2 });
        await admit(second, limits);
        await store.releaseBooking(account, second.jobId);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 100, at: LEDGER_NOW + 3 }), limits)).toEqual({ reason: 'rate', retryAfterMs: 59_997 });
        expect(await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      });

      it('is a no-op for a booking that is not there, and settling one afterwards does nothing', async () => {
        const account = freshAccount();
        const booking = sampleBooking({ account });
        await store.releaseBooking(account, booking.jobId);
        await admit(booking);
        await store.releaseBooking(account, booking.jobId);
        await store.releaseBooking(account, booking.jobId);
        await store.settleBooking(account, booking.jobId, finalFigure(5, { live: true }));
        expect(await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
        await admit(sampleBooking({ account }), { maxConcurrentJobs: 1 });
      });
    });

    describe('settling a booking', () => {
      it('replaces the estimate in the day’s sum with the final figure, and keeps it there after the job ended', async () => {
        const account = freshAccount();
        const limits = { dailyBudgetMicros: 1_000_000, maxConcurrentJobs: 1 };
        const first = sampleBooking({ account, amountMicros: 900_000 });
        await admit(first, limits);
        expect(await store.admitBooking(sampleBooking({ account, amountMicros: 100_000 }), { dailyBudgetMicros: 1_000_000 })).toBeUndefined();
        const third = sampleBooking({ account, amountMicros: 1 });
        expect(await store.admitBooking(third, { dailyBudgetMicros: 1_000_000 })).toEqual({ reason: 'daily_budget' });
        await store.settleBooking(account, first.jobId, finalFigure(300_000));
        await admit(sampleBooking({ account, amountMicros: 600_000 }), { dailyBudgetMicros: 1_000_000 });
        expect(await store.admitBooking(third, { dailyBudgetMicros: 1_000_000 })).toEqual({ reason: 'daily_budget' });
        // A corrected final figure moves the sum again.
        await store.settleBooking(account, first.jobId, finalFigure(0));
        await admit(third, { dailyBudgetMicros: 1_000_000 });
      });

      it('is a no-op for a booking that does not exist, or of another account', async () => {
        const [account, other] = [freshAccount(), freshAccount()];
        const booking = sampleBooking({ account, amountMicros: 10 });
        await admit(booking);
        await store.settleBooking(other, booking.jobId, finalFigure(999));
        await store.settleBooking(account, 'job_neverbooked0000000000', finalFigure(999));
        expect(await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).toEqual([expect.objectContaining({ jobs: 1, amountMicros: 10 })]);
        expect(await store.usage(other, 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
        await admit(sampleBooking({ account }), { maxConcurrentJobs: 2 });
        expect(await store.admitBooking(sampleBooking({ account }), { maxConcurrentJobs: 2 })).toEqual({ reason: 'concurrency' });
      });
    });

    describe('usage', () => {
      it('groups an account’s bookings by model, provider and unit, in that order, over [from, to)', async () => {
        const account = freshAccount();
        const from = Date.parse('2026-12-01T00:00:00Z');
        const to = Date.parse('2026-12-02T00:00:00Z');
        const book = (overrides: Partial<Booking>) => admit(sampleBooking({ account, ...overrides }));
        await book({ model: 'wan-2.5', provider: 'krea', amountMicros: 300_000, providerUnits: 10, at: from });
        await book({ model: 'wan-2.5', provider: 'krea', amountMicros: 367_000, providerUnits: 2.5, at: to - 1 });
        await book({ model: 'wan-2.5', provider: 'aimlapi', amountMicros: 5, providerUnits: null, unit: null, at: from + 5 });
        await book({ model: 'kling-2.5', provider: 'krea', amountMicros: 1, providerUnits: null, unit: null, at: from + 6 });
        await book({ model: 'kling-2.5', provider: 'krea', amountMicros: 2, providerUnits: 4, unit: 'krea_compute_unit', at: from + 7 });
        // Outside the range: the millisecond before it, and its end.
        await book({ model: 'wan-2.5', provider: 'krea', amountMicros: 1_000_000, at: from - 1 });
        await book({ model: 'wan-2.5', provider: 'krea', amountMicros: 1_000_000, at: to });
        const row = (model: string, provider: string, unit: string | null, jobs: number, amountMicros: number, providerUnits: number) => ({
          account, model, provider, unit, jobs, amountMicros, providerUnits,
        });
        expect(await store.usage(account, from, to)).toEqual([
          row('kling-2.5', 'krea', null, 1, 1, 0),
          row('kling-2.5', 'krea', 'krea_compute_unit', 1, 2, 4),
          row('wan-2.5', 'aimlapi', null, 1, 5, 0),
          row('wan-2.5', 'krea', 'krea_compute_unit', 2, 667_000, 12.5),
        ]);
        expect(await store.usage(account, to, to)).toEqual([]);
        expect(await store.usage(account, to, to + 1)).toEqual([row('wan-2.5', 'krea', 'krea_compute_unit', 1, 1_000_000, 12.5)]);
      });

      it('shows settled figures (and units) in place of the estimates, and no released booking', async () => {
        const account = freshAccount();
        const [estimated, billed, released] = [sampleBooking({ account }), sampleBooking({ account }), sampleBooking({ account })];
        for (const booking of [estimated, billed, released]) await admit(booking);
        await store.settleBooking(account, billed.jobId, finalFigure(250_000, { providerUnits: 40, unit: 'aimlapi_credit' }));
        await store.releaseBooking(account, released.jobId);
        expect(await store.usage(account, LEDGER_NOW, LEDGER_NOW + 1)).toEqual([
          { account, model: 'kling-2.5', provider: 'krea', unit: 'aimlapi_credit', jobs: 1, amountMicros: 250_000, providerUnits: 40 },
          { account, model: 'kling-2.5', provider: 'krea', unit: 'krea_compute_unit', jobs: 1, amountMicros: 100_000, providerUnits: 12.5 },
        ]);
      });

      it('is empty for an account that never booked', async () => {
        expect(await store.usage(freshAccount(), 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
      });
    });

    describe('accounts', () => {
      it('are independent: one account’s full limits and bookings change nothing for another', async () => {
        const [busy, idle] = [freshAccount(), freshAccount()];
        const limits = { requestsPerMinute: 1, maxConcurrentJobs: 1, dailyBudgetMicros: 100, monthlyBudgetMicros: 100 };
        await admit(sampleBooking({ account: busy, amountMicros: 100 }), limits);
        expect(await store.admitBooking(sampleBooking({ account: busy, amountMicros: 0 }), limits)).toMatchObject({ reason: 'rate' });
        await admit(sampleBooking({ account: idle, amountMicros: 100 }), limits);
        expect(await store.usage(idle, 0, Number.MAX_SAFE_INTEGER)).toEqual([expect.objectContaining({ account: idle, jobs: 1, amountMicros: 100 })]);
        expect(await store.usage(busy, 0, Number.MAX_SAFE_INTEGER)).toEqual([expect.objectContaining({ account: busy, jobs: 1, amountMicros: 100 })]);
      });
    });

    describe('racing creates', () => {
      it('never overspend: of 50 at once against a daily budget that fits 10, exactly 10 are admitted', async () => {
        const account = freshAccount();
        const { admitted, reasons } = await racingAdmits([store], account, 50, { dailyBudgetMicros: 3_670_000 }, { amountMicros: 367_000 });
        expect(admitted).toHaveLength(10);
        expect([...reasons]).toEqual(['daily_budget']);
        expect(await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).toEqual([expect.objectContaining({ jobs: 10, amountMicros: 3_670_000 })]);
      });

      it('never exceed maxConcurrentJobs: of 50 at once against 3, exactly 3 are admitted', async () => {
        const account = freshAccount();
        const { admitted, reasons } = await racingAdmits([store], account, 50, { maxConcurrentJobs: 3 });
        expect(admitted).toHaveLength(3);
        expect([...reasons]).toEqual(['concurrency']);
        expect(await usageJobs(account)).toBe(3);
      });

      it('never exceed requestsPerMinute: of 50 at once against 7, exactly 7 are admitted', async () => {
        const account = freshAccount();
        const { admitted, reasons } = await racingAdmits([store], account, 50, { requestsPerMinute: 7 });
        expect(admitted).toHaveLength(7);
        expect([...reasons]).toEqual(['rate']);
      });
    });

    describe('mistakes of the caller', () => {
      it('refuse a second booking of one job with a plain error, counting it once', async () => {
        const account = freshAccount();
        const booking = sampleBooking({ account });
        await admit(booking);
        const again = store.admitBooking({ ...booking, at: booking.at + 1 }, {});
        await expect(again).rejects.toThrow(`booking ${booking.jobId} exists`);
        await expect(again).rejects.not.toBeInstanceOf(StoreUnavailableError);
        expect(await usageJobs(account)).toBe(1);
        await admit(sampleBooking({ account }), { requestsPerMinute: 2 });
      });

      it('refuse amounts that are not whole non-negative micro-dollars, writing nothing', async () => {
        const account = freshAccount();
        await expect(store.admitBooking(sampleBooking({ account, amountMicros: 0.5 }), {})).rejects.toThrow('non-negative integer of micro-USD');
        await expect(store.admitBooking(sampleBooking({ account, amountMicros: -1 }), {})).rejects.toThrow('non-negative integer of micro-USD');
        const booking = sampleBooking({ account });
        await admit(booking);
        await expect(store.settleBooking(account, booking.jobId, finalFigure(1.25))).rejects.toThrow('non-negative integer of micro-USD');
        expect(await store.usage(account, 0, Number.MAX_SAFE_INTEGER)).toEqual([expect.objectContaining({ jobs: 1, amountMicros: booking.amountMicros })]);
      });
    });
  });
}
