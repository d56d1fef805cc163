// The group records and query source lists IGMPv3 and MLDv2 share, for 4- or 16-byte addresses
// (tcpdump's print-igmp.c and print-icmp6.c).
import { MLDV2_RECORD_NAMES } from './_text.js';
import type { PrintContext } from './_context.js';

/**
 * The group records of an IGMPv3 or MLDv2 report (print-igmp.c / print-icmp6.c share their
 * layout: type, aux length, source count, group address, sources), for 4- or 16-byte addresses.
 */
export function groupRecords(c: PrintContext, b: Uint8Array, len: number, addrLen: 4 | 16, version: 'v2' | 'v3'): void {
  const addr = (off: number) => (addrLen === 4 ? c.ip4(b, off) : c.ip6addr(b, off));
  const ngroups = c.u16(b, 6);
  c.w(`, ${ngroups} group record(s)`);
  if (!c.vflag) return;
  let group = 8;
  for (let i = 0; i < ngroups; i++) {
    if (len < group + 4 + addrLen) return c.w(' [invalid number of groups]');
    c.w(` [gaddr ${addr(group + 4)}`);
    const type = c.u8(b, group);
    c.w(` ${MLDV2_RECORD_NAMES.get(type) ?? ` [${version}-report-#${type}]`}`);
    const nsrcs = c.u16(b, group + 2);
    if (len < group + 4 + addrLen + nsrcs * addrLen) return c.w(` [invalid number of sources ${nsrcs}]`);
    if (c.vflag === 1) c.w(`, ${nsrcs} source(s)`);
    else {
      c.w(' {');
      for (let j = 0; j < nsrcs; j++) c.w(` ${addr(group + 4 + addrLen + j * addrLen)}`);
      c.w(' }');
    }
    group += 4 + addrLen + nsrcs * addrLen;
    c.w(']');
  }
}

/** The source list of an IGMPv3 or MLDv2 query: a count at `countAt`, then the addresses. */
export function querySources(c: PrintContext, b: Uint8Array, len: number, countAt: number, addrLen: 4 | 16): void {
  const nsrcs = c.u16(b, countAt);
  if (nsrcs === 0) return;
  const first = countAt + 2;
  if (len < first + nsrcs * addrLen) return c.w(' [invalid number of sources]');
  if (c.vflag > 1) {
    c.w(' {');
    for (let i = 0; i < nsrcs; i++) c.w(` ${addrLen === 4 ? c.ip4(b, first + i * 4) : c.ip6addr(b, first + i * 16)}`);
    c.w(' }');
  } else c.w(`, ${nsrcs} source(s)`);
}
