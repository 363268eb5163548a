/**
 * The key ledger in process memory, the memory job store's half for limits and usage (the
 * reference the other stores are held to). Each method runs to its end without awaiting, so a
 * check and the write after it are one atomic step, as the port requires.
 */
import {
  assertBooking,
  assertSettlement,
  compareUsageRows,
  duplicateBookingError,
  limitRefusal,
  rateWindowStart,
  REQUEST_RETENTION_MS,
  utcDay,
  utcMonth,
  type Booking,
  type KeyLedger,
  type Period,
  type Settlement,
  type UsageRow,
} from './ledger.ts';

interface StoredBooking extends Booking {
  source: Settlement['source'];
  live: boolean;
}

interface Account {
  /** Admitted requests' `at`, in the order they were admitted. */
  requests: number[];
  bookings: Map<string, StoredBooking>;
}

export function memoryLedger(): KeyLedger {
  const accounts = new Map<string, Account>();
  const accountOf = (name: string): Account => {
    let account = accounts.get(name);
    if (!account) accounts.set(name, (account = { requests: [], bookings: new Map() }));
    return account;
  };
  const bookingsIn = (account: Account, { from, to }: Period) => [...account.bookings.values()].filter((booking) => booking.at >= from && booking.at < to);
  const spent = (account: Account, period: Period) => bookingsIn(account, period).reduce((sum, booking) => sum + booking.amountMicros, 0);

  return {
    async admitBooking(booking, limits) {
      assertBooking(booking);
      const account = accountOf(booking.account);
      const after = rateWindowStart(booking.at);
      const figures = {
        recentRequests: account.requests.filter((at) => at > after).sort((a, b) => a - b),
        liveBookings: [...account.bookings.values()].filter((held) => held.live).length,
        daySpentMicros: spent(account, utcDay(booking.at)),
        monthSpentMicros: spent(account, utcMonth(booking.at)),
      };
      const refusal = limitRefusal(booking, limits, figures);
      if (refusal) return refusal;
      if (account.bookings.has(booking.jobId)) throw duplicateBookingError(booking.jobId);
      account.requests = account.requests.filter((at) => at > booking.at - REQUEST_RETENTION_MS);
      account.requests.push(booking.at);
      account.bookings.set(booking.jobId, { ...booking, source: 'estimate', live: true });
      return undefined;
    },
    async settleBooking(account, jobId, settlement) {
      assertSettlement(jobId, settlement);
      const held = accounts.get(account)?.bookings.get(jobId);
      if (!held) return;
      const { amountMicros, providerUnits, unit, source, live } = settlement;
      Object.assign(held, { amountMicros, providerUnits, unit, source, live });
    },
    async releaseBooking(account, jobId) {
      accounts.get(account)?.bookings.delete(jobId);
    },
    async usage(name, fromMs, toMs) {
      const account = accounts.get(name);
      if (!account) return [];
      const rows = new Map<string, UsageRow>();
      for (const booking of bookingsIn(account, { from: fromMs, to: toMs })) {
        const key = JSON.stringify([booking.model, booking.provider, booking.unit]);
        const row = rows.get(key) ?? { account: name, model: booking.model, provider: booking.provider, unit: booking.unit, jobs: 0, amountMicros: 0, providerUnits: 0 };
        rows.set(key, { ...row, jobs: row.jobs + 1, amountMicros: row.amountMicros + booking.amountMicros, providerUnits: row.providerUnits + (booking.providerUnits ?? 0) });
      }
      return [...rows.values()].sort(compareUsageRows);
    },
  };
}
