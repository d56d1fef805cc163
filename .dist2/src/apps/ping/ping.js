// ping (iputils 20221126): ICMP echo over an ICMP datagram socket, in virtual time. Output,
// statistics and exit codes follow iputils' ping4 and finish(): exit 0 when any reply came,
// 1 when none did, 2 on a usage or setup error.
import { ICMP_DEST_UNREACH, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, ICMP_TIME_EXCEEDED, IPPROTO_ICMP, formatIpv4, parseIpv4 } from '../../wire/index.js';
import { ipSend, KernelError, routeOutput, STRERROR } from '../../kernel/index.js';
/** Text iputils prints for the ICMP destination-unreachable codes (pr_icmph). */
const UNREACH_TEXT = {
    0: 'Destination Net Unreachable',
    1: 'Destination Host Unreachable',
    2: 'Destination Protocol Unreachable',
    3: 'Destination Port Unreachable',
    4: 'Frag needed and DF set',
    5: 'Source Route Failed',
    6: 'Destination Net Unknown',
    7: 'Destination Host Unknown',
    8: 'Source Host Isolated',
    9: 'Destination Net Prohibited',
    10: 'Destination Host Prohibited',
    11: 'Destination Net Unreachable for Type of Service',
    12: 'Destination Host Unreachable for Type of Service',
    13: 'Packet filtered',
    14: 'Precedence Violation',
    15: 'Precedence Cutoff',
};
const USAGE_DEFAULTS = { count: 0, interval: 1000, timeout: 10_000, size: 56, ttl: 64, quiet: false };
/** Parses ping's command line; returns an error message (iputils' wording) or the target and options. */
export function parsePingArgs(args) {
    const opts = { ...USAGE_DEFAULTS };
    let target;
    const num = (flag, v) => {
        const n = Number(v);
        if (v === undefined || v === '' || !Number.isFinite(n))
            return { error: `ping: invalid argument: '${v ?? ''}'`, status: 1 };
        void flag;
        return n;
    };
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const m = /^-([ciWwstI])(.*)$/.exec(a);
        if (m) {
            const v = m[2] !== '' ? m[2] : args[++i];
            if (m[1] === 'I') {
                opts.iface = v;
                continue;
            }
            const n = num(m[1], v);
            if (typeof n !== 'number')
                return n;
            switch (m[1]) {
                case 'c':
                    if (n < 1 || !Number.isInteger(n))
                        return { error: `ping: invalid argument: '${v}': out of range: 1 <= value <= 9223372036854775807`, status: 1 };
                    opts.count = n;
                    break;
                case 'i':
                    opts.interval = Math.round(n * 1000);
                    break;
                case 'W':
                    opts.timeout = Math.round(n * 1000);
                    break;
                case 'w':
                    opts.deadline = Math.round(n * 1000);
                    break;
                case 's':
                    opts.size = n;
                    break;
                case 't':
                    opts.ttl = n;
                    break;
            }
        }
        else if (a === '-q') {
            opts.quiet = true;
        }
        else if (a === '-n') {
            // Numeric output is all knetlab prints.
        }
        else if (a.startsWith('-')) {
            return { error: `ping: invalid option -- '${a.slice(1, 2)}'`, status: 2 };
        }
        else {
            target = a;
        }
    }
    if (target === undefined)
        return { error: 'ping: usage error: Destination address required', status: 1 };
    return { target, opts };
}
export function ping(args, proc) {
    const parsed = parsePingArgs(args);
    if ('error' in parsed) {
        proc.stderr(`${parsed.error}\n`);
        return parsed.status;
    }
    const { target, opts } = parsed;
    const dst = parseIpv4(target);
    if (dst === undefined) {
        proc.stderr(`ping: ${target}: Temporary failure in name resolution\n`);
        return 2;
    }
    if (!opts.count && opts.deadline === undefined) {
        proc.stderr('knetlab: ping without -c or -w would run until interrupted; sending 4 echo requests (-c 4)\n');
        opts.count = 4;
    }
    const ns = proc.ns;
    const oif = opts.iface === undefined ? undefined : ns.linkByName(opts.iface);
    if (opts.iface !== undefined && !oif) {
        proc.stderr(`ping: SO_BINDTODEVICE ${opts.iface}: No such device\n`);
        return 2;
    }
    let src;
    try {
        src = routeOutput(ns, dst, { oif }).src;
    }
    catch (e) {
        if (!(e instanceof KernelError))
            throw e;
        proc.stderr(`ping: connect: ${STRERROR[e.errno]}\n`);
        return 2;
    }
    const clock = ns.kernel.clock;
    const ident = ns.kernel.rng.int(1, 0x10000);
    const sentAt = new Map();
    const rtts = [];
    let transmitted = 0;
    let errors = 0;
    let pipe = 1;
    const answered = new Set();
    proc.stdout(`PING ${target} (${formatIpv4(dst)}) ${opts.size}(${opts.size + 28}) bytes of data.\n`);
    ns.pingSockets.set(ident, (skb) => {
        const p = skb.data;
        const m = p.payload;
        if (m.kind !== 'icmp')
            return;
        if (m.type === ICMP_ECHO_REPLY) {
            const seq = m.rest & 0xffff;
            const t0 = sentAt.get(seq);
            if (t0 === undefined || answered.has(seq))
                return;
            answered.add(seq);
            pipe = Math.max(pipe, transmitted - answered.size + 1);
            const rtt = clock.now() - t0;
            rtts.push(rtt);
            if (!opts.quiet) {
                proc.stdout(`${m.data.length + 8} bytes from ${formatIpv4(p.src)}: icmp_seq=${seq} ttl=${p.ttl} time=${formatRtt(rtt)} ms\n`);
            }
        }
        else if (m.type === ICMP_DEST_UNREACH || m.type === ICMP_TIME_EXCEEDED) {
            const seq = quotedSeq(m.data);
            if (seq === undefined || answered.has(seq))
                return;
            pipe = Math.max(pipe, transmitted - answered.size);
            answered.add(seq);
            errors++;
            const text = m.type === ICMP_TIME_EXCEEDED ? 'Time to live exceeded'
                : m.code === 4 ? `Frag needed and DF set (mtu = ${m.rest & 0xffff})` : UNREACH_TEXT[m.code] ?? `Dest Unreachable, Bad Code: ${m.code}`;
            if (!opts.quiet)
                proc.stdout(`From ${formatIpv4(p.src)} icmp_seq=${seq} ${text}\n`);
        }
    });
    const start = clock.now();
    const total = opts.count || Infinity;
    const endBy = opts.deadline === undefined ? Infinity : start + opts.deadline;
    let lastSend = start;
    try {
        for (let seq = 1; seq <= total; seq++) {
            const at = start + (seq - 1) * opts.interval;
            if (at >= endBy)
                break;
            clock.runUntil(at);
            sentAt.set(seq, clock.now());
            lastSend = clock.now();
            transmitted++;
            const walk = proc.trace?.(`ping ${formatIpv4(dst)} icmp_seq=${seq}`);
            sendEcho(proc, dst, src, ident, seq, opts, walk);
        }
        // Linger for the outstanding replies: -W when nothing came back, else until all are in.
        const wait = Math.min(endBy, lastSend + opts.timeout);
        for (;;) {
            if (answered.size >= transmitted)
                break;
            const next = clock.nextAt();
            if (next === undefined || next > wait) {
                clock.runUntil(Math.max(clock.now(), Math.min(wait, opts.deadline === undefined ? wait : endBy)));
                break;
            }
            clock.runUntil(next);
        }
    }
    finally {
        ns.pingSockets.delete(ident);
    }
    const received = rtts.length;
    const loss = transmitted ? Math.round(((transmitted - received) * 100) / transmitted * 10000) / 10000 : 0;
    let summary = `${transmitted} packets transmitted, ${received} received`;
    if (errors)
        summary += `, +${errors} errors`;
    summary += `, ${loss}% packet loss, time ${Math.floor(lastSend - start)}ms`;
    const tail = [];
    if (received) {
        const min = Math.min(...rtts);
        const max = Math.max(...rtts);
        const avg = rtts.reduce((a, b) => a + b, 0) / received;
        const mdev = Math.sqrt(Math.max(0, rtts.reduce((a, b) => a + b * b, 0) / received - avg * avg));
        tail.push(`rtt min/avg/max/mdev = ${[min, avg, max, mdev].map(formatRtt).join('/')} ms`);
    }
    if (pipe > 1)
        tail.push(`pipe ${pipe}`);
    proc.stdout(`\n--- ${target} ping statistics ---\n${summary}\n${tail.join(', ')}\n`);
    return received ? 0 : 1;
}
function sendEcho(proc, dst, src, ident, seq, opts, walk) {
    const data = new Uint8Array(opts.size);
    for (let i = 0; i < data.length; i++)
        data[i] = i & 0xff;
    // The first 16 bytes carry the send time (struct timeval), as iputils writes it.
    const now = proc.ns.kernel.clock.now();
    if (data.length >= 16) {
        const view = new DataView(data.buffer);
        view.setBigUint64(0, BigInt(Math.floor(now / 1000)), true);
        view.setBigUint64(8, BigInt(Math.floor((now % 1000) * 1000)), true);
    }
    try {
        ipSend(proc.ns, {
            dst, src, protocol: IPPROTO_ICMP, ttl: opts.ttl, df: true,
            oif: opts.iface === undefined ? undefined : proc.ns.linkByName(opts.iface),
            payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: ((ident << 16) | seq) >>> 0, data },
        }, walk);
    }
    catch (e) {
        if (!(e instanceof KernelError))
            throw e;
        proc.stdout(`ping: sendmsg: ${STRERROR[e.errno]}\n`);
    }
}
/** iputils prints times as %ld.%03ld milliseconds. */
function formatRtt(ms) {
    return ms.toFixed(3);
}
/** The sequence number of our echo request quoted in an ICMP error. */
function quotedSeq(quoted) {
    if (quoted.length < 28)
        return undefined;
    const ihl = (quoted[0] & 0x0f) * 4;
    return quoted.length >= ihl + 8 ? (quoted[ihl + 6] << 8) | quoted[ihl + 7] : undefined;
}
//# sourceMappingURL=ping.js.map