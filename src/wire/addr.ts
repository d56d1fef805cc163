// Text forms of MAC and IPv4 addresses and prefixes, as iproute2 accepts and prints them.
import type { Ipv4, Mac } from './types.js';

export const MAC_ZERO: Mac = '00:00:00:00:00:00';
export const MAC_BROADCAST: Mac = 'ff:ff:ff:ff:ff:ff';

/** Parses dotted-quad IPv4; returns undefined unless it is exactly four decimal octets. */
export function parseIpv4(text: string): Ipv4 | undefined {
  const v = parseIpv4Span(text, 0, text.length);
  return v < 0 ? undefined : v;
}

/**
 * parseIpv4 of text[from, to), or -1: one pass over the characters, no split, no regular expression,
 * no substring (it runs for every address a route, a CNI result or a restored rule carries — a
 * million times when a thousand nodes route to each other).
 */
export function parseIpv4Span(text: string, from: number, to: number): number {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      octet = octet * 10 + (c - 48);
    } else if (c === 46 && digits > 0 && octet <= 255 && dots < 3) {
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return -1;
  return (v * 256 + octet) >>> 0;
}

export function formatIpv4(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** The netmask of a prefix length as an unsigned integer (/0 is 0). */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function networkOf(ip: Ipv4, len: number): Ipv4 {
  return (ip & prefixMask(len)) >>> 0;
}

export function broadcastOf(ip: Ipv4, len: number): Ipv4 {
  return (ip | ~prefixMask(len)) >>> 0;
}

export function inPrefix(ip: Ipv4, net: Ipv4, len: number): boolean {
  return ((ip ^ net) & prefixMask(len)) === 0;
}

export interface Prefix {
  readonly addr: Ipv4;
  readonly len: number;
}

/** Parses `a.b.c.d[/len]`; a missing length means /32. */
export function parsePrefix(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, len: 32 };
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  return len <= 32 ? { addr, len } : undefined;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIpv4(p.addr)}/${p.len}`;
}

/** Parses a MAC written as six hex pairs separated by ':' (iproute2 also takes one-digit pairs). */
export function parseMac(text: string): Mac | undefined {
  const parts = text.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

export function macToBytes(mac: Mac, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 6; i++) out[offset + i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16);
}

export function macFromBytes(buf: Uint8Array, offset: number): Mac {
  let s = '';
  for (let i = 0; i < 6; i++) {
    if (i) s += ':';
    s += buf[offset + i]!.toString(16).padStart(2, '0');
  }
  return s;
}

export function isMulticastMac(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}
