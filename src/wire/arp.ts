// ARP for Ethernet/IPv4 (RFC 826): htype 1, ptype 0x0800, hlen 6, plen 4; 28 bytes.
import { get16, get32, put16, put32 } from './_bytes.js';
import { readMac as macFromBytes, writeMac as macToBytes } from './_mac.js';
import { WireError } from './error.js';
import type { ArpPacket, Ipv4, Mac } from './types.js';
import { ETHERTYPE_IPV4 } from './types.js';

export const ARP_LEN = 28;
const HTYPE_ETHERNET = 1;

/** A read-only view of an ARP packet at the start of `bytes` (not copied). */
export class ArpView {
  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 8) throw new WireError('ARP', `packet of ${bytes.length} bytes is shorter than the 8-byte fixed header`);
  }
  get htype(): number {
    return get16(this.bytes, 0);
  }
  get ptype(): number {
    return get16(this.bytes, 2);
  }
  get hlen(): number {
    return this.bytes[4]!;
  }
  get plen(): number {
    return this.bytes[5]!;
  }
  get op(): number {
    return get16(this.bytes, 6);
  }
  /** True when this is the Ethernet/IPv4 flavour the fields below assume. */
  get isEthernetIpv4(): boolean {
    return this.htype === HTYPE_ETHERNET && this.ptype === ETHERTYPE_IPV4 && this.hlen === 6 && this.plen === 4;
  }
  get senderMac(): Mac {
    return macFromBytes(this.bytes, 8);
  }
  get senderIp(): Ipv4 {
    return get32(this.bytes, 14);
  }
  get targetMac(): Mac {
    return macFromBytes(this.bytes, 18);
  }
  get targetIp(): Ipv4 {
    return get32(this.bytes, 24);
  }
}

export function arpBufferLen(_p?: ArpPacket): number {
  return ARP_LEN;
}

/** Decodes an Ethernet/IPv4 ARP packet; trailing bytes (Ethernet padding) are ignored. */
export function parseArp(bytes: Uint8Array): ArpPacket {
  const v = new ArpView(bytes);
  if (!v.isEthernetIpv4) {
    throw new WireError(
      'ARP',
      `htype ${v.htype} ptype 0x${v.ptype.toString(16).padStart(4, '0')} hlen ${v.hlen} plen ${v.plen} is not Ethernet/IPv4`,
    );
  }
  if (bytes.length < ARP_LEN) throw new WireError('ARP', `packet of ${bytes.length} bytes is shorter than 28`);
  return { kind: 'arp', op: v.op, senderMac: v.senderMac, senderIp: v.senderIp, targetMac: v.targetMac, targetIp: v.targetIp };
}

/** Writes the 28-byte packet at `buf[off]`. */
export function emitArp(p: ArpPacket, buf: Uint8Array, off: number): void {
  put16(buf, off, HTYPE_ETHERNET);
  put16(buf, off + 2, ETHERTYPE_IPV4);
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  put16(buf, off + 6, p.op);
  macToBytes(p.senderMac, buf, off + 8);
  put32(buf, off + 14, p.senderIp);
  macToBytes(p.targetMac, buf, off + 18);
  put32(buf, off + 24, p.targetIp);
}
