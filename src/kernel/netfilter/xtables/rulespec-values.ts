// Value parsers shared by the iptables option parsers: addresses and masks, ports and port
// ranges, 32-bit integers (marks), as iptables 1.8.9 reads them and with its error texts.
import { parseIpv4 } from '../../../wire/index.js';
import { paramError } from './rulespec-error.js';
import { servicePort } from './rulespec-names.js';
import type { PortRange } from '../types.js';

/** Thrown for a feature knetlab's iptables does not emulate (a real option it cannot honour). */
export function notSupported(what: string): Error {
  return paramError(`${what} is not supported by knetlab`);
}

/**
 * xtables_numeric_to_ipaddr(): one to four dotted decimal parts, the missing ones zero
 * (`10.1` is 10.1.0.0); `localhost` is the one name /etc/hosts resolves.
 */
export function parseAddress(text: string): number | undefined {
  if (text === 'localhost') return 0x7f000001;
  // One to four parts of one to three decimal digits, each at most 255, read in one pass.
  let v = 0;
  let parts = 0;
  let part = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46 /* . */) {
      if (digits === 0 || part > 255 || ++parts > 4) return undefined;
      v = v * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
    } else return undefined;
  }
  for (let k = parts; k < 4; k++) v *= 256;
  return v >>> 0;
}

/** Prefix length of a contiguous netmask, or undefined. */
export function maskLength(mask: number): number | undefined {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  return 32 - Math.log2(inv + 1);
}

/** `-s`/`-d` text: `addr[/len|/mask]`, the address masked to the prefix, as iptables stores it. */
export function parseAddressMask(text: string): { addr: number; len: number } {
  if (text.includes(',')) throw notSupported(`A list of addresses ("${text}")`);
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const addr = parseAddress(host);
  if (addr === undefined) throw paramError(`host/network \`${host}' not found`);
  let len = 32;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (m.includes('.')) {
      const mask = parseIpv4(m);
      if (mask === undefined) throw paramError(`host/network \`${m}' not found`);
      const l = maskLength(mask);
      if (l === undefined) throw notSupported(`A non-contiguous netmask ("${m}")`);
      len = l;
    } else {
      if (!/^\d+$/.test(m) || Number(m) > 32) throw paramError(`invalid mask \`${m}' specified`);
      len = Number(m);
    }
  }
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { addr: (addr & mask) >>> 0, len };
}

/** One port, a number or a service name of `proto` (0: any protocol). */
export function parsePort(text: string, proto: number): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 65535) return n;
  } else {
    const p = servicePort(text, proto);
    if (p !== undefined) return p;
  }
  throw paramError(`invalid port/service \`${text}' specified`);
}

/** `80`, `1000:2000`, `:90` (0:90), `1000:` (1000:65535). */
export function parsePortRange(text: string, proto: number): PortRange {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = parsePort(text, proto);
    return { from: p, to: p };
  }
  const a = text.slice(0, colon);
  const b = text.slice(colon + 1);
  const from = a === '' ? 0 : parsePort(a, proto);
  const to = b === '' ? 65535 : parsePort(b, proto);
  if (from > to) throw paramError('invalid portrange (min > max)');
  return { from, to };
}

/** strtoul(text, 0) limited to 32 bits: decimal, 0x hex or 0 octal; undefined when invalid. */
export function parseU32(text: string): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = parseInt(text, 8);
  else if (/^[1-9]\d*$/.test(text)) n = Number(text);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

/** `value[/mask]` as libxt_mark and libxt_MARK take it; mask defaults to 0xffffffff. */
export function parseMarkMask(ext: string, opt: string, text: string): { value: number; mask: number } {
  const bad = (): Error => paramError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`);
  const garbage = (): Error => paramError(`${ext}: trailing garbage after value for option "--${opt}".\n`);
  // strtoul semantics: the longest number at the start; what follows must be "/mask" or nothing.
  const number = (t: string): { n: number | undefined; rest: string } => {
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(t);
    if (!m) return { n: undefined, rest: t };
    return { n: parseU32(m[1]!), rest: t.slice(m[1]!.length) };
  };
  const v = number(text);
  if (v.n === undefined) throw bad();
  if (v.rest === '') return { value: v.n, mask: 0xffffffff };
  if (!v.rest.startsWith('/')) throw garbage();
  const m = number(v.rest.slice(1));
  if (m.n === undefined) throw bad();
  if (m.rest !== '') throw garbage();
  return { value: v.n, mask: m.n };
}

/** `--ctorigdst`, `--mask`: a dotted address, as getaddrinfo/inet_aton read it. */
export function parseInetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || !parts.every((p) => /^\d+$/.test(p))) return undefined;
  const nums = parts.map(Number);
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return undefined;
  let v = 0;
  for (const n of nums) v = v * 256 + n;
  return (v * 2 ** (8 * (4 - nums.length)) + last) >>> 0;
}
