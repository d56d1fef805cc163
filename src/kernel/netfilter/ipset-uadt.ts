// What one userspace request becomes in the kernel: an add's extensions, the element `test` looks
// up, the elements an add/del range stands for in the type's order (each type's uadt), a packet's
// "port", create -exist's same-set check (ip_set_hash_*.c, ip_set_bitmap_port.c, ip_set_core.c).
import type { AdtExt } from './ipset-ext.js';
import type { IpSet } from './ipset-set.js';
import {
  HOST_MASK,
  IPPROTO_ICMP,
  IpsetError,
  prefixMask,
  protoWithPorts,
  rangeToCidr,
  type IpsetAdtSpec,
  type IpsetElem,
  type IpsetPacket,
} from './ipset-types.js';

/** The extensions of an add request, refused where the set was created without them. */
export function adtExt(set: IpSet, spec: IpsetAdtSpec): AdtExt {
  if (spec.timeout !== undefined && set.timeout === undefined) throw new IpsetError('TIMEOUT');
  if (spec.comment !== undefined && !set.comment) throw new IpsetError('COMMENT');
  if ((spec.packets !== undefined || spec.bytes !== undefined) && !set.counters) throw new IpsetError('COUNTER');
  return {
    timeout: set.timeout === undefined ? undefined : (spec.timeout ?? set.timeout),
    comment: spec.comment,
    packets: spec.packets,
    bytes: spec.bytes,
  };
}

/** ip_set_get_ip4_port(): the "port" of a packet for set matching. */
export function packetPort(pkt: IpsetPacket, src: boolean): number {
  if (protoWithPorts(pkt.proto)) return (src ? pkt.sport : pkt.dport) ?? 0;
  if (pkt.proto === IPPROTO_ICMP) return (((pkt.icmpType ?? 0) << 8) | (pkt.icmpCode ?? 0)) & 0xffff;
  return 0;
}

/** mtype_same_set() plus the type check ip_set_create() does for `-exist`. */
export function sameSet(a: IpSet, b: IpSet): boolean {
  if (a.type !== b.type) return false;
  if (a.isBitmap) {
    return (
      a.range!.from === b.range!.from &&
      a.range!.to === b.range!.to &&
      a.timeout === b.timeout &&
      a.counters === b.counters &&
      a.comment === b.comment
    );
  }
  return a.maxelem === b.maxelem && a.timeout === b.timeout && a.counters === b.counters && a.comment === b.comment;
}

/** The element `ipset test` looks up (IPSET_TEST never expands ranges). */
export function testElem(set: IpSet, s: IpsetAdtSpec): IpsetElem {
  const t = set.type;
  if (t === 'bitmap:port') return { ip: 0, cidr: 32, port: s.port ?? 0, proto: 0, ip2: 0 };
  let port = s.port ?? 0;
  const proto = s.proto ?? 0;
  if (set.desc.dims.includes('port')) {
    if (!s.proto) throw new IpsetError(s.proto === 0 ? 'INVALID_PROTO' : 'MISSING_PROTO');
    if (!(protoWithPorts(proto) || proto === IPPROTO_ICMP)) port = 0;
  }
  if (t === 'hash:net') {
    const cidr = s.cidr ?? HOST_MASK;
    if (!cidr || cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    return { ip: ((s.ip ?? 0) & prefixMask(cidr)) >>> 0, cidr, port: 0, proto: 0, ip2: 0 };
  }
  if (t === 'hash:ip,port,net') {
    const cidr = s.cidr2 ?? HOST_MASK;
    if (!cidr || cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    return { ip: s.ip ?? 0, cidr, port, proto, ip2: ((s.ip2 ?? 0) & prefixMask(cidr)) >>> 0 };
  }
  return {
    ip: s.ip ?? 0,
    cidr: 32,
    port: set.desc.dims.includes('port') ? port : 0,
    proto: set.desc.dims.includes('port') ? proto : 0,
    ip2: s.ip2 ?? 0,
  };
}

/** The type's uadt loop: the elements one add/del request stands for, in the kernel's order. */
export function* expand(set: IpSet, s: IpsetAdtSpec): Generator<IpsetElem> {
  const t = set.type;
  if (t === 'bitmap:port') {
    let from = s.port ?? 0;
    let to = s.portTo ?? from;
    if (from > to) [from, to] = [to, from];
    const r = set.range!;
    if (from < r.from || to > r.to) throw new IpsetError('BITMAP_RANGE');
    for (let p = from; p <= to; p++) yield { ip: 0, cidr: 32, port: p, proto: 0, ip2: 0 };
    return;
  }

  // First dimension: a single address, a range or a CIDR block.
  let ip = s.ip ?? 0;
  let ipTo = ip;
  const hasIpRange = s.ipTo !== undefined || (s.cidr !== undefined && t !== 'hash:net');
  if (t === 'hash:net') {
    if (s.cidr !== undefined && (!s.cidr || s.cidr > HOST_MASK)) throw new IpsetError('INVALID_CIDR');
    const cidr = s.cidr ?? HOST_MASK;
    if (s.ipTo === undefined) {
      yield { ip: (ip & prefixMask(cidr)) >>> 0, cidr, port: 0, proto: 0, ip2: 0 };
      return;
    }
    ipTo = s.ipTo;
    if (ipTo < ip) [ip, ipTo] = [ipTo, ip];
    if (ip === 0 && ipTo === 0xffffffff) throw new IpsetError('HASH_RANGE');
    for (;;) {
      const { last, cidr: c } = rangeToCidr(ip, ipTo);
      yield { ip, cidr: c, port: 0, proto: 0, ip2: 0 };
      if (last >= ipTo) return;
      ip = last + 1;
    }
  }
  if (s.ipTo !== undefined) {
    ipTo = s.ipTo;
    if (ip > ipTo) {
      if (t === 'hash:ip' && ipTo === 0) throw new IpsetError('HASH_ELEM');
      [ip, ipTo] = [ipTo, ip];
    }
  } else if (s.cidr !== undefined) {
    if (!s.cidr || s.cidr > HOST_MASK) throw new IpsetError('INVALID_CIDR');
    ip = (ip & prefixMask(s.cidr)) >>> 0;
    ipTo = (ip | ~prefixMask(s.cidr)) >>> 0;
  }

  if (t === 'hash:ip') {
    for (let a = ip; a <= ipTo; a++) {
      if (a === 0) throw new IpsetError('HASH_ELEM');
      yield { ip: a >>> 0, cidr: 32, port: 0, proto: 0, ip2: 0 };
    }
    return;
  }

  // Port dimension.
  if (s.proto === undefined) throw new IpsetError('MISSING_PROTO');
  if (s.proto === 0) throw new IpsetError('INVALID_PROTO');
  const proto = s.proto;
  const withPorts = protoWithPorts(proto);
  let port = withPorts || proto === IPPROTO_ICMP ? (s.port ?? 0) : 0;
  let portTo = port;
  if (withPorts && s.portTo !== undefined) {
    portTo = s.portTo;
    if (port > portTo) [port, portTo] = [portTo, port];
  }

  if (t === 'hash:ip,port' || t === 'hash:ip,port,ip') {
    const ip2 = s.ip2 ?? 0;
    for (let a = ip; a <= ipTo; a++) {
      if (a === 0 && t === 'hash:ip,port') throw new IpsetError('EINVAL');
      for (let p = port; p <= portTo; p++) yield { ip: a >>> 0, cidr: 32, port: p, proto, ip2 };
    }
    return;
  }

  // hash:ip,port,net: the third dimension is a network or a range split into networks.
  if (s.cidr2 !== undefined && (!s.cidr2 || s.cidr2 > HOST_MASK)) throw new IpsetError('INVALID_CIDR');
  const cidr2 = s.cidr2 ?? HOST_MASK;
  let ip2From = s.ip2 ?? 0;
  let ip2To: number;
  if (s.ip2To !== undefined) {
    ip2To = s.ip2To;
    if (ip2From > ip2To) [ip2From, ip2To] = [ip2To, ip2From];
    if (ip2From === 0 && ip2To === 0xffffffff) throw new IpsetError('HASH_RANGE');
  } else {
    ip2From = (ip2From & prefixMask(cidr2)) >>> 0;
    ip2To = (ip2From | ~prefixMask(cidr2)) >>> 0;
  }
  const single = !(hasIpRange || (withPorts && s.portTo !== undefined) || s.ip2To !== undefined);
  if (single) {
    yield { ip, cidr: cidr2, port, proto, ip2: ip2From };
    return;
  }
  for (let a = ip; a <= ipTo; a++) {
    for (let p = port; p <= portTo; p++) {
      let ip2 = ip2From;
      for (;;) {
        const { last, cidr } = rangeToCidr(ip2, ip2To);
        yield { ip: a >>> 0, cidr, port: p, proto, ip2 };
        if (last >= ip2To) break;
        ip2 = last + 1;
      }
    }
  }
}
