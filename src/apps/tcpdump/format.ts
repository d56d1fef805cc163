// Renders captured packets the way tcpdump 4.99 (Debian bookworm's 4.99.3) prints them with
// `-nn`, optionally `-e`, `-v`/`-vv` and `-T vxlan`. Works on bytes, as tcpdump does, so a file
// read back with `tcpdump -r` and a live capture print the same. Facts (texts, field order, when a
// field appears) follow tcpdump's print-ether/arp/ip/icmp/igmp/udp/tcp/vxlan/otv.c and
// print-ip6/ip6opts/frag6/icmp6.c; the code is ours.
//
// Decoded: Ethernet II, ARP, IPv4 (options RA/RR/LSRR/SSRR by name), ICMP, IGMP v1-v3, UDP (VXLAN
// on 4789, OTV on 8472 as tcpdump does, all UDP as VXLAN with -T vxlan), TCP (flags, relative
// sequence numbers, options, HTTP text on 80/8080), IPv4-in-IPv4; IPv6 (Hop-by-Hop and Destination
// options, fragments, IPv4/IPv6 in either) with ICMPv6 (errors, echo, MLDv1/v2, Neighbour
// Discovery and its options) — what Linux sends on link-up. Other payloads print as tcpdump prints
// protocols it has no decoder for; where real tcpdump has one (DNS, GRE, TCP/UDP over IPv6, IPv6
// routing headers, ICMPv6 node information, router renumbering, RPL, the DNSSL option, DVMRP,
// PIMv1, ...) we differ: those inside ICMPv6 and IGMP say "[not decoded]".
//
// This module is the dispatcher and the public API; each protocol's printer is in print-*.ts
// (named after tcpdump's files) over the shared state in _context.ts.
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, pcapTimestamp } from '../../wire/index.js';
import type { PcapFile } from '../../wire/index.js';
import { type Layers, PrintContext, Truncated } from './_context.js';
import { IPPROTO_NAMES } from './_text.js';
import { ether, raw } from './print-ether.js';
import { icmp } from './print-icmp.js';
import { icmp6 } from './print-icmp6.js';
import { igmp } from './print-igmp.js';
import { ip } from './print-ip.js';
import { ip6 } from './print-ip6.js';

export interface TcpdumpOptions {
  /** `-e`: print the link-level header. */
  readonly linkHeader?: boolean;
  /** How many `-v` were given (0 to 3). */
  readonly verbose?: number;
  /** `-T vxlan`: decode every UDP payload as VXLAN. */
  readonly packetType?: 'vxlan';
}

/** `HH:MM:SS.uuuuuu` of virtual time since 00:00:00 UTC (tcpdump prints time of day). */
export function formatTimestamp(timeMs: number): string {
  const { sec, usec } = pcapTimestamp(timeMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(sec / 3600) % 24)}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.${String(usec).padStart(6, '0')}`;
}

/** The name tcpdump gives a link type in "reading from file ..., link-type EN10MB (Ethernet)". */
export function linkTypeName(linkType: number): string {
  if (linkType === LINKTYPE_ETHERNET) return 'EN10MB (Ethernet)';
  if (linkType === LINKTYPE_RAW) return 'RAW (Raw IP)';
  return `${linkType}`;
}

/** What `tcpdump -nn [opts] -r file` writes to stdout for a whole capture, one packet per line. */
export function formatPcap(file: PcapFile, opts: TcpdumpOptions = {}): string {
  const printer = new TcpdumpPrinter(file.linkType, opts);
  let out = '';
  for (const r of file.records) out += `${printer.line(r.timeMs, r.bytes, r.origLen)}\n`;
  return out;
}

const MAXIMUM_SNAPLEN = 262144;

/** print.c's sanity checks on a record header; tcpdump prints only this line for such a record. */
function invalidHeader(caplen: number, len: number): string | undefined {
  const problems: string[] = [];
  if (caplen === 0) problems.push(' caplen==0');
  if (len === 0) problems.push(' len==0');
  else if (len < caplen) problems.push(` len(${len}) < caplen(${caplen})`);
  if (caplen > MAXIMUM_SNAPLEN) problems.push(` caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
  if (len > MAXIMUM_SNAPLEN) problems.push(` len(${len}) > ${MAXIMUM_SNAPLEN}`);
  return problems.length ? `[Invalid header:${problems.join(',')}]` : undefined;
}

/**
 * ip_demux_print(): what follows an IP header by protocol number. TCP and UDP over IPv6 and the
 * protocols the IPv4 path does not decode either print as an unknown protocol.
 */
function ipDemux(c: PrintContext, b: Uint8Array, length: number, ver: 4 | 6, fragmented: boolean, nh: number, ipHeader: Uint8Array): void {
  const requires = (v: string) => c.w(`[${IPPROTO_NAMES.get(nh) ?? 'unknown'} requires ${v}] (invalid)`);
  switch (nh) {
    case 1:
      return ver === 4 ? icmp(c, b, length, fragmented) : requires('IPv4');
    case 2:
      return ver === 4 ? igmp(c, b, length) : requires('IPv4');
    case 58:
      return ver === 6 ? icmp6(c, b, length, ipHeader, fragmented) : requires('IPv6');
    case 4:
      return ip(c, b, length);
    case 41:
      return ip6(c, b, length);
    case 59:
      return c.w('no next header');
    case 77:
      return c.w(` nd ${length}`);
    case 143:
      return ver === 6 ? ether(c, b, length) : requires('IPv6');
    default:
      return c.w(` ip-proto-${nh} ${length}`);
  }
}

/**
 * One capture session's printer. It keeps state across packets, as tcpdump does, to print TCP
 * sequence numbers relative to the first ones seen per connection; use one per capture.
 */
export class TcpdumpPrinter {
  private readonly c: PrintContext;

  constructor(
    readonly linkType: number,
    opts: TcpdumpOptions = {},
  ) {
    const layers: Layers = {
      ether: (b, length) => ether(c, b, length),
      ip: (b, length) => ip(c, b, length),
      ip6: (b, length) => ip6(c, b, length),
      demux: (b, length, ver, fragmented, nh, ipHeader) => ipDemux(c, b, length, ver, fragmented, nh, ipHeader),
    };
    const c = new PrintContext(opts.linkHeader ?? false, opts.verbose ?? 0, opts.packetType === 'vxlan', layers);
    this.c = c;
  }

  /**
   * Renders one packet without its timestamp; continuation lines are joined with '\n' and
   * there is no trailing newline. `wireLen` is the length on the wire when `bytes` was cut short.
   */
  format(bytes: Uint8Array, wireLen: number = bytes.length): string {
    const c = this.c;
    c.out = '';
    try {
      if (this.linkType === LINKTYPE_ETHERNET) ether(c, bytes, wireLen);
      else if (this.linkType === LINKTYPE_RAW) raw(c, bytes, wireLen);
      else c.w(`[link type ${this.linkType} not decoded]`);
    } catch (e) {
      if (!(e instanceof Truncated)) throw e;
      c.w(` [|${c.protocol}]`);
    }
    return c.out;
  }

  /** One whole output line (no newline): the timestamp and the packet, as tcpdump prints it. */
  line(timeMs: number, bytes: Uint8Array, wireLen: number = bytes.length): string {
    return invalidHeader(bytes.length, wireLen) ?? `${formatTimestamp(timeMs)} ${this.format(bytes, wireLen)}`;
  }
}
