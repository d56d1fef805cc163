// NAT bindings and packet rewriting (net/netfilter/nf_nat_core.c, nf_nat_proto.c): a DNAT,
// SNAT or MASQUERADE rule decides a connection's new reply tuple once; every later packet of
// the connection, both ways, is rewritten from the connection's tuples.
import { internetChecksum, type Ipv4, type Ipv4Packet } from '../../wire/index.js';
import type { Rng } from '../../sim/index.js';
import type { Conn, ConntrackTable, CtDir, Tuple } from './conntrack.js';
import type { NatRange } from './types.js';

export type Manip = 'src' | 'dst';

/** The ephemeral range nf_nat uses when a source port must change (NF_NAT_RANGE_PROTO_... defaults). */
const PORT_MIN = 1024;
const PORT_MAX = 65535;

/**
 * nf_nat_setup_info(): rewrites `conn.reply` so replies come back to the new address/port.
 * `range` gives the new address (and optionally port range); `random` picks ports at random
 * (--random-fully), else the original port is kept when it is free, as nf_nat does.
 */
export function setupBinding(ct: ConntrackTable, conn: Conn, manip: Manip, range: NatRange, opts: { random: boolean; rng: Rng }): boolean {
  const orig = conn.original;
  const addr = pickAddr(range, manip === 'src' ? orig.src : orig.dst);
  const icmp = orig.proto === 1;
  const keep = icmp || manip === 'src' ? orig.sport : orig.dport;
  // Both tuples of an ICMP echo carry the identifier as `sport` (see Tuple).
  const candidate = (port: number): Tuple =>
    manip === 'src'
      ? icmp
        ? Object.assign({}, conn.reply, { dst: addr, sport: port })
        : Object.assign({}, conn.reply, { dst: addr, dport: port })
      : Object.assign({}, conn.reply, { src: addr, sport: port });
  // An ICMP echo's identifier is its "port" (nf_nat_l4proto_unique_tuple): any of 0-65535.
  const [lo, hi] =
    range.minPort !== undefined
      ? [range.minPort, range.maxPort ?? range.minPort]
      : icmp
        ? [0, 65535]
        : manip === 'src'
          ? [PORT_MIN, PORT_MAX]
          : [keep, keep];
  // Other protocols have no ports: only the address changes.
  if (orig.proto !== 6 && orig.proto !== 17 && !icmp) {
    conn.reply = manip === 'src' ? Object.assign({}, conn.reply, { dst: addr }) : Object.assign({}, conn.reply, { src: addr });
    if (ct.tupleTaken(conn.reply)) return false;
    if (manip === 'src') conn.srcNat = true;
    else conn.dstNat = true;
    return true;
  }
  let port = keep;
  {
    const inRange = keep >= lo && keep <= hi;
    if (opts.random || !inRange || ct.tupleTaken(candidate(keep))) {
      const span = hi - lo + 1;
      const start = opts.random || !inRange ? opts.rng.int(0, span) : (keep - lo + 1) % span;
      port = -1;
      for (let i = 0; i < span; i++) {
        const p = lo + ((start + i) % span);
        if (!ct.tupleTaken(candidate(p))) {
          port = p;
          break;
        }
      }
      if (port < 0) return false;
    }
  }
  conn.reply = candidate(port);
  if (manip === 'src') conn.srcNat = true;
  else conn.dstNat = true;
  return true;
}

function pickAddr(range: NatRange, current: Ipv4): Ipv4 {
  if (range.minAddr === undefined) return current;
  return range.minAddr;
}

/**
 * nf_nat_packet(): the rewrite a packet of `conn` needs at a hook doing `manip`. At a DST hook
 * (PREROUTING, OUTPUT) the original direction needs DNAT and the reply direction un-SNAT; at
 * a SRC hook (POSTROUTING, INPUT) the reverse. The target is the inverse of the other
 * direction's tuple.
 */
export function natPacket(p: Ipv4Packet, conn: Conn, dir: CtDir, manip: Manip): Ipv4Packet {
  const needs = manip === 'src' ? (dir === 'original' ? conn.srcNat : conn.dstNat) : dir === 'original' ? conn.dstNat : conn.srcNat;
  if (!needs) return p;
  const other = dir === 'original' ? conn.reply : conn.original;
  // The packet should look like the inverse of the other direction: src = other.dst, dst = other.src.
  const m = p.payload;
  if (m.kind === 'icmp' && ICMP_ERRORS.has(m.type)) {
    // nf_nat_icmp_reply_translation(): the quoted packet gets the opposite manip from the other
    // direction's tuple, so that its sender recognises its own packet; the outer header is NATed
    // as any reply would be (an error about a DNATed packet comes from the address first asked).
    const data =
      manip === 'src'
        ? rewriteQuoted(m.data, 'dst', other.dst, other.dport, other.sport)
        : rewriteQuoted(m.data, 'src', other.src, other.sport, other.sport);
    return manip === 'src'
      ? Object.assign({}, p, { src: other.dst, payload: { ...m, data } })
      : Object.assign({}, p, { dst: other.src, payload: { ...m, data } });
  }
  // An ICMP echo takes the other direction's identifier, whichever side changes.
  if (m.kind === 'icmp')
    return rewriteIcmpEcho(
      manip === 'src' ? Object.assign({}, p, { src: other.dst }) : Object.assign({}, p, { dst: other.src }),
      other.sport,
    );
  if (manip === 'src') return rewrite(p, 'src', other.dst, other.dport);
  return rewrite(p, 'dst', other.src, other.sport);
}

/** Rewrites one side's address and, for TCP and UDP, its port. */
export function rewrite(p: Ipv4Packet, side: Manip, addr: Ipv4, port: number): Ipv4Packet {
  const l4 = p.payload;
  let payload = l4;
  if (l4.kind === 'tcp' || l4.kind === 'udp') {
    payload = side === 'src' ? Object.assign({}, l4, { srcPort: port }) : Object.assign({}, l4, { dstPort: port });
  }
  return side === 'src' ? Object.assign({}, p, { src: addr, payload }) : Object.assign({}, p, { dst: addr, payload });
}

/** An ICMP echo request or reply with its identifier set (the upper half of `rest`). */
function rewriteIcmpEcho(p: Ipv4Packet, id: number): Ipv4Packet {
  const m = p.payload;
  if (m.kind !== 'icmp' || (m.type !== 0 && m.type !== 8) || m.rest >>> 16 === id) return p;
  return Object.assign({}, p, { payload: { ...m, rest: ((id << 16) | (m.rest & 0xffff)) >>> 0 } });
}

/** ICMP types that quote the packet they are about (icmp_is_err()). */
const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/**
 * A copy of an ICMP error's quoted IPv4 packet with one side's address and port (for a quoted
 * echo: its identifier, `icmpId`) replaced, and the checksums fixed the way nf_nat_ipv4_manip_pkt
 * fixes them: the IP header's recomputed, the transport's updated for what changed.
 */
function rewriteQuoted(q: Uint8Array, side: Manip, addr: Ipv4, port: number, icmpId: number): Uint8Array {
  if (q.length < 20) return q;
  const ihl = (q[0]! & 0x0f) * 4;
  if (q.length < ihl) return q;
  const out = q.slice();
  const get16 = (o: number) => (out[o]! << 8) | out[o + 1]!;
  const put16 = (o: number, v: number) => {
    out[o] = (v >>> 8) & 0xff;
    out[o + 1] = v & 0xff;
  };
  const changed: [number, number][] = [];
  const aoff = side === 'src' ? 12 : 16;
  for (const o of [aoff, aoff + 2]) {
    const v = o === aoff ? addr >>> 16 : addr & 0xffff;
    changed.push([get16(o), v]);
    put16(o, v);
  }
  put16(10, 0);
  put16(10, internetChecksum(out, 0, ihl));
  const proto = out[9]!;
  const l4 = ihl;
  // The transport checksum covers the pseudo-header (addresses) for TCP and UDP, not for ICMP.
  const csumAt = proto === 6 ? l4 + 16 : proto === 17 ? l4 + 6 : proto === 1 ? l4 + 2 : -1;
  const transport: [number, number][] = proto === 1 ? [] : [...changed];
  if ((proto === 6 || proto === 17) && out.length >= l4 + 4) {
    const po = side === 'src' ? l4 : l4 + 2;
    transport.push([get16(po), port]);
    put16(po, port);
  } else if (proto === 1 && out.length >= l4 + 6 && (out[l4] === 8 || out[l4] === 0)) {
    transport.push([get16(l4 + 4), icmpId]);
    put16(l4 + 4, icmpId);
  }
  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'); a zero UDP checksum means none and stays zero.
  if (csumAt >= 0 && out.length >= csumAt + 2 && !(proto === 17 && get16(csumAt) === 0)) {
    let sum = ~get16(csumAt) & 0xffff;
    for (const [was, now] of transport) sum += (~was & 0xffff) + now;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    put16(csumAt, ~sum & 0xffff);
  }
  return out;
}
