import { BlockList, isIP } from 'node:net';

/** Why an address is not a public internet address. */
type AddressKind = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'carrier-grade NAT' | 'multicast' | 'reserved';

export interface NonPublicRange {
  kind: AddressKind;
  /** The range that matched, e.g. `127.0.0.0/8` or `::ffff:7f00:0/104 (IPv4-mapped 127.0.0.0/8)`. */
  range: string;
}

type Rule = [address: string, prefix: number, kind: AddressKind];

const IPV4_RULES: Rule[] = [
  // 0.0.0.0 reaches the local host on Linux, so "this network" is as dangerous as loopback.
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  // Includes 169.254.169.254, the cloud metadata service: the classic SSRF target.
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  // Includes the broadcast address 255.255.255.255.
  ['240.0.0.0', 4, 'reserved'],
];

const IPV6_RULES: Rule[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  // IPv4-compatible addresses (deprecated): nothing legitimate lives there.
  ['::', 96, 'reserved'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001:db8::', 32, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  // Site-local (deprecated) was the IPv6 private range before unique-local replaced it.
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

/**
 * IPv6 forms that carry an IPv4 address and reach it: a private IPv4 address stays private in any of
 * them. `bitsBefore` is where the 32 IPv4 bits start.
 */
const IPV4_EMBEDDINGS: Array<{ name: string; bitsBefore: number; write: (hi: string, lo: string) => string }> = [
  { name: 'IPv4-mapped', bitsBefore: 96, write: (hi, lo) => `::ffff:${hi}:${lo}` },
  { name: 'IPv4-translated', bitsBefore: 96, write: (hi, lo) => `::ffff:0:${hi}:${lo}` },
  { name: 'NAT64', bitsBefore: 96, write: (hi, lo) => `64:ff9b::${hi}:${lo}` },
  { name: '6to4', bitsBefore: 16, write: (hi, lo) => `2002:${hi}:${lo}::` },
];

interface CompiledRule extends NonPublicRange {
  list: BlockList;
}

function compile(address: string, prefix: number, kind: AddressKind, range = `${address}/${prefix}`): CompiledRule {
  const list = new BlockList();
  list.addSubnet(address, prefix, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  return { kind, range, list };
}

function embedded(ipv4: string, prefix: number, kind: AddressKind): CompiledRule[] {
  const n = ipv4.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const hi = Math.floor(n / 0x10000).toString(16);
  const lo = (n % 0x10000).toString(16);
  return IPV4_EMBEDDINGS.map((e) => {
    const address = e.write(hi, lo);
    return compile(address, e.bitsBefore + prefix, kind, `${address}/${e.bitsBefore + prefix} (${e.name} ${ipv4}/${prefix})`);
  });
}

const V4 = IPV4_RULES.map(([a, p, k]) => compile(a, p, k));
// Most specific first, so ::1 reports as loopback rather than as the IPv4-compatible block around it.
const V6 = [...IPV6_RULES.map(([a, p, k]) => compile(a, p, k)), ...IPV4_RULES.flatMap(([a, p, k]) => embedded(a, p, k))];

/**
 * The non-public range an IP address falls in, or undefined for a public unicast address.
 * Throws a TypeError for anything that is not an IP address (a host name must be resolved first).
 */
export function nonPublicRange(ip: string): NonPublicRange | undefined {
  // A zone id (`fe80::1%eth0`) names an interface, not part of the address.
  const address = ip.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 0) throw new TypeError(`"${ip}" is not an IP address`);
  const rule = (family === 4 ? V4 : V6).find((r) => r.list.check(address, family === 4 ? 'ipv4' : 'ipv6'));
  return rule && { kind: rule.kind, range: rule.range };
}

/** True for loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and reserved addresses. */
export function isPrivateAddress(ip: string): boolean {
  return nonPublicRange(ip) !== undefined;
}
