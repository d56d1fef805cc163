// Link layers: Ethernet II and 802.3 headers (`-e`) and raw IP captures, handing the payload to
// the next layer (tcpdump's print-ether.c, and the DLT_RAW case of print.c).
import { macFromBytes } from '../../wire/index.js';
import { ETHERTYPE_NAMES, hex } from './_text.js';
import { Truncated, type PrintContext } from './_context.js';
import { arp } from './print-arp.js';

export function raw(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'raw';
  if (c.eflag) c.w('ip: ');
  c.protocol = 'ipn';
  if (length < 1) return c.w(`truncated-ip ${length}`);
  const version = c.u8(b, 0) >>> 4;
  if (version === 4) c.layers.ip(b, length);
  else if (version === 6) c.layers.ip6(b, length);
  else c.w(`unknown ip ${version}`);
}

/** print-ether.c: `src > dst, ethertype IPv4 (0x0800), length N: ` with -e, then the payload. */
export function ether(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'ether';
  if (b.length < 14 || length < 14) throw new Truncated();
  const dst = macFromBytes(b, 0);
  const src = macFromBytes(b, 6);
  const type = c.u16(b, 12);
  const header = `${src} > ${dst}, ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'} (0x${hex(type, 4)}), length ${length}: `;
  if (type <= 1500) {
    // An IEEE 802.3 length field; knetlab sends no LLC frames, so only the header is decoded.
    const len = Math.min(type, length - 14);
    if (c.eflag) c.w(`${src} > ${dst}, 802.3, length ${len}: `);
    c.protocol = 'llc';
    if (len < 3 || b.length < 17) throw new Truncated();
    return c.w('[LLC not decoded]');
  }
  if (c.eflag) c.w(header);
  const payload = b.subarray(14);
  if (type === 0x0800) return c.layers.ip(payload, length - 14);
  if (type === 0x0806) return arp(c, payload, length - 14);
  if (type === 0x86dd) return c.layers.ip6(payload, length - 14);
  if (!c.eflag) c.w(header);
  c.hexDump(payload);
}
