// ARP requests and replies (tcpdump's print-arp.c).
import { ARPHRD_NAMES, ARPOP_NAMES, hex, linkAddr } from './_text.js';
import type { PrintContext } from './_context.js';

export function arp(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'arp';
  c.need(b, 8);
  const hrd = c.u16(b, 0);
  const pro = c.u16(b, 2);
  const hln = b[4]!;
  const pln = b[5]!;
  const op = c.u16(b, 6);
  const sha = 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  c.need(b, tpa + pln);
  if (!c.eflag) c.w('ARP, ');
  const isIp = pro === 0x0800 || pro === 0x1000;
  if (!isIp || pln !== 4 || hln === 0 || c.vflag) {
    const hrdName = ARPHRD_NAMES.get(hrd) ?? `Unknown Hardware (${hrd})`;
    const proName = pro === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${hex(pro, 4)})`;
    c.w(`${hrdName} (len ${hln}), ${proName} (len ${pln})`);
    if (!c.vflag) return c.w(`, length ${length}`);
  }
  const link = (off: number) => linkAddr(b, off, hln);
  const paddr = (off: number) => (!isIp ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : c.ip4(b, off));
  c.w(`${c.vflag ? ', ' : ''}${ARPOP_NAMES.get(op) ?? `Unknown (${op})`} `);
  switch (op) {
    case 1: {
      c.w(`who-has ${paddr(tpa)}`);
      if (b.subarray(tha, tha + hln).some((x) => x !== 0)) c.w(` (${link(tha)})`);
      c.w(` tell ${paddr(spa)}`);
      break;
    }
    case 2:
      c.w(`${paddr(spa)} is-at ${link(sha)}`);
      break;
    case 3:
    case 8:
      c.w(`who-is ${link(tha)} tell ${link(sha)}`);
      break;
    case 4:
      c.w(`${link(tha)} at ${paddr(tpa)}`);
      break;
    case 9:
      c.w(`${link(sha)} at ${paddr(spa)}`);
      break;
    default:
      return c.hexDump(b);
  }
  c.w(`, length ${length}`);
}
