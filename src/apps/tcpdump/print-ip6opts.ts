// IPv6 Hop-by-Hop and Destination Options headers and the Fragment header (tcpdump's
// print-ip6opts.c and print-frag6.c).
import { hex } from './_text.js';
import type { PrintContext } from './_context.js';

type Jumbo = { payloadLen: number; found: boolean };

/** The Hop-by-Hop Options header: `HBH `, its options with -v; its length, or -1 when cut short. */
export function hbhopt(c: PrintContext, b: Uint8Array, cp: number, jumbo: Jumbo): number {
  return optionsHeader(c, b, cp, 'hbhopt', 'HBH ', true, jumbo);
}

/** The Destination Options header: `DSTOPT `, its options with -v; its length, or -1. */
export function dstopt(c: PrintContext, b: Uint8Array, cp: number): number {
  // A Jumbo Payload destination option is reported as invalid: pass no payload length.
  return optionsHeader(c, b, cp, 'dstopt', 'DSTOPT ', c.vflag > 0, undefined);
}

/** Either options header; `parse` says whether its options are read (and so can be cut short). */
function optionsHeader(
  c: PrintContext,
  b: Uint8Array,
  cp: number,
  proto: string,
  label: string,
  parse: boolean,
  jumbo: Jumbo | undefined,
): number {
  c.protocol = proto;
  const len = (c.u8(b, cp + 1) + 1) << 3;
  if (cp + len > b.length) {
    c.w(` [|${proto}]`);
    return -1;
  }
  c.w(label);
  if (parse && ip6Options(c, b, cp + 2, len - 2, jumbo) < 0) {
    c.w(` [|${proto}]`);
    return -1;
  }
  return len;
}

/** ip6_opt_process(): the options of a Hop-by-Hop or Destination Options header. */
function ip6Options(c: PrintContext, b: Uint8Array, off: number, len: number, jumbo: Jumbo | undefined): number {
  if (len === 0) return 0;
  const v = c.vflag;
  let seenJumbo = false;
  for (let i = 0, optlen = 0; i < len; i += optlen) {
    const type = c.u8(b, off + i);
    if (type === 0) optlen = 1;
    else if (i + 1 < len) optlen = c.u8(b, off + i + 1) + 2;
    else return -1;
    if (i + optlen > len) return -1;
    const olen = type === 0 ? 0 : b[off + i + 1]!;
    switch (type) {
      case 0:
        if (v) c.w('(pad1)');
        break;
      case 1:
        if (v) c.w('(padn)');
        break;
      case 5:
        if (len - i < 4) {
          c.w('(rtalert: trunc)');
          return -1;
        }
        if (olen !== 2) {
          c.w(`(rtalert: invalid len ${olen})`);
          return -1;
        }
        if (v) c.w(`(rtalert: 0x${hex(c.u16(b, off + i + 2), 4)}) `);
        break;
      case 0xc2: {
        if (len - i < 6) {
          c.w('(jumbo: trunc)');
          return -1;
        }
        if (olen !== 4) {
          c.w(`(jumbo: invalid len ${olen})`);
          return -1;
        }
        const jl = c.u32(b, off + i + 2);
        if (seenJumbo) {
          if (v) c.w(`(jumbo: ${jl} - already seen) `);
          break;
        }
        seenJumbo = true;
        if (!jumbo) {
          if (v) c.w(`(jumbo: ${jl} - not a hop-by-hop option) `);
        } else if (jumbo.payloadLen !== 0) {
          if (v) c.w(`(jumbo: ${jl} - payload len != 0) `);
        } else if (jl < 65536) {
          if (v) c.w(`(jumbo: ${jl} - < 65536) `);
        } else {
          jumbo.found = true;
          jumbo.payloadLen = jl;
          if (v) c.w(`(jumbo: ${jl}) `);
        }
        break;
      }
      case 0xc9:
        if (len - i < 18) {
          c.w('(homeaddr: trunc)');
          return -1;
        }
        if (olen < 16) {
          c.w(`(homeaddr: invalid len ${olen})`);
          return -1;
        }
        if (v) {
          c.w(`(homeaddr: ${c.ip6addr(b, off + i + 2)}`);
          if (olen > 16 && ip6SubOptions(c, b, off + i + 18, optlen - 18) < 0) return -1;
          c.w(')');
        }
        break;
      default:
        if (v) c.w(`(opt_type 0x${hex(type, 2)}: len=${olen})`);
    }
  }
  if (v) c.w(' ');
  return 0;
}

/** ip6_sopt_print(): the sub-options of a Home Address option. */
function ip6SubOptions(c: PrintContext, b: Uint8Array, off: number, len: number): number {
  for (let i = 0, optlen = 0; i < len; i += optlen) {
    const type = c.u8(b, off + i);
    if (type === 0) optlen = 1;
    else if (i + 1 < len) optlen = c.u8(b, off + i + 1) + 2;
    else return -1;
    if (i + optlen > len) return -1;
    if (type === 0) c.w(', pad1');
    else if (type === 1) c.w(', padn');
    else c.w(`, sopt_type 0x${hex(type, 2)}: len=${b[off + i + 1]}`);
  }
  return 0;
}

/** `frag (offset|bytes after this header) `; -1 for a later fragment, which is not decoded. */
export function frag6(c: PrintContext, b: Uint8Array, cp: number): number {
  c.protocol = 'frag6';
  const ident = c.vflag ? c.u32(b, cp + 4) : 0;
  const off = c.u16(b, cp + 2) & 0xfff8;
  // tcpdump computes this in size_t: a payload length too small for the headers wraps around.
  const rest = BigInt.asUintN(64, BigInt(40 + c.u16(b, 4) - cp - 8));
  c.w(c.vflag ? `frag (0x${hex(ident, 8)}:${off}|${rest})` : `frag (${off}|${rest})`);
  if (off !== 0) return -1;
  c.w(' ');
  return 8;
}
