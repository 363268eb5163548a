/**
 * IP address literals, parsed and classified by value, never by string prefix: `0x7f.1`,
 * `2130706433`, `::ffff:7f00:1` and `127.0.0.1` are the same loopback address. Pure and
 * runtime-agnostic (Workers and Node), so the same check runs on URLs and, on Node, on every
 * address a host name resolves to.
 */

/**
 * What an address is for. Only `public` may be fetched or called back.
 * - `unspecified`: 0.0.0.0/8, `::`;
 * - `private`: RFC 1918, shared/CGNAT 100.64.0.0/10, IPv6 ULA fc00::/7, site-local fec0::/10,
 *   local-use NAT64 64:ff9b:1::/48;
 * - `metadata`: cloud instance-metadata endpoints (see {@link METADATA_ADDRESSES});
 * - `documentation`: TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20;
 * - `reserved`: other special-purpose or unallocated space (192.0.0.0/24, 198.18.0.0/15, 240.0.0.0/4,
 *   IETF protocol space 2001::/23, IPv6 outside 2000::/3).
 */
export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

type Ipv4Range = readonly [base: string, prefix: number, kind: AddressClass];

/**
 * Instance-metadata endpoints, named so an error says what was hit. Most sit in link-local space
 * and would be refused anyway; Alibaba's (CGNAT space) and Azure's WireServer (public space, only
 * reachable from inside Azure) would not.
 */
export const METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle, Hetzner…
  '169.254.170.2', // AWS ECS task metadata and credentials
  '169.254.0.23', // Tencent Cloud
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud (legacy)
  '168.63.129.16', // Azure WireServer
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd20:ce::254', // GCP metadata over IPv6
];

// First match wins (the broadcast address before 240.0.0.0/4); metadata addresses are looked up before any range.
const IPV4_RANGES: readonly Ipv4Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

/**
 * An IPv4 address in any spelling `inet_aton` and the WHATWG URL parser accept: one to four parts,
 * each decimal, octal (leading `0`) or hex (`0x`), the last filling the remaining bytes (`127.1`,
 * `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`); one trailing dot allowed. Returns the 32-bit value.
 */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length > 1 && parts.at(-1) === '') parts.pop();
  if (parts.length > 4) return undefined;
  const numbers = parts.map(parseIPv4Part);
  let value = 0;
  for (const [index, number] of numbers.entries()) {
    const isLast = index === numbers.length - 1;
    const limit = isLast ? 256 ** (5 - numbers.length) : 256;
    if (number === undefined || number >= limit) return undefined;
    value = isLast ? value * limit + number : value * 256 + number;
  }
  return value;
}

function parseIPv4Part(part: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part.slice(1), 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return undefined;
}

/**
 * An IPv6 address as eight 16-bit groups: compressed (`::1`) or full, with an optional dotted
 * IPv4 tail (`::ffff:127.0.0.1`), optional brackets (`[::1]`) and an optional zone id (`fe80::1%eth0`,
 * ignored: it names an interface, not a different address).
 */
export function parseIPv6(text: string): number[] | undefined {
  const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = unbracketed.indexOf('%');
  if (zone === 0 || zone === unbracketed.length - 1) return undefined;
  const address = zone === -1 ? unbracketed : unbracketed.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = parseIPv6Groups(halves[0] ?? '', !compressed);
  const tail = compressed ? parseIPv6Groups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (!compressed) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}

/** Colon-separated hex groups; at the end of the address the last may be dotted-decimal IPv4 (two groups). */
function parseIPv6Groups(text: string, isEnd: boolean): number[] | undefined {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (const [index, piece] of pieces.entries()) {
    if (isEnd && index === pieces.length - 1 && piece.includes('.')) {
      const ipv4 = parseDottedDecimal(piece);
      if (ipv4 === undefined) return undefined;
      groups.push(ipv4 >>> 16, ipv4 & 0xffff);
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** Strict `a.b.c.d` (no octal, hex or short forms), as RFC 4291 allows inside IPv6. */
function parseDottedDecimal(text: string): number | undefined {
  if (!/^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/.test(text)) return undefined;
  return text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** Dotted-decimal text of a 32-bit IPv4 value. */
export function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  const [start, length] = longestZeroRun(groups);
  const hex = groups.map((group) => group.toString(16));
  if (length < 2) return hex.join(':');
  return `${hex.slice(0, start).join(':')}::${hex.slice(start + length).join(':')}`;
}

function longestZeroRun(groups: readonly number[]): [start: number, length: number] {
  let best: [number, number] = [-1, 0];
  let runStart = -1;
  for (let index = 0; index <= groups.length; index++) {
    if (groups[index] === 0) {
      if (runStart === -1) runStart = index;
    } else if (runStart !== -1) {
      if (index - runStart > best[1]) best = [runStart, index - runStart];
      runStart = -1;
    }
  }
  return best;
}

/**
 * The class of an IP literal (IPv4 in any spelling, IPv6 with or without brackets and zone id);
 * `undefined` when `text` is not an IP literal. Embedded IPv4 addresses (mapped `::ffff:0:0/96`,
 * translated `::ffff:0:0:0/96`, compatible `::/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`, Teredo
 * clients) are classified as the IPv4 address they reach.
 */
export function classifyAddress(text: string): AddressClass | undefined {
  if (text.includes(':')) {
    const groups = parseIPv6(text);
    return groups && classifyIPv6(groups);
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : classifyIPv4(value);
}

/** Whether `text` is an IP literal of a publicly routable address: the check for resolved addresses. */
export function isPublicAddress(text: string): boolean {
  return classifyAddress(text) === 'public';
}

/** An IP literal in its canonical text (`127.0.0.1`, `::ffff:7f00:1`), or `undefined` if it is none. */
export function canonicalAddress(text: string): string | undefined {
  if (text.includes(':')) {
    const groups = parseIPv6(text);
    return groups && formatIPv6(groups);
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : formatIPv4(value);
}

const METADATA_SET = new Set(METADATA_ADDRESSES);

const PARSED_IPV4_RANGES = IPV4_RANGES.map(([base, prefix, kind]) => ({ network: parseIPv4(base) ?? 0, size: 2 ** (32 - prefix), kind }));

function classifyIPv4(value: number): AddressClass {
  if (METADATA_SET.has(formatIPv4(value))) return 'metadata';
  const range = PARSED_IPV4_RANGES.find(({ network, size }) => Math.floor(value / size) === Math.floor(network / size));
  return range?.kind ?? 'public';
}

function classifyIPv6(groups: readonly number[]): AddressClass {
  if (METADATA_SET.has(formatIPv6(groups))) return 'metadata';
  const embedded = embeddedIPv4(groups);
  if (embedded !== undefined) return classifyEmbedded(groups, embedded);
  return classifyNativeIPv6(groups);
}

/** The IPv4 address an IPv6 address carries and forwards to, if it is one of the embedding forms. */
function embeddedIPv4(groups: readonly number[]): number | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const low32 = g6 * 0x10000 + g7;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zeroPrefix && g4 === 0 && (g5 === 0 || g5 === 0xffff)) return low32; // compatible, mapped
  if (zeroPrefix && g4 === 0xffff && g5 === 0) return low32; // SIIT translated
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return low32; // NAT64
  if (g0 === 0x2002) return g1 * 0x10000 + g2; // 6to4
  if (g0 === 0x2001 && g1 === 0) return ~low32 >>> 0; // Teredo: the client address, inverted
  return undefined;
}

function classifyEmbedded(groups: readonly number[], ipv4: number): AddressClass {
  const isCompatible = groups.slice(0, 6).every((group) => group === 0);
  if (isCompatible && ipv4 <= 1) return ipv4 === 0 ? 'unspecified' : 'loopback'; // `::`, `::1`
  const kind = classifyIPv4(ipv4);
  // Deprecated IPv4-compatible addresses are not routed even when the IPv4 part is public.
  return kind === 'public' && isCompatible ? 'reserved' : kind;
}

function classifyNativeIPv6(groups: readonly number[]): AddressClass {
  const [g0 = 0, g1 = 0, g2 = 0] = groups;
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private'; // local-use NAT64
  if ((g0 & 0xfe00) === 0xfc00 || (g0 & 0xffc0) === 0xfec0) return 'private'; // ULA, site-local
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if ((g0 === 0x2001 && g1 === 0xdb8) || (g0 & 0xfff0) === 0x3ff0) return 'documentation';
  if (g0 === 0x2001 && g1 < 0x200) return 'reserved'; // IETF protocol assignments 2001::/23
  if ((g0 & 0xe000) !== 0x2000) return 'reserved'; // only 2000::/3 is allocated for global unicast
  return 'public';
}
