/**
 * `Prefer: wait=N` (RFC 7240; DESIGN §6): hold the answer until the job is terminal or N seconds
 * passed, N from 1 to 60 (larger values are taken as 60). Anything else in the header is ignored,
 * as the RFC asks of preferences a server does not honour.
 */
const MAX_WAIT_SECONDS = 60;

/** The wait to apply, in seconds, or `undefined` when none was asked for. */
export function preferredWait(header: string | undefined): number | undefined {
  const match = /(?:^|[;,\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(header ?? '');
  if (!match) return undefined;
  const seconds = Number(match[1]);
  return seconds >= 1 ? Math.min(seconds, MAX_WAIT_SECONDS) : undefined;
}
