// MLDv1 and MLDv2 queries and reports inside ICMPv6 (tcpdump's print-icmp6.c).
import type { PrintContext } from './_context.js';
import { groupRecords, querySources } from './print-group-records.js';

/** MLDv1 (RFC 2710): tcpdump writes it straight after the type name, without a separator. */
export function mld6(c: PrintContext, b: Uint8Array): void {
  if (b.length < 24) return;
  c.w(`max resp delay: ${c.u16(b, 4)} `);
  c.w(`addr: ${c.ip6addr(b, 8)}`);
}

export function mldv2Report(c: PrintContext, b: Uint8Array, len: number): void {
  if (len < 8) return c.w(` [invalid len ${len}]`);
  groupRecords(c, b, len, 16, 'v2');
}

export function mldv2Query(c: PrintContext, b: Uint8Array, len: number): void {
  if (len < 28) return c.w(` [invalid len ${len}]`);
  const mrc = c.u16(b, 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
  if (c.vflag) c.w(` [max resp delay=${mrt}]`);
  c.w(` [gaddr ${c.ip6addr(b, 8)}`);
  if (c.vflag) {
    const sqrv = c.u8(b, 24);
    if (sqrv & 0x08) c.w(' sflag');
    if (sqrv & 0x07) c.w(` robustness=${sqrv & 0x07}`);
    const qqic = c.u8(b, 25);
    const qqi = qqic < 128 ? qqic : ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);
    c.w(` qqi=${qqi}`);
  }
  querySources(c, b, len, 26, 16);
  c.w(']');
}
