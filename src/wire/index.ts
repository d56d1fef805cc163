// The public surface of wire/: packet formats as representations (types.ts), their byte views,
// parse/emit per protocol and for whole packets, checksums, the pcap file format, and HTTP responses
// as Go's net/http writes them.
export * from './types.js';
export * from './addr.js';
export { WireError } from './error.js';
export { internetChecksum, onesSum, pseudoHeaderSum } from './checksum.js';
export { ETHERNET_HEADER_LEN, EthernetView, emitEthernetHeader } from './ethernet.js';
export { ARP_LEN, ArpView, arpBufferLen, emitArp, parseArp } from './arp.js';
export {
  IPV4_MAX_LEN,
  IPV4_MIN_HEADER_LEN,
  Ipv4View,
  emitIpv4Header,
  ipv4ChecksumOk,
  ipv4HeaderLen,
  parseIpv4Header,
} from './ipv4.js';
export {
  ICMP_EXC_FRAGTIME,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_HEADER_LEN,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PORT_UNREACH,
  ICMP_PROT_UNREACH,
  IcmpView,
  echoId,
  echoReplyTo,
  echoSeq,
  emitIcmp,
  icmpBufferLen,
  icmpChecksumOk,
  isEcho,
  makeEchoReply,
  makeEchoRequest,
  parseIcmp,
} from './icmp.js';
export { LINUX_ICMP_QUOTE_MAX, makeIcmpError } from './icmp-error.js';
export type { IcmpErrorOptions } from './icmp-error.js';
export { UDP_HEADER_LEN, UdpView, emitUdpHeader, parseUdpHeader, udpChecksumOk } from './udp.js';
export {
  TCP_CWR,
  TCP_ECE,
  TCP_MIN_HEADER_LEN,
  TcpView,
  emitTcp,
  emitTcpOptions,
  parseTcp,
  parseTcpOptions,
  tcpBufferLen,
  tcpChecksumOk,
} from './tcp.js';
export type { TcpOption } from './tcp.js';
export { VXLAN_FLAG_I, VXLAN_HEADER_LEN, VxlanView, emitVxlanHeader, looksLikeVxlan } from './vxlan.js';
export {
  emitFrame,
  emitFrameInto,
  emitIpv4,
  emitIpv4Into,
  frameBufferLen,
  ipv4BufferLen,
  isVxlanPort,
  parseFrame,
  parseIpv4Packet,
  parseUdp,
  udpBufferLen,
} from './packet.js';
export { LINKTYPE_ETHERNET, LINKTYPE_RAW, PCAP_SNAPLEN, PcapWriter, pcapTimestamp, readPcap } from './pcap.js';
export type { PcapFile, PcapRecord } from './pcap.js';
export {
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ICMPV6_MLDV2_REPORT,
  ICMPV6_NEIGHBOR_ADVERTISEMENT,
  ICMPV6_NEIGHBOR_SOLICITATION,
  ICMPV6_ROUTER_SOLICITATION,
  IPPROTO_HOPOPTS,
  IPPROTO_ICMPV6,
  IPPROTO_NONE,
  IPV6_ALL_MLDV2_ROUTERS,
  IPV6_ALL_NODES,
  IPV6_ALL_ROUTERS,
  IPV6_ALL_SNOOPERS,
  IPV6_HEADER_LEN,
  IPV6_UNSPECIFIED,
  MLDV2_ALLOW_NEW_SOURCES,
  MLDV2_BLOCK_OLD_SOURCES,
  MLDV2_CHANGE_TO_EXCLUDE,
  MLDV2_CHANGE_TO_INCLUDE,
  MLDV2_MODE_IS_EXCLUDE,
  MLDV2_MODE_IS_INCLUDE,
  ND_OPT_NONCE,
  ND_OPT_SOURCE_LINKADDR,
  ND_OPT_TARGET_LINKADDR,
  dadNeighborSolicitation,
  formatIpv6,
  icmpv6Frame,
  ipv6Equal,
  ipv6PseudoHeaderSum,
  linkLocalFromMac,
  mldv2Report,
  multicastMac,
  parseIpv6,
  routerSolicitation,
  setIcmpv6Checksum,
  solicitedNodeGroup,
} from './ipv6.js';
export type { Ipv6, Ipv6FrameOptions } from './ipv6.js';
export { decodeDns, encodeDns, encodeDnsCompressed, frameDnsTcp, unframeDnsTcp } from './dns.js';
export type { DnsMessage, DnsQuestion, DnsRcode, DnsRecord, DnsType, Edns, SoaData, SrvData } from './dns.js';
export {
  type GoMux,
  type GoReply,
  type GoRequest,
  type GoResponse,
  goError,
  goHttpResponse,
  goNotFound,
  goServe,
  imfFixdate,
} from './http.js';
export { tlsUnwrap, tlsWrap } from './tls.js';
