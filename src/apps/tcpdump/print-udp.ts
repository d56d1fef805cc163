// The UDP header, its checksum with -vv, and the ports that pick VXLAN or OTV (tcpdump's
// print-udp.c).
import { formatIpv4, onesSum, pseudoHeaderSum } from '../../wire/index.js';
import { cksumShouldBe, finalDst, hex } from './_text.js';
import { Truncated, type PrintContext } from './_context.js';
import { vxlan, otv } from './print-vxlan.js';

export function udp(c: PrintContext, b: Uint8Array, length: number, ipHeader: Uint8Array, fragmented: boolean): void {
  c.protocol = 'udp';
  const src = formatIpv4(c.u32(ipHeader, 12));
  const dst = formatIpv4(c.u32(ipHeader, 16));
  if (b.length < 4) {
    c.w(`${src} > ${dst}: `);
    throw new Truncated();
  }
  const sport = c.u16(b, 0);
  const dport = c.u16(b, 2);
  const addrs = `${src}.${sport} > ${dst}.${dport}: `;
  if (length < 8) return c.w(`${addrs}truncated-udp ${length}`);
  if (b.length < 6) {
    c.w(addrs);
    throw new Truncated();
  }
  let ulen = c.u16(b, 4);
  if (ulen < 8) return c.w(`${addrs}truncated-udplength ${ulen}`);
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  c.w(addrs);
  if (b.length < 8) throw new Truncated();
  const payload = b.subarray(8);
  if (c.vxlanAll) return vxlan(c, payload, length);
  if (c.vflag > 1 && !fragmented) {
    const field = c.u16(b, 6);
    if (field === 0) c.w('[no cksum] ');
    else if (length <= payload.length) {
      const covered = length + 8;
      const sum = ~onesSum(b, 0, covered, pseudoHeaderSum(c.u32(ipHeader, 12), finalDst(ipHeader), 17, covered)) & 0xffff;
      if (sum !== 0) c.w(`[bad udp cksum 0x${hex(field, 4)} -> 0x${hex(cksumShouldBe(field, sum), 4)}!] `);
      else c.w('[udp sum ok] ');
    }
  }
  // tcpdump's port table is tried in order; OTV's 8472 comes before VXLAN's 4789.
  if (sport === 8472 || dport === 8472) return otv(c, payload, length);
  if (sport === 4789 || dport === 4789) return vxlan(c, payload, length);
  if (ulen > length && !fragmented) c.w(`UDP, bad length ${ulen} > ${length}`);
  else c.w(`UDP, length ${ulen}`);
}
