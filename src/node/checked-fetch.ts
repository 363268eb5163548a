/**
 * The fetch webhooks, video copies and proxied downloads leave through on Node. A host name is resolved once, at connect
 * time, and the connection only goes to addresses that pass the URL rules: a name that resolves to
 * a private, loopback, link-local or metadata address (now, whatever it resolved to when the job
 * was created) is refused, and the checked address is the one connected to, so DNS rebinding
 * between check and connect is not possible. Hosts in `ALLOWED_PRIVATE_HOSTS` are exempt.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { Agent, fetch as UndiciFetch } from 'undici';
import { isPublicAddress } from '../security/ip-address.ts';

export interface CheckedFetch {
  fetch: typeof fetch;
  close(): Promise<void>;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function createCheckedFetch(allowedPrivateHosts: readonly string[]): CheckedFetch {
  const allowed = new Set(allowedPrivateHosts.map((entry) => entry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')));
  const lookup = (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const unsafe = !allowed.has(hostname.toLowerCase()) && list.find((entry) => !isPublicAddress(entry.address));
      if (unsafe) return callback(Object.assign(new Error(`${hostname} resolves to a non-public address`), { code: 'ERR_UNSAFE_ADDRESS' }), []);
      const all = (options as { all?: boolean }).all;
      return all ? callback(null, list) : callback(null, list[0]!.address, list[0]!.family);
    });
  };
  // undici's fetch (its whole package, over a hundred modules) is loaded on the first webhook or
  // copy, not at start: most of a start's module loading otherwise, for work that comes later.
  let loaded: Promise<{ agent: Agent; fetch: typeof UndiciFetch }> | undefined;
  const load = () => (loaded ??= import('undici').then(({ Agent, fetch }) => ({ agent: new Agent({ connections: 64, keepAliveTimeout: 10_000, connect: { timeout: 5_000, lookup } as never }), fetch })));
  const checkedFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const { agent, fetch } = await load();
    return fetch(input as string, { ...(init as object), dispatcher: agent });
  }) as unknown as typeof fetch;
  const close = async () => {
    // Nothing to close if undici never loaded (or failed to: that call has already failed).
    const opened = await loaded?.catch(() => undefined);
    await opened?.agent.close();
  };
  return { fetch: checkedFetch, close };
}
