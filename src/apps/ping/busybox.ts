// BusyBox's ping applet (networking/ping.c, FEATURE_FANCY_PING, BusyBox 1.36): what `ping` is in
// the busybox and Alpine images. Its own output: `PING host (ip): 56 data bytes`, `64 bytes from
// ip: seq=0 ttl=64 time=0.082 ms` (sequence numbers from 0, times in microseconds), and the
// statistics without mdev; the echo id is htons(pid). After the last of -c CNT it waits for the
// replies (-W seconds when none came yet, else about two round trips, at least a second) and
// exits as soon as CNT came back. ICMP errors carry no echo id and are ignored, as the raw socket
// reader does. Exit 1 when nothing came back (or fewer than -c before -w's deadline).
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, IPPROTO_ICMP, formatIpv4 } from '../../wire/index.js';
import { ipSend, KernelError, routeOutput, STRERROR } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { BUSYBOX_BANNER } from '../busybox/banner.js';
import { host2sockaddr } from '../busybox/host2sockaddr.js';

const USAGE = `${BUSYBOX_BANNER}

Usage: ping [OPTIONS] HOST

Send ICMP ECHO_REQUESTs to HOST

\t-4,-6\t\tForce IP or IPv6 name resolution
\t-c CNT\t\tSend only CNT pings
\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)
\t-i SECS\t\tInterval
\t-A\t\tPing as soon as reply is received
\t-t TTL\t\tSet TTL
\t-I IFACE/IP\tSource interface or IP address
\t-W SEC\t\tSeconds to wait for the first response (default 10)
\t\t\t(after all -c CNT packets are sent)
\t-w SEC\t\tSeconds until ping exits (default:infinite)
\t\t\t(can exit earlier with -c CNT)
\t-q\t\tQuiet, only display output at start/finish
\t-p HEXBYTE\tPayload pattern
`;

interface Options {
  count: number;
  size: number;
  ttl: number;
  deadline?: number;
  timeout: number;
  interval: number;
  quiet: boolean;
}

/** getopt32 "qvAc:+s:t:+w:+W:+I:np:i:4": the options knetlab runs; others say so. */
function parse(args: readonly string[], proc: Proc): { host: string; o: Options } | number {
  const o: Options = { count: 0, size: 56, ttl: 64, timeout: 10, interval: 1, quiet: false };
  const rest: string[] = [];
  const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      if (ch === 'q') o.quiet = true;
      else if (ch === 'v' || ch === 'n' || ch === '4') continue;
      else if ('cstwWip'.includes(ch) || ch === 'I') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        j = a.length;
        if (v === undefined) {
          proc.stderr(`ping: option requires an argument -- '${ch}'\n${USAGE}`);
          return 1;
        }
        if (ch === 'I' || ch === 'p') {
          proc.stderr(`knetlab: busybox ping -${ch} is not emulated\n`);
          return 1;
        }
        const n = ch === 'i' ? (/^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined) : num(v);
        if (n === undefined) {
          proc.stderr(`ping: invalid number '${v}'\n`);
          return 1;
        }
        if (ch === 'c') o.count = n;
        else if (ch === 's') o.size = n;
        else if (ch === 't') o.ttl = n;
        else if (ch === 'w') o.deadline = n;
        else if (ch === 'W') o.timeout = n;
        else o.interval = n;
      } else {
        proc.stderr(`ping: invalid option -- '${ch}'\n${USAGE}`);
        return 1;
      }
    }
  }
  if (rest.length !== 1) {
    proc.stderr(USAGE);
    return 1;
  }
  return { host: rest[0]!, o };
}

export function busyboxPing(args: readonly string[], proc: Proc): number {
  const parsed = parse(args, proc);
  if (typeof parsed === 'number') return parsed;
  const { host, o } = parsed;
  // xhost_and_af2sockaddr(): a name resolves through the C library (the search walk); the header names it as given
  const to = host2sockaddr(proc, host, 0);
  if ('error' in to) {
    proc.stderr(`ping: ${to.error}\n`);
    return 1;
  }
  const dst = to.ip;
  if (!o.count && o.deadline === undefined) {
    proc.stderr('knetlab: ping without -c or -w would run until interrupted; sending 4 echo requests (-c 4)\n');
    o.count = 4;
  }
  const ns = proc.ns;
  let src: number;
  try {
    src = routeOutput(ns, dst, {}).src;
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr(`ping: sendto: ${STRERROR[e.errno]}\n`);
    return 1;
  }
  const clock = ns.kernel.clock;
  // myid = htons(getpid()): a small PID in a container's own PID namespace.
  const pid = ns.kernel.rng.int(2, 100);
  const ident = ((pid & 0xff) << 8) | (pid >> 8);
  const sentAt = new Map<number, number>();
  const seen = new Set<number>();
  let received = 0;
  let repeats = 0;
  let transmitted = 0;
  let tmin = Infinity;
  let tmax = 0;
  let tsum = 0;
  proc.stdout(`PING ${host} (${formatIpv4(dst)}): ${o.size} data bytes\n`);
  ns.pingSockets.set(ident, (skb) => {
    const p = skb.data;
    const m = p.payload;
    if (m.kind !== 'icmp' || m.type !== ICMP_ECHO_REPLY) return;
    const seq = m.rest & 0xffff;
    const t0 = sentAt.get(seq);
    if (t0 === undefined) return;
    const us = Math.floor((clock.now() - t0) * 1000);
    tsum += us;
    tmin = Math.min(tmin, us);
    tmax = Math.max(tmax, us);
    const dup = seen.has(seq);
    if (dup) repeats++;
    else {
      seen.add(seq);
      received++;
    }
    if (!o.quiet)
      proc.stdout(
        `${m.data.length + 8} bytes from ${formatIpv4(p.src)}: seq=${seq} ttl=${p.ttl} time=${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')} ms${dup ? ' (DUP!)' : ''}\n`,
      );
  });
  const interrupted = () => proc.signal?.aborted === true;
  const runTo = (until: number, done: () => boolean) => {
    for (let next = clock.nextAt(); !done() && !interrupted() && next !== undefined && next < until; next = clock.nextAt())
      clock.runUntil(next);
    if (!done() && !interrupted()) clock.runUntil(Math.max(clock.now(), until));
  };
  const start = clock.now();
  const deadline = o.deadline === undefined ? Infinity : start + o.deadline * 1000;
  try {
    for (;;) {
      if (clock.now() >= deadline) break;
      const seq = transmitted & 0xffff;
      const data = new Uint8Array(o.size);
      if (o.size >= 4) new DataView(data.buffer).setUint32(0, Math.floor(clock.now() * 1000) >>> 0, true);
      sentAt.set(seq, clock.now());
      transmitted++;
      try {
        ipSend(
          ns,
          {
            dst,
            src,
            protocol: IPPROTO_ICMP,
            ttl: o.ttl,
            df: false,
            payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: ((ident << 16) | seq) >>> 0, data },
          },
          proc.trace?.(`ping ${formatIpv4(dst)} seq=${seq}`),
        );
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        proc.stderr(`ping: sendto: ${STRERROR[e.errno]}\n`);
        return 1;
      }
      const enough = () => o.count > 0 && received >= o.count;
      if (o.count === 0 || transmitted < o.count) {
        runTo(Math.min(clock.now() + o.interval * 1000, deadline), enough);
      } else {
        // the last one is sent: -W seconds for a first reply, else about two round trips (tmax / 512 Ki us), at least 1 s
        const expire = received === 0 ? o.timeout : Math.max(1, Math.floor(tmax / (512 * 1024)));
        runTo(Math.min(clock.now() + expire * 1000, deadline), enough);
        break;
      }
      if (enough() || interrupted()) break;
    }
  } finally {
    ns.pingSockets.delete(ident);
  }
  const loss = transmitted ? Math.floor(((transmitted - received) * 100) / transmitted) : 0;
  let stats = `\n--- ${host} ping statistics ---\n${transmitted} packets transmitted, ${received} packets received, `;
  if (repeats) stats += `${repeats} duplicates, `;
  stats += `${loss}% packet loss\n`;
  if (tmin !== Infinity) {
    const avg = Math.floor(tsum / (received + repeats));
    const f = (us: number) => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
    stats += `round-trip min/avg/max = ${f(tmin)}/${f(avg)}/${f(tmax)} ms\n`;
  }
  proc.stdout(stats);
  return received === 0 || (o.deadline !== undefined && received < o.count) ? 1 : 0;
}
