// ECMP path selection for multipath routes: fib_multipath_hash() (net/ipv4/route.c) hashes a
// flow's fields as net.ipv4.fib_multipath_hash_policy says, fib_rebalance()
// (net/ipv4/fib_semantics.c) turns the live paths' weights into upper bounds on the 31-bit hash,
// and fib_select_multipath() takes the first live path whose bound the hash does not exceed.
//
// Linux keys the hash (SipHash over the dissected flow keys) with a random secret drawn once per
// boot; here the key comes from the kernel's seed and the namespace, so a run is reproducible
// but the path a given flow takes differs from a real boot's — as it differs between two boots.
import { splitmix32 } from '../sim/index.js';
import type { Ipv4, Ipv4Packet } from '../wire/index.js';
import type { Nexthop, Route } from './fib.js';

/** What fib_multipath_hash() reads of a flow: the addresses, and with policy 1 the protocol and ports. */
export interface MultipathFlow {
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
}

const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/**
 * What fib_multipath_hash() reads of a packet (with an skb): policy 1 dissects its protocol and,
 * in a first fragment, its TCP or UDP ports; the L3 policies read its addresses, or those of the
 * packet an ICMP error quotes (ip_multipath_l3_keys), so an error takes its flow's path.
 */
export function packetHashFlow(p: Ipv4Packet, policy: number): MultipathFlow {
  if (policy === 1) {
    const l4 = p.fragOffset === 0 && (p.payload.kind === 'udp' || p.payload.kind === 'tcp') ? p.payload : undefined;
    return { src: p.src, dst: p.dst, proto: p.protocol, sport: l4?.srcPort, dport: l4?.dstPort };
  }
  const m = p.payload;
  if (p.fragOffset === 0 && m.kind === 'icmp' && ICMP_ERRORS.has(m.type) && m.data.length >= 20) {
    const word = (at: number) => ((m.data[at]! << 24) | (m.data[at + 1]! << 16) | (m.data[at + 2]! << 8) | m.data[at + 3]!) >>> 0;
    return { src: word(12), dst: word(16) };
  }
  return { src: p.src, dst: p.dst };
}

/** A 128-bit SipHash key as four 32-bit words. */
export type HashKey = readonly [number, number, number, number];

/** A key made from a number (splitmix32 over it), as the per-boot secret stands for. */
export function hashKeyFrom(seed: number): HashKey {
  const next = splitmix32(seed);
  return [next(), next(), next(), next()];
}

/**
 * fib_multipath_hash(): policy 0 hashes the addresses (L3), policy 1 also the protocol and ports
 * (L4); 2 and 3 hash as 0 here (no encapsulation is dissected, no custom field set is kept).
 * flow_hash_from_keys() first orders the pair so both directions hash alike, and the result is
 * shifted right by one: a 31-bit value.
 */
export function multipathHash(key: HashKey, policy: number, fl: MultipathFlow): number {
  let src = fl.src >>> 0;
  let dst = fl.dst >>> 0;
  let sport = 0;
  let dport = 0;
  let proto = 0;
  if (policy === 1) {
    sport = fl.sport ?? 0;
    dport = fl.dport ?? 0;
    proto = fl.proto ?? 0;
  }
  // __flow_hash_consistentify()
  if (dst < src || (dst === src && dport < sport)) {
    [src, dst] = [dst, src];
    [sport, dport] = [dport, sport];
  }
  let h = siphash24(key, [src, dst, (((sport & 0xffff) << 16) | (dport & 0xffff)) >>> 0, proto & 0xff]);
  if (h === 0) h = 1;
  return h >>> 1;
}

/**
 * fib_rebalance(): each live path's upper bound is its cumulative share of 2^31, rounded to
 * closest, minus one; a dead path gets -1 and is never chosen.
 */
export function upperBounds(weights: readonly (number | undefined)[]): number[] {
  const total = weights.reduce<number>((s, w) => s + (w ?? 0), 0);
  let w = 0;
  return weights.map((x) => {
    if (x === undefined) return -1;
    w += x;
    return Math.floor((w * 2 ** 31 + Math.floor(total / 2)) / total) - 1;
  });
}

/** fib_select_multipath(): the first path whose upper bound the hash does not exceed. */
export function selectPath(route: Route, hash: number): Nexthop | undefined {
  const hops = route.nexthops ?? [];
  const bounds = upperBounds(hops.map((h) => (h.dev.adminUp ? h.weight : undefined)));
  return hops.find((_, i) => hash <= bounds[i]!);
}

/** The route as if it had only the path `h`: what a lookup's result (res->nhc) resolves to. */
export function viaPath(route: Route, h: Nexthop): Route {
  return Object.assign({}, route, {
    gateway: h.gateway,
    dev: h.dev,
    onlink: h.onlink,
    nexthops: undefined,
    mpFlags: undefined,
    pathOf: route,
  });
}

// SipHash-2-4 (Aumasson and Bernstein) over 32-bit little-endian words, truncated to 32 bits as
// flow_hash_from_keys() keeps it.
const MASK = (1n << 64n) - 1n;

function rotl64(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK;
}

function siphash24(key: HashKey, words: readonly number[]): number {
  const k0 = BigInt(key[0]) | (BigInt(key[1]) << 32n);
  const k1 = BigInt(key[2]) | (BigInt(key[3]) << 32n);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK;
    v1 = rotl64(v1, 13n);
    v1 ^= v0;
    v0 = rotl64(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rotl64(v3, 16n);
    v3 ^= v2;
    v0 = (v0 + v3) & MASK;
    v3 = rotl64(v3, 21n);
    v3 ^= v0;
    v2 = (v2 + v1) & MASK;
    v1 = rotl64(v1, 17n);
    v1 ^= v2;
    v2 = rotl64(v2, 32n);
  };
  const bytes = words.length * 4;
  const blocks: bigint[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) blocks.push(BigInt(words[i]! >>> 0) | (BigInt(words[i + 1]! >>> 0) << 32n));
  let last = BigInt(bytes & 0xff) << 56n;
  if (words.length % 2 === 1) last |= BigInt(words[words.length - 1]! >>> 0);
  for (const m of blocks) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xffn;
  for (let i = 0; i < 4; i++) round();
  return Number((v0 ^ v1 ^ v2 ^ v3) & 0xffffffffn);
}

/** For tests: SipHash-2-4 of whole 32-bit words. */
export const siphashWords = siphash24;
