// The ipset set types this kernel offers (hash:ip, hash:ip,port, hash:ip,port,ip, hash:ip,port,net,
// hash:net, bitmap:port: revision, struct sizes, dimensions, hashed words) and the request types
// (ip_set_hash_*.c, ip_set_bitmap_port.c, uapi/linux/netfilter/ipset/ip_set.h).
import { be16Low, be32Word } from './jhash.js';

export type IpsetTypeName = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

/** One element in the kernel's terms (the IPv4 `mtype_elem`), every field in host order. */
export interface IpsetElem {
  /** First dimension address (hash:net: the network). */
  readonly ip: number;
  /** hash:net: prefix length of `ip`; hash:ip,port,net: prefix length of `ip2`; otherwise 32. */
  readonly cidr: number;
  /** Port (ICMP: type << 8 | code); bitmap:port keeps its member here. */
  readonly port: number;
  /** IP protocol number of the port dimension (0 where the type has none). */
  readonly proto: number;
  /** Third dimension address (hash:ip,port,ip and hash:ip,port,net). */
  readonly ip2: number;
}

export interface IpsetCreateOptions {
  /** Rounded up to a power of two, at least 64 (IPSET_MIMINAL_HASHSIZE). Default 1024. */
  readonly hashsize?: number;
  /** Default 65536. */
  readonly maxelem?: number;
  /** Default element timeout in seconds; present (even 0) means the set supports timeouts. */
  readonly timeout?: number;
  readonly counters?: boolean;
  readonly comment?: boolean;
  /** Slots per bucket before the table doubles: 2..12, even. Default 12. */
  readonly bucketsize?: number;
  /** The jhash seed; random (from the registry's source) when absent. */
  readonly initval?: number;
  /** bitmap:port only: the inclusive port range. */
  readonly range?: { readonly from: number; readonly to: number };
}

/**
 * What `ipset add|del|test` sends the kernel (IPSET_ATTR_*): one element or ranges that the
 * type expands (ip/ipTo or cidr, port/portTo, ip2/ip2To or cidr2), plus the extensions.
 */
export interface IpsetAdtSpec {
  readonly ip?: number;
  readonly ipTo?: number;
  readonly cidr?: number;
  readonly port?: number;
  readonly portTo?: number;
  readonly proto?: number;
  readonly ip2?: number;
  readonly ip2To?: number;
  readonly cidr2?: number;
  readonly nomatch?: boolean;
  readonly timeout?: number;
  readonly comment?: string;
  readonly packets?: number;
  readonly bytes?: number;
}

/** A member as `ipset list` shows it. */
export interface IpsetMember {
  readonly elem: IpsetElem;
  readonly nomatch: boolean;
  /** Remaining seconds (0 = permanent); only in sets with timeout support. */
  readonly timeout?: number;
  readonly packets?: number;
  readonly bytes?: number;
  readonly comment?: string;
}

/** The header `ipset list` prints for a set. */
export interface IpsetHeader {
  readonly name: string;
  readonly type: IpsetTypeName;
  readonly revision: number;
  readonly hashsize?: number;
  readonly maxelem?: number;
  readonly timeout?: number;
  readonly counters: boolean;
  readonly comment: boolean;
  readonly bucketsize?: number;
  readonly initval?: number;
  readonly range?: { readonly from: number; readonly to: number };
  readonly memsize: number;
  readonly references: number;
  readonly entries: number;
}

/** The packet fields a `-m set` match can look at. */
export interface IpsetPacket {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  readonly sport?: number;
  readonly dport?: number;
  /** ICMP type and code (the "port" of an ICMP packet is type << 8 | code). */
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** Bytes of the packet, for set counters. */
  readonly len?: number;
}

/**
 * Kernel error codes (include/uapi/linux/netfilter/ipset/ip_set*.h, plus the errnos the core
 * returns). The ipset app turns each into the userspace tool's sentence for its command.
 */
export type IpsetErrorCode =
  | 'ENOENT' // no set by that name
  | 'EXIST_SETNAME2' // a set with the (new) name exists
  | 'EXIST' // element already added (add) / not added (del); set exists with other params (create -exist)
  | 'BUSY' // set referenced by a kernel component (destroy)
  | 'REFERENCED' // rename of a referenced set
  | 'TYPE_MISMATCH' // swap of sets of different types
  | 'INVALID_CIDR'
  | 'HASH_FULL'
  | 'HASH_ELEM' // zero valued element
  | 'HASH_RANGE' // range covers the whole address space
  | 'INVALID_PROTO'
  | 'MISSING_PROTO'
  | 'BITMAP_RANGE' // element outside the bitmap's range
  | 'BITMAP_RANGE_SIZE' // bitmap range too big
  | 'TIMEOUT' // timeout on a set without timeout support
  | 'COMMENT'
  | 'COUNTER'
  | 'MAX_SETS'
  | 'EINVAL'; // the kernel's plain -EINVAL (hash:ip,port refuses the address 0.0.0.0)

export class IpsetError extends Error {
  constructor(
    readonly code: IpsetErrorCode,
    detail: string = code,
  ) {
    super(`ipset: ${detail}`);
    this.name = 'IpsetError';
  }
}

export const HOST_MASK = 32;

export const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_SCTP = 132;
const IPPROTO_UDPLITE = 136;

/** ip_set_proto_with_ports(). */
export function protoWithPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP || proto === IPPROTO_SCTP || proto === IPPROTO_UDPLITE;
}

export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** ip_set_range_to_cidr(): the largest network starting at `from` within [from, to]; returns its last address. */
export function rangeToCidr(from: number, to: number): { last: number; cidr: number } {
  for (let cidr = 1; cidr <= 32; cidr++) {
    const net = (from & prefixMask(cidr)) >>> 0;
    const last = (net | ~prefixMask(cidr)) >>> 0;
    if (net === from && last <= to) return { last, cidr };
  }
  return { last: from, cidr: 32 };
}

export type Dim = 'ip' | 'port' | 'ip2';

export interface TypeDesc {
  readonly name: IpsetTypeName;
  /** The revision this kernel (6.18) reports. */
  readonly revision: number;
  /** sizeof(struct htype) + sizeof(struct htable) + one region, or sizeof(struct bitmap_port). */
  readonly baseMem: number;
  /** sizeof(struct mtype_elem) of the IPv4 variant. */
  readonly elemLen: number;
  readonly elemAlign: number;
  readonly dims: readonly Dim[];
  /** The element keeps per-prefix bookkeeping (IP_SET_HASH_WITH_NETS); which field carries the prefix. */
  readonly nets?: 'ip' | 'ip2';
  /** IPSET_TYPE_* feature bits (swap compares them). */
  readonly features: number;
  /** The struct's u32 words as jhash2 reads them (nomatch cleared). */
  words(e: IpsetElem): number[];
}

const F_IP = 0x01;
const F_PORT = 0x02;
const F_IP2 = 0x08;
const F_NOMATCH = 0x40;

export const TYPES: Readonly<Record<IpsetTypeName, TypeDesc>> = {
  'hash:ip': {
    name: 'hash:ip',
    revision: 6,
    baseMem: 216,
    elemLen: 4,
    elemAlign: 4,
    dims: ['ip'],
    features: F_IP,
    words: (e) => [be32Word(e.ip)],
  },
  'hash:ip,port': {
    name: 'hash:ip,port',
    revision: 7,
    baseMem: 216,
    elemLen: 8,
    elemAlign: 4,
    dims: ['ip', 'port'],
    features: F_IP | F_PORT,
    words: (e) => [be32Word(e.ip), (be16Low(e.port) | (e.proto << 16)) >>> 0],
  },
  'hash:ip,port,ip': {
    name: 'hash:ip,port,ip',
    revision: 6,
    baseMem: 208,
    elemLen: 12,
    elemAlign: 4,
    dims: ['ip', 'port', 'ip2'],
    features: F_IP | F_PORT | F_IP2,
    words: (e) => [be32Word(e.ip), be32Word(e.ip2), (be16Low(e.port) | (e.proto << 16)) >>> 0],
  },
  'hash:ip,port,net': {
    name: 'hash:ip,port,net',
    revision: 8,
    baseMem: 464,
    elemLen: 12,
    elemAlign: 4,
    dims: ['ip', 'port', 'ip2'],
    nets: 'ip2',
    features: F_IP | F_PORT | F_IP2 | F_NOMATCH,
    // cidr is packed as cidr - 1 in seven bits next to the nomatch bit.
    words: (e) => [be32Word(e.ip), be32Word(e.ip2), (be16Low(e.port) | (((e.cidr - 1) & 0x7f) << 16) | (e.proto << 24)) >>> 0],
  },
  'hash:net': {
    name: 'hash:net',
    revision: 7,
    baseMem: 456,
    elemLen: 8,
    elemAlign: 4,
    dims: ['ip'],
    nets: 'ip',
    features: F_IP | F_NOMATCH,
    words: (e) => [be32Word(e.ip), (e.cidr << 24) >>> 0],
  },
  'bitmap:port': {
    name: 'bitmap:port',
    revision: 3,
    baseMem: 72,
    elemLen: 0,
    elemAlign: 1,
    dims: ['port'],
    features: F_PORT,
    words: (e) => [e.port],
  },
};

export const IPSET_TYPE_NAMES: readonly IpsetTypeName[] = Object.keys(TYPES) as IpsetTypeName[];

export function isIpsetType(name: string): name is IpsetTypeName {
  return Object.hasOwn(TYPES, name);
}

/** The dimension count of a type (`--match-set` needs at least this many flags). */
export function ipsetDimension(type: IpsetTypeName): number {
  return TYPES[type].dims.length;
}

/** ip_set_elem_len(): element plus extensions (timeout, counters, comment), aligned. */
export function elemSize(desc: TypeDesc, timeout: boolean, counters: boolean, comment: boolean): number {
  let len = desc.elemLen;
  let align = desc.elemAlign;
  const add = (extLen: number): void => {
    align = Math.max(align, 8);
    len = Math.ceil(len / 8) * 8 + extLen;
  };
  if (timeout) add(8);
  if (counters) add(16);
  if (comment) add(8);
  return Math.ceil(len / align) * align;
}

export function elemKey(e: IpsetElem): string {
  return `${e.ip}|${e.cidr}|${e.port}|${e.proto}|${e.ip2}`;
}
