// traefik/whoami v1.11.0 (app.go, content.go), the image's entrypoint `/whoami`: a Go net/http
// server on :80 (`--port` / WHOAMI_PORT_NUMBER, which the image starter passes as --port). `/`
// answers, as text/plain: `Name:` (with --name), `Hostname:`, one `IP:` per address of every
// interface in interface order (IPv6 as `ip addr` shows it: ::1, eth0's fe80::), `RemoteAddr:
// ip:port`, then the request as Go's Request.Write re-serialises it (request line with HTTP/1.1
// whatever the request's, Host, User-Agent, `Connection: close` for a request the server closes
// after, the other fields sorted by name, CRLF line ends); the status line is the request's
// version (HTTP/1.0 for curl -0, then closed unless it asked for keep-alive); `?wait=DURATION` answers
// that much virtual time later. `/api` (the same as JSON), `/bench` (`1`), `/data?size=N[&unit=]`
// (content.go's `|-ABC…|`, up to the 2048 bytes Go sends unchunked), `/health` (GET: the status
// code, 200 until a POST sets another). Not emulated, and said so with 501: `/echo` (WebSocket),
// `?env=true`, larger /data. HTTP/1.1 connections stay open until the client closes.
import { formatIpv4, goHttpResponse } from '../../wire/index.js';
import { KernelError, tcpOf, type TcpConn } from '../../kernel/index.js';
import type { Command, Proc } from '../proc.js';
import { ipv6AddrsOf } from '../iproute2/facts.js';
import { bytes, clfTime, goLogTime, header, keepAlive, RequestReader, type HttpRequest } from './request.js';

/** textproto.CanonicalMIMEHeaderKey: `user-agent` → `User-Agent`. */
function canonical(name: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

/** Whether a Connection field's comma-separated values hold `token` (httpguts.HeaderValuesContainsToken). */
function hasToken(r: HttpRequest, token: string): boolean {
  return r.headers.some(([k, v]) => k.toLowerCase() === 'connection' && v.split(',').some((t) => t.trim().toLowerCase() === token));
}

/**
 * Go's Request.Write of a request the server received: always `HTTP/1.1`; Host; User-Agent (Go's
 * own when the request had none, no line when it had an empty one); the transfer writer's
 * `Connection: close` when the server will close after this request (shouldClose: HTTP/1.0 without
 * keep-alive, or a close token) and the request's own Connection field does not say close, then its
 * Content-Length (a body, or a method other than GET and HEAD); the other fields sorted.
 */
function requestWrite(r: HttpRequest): string {
  const excluded = new Set(['Host', 'User-Agent', 'Content-Length', 'Transfer-Encoding', 'Trailer']);
  let out = `${r.method || 'GET'} ${r.target} HTTP/1.1\r\nHost: ${header(r, 'Host') ?? ''}\r\n`;
  const agent = header(r, 'User-Agent') ?? 'Go-http-client/1.1';
  if (agent !== '') out += `User-Agent: ${agent}\r\n`;
  const willClose = hasToken(r, 'close') || (r.proto === 'HTTP/1.0' && !hasToken(r, 'keep-alive'));
  if (willClose && !hasToken(r, 'close')) out += 'Connection: close\r\n';
  if (r.body.length > 0 || !['GET', 'HEAD'].includes(r.method || 'GET')) out += `Content-Length: ${r.body.length}\r\n`;
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
  for (const ip of ips(proc)) out += `IP: ${ip}\n`;
  out += `RemoteAddr: ${formatIpv4(c.remote)}:${c.rport}\n`;
  return out + requestWrite(r);
}

/** Go's response to `r` (wire/http.ts); `handlerType` is a Content-Type the handler sets itself. */
function response(proc: Proc, status: number, body: string, r: HttpRequest, handlerType?: string): string {
  return goHttpResponse({
    status,
    body,
    ...(handlerType === undefined ? {} : { headers: { 'Content-Type': handlerType } }),
    date: proc.ns.kernel.wallClock(),
    close: !keepAlive(r) && r.proto === 'HTTP/1.1',
    // HTTP/1.0: an HTTP/1.0 status line; keep-alive answered as such (the body's length is known)
    ...(r.proto === 'HTTP/1.0' ? { http10: { keepAlive: keepAlive(r) } } : {}),
    head: r.method === 'HEAD',
  });
}

/** Go's time.ParseDuration (`1s`, `500ms`, `1m30s`), in ms; undefined when it does not parse. */
function goDuration(s: string): number | undefined {
  const m = /^([+-])?((?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s);
  if (s === '0') return 0;
  if (!m) return undefined;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) total += parseFloat(part[1]!) * unit[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

/** encoding/json's string: HTML-sensitive characters escaped as \u003c (SetEscapeHTML's default). */
function goJsonString(v: string): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The interface addresses getIPs() returns, in its order. */
function ips(proc: Proc): string[] {
  const out: string[] = [];
  // net.Interfaces() then each one's Addrs(): one RTM_GETADDR dump, IPv4 before IPv6 (the families' order).
  for (const link of proc.ns.links()) {
    for (const a of proc.ns.addrsOf(link)) out.push(formatIpv4(a.local));
    for (const a of ipv6AddrsOf(link)) out.push(a.addr);
  }
  return out;
}

/** apiHandler: the Data struct as json.Encoder writes it (omitempty name and environ; r.Header without Host, keys sorted). */
function apiBody(proc: Proc, c: TcpConn, r: HttpRequest, name: string): string {
  const headers = new Map<string, string[]>();
  for (const [k, v] of r.headers) {
    const key = canonical(k);
    if (key === 'Host') continue;
    headers.set(key, [...(headers.get(key) ?? []), v]);
  }
  const fields = [
    `"hostname":${goJsonString(proc.hostname ?? proc.host.name)}`,
    `"ip":[${ips(proc).map(goJsonString).join(',')}]`,
    ...(headers.size
      ? [
          `"headers":{${[...headers.keys()]
            .sort()
            .map((k) => `${goJsonString(k)}:[${headers.get(k)!.map(goJsonString).join(',')}]`)
            .join(',')}}`,
        ]
      : []),
    `"url":${goJsonString(r.target)}`,
    `"host":${goJsonString(header(r, 'Host') ?? '')}`,
    `"method":${goJsonString(r.method)}`,
    ...(name === '' ? [] : [`"name":${goJsonString(name)}`]),
    `"remoteAddr":${goJsonString(`${formatIpv4(c.remote)}:${c.rport}`)}`,
  ];
  return `{${fields.join(',')}}\n`;
}

/** dataHandler's contentReader: `|`, the charset from position 1, `|` at the end; size 1 or less is empty. */
function dataBody(size: number): string {
  if (size <= 1) return '';
  const charset = '-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let out = '|';
  for (let i = 1; i < size - 1; i++) out += charset[i % charset.length];
  return `${out}|`;
}

/** Go's server writes a response of more than 2048 bytes chunked, which knetlab's curl does not read. */
const UNCHUNKED_MAX = 2048;

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
  /** currentHealthState: what GET /health answers; POST /health sets it. */
  let health = 200;
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
            const [path, query = ''] = r.target.split('?', 2) as [string, string?];
            const params = new URLSearchParams(query);
            let status = 200;
            let text: string;
            if (path === '/health') {
              if (r.method === 'POST') {
                const code = /^\s*(\d+)\s*$/.exec(r.body)?.[1];
                if (code === undefined)
                  text = response(
                    proc,
                    501,
                    "knetlab: whoami POST /health takes a status code (json.Decoder's errors for other bodies are not emulated)\n",
                    r,
                  );
                else {
                  health = Number(code);
                  proc.stdout(`Update health check status code [${health}]\n`);
                  text = response(proc, 200, '', r);
                }
              } else text = response(proc, health, '', r);
            } else if (path === '/api') text = response(proc, status, apiBody(proc, c, r, name), r, 'application/json');
            else if (path === '/bench') text = response(proc, status, '1', r, 'text/plain');
            else if (path === '/data') {
              const n = Number.parseInt(params.get('size') ?? '', 10);
              const unit = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 }[(params.get('unit') ?? '').toLowerCase()] ?? 1;
              const size = (Number.isNaN(n) ? 1 : Math.max(0, n)) * unit;
              text =
                size > UNCHUNKED_MAX || params.get('attachment') !== null
                  ? response(
                      proc,
                      501,
                      `knetlab: whoami /data of more than ${UNCHUNKED_MAX} bytes (chunked) or as an attachment is not emulated\n`,
                      r,
                    )
                  : response(proc, status, dataBody(size), r);
            } else if (path === '/echo') text = response(proc, 501, 'knetlab: whoami /echo (WebSocket) is not emulated\n', r);
            else {
              status = 200;
              text = response(proc, status, whoamiBody(proc, c, r, name), r);
              if (params.get('env') !== null && /^(1|t|T|TRUE|true|True)$/.test(params.get('env')!)) {
                text = response(proc, 501, 'knetlab: whoami ?env=true (the container environment) is not emulated\n', r);
              }
            }
            const wait =
              path === '/' || !['/health', '/api', '/bench', '/data', '/echo'].includes(path)
                ? goDuration(params.get('wait') ?? '')
                : undefined;
            const send = () => {
              c.send(bytes(text));
              // <remote_IP_address> - - [<timestamp>] "<request_method> <request_path> <request_protocol>" -
              if (verbose)
                proc.stderr(
                  `${goLogTime(now())} ${formatIpv4(c.remote)}:${c.rport} - - [${clfTime(now())}] "${r.method} ${path} ${r.proto}" - -\n`,
                );
              if (!keepAlive(r)) c.close();
            };
            // ?wait=1s: time.Sleep before the handler writes (the response is made after it, with its Date)
            if (wait !== undefined && wait > 0) {
              proc.ns.kernel.clock.schedule(wait, () => {
                text = response(proc, status, whoamiBody(proc, c, r, name), r);
                send();
              });
            } else send();
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
