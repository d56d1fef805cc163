// Plain representations of the packet formats knetlab moves (smoltcp's `Repr` types).
// kernel/ builds and rewrites these; bytes exist only at the edges (pcap, parse tests).
// A representation is treated as immutable once handed to the kernel: rewriting makes a copy.

/** A MAC address in canonical form: six lowercase hex pairs joined by ':'. */
export type Mac = string;
/** An IPv4 address as an unsigned 32-bit integer in host order (10.0.0.1 = 0x0a000001). */
export type Ipv4 = number;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;

export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;

/** TCP flag bits as they sit in the header's 13th byte. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

/** The IANA VXLAN port; Linux's vxlan driver and flannel default to 8472 instead. */
export const VXLAN_PORT_IANA = 4789;
export const VXLAN_PORT_LINUX = 8472;

/** Bytes nobody in knetlab interprets (an application payload, an unknown protocol). */
export interface RawPayload {
  readonly kind: 'raw';
  readonly bytes: Uint8Array;
  /**
   * bytes.length, given where the bytes are made only when read (a frame kept for tcpdump, see
   * kernel/addrconf.ts): counters need the length, not the bytes.
   */
  readonly length?: number;
}

export interface EthernetFrame {
  readonly kind: 'eth';
  readonly dst: Mac;
  readonly src: Mac;
  readonly etherType: number;
  readonly payload: ArpPacket | Ipv4Packet | RawPayload;
}

/** RFC 826 for Ethernet/IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4). */
export interface ArpPacket {
  readonly kind: 'arp';
  readonly op: number;
  readonly senderMac: Mac;
  readonly senderIp: Ipv4;
  readonly targetMac: Mac;
  readonly targetIp: Ipv4;
}

/** RFC 791. Total length, IHL and header checksum are derived on emit. */
export interface Ipv4Packet {
  readonly kind: 'ipv4';
  readonly tos: number;
  readonly id: number;
  readonly df: boolean;
  readonly mf: boolean;
  /** Fragment offset in 8-byte units. */
  readonly fragOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly src: Ipv4;
  readonly dst: Ipv4;
  /** Raw option bytes (a multiple of 4), usually empty. */
  readonly options: Uint8Array;
  readonly payload: IcmpMessage | UdpDatagram | TcpSegment | Ipv4Packet | RawPayload;
}

/**
 * RFC 792. `rest` is header bytes 4..7: identifier << 16 | sequence for echo, zero or the
 * next-hop MTU for errors. `data` follows the 8-byte header: the echo payload, or for errors
 * the offending datagram's IP header plus its first 8 payload bytes.
 */
export interface IcmpMessage {
  readonly kind: 'icmp';
  readonly type: number;
  readonly code: number;
  readonly rest: number;
  readonly data: Uint8Array;
}

/** RFC 768. The checksum is computed on emit unless `zeroChecksum` (as Linux VXLAN sends). */
export interface UdpDatagram {
  readonly kind: 'udp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly zeroChecksum?: boolean;
  readonly payload: VxlanPacket | RawPayload;
}

/** RFC 793 header with options as raw bytes (a multiple of 4). */
export interface TcpSegment {
  readonly kind: 'tcp';
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly urgent: number;
  readonly options: Uint8Array;
  readonly payload: Uint8Array;
}

/** RFC 7348 §5: flags (0x08 = I, VNI valid), 24-bit VNI, then the inner Ethernet frame. */
export interface VxlanPacket {
  readonly kind: 'vxlan';
  readonly flags: number;
  readonly vni: number;
  readonly payload: EthernetFrame;
}
