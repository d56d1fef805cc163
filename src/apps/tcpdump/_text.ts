// Names and text helpers for format.ts: the tables tcpdump 4.99 prints from (ethertype, ARP,
// IP protocol and option, ICMP, TCP option names) and its small text routines. Private to
// apps/tcpdump.
import { macFromBytes } from '../../wire/index.js';

/** tcpdump's fetch_token(): a printable token and the index after the blanks that follow it. */
export function fetchToken(b: Uint8Array, idx: number, len: number): { token: string; next: number } | undefined {
  let token = '';
  for (; idx < len; idx++) {
    if (idx >= b.length) return undefined;
    const c = b[idx]!;
    if (c >= 0x80) return undefined;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (c < 0x20 || c > 0x7e) return undefined;
    if (token.length + 2 > 129) return undefined;
    token += String.fromCharCode(c);
  }
  if (!token) return undefined;
  // Only spaces separate tokens: a tab is not printable, so it ends the scan like a line end.
  while (idx < len && idx < b.length && b[idx] === 0x20) idx++;
  return { token, next: idx };
}

export function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end));
}

/** fn_print_char(): M- for 8-bit characters, ^X for control characters. */
export function printChar(c: number): string {
  let s = '';
  if (c >= 0x80) {
    c &= 0x7f;
    s += 'M-';
  }
  if (c < 0x20 || c === 0x7f) return `${s}^${String.fromCharCode(c ^ 0x40)}`;
  return s + String.fromCharCode(c);
}

export function graph(c: number): string {
  return c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
}

export function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** A link-layer address in tcpdump's colon-hex form. */
export function linkAddr(b: Uint8Array, off: number, len: number): string {
  return len === 6 ? macFromBytes(b, off) : Array.from(b.subarray(off, off + len), (x) => hex(x, 2)).join(':');
}

/**
 * The destination the transport checksum covers: with a source route (LSRR/SSRR, RFC 791), the
 * last hop listed, as tcpdump's ip_finddst() reads it.
 */
export function finalDst(ipHeader: Uint8Array): number {
  const hlen = (ipHeader[0]! & 0x0f) * 4;
  const dst = ((ipHeader[16]! << 24) | (ipHeader[17]! << 16) | (ipHeader[18]! << 8) | ipHeader[19]!) >>> 0;
  for (let i = 20; i < hlen; ) {
    const code = ipHeader[i];
    if (code === undefined || code === 0) break;
    let len = 1;
    if (code !== 1) {
      len = ipHeader[i + 1] ?? 0;
      if (len < 2) break;
    }
    if (i + len > hlen || i + len > ipHeader.length) break;
    if ((code === 131 || code === 137) && len >= 7) {
      const at = i + len - 4;
      return ((ipHeader[at]! << 24) | (ipHeader[at + 1]! << 16) | (ipHeader[at + 2]! << 8) | ipHeader[at + 3]!) >>> 0;
    }
    i += len;
  }
  return dst;
}

/** in_cksum_shouldbe(): the checksum field value that would have verified. */
export function cksumShouldBe(field: number, computed: number): number {
  let s = field + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

/** ICMP timestamps: milliseconds since midnight UTC as HH:MM:SS.mmm. */
export function icmpTimestamp(ms: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const sec = Math.floor(ms / 1000);
  return `${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.${String(ms % 1000).padStart(3, '0')}`;
}

export const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x86dd, 'IPv6'],
  [0x8100, '802.1Q'],
  [0x8035, 'Reverse ARP'],
  [0x88cc, 'LLDP'],
]);

export const ARPHRD_NAMES = new Map<number, string>([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
  [19, 'ATM'],
  [32, 'InfiniBand'],
]);

export const ARPOP_NAMES = new Map<number, string>([
  [1, 'Request'],
  [2, 'Reply'],
  [3, 'Reverse Request'],
  [4, 'Reverse Reply'],
  [8, 'Inverse Request'],
  [9, 'Inverse Reply'],
  [10, 'NACK Reply'],
]);

export const IPPROTO_NAMES = new Map<number, string>([
  [0, 'Options'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [8, 'EGP'],
  [9, 'IGRP'],
  [17, 'UDP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [43, 'Routing'],
  [44, 'Fragment'],
  [46, 'RSVP'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [55, 'Mobile IP'],
  [58, 'ICMPv6'],
  [62, 'Mobile IP (old)'],
  [88, 'EIGRP'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [108, 'Compressed IP'],
  [112, 'VRRP'],
  [113, 'PGM'],
  [132, 'SCTP'],
  [135, 'Mobility'],
  [143, 'Ethernet'],
]);

export const IPOPT_NAMES = new Map<number, string>([
  [0, 'EOL'],
  [1, 'NOP'],
  [68, 'timestamp'],
  [130, 'security'],
  [7, 'RR'],
  [137, 'SSRR'],
  [131, 'LSRR'],
  [148, 'RA'],
  [82, 'traceroute'],
]);

export const ICMP_TYPE_NAMES = new Map<number, string>([
  [0, 'echo reply'],
  [4, 'source quench'],
  [8, 'echo request'],
  [10, 'router solicitation'],
  [13, 'time stamp request'],
  [14, 'time stamp reply'],
  [15, 'information request'],
  [16, 'information reply'],
  [17, 'address mask request'],
]);

/** Destination-unreachable codes 5..15 (RFC 1122, RFC 1812); %s is the quoted destination. */
export const UNREACH_TEXTS = new Map<number, string>([
  [5, '%s unreachable - source route failed'],
  [6, 'net %s unreachable - unknown'],
  [7, 'host %s unreachable - unknown'],
  [8, '%s unreachable - source host isolated'],
  [9, 'net %s unreachable - admin prohibited'],
  [10, 'host %s unreachable - admin prohibited'],
  [11, 'net %s unreachable - tos prohibited'],
  [12, 'host %s unreachable - tos prohibited'],
  [13, 'host %s unreachable - admin prohibited filter'],
  [14, 'host %s unreachable - host precedence violation'],
  [15, 'host %s unreachable - precedence cutoff'],
]);

export const TCPOPT_NAMES = new Map<number, string>([
  [0, 'eol'],
  [1, 'nop'],
  [2, 'mss'],
  [3, 'wscale'],
  [4, 'sackOK'],
  [5, 'sack'],
  [6, 'echo'],
  [7, 'echoreply'],
  [8, 'TS'],
  [11, 'cc'],
  [12, 'ccnew'],
  [13, ''],
  [19, 'md5'],
  [20, 'scps'],
  [28, 'uto'],
  [29, 'tcp-ao'],
  [30, 'mptcp'],
  [34, 'tfo'],
  [254, 'exp'],
]);

/** telnet, smtp, whois, bgp, pptp, redis, netbios-ssn, smb, beep, openflow, ftp: tried before HTTP. */
export const TCP_PORTS_BEFORE_HTTP = [23, 25, 43, 179, 1723, 6379, 139, 445, 10288, 6633, 6653, 21];

/** Request methods tcpdump recognises as the start of an HTTP message. */
export const HTTP_METHODS = new Set([
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
]);

/** bittok2str(): the names of the set bits, in table order, joined by ", "; "none" if no bit is named. */
export function bitNames(table: readonly (readonly [number, string])[], v: number): string {
  const names = table.filter(([bit]) => (v & bit) >>> 0 === bit && bit !== 0).map(([, name]) => name);
  return names.length ? names.join(', ') : 'none';
}

export const ICMP6_TYPE_NAMES = new Map<number, string>([
  [1, 'destination unreachable'],
  [2, 'packet too big'],
  [3, 'time exceeded in-transit'],
  [4, 'parameter problem'],
  [128, 'echo request'],
  [129, 'echo reply'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [137, 'redirect'],
  [138, 'router renumbering'],
  [139, 'who-are-you request'],
  [140, 'who-are-you reply'],
  [141, 'inverse neighbor solicitation'],
  [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'],
  [144, 'ha discovery request'],
  [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'],
  [147, 'mobile router advertisement'],
  [201, 'mtrace message'],
  [200, 'mtrace response'],
  [155, 'RPL'],
]);

/** Destination-unreachable codes; the leading space of code 1 is tcpdump's. */
export const ICMP6_UNREACH_NAMES = new Map<number, string>([
  [0, 'unreachable route'],
  [1, ' unreachable prohibited'],
  [2, 'beyond scope'],
  [3, 'unreachable address'],
  [4, 'unreachable port'],
]);

export const ICMP6_PARAMPROB_NAMES = new Map<number, string>([
  [0, 'erroneous'],
  [1, 'next header'],
  [2, 'option'],
  [3, 'incomplete header chain'],
]);

export const ND_OPT_NAMES = new Map<number, string>([
  [1, 'source link-address'],
  [2, 'destination link-address'],
  [3, 'prefix info'],
  [4, 'redirected header'],
  [5, 'mtu'],
  [25, 'rdnss'],
  [31, 'dnssl'],
  [7, 'advertisement interval'],
  [8, 'homeagent information'],
  [24, 'route info'],
]);

export const ND_PI_FLAGS: readonly [number, string][] = [
  [0x80, 'onlink'],
  [0x40, 'auto'],
  [0x20, 'router'],
];

export const ND_RA_FLAGS: readonly [number, string][] = [
  [0x80, 'managed'],
  [0x40, 'other stateful'],
  [0x20, 'home agent'],
  [0x02, 'ipv6 only'],
];

export const ND_NA_FLAGS: readonly [number, string][] = [
  [0x80000000, 'router'],
  [0x40000000, 'solicited'],
  [0x20000000, 'override'],
];

/** Router preference (RFC 4191 §2.1) from bits 3..4 of a flags byte. */
export const RTPREF_NAMES = ['medium', 'high', 'rsv', 'low'];

export const MLDV2_RECORD_NAMES = new Map<number, string>([
  [1, 'is_in'],
  [2, 'is_ex'],
  [3, 'to_in'],
  [4, 'to_ex'],
  [5, 'allow'],
  [6, 'block'],
]);

/** unsigned_relts_print(): seconds as `1y2w3d4h5m6s`, zero units left out. */
export function relativeTime(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (const [unit, n] of [
    ['y', 31536000],
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (secs >= n) {
      s += `${Math.floor(secs / n)}${unit}`;
      secs %= n;
    }
  }
  return s;
}
