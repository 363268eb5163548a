/**
 * Whether a URL is safe to forward to a provider or to fetch. The contract: every URL a client
 * sends and every URL a provider returns is https (http only for a provider configured over http),
 * without credentials, and not a loopback, private, link-local or metadata address. Exceptions: a
 * provider's URLs may point at its own configured host, and `ALLOWED_PRIVATE_HOSTS` are allowed,
 * over plain http too.
 *
 * Host names are judged by what they are by definition (`localhost`, `.internal`, metadata names);
 * what they resolve to is not known here. Whoever connects (webhook delivery on Node) must resolve
 * them and check every address with {@link isPublicAddress}.
 */
import { ConfigError } from '../config-error.ts';
import { type AddressClass, canonicalAddress, classifyAddress } from './ip-address.ts';

export { type AddressClass, classifyAddress, isPublicAddress, METADATA_ADDRESSES } from './ip-address.ts';

export interface UrlRules {
  /** Accept plain http for any host: for URLs returned by a provider that is itself configured over http. */
  allowHttp?: boolean;
  /**
   * `host[:port]` entries accepted whatever they point at (the provider's configured host, as
   * `new URL(baseUrl).host` gives it). Without a port an entry matches the scheme's default port only.
   * Scheme and credential rules still apply.
   */
  trustedHosts?: readonly string[];
  /**
   * `ALLOWED_PRIVATE_HOSTS` entries (see {@link parseAllowedHosts}): host names or IP literals,
   * optionally with `:port`; without a port an entry matches every port. Accepted over http or https
   * whatever they point at.
   */
  allowedPrivateHosts?: readonly string[];
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** An {@link AddressClass} for IP literals and names known to be local; `domain` for other host names. */
export type HostClass = AddressClass | 'domain' | 'invalid';

/**
 * Instance-metadata host names. Names under `.internal` are refused anyway; these get a precise
 * message, and the others (short names resolved through the search domain, Tencent's and Equinix
 * Metal's public names, which answer with the caller's own metadata) would not be refused otherwise.
 */
export const METADATA_HOSTS: readonly string[] = [
  'metadata.google.internal', // GCP
  'metadata.goog', // GCP
  'metadata', // GCP short name
  'instance-data', // AWS short name
  'instance-data.ec2.internal', // AWS
  'metadata.tencentyun.com', // Tencent Cloud
  'metadata.platformequinix.com', // Equinix Metal
  'metadata.packet.net', // Equinix Metal (former name)
];

/**
 * Names that only local resolvers answer: ICANN's private-use `.internal`, RFC 8375 `.home.arpa`,
 * the `.localdomain` convention, `.corp`, `.home` and `.mail` (never to be delegated, for name
 * collisions) and routers' `.lan`. `.test`, `.example` and `.invalid` do not resolve at all.
 */
const PRIVATE_SUFFIXES = ['.internal', '.home.arpa', '.localdomain', '.corp', '.home', '.mail', '.lan'];

const DESCRIPTIONS: Record<Exclude<HostClass, 'public' | 'domain' | 'invalid'>, string> = {
  unspecified: 'an unspecified',
  loopback: 'a loopback',
  private: 'a private',
  'link-local': 'a link-local',
  metadata: 'a cloud metadata',
  multicast: 'a multicast',
  broadcast: 'the broadcast',
  documentation: 'a documentation',
  reserved: 'a reserved',
};

const METADATA_HOST_SET = new Set(METADATA_HOSTS);

/**
 * Checks `value` against the contract. On success `url` is the parsed URL: forward `url.href`, the
 * normalized form that was checked, rather than `value`. `reason` completes "<field> is not a safe
 * URL: …" and never repeats credentials.
 */
export function checkUrl(value: string, rules: UrlRules = {}): UrlCheck {
  // Another parser may read `\` or whitespace differently from WHATWG and reach another host.
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return refuse('it contains whitespace, control characters or backslashes');
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined) return refuse('it is not an absolute URL');
  const privateAllowed = matchesAny(url, rules.allowedPrivateHosts, 'any');
  const schemeProblem = checkScheme(url, rules.allowHttp === true || privateAllowed);
  if (schemeProblem !== undefined) return refuse(schemeProblem);
  const authority = rawAuthority(value, url);
  if (authority === undefined) return refuse(`it is not of the form ${url.protocol}//host/…`);
  if (authority.includes('@') || url.username !== '' || url.password !== '') return refuse('it embeds credentials');
  if (privateAllowed || matchesAny(url, rules.trustedHosts, 'default')) return { ok: true, url };
  return checkHost(url);
}

/** What {@link checkUrl} accepts for the URLs a provider configured at `baseUrl` returns. */
export function providerUrlRules(baseUrl: string, allowedPrivateHosts: readonly string[] = []): UrlRules {
  const base = new URL(baseUrl);
  return { allowHttp: base.protocol === 'http:', trustedHosts: [base.host], allowedPrivateHosts };
}

/**
 * The class of a host as a URL carries it (`url.hostname`) or as written: IP literals in any
 * spelling (see {@link classifyAddress}), or a name. Case and trailing dots do not matter. Names:
 * `localhost`, `*.localhost` are loopback; {@link METADATA_HOSTS} metadata; `*.local` (mDNS)
 * link-local; single-label names and private-use suffixes (`.internal`, `.home.arpa`, …) private;
 * any other well-formed name is `domain`: to be resolved and its addresses checked before connecting.
 */
export function classifyHost(host: string): HostClass {
  const name = normalizeHost(host);
  if (looksLikeAddress(name)) return classifyAddress(name) ?? 'invalid';
  if (!isHostName(name)) return 'invalid';
  if (METADATA_HOST_SET.has(name)) return 'metadata';
  if (name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain') return 'loopback';
  if (name.endsWith('.local')) return 'link-local';
  if (!name.includes('.') || PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix))) return 'private';
  return 'domain';
}

/**
 * `ALLOWED_PRIVATE_HOSTS`: comma-separated host names or IP literals, each optionally with `:port`
 * (IPv6 in brackets when a port follows: `[::1]:8080`). Returns the entries in canonical form
 * (lower case, no trailing dot, IP literals normalized: `0x7f.1` → `127.0.0.1`); throws a
 * {@link ConfigError} naming every entry that is none of these.
 */
export function parseAllowedHosts(list: string | undefined): string[] {
  const entries = (list ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const invalid = entries.filter((entry) => parseHostEntry(entry) === undefined);
  if (invalid.length > 0) {
    const named = invalid.map((entry) => JSON.stringify(entry)).join(', ');
    throw new ConfigError(`Invalid configuration:\n  - ALLOWED_PRIVATE_HOSTS: ${named} ${invalid.length > 1 ? 'are' : 'is'} not a host name or IP address (optionally with :port)`);
  }
  return entries.map((entry) => formatHostEntry(parseHostEntry(entry)!));
}

function refuse(reason: string): UrlCheck {
  return { ok: false, reason };
}

function checkScheme(url: URL, allowHttp: boolean): string | undefined {
  if (url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')) return undefined;
  const accepted = allowHttp ? 'only http and https URLs are accepted' : 'only https URLs are accepted';
  return url.protocol === 'http:' ? `it uses plain http; ${accepted}` : `it uses the ${url.protocol} scheme; ${accepted}`;
}

/**
 * The authority as written, or `undefined` unless the value spells `scheme://`: WHATWG reads
 * `https:host` and `https:/host` as `https://host`, other parsers do not.
 */
function rawAuthority(value: string, url: URL): string | undefined {
  const start = url.protocol.length;
  if (value.slice(start, start + 2) !== '//') return undefined;
  const rest = value.slice(start + 2);
  const end = rest.search(/[/?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

function checkHost(url: URL): UrlCheck {
  const kind = classifyHost(url.hostname);
  if (kind === 'public' || kind === 'domain') return { ok: true, url };
  const shown = url.hostname.replace(/^\[(.*)\]$/, '$1').slice(0, 100);
  if (kind === 'invalid') return refuse(`its host (${shown}) is not a valid host name or address`);
  const noun = looksLikeAddress(normalizeHost(url.hostname)) ? 'address' : 'host';
  return refuse(`it points at ${DESCRIPTIONS[kind]} ${noun} (${shown})`);
}

interface HostEntry {
  /** Canonical: see {@link canonicalHost}. */
  host: string;
  port: number | undefined;
}

/** `any`: an entry without a port matches every port; `default`: only the scheme's default port. */
function matchesAny(url: URL, entries: readonly string[] | undefined, portless: 'any' | 'default'): boolean {
  if (entries === undefined || entries.length === 0) return false;
  const host = canonicalHost(url.hostname);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return entries.some((text) => {
    const entry = parseHostEntry(text);
    if (entry === undefined || entry.host !== host) return false;
    return entry.port === undefined ? portless === 'any' || url.port === '' : entry.port === port;
  });
}

function parseHostEntry(text: string): HostEntry | undefined {
  const entry = text.trim();
  const isBareIPv6 = !entry.startsWith('[') && entry.indexOf(':') !== entry.lastIndexOf(':');
  const match = isBareIPv6 ? [entry, entry] : /^(\[[^\]]+\]|[^:[\]]+)(?::([0-9]{1,5}))?$/.exec(entry);
  const host = match?.[1] === undefined ? undefined : canonicalHost(match[1]);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (host === undefined || (port !== undefined && (port < 1 || port > 65_535))) return undefined;
  return { host, port };
}

function formatHostEntry(entry: HostEntry): string {
  const host = entry.host.includes(':') ? `[${entry.host}]` : entry.host;
  return entry.port === undefined ? host : `${host}:${entry.port}`;
}

/** Lower case, no trailing dots, IP literals in canonical text without brackets; `undefined` if invalid. */
function canonicalHost(host: string): string | undefined {
  const name = normalizeHost(host);
  if (looksLikeAddress(name)) return canonicalAddress(name);
  return isHostName(name) ? name : undefined;
}

/** A trailing dot (`localhost.`) names the same host; it must neither bypass a rule nor break a match. */
function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/** IPv6 (brackets or colons) or, as WHATWG decides, a name whose last label is a number (`127.1`, `0x7f`). */
function looksLikeAddress(name: string): boolean {
  if (name.startsWith('[') || name.includes(':')) return true;
  const last = name.slice(name.lastIndexOf('.') + 1);
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/** Letters, digits, `-` and `_` in non-empty dot-separated labels: what DNS resolvers look up. */
function isHostName(name: string): boolean {
  return /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name);
}
