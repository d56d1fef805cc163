// IGMP v1/v2/v3 queries and reports, DVMRP/PIMv1 by name, mtrace (tcpdump's print-igmp.c).
import { onesSum } from '../../wire/index.js';
import { relativeTime } from './_text.js';
import type { PrintContext } from './_context.js';
import { groupRecords, querySources } from './print-group-records.js';

/** IGMPv1/v2/v3 (RFC 1112, 2236, 3376) and mtrace; a snooping Linux bridge sends v3 reports. */
export function igmp(c: PrintContext, b: Uint8Array, len: number): void {
  c.protocol = 'igmp';
  const type = c.u8(b, 0);
  switch (type) {
    case 0x11:
      c.w('igmp query');
      if (len >= 12) igmpv3Query(c, b, len);
      else {
        const mrt = c.u8(b, 1);
        if (mrt) {
          c.w(' v2');
          if (mrt !== 100) c.w(` [max resp time ${mrt}]`);
        } else c.w(' v1');
        if (c.u32(b, 4)) c.w(` [gaddr ${c.ip4(b, 4)}]`);
        if (len !== 8) c.w(` [len ${len}]`);
      }
      break;
    case 0x12: {
      c.w(`igmp v1 report ${c.ip4(b, 4)}`);
      if (len !== 8) c.w(` [len ${len}]`);
      break;
    }
    case 0x16:
      c.w(`igmp v2 report ${c.ip4(b, 4)}`);
      break;
    case 0x22:
      c.w('igmp v3 report');
      igmpv3Report(c, b, len);
      break;
    case 0x17:
      c.w(`igmp leave ${c.ip4(b, 4)}`);
      break;
    case 0x13:
      c.w('igmp dvmrp');
      c.w(len < 8 ? ` [len ${len}]` : ' [not decoded]');
      break;
    case 0x14:
      c.w('igmp pimv1 [not decoded]');
      break;
    case 0x1e:
    case 0x1f: {
      if (len < 8 + 16) {
        c.w(` [invalid len ${len}]`);
        break;
      }
      const s = `${type === 0x1e ? 'mresp' : 'mtrace'} ${c.u24(b, 21)}: ${c.ip4(b, 8)} to ${c.ip4(b, 12)} reply-to ${c.ip4(b, 16)}`;
      c.w(s);
      if ((c.u32(b, 16) & 0xf0000000) >>> 0 === 0xe0000000) c.w(` with-ttl ${c.u8(b, 20)}`);
      break;
    }
    default:
      c.w(`igmp-${type}`);
  }
  if (c.vflag && len >= 4 && len <= b.length && onesSum(b, 0, len) !== 0xffff) {
    c.w(` bad igmp cksum ${c.u16(b, 2).toString(16)}!`);
  }
}

function igmpv3Report(c: PrintContext, b: Uint8Array, len: number): void {
  if (len < 16 || len & 3) return c.w(` [invalid len ${len}]`);
  groupRecords(c, b, len, 4, 'v3');
}

function igmpv3Query(c: PrintContext, b: Uint8Array, len: number): void {
  c.w(' v3');
  if (len < 12 || len & 3) return c.w(` [invalid len ${len}]`);
  const mrc = c.u8(b, 1);
  const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) c.w(` [max resp time ${mrt < 600 ? `${(mrt * 0.1).toFixed(1)}s` : relativeTime(Math.floor(mrt / 10))}]`);
  if (c.u32(b, 4) === 0) return;
  c.w(` [gaddr ${c.ip4(b, 4)}`);
  querySources(c, b, len, 10, 4);
  c.w(']');
}
