// registry.k8s.io/serve_hostname (kubernetes test/images/serve-hostname/serve_hostname.go), the
// image "Debug Services" runs: Go's flag package reads -tcp, -udp (default false), -http (default
// true) and -port (default 9376). HTTP: every path answers the pod's hostname, without a newline,
// through net/http (Date, Content-Length, the sniffed text/plain type), logging `HTTP request from
// IP:PORT`; -tcp writes the hostname and closes each connection (`TCP request from …`). Go's log
// package writes to stderr with its date prefix. Coarse: -udp is refused as not emulated.
import { formatIpv4, goHttpResponse } from '../../wire/index.js';
import { KernelError, tcpOf, type TcpConn } from '../../kernel/index.js';
import type { Command, Proc } from '../proc.js';
import { bytes, goLogTime, keepAlive, RequestReader } from './request.js';

const USAGE = `Usage of /serve_hostname:
  -http
    \tServe HTTP. (default true)
  -port int
    \tPort number. (default 9376)
  -tcp
    \tServe raw over TCP.
  -udp
    \tServe raw over UDP.
`;

interface Flags {
  tcp: boolean;
  udp: boolean;
  http: boolean;
  port: number;
}

/** Go's flag.Parse over serve_hostname's flags, or the message and status it exits with. */
function parseFlags(args: readonly string[]): Flags | { error: string; status: number } {
  const f: Flags = { tcp: false, udp: false, http: true, port: 9376 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') break;
    const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    if (name === 'h' || name === 'help') return { error: USAGE, status: 0 };
    if (name === 'tcp' || name === 'udp' || name === 'http') {
      // strconv.ParseBool
      const v = inline ?? 'true';
      if (!/^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(v))
        return { error: `invalid boolean value "${v}" for -${name}: parse error\n${USAGE}`, status: 2 };
      f[name] = /^(1|t|T|TRUE|true|True)$/.test(v);
    } else if (name === 'port') {
      const v = inline ?? args[++i];
      if (v === undefined) return { error: `flag needs an argument: -port\n${USAGE}`, status: 2 };
      if (!/^[+-]?\d+$/.test(v)) return { error: `invalid value "${v}" for flag -port: parse error\n${USAGE}`, status: 2 };
      f.port = Number(v);
    } else return { error: `flag provided but not defined: -${name}\n${USAGE}`, status: 2 };
  }
  return f;
}

function log(proc: Proc, text: string): void {
  proc.stderr(`${goLogTime(proc.ns.kernel.wallClock())} ${text}\n`);
}

export const serveHostname: Command = (args, proc) => {
  const f = parseFlags(args);
  if ('error' in f) {
    (f.status === 0 ? proc.stdout : proc.stderr)(f.error);
    return f.status;
  }
  if (f.http && (f.tcp || f.udp)) {
    log(proc, "Can't server TCP/UDP mode and HTTP mode at the same time");
    return 1;
  }
  if (f.udp) {
    proc.stderr('knetlab: serve_hostname -udp is not emulated\n');
    return 1;
  }
  const hostname = proc.hostname ?? proc.host.name;
  const remote = (c: TcpConn) => `${formatIpv4(c.remote)}:${c.rport}`;
  const port = f.port;
  if (f.tcp || f.http) {
    if (port < 0 || port > 65535) {
      log(proc, `${f.tcp ? 'Error from net.Listen(): ' : ''}listen tcp: address ${port}: invalid port`);
      return 1;
    }
    try {
      tcpOf(proc.ns).listen(port, 0, (accepted) => {
        // accepted once established: the raw server writes the name and closes at once
        if (f.tcp) {
          log(proc, `TCP request from ${remote(accepted)}`);
          accepted.send(bytes(hostname));
          accepted.close();
          return {};
        }
        const reader = new RequestReader();
        return {
          onData(c: TcpConn, data: Uint8Array) {
            for (const r of reader.push(data)) {
              log(proc, `HTTP request from ${remote(c)}`);
              const close = !keepAlive(r);
              c.send(
                bytes(
                  goHttpResponse({
                    status: 200,
                    body: hostname,
                    date: proc.ns.kernel.wallClock(),
                    close: close && r.proto === 'HTTP/1.1',
                    ...(r.proto === 'HTTP/1.0' ? { http10: { keepAlive: !close } } : {}),
                    head: r.method === 'HEAD',
                  }),
                ),
              );
              if (close) c.close();
            }
          },
          onEnd: (c: TcpConn) => c.close(),
        };
      });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      log(proc, `${f.tcp ? 'Error from net.Listen(): ' : ''}listen tcp :${port}: bind: address already in use`);
      return 1;
    }
  }
  log(proc, `Serving on port ${port}.`);
  proc.daemon?.(() => tcpOf(proc.ns).unlisten(port));
  return 0;
};
