// TCP: flags, relative sequence numbers per connection, checksum with -v, options, RST data, and
// the ports that pick SSH or HTTP text (tcpdump's print-tcp.c).
import { formatIpv4, onesSum, pseudoHeaderSum } from '../../wire/index.js';
import { cksumShouldBe, finalDst, hex, printChar, TCP_PORTS_BEFORE_HTTP, TCPOPT_NAMES } from './_text.js';
import { Truncated, type PrintContext } from './_context.js';
import { http } from './print-http.js';
import { sshBanner } from './print-ssh.js';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;
const TCP_FLAG_LETTERS: readonly [number, string][] = [
  [TH_FIN, 'F'],
  [TH_SYN, 'S'],
  [TH_RST, 'R'],
  [0x08, 'P'],
  [TH_ACK, '.'],
  [TH_URG, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

export function tcp(c: PrintContext, b: Uint8Array, length: number, ipHeader: Uint8Array, fragmented: boolean): void {
  c.protocol = 'tcp';
  const srcIp = c.u32(ipHeader, 12);
  const dstIp = c.u32(ipHeader, 16);
  if (b.length < 4) {
    c.w(`${formatIpv4(srcIp)} > ${formatIpv4(dstIp)}:`);
    throw new Truncated();
  }
  const sport = c.u16(b, 0);
  const dport = c.u16(b, 2);
  c.w(`${formatIpv4(srcIp)}.${sport} > ${formatIpv4(dstIp)}.${dport}: `);
  c.need(b, 20);
  let hlen = (b[12]! >>> 4) * 4;
  if (hlen < 20) return c.w(` tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`);
  let seq = c.u32(b, 4);
  let ack = c.u32(b, 8);
  const win = c.u16(b, 14);
  const urp = c.u16(b, 18);
  const flags = b[13]!;
  c.w(
    `Flags [${
      TCP_FLAG_LETTERS.filter(([bit]) => flags & bit)
        .map(([, l]) => l)
        .join('') || 'none'
    }]`,
  );

  // Relative sequence numbers: one entry per connection, keyed in a fixed direction.
  let rev = false;
  let thseq = 0;
  let thack = 0;
  if (flags & TH_ACK) {
    rev = sport > dport || (sport === dport && srcIp > dstIp);
    const key = rev ? `${dstIp}:${srcIp}:${dport}:${sport}` : `${srcIp}:${dstIp}:${sport}:${dport}`;
    let th = c.tcpSeq.get(key);
    if (!th || flags & TH_SYN) {
      th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
      c.tcpSeq.set(key, th);
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
    thseq = th.seq;
    thack = th.ack;
  }
  if (hlen > length) return c.w(` [bad hdr length ${hlen} - too long, > ${length}]`);
  if (c.vflag && !fragmented && length <= b.length) {
    const field = c.u16(b, 16);
    const sum = ~onesSum(b, 0, length, pseudoHeaderSum(srcIp, finalDst(ipHeader), 6, length)) & 0xffff;
    c.w(`, cksum 0x${hex(field, 4)}`);
    c.w(sum !== 0 ? ` (incorrect -> 0x${hex(cksumShouldBe(field, sum), 4)})` : ' (correct)');
  }
  length -= hlen;
  if (c.vflag > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    c.w(`, seq ${seq}`);
    if (length > 0) c.w(`:${(seq + length) >>> 0}`);
  }
  if (flags & TH_ACK) c.w(`, ack ${ack}`);
  c.w(`, win ${win}`);
  if (flags & TH_URG) c.w(`, urg ${urp}`);
  if (hlen > 20) {
    c.w(', options [');
    if (!tcpOptions(c, b, hlen, rev ? thseq : thack, hlen + length <= b.length)) return;
    c.w(']');
  }
  c.w(`, length ${length}`);
  if (length === 0) return;
  hlen = (b[12]! >>> 4) * 4;
  if (hlen > b.length) {
    c.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
    throw new Truncated();
  }
  const payload = b.subarray(hlen);
  if (flags & TH_RST && c.vflag) return tcpRstData(c, payload, length);
  if (c.vxlanAll) return; // any -T replaces tcpdump's port-based payload decoding
  const either = (port: number) => sport === port || dport === port;
  if (either(22)) return sshBanner(c, payload, length);
  // tcpdump tries these protocols' ports before HTTP's; we print nothing for them.
  if (TCP_PORTS_BEFORE_HTTP.some(either)) return;
  if (either(80) || either(8080)) {
    c.w(': ');
    http(c, payload, length);
  }
}

/**
 * Prints the options list body; false when tcpdump gives up with "[bad opt]". Like tcpdump, it
 * steps over the bytes each option's decoder used, not over the option's length byte, and
 * counts the header bytes left as an unsigned number, so a malformed list reads on past it.
 */
function tcpOptions(c: PrintContext, b: Uint8Array, headerLen: number, sackBase: number, segmentCaptured: boolean): boolean {
  let hlen = headerLen - 20;
  let cp = 20;
  let sep = '';
  const bad = () => {
    c.w(sep ? '[bad opt]]' : '[bad opt]');
    return false;
  };
  while (hlen > 0) {
    c.w(sep);
    const opt = c.u8(b, cp++);
    const zeroLen = opt === 0 || opt === 1;
    let len = 1;
    if (!zeroLen) {
      len = c.u8(b, cp++);
      if (len < 2 || len > hlen) return bad();
      hlen--;
    }
    hlen--;
    c.w(TCPOPT_NAMES.get(opt) ?? `unknown-${opt}`);
    let datalen = 0;
    try {
      switch (opt) {
        case 2:
          if ((datalen = 2) > hlen) return bad();
          c.w(` ${c.u16(b, cp)}`);
          break;
        case 3:
          if ((datalen = 1) > hlen) return bad();
          c.w(` ${c.u8(b, cp)}`);
          break;
        case 5:
          datalen = len - 2;
          if (datalen % 8 !== 0) {
            c.w(' invalid sack');
            break;
          }
          c.w(` ${datalen / 8} `);
          for (let i = 0; i < datalen; i += 8) {
            if (i + 4 > hlen) return bad();
            const start = (c.u32(b, cp + i) - sackBase) >>> 0;
            if (i + 8 > hlen) return bad();
            c.w(`{${start}:${(c.u32(b, cp + i + 4) - sackBase) >>> 0}}`);
          }
          break;
        case 6:
        case 7:
        case 11:
        case 12:
        case 13:
          if ((datalen = 4) > hlen) return bad();
          c.w(` ${c.u32(b, cp)}`);
          break;
        case 8:
          if ((datalen = 8) > hlen) return bad();
          c.w(` val ${c.u32(b, cp)} ecr ${c.u32(b, cp + 4)}`);
          break;
        case 19: {
          // RFC 2385 MD5 signature: without -M's secret tcpdump only shows it.
          if ((datalen = 16) > hlen) return bad();
          c.w(` ${segmentCaptured ? 'shared secret not supplied with -M, ' : 'snaplen too short, '}can't check - `);
          for (let i = 0; i < 16; i++) c.w(hex(c.u8(b, cp + i), 2));
          break;
        }
        case 20:
          if ((datalen = 2) > hlen) return bad();
          c.w(` cap ${hex(c.u8(b, cp), 2)} id ${c.u8(b, cp + 1)}`);
          break;
        case 28: {
          if ((datalen = 2) > hlen) return bad();
          const uto = c.u16(b, cp);
          c.w(` 0x${uto.toString(16)} ${uto & 1 ? (uto >>> 1) * 60 : uto >>> 1}`);
          break;
        }
        case 0:
        case 1:
        case 4:
          break;
        default:
          datalen = len - 2;
          if (datalen) c.w(' 0x');
          for (let i = 0; i < datalen; i++) {
            if (i + 1 > hlen) return bad();
            c.w(hex(c.u8(b, cp + i), 2));
          }
      }
    } catch (e) {
      if (!(e instanceof Truncated)) throw e;
      // tcpdump's LENCHECK found the option's data missing from the capture.
      c.w(` [|tcp]${sep ? '>' : ''}`);
      return false;
    }
    cp += datalen;
    hlen = (hlen - datalen) >>> 0;
    if (datalen + (zeroLen ? 1 : 2) !== len) c.w(`[len ${len}]`);
    sep = ',';
    if (opt === 0) break;
  }
  return true;
}

/** RFC 1122 §4.2.2.12 RST data, which tcpdump shows with -v (up to 30 characters). */
function tcpRstData(c: PrintContext, b: Uint8Array, length: number): void {
  c.w(length <= b.length ? ' [RST' : ' [!RST');
  if (length > 30) {
    length = 30;
    c.w('+');
  }
  c.w(' ');
  for (let i = 0; i < length && i < b.length; i++) c.w(printChar(b[i]!));
  c.w(']');
}
