// ICMP error messages that quote the datagram which caused them (RFC 792: "Internet Header +
// 64 bits of Original Data Datagram"; RFC 1812 §4.3.2.3: as much as fits in 576 bytes).
// Linux's __icmp_send() quotes up to 576 - 20 (its IP header) - 8 (ICMP header) = 548 bytes.
import { ICMP_HEADER_LEN } from './icmp.js';
import { IPV4_MIN_HEADER_LEN, Ipv4View } from './ipv4.js';
import { emitIpv4 } from './packet.js';
import type { IcmpMessage, Ipv4Packet } from './types.js';

/** How much of the offending datagram Linux quotes (no IP options on the error itself). */
export const LINUX_ICMP_QUOTE_MAX = 576 - IPV4_MIN_HEADER_LEN - ICMP_HEADER_LEN;

export interface IcmpErrorOptions {
  /** Header bytes 4..7: 0 (the default), or the next-hop MTU for "fragmentation needed". */
  readonly rest?: number;
  /**
   * Bytes of the offending datagram to quote at most. Defaults to Linux's 548; pass
   * `'rfc792'` for the minimum, its header plus the first 8 payload bytes.
   */
  readonly quote?: number | 'rfc792';
}

/**
 * Builds an ICMP error (destination unreachable, time exceeded, ...) about `offending`, given as
 * the IPv4 packet or its bytes. The quote stops at the datagram's own total length, so
 * Ethernet padding after it is never quoted. The result's data is a fresh copy.
 */
export function makeIcmpError(type: number, code: number, offending: Ipv4Packet | Uint8Array, opts: IcmpErrorOptions = {}): IcmpMessage {
  const bytes = offending instanceof Uint8Array ? offending : emitIpv4(offending);
  const v = new Ipv4View(bytes);
  const limit = opts.quote === 'rfc792' ? v.headerLen + 8 : (opts.quote ?? LINUX_ICMP_QUOTE_MAX);
  const data = bytes.slice(0, Math.min(v.totalLen, limit));
  return { kind: 'icmp', type, code, rest: (opts.rest ?? 0) >>> 0, data };
}
