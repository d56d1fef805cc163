// traefik/whoami v1.11.0 (app.go), the image's entrypoint `/whoami`: a Go net/http server on :80
// (`--port` / WHOAMI_PORT_NUMBER, which the image starter passes as --port) whose `/` handler
// answers, as text/plain: `Name:` (with --name), `Hostname:`, one `IP:` per address of every
// interface in interface order, `RemoteAddr: ip:port`, then the request as Go's Request.Write
// re-serialises it (request line with HTTP/1.1, Host, User-Agent, the other fields sorted by
// name, CRLF line ends). `/health` answers 200 with no body; `/api`, `/data`, `/echo` and
// `/bench` are not emulated and say so. HTTP/1.1 connections stay open until the client closes.
// The IPv6 lines are the addresses `ip addr` shows (::1 on lo, the EUI-64 fe80:: of eth0's MAC).
import { formatIpv4 } from '../../wire/index.js';
import { KernelError, tcpOf, type TcpConn } from '../../kernel/index.js';
import type { Command, Proc } from '../proc.js';
import { ipv6AddrsOf } from '../iproute2/facts.js';
import { bytes, clfTime, goLogTime, header, imfFixdate, keepAlive, RequestReader, type HttpRequest } from './request.js';

/** textproto.CanonicalMIMEHeaderKey: `user-agent` → `User-Agent`. */
function canonical(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** Go's Request.Write of a request the server received. */
function requestWrite(r: HttpRequest): string {
  const excluded = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);
  let out = `${r.method || 'GET'} ${r.target} HTTP/1.1\r\nHost: ${header(r, 'Host') ?? ''}\r\n`;
  out += `User-Agent: ${header(r, 'User-Agent') ?? 'Go-http-client/1.1'}\r\n`;
  if (r.body.length > 0) out += `Content-Length: ${r.body.length}\r\n`;
  // Header.write: keys sorted, each key's values in the order received.
  const fields = new Map<string, string[]>();
  for (const [k, v] of r.headers) {
    const key = canonical(k);
    if (excluded.has(key)) continue;
    fields.set(key, [...(fields.get(key) ?? []), v]);
  }
  for (const key of [...fields.keys()].sort()) for (const v of fields.get(key)!) out += `${key}: ${v}\r\n`;
  return `${out}\r\n${r.body}`;
}

function whoamiBody(proc: Proc, c: TcpConn, r: HttpRequest, name: string): string {
  let out = name === '' ? '' : `Name: ${name}\n`;
  out += `Hostname: ${proc.hostname ?? proc.host.name}\n`;
  // net.Interfaces() then each one's Addrs(): one RTM_GETADDR dump, IPv4 before IPv6 (the families' order).
  for (const link of proc.ns.links()) {
    for (const a of proc.ns.addrsOf(link)) out += `IP: ${formatIpv4(a.local)}\n`;
    for (const a of ipv6AddrsOf(link)) out += `IP: ${a.addr}\n`;
  }
  out += `RemoteAddr: ${formatIpv4(c.remote)}:${c.rport}\n`;
  return out + requestWrite(r);
}

/** Go's response: status line, then net/http's extraHeader order: Date, Content-Length, Content-Type, Connection. */
function response(proc: Proc, status: string, body: string, r: HttpRequest): string {
  const type = body === '' ? '' : 'Content-Type: text/plain; charset=utf-8\r\n';
  const close = keepAlive(r) || r.proto !== 'HTTP/1.1' ? '' : 'Connection: close\r\n';
  return `HTTP/1.1 ${status}\r\nDate: ${imfFixdate(proc.ns.kernel.wallClock())}\r\nContent-Length: ${body.length}\r\n${type}${close}\r\n${r.method === 'HEAD' ? '' : body}`;
}

const USAGE = `Usage of /whoami:
  -cacert string
    \tgive me a CA chain, enforces mutual TLS
  -cert string
    \tgive me a certificate
  -key string
    \tgive me a key
  -name string
    \tgive me a name
  -port string
    \tgive me a port number (default "80")
  -verbose
    \tEnable verbose logging
`;

export const whoami: Command = (args, proc) => {
  let port = '80';
  let name = '';
  let verbose = false;
  // Go's flag package: -flag, --flag, -flag=value, -flag value; parsing stops at the first non-flag.
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') break;
    const [flag, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => inline ?? args[++i];
    if (flag === 'port') port = value() ?? '';
    else if (flag === 'name') name = value() ?? '';
    else if (flag === 'verbose') verbose = inline === undefined || inline === 'true';
    else if (flag === 'cert' || flag === 'key' || flag === 'cacert') {
      proc.stderr('knetlab: whoami with TLS (--cert/--key/--cacert) is not emulated\n');
      return 1;
    } else {
      proc.stderr(`flag provided but not defined: -${flag}\n${USAGE}`);
      return 2;
    }
  }
  const now = () => proc.ns.kernel.wallClock();
  const n = Number(port);
  if (!/^\d+$/.test(port) || n > 65535) {
    proc.stderr(`${goLogTime(now())} Starting up on port ${port}\n${goLogTime(now())} listen tcp: address ${port}: invalid port\n`);
    return 1;
  }
  try {
    tcpOf(proc.ns).listen(n, 0, () => {
      const reader = new RequestReader();
      return {
        onData(c: TcpConn, data: Uint8Array) {
          for (const r of reader.push(data)) {
            const path = r.target.split('?')[0]!;
            const text = path === '/health' ? response(proc, '200 OK', '', r)
              : ['/api', '/data', '/echo', '/bench'].includes(path) ? response(proc, '501 Not Implemented', `knetlab: whoami ${path} is not emulated\n`, r)
              : response(proc, '200 OK', whoamiBody(proc, c, r, name), r);
            c.send(bytes(text));
            // <remote_IP_address> - - [<timestamp>] "<method> <path> <proto>" - -
            if (verbose) proc.stderr(`${goLogTime(now())} ${formatIpv4(c.remote)}:${c.rport} - - [${clfTime(now())}] "${r.method} ${path} ${r.proto}" - -\n`);
            if (!keepAlive(r)) c.close();
          }
        },
        onEnd(c: TcpConn) {
          c.close();
        },
      };
    });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr(`${goLogTime(now())} Starting up on port ${port}\n${goLogTime(now())} listen tcp :${port}: bind: address already in use\n`);
    return 1;
  }
  proc.daemon?.(() => tcpOf(proc.ns).unlisten(n));
  // log.Printf writes to stderr.
  proc.stderr(`${goLogTime(now())} Starting up on port ${port}\n`);
  return 0;
};
