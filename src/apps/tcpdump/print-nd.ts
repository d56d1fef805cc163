// Neighbour Discovery options, one per line with -v (icmp6_opt_print() in tcpdump's
// print-icmp6.c).
import { formatIpv6 } from '../../wire/index.js';
import { bitNames, linkAddr, ND_OPT_NAMES, ND_PI_FLAGS, RTPREF_NAMES } from './_text.js';
import type { PrintContext } from './_context.js';

/** icmp6_opt_print(): Neighbour Discovery options, one per line; -1 when cut short. */
export function ndOptions(c: PrintContext, b: Uint8Array, start: number, resid: number): number {
  const lifetime = (v: number) => (v === 0xffffffff ? 'infinity' : `${v}s`);
  for (let cp = start; cp < b.length; ) {
    if (cp + 2 > b.length) return -1;
    if (resid <= 0) return 0;
    const type = b[cp]!;
    const olen = b[cp + 1]!;
    if (olen === 0) return -1;
    if (cp + olen * 8 > b.length) return -1;
    c.w(`\n\t  ${ND_OPT_NAMES.get(type) ?? 'unknown'} option (${type}), length ${olen * 8} (${olen}): `);
    switch (type) {
      case 1:
      case 2:
        c.w(linkAddr(b, cp + 2, olen * 8 - 2));
        break;
      case 3: {
        const flags = c.u8(b, cp + 3);
        const s = `${c.ip6addr(b, cp + 16)}/${c.u8(b, cp + 2)}${olen !== 4 ? 'badlen' : ''}, Flags [${bitNames(ND_PI_FLAGS, flags)}], valid time ${lifetime(c.u32(b, cp + 4))}`;
        c.w(s);
        c.w(`, pref. time ${lifetime(c.u32(b, cp + 8))}`);
        break;
      }
      case 4:
        // tcpdump dumps from the first option here, not from this one.
        c.unknownData(b, start, '\n\t    ', olen * 8);
        break;
      case 5:
        c.w(` ${c.u32(b, cp + 4)}${olen !== 1 ? 'bad option length' : ''}`);
        break;
      case 25: {
        c.w(` lifetime ${c.u32(b, cp + 4)}s,`);
        const n = (olen - 1) >> 1;
        for (let i = 0; i < n; i++) c.w(` addr: ${c.ip6addr(b, cp + 8 + 16 * i)}`);
        break;
      }
      case 31:
        c.w(` lifetime ${c.u32(b, cp + 4)}s, domain(s): [not decoded]`);
        break;
      case 7:
        c.w(` ${c.u32(b, cp + 4)}ms`);
        break;
      case 8: {
        const s = ` preference ${c.u16(b, cp + 4)}, lifetime ${c.u16(b, cp + 6)}`;
        c.w(s);
        break;
      }
      case 24: {
        c.need(b, cp + 8);
        const prefix = new Uint8Array(16);
        if (olen !== 1 && olen !== 2 && olen !== 3) return -1;
        const n = (olen - 1) * 8;
        c.need(b, cp + 8 + n);
        prefix.set(b.subarray(cp + 8, cp + 8 + n));
        c.w(` ${formatIpv6(prefix)}/${c.u8(b, cp + 2)}`);
        c.w(`, pref=${RTPREF_NAMES[(c.u8(b, cp + 3) & 0x18) >> 3]}`);
        c.w(`, lifetime=${lifetime(c.u32(b, cp + 4))}`);
        break;
      }
      default:
        if (c.vflag <= 1) {
          c.unknownData(b, cp + 2, '\n\t  ', olen * 8 - 2);
          return 0;
        }
    }
    if (c.vflag > 1) c.unknownData(b, cp + 2, '\n\t    ', olen * 8 - 2);
    cp += olen * 8;
    resid -= olen * 8;
  }
  return 0;
}
