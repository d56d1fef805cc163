// iperf3 (esnet iperf 3.x, as netshoot ships it; messages from its iperf_locale.c, iperf_api.c,
// iperf_error.c) over the emulated TCP, in virtual time. `iperf3 -s [-p PORT] [-1]` listens on
// every address (`*:5201` in ss, as its dual-stack socket) and stays as a daemon, printing its
// banner, each test's "Accepted connection", the stream's "connected" line, its interval lines and
// its receiver summary; `iperf3 -c HOST [-p PORT] [-t SECS]` connects a control and a data
// connection, sends for SECS (10) and prints "Connecting to host", the interval table with Retr and
// Cwnd, the sender and receiver summaries and "iperf Done.". Refused or unreachable servers fail
// with iperf3's IECONNECT text, a port in use with IELISTEN's.
//
// Coarse (the emulated TCP has no bandwidth, congestion control or loss): the client sends one
// 128 KiB block (iperf3's TCP block size) every 125 ms of virtual time, so every test shows
// 1.00 MBytes and 8.39 Mbits/sec a second, Retr 0 and Cwnd the initial window (10 segments,
// 14.1 KBytes). The bytes really cross the emulated network (tcpdump, conntrack and netfilter see
// them; a path that drops them leaves the receiver's counts short). The control exchange between
// the emulated client and server is knetlab's own (a cookie, then the receiver's byte count), not
// iperf3's JSON protocol. Not emulated, refused with a knetlab: message: UDP (-u), reverse and
// bidirectional tests, parallel streams, JSON output and the other options.
import { KernelError, STRERROR, tcpOf, type TcpConn } from '../../kernel/index.js';
import { formatIpv4, parseIpv4 } from '../../wire/index.js';
import type { Command, Proc } from '../proc.js';
import { gaiStrerror, libcOf, lookupHost } from '../dns/resolver.js';
import { BANNER_RULE, bwLine, bwRetransCwndLine, bwRetransLine, HEADER, HEADER_RETR, HEADER_RETR_CWND, SEPARATOR } from './format.js';

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

const USAGE = "Usage: iperf3 [-s|-c host] [options]\nTry `iperf3 --help' for more information.\n";

interface Options {
  server: boolean;
  client?: string;
  port: number;
  time: number;
  oneOff: boolean;
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
  ['-u', 'UDP tests'],
  ['--udp', 'UDP tests'],
  ['-R', 'reverse tests'],
  ['--reverse', 'reverse tests'],
  ['--bidir', 'bidirectional tests'],
  ['-P', 'parallel streams'],
  ['--parallel', 'parallel streams'],
  ['-J', 'JSON output'],
  ['--json', 'JSON output'],
]);

function parse(args: readonly string[], proc: Proc): Options | number {
  const o: Options = { server: false, port: DEFAULT_PORT, time: 10, oneOff: false };
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

/** `[  5] local A port P connected to B port Q` (report_connected). */
const connectedLine = (c: TcpConn) =>
  `[${String(STREAM_FD).padStart(3)}] local ${formatIpv4(c.local)} port ${c.lport} connected to ${formatIpv4(c.remote)} port ${c.rport}\n`;

/** A test the server is running: its control connection, then its data stream's byte counts by second. */
interface ServerTest {
  readonly ctrl: TcpConn;
  stream?: {
    readonly conn: TcpConn;
    readonly start: number;
    readonly perSecond: number[];
    cookie: number;
    printed: number;
    ended?: number;
  };
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
  const seconds = (ms: number) => ms / 1000;
  /** Prints the complete intervals (all of them once the stream has ended). */
  const intervals = (s: NonNullable<ServerTest['stream']>) => {
    const upTo = s.ended === undefined ? Math.floor((clock.now() - s.start) / 1000) : Math.ceil((s.ended - s.start) / 1000);
    for (; s.printed < upTo; s.printed++) {
      if (s.printed === 0) proc.stdout(HEADER);
      const end = s.ended === undefined ? s.printed + 1 : Math.min(s.printed + 1, seconds(s.ended - s.start));
      proc.stdout(bwLine(STREAM_FD, s.printed, end, s.perSecond[s.printed] ?? 0));
    }
  };
  const tick = (s: NonNullable<ServerTest['stream']>) => {
    if (s.ended !== undefined || test?.stream !== s) return;
    intervals(s);
    clock.schedule(1000, () => tick(s));
  };
  try {
    tcp.listen(
      o.port,
      0,
      (c) => {
        if (test === undefined) {
          test = { ctrl: c };
          proc.stdout(`Accepted connection from ${formatIpv4(c.remote)}, port ${c.rport}\n`);
          return {
            onEnd: (conn) => {
              conn.close();
              if (test?.ctrl !== conn) return;
              test = undefined;
              if (o.oneOff) tcp.unlisten(o.port);
              else banner();
            },
          };
        }
        if (test.stream !== undefined) return { onData: () => {}, onEnd: (conn) => conn.close() };
        const stream = { conn: c, start: clock.now(), perSecond: [] as number[], cookie: COOKIE_SIZE, printed: 0 } as NonNullable<
          ServerTest['stream']
        >;
        test.stream = stream;
        proc.stdout(connectedLine(c));
        clock.schedule(1000, () => tick(stream));
        const current = test;
        return {
          onData: (_conn, data) => {
            // the cookie opens the stream; the rest is counted in the second it arrived
            const skip = Math.min(stream.cookie, data.length);
            stream.cookie -= skip;
            const at = Math.floor((clock.now() - stream.start) / 1000);
            stream.perSecond[at] = (stream.perSecond[at] ?? 0) + data.length - skip;
          },
          onEnd: (conn) => {
            conn.close();
            stream.ended = clock.now();
            intervals(stream);
            const total = stream.perSecond.reduce((a, b) => a + (b ?? 0), 0);
            const duration = seconds(stream.ended - stream.start);
            proc.stdout(`${SEPARATOR}${HEADER_RETR}${bwLine(STREAM_FD, 0, duration, total, 'receiver')}`);
            current.ctrl.send(encoder.encode(`${JSON.stringify({ bytes_received: total, receiver_time: duration })}\n`));
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
  proc.daemon?.(() => tcp.unlisten(o.port));
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
  const cookie = () => encoder.encode(`${'knetlab'.padEnd(COOKIE_SIZE - 1, 'x')}\0`);
  let errno: string | undefined;
  let results: { bytes_received: number; receiver_time: number } | undefined;
  let ctrlClosed = false;
  let finished = false;
  let sent = 0;
  let replies = '';
  let data: TcpConn | undefined;
  const perSecond: number[] = [];

  const stream = () => {
    data = tcp.connect(
      dst!,
      o.port,
      {},
      {
        onConnect: (c) => {
          c.send(cookie());
          proc.stdout(`${connectedLine(c)}${HEADER_RETR_CWND}`);
          let n = 0;
          const total = o.time * (1000 / BLOCK_EVERY_MS);
          const step = () => {
            if (errno !== undefined || ctrlClosed) return;
            if (n > 0 && n % (1000 / BLOCK_EVERY_MS) === 0) {
              const s = n / (1000 / BLOCK_EVERY_MS);
              proc.stdout(bwRetransCwndLine(STREAM_FD, s - 1, s, perSecond[s - 1] ?? 0, 0, INITIAL_CWND));
            }
            if (n === total) {
              c.close();
              finished = true;
              return;
            }
            c.send(new Uint8Array(BLOCK));
            sent += BLOCK;
            const s = Math.floor(n / (1000 / BLOCK_EVERY_MS));
            perSecond[s] = (perSecond[s] ?? 0) + BLOCK;
            n++;
            clock.schedule(BLOCK_EVERY_MS, step);
          };
          step();
        },
        onError: (_c, e) => {
          errno ??= e;
        },
      },
    );
  };

  let ctrl: TcpConn;
  try {
    ctrl = tcp.connect(
      dst,
      o.port,
      {},
      {
        onConnect: (c) => {
          proc.stdout(`Connecting to host ${host}, port ${o.port}\n`);
          c.send(cookie());
          stream();
        },
        onData: (_c, chunk) => {
          replies += decoder.decode(chunk);
          const line = replies.split('\n', 1)[0];
          if (replies.includes('\n')) {
            try {
              results = JSON.parse(line!) as typeof results;
            } catch {
              ctrlClosed = true;
            }
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
  if (results === undefined) {
    ctrl.close();
    data?.close();
    if (errno !== undefined && !finished && sent === 0) return fail(STRERROR[errno as keyof typeof STRERROR] ?? errno);
    proc.stderr('iperf3: error - control socket has closed unexpectedly\n');
    return 1;
  }
  ctrl.close();
  proc.stdout(
    `${SEPARATOR}${HEADER_RETR}${bwRetransLine(STREAM_FD, 0, o.time, sent, 0, 'sender')}${bwLine(STREAM_FD, 0, results.receiver_time, results.bytes_received, 'receiver')}\niperf Done.\n`,
  );
  return 0;
}
