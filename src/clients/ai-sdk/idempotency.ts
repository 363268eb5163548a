/**
 * Every create carries an `Idempotency-Key`, so that a retried create is a replay of the first
 * answer at the gateway and never a second (billed) job.
 */
type HeaderMap = Record<string, string | undefined>;

const HEADER = 'idempotency-key';

/**
 * The AI SDK retries a failed `doGenerate` by calling it again with the same options object (its
 * start/status flow sets a key of its own): one key per options object makes those retries replays.
 */
const keysByCall = new WeakMap<object, string>();

/** The headers of a create: the caller's, with the caller's key if it set one, or the call's own. */
export function createHeaders(call: { headers?: HeaderMap }): HeaderMap {
  const given = Object.entries(call.headers ?? {}).find(([name, value]) => name.toLowerCase() === HEADER && value !== undefined)?.[1];
  let key = given ?? keysByCall.get(call);
  if (key === undefined) {
    key = `aisdk_${crypto.randomUUID()}`;
    keysByCall.set(call, key);
  }
  return { ...withoutKey(call.headers), [HEADER]: key };
}

/** The caller's headers for reads, which take no key. */
export function withoutKey(headers: HeaderMap | undefined): HeaderMap {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== HEADER));
}
