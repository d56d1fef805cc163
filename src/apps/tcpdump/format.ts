// Renders captured packets the way tcpdump 4.99 (Debian bookworm's 4.99.3) prints them with
// `-nn`, optionally `-e`, `-v`/`-vv` and `-T vxlan`. Works on bytes, as tcpdump does, so a file
// read back with `tcpdump -r` and a live capture print the same. Facts (texts, field order, when a
// field appears) follow tcpdump's print-ether/arp/ip/icmp/udp/tcp/vxlan/otv.c; the code is ours.
//
// Decoded: Ethernet II, ARP, IPv4 (options RA/RR/LSRR/SSRR by name), ICMP, UDP (VXLAN on 4789,
// OTV on 8472 as tcpdump does, all UDP as VXLAN with -T vxlan), TCP (flags, relative sequence
// numbers, options, HTTP text on 80/8080), IPv4-in-IPv4. Other payloads print as tcpdump prints
// protocols it has no decoder for; where real tcpdump has one (DNS, IPv6, GRE, ...) we differ.
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  formatIpv4,
  macFromBytes,
  onesSum,
  pcapTimestamp,
  pseudoHeaderSum,
} from '../../wire/index.js';
import type { PcapFile } from '../../wire/index.js';
import {
  ARPHRD_NAMES,
  ARPOP_NAMES,
  ascii,
  cksumShouldBe,
  ETHERTYPE_NAMES,
  fetchToken,
  finalDst,
  graph,
  hex,
  HTTP_METHODS,
  ICMP_TYPE_NAMES,
  icmpTimestamp,
  IPOPT_NAMES,
  IPPROTO_NAMES,
  linkAddr,
  printChar,
  TCP_PORTS_BEFORE_HTTP,
  TCPOPT_NAMES,
  UNREACH_TEXTS,
} from './_text.js';

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

/** Thrown where tcpdump's bounds-checked reads would longjmp out: prints " [|proto]". */
class Truncated {}
/** An IP option's bytes ran out: tcpdump notes "[truncated-option]" and stops at the addresses. */
class OptionTruncated {}

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;
const TCP_FLAG_LETTERS: readonly [number, string][] = [
  [TH_FIN, 'F'],
  [TH_SYN, 'S'],
  [TH_RST, 'R'],
  [0x08, 'P'],
  [TH_ACK, '.'],
  [TH_URG, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/**
 * One capture session's printer. It keeps state across packets, as tcpdump does, to print TCP
 * sequence numbers relative to the first ones seen per connection; use one per capture.
 */
export class TcpdumpPrinter {
  private readonly eflag: boolean;
  private readonly vflag: number;
  private readonly vxlanAll: boolean;
  /** tcpdump's tcp_seq_hash: connection (in a fixed direction) -> initial seq/ack. */
  private readonly tcpSeq = new Map<string, { seq: number; ack: number }>();
  private out = '';
  /** The protocol whose bytes are being read, named in " [|proto]" when they run out. */
  private protocol = '';

  constructor(
    readonly linkType: number,
    opts: TcpdumpOptions = {},
  ) {
    this.eflag = opts.linkHeader ?? false;
    this.vflag = opts.verbose ?? 0;
    this.vxlanAll = opts.packetType === 'vxlan';
  }

  /**
   * Renders one packet without its timestamp; continuation lines are joined with '\n' and
   * there is no trailing newline. `wireLen` is the length on the wire when `bytes` was cut short.
   */
  format(bytes: Uint8Array, wireLen: number = bytes.length): string {
    this.out = '';
    try {
      if (this.linkType === LINKTYPE_ETHERNET) this.ether(bytes, wireLen);
      else if (this.linkType === LINKTYPE_RAW) this.raw(bytes, wireLen);
      else this.w(`[link type ${this.linkType} not decoded]`);
    } catch (e) {
      if (!(e instanceof Truncated)) throw e;
      this.w(` [|${this.protocol}]`);
    }
    return this.out;
  }

  /** One whole output line (no newline): the timestamp and the packet, as tcpdump prints it. */
  line(timeMs: number, bytes: Uint8Array, wireLen: number = bytes.length): string {
    return invalidHeader(bytes.length, wireLen) ?? `${formatTimestamp(timeMs)} ${this.format(bytes, wireLen)}`;
  }

  private w(s: string): void {
    this.out += s;
  }

  // ---- bounds-checked reads (tcpdump's GET_ macros) ----

  private u8(b: Uint8Array, off: number): number {
    if (off >= b.length) throw new Truncated();
    return b[off]!;
  }
  private u16(b: Uint8Array, off: number): number {
    if (off + 2 > b.length) throw new Truncated();
    return (b[off]! << 8) | b[off + 1]!;
  }
  private u24(b: Uint8Array, off: number): number {
    if (off + 3 > b.length) throw new Truncated();
    return (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!;
  }
  private u32(b: Uint8Array, off: number): number {
    if (off + 4 > b.length) throw new Truncated();
    return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  }
  private ip4(b: Uint8Array, off: number): string {
    return formatIpv4(this.u32(b, off));
  }
  private need(b: Uint8Array, len: number): void {
    if (len > b.length) throw new Truncated();
  }

  // ---- link layers ----

  private raw(b: Uint8Array, length: number): void {
    this.protocol = 'raw';
    if (this.eflag) this.w('ip: ');
    this.protocol = 'ipn';
    if (length < 1) return this.w(`truncated-ip ${length}`);
    const version = this.u8(b, 0) >>> 4;
    if (version === 4) this.ip(b, length);
    else this.w(`unknown ip ${version}`);
  }

  /** print-ether.c: `src > dst, ethertype IPv4 (0x0800), length N: ` with -e, then the payload. */
  private ether(b: Uint8Array, length: number): void {
    this.protocol = 'ether';
    if (b.length < 14 || length < 14) throw new Truncated();
    const dst = macFromBytes(b, 0);
    const src = macFromBytes(b, 6);
    const type = this.u16(b, 12);
    const header = `${src} > ${dst}, ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'} (0x${hex(type, 4)}), length ${length}: `;
    if (type <= 1500) {
      // An IEEE 802.3 length field; knetlab sends no LLC frames, so only the header is decoded.
      const len = Math.min(type, length - 14);
      if (this.eflag) this.w(`${src} > ${dst}, 802.3, length ${len}: `);
      this.protocol = 'llc';
      if (len < 3 || b.length < 17) throw new Truncated();
      return this.w('[LLC not decoded]');
    }
    if (this.eflag) this.w(header);
    const payload = b.subarray(14);
    if (type === 0x0800) return this.ip(payload, length - 14);
    if (type === 0x0806) return this.arp(payload, length - 14);
    if (!this.eflag) this.w(header);
    this.hexDump(payload);
  }

  /** tcpdump's default printer for payloads it cannot decode (hex_and_ascii_print). */
  private hexDump(b: Uint8Array): void {
    for (let line = 0; line < b.length; line += 16) {
      let hexPart = '';
      let ascii = '';
      const end = Math.min(line + 16, b.length);
      for (let i = line; i < end; i += 2) {
        hexPart += i + 1 < end ? ` ${hex(b[i]!, 2)}${hex(b[i + 1]!, 2)}` : ` ${hex(b[i]!, 2)}`;
        ascii += graph(b[i]!) + (i + 1 < end ? graph(b[i + 1]!) : '');
      }
      this.w(`\n\t0x${hex(line, 4)}: ${hexPart.padEnd(40)}  ${ascii}`);
    }
  }

  // ---- ARP (print-arp.c) ----

  private arp(b: Uint8Array, length: number): void {
    this.protocol = 'arp';
    this.need(b, 8);
    const hrd = this.u16(b, 0);
    const pro = this.u16(b, 2);
    const hln = b[4]!;
    const pln = b[5]!;
    const op = this.u16(b, 6);
    const sha = 8;
    const spa = sha + hln;
    const tha = spa + pln;
    const tpa = tha + hln;
    this.need(b, tpa + pln);
    if (!this.eflag) this.w('ARP, ');
    const isIp = pro === 0x0800 || pro === 0x1000;
    if (!isIp || pln !== 4 || hln === 0 || this.vflag) {
      const hrdName = ARPHRD_NAMES.get(hrd) ?? `Unknown Hardware (${hrd})`;
      const proName = pro === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${hex(pro, 4)})`;
      this.w(`${hrdName} (len ${hln}), ${proName} (len ${pln})`);
      if (!this.vflag) return this.w(`, length ${length}`);
    }
    const link = (off: number) => linkAddr(b, off, hln);
    const paddr = (off: number) => (!isIp ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : this.ip4(b, off));
    this.w(`${this.vflag ? ', ' : ''}${ARPOP_NAMES.get(op) ?? `Unknown (${op})`} `);
    switch (op) {
      case 1: {
        this.w(`who-has ${paddr(tpa)}`);
        if (b.subarray(tha, tha + hln).some((x) => x !== 0)) this.w(` (${link(tha)})`);
        this.w(` tell ${paddr(spa)}`);
        break;
      }
      case 2:
        this.w(`${paddr(spa)} is-at ${link(sha)}`);
        break;
      case 3:
      case 8:
        this.w(`who-is ${link(tha)} tell ${link(sha)}`);
        break;
      case 4:
        this.w(`${link(tha)} at ${paddr(tpa)}`);
        break;
      case 9:
        this.w(`${link(sha)} at ${paddr(spa)}`);
        break;
      default:
        return this.hexDump(b);
    }
    this.w(`, length ${length}`);
  }

  // ---- IPv4 (print-ip.c) ----

  /** `length` is what the layer below says the packet spans; `b` what was captured of it. */
  private ip(b: Uint8Array, length: number): void {
    this.protocol = 'ip';
    const version = this.u8(b, 0) >>> 4;
    if (version !== 4) {
      this.w(version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`);
      return this.w(' (invalid)');
    }
    if (!this.eflag) this.w('IP ');
    this.need(b, 20);
    if (length < 20) return this.w(`truncated-ip ${length}`);
    const hlen = (b[0]! & 0x0f) * 4;
    if (hlen < 20) return this.w(`bad-hlen ${hlen}`);
    let len = this.u16(b, 2);
    if (length < len) this.w(`truncated-ip - ${len - length} bytes missing! `);
    if (len < hlen) return this.w(`bad-len ${len}`);
    b = b.subarray(0, len); // the snapshot ends with the IP payload (Ethernet padding is not ours)
    len -= hlen;
    const off = this.u16(b, 6);
    const proto = b[9]!;
    const src = this.ip4(b, 12);
    const dst = this.ip4(b, 16);
    if (this.vflag && !this.ipVerboseHeader(b, hlen, off, proto)) {
      this.w(`${src} > ${dst}: `);
      throw new Truncated();
    }
    if ((off & 0x1fff) !== 0) return this.w(`${src} > ${dst}: ip-proto-${proto}`);
    if (proto !== 6 && proto !== 17) this.w(`${src} > ${dst}: `);
    if (hlen > b.length) {
      this.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
      throw new Truncated();
    }
    const fragmented = (off & 0x2000) !== 0;
    const payload = b.subarray(hlen);
    switch (proto) {
      case 1:
        return this.icmp(payload, len, fragmented);
      case 6:
        return this.tcp(payload, len, b, fragmented);
      case 17:
        return this.udp(payload, len, b, fragmented);
      case 4:
        return this.ip(payload, len);
      default:
        return this.w(` ip-proto-${proto} ${len}`);
    }
  }

  /**
   * `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length 84)` and a new line;
   * false when the options were not all captured.
   */
  private ipVerboseHeader(b: Uint8Array, hlen: number, off: number, proto: number): boolean {
    const tos = b[1]!;
    this.w(`(tos 0x${tos.toString(16)}${['', ',ECT(1)', ',ECT(0)', ',CE'][tos & 3]}`);
    const ttl = b[8]!;
    if (ttl >= 1) this.w(`, ttl ${ttl}`);
    const flags = [off & 0x2000 ? '+' : '', off & 0x4000 ? 'DF' : '', off & 0x8000 ? 'rsvd' : ''].filter((s) => s);
    this.w(`, id ${this.u16(b, 4)}, offset ${(off & 0x1fff) * 8}, flags [${flags.join(', ') || 'none'}]`);
    this.w(`, proto ${IPPROTO_NAMES.get(proto) ?? 'unknown'} (${proto}), length ${this.u16(b, 2)}`);
    let complete = true;
    if (hlen > 20) {
      this.w(', options (');
      complete = this.ipOptions(b.subarray(20, hlen), hlen - 20);
      if (!complete) this.w(' [truncated-option]');
      this.w(')');
    }
    if (hlen <= b.length) {
      const sum = ~onesSum(b, 0, hlen) & 0xffff;
      if (sum !== 0) {
        const field = this.u16(b, 10);
        this.w(`, bad cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!`);
      }
    }
    this.w(')\n    ');
    return complete;
  }

  /**
   * ip_optprint(): option names, comma-separated, with RA's value, route addresses and
   * timestamps. `b` is what was captured of the `length` option bytes; false when cut short.
   */
  private ipOptions(b: Uint8Array, length: number): boolean {
    let sep = '';
    try {
      for (let i = 0; i < length; ) {
        this.w(sep);
        sep = ',';
        const code = this.u8(b, i);
        this.w(IPOPT_NAMES.get(code) ?? `unknown ${code}`);
        const optLen = code === 0 || code === 1 ? 1 : this.u8(b, i + 1);
        if (optLen < 2 && code > 1) {
          this.w(` [bad length ${optLen}]`);
          return true;
        }
        if (optLen > length - i) {
          this.w(` [bad length ${optLen}]`);
          return true;
        }
        if (i + optLen > b.length) return false;
        const opt = b.subarray(i, i + optLen);
        if (code === 0) return true;
        if (code === 148) {
          if (optLen < 4) this.w(` [bad length ${optLen}]`);
          else if (this.u16(opt, 2) !== 0) this.w(` value ${this.u16(opt, 2)}`);
        } else if (code === 7 || code === 131 || code === 137) {
          this.ipRoute(opt);
        } else if (code === 68) {
          this.ipTimestamp(opt);
        }
        i += optLen;
      }
    } catch (e) {
      if (e instanceof OptionTruncated) return false;
      throw e;
    }
    return true;
  }

  private ipRoute(opt: Uint8Array): void {
    const length = opt.length;
    if (length < 3) return this.w(` [bad length ${length}]`);
    if ((length + 1) & 3) this.w(` [bad length ${length}]`);
    const ptr = opt[2]! - 1;
    if (ptr < 3 || (ptr + 1) & 3 || ptr > length + 1) this.w(` [bad ptr ${opt[2]}]`);
    for (let i = 3; i < length; i += 4) {
      if (i + 4 > opt.length) throw new OptionTruncated();
      this.w(` ${this.ip4(opt, i)}`);
      if (ptr > i) this.w(',');
    }
  }

  /** RFC 791 Internet Timestamp: `TS{TSONLY ^ 123@}` style, `^` marking the pointer. */
  private ipTimestamp(opt: Uint8Array): void {
    const length = opt.length;
    if (length < 4) return this.w(`[bad length ${length}]`);
    this.w(' TS{');
    const flag = this.u8(opt, 3) & 0x0f;
    const hoplen = flag !== 0 ? 8 : 4;
    if ((length - 4) & (hoplen - 1)) this.w(`[bad length ${length}]`);
    const ptr = opt[2]! - 1;
    if (ptr < 4 || (ptr - 4) & (hoplen - 1) || ptr > length + 1) this.w(`[bad ptr ${opt[2]}]`);
    let len = 0;
    const kind = ['TSONLY', 'TS+ADDR', undefined, 'PRESPEC'][flag];
    if (kind === undefined) {
      this.w(`[bad ts type ${flag}]`);
    } else {
      this.w(kind);
      let type = ' ';
      for (len = 4; len < length; len += hoplen) {
        if (ptr === len) type = ' ^ ';
        if (len + hoplen > opt.length) throw new OptionTruncated();
        this.w(`${type}${this.u32(opt, len + hoplen - 4)}@${hoplen !== 8 ? '' : this.ip4(opt, len)}`);
        type = ' ';
      }
    }
    this.w(ptr === len ? ' ^ ' : '');
    const overflow = opt[3]! >>> 4;
    this.w(overflow ? ` [${overflow} hops not recorded]} ` : '}');
  }

  // ---- ICMP (print-icmp.c) ----

  private icmp(b: Uint8Array, plen: number, fragmented: boolean): void {
    this.protocol = 'icmp';
    const type = this.u8(b, 0);
    const code = this.u8(b, 1);
    const quotedDst = () => this.ip4(b, 24);
    let str: string;
    switch (type) {
      case 0:
      case 8:
        str = `echo ${type === 8 ? 'request' : 'reply'}, id ${this.u16(b, 4)}, seq ${this.u16(b, 6)}`;
        break;
      case 3:
        str = this.icmpUnreach(b, code, quotedDst);
        break;
      case 5: {
        const what = ['redirect %s to net %s', 'redirect %s to host %s', 'redirect-tos %s to net %s', 'redirect-tos %s to host %s'][code];
        const d = quotedDst();
        const gw = this.ip4(b, 4);
        str = what ? what.replace('%s', d).replace('%s', gw) : `redirect-#${code} ${d} to ${gw}`;
        break;
      }
      case 9:
        str = this.routerAdvertisement(b);
        break;
      case 11:
        this.need(b, 28);
        str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
        break;
      case 12:
        str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${this.u8(b, 4)}`;
        break;
      case 13:
        str = `time stamp query id ${this.u16(b, 4)} seq ${this.u16(b, 6)}`;
        break;
      case 14: {
        this.need(b, 20);
        const t = (off: number) => icmpTimestamp(this.u32(b, off));
        str = `time stamp reply id ${this.u16(b, 4)} seq ${this.u16(b, 6)}: org ${t(8)}, recv ${t(12)}, xmit ${t(16)}`;
        break;
      }
      case 18:
        str = `address mask is 0x${hex(this.u32(b, 8), 8)}`;
        break;
      default:
        str = ICMP_TYPE_NAMES.get(type) ?? `type-#${type}`;
    }
    this.w(`ICMP ${str}, length ${plen}`);
    if (this.vflag && !fragmented && plen <= b.length) {
      const sum = ~onesSum(b, 0, plen) & 0xffff;
      if (sum !== 0) {
        const field = this.u16(b, 2);
        this.w(` (wrong icmp cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!)`);
      }
    }
    const isError = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
    if (this.vflag && isError) {
      // The quoted datagram prints as a packet of its own, cut at its own total length.
      this.w('\n\t');
      const quoted = b.subarray(8);
      const quotedLen = this.u16(quoted, 2);
      this.ip(quoted.subarray(0, quotedLen), quotedLen);
      this.protocol = 'icmp';
    }
  }

  /** RFC 1256: `router advertisement lifetime 30:00 1: {10.0.0.1 0}`. */
  private routerAdvertisement(b: Uint8Array): string {
    this.need(b, 8);
    const lifetime = this.u16(b, 6);
    const two = (n: number) => String(n).padStart(2, '0');
    let s = 'router advertisement lifetime ';
    if (lifetime < 60) s += lifetime;
    else if (lifetime < 3600) s += `${Math.floor(lifetime / 60)}:${two(lifetime % 60)}`;
    else s += `${Math.floor(lifetime / 3600)}:${two(Math.floor((lifetime % 3600) / 60))}:${two(lifetime % 60)}`;
    const num = this.u8(b, 4);
    s += ` ${num}:`;
    const size = this.u8(b, 5);
    if (size !== 2) return `${s} [size ${size}]`;
    for (let i = 0; i < num; i++) {
      this.need(b, 16 + 8 * i);
      s += ` {${this.ip4(b, 8 + 8 * i)} ${this.u32(b, 12 + 8 * i)}}`;
    }
    return s;
  }

  private icmpUnreach(b: Uint8Array, code: number, dst: () => string): string {
    switch (code) {
      case 0:
        return `net ${dst()} unreachable`;
      case 1:
        return `host ${dst()} unreachable`;
      case 2:
        return `${dst()} protocol ${this.u8(b, 17)} unreachable`;
      case 3: {
        const proto = this.u8(b, 17);
        const hlen = (this.u8(b, 8) & 0x0f) * 4;
        const dport = this.u16(b, 8 + hlen + 2);
        const d = dst();
        if (proto === 6) return `${d} tcp port ${dport} unreachable`;
        if (proto === 17) return `${d} udp port ${dport} unreachable`;
        return `${d} protocol ${proto} port ${dport} unreachable`;
      }
      case 4: {
        const mtu = this.u16(b, 6);
        return mtu ? `${dst()} unreachable - need to frag (mtu ${mtu})` : `${dst()} unreachable - need to frag`;
      }
      default: {
        const text = UNREACH_TEXTS.get(code);
        return text ? text.replace('%s', dst()) : `${dst()} unreachable - #${code}`;
      }
    }
  }

  // ---- UDP, VXLAN, OTV (print-udp.c, print-vxlan.c, print-otv.c) ----

  private udp(b: Uint8Array, length: number, ipHeader: Uint8Array, fragmented: boolean): void {
    this.protocol = 'udp';
    const src = formatIpv4(this.u32(ipHeader, 12));
    const dst = formatIpv4(this.u32(ipHeader, 16));
    if (b.length < 4) {
      this.w(`${src} > ${dst}: `);
      throw new Truncated();
    }
    const sport = this.u16(b, 0);
    const dport = this.u16(b, 2);
    const addrs = `${src}.${sport} > ${dst}.${dport}: `;
    if (length < 8) return this.w(`${addrs}truncated-udp ${length}`);
    if (b.length < 6) {
      this.w(addrs);
      throw new Truncated();
    }
    let ulen = this.u16(b, 4);
    if (ulen < 8) return this.w(`${addrs}truncated-udplength ${ulen}`);
    ulen -= 8;
    length -= 8;
    if (ulen < length) length = ulen;
    this.w(addrs);
    if (b.length < 8) throw new Truncated();
    const payload = b.subarray(8);
    if (this.vxlanAll) return this.vxlan(payload, length);
    if (this.vflag > 1 && !fragmented) {
      const field = this.u16(b, 6);
      if (field === 0) this.w('[no cksum] ');
      else if (length <= payload.length) {
        const covered = length + 8;
        const sum = ~onesSum(b, 0, covered, pseudoHeaderSum(this.u32(ipHeader, 12), finalDst(ipHeader), 17, covered)) & 0xffff;
        if (sum !== 0) this.w(`[bad udp cksum 0x${hex(field, 4)} -> 0x${hex(cksumShouldBe(field, sum), 4)}!] `);
        else this.w('[udp sum ok] ');
      }
    }
    // tcpdump's port table is tried in order; OTV's 8472 comes before VXLAN's 4789.
    if (sport === 8472 || dport === 8472) return this.otv(payload, length);
    if (sport === 4789 || dport === 4789) return this.vxlan(payload, length);
    if (ulen > length && !fragmented) this.w(`UDP, bad length ${ulen} > ${length}`);
    else this.w(`UDP, length ${ulen}`);
  }

  /** RFC 7348 §5 as tcpdump prints it: `VXLAN, flags [I] (0x08), vni 1` then the inner frame. */
  private vxlan(b: Uint8Array, length: number): void {
    this.protocol = 'vxlan';
    this.w('VXLAN');
    if (length < 8) return this.w(' (invalid)');
    const flags = this.u8(b, 0);
    this.w(`, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex(flags, 2)}), `);
    this.w(`vni ${this.u24(b, 4)}\n`);
    this.u8(b, 7);
    this.ether(b.subarray(8), length - 8);
  }

  /** draft-hasmit-otv-04, which tcpdump assumes for port 8472 (Linux VXLAN's default). */
  private otv(b: Uint8Array, length: number): void {
    this.protocol = 'otv';
    this.w('OTV, ');
    if (length < 8) {
      this.w(`[length ${length} < 8] (invalid)`);
      return this.need(b, length);
    }
    const flags = this.u8(b, 0);
    this.w(`flags [${flags & 0x08 ? 'I' : '.'}] (0x${hex(flags, 2)}), `);
    this.w(`overlay ${this.u24(b, 1)}, `);
    this.w(`instance ${this.u24(b, 4)}\n`);
    this.u8(b, 7);
    this.ether(b.subarray(8), length - 8);
  }

  // ---- TCP (print-tcp.c) ----

  private tcp(b: Uint8Array, length: number, ipHeader: Uint8Array, fragmented: boolean): void {
    this.protocol = 'tcp';
    const srcIp = this.u32(ipHeader, 12);
    const dstIp = this.u32(ipHeader, 16);
    if (b.length < 4) {
      this.w(`${formatIpv4(srcIp)} > ${formatIpv4(dstIp)}:`);
      throw new Truncated();
    }
    const sport = this.u16(b, 0);
    const dport = this.u16(b, 2);
    this.w(`${formatIpv4(srcIp)}.${sport} > ${formatIpv4(dstIp)}.${dport}: `);
    this.need(b, 20);
    let hlen = (b[12]! >>> 4) * 4;
    if (hlen < 20) return this.w(` tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`);
    let seq = this.u32(b, 4);
    let ack = this.u32(b, 8);
    const win = this.u16(b, 14);
    const urp = this.u16(b, 18);
    const flags = b[13]!;
    this.w(`Flags [${TCP_FLAG_LETTERS.filter(([bit]) => flags & bit).map(([, l]) => l).join('') || 'none'}]`);

    // Relative sequence numbers: one entry per connection, keyed in a fixed direction.
    let rev = false;
    let thseq = 0;
    let thack = 0;
    if (flags & TH_ACK) {
      rev = sport > dport || (sport === dport && srcIp > dstIp);
      const key = rev ? `${dstIp}:${srcIp}:${dport}:${sport}` : `${srcIp}:${dstIp}:${sport}:${dport}`;
      let th = this.tcpSeq.get(key);
      if (!th || flags & TH_SYN) {
        th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
        this.tcpSeq.set(key, th);
      } else if (rev) {
        seq = (seq - th.ack) >>> 0;
        ack = (ack - th.seq) >>> 0;
      } else {
        seq = (seq - th.seq) >>> 0;
        ack = (ack - th.ack) >>> 0;
      }
      thseq = th.seq;
      thack = th.ack;
    }
    if (hlen > length) return this.w(` [bad hdr length ${hlen} - too long, > ${length}]`);
    if (this.vflag && !fragmented && length <= b.length) {
      const field = this.u16(b, 16);
      const sum = ~onesSum(b, 0, length, pseudoHeaderSum(srcIp, finalDst(ipHeader), 6, length)) & 0xffff;
      this.w(`, cksum 0x${hex(field, 4)}`);
      this.w(sum !== 0 ? ` (incorrect -> 0x${hex(cksumShouldBe(field, sum), 4)})` : ' (correct)');
    }
    length -= hlen;
    if (this.vflag > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
      this.w(`, seq ${seq}`);
      if (length > 0) this.w(`:${(seq + length) >>> 0}`);
    }
    if (flags & TH_ACK) this.w(`, ack ${ack}`);
    this.w(`, win ${win}`);
    if (flags & TH_URG) this.w(`, urg ${urp}`);
    if (hlen > 20) {
      this.w(', options [');
      if (!this.tcpOptions(b, hlen, rev ? thseq : thack, hlen + length <= b.length)) return;
      this.w(']');
    }
    this.w(`, length ${length}`);
    if (length === 0) return;
    hlen = (b[12]! >>> 4) * 4;
    if (hlen > b.length) {
      this.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
      throw new Truncated();
    }
    const payload = b.subarray(hlen);
    if (flags & TH_RST && this.vflag) return this.tcpRstData(payload, length);
    if (this.vxlanAll) return; // any -T replaces tcpdump's port-based payload decoding
    const either = (port: number) => sport === port || dport === port;
    if (either(22)) return this.sshBanner(payload, length);
    // tcpdump tries these protocols' ports before HTTP's; we print nothing for them.
    if (TCP_PORTS_BEFORE_HTTP.some(either)) return;
    if (either(80) || either(8080)) {
      this.w(': ');
      this.http(payload, length);
    }
  }

  /**
   * Prints the options list body; false when tcpdump gives up with "[bad opt]". Like tcpdump, it
   * steps over the bytes each option's decoder used, not over the option's length byte, and
   * counts the header bytes left as an unsigned number, so a malformed list reads on past it.
   */
  private tcpOptions(b: Uint8Array, headerLen: number, sackBase: number, segmentCaptured: boolean): boolean {
    let hlen = headerLen - 20;
    let cp = 20;
    let sep = '';
    const bad = () => {
      this.w(sep ? '[bad opt]]' : '[bad opt]');
      return false;
    };
    while (hlen > 0) {
      this.w(sep);
      const opt = this.u8(b, cp++);
      const zeroLen = opt === 0 || opt === 1;
      let len = 1;
      if (!zeroLen) {
        len = this.u8(b, cp++);
        if (len < 2 || len > hlen) return bad();
        hlen--;
      }
      hlen--;
      this.w(TCPOPT_NAMES.get(opt) ?? `unknown-${opt}`);
      let datalen = 0;
      try {
      switch (opt) {
        case 2:
          if ((datalen = 2) > hlen) return bad();
          this.w(` ${this.u16(b, cp)}`);
          break;
        case 3:
          if ((datalen = 1) > hlen) return bad();
          this.w(` ${this.u8(b, cp)}`);
          break;
        case 5:
          datalen = len - 2;
          if (datalen % 8 !== 0) {
            this.w(' invalid sack');
            break;
          }
          this.w(` ${datalen / 8} `);
          for (let i = 0; i < datalen; i += 8) {
            if (i + 4 > hlen) return bad();
            const start = (this.u32(b, cp + i) - sackBase) >>> 0;
            if (i + 8 > hlen) return bad();
            this.w(`{${start}:${(this.u32(b, cp + i + 4) - sackBase) >>> 0}}`);
          }
          break;
        case 6:
        case 7:
        case 11:
        case 12:
        case 13:
          if ((datalen = 4) > hlen) return bad();
          this.w(` ${this.u32(b, cp)}`);
          break;
        case 8:
          if ((datalen = 8) > hlen) return bad();
          this.w(` val ${this.u32(b, cp)} ecr ${this.u32(b, cp + 4)}`);
          break;
        case 19: {
          // RFC 2385 MD5 signature: without -M's secret tcpdump only shows it.
          if ((datalen = 16) > hlen) return bad();
          this.w(` ${segmentCaptured ? 'shared secret not supplied with -M, ' : 'snaplen too short, '}can't check - `);
          for (let i = 0; i < 16; i++) this.w(hex(this.u8(b, cp + i), 2));
          break;
        }
        case 20:
          if ((datalen = 2) > hlen) return bad();
          this.w(` cap ${hex(this.u8(b, cp), 2)} id ${this.u8(b, cp + 1)}`);
          break;
        case 28: {
          if ((datalen = 2) > hlen) return bad();
          const uto = this.u16(b, cp);
          this.w(` 0x${uto.toString(16)} ${uto & 1 ? (uto >>> 1) * 60 : uto >>> 1}`);
          break;
        }
        case 0:
        case 1:
        case 4:
          break;
        default:
          datalen = len - 2;
          if (datalen) this.w(' 0x');
          for (let i = 0; i < datalen; i++) {
            if (i + 1 > hlen) return bad();
            this.w(hex(this.u8(b, cp + i), 2));
          }
      }
      } catch (e) {
        if (!(e instanceof Truncated)) throw e;
        // tcpdump's LENCHECK found the option's data missing from the capture.
        this.w(` [|tcp]${sep ? '>' : ''}`);
        return false;
      }
      cp += datalen;
      hlen = (hlen - datalen) >>> 0;
      if (datalen + (zeroLen ? 1 : 2) !== len) this.w(`[len ${len}]`);
      sep = ',';
      if (opt === 0) break;
    }
    return true;
  }

  /** RFC 1122 §4.2.2.12 RST data, which tcpdump shows with -v (up to 30 characters). */
  private tcpRstData(b: Uint8Array, length: number): void {
    this.w(length <= b.length ? ' [RST' : ' [!RST');
    if (length > 30) {
      length = 30;
      this.w('+');
    }
    this.w(' ');
    for (let i = 0; i < length && i < b.length; i++) this.w(printChar(b[i]!));
    this.w(']');
  }

  /** print-ssh.c: an `SSH-2.0-...` version line, if the payload starts with one. */
  private sshBanner(b: Uint8Array, len: number): void {
    this.protocol = 'ssh';
    for (let i = 0; i < 4; i++) if (this.u8(b, i) !== 'SSH-'.charCodeAt(i)) return;
    for (let idx = 4; idx < len; idx++) {
      const c = this.u8(b, idx);
      if (c === 0x0a || (c === 0x0d && idx + 1 < len && this.u8(b, idx + 1) === 0x0a)) {
        return this.w(`: SSH: ${ascii(b, 0, idx)}`);
      }
      if (c === 0x0d || c < 0x20 || c > 0x7e) return;
    }
  }

  // ---- HTTP (print-http.c, txtproto_print in util-print.c) ----

  private http(b: Uint8Array, len: number): void {
    this.protocol = 'http';
    let printThis = false;
    const first = fetchToken(b, 0, len);
    if (first) {
      printThis = HTTP_METHODS.has(first.token.toUpperCase());
      const second = fetchToken(b, first.next, len);
      if (second && /^[0-9]{3}$/.test(second.token)) printThis = true;
    }
    this.w('HTTP');
    if (!printThis) return;
    if (this.vflag) {
      this.w(`, length: ${len}`);
      for (let idx = 0; idx < len; ) {
        const eol = this.textLine('\n\t', b, idx, len);
        if (eol === 0) break;
        idx = eol;
      }
    } else {
      this.textLine(': ', b, 0, len);
    }
  }

  /** Prints one CRLF- or LF-terminated printable line; returns the index after it, or 0. */
  private textLine(prefix: string, b: Uint8Array, start: number, len: number): number {
    for (let idx = start; idx < len; idx++) {
      const c = this.u8(b, idx);
      if (c === 0x0a) {
        this.w(prefix + ascii(b, start, idx));
        return idx + 1;
      }
      if (c === 0x0d) {
        if (idx + 1 >= len) return 0;
        if (this.u8(b, idx + 1) !== 0x0a) return 0;
        this.w(prefix + ascii(b, start, idx));
        return idx + 2;
      }
      if (!(c >= 0x20 && c <= 0x7e) && c !== 0x09) return 0;
    }
    // All printable but no line end: tcpdump treats the rest as cut short.
    this.w(prefix + ascii(b, start, len) + ` [|${this.protocol}]`);
    return 0;
  }
}
