// The official `nginx` / `nginx:alpine` image's server, `nginx -g 'daemon off;'`, with the image's
// default config: port 80, the welcome page (docs/html/index.html) at `/` and `/index.html`, nginx's
// own 404 page elsewhere (src/http/ngx_http_special_response.c, server_tokens on), keep-alive, and
// one access log line per request on stdout in the image's `main` format (the log is linked to
// /dev/stdout: `kubectl logs` shows it). Version: the newest mainline tag of nginx/nginx read,
// release-1.31.4 (the image tag itself not checked); its welcome page is the 896-byte one of
// nginx >= 1.29.6. The entrypoint's start-up lines are (nginxEntrypoint); nginx's own error-log notices
// on stderr (epoll, version, worker processes) are not emulated.
import { formatIpv4 } from '../../wire/index.js';
import { KernelError, tcpOf, type TcpConn } from '../../kernel/index.js';
import type { Command, Proc } from '../proc.js';
import { bytes, clfTime, header, imfFixdate, keepAlive, RequestReader, type HttpRequest } from './request.js';

export const NGINX_VERSION = '1.31.4';

/** docs/html/index.html at release-1.31.4 (unchanged since 1.29.6): 896 bytes. */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, nginx is successfully installed and working.
Further configuration is required for the web server, reverse proxy, 
API gateway, load balancer, content cache, or other features.</p>

<p>For online documentation and support please refer to
<a href="https://nginx.org/">nginx.org</a>.<br/>
To engage with the community please visit
<a href="https://community.nginx.org/">community.nginx.org</a>.<br/>
For enterprise grade support, professional services, additional 
security features and capabilities please refer to
<a href="https://f5.com/nginx">f5.com/nginx</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The welcome page's mtime: the release's tag date (the image's package build time is not known). */
const INDEX_MTIME = Date.UTC(2026, 7, 11, 20, 7, 37);

const ERROR_PAGES: Readonly<Record<number, string>> = { 404: '404 Not Found', 405: '405 Not Allowed' };

/** ngx_http_special_response.c: the status's page, then the full tail (server_tokens on). CRLF line ends. */
function errorPage(code: number): string {
  const title = ERROR_PAGES[code]!;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;
}

interface Reply {
  readonly text: string;
  readonly status: number;
  /** $body_bytes_sent. */
  readonly sent: number;
}

function reply(proc: Proc, r: HttpRequest): Reply {
  const date = imfFixdate(proc.ns.kernel.wallClock());
  const conn = keepAlive(r) ? 'keep-alive' : 'close';
  const path = r.target.split('?')[0]!;
  const head = r.method === 'HEAD';
  if ((r.method === 'GET' || head) && (path === '/' || path === '/index.html')) {
    const body = NGINX_WELCOME;
    const etag = `"${Math.floor(INDEX_MTIME / 1000).toString(16)}-${body.length.toString(16)}"`;
    const text = `HTTP/1.1 200 OK\r\nServer: nginx/${NGINX_VERSION}\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nLast-Modified: ${imfFixdate(new Date(INDEX_MTIME))}\r\nConnection: ${conn}\r\nETag: ${etag}\r\nAccept-Ranges: bytes\r\n\r\n${head ? '' : body}`;
    return { text, status: 200, sent: head ? 0 : body.length };
  }
  // A static location answers other methods on a file with 405; a missing file is 404 whatever the method.
  const code = path === '/' || path === '/index.html' || path === '/50x.html' ? 405 : 404;
  const body = errorPage(code);
  const text = `HTTP/1.1 ${ERROR_PAGES[code]}\r\nServer: nginx/${NGINX_VERSION}\r\nDate: ${date}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: ${conn}\r\n\r\n${head ? '' : body}`;
  return { text, status: code, sent: head ? 0 : body.length };
}

/** The image's log_format main. */
function accessLog(proc: Proc, c: TcpConn, r: HttpRequest, rep: Reply): string {
  const q = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);
  return `${formatIpv4(c.remote)} - - [${clfTime(proc.ns.kernel.wallClock())}] "${r.line}" ${rep.status} ${rep.sent} "${q(header(r, 'Referer'))}" "${q(header(r, 'User-Agent'))}" "${q(header(r, 'X-Forwarded-For'))}"\n`;
}

/**
 * The image's /docker-entrypoint.sh before `nginx …`: it runs the scripts of /docker-entrypoint.d/
 * in order, saying so on stdout (the start of every nginx pod's log), then execs its arguments.
 * The image's own scripts only (a ConfigMap mounted there is not looked at).
 */
export const nginxEntrypoint: Command = (args, proc) => {
  if (args[0] === 'nginx' || args[0] === 'nginx-debug') proc.stdout(ENTRYPOINT_LINES);
  return args.length ? proc.exec(args, proc.ns) : 0;
};

/** The entrypoint's start-up lines: the same for every container, so one string their logs share. */
const ENTRYPOINT_LINES = ((me: string, d: string) =>
  [
    `${me}: ${d}/ is not empty, will attempt to perform configuration`,
    `${me}: Looking for shell scripts in ${d}/`,
    `${me}: Launching ${d}/10-listen-on-ipv6-by-default.sh`,
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    `${me}: Sourcing ${d}/15-local-resolvers.envsh`,
    `${me}: Launching ${d}/20-envsubst-on-templates.sh`,
    `${me}: Launching ${d}/30-tune-worker-processes.sh`,
    `${me}: Configuration complete; ready for start up`,
    '',
  ].join('\n'))('/docker-entrypoint.sh', '/docker-entrypoint.d');

export const nginx: Command = (args, proc) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v' || a === '-V') {
      proc.stderr(`nginx version: nginx/${NGINX_VERSION}\n`);
      return 0;
    }
    if (a === '-g') {
      i++;
      continue;
    }
    proc.stderr(`knetlab: only \`nginx [-g 'daemon off;']\` and \`nginx -v\` are emulated\n`);
    return 1;
  }
  try {
    tcpOf(proc.ns).listen(
      80,
      0,
      () => {
        const reader = new RequestReader();
        return {
          onData(c: TcpConn, data: Uint8Array) {
            for (const r of reader.push(data)) {
              const rep = reply(proc, r);
              c.send(bytes(rep.text));
              proc.stdout(accessLog(proc, c, r, rep));
              if (!keepAlive(r)) c.close();
            }
          },
          onEnd(c: TcpConn) {
            c.close();
          },
        };
      },
      511, // nginx listens with NGX_LISTEN_BACKLOG
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr(`nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n`);
    return 1;
  }
  proc.daemon?.(() => tcpOf(proc.ns).unlisten(80));
  return 0;
};
