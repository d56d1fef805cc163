// ICMPv6 messages: errors, echo, Neighbour Discovery, MLD dispatch (tcpdump's print-icmp6.c).
import { ipv6PseudoHeaderSum, onesSum } from '../../wire/index.js';
import {
  bitNames,
  cksumShouldBe,
  hex,
  ICMP6_PARAMPROB_NAMES,
  ICMP6_TYPE_NAMES,
  ICMP6_UNREACH_NAMES,
  ND_NA_FLAGS,
  ND_RA_FLAGS,
  RTPREF_NAMES,
} from './_text.js';
import { Truncated, type PrintContext } from './_context.js';
import { mld6, mldv2Report, mldv2Query } from './print-mld6.js';
import { ndOptions } from './print-nd.js';

/** `b` is the message (cut at the end of the IPv6 payload), `ip6` the IPv6 header before it. */
export function icmp6(c: PrintContext, b: Uint8Array, length: number, ip6: Uint8Array, fragmented: boolean): void {
  c.protocol = 'icmp6';
  if (length === 0) return c.w('ICMP6, length 0 (invalid)');
  if (c.vflag && !fragmented && length <= b.length) {
    const field = c.u16(b, 2);
    const pseudo = ipv6PseudoHeaderSum(ip6.subarray(8, 24), ip6.subarray(24, 40), 58, length);
    const sum = ~onesSum(b, 0, length, pseudo) & 0xffff;
    c.w(sum !== 0 ? `[bad icmp6 cksum 0x${hex(field, 4)} -> 0x${hex(cksumShouldBe(field, sum), 4)}!] ` : '[icmp6 sum ok] ');
  }
  const type = c.u8(b, 0);
  c.w(`ICMP6, ${ICMP6_TYPE_NAMES.get(type) ?? `unknown icmp6 type (${type})`}`);
  if (c.vflag && [133, 134, 136, 135, 137, 145, 147].includes(type)) c.w(`, length ${length}`);
  const code = c.u8(b, 1);
  const quotedDst = () => c.ip6addr(b, 8 + 24);
  const opts = (off: number) => {
    if (ndOptions(c, b, off, length - off) < 0) throw new Truncated();
  };
  switch (type) {
    case 1:
      c.w(`, ${ICMP6_UNREACH_NAMES.get(code) ?? `unknown unreach code (${code})`}`);
      switch (code) {
        case 0:
        case 1:
        case 3:
          c.w(` ${quotedDst()}`);
          break;
        case 2: {
          const s = ` ${quotedDst()}, source address ${c.ip6addr(b, 8 + 8)}`;
          c.w(s);
          break;
        }
        case 4: {
          const upper = upperLayer(b, 8);
          if (!upper) throw new Truncated();
          const dport = c.u16(b, upper.off + 2);
          const d = quotedDst();
          if (upper.prot === 6) c.w(`, ${d} tcp port ${dport}`);
          else if (upper.prot === 17) c.w(`, ${d} udp port ${dport}`);
          else c.w(`, ${d} protocol ${upper.prot} port ${dport} unreachable`);
          break;
        }
        default:
          if (c.vflag <= 1) return c.unknownData(b, 0, '\n\t', length);
      }
      break;
    case 2:
      c.w(`, mtu ${c.u32(b, 4)}`);
      break;
    case 3:
      if (code === 0) c.w(` for ${quotedDst()}`);
      else if (code === 1) c.w(' (reassembly)');
      else c.w(`, unknown code (${code})`);
      break;
    case 4: {
      c.need(b, 8 + 40);
      const name = ICMP6_PARAMPROB_NAMES.get(code);
      c.w(name ? `, ${name} - octet ${c.u32(b, 4)}` : `, code-#${code}`);
      break;
    }
    case 128:
    case 129:
      c.w(`, id ${c.u16(b, 4)}, seq ${c.u16(b, 6)}`);
      break;
    case 130:
      if (length === 24) mld6(c, b);
      else if (length >= 28) {
        c.w(' v2');
        mldv2Query(c, b, length);
      } else c.w(` unknown-version (len ${length}) `);
      break;
    case 131:
    case 132:
      mld6(c, b);
      break;
    case 133:
      if (c.vflag) opts(8);
      break;
    case 134:
      if (c.vflag) {
        const flags = c.u8(b, 5);
        const s =
          `\n\thop limit ${c.u8(b, 4)}, Flags [${bitNames(ND_RA_FLAGS, flags)}], pref ${RTPREF_NAMES[(flags & 0x18) >> 3]}` +
          `, router lifetime ${c.u16(b, 6)}s, reachable time ${c.u32(b, 8)}ms, retrans timer ${c.u32(b, 12)}ms`;
        c.w(s);
        opts(16);
      }
      break;
    case 135:
      c.w(`, who has ${c.ip6addr(b, 8)}`);
      if (c.vflag) opts(24);
      break;
    case 136:
      c.w(`, tgt is ${c.ip6addr(b, 8)}`);
      if (c.vflag) {
        c.w(`, Flags [${bitNames(ND_NA_FLAGS, c.u32(b, 4))}]`);
        opts(24);
      }
      break;
    case 137:
      // RFC 4861 §4.5: the target (a better first hop) comes before the destination.
      c.w(`, ${c.ip6addr(b, 24)}`);
      c.w(` to ${c.ip6addr(b, 8)}`);
      if (c.vflag) opts(40);
      break;
    case 138:
    case 139:
    case 140:
    case 155:
      // Router renumbering, node information and RPL have decoders in tcpdump; not here.
      c.w(' [not decoded]');
      break;
    case 141:
    case 142:
      break;
    case 143:
      mldv2Report(c, b, length);
      break;
    case 144:
    case 146:
      c.w(`, id 0x${hex(c.u16(b, 4), 4)}`);
      break;
    case 145:
      if (c.vflag) {
        c.w(`, id 0x${hex(c.u16(b, 4), 4)}`);
        for (let p = 8; p < length; p += 16) c.w(`, ${c.ip6addr(b, p)}`);
      }
      break;
    case 147:
      if (c.vflag) {
        c.w(`, id 0x${hex(c.u16(b, 4), 4)}`);
        const flags = c.u16(b, 6);
        if (flags & 0xc000) c.w(' ');
        if (flags & 0x8000) c.w('M');
        if (flags & 0x4000) c.w('O');
        opts(8);
      }
      break;
    default:
      c.w(`, length ${length}`);
      if (c.vflag <= 1) c.unknownData(b, 0, '\n\t', length);
      return;
  }
  if (!c.vflag) c.w(`, length ${length}`);
}

/** get_upperlayer(): the TCP/UDP header inside a quoted IPv6 packet, past its extension headers. */
function upperLayer(b: Uint8Array, ip: number): { prot: number; off: number } | undefined {
  const has = (end: number) => end <= b.length;
  if (!has(ip + 7)) return undefined;
  let nh = b[ip + 6]!;
  let hlen = 40;
  for (let p = ip; p < b.length; ) {
    p += hlen;
    switch (nh) {
      case 6:
      case 17:
        return has(p + 4) ? { prot: nh, off: p } : undefined;
      case 0:
      case 60:
      case 43:
        if (!has(p + 2)) return undefined;
        nh = b[p]!;
        hlen = (b[p + 1]! + 1) << 3;
        break;
      case 44:
        if (!has(p + 4)) return undefined;
        if ((((b[p + 2]! << 8) | b[p + 3]!) & 0xfff8) !== 0) return undefined;
        nh = b[p]!;
        hlen = 8;
        break;
      case 51:
        if (!has(p + 2)) return undefined;
        nh = b[p]!;
        hlen = (b[p + 1]! + 2) << 2;
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}
