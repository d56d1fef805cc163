// ICMP messages: echo, unreachable, redirect, router advertisement, timestamps, and with -v
// the quoted datagram of an error (tcpdump's print-icmp.c).
import { onesSum } from '../../wire/index.js';
import { cksumShouldBe, hex, ICMP_TYPE_NAMES, icmpTimestamp, UNREACH_TEXTS } from './_text.js';
import type { PrintContext } from './_context.js';

export function icmp(c: PrintContext, b: Uint8Array, plen: number, fragmented: boolean): void {
  c.protocol = 'icmp';
  const type = c.u8(b, 0);
  const code = c.u8(b, 1);
  const quotedDst = () => c.ip4(b, 24);
  let str: string;
  switch (type) {
    case 0:
    case 8:
      str = `echo ${type === 8 ? 'request' : 'reply'}, id ${c.u16(b, 4)}, seq ${c.u16(b, 6)}`;
      break;
    case 3:
      str = icmpUnreach(c, b, code, quotedDst);
      break;
    case 5: {
      const what = ['redirect %s to net %s', 'redirect %s to host %s', 'redirect-tos %s to net %s', 'redirect-tos %s to host %s'][code];
      const d = quotedDst();
      const gw = c.ip4(b, 4);
      str = what ? what.replace('%s', d).replace('%s', gw) : `redirect-#${code} ${d} to ${gw}`;
      break;
    }
    case 9:
      str = routerAdvertisement(c, b);
      break;
    case 11:
      c.need(b, 28);
      str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
      break;
    case 12:
      str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${c.u8(b, 4)}`;
      break;
    case 13:
      str = `time stamp query id ${c.u16(b, 4)} seq ${c.u16(b, 6)}`;
      break;
    case 14: {
      c.need(b, 20);
      const t = (off: number) => icmpTimestamp(c.u32(b, off));
      str = `time stamp reply id ${c.u16(b, 4)} seq ${c.u16(b, 6)}: org ${t(8)}, recv ${t(12)}, xmit ${t(16)}`;
      break;
    }
    case 18:
      str = `address mask is 0x${hex(c.u32(b, 8), 8)}`;
      break;
    default:
      str = ICMP_TYPE_NAMES.get(type) ?? `type-#${type}`;
  }
  c.w(`ICMP ${str}, length ${plen}`);
  if (c.vflag && !fragmented && plen <= b.length) {
    const sum = ~onesSum(b, 0, plen) & 0xffff;
    if (sum !== 0) {
      const field = c.u16(b, 2);
      c.w(` (wrong icmp cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!)`);
    }
  }
  const isError = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
  if (c.vflag && isError) {
    // The quoted datagram prints as a packet of its own, cut at its own total length.
    c.w('\n\t');
    const quoted = b.subarray(8);
    const quotedLen = c.u16(quoted, 2);
    c.layers.ip(quoted.subarray(0, quotedLen), quotedLen);
    c.protocol = 'icmp';
  }
}

/** RFC 1256: `router advertisement lifetime 30:00 1: {10.0.0.1 0}`. */
function routerAdvertisement(c: PrintContext, b: Uint8Array): string {
  c.need(b, 8);
  const lifetime = c.u16(b, 6);
  const two = (n: number) => String(n).padStart(2, '0');
  let s = 'router advertisement lifetime ';
  if (lifetime < 60) s += lifetime;
  else if (lifetime < 3600) s += `${Math.floor(lifetime / 60)}:${two(lifetime % 60)}`;
  else s += `${Math.floor(lifetime / 3600)}:${two(Math.floor((lifetime % 3600) / 60))}:${two(lifetime % 60)}`;
  const num = c.u8(b, 4);
  s += ` ${num}:`;
  const size = c.u8(b, 5);
  if (size !== 2) return `${s} [size ${size}]`;
  for (let i = 0; i < num; i++) {
    c.need(b, 16 + 8 * i);
    s += ` {${c.ip4(b, 8 + 8 * i)} ${c.u32(b, 12 + 8 * i)}}`;
  }
  return s;
}

function icmpUnreach(c: PrintContext, b: Uint8Array, code: number, dst: () => string): string {
  switch (code) {
    case 0:
      return `net ${dst()} unreachable`;
    case 1:
      return `host ${dst()} unreachable`;
    case 2:
      return `${dst()} protocol ${c.u8(b, 17)} unreachable`;
    case 3: {
      const proto = c.u8(b, 17);
      const hlen = (c.u8(b, 8) & 0x0f) * 4;
      const dport = c.u16(b, 8 + hlen + 2);
      const d = dst();
      if (proto === 6) return `${d} tcp port ${dport} unreachable`;
      if (proto === 17) return `${d} udp port ${dport} unreachable`;
      return `${d} protocol ${proto} port ${dport} unreachable`;
    }
    case 4: {
      const mtu = c.u16(b, 6);
      return mtu ? `${dst()} unreachable - need to frag (mtu ${mtu})` : `${dst()} unreachable - need to frag`;
    }
    default: {
      const text = UNREACH_TEXTS.get(code);
      return text ? text.replace('%s', dst()) : `${dst()} unreachable - #${code}`;
    }
  }
}
