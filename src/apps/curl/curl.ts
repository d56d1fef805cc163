// curl (7.88) for http:// and https:// URLs over the emulated TCP: a GET (or HEAD with -I), the
// response body on stdout, and curl's own error messages and exit codes (7 cannot connect, 28
// timeout, 6 cannot resolve, 60 a certificate it cannot verify). TLS is coarse (wire/tls.ts): no
// handshake and no certificates, so every server's certificate is taken as one curl cannot verify
// unless -k/--insecure or --cacert (any file: trusted, not read) is given; the request is sent even
// when verification then fails, where real curl stops after the handshake. -s silences the errors (-S brings them back). The progress meter real
// curl draws on a non-terminal stderr without -s is not emulated.
import { formatIpv4, parseIpv4, tlsUnwrap, tlsWrap } from '../../wire/index.js';
import { KernelError } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { tcpRequest } from '../tcp-request.js';
import { CurlParamError, localPortParam, parseCurlArgs, secondsParam } from './args.js';
import { lookupHost } from '../dns/resolver.js';

function resolveHost(proc: Proc, host: string): number | undefined {
  const literal = parseIpv4(host);
  if (literal !== undefined) return literal;
  const first = lookupHost(proc, host).addrs[0];
  return first === undefined ? undefined : parseIpv4(first);
}

interface CurlArgs {
  url: string;
  silent: boolean;
  showError: boolean;
  head: boolean;
  include: boolean;
  output?: string;
  writeOut?: string;
  localPort?: number;
  maxTime?: number;
  connectTimeout?: number;
  /** -H, in the order given. */
  headers: string[];
  /** -X: the request's method. */
  method?: string;
  /** -d/--data-raw: the body, sent with POST (pieces joined by &, as curl does). */
  data?: string;
  /** -k: the server's certificate is not verified. */
  insecure?: boolean;
  /** --cacert FILE: the CA to verify with (taken as the server's). */
  cacert?: string;
  /** -0/--http1.0: an HTTP/1.0 request line (no Connection field of curl's own). */
  http10?: boolean;
}

/** tool_operate.c's CURL_CA_CERT_ERRORMSG in 7.88, printed after a (60). */
const CA_CERT_ERRORMSG =
  'More details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n';

const TRY = "curl: try 'curl --help' or 'curl --manual' for more information";
/** Options that change nothing knetlab does: IPv4 is all there is; -q only skips a config file. */
const NO_EFFECT = new Set(['ipv4', 'disable']);

function parse(args: readonly string[]): CurlArgs | string {
  const a: Partial<CurlArgs> & { head: boolean; include: boolean; silent: boolean; showError: boolean; headers: string[] } = {
    head: false,
    include: false,
    silent: false,
    showError: false,
    headers: [],
  };
  // curl alone prints only the hint (tool_main.c).
  if (args.length === 0) return TRY;
  let urls: string[];
  try {
    urls = parseCurlArgs(args, (o) => {
      const on = o.off !== true;
      switch (o.name) {
        case 'silent':
          a.silent = on;
          break;
        case 'show-error':
          a.showError = on;
          break;
        case 'head':
          a.head = on;
          break;
        case 'include':
          a.include = on;
          break;
        case 'output':
          a.output = o.arg;
          break;
        case 'write-out':
          a.writeOut = o.arg;
          break;
        case 'local-port':
          a.localPort = localPortParam(o);
          break;
        case 'max-time':
          a.maxTime = secondsParam(o);
          break;
        case 'connect-timeout':
          a.connectTimeout = secondsParam(o);
          break;
        case 'url':
          a.url = o.arg;
          break;
        case 'insecure':
          a.insecure = on;
          break;
        case 'cacert':
          a.cacert = o.arg;
          break;
        case 'http1.0':
        case 'http1.1':
          a.http10 = o.name === 'http1.0';
          break;
        case 'header':
          a.headers.push(o.arg!);
          break;
        case 'request':
          a.method = o.arg;
          break;
        case 'data':
        case 'data-raw':
        case 'data-ascii':
          // curl strips CR and LF from --data and --data-ascii (not --data-raw); @file is not emulated
          if (o.name !== 'data-raw' && o.arg!.startsWith('@')) throw new NotEmulated(`${o.name} @file`);
          a.data = a.data === undefined ? o.arg! : `${a.data}&${o.arg!}`;
          if (o.name !== 'data-raw') a.data = a.data.replace(/[\r\n]/g, '');
          break;
        default:
          if (!NO_EFFECT.has(o.name)) throw new NotEmulated(o.name);
      }
    });
  } catch (e) {
    if (e instanceof NotEmulated) return `knetlab: curl --${e.option} is not emulated`;
    if (!(e instanceof CurlParamError)) throw e;
    return `${e.message}\n${TRY}`;
  }
  if (a.url !== undefined) urls.unshift(a.url);
  if (urls.length === 0) return `curl: no URL specified!\n${TRY}`;
  if (urls.length > 1) return 'knetlab: curl with more than one URL is not emulated';
  a.url = urls[0];
  return a as CurlArgs;
}

class NotEmulated extends Error {
  constructor(readonly option: string) {
    super(option);
  }
}

export function curl(args: readonly string[], proc: Proc): number {
  const a = parse(args);
  if (typeof a === 'string') {
    proc.stderr(`${a}\n`);
    return 2;
  }
  const scheme = /^(https?):\/\//i.exec(a.url)?.[1]?.toLowerCase();
  const m = /^(?:https?:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/i.exec(a.url);
  if (!m) {
    proc.stderr(`curl: (3) URL using bad/illegal format or missing URL\n`);
    return 3;
  }
  const tls = scheme === 'https';
  const host = m[1]!;
  const port = m[2] ? Number(m[2]) : tls ? 443 : 80;
  const path = m[3] ?? '/';
  // curl resolves `localhost` to the loopback itself, without asking the resolver.
  // Any other name goes through the C library's resolver (getaddrinfo, AF_UNSPEC): /etc/hosts, then DNS.
  const dst = host.toLowerCase() === 'localhost' ? parseIpv4('127.0.0.1') : resolveHost(proc, host);
  // With -s, errors are silent unless -S; -w still reports (http_code 000 when nothing came back).
  const report = (status: number, message: string, code = '000'): number => {
    if (!a.silent || a.showError) proc.stderr(`${message}\n`);
    if (a.writeOut !== undefined) proc.stdout(writeOut(a.writeOut, code, dst));
    return status;
  };
  if (dst === undefined) return report(6, `curl: (6) Could not resolve host: ${host}`);
  const clock = proc.ns.kernel.clock;
  const start = clock.now();
  // curl 7.88 names its own result (CURLE_COULDNT_CONNECT), whatever errno connect() gave.
  const fail = (errno: string, at: number): string =>
    errno === 'ETIMEDOUT'
      ? `curl: (28) Failed to connect to ${host} port ${port} after ${Math.floor(at - start)} ms: Couldn't connect to server`
      : `curl: (7) Failed to connect to ${host} port ${port} after ${Math.floor(at - start)} ms: Couldn't connect to server`;
  const request = (): Uint8Array => {
    const method = a.method ?? (a.head ? 'HEAD' : a.data !== undefined ? 'POST' : 'GET');
    const body = new TextEncoder().encode(a.data ?? '');
    const extra =
      a.data === undefined
        ? []
        : [
            `Content-Length: ${body.length}`,
            ...(a.headers.some((h) => /^content-type\s*:/i.test(h)) ? [] : ['Content-Type: application/x-www-form-urlencoded']),
          ];
    const req = `${method} ${path} ${a.http10 ? 'HTTP/1.0' : 'HTTP/1.1'}\r\n${requestHeaders(`${host}${m[2] ? `:${port}` : ''}`, [...a.headers, ...extra])}\r\n`;
    const plain = new Uint8Array([...new TextEncoder().encode(req), ...body]);
    return tls ? tlsWrap(plain) : plain;
  };
  let r;
  try {
    // A kept-alive HTTP/1.1 response ends at its Content-Length (or its head, for HEAD): curl is
    // done then and closes the connection itself.
    r = tcpRequest(proc.ns, dst, port, request, {
      sport: a.localPort,
      timeoutMs: 1000 * (a.maxTime ?? a.connectTimeout ?? 300),
      complete: (data) => complete(tls ? (tlsUnwrap(data)?.plain ?? new Uint8Array(0)) : data, a.head === true),
    });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return report(7, fail(e.errno, clock.now()));
  }
  if (!r.connected && r.errno !== undefined) {
    const error = fail(r.errno, r.endedAt);
    return report(error.startsWith('curl: (28)') ? 28 : 7, error);
  }
  if (tls && !a.insecure && a.cacert === undefined && r.connected) {
    if (!a.silent || a.showError)
      proc.stderr(`curl: (60) SSL certificate problem: unable to get local issuer certificate\n${CA_CERT_ERRORMSG}`);
    if (a.writeOut !== undefined) proc.stdout(writeOut(a.writeOut, '000', dst));
    return 60;
  }
  const response = tls ? (tlsUnwrap(r.data)?.plain ?? new Uint8Array(0)) : r.data;
  if (!r.done) {
    const after = Math.floor(r.endedAt - start);
    return report(
      28,
      r.connected
        ? `curl: (28) Operation timed out after ${after} milliseconds with ${response.length} bytes received`
        : `curl: (28) Connection timed out after ${after} milliseconds`,
    );
  }
  // curl 7.88: nothing before the FIN is an empty reply; an answer without a status line is
  // HTTP/0.9, which it refuses unless --http0.9 (not emulated) allows it.
  if (response.length === 0) return report(52, 'curl: (52) Empty reply from server');
  const text = new TextDecoder().decode(response);
  if (!/^HTTP\/\d/.test(text)) return report(1, 'curl: (1) Received HTTP/0.9 when not allowed');
  const split = text.indexOf('\r\n\r\n');
  const head = split < 0 ? text : text.slice(0, split + 4);
  const body = split < 0 ? '' : text.slice(split + 4);
  const code = /^HTTP\/\d\.\d (\d{3})/.exec(text)?.[1] ?? '000';
  const shown = a.head || a.include ? head + (a.head ? '' : body) : body;
  if (a.output === undefined || a.output === '-') proc.stdout(shown);
  else if (a.output !== '/dev/null') proc.writeFile(a.output, new TextEncoder().encode(shown));
  if (a.writeOut !== undefined) proc.stdout(writeOut(a.writeOut, code, dst));
  return 0;
}

/** -w: the variables knetlab knows, and the escapes curl interprets. */
function writeOut(format: string, code: string, dst: number | undefined): string {
  return format
    .replace(/%\{http_code\}/g, code)
    .replace(/%\{remote_ip\}/g, dst === undefined ? '' : formatIpv4(dst))
    .replace(/\\n/g, '\n');
}

/** Whether `response` holds a whole kept-alive response delimited by Content-Length (a HEAD's by its head alone). */
function complete(response: Uint8Array, head: boolean): boolean {
  const text = new TextDecoder('latin1').decode(response);
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return false;
  // A response that ends the connection (HTTP/1.0 without keep-alive, Connection: close) ends with the server's FIN.
  const fields = text.slice(0, split);
  const kept = text.startsWith('HTTP/1.1 ') ? !/^connection:\s*close\s*$/im.test(fields) : /^connection:\s*keep-alive\s*$/im.test(fields);
  if (!kept) return false;
  if (head) return true;
  const length = /^content-length:\s*(\d+)\s*$/im.exec(text.slice(0, split))?.[1];
  return length !== undefined && response.length - (split + 4) >= Number(length);
}

/**
 * The request's header lines (http.c): Host, User-Agent and Accept unless -H gives its own, then
 * the -H headers in order (a custom Host takes the built-in one's place). `Name:` with no value
 * removes a header; `Name;` sends it empty.
 */
function requestHeaders(hostPort: string, custom: readonly string[]): string {
  const nameOf = (h: string) => /^([^:;]+)[:;]/.exec(h)?.[1]?.trim().toLowerCase();
  const given = new Map<string, string>();
  for (const h of custom) {
    const n = nameOf(h);
    if (n !== undefined) given.set(n, h);
  }
  const line = (h: string): string | undefined => {
    const colon = /^([^:;]+):\s*(.*)$/.exec(h);
    if (colon) return colon[2] === '' ? undefined : `${colon[1]}: ${colon[2]}`;
    const semi = /^([^:;]+);\s*$/.exec(h);
    return semi ? `${semi[1]}:` : undefined;
  };
  const out: string[] = [];
  const host = given.get('host');
  if (host === undefined) out.push(`Host: ${hostPort}`);
  else {
    const l = line(host);
    if (l !== undefined) out.push(l);
  }
  if (!given.has('user-agent')) out.push('User-Agent: curl/7.88.1');
  if (!given.has('accept')) out.push('Accept: */*');
  for (const h of custom) {
    if (nameOf(h) === 'host') continue;
    const l = line(h);
    if (l !== undefined) out.push(l);
  }
  return out.map((l) => `${l}\r\n`).join('');
}
