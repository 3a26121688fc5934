/**
 * Address policy for the HTTP Request step (SSRF guard).
 *
 * The rule is deliberately simple: an address may be reached only if ipaddr.js classifies it as
 * plain `unicast` (after turning an IPv4-mapped IPv6 address back into IPv4), or if it is inside a
 * range the operator put in SSRF_ALLOWLIST. Everything else — loopback, RFC 1918, link-local
 * (cloud metadata), CGNAT, unspecified, multicast, reserved/benchmarking, IPv6 unique-local, and
 * the IPv6 transition ranges (NAT64, 6to4, Teredo, IPv4-compatible ::/96) that can embed an
 * internal IPv4 address — is
 * blocked. An allow-list is easier to get right than a deny-list that must foresee every range.
 *
 * SSRF_ALLOWLIST is a comma-separated list of
 *   - CIDR ranges:   10.20.0.0/16, fd12:3456::/48
 *   - IP addresses:  127.0.0.1 (same as /32, or /128 for IPv6)
 *   - hostnames:     intranet.local, or *.corp.example for every subdomain (not the apex itself)
 * A request to an allow-listed hostname skips the address check entirely: that is how a self-hoster
 * says "this internal name is meant to be reached", whatever it resolves to.
 */
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';

export type AddressCheck =
  | { allowed: true }
  | {
      allowed: false;
      /** The address that was judged (IPv4-mapped IPv6 is judged as its IPv4 address). */
      address: string;
      /** ipaddr.js range name, or 'invalid' when the text is not an IP address. */
      range: string;
      /** What kind of address it is, e.g. "a loopback address". */
      description: string;
      /** Human sentence, e.g. "127.0.0.1 is a loopback address". */
      reason: string;
    };

export interface AddressPolicy {
  /** True when `host` (a hostname, not an IP literal) is allow-listed by name. */
  isHostnameAllowed(host: string): boolean;
  /** Decides whether a connection to this IP address is allowed. */
  checkAddress(ip: string): AddressCheck;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

const RANGE_DESCRIPTIONS: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private network address (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
  linkLocal: 'a link-local address (this range holds cloud metadata endpoints such as 169.254.169.254)',
  carrierGradeNat:
    'a carrier-grade NAT address (100.64.0.0/10, which holds cloud metadata such as 100.100.100.200)',
  unspecified: 'an unspecified address (0.0.0.0/8 or ::), which reaches this machine',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved or benchmarking address',
  benchmarking: 'a benchmarking address',
  uniqueLocal: 'a unique-local IPv6 address (fc00::/7, which holds metadata endpoints such as fd00:ec2::254)',
  rfc6052: 'a NAT64 address that can embed an internal IPv4 address',
  rfc6145: 'an IPv4-translated address that can embed an internal IPv4 address',
  '6to4': 'a 6to4 address that can embed an internal IPv4 address',
  teredo: 'a Teredo address that can embed an internal IPv4 address',
  ipv4Compatible:
    'an IPv4-compatible IPv6 address (::/96, deprecated) that can embed an internal IPv4 address',
};

// ::/96 but :: and ::1: deprecated "IPv4-compatible" addresses (::127.0.0.1), which ipaddr.js calls unicast.
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

function ipv4CompatibleRange(address: Address): string | undefined {
  if (address.kind() !== 'ipv6' || !address.match(IPV4_COMPATIBLE)) return undefined;
  const range = address.range();
  return range === 'unspecified' || range === 'loopback' ? range : 'ipv4Compatible';
}

function describeRange(range: string): string {
  return RANGE_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;
}

/** Strips the brackets of an IPv6 URL host and a trailing dot of a fully-qualified name. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** The SSRF_ALLOWLIST entry that would allow exactly this address. */
export function allowlistEntryFor(ip: string): string {
  const h = normalizeHost(ip);
  return isIP(h) === 6 ? `${h}/128` : `${h}/32`;
}

/** Returns the parsed address and, for IPv4-mapped IPv6, the IPv4 address it stands for. */
function parseAddress(ip: string): { raw: Address; effective: Address } | null {
  const h = normalizeHost(ip);
  // net.isIP accepts only canonical dotted-quad IPv4 and valid IPv6 (with an optional zone id),
  // so shorthand forms such as "127.1" never reach ipaddr's more lenient parser here.
  const version = isIP(h);
  if (!version) return null;
  try {
    // ipaddr.js reads ::1.2.3.4 as IPv4-mapped (::ffff:1.2.3.4); the WHATWG form (::102:304) is what
    // the socket would connect to.
    const raw = ipaddr.parse(version === 6 && h.includes('.') ? canonicalIPv6(h) : h);
    if (raw instanceof ipaddr.IPv6 && raw.isIPv4MappedAddress()) {
      return { raw, effective: raw.toIPv4Address() };
    }
    return { raw, effective: raw };
  } catch {
    return null;
  }
}

function canonicalIPv6(address: string): string {
  const [ip = '', zone] = address.split('%');
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return zone === undefined ? canonical : `${canonical}%${zone}`;
}

const HOSTNAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

function parseHostnameEntry(entry: string): string | null {
  const wildcard = entry.startsWith('*.');
  const name = normalizeHost(wildcard ? entry.slice(2) : entry);
  // domainToASCII turns an internationalised name into the punycode form WHATWG URL produces.
  const ascii = domainToASCII(name) || name;
  if (!HOSTNAME.test(ascii)) return null;
  return wildcard ? `*.${ascii}` : ascii;
}

/**
 * Parses SSRF_ALLOWLIST. Throws on an entry it cannot understand rather than ignoring it: a typo in
 * a security setting should stop start-up, not silently block (or allow) something else.
 */
export function createAddressPolicy(allowlist = ''): AddressPolicy {
  const cidrs: Cidr[] = [];
  const hostnames = new Set<string>();
  const suffixes: string[] = [];

  for (const raw of allowlist.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry.includes('/')) {
      const [addr = '', bits] = entry.split('/');
      const address = normalizeHost(addr);
      if (!isIP(address) || !ipaddr.isValidCIDR(`${address}/${bits}`)) {
        throw new Error(
          `SSRF_ALLOWLIST entry "${entry}" is not a valid CIDR range; write it like 10.20.0.0/16 or fd00:1234::/32.`,
        );
      }
      cidrs.push(ipaddr.parseCIDR(`${address}/${bits}`));
      continue;
    }
    const address = normalizeHost(entry);
    if (isIP(address)) {
      const parsed = ipaddr.parse(address);
      cidrs.push([parsed, parsed.kind() === 'ipv4' ? 32 : 128]);
      continue;
    }
    const hostname = parseHostnameEntry(entry);
    if (hostname === null) {
      throw new Error(
        `SSRF_ALLOWLIST entry "${entry}" is neither a CIDR range (10.20.0.0/16), an IP address nor a hostname (intranet.local, *.corp.example).`,
      );
    }
    if (hostname.startsWith('*.')) suffixes.push(hostname.slice(1));
    else hostnames.add(hostname);
  }

  function inAllowedRange(addr: Address): boolean {
    return cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
  }

  return {
    isHostnameAllowed(host) {
      const h = normalizeHost(host);
      if (h === '' || isIP(h)) return false;
      return hostnames.has(h) || suffixes.some((suffix) => h.endsWith(suffix));
    },

    checkAddress(ip) {
      const parsed = parseAddress(ip);
      if (parsed === null) {
        const description = 'not a valid IP address';
        return {
          allowed: false,
          address: ip,
          range: 'invalid',
          description,
          reason: `${ip} is ${description}`,
        };
      }
      const { raw, effective } = parsed;
      if (inAllowedRange(effective) || inAllowedRange(raw)) return { allowed: true };
      const range = ipv4CompatibleRange(raw) ?? effective.range();
      if (range === 'unicast') return { allowed: true };
      const address = effective.toString();
      const description = describeRange(range);
      return { allowed: false, address, range, description, reason: `${address} is ${description}` };
    },
  };
}
