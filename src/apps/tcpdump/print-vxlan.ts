// VXLAN (RFC 7348 §5) and OTV headers, then the inner Ethernet frame (tcpdump's print-vxlan.c and
// print-otv.c).
import { hex } from './_text.js';
import type { PrintContext } from './_context.js';

/** RFC 7348 §5 as tcpdump prints it: `VXLAN, flags [I] (0x08), vni 1` then the inner frame. */
export function vxlan(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'vxlan';
  c.w('VXLAN');
  if (length < 8) return c.w(' (invalid)');
  const flags = c.u8(b, 0);
  c.w(`, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex(flags, 2)}), `);
  c.w(`vni ${c.u24(b, 4)}\n`);
  c.u8(b, 7);
  c.layers.ether(b.subarray(8), length - 8);
}

/** draft-hasmit-otv-04, which tcpdump assumes for port 8472 (Linux VXLAN's default). */
export function otv(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'otv';
  c.w('OTV, ');
  if (length < 8) {
    c.w(`[length ${length} < 8] (invalid)`);
    return c.need(b, length);
  }
  const flags = c.u8(b, 0);
  c.w(`flags [${flags & 0x08 ? 'I' : '.'}] (0x${hex(flags, 2)}), `);
  c.w(`overlay ${c.u24(b, 1)}, `);
  c.w(`instance ${c.u24(b, 4)}\n`);
  c.u8(b, 7);
  c.layers.ether(b.subarray(8), length - 8);
}
