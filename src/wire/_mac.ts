// MAC text <-> bytes on the hot path. A world has few MACs and sends many frames, so both
// directions are memoised (bounded, so a flood of random MACs cannot grow memory without end).
import type { Mac } from './types.js';

const LIMIT = 4096;
const toBytes = new Map<Mac, Uint8Array>();
const toText = new Map<number, Mac>();

export function writeMac(mac: Mac, out: Uint8Array, offset: number): void {
  let b = toBytes.get(mac);
  if (!b) {
    b = new Uint8Array(6);
    for (let i = 0; i < 6; i++) b[i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16);
    if (toBytes.size >= LIMIT) toBytes.clear();
    toBytes.set(mac, b);
  }
  out.set(b, offset);
}

/** Byte `i` of a MAC's text ("aa:bb:..."), as writeMac reads it, without its cache or a substring. */
export function macByte(mac: Mac, i: number): number {
  return (hexDigit(mac.charCodeAt(i * 3)) << 4) | hexDigit(mac.charCodeAt(i * 3 + 1));
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  c |= 0x20; // a-f, A-F
  return c >= 97 && c <= 102 ? c - 87 : 0;
}

export function readMac(buf: Uint8Array, offset: number): Mac {
  const key =
    (buf[offset]! * 0x10000 + (buf[offset + 1]! << 8) + buf[offset + 2]!) * 0x1000000 +
    ((buf[offset + 3]! << 16) | (buf[offset + 4]! << 8) | buf[offset + 5]!);
  let mac = toText.get(key);
  if (mac === undefined) {
    mac = '';
    for (let i = 0; i < 6; i++) mac += (i ? ':' : '') + buf[offset + i]!.toString(16).padStart(2, '0');
    if (toText.size >= LIMIT) toText.clear();
    toText.set(key, mac);
  }
  return mac;
}
