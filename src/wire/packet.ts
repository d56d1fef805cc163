// Whole packets: the layers of types.ts nested into one another. Each protocol file knows only
// its own header; this file picks the next layer (EtherType, IP protocol, VXLAN port) and sizes
// the whole packet first, so emit allocates one buffer and writes every layer in place.
import { ARP_LEN, emitArp, parseArp } from './arp.js';
import { ETHERNET_HEADER_LEN, EthernetView, emitEthernetHeader } from './ethernet.js';
import { WireError } from './error.js';
import { emitIcmp, icmpBufferLen, parseIcmp } from './icmp.js';
import { Ipv4View, emitIpv4Header, ipv4HeaderLen, parseIpv4Header } from './ipv4.js';
import { emitTcp, parseTcp, tcpBufferLen } from './tcp.js';
import type { EthernetFrame, Ipv4Packet, RawPayload, UdpDatagram, VxlanPacket } from './types.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  IPPROTO_ICMP,
  IPPROTO_IPIP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  VXLAN_PORT_IANA,
  VXLAN_PORT_LINUX,
} from './types.js';
import { UDP_HEADER_LEN, UdpView, emitUdpHeader, parseUdpHeader } from './udp.js';
import { VXLAN_HEADER_LEN, VxlanView, emitVxlanHeader, looksLikeVxlan } from './vxlan.js';

// ---- sizes ----

export function frameBufferLen(f: EthernetFrame): number {
  const p = f.payload;
  const inner = p.kind === 'arp' ? ARP_LEN : p.kind === 'ipv4' ? ipv4BufferLen(p) : p.bytes.length;
  return ETHERNET_HEADER_LEN + inner;
}

export function ipv4BufferLen(p: Ipv4Packet): number {
  return ipv4HeaderLen(p) + ipv4PayloadLen(p);
}

function ipv4PayloadLen(p: Ipv4Packet): number {
  const q = p.payload;
  switch (q.kind) {
    case 'icmp':
      return icmpBufferLen(q);
    case 'udp':
      return udpBufferLen(q);
    case 'tcp':
      return tcpBufferLen(q);
    case 'ipv4':
      return ipv4BufferLen(q);
    case 'raw':
      return q.bytes.length;
  }
}

export function udpBufferLen(d: UdpDatagram): number {
  const q = d.payload;
  return UDP_HEADER_LEN + (q.kind === 'vxlan' ? VXLAN_HEADER_LEN + frameBufferLen(q.payload) : q.bytes.length);
}

// ---- emit ----

/** Encodes a frame into a new buffer of exactly its length. */
export function emitFrame(f: EthernetFrame): Uint8Array {
  const buf = new Uint8Array(frameBufferLen(f));
  emitFrameInto(f, buf, 0);
  return buf;
}

/**
 * Writes a frame at `buf[off]` and returns its length. The caller owns `buf`, which must have
 * `frameBufferLen(f)` bytes from `off`. Throws a WireError when the EtherType names a protocol
 * the payload is not, or a layer cannot be encoded.
 */
export function emitFrameInto(f: EthernetFrame, buf: Uint8Array, off: number): number {
  const p = f.payload;
  emitEthernetHeader(f, buf, off);
  const at = off + ETHERNET_HEADER_LEN;
  if (p.kind === 'arp') {
    expectType('Ethernet', 'EtherType', f.etherType, ETHERTYPE_ARP, p.kind);
    emitArp(p, buf, at);
    return ETHERNET_HEADER_LEN + ARP_LEN;
  }
  if (p.kind === 'ipv4') {
    expectType('Ethernet', 'EtherType', f.etherType, ETHERTYPE_IPV4, p.kind);
    return ETHERNET_HEADER_LEN + emitIpv4Into(p, buf, at);
  }
  buf.set(p.bytes, at);
  return ETHERNET_HEADER_LEN + p.bytes.length;
}

/** Encodes an IPv4 packet (for raw-IP links such as ipip tunnels) into a new buffer. */
export function emitIpv4(p: Ipv4Packet): Uint8Array {
  const buf = new Uint8Array(ipv4BufferLen(p));
  emitIpv4Into(p, buf, 0);
  return buf;
}

/** Writes an IPv4 packet at `buf[off]` and returns its length (see emitFrameInto). */
export function emitIpv4Into(p: Ipv4Packet, buf: Uint8Array, off: number): number {
  const hl = ipv4HeaderLen(p);
  const at = off + hl;
  const q = p.payload;
  let len: number;
  switch (q.kind) {
    case 'icmp':
      expectType('IPv4', 'protocol', p.protocol, IPPROTO_ICMP, q.kind);
      emitIcmp(q, buf, at);
      len = icmpBufferLen(q);
      break;
    case 'udp':
      expectType('IPv4', 'protocol', p.protocol, IPPROTO_UDP, q.kind);
      len = emitUdpInto(q, buf, at, p);
      break;
    case 'tcp':
      expectType('IPv4', 'protocol', p.protocol, IPPROTO_TCP, q.kind);
      emitTcp(q, buf, at, p.src, p.dst);
      len = tcpBufferLen(q);
      break;
    case 'ipv4':
      expectType('IPv4', 'protocol', p.protocol, IPPROTO_IPIP, q.kind);
      len = emitIpv4Into(q, buf, at);
      break;
    case 'raw':
      buf.set(q.bytes, at);
      len = q.bytes.length;
      break;
  }
  emitIpv4Header(p, buf, off, len);
  return hl + len;
}

function emitUdpInto(d: UdpDatagram, buf: Uint8Array, off: number, ip: Ipv4Packet): number {
  const q = d.payload;
  const at = off + UDP_HEADER_LEN;
  let len: number;
  if (q.kind === 'vxlan') {
    emitVxlanHeader(q, buf, at);
    len = VXLAN_HEADER_LEN + emitFrameInto(q.payload, buf, at + VXLAN_HEADER_LEN);
  } else {
    buf.set(q.bytes, at);
    len = q.bytes.length;
  }
  // The payload is in place, so the checksum can cover it.
  emitUdpHeader(d, buf, off, len, ip.src, ip.dst);
  return UDP_HEADER_LEN + len;
}

function expectType(protocol: string, field: string, actual: number, expected: number, payload: string): void {
  if (actual !== expected) {
    const hex = (n: number) => (field === 'EtherType' ? `0x${n.toString(16).padStart(4, '0')}` : String(n));
    throw new WireError(protocol, `${field} ${hex(actual)} does not match the ${payload} payload (expected ${hex(expected)})`);
  }
}

// ---- parse ----

/**
 * Decodes a frame and every layer knetlab knows inside it: ARP and IPv4 by EtherType, ICMP,
 * UDP, TCP and IPv4-in-IPv4 by protocol, VXLAN by UDP port. Everything else (and any fragment's
 * payload) stays raw. Checksums are not verified. Bytes are copied: the result does not alias
 * `bytes`. Throws a WireError naming the first malformed layer.
 */
export function parseFrame(bytes: Uint8Array): EthernetFrame {
  const v = new EthernetView(bytes);
  const type = v.etherType;
  const payload = type === ETHERTYPE_ARP ? parseArp(v.payload) : type === ETHERTYPE_IPV4 ? parseIpv4Packet(v.payload) : raw(v.payload);
  return { kind: 'eth', dst: v.dst, src: v.src, etherType: type, payload };
}

/** Decodes an IPv4 packet at the start of `bytes`; bytes past its total length are ignored. */
export function parseIpv4Packet(bytes: Uint8Array): Ipv4Packet {
  const v = new Ipv4View(bytes);
  const body = v.payload;
  let payload: Ipv4Packet['payload'];
  if (v.isFragment) payload = raw(body);
  else if (v.protocol === IPPROTO_ICMP) payload = parseIcmp(body);
  else if (v.protocol === IPPROTO_UDP) payload = parseUdp(body);
  else if (v.protocol === IPPROTO_TCP) payload = parseTcp(body);
  else if (v.protocol === IPPROTO_IPIP) payload = parseIpv4Packet(body);
  else payload = raw(body);
  return { ...parseIpv4Header(v), payload };
}

/** Decodes a UDP datagram; its payload is VXLAN when a VXLAN port and the bytes agree. */
export function parseUdp(bytes: Uint8Array): UdpDatagram {
  const v = new UdpView(bytes);
  const body = v.payload;
  const vxlanPort = isVxlanPort(v.srcPort) || isVxlanPort(v.dstPort);
  const payload = vxlanPort && looksLikeVxlan(body) ? (tryVxlan(body) ?? raw(body)) : raw(body);
  return { ...parseUdpHeader(v), payload };
}

/** The VXLAN ports knetlab recognises: IANA's 4789 and Linux/flannel's 8472. */
export function isVxlanPort(port: number): boolean {
  return port === VXLAN_PORT_IANA || port === VXLAN_PORT_LINUX;
}

/** Port-based VXLAN detection is a guess, so a payload that fails to decode stays raw. */
function tryVxlan(bytes: Uint8Array): VxlanPacket | undefined {
  const v = new VxlanView(bytes);
  try {
    return { kind: 'vxlan', flags: v.flags, vni: v.vni, payload: parseFrame(v.payload) };
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw e;
  }
}

function raw(bytes: Uint8Array): RawPayload {
  return { kind: 'raw', bytes: bytes.slice() };
}
