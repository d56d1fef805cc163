// Plain representations of the packet formats knetlab moves (smoltcp's `Repr` types).
// kernel/ builds and rewrites these; bytes exist only at the edges (pcap, parse tests).
// A representation is treated as immutable once handed to the kernel: rewriting makes a copy.
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
//# sourceMappingURL=types.js.map