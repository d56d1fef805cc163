// The IPv4 header: version and length checks, the -v line with options (RA/RR/LSRR/SSRR/TS),
// then the payload by protocol (tcpdump's print-ip.c).
import { onesSum } from '../../wire/index.js';
import { cksumShouldBe, IPOPT_NAMES, IPPROTO_NAMES } from './_text.js';
import { Truncated, OptionTruncated, type PrintContext } from './_context.js';
import { icmp } from './print-icmp.js';
import { tcp } from './print-tcp.js';
import { udp } from './print-udp.js';

/** `length` is what the layer below says the packet spans; `b` what was captured of it. */
export function ip(c: PrintContext, b: Uint8Array, length: number): void {
  c.protocol = 'ip';
  const version = c.u8(b, 0) >>> 4;
  if (version !== 4) {
    c.w(version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`);
    return c.w(' (invalid)');
  }
  if (!c.eflag) c.w('IP ');
  c.need(b, 20);
  if (length < 20) return c.w(`truncated-ip ${length}`);
  const hlen = (b[0]! & 0x0f) * 4;
  if (hlen < 20) return c.w(`bad-hlen ${hlen}`);
  let len = c.u16(b, 2);
  if (length < len) c.w(`truncated-ip - ${len - length} bytes missing! `);
  if (len < hlen) return c.w(`bad-len ${len}`);
  b = b.subarray(0, len); // the snapshot ends with the IP payload (Ethernet padding is not ours)
  len -= hlen;
  const off = c.u16(b, 6);
  const proto = b[9]!;
  const src = c.ip4(b, 12);
  const dst = c.ip4(b, 16);
  if (c.vflag && !ipVerboseHeader(c, b, hlen, off, proto)) {
    c.w(`${src} > ${dst}: `);
    throw new Truncated();
  }
  if ((off & 0x1fff) !== 0) return c.w(`${src} > ${dst}: ip-proto-${proto}`);
  if (proto !== 6 && proto !== 17) c.w(`${src} > ${dst}: `);
  if (hlen > b.length) {
    c.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
    throw new Truncated();
  }
  const fragmented = (off & 0x2000) !== 0;
  const payload = b.subarray(hlen);
  switch (proto) {
    case 1:
      return icmp(c, payload, len, fragmented);
    case 6:
      return tcp(c, payload, len, b, fragmented);
    case 17:
      return udp(c, payload, len, b, fragmented);
    default:
      return c.layers.demux(payload, len, 4, fragmented, proto, b);
  }
}

/**
 * `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length 84)` and a new line;
 * false when the options were not all captured.
 */
function ipVerboseHeader(c: PrintContext, b: Uint8Array, hlen: number, off: number, proto: number): boolean {
  const tos = b[1]!;
  c.w(`(tos 0x${tos.toString(16)}${['', ',ECT(1)', ',ECT(0)', ',CE'][tos & 3]}`);
  const ttl = b[8]!;
  if (ttl >= 1) c.w(`, ttl ${ttl}`);
  const flags = [off & 0x2000 ? '+' : '', off & 0x4000 ? 'DF' : '', off & 0x8000 ? 'rsvd' : ''].filter((s) => s);
  c.w(`, id ${c.u16(b, 4)}, offset ${(off & 0x1fff) * 8}, flags [${flags.join(', ') || 'none'}]`);
  c.w(`, proto ${IPPROTO_NAMES.get(proto) ?? 'unknown'} (${proto}), length ${c.u16(b, 2)}`);
  let complete = true;
  if (hlen > 20) {
    c.w(', options (');
    complete = ipOptions(c, b.subarray(20, hlen), hlen - 20);
    if (!complete) c.w(' [truncated-option]');
    c.w(')');
  }
  if (hlen <= b.length) {
    const sum = ~onesSum(b, 0, hlen) & 0xffff;
    if (sum !== 0) {
      const field = c.u16(b, 10);
      c.w(`, bad cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!`);
    }
  }
  c.w(')\n    ');
  return complete;
}

/**
 * ip_optprint(): option names, comma-separated, with RA's value, route addresses and
 * timestamps. `b` is what was captured of the `length` option bytes; false when cut short.
 */
function ipOptions(c: PrintContext, b: Uint8Array, length: number): boolean {
  let sep = '';
  try {
    for (let i = 0; i < length; ) {
      c.w(sep);
      sep = ',';
      const code = c.u8(b, i);
      c.w(IPOPT_NAMES.get(code) ?? `unknown ${code}`);
      const optLen = code === 0 || code === 1 ? 1 : c.u8(b, i + 1);
      if (optLen < 2 && code > 1) {
        c.w(` [bad length ${optLen}]`);
        return true;
      }
      if (optLen > length - i) {
        c.w(` [bad length ${optLen}]`);
        return true;
      }
      if (i + optLen > b.length) return false;
      const opt = b.subarray(i, i + optLen);
      if (code === 0) return true;
      if (code === 148) {
        if (optLen < 4) c.w(` [bad length ${optLen}]`);
        else if (c.u16(opt, 2) !== 0) c.w(` value ${c.u16(opt, 2)}`);
      } else if (code === 7 || code === 131 || code === 137) {
        ipRoute(c, opt);
      } else if (code === 68) {
        ipTimestamp(c, opt);
      }
      i += optLen;
    }
  } catch (e) {
    if (e instanceof OptionTruncated) return false;
    throw e;
  }
  return true;
}

function ipRoute(c: PrintContext, opt: Uint8Array): void {
  const length = opt.length;
  if (length < 3) return c.w(` [bad length ${length}]`);
  if ((length + 1) & 3) c.w(` [bad length ${length}]`);
  const ptr = opt[2]! - 1;
  if (ptr < 3 || (ptr + 1) & 3 || ptr > length + 1) c.w(` [bad ptr ${opt[2]}]`);
  for (let i = 3; i < length; i += 4) {
    if (i + 4 > opt.length) throw new OptionTruncated();
    c.w(` ${c.ip4(opt, i)}`);
    if (ptr > i) c.w(',');
  }
}

/** RFC 791 Internet Timestamp: `TS{TSONLY ^ 123@}` style, `^` marking the pointer. */
function ipTimestamp(c: PrintContext, opt: Uint8Array): void {
  const length = opt.length;
  if (length < 4) return c.w(`[bad length ${length}]`);
  c.w(' TS{');
  const flag = c.u8(opt, 3) & 0x0f;
  const hoplen = flag !== 0 ? 8 : 4;
  if ((length - 4) & (hoplen - 1)) c.w(`[bad length ${length}]`);
  const ptr = opt[2]! - 1;
  if (ptr < 4 || (ptr - 4) & (hoplen - 1) || ptr > length + 1) c.w(`[bad ptr ${opt[2]}]`);
  let len = 0;
  const kind = ['TSONLY', 'TS+ADDR', undefined, 'PRESPEC'][flag];
  if (kind === undefined) {
    c.w(`[bad ts type ${flag}]`);
  } else {
    c.w(kind);
    let type = ' ';
    for (len = 4; len < length; len += hoplen) {
      if (ptr === len) type = ' ^ ';
      if (len + hoplen > opt.length) throw new OptionTruncated();
      c.w(`${type}${c.u32(opt, len + hoplen - 4)}@${hoplen !== 8 ? '' : c.ip4(opt, len)}`);
      type = ' ';
    }
  }
  c.w(ptr === len ? ' ^ ' : '');
  const overflow = opt[3]! >>> 4;
  c.w(overflow ? ` [${overflow} hops not recorded]} ` : '}');
}
