// nc: OpenBSD netcat as Debian patches it (1.219; netshoot's netcat-openbsd is the same source),
// client side over the emulated TCP, in virtual time. `-z` checks each port of the list (numbers,
// service names, lo-hi ranges) with a connect() and closes at once; otherwise nc sends its stdin
// and prints what comes back until the peer closes (readwrite()), `-N` half-closes after stdin's
// end, `-q SECS` quits SECS after it, `-w SECS` bounds the connect and then the idle time. Its
// messages are warn()'s and errx()'s texts (`nc: connect to HOST port P (tcp) failed: ...`), the
// success line with -v its own, on stderr; the exit status is 0 when any connection succeeded.
//
// Not emulated (refused with a knetlab: message): listening (-l), UDP (-u), unix sockets, proxies
// and the socket options. A connection the peer keeps open with nothing more to say would keep
// the real nc waiting until interrupted: here it stops after IDLE_STOP_MS of silence and says so.
import { KernelError, STRERROR, tcpOf, type Errno } from '../../kernel/index.js';
import { parseIpv4 } from '../../wire/index.js';
import { getopt } from '../../transcript/index.js';
import type { Command, Proc } from '../proc.js';
import { gaiStrerror, libcOf, lookupHost } from '../dns/resolver.js';
import { serviceName, servicePort } from '../ss/services.js';

const OPTSTRING = '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz';

export const NC_USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
`;

/** help(): the version line, the usage, then the command summary (on stderr, status 0). */
const NC_HELP = `OpenBSD netcat (Debian patchlevel 1.219-1)
${NC_USAGE}\tCommand Summary:
\t\t-4\t\tUse IPv4
\t\t-6\t\tUse IPv6
\t\t-b\t\tAllow broadcast
\t\t-C\t\tSend CRLF as line-ending
\t\t-D\t\tEnable the debug socket option
\t\t-d\t\tDetach from stdin
\t\t-F\t\tPass socket fd
\t\t-h\t\tThis help text
\t\t-I length\tTCP receive buffer length
\t\t-i interval\tDelay interval for lines sent, ports scanned
\t\t-k\t\tKeep inbound sockets open for multiple connects
\t\t-l\t\tListen mode, for inbound connects
\t\t-M ttl\t\tOutgoing TTL / Hop Limit
\t\t-m minttl\tMinimum incoming TTL / Hop Limit
\t\t-N\t\tShutdown the network socket after EOF on stdin
\t\t-n\t\tSuppress name/port resolutions
\t\t-O length\tTCP send buffer length
\t\t-P proxyuser\tUsername for proxy authentication
\t\t-p port\t\tSpecify local port for remote connects
\t\t-q secs\t\tquit after EOF on stdin and delay of secs
\t\t-r\t\tRandomize remote ports
\t\t-S\t\tEnable the TCP MD5 signature option
\t\t-s sourceaddr\tLocal source address
\t\t-T keyword\tTOS value
\t\t-t\t\tAnswer TELNET negotiation
\t\t-U\t\tUse UNIX domain socket
\t\t-u\t\tUDP mode
\t\t-V rtable\tSpecify alternate routing table
\t\t-v\t\tVerbose
\t\t-W recvlimit\tTerminate after receiving a number of packets
\t\t-w timeout\tTimeout for connects and final net reads
\t\t-X proto\tProxy protocol: "4", "5" (SOCKS) or "connect"
\t\t-x addr[:port]\tSpecify proxy address and port
\t\t-Z\t\tDCCP mode
\t\t-z\t\tZero-I/O mode [used for scanning]
\tPort numbers can be individual or ranges: lo-hi [inclusive]
`;

/** How long a connection may stay silent, with nothing left to send, before knetlab stops nc (the real one waits on). */
const IDLE_STOP_MS = 30_000;

interface NcOptions {
  zero: boolean;
  verbose: boolean;
  numeric: boolean;
  shutdownOnEof: boolean;
  /** -q: seconds to linger after stdin's end; undefined waits for the peer (Debian's default, -1). */
  quitAfter?: number;
  /** -w: seconds, for the connect and then for idle reads. */
  timeout?: number;
  sport?: number;
  src?: number;
}

class NcExit extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

export const nc: Command = (args, proc) => {
  try {
    return run(args, proc);
  } catch (e) {
    if (!(e instanceof NcExit)) throw e;
    proc.stderr(e.text);
    return 1;
  }
};

function run(args: readonly string[], proc: Proc): number {
  const parsed = getopt('nc', args, OPTSTRING);
  if ('error' in parsed) throw new NcExit(`${getoptMessage(parsed.error, parsed.opt, proc)}\n${NC_USAGE}`);
  const o: NcOptions = { zero: false, verbose: false, numeric: false, shutdownOnEof: false };
  let listen = false;
  for (const { opt, arg } of parsed.options) {
    switch (opt) {
      case '4':
        break;
      case 'z':
        o.zero = true;
        break;
      case 'v':
        o.verbose = true;
        break;
      case 'n':
        o.numeric = true;
        break;
      case 'N':
        o.shutdownOnEof = true;
        break;
      case 'l':
        listen = true;
        break;
      case 'h':
        proc.stderr(NC_HELP);
        return 0;
      case 'q':
        o.quitAfter = strtonum(arg!, -2147483648, 2147483647, 'quit timer');
        if (o.quitAfter < 0) delete o.quitAfter;
        break;
      case 'w':
        o.timeout = strtonum(arg!, 0, 100_000_000, 'timeout');
        break;
      case 'p':
        o.sport = portNumber(arg!);
        break;
      case 's': {
        const a = parseIpv4(arg!);
        if (a === undefined) {
          proc.stderr(`knetlab: nc -s takes an IPv4 address here\n`);
          return 1;
        }
        o.src = a;
        break;
      }
      default:
        proc.stderr(`knetlab: nc -${opt} is not emulated (emulated: -4 -n -N -p -q -s -v -w -z)\n`);
        return 1;
    }
  }
  if (listen && o.zero) throw new NcExit('nc: cannot use -z and -l\n');
  if (listen) {
    proc.stderr('knetlab: nc -l is not emulated: nc connects as a client only\n');
    return 1;
  }
  const [host, ...portArgs] = parsed.operands;
  if (host === undefined) throw new NcExit(NC_USAGE);
  if (portArgs.length === 0) throw new NcExit('nc: missing port number\n');
  const ports = portArgs.flatMap(portList);

  if (o.numeric && parseIpv4(host) === undefined) {
    throw new NcExit(
      `nc: getaddrinfo for host "${host}" port ${ports[0]}: ${gaiStrerror({ addrs: [], error: 'NOTFOUND', queries: [] }, libcOf(proc))}\n`,
    );
  }
  const found = lookupHost(proc, host, 'unspec');
  if (found.addrs.length === 0)
    throw new NcExit(`nc: getaddrinfo for host "${host}" port ${ports[0]}: ${gaiStrerror(found, libcOf(proc))}\n`);
  const addrs = [...found.addrs];

  let status = 1;
  for (const port of ports) {
    const conn = connectAny(proc, host, addrs, port, o);
    if (!conn) continue;
    status = 0;
    if (o.verbose) {
      const shown = !o.numeric && host !== conn.ip ? `${host} (${conn.ip})` : host;
      proc.stderr(`Connection to ${shown} ${port} port [tcp/${(!o.numeric && serviceName(port, 'tcp')) || '*'}] succeeded!\n`);
    }
    if (o.zero) conn.close();
    else return readWrite(proc, conn, o);
  }
  return status;
}

/** An established connection and what arrives on it. */
interface Open {
  readonly ip: string;
  readonly received: Uint8Array[];
  ended: boolean;
  failed?: string;
  send(data: Uint8Array): void;
  close(): void;
}

/** remote_connect(): each address in turn until one connects; -v warns of each failure. */
function connectAny(proc: Proc, host: string, addrs: readonly string[], port: number, o: NcOptions): Open | undefined {
  const clock = proc.ns.kernel.clock;
  for (const ip of addrs) {
    const shown = !o.numeric && host !== ip ? `${host} (${ip})` : ip;
    const warn = (what: string) => {
      if (o.verbose) proc.stderr(`nc: connect to ${shown} port ${port} (tcp) ${what}\n`);
    };
    const state: { connected: boolean; errno?: string; open?: Open } = { connected: false };
    const received: Uint8Array[] = [];
    let conn;
    try {
      conn = tcpOf(proc.ns).connect(
        parseIpv4(ip)!,
        port,
        { ...(o.src === undefined ? {} : { src: o.src }), ...(o.sport === undefined ? {} : { sport: o.sport }) },
        {
          onConnect: () => {
            state.connected = true;
          },
          onData: (_c, d) => {
            received.push(d);
          },
          onEnd: () => {
            if (state.open) state.open.ended = true;
          },
          onError: (_c, e) => {
            state.errno = e;
            if (state.open) state.open.failed = e;
          },
        },
      );
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      warn(`failed: ${STRERROR[e.errno]}`);
      continue;
    }
    const limit = o.timeout === undefined ? Number.POSITIVE_INFINITY : clock.now() + o.timeout * 1000;
    for (
      let next = clock.nextAt();
      !state.connected && state.errno === undefined && next !== undefined && next <= limit;
      next = clock.nextAt()
    )
      clock.runUntil(next);
    if (state.connected) {
      const c = conn;
      const open: Open = {
        ip,
        received,
        ended: false,
        send: (d) => c.send(d),
        close: () => c.close(),
      };
      state.open = open;
      return open;
    }
    if (state.errno !== undefined) warn(`failed: ${STRERROR[state.errno as Errno]}`);
    else {
      if (Number.isFinite(limit)) clock.runUntil(limit);
      conn.fail('ETIMEDOUT');
      warn('timed out: Operation now in progress');
    }
  }
  return undefined;
}

/** readwrite(): stdin to the network, the network to stdout, until the peer ends it or a timer does. */
function readWrite(proc: Proc, conn: Open, o: NcOptions): number {
  const clock = proc.ns.kernel.clock;
  const stdin = proc.stdin ?? new Uint8Array(0);
  if (stdin.length) conn.send(stdin);
  // stdin has ended: -N sends FIN now
  if (o.shutdownOnEof) conn.close();
  const quitAt = o.quitAfter === undefined ? Number.POSITIVE_INFINITY : clock.now() + o.quitAfter * 1000;
  let lastActivity = clock.now();
  let seen = 0;
  const idleLimit = () => lastActivity + (o.timeout === undefined ? IDLE_STOP_MS : o.timeout * 1000);
  const flush = () => {
    for (; seen < conn.received.length; seen++) {
      proc.stdout(new TextDecoder().decode(conn.received[seen]));
      lastActivity = clock.now();
    }
  };
  for (;;) {
    flush();
    if (conn.ended || conn.failed !== undefined || proc.signal?.aborted) break;
    const until = Math.min(quitAt, idleLimit());
    const next = clock.nextAt();
    if (next === undefined || next > until) {
      clock.runUntil(until);
      flush();
      if (conn.ended || conn.failed !== undefined) break;
      if (clock.now() >= quitAt || o.timeout !== undefined) break;
      if (clock.now() >= idleLimit()) {
        proc.stderr(`knetlab: nc would wait until interrupted; stopped after ${IDLE_STOP_MS / 1000} s with nothing to read\n`);
        break;
      }
      continue;
    }
    clock.runUntil(next);
  }
  conn.close();
  if (proc.signal?.aborted) return 130;
  return 0;
}

/** The port list's entries: a port, a service name, or lo-hi (either order, as nc swaps them). */
function portList(arg: string): number[] {
  const dash = arg.indexOf('-');
  if (dash < 0) return [portNumber(arg)];
  let lo = portNumber(arg.slice(0, dash));
  let hi = portNumber(arg.slice(dash + 1));
  if (lo > hi) [lo, hi] = [hi, lo];
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** strtoport(): a number in 1..65535, or a TCP service name. */
function portNumber(text: string): number {
  if (/^[+-]?\d+$/.test(text)) {
    const n = Number(text);
    if (n < 1) throw new NcExit(`nc: port number too small: ${text}\n`);
    if (n > 65535) throw new NcExit(`nc: port number too large: ${text}\n`);
    return n;
  }
  const named = servicePort(text, 'tcp');
  if (named === undefined) throw new NcExit(`nc: port number invalid: ${text}\n`);
  return named;
}

/** strtonum(3) as nc reports it: `nc: WHAT invalid: TEXT` (or too small / too large). */
function strtonum(text: string, min: number, max: number, what: string): number {
  if (!/^[ \t]*[+-]?\d+$/.test(text)) throw new NcExit(`nc: ${what} invalid: ${text}\n`);
  const n = Number(text);
  if (n < min) throw new NcExit(`nc: ${what} too small: ${text}\n`);
  if (n > max) throw new NcExit(`nc: ${what} too large: ${text}\n`);
  return n;
}

/** getopt's complaint in the image's C library's words: glibc's, or musl's (`nc: unrecognized option: y`). */
function getoptMessage(glibc: string, opt: string, proc: Proc): string {
  if (libcOf(proc) !== 'musl') return glibc;
  return glibc.includes('requires an argument') ? `nc: option requires an argument: ${opt}` : `nc: unrecognized option: ${opt}`;
}
