// iperf3 (esnet iperf 3.x, as netshoot ships it; messages from its iperf_locale.c, iperf_api.c,
// iperf_error.c) over the emulated network, in virtual time. `iperf3 -s [-p PORT] [-1]` listens on
// every address (`*:5201` in ss, as its dual-stack socket) and stays as a daemon, printing its
// banner, each test's "Accepted connection", the stream's "connected" line, its interval lines and
// its receiver summary; `iperf3 -c HOST [-p PORT] [-t SECS] [-u]` opens a control connection and a
// TCP data connection (or, with -u, a UDP stream opened with iperf3's connect datagram and its
// reply), sends for SECS (10) and prints "Connecting to host", the interval table (Retr and Cwnd;
// Total Datagrams for UDP), the sender and receiver summaries and "iperf Done.". For UDP the server
// counts datagrams by their sequence numbers: those netfilter dropped show as Lost/Total, with the
// RFC 1889 jitter of their transit times. Refused or unreachable servers fail with iperf3's
// IECONNECT text, a port in use with IELISTEN's.
//
// Coarse (the emulated TCP has no bandwidth, congestion control or loss): the client sends one
// 128 KiB block (iperf3's TCP block size) every 125 ms of virtual time, so every TCP test shows
// 1.00 MBytes and 8.39 Mbits/sec a second, Retr 0 and Cwnd the initial window (10 segments,
// 14.1 KBytes); UDP sends 1448-byte datagrams at iperf3's default 1 Mbit/s (binary), paced every
// 125 ms. The bytes really cross the emulated network (tcpdump, conntrack and netfilter see them).
// The control exchange between the emulated client and server is knetlab's own (a cookie, then
// JSON lines), not iperf3's protocol. Not emulated, refused with a knetlab: message: reverse and
// bidirectional tests, parallel streams, JSON output and the other options.
import { KernelError, routeOutput, STRERROR, tcpOf, udpBind, type TcpConn, type UdpSocket } from '../../kernel/index.js';
import { formatIpv4, parseIpv4 } from '../../wire/index.js';
import type { Command, Proc } from '../proc.js';
import { gaiStrerror, libcOf, lookupHost } from '../dns/resolver.js';
import {
  BANNER_RULE,
  bwLine,
  bwRetransCwndLine,
  bwRetransLine,
  bwUdpLine,
  bwUdpSenderLine,
  HEADER,
  HEADER_RETR,
  HEADER_RETR_CWND,
  HEADER_UDP,
  HEADER_UDP_SENDER,
  SEPARATOR,
} from './format.js';

const DEFAULT_PORT = 5201;
const BLOCK = 128 * 1024;
const BLOCK_EVERY_MS = 125;
/** Linux's initial congestion window: 10 segments of 1448 bytes. */
const INITIAL_CWND = 10 * 1448;
/** The cookie each connection opens with (COOKIE_SIZE: 36 characters and a NUL). */
const COOKIE_SIZE = 37;
/** The data stream's socket as iperf3 numbers it in its reports (listener 3, control 4, stream 5). */
const STREAM_FD = 5;
/** How long the client waits for the server's results after its last block. */
const RESULTS_WAIT_MS = 10_000;
/** UDP: iperf3's default rate (UDP_RATE, 1 Mbit/s in binary mega) and its datagrams' size (the control connection's MSS). */
const UDP_RATE = 1024 * 1024;
const UDP_BLKSIZE = 1448;
/** The datagram a UDP stream opens with, and the server's answer (iperf_udp.c UDP_CONNECT_MSG / UDP_CONNECT_REPLY). */
const UDP_CONNECT_MSG = 0x36373839;
const UDP_CONNECT_REPLY = 0x39383736;

const USAGE = "Usage: iperf3 [-s|-c host] [options]\nTry `iperf3 --help' for more information.\n";

interface Options {
  server: boolean;
  client?: string;
  port: number;
  time: number;
  oneOff: boolean;
  udp: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

/** iperf3's own argument errors: `iperf3: parameter error - …`, a blank line and the short usage (status 1). */
function parameterError(proc: Proc, text: string): number {
  proc.stderr(`iperf3: parameter error - ${text}\n\n${USAGE}`);
  return 1;
}

/** Options knetlab does not emulate, by what they ask for. */
const NOT_EMULATED = new Map<string, string>([
  ['-R', 'reverse tests'],
  ['--reverse', 'reverse tests'],
  ['--bidir', 'bidirectional tests'],
  ['-P', 'parallel streams'],
  ['--parallel', 'parallel streams'],
  ['-J', 'JSON output'],
  ['--json', 'JSON output'],
]);

function parse(args: readonly string[], proc: Proc): Options | number {
  const o: Options = { server: false, port: DEFAULT_PORT, time: 10, oneOff: false, udp: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => args[++i];
    const number = (name: string): number | undefined => {
      const v = value();
      return v !== undefined && /^\d+$/.test(v) ? Number(v) : (parameterError(proc, `${name} requires a number`), undefined);
    };
    if (a === '-s' || a === '--server') o.server = true;
    else if (a === '-c' || a === '--client') {
      const host = value();
      if (host === undefined) return parameterError(proc, 'option requires an argument -- c');
      o.client = host;
    } else if (a === '-p' || a === '--port') {
      const n = number('port');
      if (n === undefined) return 1;
      o.port = n;
    } else if (a === '-t' || a === '--time') {
      const n = number('time');
      if (n === undefined) return 1;
      o.time = n;
    } else if (a === '-1' || a === '--one-off') o.oneOff = true;
    else if (a === '-u' || a === '--udp') o.udp = true;
    else if (NOT_EMULATED.has(a) || a.startsWith('-')) {
      const what = NOT_EMULATED.get(a);
      proc.stderr(`knetlab: iperf3 ${a}${what ? ` (${what})` : ''} is not emulated\n`);
      return 1;
    } else return parameterError(proc, `unexpected argument ${a}`);
  }
  if (o.server === (o.client !== undefined)) {
    if (o.server) return parameterError(proc, 'cannot be both server and client');
    return parameterError(proc, 'must either be a client (-c) or server (-s)');
  }
  return o;
}

export const iperf3: Command = (args, proc) => {
  const o = parse(args, proc);
  if (typeof o === 'number') return o;
  return o.server ? server(proc, o) : client(proc, o, o.client!);
};

const fd = `[${String(STREAM_FD).padStart(3)}]`;

/** `[  5] local A port P connected to B port Q` (report_connected). */
const connectedLine = (local: number, lport: number, remote: number, rport: number) =>
  `${fd} local ${formatIpv4(local)} port ${lport} connected to ${formatIpv4(remote)} port ${rport}\n`;

/** A 4-byte big-endian word (the UDP connect message and its reply). */
const word = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const wordAt = (d: Uint8Array, at: number) => ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;

/** What the client tells the server on the control connection after its cookie (knetlab's own lines). */
interface Params {
  readonly udp?: boolean;
  /** UDP: the datagrams sent, once the test is over. */
  readonly end?: number;
}
/** What the server answers once the test is over. */
interface Results {
  readonly bytes: number;
  readonly time: number;
  readonly packets?: number;
  readonly lost?: number;
  readonly jitter?: number;
}

/** A stream the server receives: per second of its time, the bytes and (UDP) datagrams and the highest sequence number. */
interface Received {
  readonly start: number;
  readonly bytes: number[];
  readonly datagrams: number[];
  readonly maxSeq: number[];
  printed: number;
  ended?: number;
  seq: number;
  lastSeq: number;
  jitter: number;
  transit?: number;
}

/** A test the server runs: its control connection, whether it is UDP, its stream and (UDP) its socket. */
interface ServerTest {
  readonly ctrl: TcpConn;
  udp: boolean;
  stream?: Received;
  sock?: UdpSocket;
}

function server(proc: Proc, o: Options): number {
  const clock = proc.ns.kernel.clock;
  const tcp = tcpOf(proc.ns);
  let testNumber = 0;
  let test: ServerTest | undefined;
  const banner = () => {
    testNumber++;
    proc.stdout(`${BANNER_RULE}Server listening on ${o.port} (test #${testNumber})\n${BANNER_RULE}`);
  };
  const newStream = (): Received => ({
    start: clock.now(),
    bytes: [],
    datagrams: [],
    maxSeq: [],
    printed: 0,
    seq: 0,
    lastSeq: 0,
    jitter: 0,
  });
  /** Prints the complete intervals (all of them once the stream has ended). */
  const intervals = (s: Received, udp: boolean) => {
    const upTo = s.ended === undefined ? Math.floor((clock.now() - s.start) / 1000) : Math.ceil((s.ended - s.start) / 1000);
    for (; s.printed < upTo; s.printed++) {
      const i = s.printed;
      if (i === 0) proc.stdout(udp ? HEADER_UDP : HEADER);
      const end = s.ended === undefined ? i + 1 : Math.min(i + 1, (s.ended - s.start) / 1000);
      // a last interval under 10% of a second with no data is left out (iperf_print_intermediate)
      if (end - i < 0.1 && !s.bytes[i]) continue;
      if (!udp) {
        proc.stdout(bwLine(STREAM_FD, i, end, s.bytes[i] ?? 0));
        continue;
      }
      // interval_packet_count: how far the sequence numbers went; the datagrams not seen are lost
      const upToSeq = Math.max(s.lastSeq, s.maxSeq[i] ?? 0);
      const total = upToSeq - s.lastSeq;
      s.lastSeq = upToSeq;
      proc.stdout(bwUdpLine(STREAM_FD, i, end, s.bytes[i] ?? 0, s.jitter * 1000, total - (s.datagrams[i] ?? 0), total));
    }
  };
  const tick = (s: Received, udp: boolean) => {
    if (s.ended !== undefined || test?.stream !== s) return;
    intervals(s, udp);
    clock.schedule(1000, () => tick(s, udp));
  };
  const begin = (s: Received, udp: boolean, line: string) => {
    test!.stream = s;
    proc.stdout(line);
    clock.schedule(1000, () => tick(s, udp));
  };
  /** The stream is over: the last intervals, the receiver summary, and the results to the client. */
  const finish = (s: Received, udp: boolean) => {
    if (s.ended !== undefined) return;
    s.ended = clock.now();
    intervals(s, udp);
    const bytes = s.bytes.reduce((a, b) => a + (b ?? 0), 0);
    const time = (s.ended - s.start) / 1000;
    let results: Results = { bytes, time };
    if (udp) {
      const received = s.datagrams.reduce((a, b) => a + (b ?? 0), 0);
      results = { ...results, packets: s.seq, lost: s.seq - received, jitter: s.jitter * 1000 };
      proc.stdout(`${SEPARATOR}${HEADER_UDP}${bwUdpLine(STREAM_FD, 0, time, bytes, s.jitter * 1000, s.seq - received, s.seq, 'receiver')}`);
    } else proc.stdout(`${SEPARATOR}${HEADER_RETR}${bwLine(STREAM_FD, 0, time, bytes, 'receiver')}`);
    test?.ctrl.send(encoder.encode(`${JSON.stringify(results)}\n`));
    test?.sock?.close();
  };
  const udpStream = () => {
    const t = test!;
    t.sock = udpBind(proc.ns, 0, o.port, (from, port, data) => {
      if (t.stream === undefined) {
        if (data.length !== 4 || wordAt(data, 0) !== UDP_CONNECT_MSG) return;
        t.sock!.sendTo(from, port, word(UDP_CONNECT_REPLY));
        begin(newStream(), true, connectedLine(routeOutput(proc.ns, from).src, o.port, from, port));
        return;
      }
      const s = t.stream;
      if (s.ended !== undefined || data.length < 12) return;
      // iperf3's header: the sender's time (seconds, microseconds) and the datagram's sequence number
      const seq = wordAt(data, 8);
      const at = Math.floor((clock.now() - s.start) / 1000);
      s.bytes[at] = (s.bytes[at] ?? 0) + data.length;
      s.datagrams[at] = (s.datagrams[at] ?? 0) + 1;
      s.maxSeq[at] = Math.max(s.maxSeq[at] ?? 0, seq);
      s.seq = Math.max(s.seq, seq);
      // RFC 1889 jitter of the transit times, in seconds
      const transit = clock.now() / 1000 - (wordAt(data, 0) + wordAt(data, 4) / 1e6);
      if (s.transit !== undefined) s.jitter += (Math.abs(transit - s.transit) - s.jitter) / 16;
      s.transit = transit;
    });
  };
  try {
    tcp.listen(
      o.port,
      0,
      (c) => {
        if (test === undefined) {
          const t: ServerTest = { ctrl: c, udp: false };
          test = t;
          proc.stdout(`Accepted connection from ${formatIpv4(c.remote)}, port ${c.rport}\n`);
          let text = '';
          return {
            onData: (_conn, data) => {
              text += decoder.decode(data);
              // the cookie, then one JSON line per message
              for (let nl = text.indexOf('\n', COOKIE_SIZE); nl >= 0; nl = text.indexOf('\n', COOKIE_SIZE)) {
                let p: Params = {};
                try {
                  p = JSON.parse(text.slice(COOKIE_SIZE, nl)) as Params;
                } catch {
                  // not a knetlab client: ignored
                }
                text = text.slice(0, COOKIE_SIZE) + text.slice(nl + 1);
                if (p.udp) {
                  t.udp = true;
                  udpStream();
                }
                if (p.end !== undefined && t.stream) finish(t.stream, true);
              }
            },
            onEnd: (conn) => {
              conn.close();
              t.sock?.close();
              if (test !== t) return;
              test = undefined;
              if (o.oneOff) tcp.unlisten(o.port);
              else banner();
            },
          };
        }
        if (test.stream !== undefined || test.udp) return { onEnd: (conn) => conn.close() };
        const s = newStream();
        begin(s, false, connectedLine(c.local, c.lport, c.remote, c.rport));
        let cookie = COOKIE_SIZE;
        return {
          onData: (_conn, data) => {
            // the cookie opens the stream; the rest is counted in the second it arrived
            const skip = Math.min(cookie, data.length);
            cookie -= skip;
            const at = Math.floor((clock.now() - s.start) / 1000);
            s.bytes[at] = (s.bytes[at] ?? 0) + data.length - skip;
          },
          onEnd: (conn) => {
            conn.close();
            finish(s, false);
          },
        };
      },
      { dualStack: true },
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr(`iperf3: error - unable to start listener for connections: ${STRERROR[e.errno]}\n`);
    return 1;
  }
  proc.daemon?.(() => {
    tcp.unlisten(o.port);
    test?.sock?.close();
  });
  banner();
  return 0;
}

function client(proc: Proc, o: Options, host: string): number {
  const clock = proc.ns.kernel.clock;
  const tcp = tcpOf(proc.ns);
  const fail = (why: string): number => {
    proc.stderr(
      `iperf3: error - unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: ${why}\n`,
    );
    return 1;
  };
  let dst = parseIpv4(host);
  if (dst === undefined) {
    const r = lookupHost(proc, host, 'inet');
    const first = r.addrs[0];
    if (first === undefined) return fail(gaiStrerror(r, libcOf(proc)));
    dst = parseIpv4(first)!;
  }
  const to = dst;
  const cookie = encoder.encode(`${'knetlab'.padEnd(COOKIE_SIZE - 1, 'x')}\0`);
  let errno: string | undefined;
  let results: Results | undefined;
  let ctrlClosed = false;
  let sent = 0;
  let datagrams = 0;
  let replies = '';
  let data: TcpConn | undefined;
  let sock: UdpSocket | undefined;
  const perSecond: number[] = [];
  const packetsPerSecond: number[] = [];
  const ticksPerSecond = 1000 / BLOCK_EVERY_MS;
  const total = o.time * ticksPerSecond;

  /** Every 125 ms: the interval line when a second is over, then this tick's sending, until the test's time is up. */
  const pace = (send: (tick: number) => void, line: (second: number) => string, done: () => void) => {
    let n = 0;
    const step = () => {
      if (errno !== undefined || ctrlClosed) return;
      if (n > 0 && n % ticksPerSecond === 0) proc.stdout(line(n / ticksPerSecond));
      if (n === total) return done();
      send(n);
      n++;
      clock.schedule(BLOCK_EVERY_MS, step);
    };
    step();
  };

  const tcpStream = () => {
    data = tcp.connect(
      to,
      o.port,
      {},
      {
        onConnect: (c) => {
          c.send(cookie);
          proc.stdout(`${connectedLine(c.local, c.lport, c.remote, c.rport)}${HEADER_RETR_CWND}`);
          pace(
            (n) => {
              c.send(new Uint8Array(BLOCK));
              sent += BLOCK;
              const s = Math.floor(n / ticksPerSecond);
              perSecond[s] = (perSecond[s] ?? 0) + BLOCK;
            },
            (s) => bwRetransCwndLine(STREAM_FD, s - 1, s, perSecond[s - 1] ?? 0, 0, INITIAL_CWND),
            () => c.close(),
          );
        },
        onError: (_c, e) => {
          errno ??= e;
        },
      },
    );
  };

  const udpStream = (ctrl: TcpConn) => {
    let sport = 0;
    for (let i = 0; i < 64 && (sport === 0 || proc.ns.udpHandlers.has(sport)); i++) sport = proc.ns.kernel.rng.int(32768, 61000);
    const start = { at: 0 };
    sock = udpBind(proc.ns, 0, sport, (from, port, d) => {
      if (from !== to || port !== o.port || d.length !== 4 || wordAt(d, 0) !== UDP_CONNECT_REPLY || start.at) return;
      start.at = clock.now();
      proc.stdout(`${connectedLine(routeOutput(proc.ns, to).src, sport, to, o.port)}${HEADER_UDP_SENDER}`);
      pace(
        (n) => {
          // as many datagrams as the rate allows by the end of this tick
          const due = Math.floor(((UDP_RATE / 8) * (((n + 1) * BLOCK_EVERY_MS) / 1000)) / UDP_BLKSIZE);
          const s = Math.floor(n / ticksPerSecond);
          for (; datagrams < due; datagrams++) {
            const d = new Uint8Array(UDP_BLKSIZE);
            const now = clock.now();
            const view = new DataView(d.buffer);
            view.setUint32(0, Math.floor(now / 1000));
            view.setUint32(4, Math.round((now % 1000) * 1000));
            view.setUint32(8, datagrams + 1);
            sock!.sendTo(to, o.port, d);
            sent += UDP_BLKSIZE;
            perSecond[s] = (perSecond[s] ?? 0) + UDP_BLKSIZE;
            packetsPerSecond[s] = (packetsPerSecond[s] ?? 0) + 1;
          }
        },
        (s) => bwUdpSenderLine(STREAM_FD, s - 1, s, perSecond[s - 1] ?? 0, packetsPerSecond[s - 1] ?? 0),
        () => ctrl.send(encoder.encode(`${JSON.stringify({ end: datagrams } satisfies Params)}\n`)),
      );
    });
    sock.sendTo(to, o.port, word(UDP_CONNECT_MSG));
  };

  let ctrl: TcpConn;
  try {
    ctrl = tcp.connect(
      to,
      o.port,
      {},
      {
        onConnect: (c) => {
          proc.stdout(`Connecting to host ${host}, port ${o.port}\n`);
          c.send(cookie);
          c.send(encoder.encode(`${JSON.stringify({ udp: o.udp } satisfies Params)}\n`));
          if (o.udp) udpStream(c);
          else tcpStream();
        },
        onData: (_c, chunk) => {
          replies += decoder.decode(chunk);
          const nl = replies.indexOf('\n');
          if (nl < 0) return;
          try {
            results = JSON.parse(replies.slice(0, nl)) as Results;
          } catch {
            ctrlClosed = true;
          }
        },
        onEnd: (c) => {
          ctrlClosed = true;
          c.close();
        },
        onError: (_c, e) => {
          errno ??= e;
        },
      },
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return fail(STRERROR[e.errno]);
  }
  const limit = clock.now() + 1000 * (o.time + 130) + RESULTS_WAIT_MS;
  for (let next = clock.nextAt(); next !== undefined && next <= limit; next = clock.nextAt()) {
    if (results !== undefined || errno !== undefined || ctrlClosed) break;
    clock.runUntil(next);
  }
  sock?.close();
  ctrl.close();
  if (results === undefined) {
    data?.close();
    if (errno !== undefined && sent === 0) return fail(STRERROR[errno as keyof typeof STRERROR] ?? errno);
    proc.stderr('iperf3: error - control socket has closed unexpectedly\n');
    return 1;
  }
  const summary = o.udp
    ? `${HEADER_UDP}${bwUdpLine(STREAM_FD, 0, o.time, sent, 0, 0, datagrams, 'sender')}${bwUdpLine(STREAM_FD, 0, results.time, results.bytes, results.jitter ?? 0, results.lost ?? 0, results.packets ?? 0, 'receiver')}`
    : `${HEADER_RETR}${bwRetransLine(STREAM_FD, 0, o.time, sent, 0, 'sender')}${bwLine(STREAM_FD, 0, results.time, results.bytes, 'receiver')}`;
  proc.stdout(`${SEPARATOR}${summary}\niperf Done.\n`);
  return 0;
}
