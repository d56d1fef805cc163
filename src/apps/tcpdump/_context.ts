// What every protocol printer shares: the options, the output being built, the protocol named in
// " [|proto]", the bounds-checked reads (tcpdump's GET_ macros) and the generic hex printers
// (hex_and_ascii_print(), print_unknown_data() in tcpdump's util-print.c).
import { formatIpv4, formatIpv6 } from '../../wire/index.js';
import { graph, hex } from './_text.js';

/** Thrown where tcpdump's bounds-checked reads would longjmp out: prints " [|proto]". */
export class Truncated {}
/** An IP option's bytes ran out: tcpdump notes "[truncated-option]" and stops at the addresses. */
export class OptionTruncated {}

/**
 * The printers that other printers hand a payload back to (an ICMP error's quoted datagram, an
 * inner frame of VXLAN, IP in IP); the dispatcher supplies them so no printer imports it.
 */
export interface Layers {
  ether(b: Uint8Array, length: number): void;
  ip(b: Uint8Array, length: number): void;
  ip6(b: Uint8Array, length: number): void;
  /** ip_demux_print(): what follows an IP header, by protocol number `nh`. */
  demux(b: Uint8Array, length: number, ver: 4 | 6, fragmented: boolean, nh: number, ipHeader: Uint8Array): void;
}

/** One capture's printing state; the printers append to `out` through `w()`. */
export class PrintContext {
  /** tcpdump's tcp_seq_hash: connection (in a fixed direction) -> initial seq/ack. */
  readonly tcpSeq = new Map<string, { seq: number; ack: number }>();
  out = '';
  /** The protocol whose bytes are being read, named in " [|proto]" when they run out. */
  protocol = '';

  constructor(
    /** `-e`: print the link-level header. */
    readonly eflag: boolean,
    /** How many `-v` were given. */
    readonly vflag: number,
    /** `-T vxlan`: every UDP payload is VXLAN. */
    readonly vxlanAll: boolean,
    readonly layers: Layers,
  ) {}

  w(s: string): void {
    this.out += s;
  }

  // ---- bounds-checked reads (tcpdump's GET_ macros) ----

  u8(b: Uint8Array, off: number): number {
    if (off >= b.length) throw new Truncated();
    return b[off]!;
  }
  u16(b: Uint8Array, off: number): number {
    if (off + 2 > b.length) throw new Truncated();
    return (b[off]! << 8) | b[off + 1]!;
  }
  u24(b: Uint8Array, off: number): number {
    if (off + 3 > b.length) throw new Truncated();
    return (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!;
  }
  u32(b: Uint8Array, off: number): number {
    if (off + 4 > b.length) throw new Truncated();
    return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  }
  ip4(b: Uint8Array, off: number): string {
    return formatIpv4(this.u32(b, off));
  }
  need(b: Uint8Array, len: number): void {
    if (len > b.length) throw new Truncated();
  }
  ip6addr(b: Uint8Array, off: number): string {
    this.need(b, off + 16);
    return formatIpv6(b.subarray(off, off + 16));
  }

  /** tcpdump's default printer for payloads it cannot decode (hex_and_ascii_print). */
  hexDump(b: Uint8Array): void {
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

  /** print_unknown_data(): hex_print() of what was captured of `len` bytes at `off`. */
  unknownData(b: Uint8Array, off: number, ident: string, len: number): void {
    if (off > b.length) return this.w(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
    const bytes = b.subarray(off, off + Math.min(len, b.length - off));
    let i = 0;
    let oset = 0;
    for (let k = 0; k + 1 < bytes.length; k += 2) {
      if (i++ % 8 === 0) {
        this.w(`${ident}0x${hex(oset, 4)}: `);
        oset += 16;
      }
      this.w(` ${hex(bytes[k]!, 2)}${hex(bytes[k + 1]!, 2)}`);
    }
    if (bytes.length & 1) {
      if (i % 8 === 0) this.w(`${ident}0x${hex(oset, 4)}: `);
      this.w(` ${hex(bytes[bytes.length - 1]!, 2)}`);
    }
  }
}
