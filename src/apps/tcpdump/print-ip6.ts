// The IPv6 header and its chain of extension headers up to the upper layer (tcpdump's
// print-ip6.c).
import { hex, IPPROTO_NAMES } from './_text.js';
import { Truncated, type PrintContext } from './_context.js';
import { hbhopt, dstopt, frag6 } from './print-ip6opts.js';

/** `length` is what the layer below says the packet spans; `b` what was captured of it. */
export function ip6(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'ip6';
  c.need(b, 40);
  if (length < 40) return c.w(`truncated-ip6 ${length}`);
  if (!c.eflag) c.w('IP6 ');
  const version = b[0]! >>> 4;
  if (version !== 6) return c.w(`version error: ${version} != 6`);
  const payloadLen = c.u16(b, 4);
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) c.w(`truncated-ip6 - ${len - length} bytes missing!`);
  } else {
    len = length + 40; // as tcpdump does, until a Jumbo Payload option says otherwise
  }
  let nh = b[6]!;
  if (c.vflag) {
    const flow = c.u32(b, 0);
    c.w('(');
    if (flow & 0x0ff00000) c.w(`class 0x${hex((flow & 0x0ff00000) >>> 20, 2)}, `);
    if (flow & 0x000fffff) c.w(`flowlabel 0x${hex(flow & 0x000fffff, 5)}, `);
    c.w(`hlim ${b[7]}, next-header ${IPPROTO_NAMES.get(nh) ?? 'unknown'} (${nh}) payload length: ${payloadLen}) `);
  }
  b = b.subarray(0, len); // the snapshot ends with the IPv6 payload
  const jumbo = { payloadLen, found: false };
  let cp = 0;
  let advance = 40;
  let totalAdvance = 0;
  let foundExtension = false;
  let foundHbh = false;
  let fragmented = false;
  let ph = 255;
  while (cp < b.length && advance > 0) {
    if (len < advance) throw new Truncated();
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === 40 && nh !== 6 && nh !== 17 && nh !== 33 && nh !== 132) {
      c.w(`${c.ip6addr(b, 8)} > ${c.ip6addr(b, 24)}: `);
    }
    switch (nh) {
      case 0:
        if (foundHbh) return c.w('[The Hop-by-Hop Options header was already found] (invalid)');
        if (ph !== 255) return c.w("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)");
        advance = hbhopt(c, b, cp, jumbo);
        if (jumbo.payloadLen === 0 && !jumbo.found) return c.w('[No valid Jumbo Payload Hop-by-Hop option found] (invalid)');
        if (advance < 0) return;
        foundExtension = foundHbh = true;
        nh = c.u8(b, cp);
        break;
      case 60:
        advance = dstopt(c, b, cp);
        if (advance < 0) return;
        foundExtension = true;
        nh = c.u8(b, cp);
        break;
      case 44:
        advance = frag6(c, b, cp);
        if (advance < 0 || b.length <= cp + advance) return;
        foundExtension = true;
        nh = c.u8(b, cp);
        fragmented = true;
        break;
      default: {
        if (jumbo.found) {
          len = jumbo.payloadLen + 40;
          if (len < totalAdvance) throw new Truncated();
          if (length < len) c.w(`truncated-ip6 - ${len - length} bytes missing!`);
          b = b.subarray(0, len);
          len -= totalAdvance;
        } else if (payloadLen === 0) {
          if (foundExtension) throw new Truncated();
          b = b.subarray(0, 40);
          len = 40 - totalAdvance;
        }
        return c.layers.demux(b.subarray(cp), len, 6, fragmented, nh, b);
      }
    }
    ph = nh;
    c.protocol = 'ip6';
  }
}
