// Renders captured packets the way tcpdump 4.99 (Debian bookworm's 4.99.3) prints them with
// `-nn`, optionally `-e`, `-v`/`-vv` and `-T vxlan`. Works on bytes, as tcpdump does, so a file
// read back with `tcpdump -r` and a live capture print the same. Facts (texts, field order, when a
// field appears) follow tcpdump's print-ether/arp/ip/icmp/igmp/udp/tcp/vxlan/otv.c and
// print-ip6/ip6opts/frag6/icmp6.c; the code is ours.
//
// Decoded: Ethernet II, ARP, IPv4 (options RA/RR/LSRR/SSRR by name), ICMP, IGMP v1-v3, UDP (VXLAN
// on 4789, OTV on 8472 as tcpdump does, all UDP as VXLAN with -T vxlan), TCP (flags, relative
// sequence numbers, options, HTTP text on 80/8080), IPv4-in-IPv4; IPv6 (Hop-by-Hop and Destination
// options, fragments, IPv4/IPv6 in either) with ICMPv6 (errors, echo, MLDv1/v2, Neighbour
// Discovery and its options) — what Linux sends on link-up. Other payloads print as tcpdump prints
// protocols it has no decoder for; where real tcpdump has one (DNS, GRE, TCP/UDP over IPv6, IPv6
// routing headers, ICMPv6 node information, router renumbering, RPL, the DNSSL option, DVMRP,
// PIMv1, ...) we differ: those inside ICMPv6 and IGMP say "[not decoded]".
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, formatIpv4, formatIpv6, ipv6PseudoHeaderSum, macFromBytes, onesSum, pcapTimestamp, pseudoHeaderSum, } from '../../wire/index.js';
import { ARPHRD_NAMES, ARPOP_NAMES, ascii, bitNames, cksumShouldBe, ETHERTYPE_NAMES, fetchToken, finalDst, graph, hex, HTTP_METHODS, ICMP6_PARAMPROB_NAMES, ICMP6_TYPE_NAMES, ICMP6_UNREACH_NAMES, ICMP_TYPE_NAMES, icmpTimestamp, IPOPT_NAMES, IPPROTO_NAMES, linkAddr, MLDV2_RECORD_NAMES, ND_NA_FLAGS, ND_OPT_NAMES, ND_PI_FLAGS, ND_RA_FLAGS, printChar, relativeTime, RTPREF_NAMES, TCP_PORTS_BEFORE_HTTP, TCPOPT_NAMES, UNREACH_TEXTS, } from './_text.js';
/** `HH:MM:SS.uuuuuu` of virtual time since 00:00:00 UTC (tcpdump prints time of day). */
export function formatTimestamp(timeMs) {
    const { sec, usec } = pcapTimestamp(timeMs);
    const two = (n) => String(n).padStart(2, '0');
    return `${two(Math.floor(sec / 3600) % 24)}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.${String(usec).padStart(6, '0')}`;
}
/** The name tcpdump gives a link type in "reading from file ..., link-type EN10MB (Ethernet)". */
export function linkTypeName(linkType) {
    if (linkType === LINKTYPE_ETHERNET)
        return 'EN10MB (Ethernet)';
    if (linkType === LINKTYPE_RAW)
        return 'RAW (Raw IP)';
    return `${linkType}`;
}
/** What `tcpdump -nn [opts] -r file` writes to stdout for a whole capture, one packet per line. */
export function formatPcap(file, opts = {}) {
    const printer = new TcpdumpPrinter(file.linkType, opts);
    let out = '';
    for (const r of file.records)
        out += `${printer.line(r.timeMs, r.bytes, r.origLen)}\n`;
    return out;
}
const MAXIMUM_SNAPLEN = 262144;
/** print.c's sanity checks on a record header; tcpdump prints only this line for such a record. */
function invalidHeader(caplen, len) {
    const problems = [];
    if (caplen === 0)
        problems.push(' caplen==0');
    if (len === 0)
        problems.push(' len==0');
    else if (len < caplen)
        problems.push(` len(${len}) < caplen(${caplen})`);
    if (caplen > MAXIMUM_SNAPLEN)
        problems.push(` caplen(${caplen}) > ${MAXIMUM_SNAPLEN}`);
    if (len > MAXIMUM_SNAPLEN)
        problems.push(` len(${len}) > ${MAXIMUM_SNAPLEN}`);
    return problems.length ? `[Invalid header:${problems.join(',')}]` : undefined;
}
/** Thrown where tcpdump's bounds-checked reads would longjmp out: prints " [|proto]". */
class Truncated {
}
/** An IP option's bytes ran out: tcpdump notes "[truncated-option]" and stops at the addresses. */
class OptionTruncated {
}
const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;
const TCP_FLAG_LETTERS = [
    [TH_FIN, 'F'],
    [TH_SYN, 'S'],
    [TH_RST, 'R'],
    [0x08, 'P'],
    [TH_ACK, '.'],
    [TH_URG, 'U'],
    [0x40, 'E'],
    [0x80, 'W'],
];
/**
 * One capture session's printer. It keeps state across packets, as tcpdump does, to print TCP
 * sequence numbers relative to the first ones seen per connection; use one per capture.
 */
export class TcpdumpPrinter {
    linkType;
    eflag;
    vflag;
    vxlanAll;
    /** tcpdump's tcp_seq_hash: connection (in a fixed direction) -> initial seq/ack. */
    tcpSeq = new Map();
    out = '';
    /** The protocol whose bytes are being read, named in " [|proto]" when they run out. */
    protocol = '';
    constructor(linkType, opts = {}) {
        this.linkType = linkType;
        this.eflag = opts.linkHeader ?? false;
        this.vflag = opts.verbose ?? 0;
        this.vxlanAll = opts.packetType === 'vxlan';
    }
    /**
     * Renders one packet without its timestamp; continuation lines are joined with '\n' and
     * there is no trailing newline. `wireLen` is the length on the wire when `bytes` was cut short.
     */
    format(bytes, wireLen = bytes.length) {
        this.out = '';
        try {
            if (this.linkType === LINKTYPE_ETHERNET)
                this.ether(bytes, wireLen);
            else if (this.linkType === LINKTYPE_RAW)
                this.raw(bytes, wireLen);
            else
                this.w(`[link type ${this.linkType} not decoded]`);
        }
        catch (e) {
            if (!(e instanceof Truncated))
                throw e;
            this.w(` [|${this.protocol}]`);
        }
        return this.out;
    }
    /** One whole output line (no newline): the timestamp and the packet, as tcpdump prints it. */
    line(timeMs, bytes, wireLen = bytes.length) {
        return invalidHeader(bytes.length, wireLen) ?? `${formatTimestamp(timeMs)} ${this.format(bytes, wireLen)}`;
    }
    w(s) {
        this.out += s;
    }
    // ---- bounds-checked reads (tcpdump's GET_ macros) ----
    u8(b, off) {
        if (off >= b.length)
            throw new Truncated();
        return b[off];
    }
    u16(b, off) {
        if (off + 2 > b.length)
            throw new Truncated();
        return (b[off] << 8) | b[off + 1];
    }
    u24(b, off) {
        if (off + 3 > b.length)
            throw new Truncated();
        return (b[off] << 16) | (b[off + 1] << 8) | b[off + 2];
    }
    u32(b, off) {
        if (off + 4 > b.length)
            throw new Truncated();
        return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
    }
    ip4(b, off) {
        return formatIpv4(this.u32(b, off));
    }
    need(b, len) {
        if (len > b.length)
            throw new Truncated();
    }
    // ---- link layers ----
    raw(b, length) {
        this.protocol = 'raw';
        if (this.eflag)
            this.w('ip: ');
        this.protocol = 'ipn';
        if (length < 1)
            return this.w(`truncated-ip ${length}`);
        const version = this.u8(b, 0) >>> 4;
        if (version === 4)
            this.ip(b, length);
        else if (version === 6)
            this.ip6(b, length);
        else
            this.w(`unknown ip ${version}`);
    }
    /** print-ether.c: `src > dst, ethertype IPv4 (0x0800), length N: ` with -e, then the payload. */
    ether(b, length) {
        this.protocol = 'ether';
        if (b.length < 14 || length < 14)
            throw new Truncated();
        const dst = macFromBytes(b, 0);
        const src = macFromBytes(b, 6);
        const type = this.u16(b, 12);
        const header = `${src} > ${dst}, ethertype ${ETHERTYPE_NAMES.get(type) ?? 'Unknown'} (0x${hex(type, 4)}), length ${length}: `;
        if (type <= 1500) {
            // An IEEE 802.3 length field; knetlab sends no LLC frames, so only the header is decoded.
            const len = Math.min(type, length - 14);
            if (this.eflag)
                this.w(`${src} > ${dst}, 802.3, length ${len}: `);
            this.protocol = 'llc';
            if (len < 3 || b.length < 17)
                throw new Truncated();
            return this.w('[LLC not decoded]');
        }
        if (this.eflag)
            this.w(header);
        const payload = b.subarray(14);
        if (type === 0x0800)
            return this.ip(payload, length - 14);
        if (type === 0x0806)
            return this.arp(payload, length - 14);
        if (type === 0x86dd)
            return this.ip6(payload, length - 14);
        if (!this.eflag)
            this.w(header);
        this.hexDump(payload);
    }
    /** tcpdump's default printer for payloads it cannot decode (hex_and_ascii_print). */
    hexDump(b) {
        for (let line = 0; line < b.length; line += 16) {
            let hexPart = '';
            let ascii = '';
            const end = Math.min(line + 16, b.length);
            for (let i = line; i < end; i += 2) {
                hexPart += i + 1 < end ? ` ${hex(b[i], 2)}${hex(b[i + 1], 2)}` : ` ${hex(b[i], 2)}`;
                ascii += graph(b[i]) + (i + 1 < end ? graph(b[i + 1]) : '');
            }
            this.w(`\n\t0x${hex(line, 4)}: ${hexPart.padEnd(40)}  ${ascii}`);
        }
    }
    // ---- ARP (print-arp.c) ----
    arp(b, length) {
        this.protocol = 'arp';
        this.need(b, 8);
        const hrd = this.u16(b, 0);
        const pro = this.u16(b, 2);
        const hln = b[4];
        const pln = b[5];
        const op = this.u16(b, 6);
        const sha = 8;
        const spa = sha + hln;
        const tha = spa + pln;
        const tpa = tha + hln;
        this.need(b, tpa + pln);
        if (!this.eflag)
            this.w('ARP, ');
        const isIp = pro === 0x0800 || pro === 0x1000;
        if (!isIp || pln !== 4 || hln === 0 || this.vflag) {
            const hrdName = ARPHRD_NAMES.get(hrd) ?? `Unknown Hardware (${hrd})`;
            const proName = pro === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${hex(pro, 4)})`;
            this.w(`${hrdName} (len ${hln}), ${proName} (len ${pln})`);
            if (!this.vflag)
                return this.w(`, length ${length}`);
        }
        const link = (off) => linkAddr(b, off, hln);
        const paddr = (off) => (!isIp ? '<wrong proto type>' : pln !== 4 ? '<wrong len>' : this.ip4(b, off));
        this.w(`${this.vflag ? ', ' : ''}${ARPOP_NAMES.get(op) ?? `Unknown (${op})`} `);
        switch (op) {
            case 1: {
                this.w(`who-has ${paddr(tpa)}`);
                if (b.subarray(tha, tha + hln).some((x) => x !== 0))
                    this.w(` (${link(tha)})`);
                this.w(` tell ${paddr(spa)}`);
                break;
            }
            case 2:
                this.w(`${paddr(spa)} is-at ${link(sha)}`);
                break;
            case 3:
            case 8:
                this.w(`who-is ${link(tha)} tell ${link(sha)}`);
                break;
            case 4:
                this.w(`${link(tha)} at ${paddr(tpa)}`);
                break;
            case 9:
                this.w(`${link(sha)} at ${paddr(spa)}`);
                break;
            default:
                return this.hexDump(b);
        }
        this.w(`, length ${length}`);
    }
    // ---- IPv4 (print-ip.c) ----
    /** `length` is what the layer below says the packet spans; `b` what was captured of it. */
    ip(b, length) {
        this.protocol = 'ip';
        const version = this.u8(b, 0) >>> 4;
        if (version !== 4) {
            this.w(version === 6 ? 'IP6, wrong link-layer encapsulation' : `IP${version}`);
            return this.w(' (invalid)');
        }
        if (!this.eflag)
            this.w('IP ');
        this.need(b, 20);
        if (length < 20)
            return this.w(`truncated-ip ${length}`);
        const hlen = (b[0] & 0x0f) * 4;
        if (hlen < 20)
            return this.w(`bad-hlen ${hlen}`);
        let len = this.u16(b, 2);
        if (length < len)
            this.w(`truncated-ip - ${len - length} bytes missing! `);
        if (len < hlen)
            return this.w(`bad-len ${len}`);
        b = b.subarray(0, len); // the snapshot ends with the IP payload (Ethernet padding is not ours)
        len -= hlen;
        const off = this.u16(b, 6);
        const proto = b[9];
        const src = this.ip4(b, 12);
        const dst = this.ip4(b, 16);
        if (this.vflag && !this.ipVerboseHeader(b, hlen, off, proto)) {
            this.w(`${src} > ${dst}: `);
            throw new Truncated();
        }
        if ((off & 0x1fff) !== 0)
            return this.w(`${src} > ${dst}: ip-proto-${proto}`);
        if (proto !== 6 && proto !== 17)
            this.w(`${src} > ${dst}: `);
        if (hlen > b.length) {
            this.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
            throw new Truncated();
        }
        const fragmented = (off & 0x2000) !== 0;
        const payload = b.subarray(hlen);
        switch (proto) {
            case 1:
                return this.icmp(payload, len, fragmented);
            case 6:
                return this.tcp(payload, len, b, fragmented);
            case 17:
                return this.udp(payload, len, b, fragmented);
            default:
                return this.ipDemux(payload, len, 4, fragmented, proto, b);
        }
    }
    /**
     * `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto ICMP (1), length 84)` and a new line;
     * false when the options were not all captured.
     */
    ipVerboseHeader(b, hlen, off, proto) {
        const tos = b[1];
        this.w(`(tos 0x${tos.toString(16)}${['', ',ECT(1)', ',ECT(0)', ',CE'][tos & 3]}`);
        const ttl = b[8];
        if (ttl >= 1)
            this.w(`, ttl ${ttl}`);
        const flags = [off & 0x2000 ? '+' : '', off & 0x4000 ? 'DF' : '', off & 0x8000 ? 'rsvd' : ''].filter((s) => s);
        this.w(`, id ${this.u16(b, 4)}, offset ${(off & 0x1fff) * 8}, flags [${flags.join(', ') || 'none'}]`);
        this.w(`, proto ${IPPROTO_NAMES.get(proto) ?? 'unknown'} (${proto}), length ${this.u16(b, 2)}`);
        let complete = true;
        if (hlen > 20) {
            this.w(', options (');
            complete = this.ipOptions(b.subarray(20, hlen), hlen - 20);
            if (!complete)
                this.w(' [truncated-option]');
            this.w(')');
        }
        if (hlen <= b.length) {
            const sum = ~onesSum(b, 0, hlen) & 0xffff;
            if (sum !== 0) {
                const field = this.u16(b, 10);
                this.w(`, bad cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!`);
            }
        }
        this.w(')\n    ');
        return complete;
    }
    /**
     * ip_optprint(): option names, comma-separated, with RA's value, route addresses and
     * timestamps. `b` is what was captured of the `length` option bytes; false when cut short.
     */
    ipOptions(b, length) {
        let sep = '';
        try {
            for (let i = 0; i < length;) {
                this.w(sep);
                sep = ',';
                const code = this.u8(b, i);
                this.w(IPOPT_NAMES.get(code) ?? `unknown ${code}`);
                const optLen = code === 0 || code === 1 ? 1 : this.u8(b, i + 1);
                if (optLen < 2 && code > 1) {
                    this.w(` [bad length ${optLen}]`);
                    return true;
                }
                if (optLen > length - i) {
                    this.w(` [bad length ${optLen}]`);
                    return true;
                }
                if (i + optLen > b.length)
                    return false;
                const opt = b.subarray(i, i + optLen);
                if (code === 0)
                    return true;
                if (code === 148) {
                    if (optLen < 4)
                        this.w(` [bad length ${optLen}]`);
                    else if (this.u16(opt, 2) !== 0)
                        this.w(` value ${this.u16(opt, 2)}`);
                }
                else if (code === 7 || code === 131 || code === 137) {
                    this.ipRoute(opt);
                }
                else if (code === 68) {
                    this.ipTimestamp(opt);
                }
                i += optLen;
            }
        }
        catch (e) {
            if (e instanceof OptionTruncated)
                return false;
            throw e;
        }
        return true;
    }
    ipRoute(opt) {
        const length = opt.length;
        if (length < 3)
            return this.w(` [bad length ${length}]`);
        if ((length + 1) & 3)
            this.w(` [bad length ${length}]`);
        const ptr = opt[2] - 1;
        if (ptr < 3 || (ptr + 1) & 3 || ptr > length + 1)
            this.w(` [bad ptr ${opt[2]}]`);
        for (let i = 3; i < length; i += 4) {
            if (i + 4 > opt.length)
                throw new OptionTruncated();
            this.w(` ${this.ip4(opt, i)}`);
            if (ptr > i)
                this.w(',');
        }
    }
    /** RFC 791 Internet Timestamp: `TS{TSONLY ^ 123@}` style, `^` marking the pointer. */
    ipTimestamp(opt) {
        const length = opt.length;
        if (length < 4)
            return this.w(`[bad length ${length}]`);
        this.w(' TS{');
        const flag = this.u8(opt, 3) & 0x0f;
        const hoplen = flag !== 0 ? 8 : 4;
        if ((length - 4) & (hoplen - 1))
            this.w(`[bad length ${length}]`);
        const ptr = opt[2] - 1;
        if (ptr < 4 || (ptr - 4) & (hoplen - 1) || ptr > length + 1)
            this.w(`[bad ptr ${opt[2]}]`);
        let len = 0;
        const kind = ['TSONLY', 'TS+ADDR', undefined, 'PRESPEC'][flag];
        if (kind === undefined) {
            this.w(`[bad ts type ${flag}]`);
        }
        else {
            this.w(kind);
            let type = ' ';
            for (len = 4; len < length; len += hoplen) {
                if (ptr === len)
                    type = ' ^ ';
                if (len + hoplen > opt.length)
                    throw new OptionTruncated();
                this.w(`${type}${this.u32(opt, len + hoplen - 4)}@${hoplen !== 8 ? '' : this.ip4(opt, len)}`);
                type = ' ';
            }
        }
        this.w(ptr === len ? ' ^ ' : '');
        const overflow = opt[3] >>> 4;
        this.w(overflow ? ` [${overflow} hops not recorded]} ` : '}');
    }
    // ---- ICMP (print-icmp.c) ----
    icmp(b, plen, fragmented) {
        this.protocol = 'icmp';
        const type = this.u8(b, 0);
        const code = this.u8(b, 1);
        const quotedDst = () => this.ip4(b, 24);
        let str;
        switch (type) {
            case 0:
            case 8:
                str = `echo ${type === 8 ? 'request' : 'reply'}, id ${this.u16(b, 4)}, seq ${this.u16(b, 6)}`;
                break;
            case 3:
                str = this.icmpUnreach(b, code, quotedDst);
                break;
            case 5: {
                const what = ['redirect %s to net %s', 'redirect %s to host %s', 'redirect-tos %s to net %s', 'redirect-tos %s to host %s'][code];
                const d = quotedDst();
                const gw = this.ip4(b, 4);
                str = what ? what.replace('%s', d).replace('%s', gw) : `redirect-#${code} ${d} to ${gw}`;
                break;
            }
            case 9:
                str = this.routerAdvertisement(b);
                break;
            case 11:
                this.need(b, 28);
                str = code === 0 ? 'time exceeded in-transit' : code === 1 ? 'ip reassembly time exceeded' : `time exceeded-#${code}`;
                break;
            case 12:
                str = code ? `parameter problem - code ${code}` : `parameter problem - octet ${this.u8(b, 4)}`;
                break;
            case 13:
                str = `time stamp query id ${this.u16(b, 4)} seq ${this.u16(b, 6)}`;
                break;
            case 14: {
                this.need(b, 20);
                const t = (off) => icmpTimestamp(this.u32(b, off));
                str = `time stamp reply id ${this.u16(b, 4)} seq ${this.u16(b, 6)}: org ${t(8)}, recv ${t(12)}, xmit ${t(16)}`;
                break;
            }
            case 18:
                str = `address mask is 0x${hex(this.u32(b, 8), 8)}`;
                break;
            default:
                str = ICMP_TYPE_NAMES.get(type) ?? `type-#${type}`;
        }
        this.w(`ICMP ${str}, length ${plen}`);
        if (this.vflag && !fragmented && plen <= b.length) {
            const sum = ~onesSum(b, 0, plen) & 0xffff;
            if (sum !== 0) {
                const field = this.u16(b, 2);
                this.w(` (wrong icmp cksum ${field.toString(16)} (->${cksumShouldBe(field, sum).toString(16)})!)`);
            }
        }
        const isError = type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
        if (this.vflag && isError) {
            // The quoted datagram prints as a packet of its own, cut at its own total length.
            this.w('\n\t');
            const quoted = b.subarray(8);
            const quotedLen = this.u16(quoted, 2);
            this.ip(quoted.subarray(0, quotedLen), quotedLen);
            this.protocol = 'icmp';
        }
    }
    /** RFC 1256: `router advertisement lifetime 30:00 1: {10.0.0.1 0}`. */
    routerAdvertisement(b) {
        this.need(b, 8);
        const lifetime = this.u16(b, 6);
        const two = (n) => String(n).padStart(2, '0');
        let s = 'router advertisement lifetime ';
        if (lifetime < 60)
            s += lifetime;
        else if (lifetime < 3600)
            s += `${Math.floor(lifetime / 60)}:${two(lifetime % 60)}`;
        else
            s += `${Math.floor(lifetime / 3600)}:${two(Math.floor((lifetime % 3600) / 60))}:${two(lifetime % 60)}`;
        const num = this.u8(b, 4);
        s += ` ${num}:`;
        const size = this.u8(b, 5);
        if (size !== 2)
            return `${s} [size ${size}]`;
        for (let i = 0; i < num; i++) {
            this.need(b, 16 + 8 * i);
            s += ` {${this.ip4(b, 8 + 8 * i)} ${this.u32(b, 12 + 8 * i)}}`;
        }
        return s;
    }
    icmpUnreach(b, code, dst) {
        switch (code) {
            case 0:
                return `net ${dst()} unreachable`;
            case 1:
                return `host ${dst()} unreachable`;
            case 2:
                return `${dst()} protocol ${this.u8(b, 17)} unreachable`;
            case 3: {
                const proto = this.u8(b, 17);
                const hlen = (this.u8(b, 8) & 0x0f) * 4;
                const dport = this.u16(b, 8 + hlen + 2);
                const d = dst();
                if (proto === 6)
                    return `${d} tcp port ${dport} unreachable`;
                if (proto === 17)
                    return `${d} udp port ${dport} unreachable`;
                return `${d} protocol ${proto} port ${dport} unreachable`;
            }
            case 4: {
                const mtu = this.u16(b, 6);
                return mtu ? `${dst()} unreachable - need to frag (mtu ${mtu})` : `${dst()} unreachable - need to frag`;
            }
            default: {
                const text = UNREACH_TEXTS.get(code);
                return text ? text.replace('%s', dst()) : `${dst()} unreachable - #${code}`;
            }
        }
    }
    // ---- IGMP (print-igmp.c) ----
    /** IGMPv1/v2/v3 (RFC 1112, 2236, 3376) and mtrace; a snooping Linux bridge sends v3 reports. */
    igmp(b, len) {
        this.protocol = 'igmp';
        const type = this.u8(b, 0);
        switch (type) {
            case 0x11:
                this.w('igmp query');
                if (len >= 12)
                    this.igmpv3Query(b, len);
                else {
                    const mrt = this.u8(b, 1);
                    if (mrt) {
                        this.w(' v2');
                        if (mrt !== 100)
                            this.w(` [max resp time ${mrt}]`);
                    }
                    else
                        this.w(' v1');
                    if (this.u32(b, 4))
                        this.w(` [gaddr ${this.ip4(b, 4)}]`);
                    if (len !== 8)
                        this.w(` [len ${len}]`);
                }
                break;
            case 0x12: {
                this.w(`igmp v1 report ${this.ip4(b, 4)}`);
                if (len !== 8)
                    this.w(` [len ${len}]`);
                break;
            }
            case 0x16:
                this.w(`igmp v2 report ${this.ip4(b, 4)}`);
                break;
            case 0x22:
                this.w('igmp v3 report');
                this.igmpv3Report(b, len);
                break;
            case 0x17:
                this.w(`igmp leave ${this.ip4(b, 4)}`);
                break;
            case 0x13:
                this.w('igmp dvmrp');
                this.w(len < 8 ? ` [len ${len}]` : ' [not decoded]');
                break;
            case 0x14:
                this.w('igmp pimv1 [not decoded]');
                break;
            case 0x1e:
            case 0x1f: {
                if (len < 8 + 16) {
                    this.w(` [invalid len ${len}]`);
                    break;
                }
                const s = `${type === 0x1e ? 'mresp' : 'mtrace'} ${this.u24(b, 21)}: ${this.ip4(b, 8)} to ${this.ip4(b, 12)} reply-to ${this.ip4(b, 16)}`;
                this.w(s);
                if ((this.u32(b, 16) & 0xf0000000) >>> 0 === 0xe0000000)
                    this.w(` with-ttl ${this.u8(b, 20)}`);
                break;
            }
            default:
                this.w(`igmp-${type}`);
        }
        if (this.vflag && len >= 4 && len <= b.length && onesSum(b, 0, len) !== 0xffff) {
            this.w(` bad igmp cksum ${this.u16(b, 2).toString(16)}!`);
        }
    }
    igmpv3Report(b, len) {
        if (len < 16 || len & 3)
            return this.w(` [invalid len ${len}]`);
        this.groupRecords(b, len, 4, 'v3');
    }
    /**
     * The group records of an IGMPv3 or MLDv2 report (print-igmp.c / print-icmp6.c share their
     * layout: type, aux length, source count, group address, sources), for 4- or 16-byte addresses.
     */
    groupRecords(b, len, addrLen, version) {
        const addr = (off) => (addrLen === 4 ? this.ip4(b, off) : this.ip6addr(b, off));
        const ngroups = this.u16(b, 6);
        this.w(`, ${ngroups} group record(s)`);
        if (!this.vflag)
            return;
        let group = 8;
        for (let i = 0; i < ngroups; i++) {
            if (len < group + 4 + addrLen)
                return this.w(' [invalid number of groups]');
            this.w(` [gaddr ${addr(group + 4)}`);
            const type = this.u8(b, group);
            this.w(` ${MLDV2_RECORD_NAMES.get(type) ?? ` [${version}-report-#${type}]`}`);
            const nsrcs = this.u16(b, group + 2);
            if (len < group + 4 + addrLen + nsrcs * addrLen)
                return this.w(` [invalid number of sources ${nsrcs}]`);
            if (this.vflag === 1)
                this.w(`, ${nsrcs} source(s)`);
            else {
                this.w(' {');
                for (let j = 0; j < nsrcs; j++)
                    this.w(` ${addr(group + 4 + addrLen + j * addrLen)}`);
                this.w(' }');
            }
            group += 4 + addrLen + nsrcs * addrLen;
            this.w(']');
        }
    }
    igmpv3Query(b, len) {
        this.w(' v3');
        if (len < 12 || len & 3)
            return this.w(` [invalid len ${len}]`);
        const mrc = this.u8(b, 1);
        const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
        if (mrc !== 100)
            this.w(` [max resp time ${mrt < 600 ? `${(mrt * 0.1).toFixed(1)}s` : relativeTime(Math.floor(mrt / 10))}]`);
        if (this.u32(b, 4) === 0)
            return;
        this.w(` [gaddr ${this.ip4(b, 4)}`);
        this.querySources(b, len, 10, 4);
        this.w(']');
    }
    /** The source list of an IGMPv3 or MLDv2 query: a count at `countAt`, then the addresses. */
    querySources(b, len, countAt, addrLen) {
        const nsrcs = this.u16(b, countAt);
        if (nsrcs === 0)
            return;
        const first = countAt + 2;
        if (len < first + nsrcs * addrLen)
            return this.w(' [invalid number of sources]');
        if (this.vflag > 1) {
            this.w(' {');
            for (let i = 0; i < nsrcs; i++)
                this.w(` ${addrLen === 4 ? this.ip4(b, first + i * 4) : this.ip6addr(b, first + i * 16)}`);
            this.w(' }');
        }
        else
            this.w(`, ${nsrcs} source(s)`);
    }
    // ---- IPv6 (print-ip6.c, print-ip6opts.c, print-frag6.c) ----
    ip6addr(b, off) {
        this.need(b, off + 16);
        return formatIpv6(b.subarray(off, off + 16));
    }
    /** `length` is what the layer below says the packet spans; `b` what was captured of it. */
    ip6(b, length) {
        this.protocol = 'ip6';
        this.need(b, 40);
        if (length < 40)
            return this.w(`truncated-ip6 ${length}`);
        if (!this.eflag)
            this.w('IP6 ');
        const version = b[0] >>> 4;
        if (version !== 6)
            return this.w(`version error: ${version} != 6`);
        const payloadLen = this.u16(b, 4);
        let len;
        if (payloadLen !== 0) {
            len = payloadLen + 40;
            if (length < len)
                this.w(`truncated-ip6 - ${len - length} bytes missing!`);
        }
        else {
            len = length + 40; // as tcpdump does, until a Jumbo Payload option says otherwise
        }
        let nh = b[6];
        if (this.vflag) {
            const flow = this.u32(b, 0);
            this.w('(');
            if (flow & 0x0ff00000)
                this.w(`class 0x${hex((flow & 0x0ff00000) >>> 20, 2)}, `);
            if (flow & 0x000fffff)
                this.w(`flowlabel 0x${hex(flow & 0x000fffff, 5)}, `);
            this.w(`hlim ${b[7]}, next-header ${IPPROTO_NAMES.get(nh) ?? 'unknown'} (${nh}) payload length: ${payloadLen}) `);
        }
        b = b.subarray(0, len); // the snapshot ends with the IPv6 payload
        const jumbo = { payloadLen, found: false };
        let cp = 0;
        let advance = 40;
        let totalAdvance = 0;
        let foundExtension = false;
        let foundHbh = false;
        let fragmented = false;
        let ph = 255;
        while (cp < b.length && advance > 0) {
            if (len < advance)
                throw new Truncated();
            cp += advance;
            len -= advance;
            totalAdvance += advance;
            if (cp === 40 && nh !== 6 && nh !== 17 && nh !== 33 && nh !== 132) {
                this.w(`${this.ip6addr(b, 8)} > ${this.ip6addr(b, 24)}: `);
            }
            switch (nh) {
                case 0:
                    if (foundHbh)
                        return this.w('[The Hop-by-Hop Options header was already found] (invalid)');
                    if (ph !== 255)
                        return this.w("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)");
                    advance = this.hbhopt(b, cp, jumbo);
                    if (jumbo.payloadLen === 0 && !jumbo.found)
                        return this.w('[No valid Jumbo Payload Hop-by-Hop option found] (invalid)');
                    if (advance < 0)
                        return;
                    foundExtension = foundHbh = true;
                    nh = this.u8(b, cp);
                    break;
                case 60:
                    advance = this.dstopt(b, cp);
                    if (advance < 0)
                        return;
                    foundExtension = true;
                    nh = this.u8(b, cp);
                    break;
                case 44:
                    advance = this.frag6(b, cp);
                    if (advance < 0 || b.length <= cp + advance)
                        return;
                    foundExtension = true;
                    nh = this.u8(b, cp);
                    fragmented = true;
                    break;
                default: {
                    if (jumbo.found) {
                        len = jumbo.payloadLen + 40;
                        if (len < totalAdvance)
                            throw new Truncated();
                        if (length < len)
                            this.w(`truncated-ip6 - ${len - length} bytes missing!`);
                        b = b.subarray(0, len);
                        len -= totalAdvance;
                    }
                    else if (payloadLen === 0) {
                        if (foundExtension)
                            throw new Truncated();
                        b = b.subarray(0, 40);
                        len = 40 - totalAdvance;
                    }
                    return this.ipDemux(b.subarray(cp), len, 6, fragmented, nh, b);
                }
            }
            ph = nh;
            this.protocol = 'ip6';
        }
    }
    /**
     * ip_demux_print() for what follows an IPv6 header. TCP, UDP and the protocols the IPv4 path
     * does not decode either print as an unknown protocol.
     */
    ipDemux(b, length, ver, fragmented, nh, ipHeader) {
        const requires = (v) => this.w(`[${IPPROTO_NAMES.get(nh) ?? 'unknown'} requires ${v}] (invalid)`);
        switch (nh) {
            case 1:
                return ver === 4 ? this.icmp(b, length, fragmented) : requires('IPv4');
            case 2:
                return ver === 4 ? this.igmp(b, length) : requires('IPv4');
            case 58:
                return ver === 6 ? this.icmp6(b, length, ipHeader, fragmented) : requires('IPv6');
            case 4:
                return this.ip(b, length);
            case 41:
                return this.ip6(b, length);
            case 59:
                return this.w('no next header');
            case 77:
                return this.w(` nd ${length}`);
            case 143:
                return ver === 6 ? this.ether(b, length) : requires('IPv6');
            default:
                return this.w(` ip-proto-${nh} ${length}`);
        }
    }
    /** The Hop-by-Hop Options header: `HBH `, its options with -v; its length, or -1 when cut short. */
    hbhopt(b, cp, jumbo) {
        this.protocol = 'hbhopt';
        const hbhlen = (this.u8(b, cp + 1) + 1) << 3;
        if (cp + hbhlen > b.length) {
            this.w(' [|hbhopt]');
            return -1;
        }
        this.w('HBH ');
        if (this.ip6Options(b, cp + 2, hbhlen - 2, jumbo) < 0) {
            this.w(' [|hbhopt]');
            return -1;
        }
        return hbhlen;
    }
    dstopt(b, cp) {
        this.protocol = 'dstopt';
        const len = (this.u8(b, cp + 1) + 1) << 3;
        if (cp + len > b.length) {
            this.w(' [|dstopt]');
            return -1;
        }
        this.w('DSTOPT ');
        // A Jumbo Payload destination option is reported as invalid: pass no payload length.
        if (this.vflag && this.ip6Options(b, cp + 2, len - 2, undefined) < 0) {
            this.w(' [|dstopt]');
            return -1;
        }
        return len;
    }
    /** ip6_opt_process(): the options of a Hop-by-Hop or Destination Options header. */
    ip6Options(b, off, len, jumbo) {
        if (len === 0)
            return 0;
        const v = this.vflag;
        let seenJumbo = false;
        for (let i = 0, optlen = 0; i < len; i += optlen) {
            const type = this.u8(b, off + i);
            if (type === 0)
                optlen = 1;
            else if (i + 1 < len)
                optlen = this.u8(b, off + i + 1) + 2;
            else
                return -1;
            if (i + optlen > len)
                return -1;
            const olen = type === 0 ? 0 : b[off + i + 1];
            switch (type) {
                case 0:
                    if (v)
                        this.w('(pad1)');
                    break;
                case 1:
                    if (v)
                        this.w('(padn)');
                    break;
                case 5:
                    if (len - i < 4) {
                        this.w('(rtalert: trunc)');
                        return -1;
                    }
                    if (olen !== 2) {
                        this.w(`(rtalert: invalid len ${olen})`);
                        return -1;
                    }
                    if (v)
                        this.w(`(rtalert: 0x${hex(this.u16(b, off + i + 2), 4)}) `);
                    break;
                case 0xc2: {
                    if (len - i < 6) {
                        this.w('(jumbo: trunc)');
                        return -1;
                    }
                    if (olen !== 4) {
                        this.w(`(jumbo: invalid len ${olen})`);
                        return -1;
                    }
                    const jl = this.u32(b, off + i + 2);
                    if (seenJumbo) {
                        if (v)
                            this.w(`(jumbo: ${jl} - already seen) `);
                        break;
                    }
                    seenJumbo = true;
                    if (!jumbo) {
                        if (v)
                            this.w(`(jumbo: ${jl} - not a hop-by-hop option) `);
                    }
                    else if (jumbo.payloadLen !== 0) {
                        if (v)
                            this.w(`(jumbo: ${jl} - payload len != 0) `);
                    }
                    else if (jl < 65536) {
                        if (v)
                            this.w(`(jumbo: ${jl} - < 65536) `);
                    }
                    else {
                        jumbo.found = true;
                        jumbo.payloadLen = jl;
                        if (v)
                            this.w(`(jumbo: ${jl}) `);
                    }
                    break;
                }
                case 0xc9:
                    if (len - i < 18) {
                        this.w('(homeaddr: trunc)');
                        return -1;
                    }
                    if (olen < 16) {
                        this.w(`(homeaddr: invalid len ${olen})`);
                        return -1;
                    }
                    if (v) {
                        this.w(`(homeaddr: ${this.ip6addr(b, off + i + 2)}`);
                        if (olen > 16 && this.ip6SubOptions(b, off + i + 18, optlen - 18) < 0)
                            return -1;
                        this.w(')');
                    }
                    break;
                default:
                    if (v)
                        this.w(`(opt_type 0x${hex(type, 2)}: len=${olen})`);
            }
        }
        if (v)
            this.w(' ');
        return 0;
    }
    /** ip6_sopt_print(): the sub-options of a Home Address option. */
    ip6SubOptions(b, off, len) {
        for (let i = 0, optlen = 0; i < len; i += optlen) {
            const type = this.u8(b, off + i);
            if (type === 0)
                optlen = 1;
            else if (i + 1 < len)
                optlen = this.u8(b, off + i + 1) + 2;
            else
                return -1;
            if (i + optlen > len)
                return -1;
            if (type === 0)
                this.w(', pad1');
            else if (type === 1)
                this.w(', padn');
            else
                this.w(`, sopt_type 0x${hex(type, 2)}: len=${b[off + i + 1]}`);
        }
        return 0;
    }
    /** `frag (offset|bytes after this header) `; -1 for a later fragment, which is not decoded. */
    frag6(b, cp) {
        this.protocol = 'frag6';
        const ident = this.vflag ? this.u32(b, cp + 4) : 0;
        const off = this.u16(b, cp + 2) & 0xfff8;
        // tcpdump computes this in size_t: a payload length too small for the headers wraps around.
        const rest = BigInt.asUintN(64, BigInt(40 + this.u16(b, 4) - cp - 8));
        this.w(this.vflag ? `frag (0x${hex(ident, 8)}:${off}|${rest})` : `frag (${off}|${rest})`);
        if (off !== 0)
            return -1;
        this.w(' ');
        return 8;
    }
    // ---- ICMPv6 (print-icmp6.c) ----
    /** `b` is the message (cut at the end of the IPv6 payload), `ip6` the IPv6 header before it. */
    icmp6(b, length, ip6, fragmented) {
        this.protocol = 'icmp6';
        if (length === 0)
            return this.w('ICMP6, length 0 (invalid)');
        if (this.vflag && !fragmented && length <= b.length) {
            const field = this.u16(b, 2);
            const pseudo = ipv6PseudoHeaderSum(ip6.subarray(8, 24), ip6.subarray(24, 40), 58, length);
            const sum = ~onesSum(b, 0, length, pseudo) & 0xffff;
            this.w(sum !== 0 ? `[bad icmp6 cksum 0x${hex(field, 4)} -> 0x${hex(cksumShouldBe(field, sum), 4)}!] ` : '[icmp6 sum ok] ');
        }
        const type = this.u8(b, 0);
        this.w(`ICMP6, ${ICMP6_TYPE_NAMES.get(type) ?? `unknown icmp6 type (${type})`}`);
        if (this.vflag && [133, 134, 136, 135, 137, 145, 147].includes(type))
            this.w(`, length ${length}`);
        const code = this.u8(b, 1);
        const quotedDst = () => this.ip6addr(b, 8 + 24);
        const opts = (off) => {
            if (this.ndOptions(b, off, length - off) < 0)
                throw new Truncated();
        };
        switch (type) {
            case 1:
                this.w(`, ${ICMP6_UNREACH_NAMES.get(code) ?? `unknown unreach code (${code})`}`);
                switch (code) {
                    case 0:
                    case 1:
                    case 3:
                        this.w(` ${quotedDst()}`);
                        break;
                    case 2: {
                        const s = ` ${quotedDst()}, source address ${this.ip6addr(b, 8 + 8)}`;
                        this.w(s);
                        break;
                    }
                    case 4: {
                        const upper = this.upperLayer(b, 8);
                        if (!upper)
                            throw new Truncated();
                        const dport = this.u16(b, upper.off + 2);
                        const d = quotedDst();
                        if (upper.prot === 6)
                            this.w(`, ${d} tcp port ${dport}`);
                        else if (upper.prot === 17)
                            this.w(`, ${d} udp port ${dport}`);
                        else
                            this.w(`, ${d} protocol ${upper.prot} port ${dport} unreachable`);
                        break;
                    }
                    default:
                        if (this.vflag <= 1)
                            return this.unknownData(b, 0, '\n\t', length);
                }
                break;
            case 2:
                this.w(`, mtu ${this.u32(b, 4)}`);
                break;
            case 3:
                if (code === 0)
                    this.w(` for ${quotedDst()}`);
                else if (code === 1)
                    this.w(' (reassembly)');
                else
                    this.w(`, unknown code (${code})`);
                break;
            case 4: {
                this.need(b, 8 + 40);
                const name = ICMP6_PARAMPROB_NAMES.get(code);
                this.w(name ? `, ${name} - octet ${this.u32(b, 4)}` : `, code-#${code}`);
                break;
            }
            case 128:
            case 129:
                this.w(`, id ${this.u16(b, 4)}, seq ${this.u16(b, 6)}`);
                break;
            case 130:
                if (length === 24)
                    this.mld6(b);
                else if (length >= 28) {
                    this.w(' v2');
                    this.mldv2Query(b, length);
                }
                else
                    this.w(` unknown-version (len ${length}) `);
                break;
            case 131:
            case 132:
                this.mld6(b);
                break;
            case 133:
                if (this.vflag)
                    opts(8);
                break;
            case 134:
                if (this.vflag) {
                    const flags = this.u8(b, 5);
                    const s = `\n\thop limit ${this.u8(b, 4)}, Flags [${bitNames(ND_RA_FLAGS, flags)}], pref ${RTPREF_NAMES[(flags & 0x18) >> 3]}` +
                        `, router lifetime ${this.u16(b, 6)}s, reachable time ${this.u32(b, 8)}ms, retrans timer ${this.u32(b, 12)}ms`;
                    this.w(s);
                    opts(16);
                }
                break;
            case 135:
                this.w(`, who has ${this.ip6addr(b, 8)}`);
                if (this.vflag)
                    opts(24);
                break;
            case 136:
                this.w(`, tgt is ${this.ip6addr(b, 8)}`);
                if (this.vflag) {
                    this.w(`, Flags [${bitNames(ND_NA_FLAGS, this.u32(b, 4))}]`);
                    opts(24);
                }
                break;
            case 137:
                // RFC 4861 §4.5: the target (a better first hop) comes before the destination.
                this.w(`, ${this.ip6addr(b, 24)}`);
                this.w(` to ${this.ip6addr(b, 8)}`);
                if (this.vflag)
                    opts(40);
                break;
            case 138:
            case 139:
            case 140:
            case 155:
                // Router renumbering, node information and RPL have decoders in tcpdump; not here.
                this.w(' [not decoded]');
                break;
            case 141:
            case 142:
                break;
            case 143:
                this.mldv2Report(b, length);
                break;
            case 144:
            case 146:
                this.w(`, id 0x${hex(this.u16(b, 4), 4)}`);
                break;
            case 145:
                if (this.vflag) {
                    this.w(`, id 0x${hex(this.u16(b, 4), 4)}`);
                    for (let p = 8; p < length; p += 16)
                        this.w(`, ${this.ip6addr(b, p)}`);
                }
                break;
            case 147:
                if (this.vflag) {
                    this.w(`, id 0x${hex(this.u16(b, 4), 4)}`);
                    const flags = this.u16(b, 6);
                    if (flags & 0xc000)
                        this.w(' ');
                    if (flags & 0x8000)
                        this.w('M');
                    if (flags & 0x4000)
                        this.w('O');
                    opts(8);
                }
                break;
            default:
                this.w(`, length ${length}`);
                if (this.vflag <= 1)
                    this.unknownData(b, 0, '\n\t', length);
                return;
        }
        if (!this.vflag)
            this.w(`, length ${length}`);
    }
    /** get_upperlayer(): the TCP/UDP header inside a quoted IPv6 packet, past its extension headers. */
    upperLayer(b, ip) {
        const has = (end) => end <= b.length;
        if (!has(ip + 7))
            return undefined;
        let nh = b[ip + 6];
        let hlen = 40;
        for (let p = ip; p < b.length;) {
            p += hlen;
            switch (nh) {
                case 6:
                case 17:
                    return has(p + 4) ? { prot: nh, off: p } : undefined;
                case 0:
                case 60:
                case 43:
                    if (!has(p + 2))
                        return undefined;
                    nh = b[p];
                    hlen = (b[p + 1] + 1) << 3;
                    break;
                case 44:
                    if (!has(p + 4))
                        return undefined;
                    if ((((b[p + 2] << 8) | b[p + 3]) & 0xfff8) !== 0)
                        return undefined;
                    nh = b[p];
                    hlen = 8;
                    break;
                case 51:
                    if (!has(p + 2))
                        return undefined;
                    nh = b[p];
                    hlen = (b[p + 1] + 2) << 2;
                    break;
                default:
                    return undefined;
            }
        }
        return undefined;
    }
    /** MLDv1 (RFC 2710): tcpdump writes it straight after the type name, without a separator. */
    mld6(b) {
        if (b.length < 24)
            return;
        this.w(`max resp delay: ${this.u16(b, 4)} `);
        this.w(`addr: ${this.ip6addr(b, 8)}`);
    }
    mldv2Report(b, len) {
        if (len < 8)
            return this.w(` [invalid len ${len}]`);
        this.groupRecords(b, len, 16, 'v2');
    }
    mldv2Query(b, len) {
        if (len < 28)
            return this.w(` [invalid len ${len}]`);
        const mrc = this.u16(b, 4);
        const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3);
        if (this.vflag)
            this.w(` [max resp delay=${mrt}]`);
        this.w(` [gaddr ${this.ip6addr(b, 8)}`);
        if (this.vflag) {
            const sqrv = this.u8(b, 24);
            if (sqrv & 0x08)
                this.w(' sflag');
            if (sqrv & 0x07)
                this.w(` robustness=${sqrv & 0x07}`);
            const qqic = this.u8(b, 25);
            const qqi = qqic < 128 ? qqic : ((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3);
            this.w(` qqi=${qqi}`);
        }
        this.querySources(b, len, 26, 16);
        this.w(']');
    }
    /** icmp6_opt_print(): Neighbour Discovery options, one per line; -1 when cut short. */
    ndOptions(b, start, resid) {
        const lifetime = (v) => (v === 0xffffffff ? 'infinity' : `${v}s`);
        for (let cp = start; cp < b.length;) {
            if (cp + 2 > b.length)
                return -1;
            if (resid <= 0)
                return 0;
            const type = b[cp];
            const olen = b[cp + 1];
            if (olen === 0)
                return -1;
            if (cp + olen * 8 > b.length)
                return -1;
            this.w(`\n\t  ${ND_OPT_NAMES.get(type) ?? 'unknown'} option (${type}), length ${olen * 8} (${olen}): `);
            switch (type) {
                case 1:
                case 2:
                    this.w(linkAddr(b, cp + 2, olen * 8 - 2));
                    break;
                case 3: {
                    const flags = this.u8(b, cp + 3);
                    const s = `${this.ip6addr(b, cp + 16)}/${this.u8(b, cp + 2)}${olen !== 4 ? 'badlen' : ''}, Flags [${bitNames(ND_PI_FLAGS, flags)}], valid time ${lifetime(this.u32(b, cp + 4))}`;
                    this.w(s);
                    this.w(`, pref. time ${lifetime(this.u32(b, cp + 8))}`);
                    break;
                }
                case 4:
                    // tcpdump dumps from the first option here, not from this one.
                    this.unknownData(b, start, '\n\t    ', olen * 8);
                    break;
                case 5:
                    this.w(` ${this.u32(b, cp + 4)}${olen !== 1 ? 'bad option length' : ''}`);
                    break;
                case 25: {
                    this.w(` lifetime ${this.u32(b, cp + 4)}s,`);
                    const n = (olen - 1) >> 1;
                    for (let i = 0; i < n; i++)
                        this.w(` addr: ${this.ip6addr(b, cp + 8 + 16 * i)}`);
                    break;
                }
                case 31:
                    this.w(` lifetime ${this.u32(b, cp + 4)}s, domain(s): [not decoded]`);
                    break;
                case 7:
                    this.w(` ${this.u32(b, cp + 4)}ms`);
                    break;
                case 8: {
                    const s = ` preference ${this.u16(b, cp + 4)}, lifetime ${this.u16(b, cp + 6)}`;
                    this.w(s);
                    break;
                }
                case 24: {
                    this.need(b, cp + 8);
                    const prefix = new Uint8Array(16);
                    if (olen !== 1 && olen !== 2 && olen !== 3)
                        return -1;
                    const n = (olen - 1) * 8;
                    this.need(b, cp + 8 + n);
                    prefix.set(b.subarray(cp + 8, cp + 8 + n));
                    this.w(` ${formatIpv6(prefix)}/${this.u8(b, cp + 2)}`);
                    this.w(`, pref=${RTPREF_NAMES[(this.u8(b, cp + 3) & 0x18) >> 3]}`);
                    this.w(`, lifetime=${lifetime(this.u32(b, cp + 4))}`);
                    break;
                }
                default:
                    if (this.vflag <= 1) {
                        this.unknownData(b, cp + 2, '\n\t  ', olen * 8 - 2);
                        return 0;
                    }
            }
            if (this.vflag > 1)
                this.unknownData(b, cp + 2, '\n\t    ', olen * 8 - 2);
            cp += olen * 8;
            resid -= olen * 8;
        }
        return 0;
    }
    /** print_unknown_data(): hex_print() of what was captured of `len` bytes at `off`. */
    unknownData(b, off, ident, len) {
        if (off > b.length)
            return this.w(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
        const bytes = b.subarray(off, off + Math.min(len, b.length - off));
        let i = 0;
        let oset = 0;
        for (let k = 0; k + 1 < bytes.length; k += 2) {
            if (i++ % 8 === 0) {
                this.w(`${ident}0x${hex(oset, 4)}: `);
                oset += 16;
            }
            this.w(` ${hex(bytes[k], 2)}${hex(bytes[k + 1], 2)}`);
        }
        if (bytes.length & 1) {
            if (i % 8 === 0)
                this.w(`${ident}0x${hex(oset, 4)}: `);
            this.w(` ${hex(bytes[bytes.length - 1], 2)}`);
        }
    }
    // ---- UDP, VXLAN, OTV (print-udp.c, print-vxlan.c, print-otv.c) ----
    udp(b, length, ipHeader, fragmented) {
        this.protocol = 'udp';
        const src = formatIpv4(this.u32(ipHeader, 12));
        const dst = formatIpv4(this.u32(ipHeader, 16));
        if (b.length < 4) {
            this.w(`${src} > ${dst}: `);
            throw new Truncated();
        }
        const sport = this.u16(b, 0);
        const dport = this.u16(b, 2);
        const addrs = `${src}.${sport} > ${dst}.${dport}: `;
        if (length < 8)
            return this.w(`${addrs}truncated-udp ${length}`);
        if (b.length < 6) {
            this.w(addrs);
            throw new Truncated();
        }
        let ulen = this.u16(b, 4);
        if (ulen < 8)
            return this.w(`${addrs}truncated-udplength ${ulen}`);
        ulen -= 8;
        length -= 8;
        if (ulen < length)
            length = ulen;
        this.w(addrs);
        if (b.length < 8)
            throw new Truncated();
        const payload = b.subarray(8);
        if (this.vxlanAll)
            return this.vxlan(payload, length);
        if (this.vflag > 1 && !fragmented) {
            const field = this.u16(b, 6);
            if (field === 0)
                this.w('[no cksum] ');
            else if (length <= payload.length) {
                const covered = length + 8;
                const sum = ~onesSum(b, 0, covered, pseudoHeaderSum(this.u32(ipHeader, 12), finalDst(ipHeader), 17, covered)) & 0xffff;
                if (sum !== 0)
                    this.w(`[bad udp cksum 0x${hex(field, 4)} -> 0x${hex(cksumShouldBe(field, sum), 4)}!] `);
                else
                    this.w('[udp sum ok] ');
            }
        }
        // tcpdump's port table is tried in order; OTV's 8472 comes before VXLAN's 4789.
        if (sport === 8472 || dport === 8472)
            return this.otv(payload, length);
        if (sport === 4789 || dport === 4789)
            return this.vxlan(payload, length);
        if (ulen > length && !fragmented)
            this.w(`UDP, bad length ${ulen} > ${length}`);
        else
            this.w(`UDP, length ${ulen}`);
    }
    /** RFC 7348 §5 as tcpdump prints it: `VXLAN, flags [I] (0x08), vni 1` then the inner frame. */
    vxlan(b, length) {
        this.protocol = 'vxlan';
        this.w('VXLAN');
        if (length < 8)
            return this.w(' (invalid)');
        const flags = this.u8(b, 0);
        this.w(`, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex(flags, 2)}), `);
        this.w(`vni ${this.u24(b, 4)}\n`);
        this.u8(b, 7);
        this.ether(b.subarray(8), length - 8);
    }
    /** draft-hasmit-otv-04, which tcpdump assumes for port 8472 (Linux VXLAN's default). */
    otv(b, length) {
        this.protocol = 'otv';
        this.w('OTV, ');
        if (length < 8) {
            this.w(`[length ${length} < 8] (invalid)`);
            return this.need(b, length);
        }
        const flags = this.u8(b, 0);
        this.w(`flags [${flags & 0x08 ? 'I' : '.'}] (0x${hex(flags, 2)}), `);
        this.w(`overlay ${this.u24(b, 1)}, `);
        this.w(`instance ${this.u24(b, 4)}\n`);
        this.u8(b, 7);
        this.ether(b.subarray(8), length - 8);
    }
    // ---- TCP (print-tcp.c) ----
    tcp(b, length, ipHeader, fragmented) {
        this.protocol = 'tcp';
        const srcIp = this.u32(ipHeader, 12);
        const dstIp = this.u32(ipHeader, 16);
        if (b.length < 4) {
            this.w(`${formatIpv4(srcIp)} > ${formatIpv4(dstIp)}:`);
            throw new Truncated();
        }
        const sport = this.u16(b, 0);
        const dport = this.u16(b, 2);
        this.w(`${formatIpv4(srcIp)}.${sport} > ${formatIpv4(dstIp)}.${dport}: `);
        this.need(b, 20);
        let hlen = (b[12] >>> 4) * 4;
        if (hlen < 20)
            return this.w(` tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`);
        let seq = this.u32(b, 4);
        let ack = this.u32(b, 8);
        const win = this.u16(b, 14);
        const urp = this.u16(b, 18);
        const flags = b[13];
        this.w(`Flags [${TCP_FLAG_LETTERS.filter(([bit]) => flags & bit).map(([, l]) => l).join('') || 'none'}]`);
        // Relative sequence numbers: one entry per connection, keyed in a fixed direction.
        let rev = false;
        let thseq = 0;
        let thack = 0;
        if (flags & TH_ACK) {
            rev = sport > dport || (sport === dport && srcIp > dstIp);
            const key = rev ? `${dstIp}:${srcIp}:${dport}:${sport}` : `${srcIp}:${dstIp}:${sport}:${dport}`;
            let th = this.tcpSeq.get(key);
            if (!th || flags & TH_SYN) {
                th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
                this.tcpSeq.set(key, th);
            }
            else if (rev) {
                seq = (seq - th.ack) >>> 0;
                ack = (ack - th.seq) >>> 0;
            }
            else {
                seq = (seq - th.seq) >>> 0;
                ack = (ack - th.ack) >>> 0;
            }
            thseq = th.seq;
            thack = th.ack;
        }
        if (hlen > length)
            return this.w(` [bad hdr length ${hlen} - too long, > ${length}]`);
        if (this.vflag && !fragmented && length <= b.length) {
            const field = this.u16(b, 16);
            const sum = ~onesSum(b, 0, length, pseudoHeaderSum(srcIp, finalDst(ipHeader), 6, length)) & 0xffff;
            this.w(`, cksum 0x${hex(field, 4)}`);
            this.w(sum !== 0 ? ` (incorrect -> 0x${hex(cksumShouldBe(field, sum), 4)})` : ' (correct)');
        }
        length -= hlen;
        if (this.vflag > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
            this.w(`, seq ${seq}`);
            if (length > 0)
                this.w(`:${(seq + length) >>> 0}`);
        }
        if (flags & TH_ACK)
            this.w(`, ack ${ack}`);
        this.w(`, win ${win}`);
        if (flags & TH_URG)
            this.w(`, urg ${urp}`);
        if (hlen > 20) {
            this.w(', options [');
            if (!this.tcpOptions(b, hlen, rev ? thseq : thack, hlen + length <= b.length))
                return;
            this.w(']');
        }
        this.w(`, length ${length}`);
        if (length === 0)
            return;
        hlen = (b[12] >>> 4) * 4;
        if (hlen > b.length) {
            this.w(` [remaining caplen(${b.length}) < header length(${hlen})]`);
            throw new Truncated();
        }
        const payload = b.subarray(hlen);
        if (flags & TH_RST && this.vflag)
            return this.tcpRstData(payload, length);
        if (this.vxlanAll)
            return; // any -T replaces tcpdump's port-based payload decoding
        const either = (port) => sport === port || dport === port;
        if (either(22))
            return this.sshBanner(payload, length);
        // tcpdump tries these protocols' ports before HTTP's; we print nothing for them.
        if (TCP_PORTS_BEFORE_HTTP.some(either))
            return;
        if (either(80) || either(8080)) {
            this.w(': ');
            this.http(payload, length);
        }
    }
    /**
     * Prints the options list body; false when tcpdump gives up with "[bad opt]". Like tcpdump, it
     * steps over the bytes each option's decoder used, not over the option's length byte, and
     * counts the header bytes left as an unsigned number, so a malformed list reads on past it.
     */
    tcpOptions(b, headerLen, sackBase, segmentCaptured) {
        let hlen = headerLen - 20;
        let cp = 20;
        let sep = '';
        const bad = () => {
            this.w(sep ? '[bad opt]]' : '[bad opt]');
            return false;
        };
        while (hlen > 0) {
            this.w(sep);
            const opt = this.u8(b, cp++);
            const zeroLen = opt === 0 || opt === 1;
            let len = 1;
            if (!zeroLen) {
                len = this.u8(b, cp++);
                if (len < 2 || len > hlen)
                    return bad();
                hlen--;
            }
            hlen--;
            this.w(TCPOPT_NAMES.get(opt) ?? `unknown-${opt}`);
            let datalen = 0;
            try {
                switch (opt) {
                    case 2:
                        if ((datalen = 2) > hlen)
                            return bad();
                        this.w(` ${this.u16(b, cp)}`);
                        break;
                    case 3:
                        if ((datalen = 1) > hlen)
                            return bad();
                        this.w(` ${this.u8(b, cp)}`);
                        break;
                    case 5:
                        datalen = len - 2;
                        if (datalen % 8 !== 0) {
                            this.w(' invalid sack');
                            break;
                        }
                        this.w(` ${datalen / 8} `);
                        for (let i = 0; i < datalen; i += 8) {
                            if (i + 4 > hlen)
                                return bad();
                            const start = (this.u32(b, cp + i) - sackBase) >>> 0;
                            if (i + 8 > hlen)
                                return bad();
                            this.w(`{${start}:${(this.u32(b, cp + i + 4) - sackBase) >>> 0}}`);
                        }
                        break;
                    case 6:
                    case 7:
                    case 11:
                    case 12:
                    case 13:
                        if ((datalen = 4) > hlen)
                            return bad();
                        this.w(` ${this.u32(b, cp)}`);
                        break;
                    case 8:
                        if ((datalen = 8) > hlen)
                            return bad();
                        this.w(` val ${this.u32(b, cp)} ecr ${this.u32(b, cp + 4)}`);
                        break;
                    case 19: {
                        // RFC 2385 MD5 signature: without -M's secret tcpdump only shows it.
                        if ((datalen = 16) > hlen)
                            return bad();
                        this.w(` ${segmentCaptured ? 'shared secret not supplied with -M, ' : 'snaplen too short, '}can't check - `);
                        for (let i = 0; i < 16; i++)
                            this.w(hex(this.u8(b, cp + i), 2));
                        break;
                    }
                    case 20:
                        if ((datalen = 2) > hlen)
                            return bad();
                        this.w(` cap ${hex(this.u8(b, cp), 2)} id ${this.u8(b, cp + 1)}`);
                        break;
                    case 28: {
                        if ((datalen = 2) > hlen)
                            return bad();
                        const uto = this.u16(b, cp);
                        this.w(` 0x${uto.toString(16)} ${uto & 1 ? (uto >>> 1) * 60 : uto >>> 1}`);
                        break;
                    }
                    case 0:
                    case 1:
                    case 4:
                        break;
                    default:
                        datalen = len - 2;
                        if (datalen)
                            this.w(' 0x');
                        for (let i = 0; i < datalen; i++) {
                            if (i + 1 > hlen)
                                return bad();
                            this.w(hex(this.u8(b, cp + i), 2));
                        }
                }
            }
            catch (e) {
                if (!(e instanceof Truncated))
                    throw e;
                // tcpdump's LENCHECK found the option's data missing from the capture.
                this.w(` [|tcp]${sep ? '>' : ''}`);
                return false;
            }
            cp += datalen;
            hlen = (hlen - datalen) >>> 0;
            if (datalen + (zeroLen ? 1 : 2) !== len)
                this.w(`[len ${len}]`);
            sep = ',';
            if (opt === 0)
                break;
        }
        return true;
    }
    /** RFC 1122 §4.2.2.12 RST data, which tcpdump shows with -v (up to 30 characters). */
    tcpRstData(b, length) {
        this.w(length <= b.length ? ' [RST' : ' [!RST');
        if (length > 30) {
            length = 30;
            this.w('+');
        }
        this.w(' ');
        for (let i = 0; i < length && i < b.length; i++)
            this.w(printChar(b[i]));
        this.w(']');
    }
    /** print-ssh.c: an `SSH-2.0-...` version line, if the payload starts with one. */
    sshBanner(b, len) {
        this.protocol = 'ssh';
        for (let i = 0; i < 4; i++)
            if (this.u8(b, i) !== 'SSH-'.charCodeAt(i))
                return;
        for (let idx = 4; idx < len; idx++) {
            const c = this.u8(b, idx);
            if (c === 0x0a || (c === 0x0d && idx + 1 < len && this.u8(b, idx + 1) === 0x0a)) {
                return this.w(`: SSH: ${ascii(b, 0, idx)}`);
            }
            if (c === 0x0d || c < 0x20 || c > 0x7e)
                return;
        }
    }
    // ---- HTTP (print-http.c, txtproto_print in util-print.c) ----
    http(b, len) {
        this.protocol = 'http';
        let printThis = false;
        const first = fetchToken(b, 0, len);
        if (first) {
            printThis = HTTP_METHODS.has(first.token.toUpperCase());
            const second = fetchToken(b, first.next, len);
            if (second && /^[0-9]{3}$/.test(second.token))
                printThis = true;
        }
        this.w('HTTP');
        if (!printThis)
            return;
        if (this.vflag) {
            this.w(`, length: ${len}`);
            for (let idx = 0; idx < len;) {
                const eol = this.textLine('\n\t', b, idx, len);
                if (eol === 0)
                    break;
                idx = eol;
            }
        }
        else {
            this.textLine(': ', b, 0, len);
        }
    }
    /** Prints one CRLF- or LF-terminated printable line; returns the index after it, or 0. */
    textLine(prefix, b, start, len) {
        for (let idx = start; idx < len; idx++) {
            const c = this.u8(b, idx);
            if (c === 0x0a) {
                this.w(prefix + ascii(b, start, idx));
                return idx + 1;
            }
            if (c === 0x0d) {
                if (idx + 1 >= len)
                    return 0;
                if (this.u8(b, idx + 1) !== 0x0a)
                    return 0;
                this.w(prefix + ascii(b, start, idx));
                return idx + 2;
            }
            if (!(c >= 0x20 && c <= 0x7e) && c !== 0x09)
                return 0;
        }
        // All printable but no line end: tcpdump treats the rest as cut short.
        this.w(prefix + ascii(b, start, len) + ` [|${this.protocol}]`);
        return 0;
    }
}
//# sourceMappingURL=format.js.map