// ping (iputils 20221126): ICMP echo over an ICMP datagram socket, in virtual time. Output,
// statistics and exit codes follow iputils' ping4 and finish(): exit 0 when any reply came,
// 1 when none did, 2 on a usage or setup error.
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  IPPROTO_ICMP,
  formatIpv4,
  parseIpv4,
} from '../../wire/index.js';
import { ipSend, KernelError, routeOutput, STRERROR, type Walk } from '../../kernel/index.js';
import { getopt } from '../../transcript/index.js';
import type { Proc } from '../proc.js';
import { gaiStrerror, libcOf, lookupHost, reverseLookup } from '../dns/resolver.js';

export interface PingOptions {
  count: number;
  /** Milliseconds between echo requests (-i). */
  interval: number;
  /** Milliseconds to wait for a reply after the last request (-W); iputils' default is 10 s. */
  timeout: number;
  /** Total run time in milliseconds (-w), if given. */
  deadline?: number;
  size: number;
  ttl: number;
  quiet: boolean;
  /** -I with a device name: SO_BINDTODEVICE. */
  iface?: string;
  /** -I with an IPv4 address (inet_pton): the source address the socket binds to. */
  source?: number;
  /** -n: no reverse lookups of the replies' sources. */
  numeric?: boolean;
}

/** Text iputils prints for the ICMP destination-unreachable codes (pr_icmph). */
const UNREACH_TEXT: Record<number, string> = {
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

/** The most data an echo request carries: 65535 less the IPv4 and ICMP headers. */
const MAX_PAYLOAD = 65535 - 28;

const USAGE_DEFAULTS: PingOptions = { count: 0, interval: 1000, timeout: 10_000, size: 56, ttl: 64, quiet: false };

/** iputils 20221126's option string (getopt) and its usage text, printed after a usage error. */
const OPTSTRING = 'h?4bRT:6F:N:aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:';
export const PING_USAGE = `
Usage
  ping [options] <destination>

Options:
  <destination>      dns name or ip address
  -a                 use audible ping
  -A                 use adaptive ping
  -B                 sticky source address
  -c <count>         stop after <count> replies
  -C                 call connect() syscall on socket creation
  -D                 print timestamps
  -d                 use SO_DEBUG socket option
  -e <identifier>    define identifier for ping session, default is random for
                     SOCK_RAW and kernel defined for SOCK_DGRAM
                     Imply using SOCK_RAW (for IPv4 only for identifier 0)
  -f                 flood ping
  -h                 print help and exit
  -I <interface>     either interface name or address
  -i <interval>      seconds between sending each packet
  -L                 suppress loopback of multicast packets
  -l <preload>       send <preload> number of packages while waiting replies
  -m <mark>          tag the packets going out
  -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
  -n                 no dns name resolution
  -O                 report outstanding replies
  -p <pattern>       contents of padding byte
  -q                 quiet output
  -Q <tclass>        use quality of service <tclass> bits
  -s <size>          use <size> as number of data bytes to be sent
  -S <size>          use <size> as SO_SNDBUF socket option value
  -t <ttl>           define time to live
  -U                 print user-to-user latency
  -v                 verbose output
  -V                 print version and exit
  -w <deadline>      reply wait <deadline> in seconds
  -W <timeout>       time to wait for response

IPv4 options:
  -4                 use IPv4
  -b                 allow pinging broadcast
  -R                 record route
  -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr|tsprespec>

IPv6 options:
  -6                 use IPv6
  -F <flowlabel>     define flow label, default is random
  -N <nodeinfo opt>  use icmp6 node info query, try <help> as argument

For more details see ping(8).`;

type Refusal = { error: string; status: number };
const LONG_MAX = 9223372036854775807n;

/** iputils' strtol_or_err: a base-10 integer (leading blanks and a sign allowed) within [min, max]. */
function strtolOrErr(v: string, min: bigint, max: bigint): number | Refusal {
  if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(v)) return { error: `ping: invalid argument: '${v}'`, status: 1 };
  const n = BigInt(v.trim());
  if (n > LONG_MAX || n < -LONG_MAX - 1n) return { error: `ping: invalid argument: '${v}': Numerical result out of range`, status: 1 };
  if (n < min || n > max) return { error: `ping: invalid argument: '${v}': out of range: ${min} <= value <= ${max}`, status: 1 };
  return Number(n);
}

/**
 * iputils' ping_strtod: strtod's longest prefix; trailing garbage is a warning (the prefix, or 0,
 * is used), an empty argument, an overflow, inf and nan are errors (status 2).
 */
function pingStrtod(v: string, what: string, warn: string[]): number | Refusal {
  if (v === '') return { error: `ping: ${what}: `, status: 2 };
  const m = /^[ \t\n\v\f\r]*[+-]?(?:infinity|inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/i.exec(v);
  const prefix = m?.[0] ?? '';
  const n =
    prefix === ''
      ? 0
      : Number(
          prefix
            .trim()
            .replace(/^([+-]?)inf(inity)?$/i, '$1Infinity')
            .replace(/^[+-]?nan$/i, 'NaN'),
        );
  const word = prefix.trim().replace(/^[+-]/, '').toLowerCase();
  const overflow = !Number.isFinite(n) && !word.startsWith('inf') && word !== 'nan';
  if (overflow || prefix.length < v.length)
    warn.push('ping: option argument contains garbage: ' + v.slice(prefix.length), 'ping: this will become fatal error in the future');
  if (!Number.isFinite(n)) return { error: `ping: ${what}: ${v}: Numerical result out of range`, status: 2 };
  return n;
}

/** Parses ping's command line; returns an error message (iputils' wording) or the target and options. */
export function parsePingArgs(args: readonly string[]): { target: string; opts: PingOptions; warnings: string[] } | Refusal {
  const opts: PingOptions = { ...USAGE_DEFAULTS };
  const warnings: string[] = [];
  const parsed = getopt('ping', args, OPTSTRING);
  if ('error' in parsed) return { error: `${parsed.error}\n${PING_USAGE}`, status: 2 };
  for (const { opt, arg } of parsed.options) {
    const v = arg ?? '';
    let n: number | Refusal = 0;
    switch (opt) {
      case 'c':
        n = strtolOrErr(v, 1n, LONG_MAX);
        if (typeof n === 'number') opts.count = n;
        break;
      case 's':
        n = strtolOrErr(v, 0n, 2147483647n);
        if (typeof n === 'number') opts.size = n;
        break;
      case 't':
        n = strtolOrErr(v, 0n, 255n);
        if (typeof n === 'number') opts.ttl = n;
        break;
      case 'w':
        n = strtolOrErr(v, 0n, 2147483647n);
        if (typeof n === 'number') opts.deadline = n * 1000;
        break;
      case 'W':
        n = pingStrtod(v, 'bad linger time', warnings);
        if (typeof n === 'number' && (n < 0 || n > 2147483647 / 1000)) n = { error: `ping: bad linger time: ${v}`, status: 2 };
        if (typeof n === 'number') opts.timeout = Math.trunc(n * 1000);
        break;
      case 'i':
        n = pingStrtod(v, 'bad timing interval', warnings);
        if (typeof n === 'number' && n > 2147483647 / 1000) n = { error: `ping: bad timing interval: ${v}`, status: 2 };
        // A negative interval sends back to back, as iputils' does.
        if (typeof n === 'number') opts.interval = Math.max(0, Math.trunc(n * 1000));
        break;
      case 'I': {
        // iputils takes what inet_pton accepts as the source address, anything else as a device.
        const addr = parseIpv4(v);
        if (addr !== undefined) opts.source = addr;
        else opts.iface = v;
        break;
      }
      case 'q':
        opts.quiet = true;
        break;
      case 'n':
        opts.numeric = true;
        break;
      case '4':
        break; // IPv4 is all knetlab does.
      case 'h':
      case '?':
        return { error: PING_USAGE, status: 2 };
      default:
        return { error: `knetlab: ping -${opt} is not emulated (emulated: -c -i -I -n -q -s -t -w -W -4)`, status: 2 };
    }
    if (typeof n !== 'number') return n;
  }
  // iputils pings the last operand.
  const target = parsed.operands.at(-1);
  if (target === undefined) return { error: 'ping: usage error: Destination address required', status: 1 };
  return { target, opts, warnings };
}

/**
 * A point ping waits for: the virtual time `until`, or sooner once `settled()` says every reply
 * is in. Ping yields these instead of running the clock itself, so that a front end with a live
 * clock lets wall time pass between them (and serves others meanwhile).
 */
export interface PingWait {
  readonly until: number;
  readonly settled?: () => boolean;
}

/** Lets the clock reach `w` event by event, stopping early when interrupted or settled. */
function runClockTo(clock: Proc['ns']['kernel']['clock'], w: PingWait, interrupted: () => boolean): void {
  const done = () => interrupted() || w.settled?.() === true;
  for (let next = clock.nextAt(); !done() && next !== undefined && next < w.until; next = clock.nextAt()) clock.runUntil(next);
  if (!done()) clock.runUntil(Math.max(clock.now(), w.until));
}

/** ping with the clock run by ping itself: virtual time jumps (tests, scripts, replays). */
export function ping(args: readonly string[], proc: Proc): number {
  const run = pingRun(args, proc, false);
  const interrupted = () => proc.signal?.aborted === true;
  for (let step = run.next(); ; step = run.next()) {
    if (step.done) return step.value;
    runClockTo(proc.ns.kernel.clock, step.value, interrupted);
  }
}

/**
 * ping as a sequence of waits. `untilInterrupted`: the caller can interrupt it (a client on the
 * lab server), so without -c or -w it pings until then, as iputils does.
 */
export function* pingRun(args: readonly string[], proc: Proc, untilInterrupted: boolean): Generator<PingWait, number> {
  const parsed = parsePingArgs(args);
  if ('error' in parsed) {
    proc.stderr(`${parsed.error}\n`);
    return parsed.status;
  }
  const { target, opts, warnings } = parsed;
  for (const w of warnings) proc.stderr(`${w}\n`);
  // A name goes through getaddrinfo (AF_UNSPEC, AI_CANONNAME): ping names the canonical name the
  // resolver found, and looks each reply's source up (getnameinfo) unless -n; an address alone is numeric.
  let dst = parseIpv4(target);
  let hostname = target;
  if (dst === undefined) {
    const r = lookupHost(proc, target, 'unspec');
    const addr = r.addrs[0] === undefined ? undefined : parseIpv4(r.addrs[0]);
    if (addr === undefined) {
      proc.stderr(`ping: ${target}: ${gaiStrerror(r, libcOf(proc))}\n`);
      return 2;
    }
    dst = addr;
    hostname = r.canonical ?? r.answeredName ?? target;
  } else opts.numeric = true;
  const prAddr = (ip: number): string => {
    const address = formatIpv4(ip);
    return opts.numeric ? address : `${reverseLookup(proc, address) ?? address} (${address})`;
  };
  if (!opts.count && opts.deadline === undefined && !untilInterrupted) {
    proc.stderr('knetlab: ping without -c or -w would run until interrupted; sending 4 echo requests (-c 4)\n');
    opts.count = 4;
  }
  const ns = proc.ns;
  const oif = opts.iface === undefined ? undefined : ns.linkByName(opts.iface);
  if (opts.iface !== undefined && !oif) {
    proc.stderr(`ping: SO_BINDTODEVICE ${opts.iface}: No such device\n`);
    return 2;
  }
  let src: number;
  if (opts.source !== undefined && opts.source !== 0) {
    // bind() to a source address: it must be local; there is no connect() probe then.
    if (!ns.isLocalAddress(opts.source)) {
      proc.stderr(`ping: bind: ${STRERROR.EADDRNOTAVAIL}\n`);
      return 2;
    }
    src = opts.source;
  } else {
    try {
      const r = routeOutput(ns, dst, { oif });
      // __ip4_datagram_connect(): a broadcast route without SO_BROADCAST (no -b) is EACCES.
      if (r.route.type === 'broadcast' || dst === 0xffffffff) throw new KernelError('EACCES');
      src = r.src;
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      // iputils reads EACCES from its connect() probe as a broadcast destination (-b, not emulated).
      if (e.errno === 'EACCES') proc.stderr('ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n');
      else proc.stderr(`ping: connect: ${STRERROR[e.errno]}\n`);
      return 2;
    }
    // iputils checks the probe's source against the device's addresses as getifaddrs() names them
    // (by label): one it does not hold is only warned about.
    if (oif && !ns.addrsOf(oif).some((a) => a.label === opts.iface && a.local === src)) {
      proc.stderr(`ping: Warning: source address might be selected on device other than: ${opts.iface}\n`);
    }
  }

  const clock = ns.kernel.clock;
  const ident = ns.kernel.rng.int(1, 0x10000);
  /** Send times of the requests still unanswered, by their 16-bit sequence number. */
  const pending = new Map<number, number>();
  const rtt = { received: 0, min: Infinity, max: 0, sum: 0, sumSq: 0 };
  let transmitted = 0;
  let errors = 0;
  let pipe = 1;
  // With -I, the header names the source address and the device (empty for an address).
  const from = opts.source !== undefined || oif ? `from ${formatIpv4(src)} ${opts.iface ?? ''}: ` : '';
  proc.stdout(`PING ${hostname} (${formatIpv4(dst)}) ${from}${opts.size}(${opts.size + 28}) bytes of data.\n`);

  ns.pingSockets.set(ident, (skb) => {
    const p = skb.data;
    const m = p.payload;
    if (m.kind !== 'icmp') return;
    if (m.type === ICMP_ECHO_REPLY) {
      const seq = m.rest & 0xffff;
      const t0 = pending.get(seq);
      if (t0 === undefined) return;
      pipe = Math.max(pipe, pending.size);
      pending.delete(seq);
      const time = clock.now() - t0;
      rtt.received++;
      rtt.min = Math.min(rtt.min, time);
      rtt.max = Math.max(rtt.max, time);
      rtt.sum += time;
      rtt.sumSq += time * time;
      if (!opts.quiet) {
        proc.stdout(`${m.data.length + 8} bytes from ${prAddr(p.src)}: icmp_seq=${seq} ttl=${p.ttl} time=${formatRtt(time)} ms\n`);
      }
    } else if (m.type === ICMP_DEST_UNREACH || m.type === ICMP_TIME_EXCEEDED) {
      const seq = quotedSeq(m.data);
      if (seq === undefined || !pending.has(seq)) return;
      pipe = Math.max(pipe, pending.size);
      pending.delete(seq);
      errors++;
      const text =
        m.type === ICMP_TIME_EXCEEDED
          ? 'Time to live exceeded'
          : m.code === 4
            ? `Frag needed and DF set (mtu = ${m.rest & 0xffff})`
            : (UNREACH_TEXT[m.code] ?? `Dest Unreachable, Bad Code: ${m.code}`);
      if (!opts.quiet) proc.stdout(`From ${prAddr(p.src)} icmp_seq=${seq} ${text}\n`);
    }
  });

  // Virtual time passes event by event, so that an interrupt (SIGINT: the signal aborts) stops
  // ping at its own time; then it prints its statistics, as iputils does on Ctrl-C.
  const interrupted = () => proc.signal?.aborted === true;
  const start = clock.now();
  const total = opts.count || Infinity;
  const endBy = opts.deadline === undefined ? Infinity : start + opts.deadline;
  let lastSend = start;
  try {
    for (let n = 1; n <= total; n++) {
      const at = start + (n - 1) * opts.interval;
      if (at >= endBy) break;
      yield { until: at };
      if (interrupted()) break;
      // The 16-bit sequence number wraps after 65535 and goes on, as iputils' does.
      const seq = n & 0xffff;
      lastSend = clock.now();
      transmitted++;
      if (opts.size > MAX_PAYLOAD) {
        // Larger than an IPv4 datagram: the kernel refuses it (reported back as a local error
        // while the ICMP length still fits 16 bits), or it is lost without a word.
        if (opts.size + 8 <= 0xffff) {
          proc.stderr('ping: local error: message too long, mtu=65535\n');
          errors++;
        }
        continue;
      }
      pending.set(seq, clock.now());
      const walk = proc.trace?.(`ping ${formatIpv4(dst)} icmp_seq=${seq}`);
      sendEcho(proc, dst, src, ident, seq, opts, walk);
    }
    // Linger for the outstanding replies: -W when nothing came back, else until all are in.
    const wait = Math.min(endBy, lastSend + opts.timeout);
    if (pending.size > 0 && !interrupted()) yield { until: wait, settled: () => pending.size === 0 };
  } finally {
    ns.pingSockets.delete(ident);
  }

  const received = rtt.received;
  const loss = transmitted ? Math.round((((transmitted - received) * 100) / transmitted) * 10000) / 10000 : 0;
  let summary = `${transmitted} packets transmitted, ${received} received`;
  if (errors) summary += `, +${errors} errors`;
  // iputils prints the elapsed time rounded to the millisecond ((tv_usec + 500) / 1000); a live
  // clock's fractional start would otherwise print 999ms for a second.
  summary += `, ${loss}% packet loss, time ${Math.round(lastSend - start)}ms`;
  const tail: string[] = [];
  if (received) {
    const avg = rtt.sum / received;
    const mdev = Math.sqrt(Math.max(0, rtt.sumSq / received - avg * avg));
    tail.push(`rtt min/avg/max/mdev = ${[rtt.min, avg, rtt.max, mdev].map(formatRtt).join('/')} ms`);
  }
  if (pipe > 1) tail.push(`pipe ${pipe}`);
  proc.stdout(`\n--- ${hostname} ping statistics ---\n${summary}\n${tail.join(', ')}\n`);
  return received ? 0 : 1;
}

function sendEcho(proc: Proc, dst: number, src: number, ident: number, seq: number, opts: PingOptions, walk: Walk | undefined): void {
  const data = new Uint8Array(opts.size);
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
  // The first 16 bytes carry the send time (struct timeval), as iputils writes it.
  const now = proc.ns.kernel.clock.now();
  if (data.length >= 16) {
    const view = new DataView(data.buffer);
    view.setBigUint64(0, BigInt(Math.floor(now / 1000)), true);
    view.setBigUint64(8, BigInt(Math.floor((now % 1000) * 1000)), true);
  }
  try {
    ipSend(
      proc.ns,
      {
        dst,
        src,
        protocol: IPPROTO_ICMP,
        ttl: opts.ttl,
        df: true,
        oif: opts.iface === undefined ? undefined : proc.ns.linkByName(opts.iface),
        payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: ((ident << 16) | seq) >>> 0, data },
      },
      walk,
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    // Recorded with iputils 20221126: after -I ADDRESS (no connect() probe) a send that finds
    // no route is counted as transmitted and nothing is printed.
    if (opts.source === undefined) proc.stdout(`ping: sendmsg: ${STRERROR[e.errno]}\n`);
  }
}

/** iputils prints times as %ld.%03ld milliseconds. */
function formatRtt(ms: number): string {
  return ms.toFixed(3);
}

/** The sequence number of our echo request quoted in an ICMP error. */
function quotedSeq(quoted: Uint8Array): number | undefined {
  if (quoted.length < 28) return undefined;
  const ihl = (quoted[0]! & 0x0f) * 4;
  return quoted.length >= ihl + 8 ? (quoted[ihl + 6]! << 8) | quoted[ihl + 7]! : undefined;
}
