// `python3 -m http.server [PORT] [--bind ADDR]`: Python 3.11's SimpleHTTPRequestHandler serving
// an empty directory, as a daemon in the namespace (it keeps listening after the command
// returns, like a server started with `&`). HTTP/1.0: one request per connection, then close.
import { formatIpv4, parseIpv4 } from '../../wire/index.js';
import { KernelError, tcpOf, type TcpConn } from '../../kernel/index.js';
import type { Command, Proc } from '../proc.js';

const LISTING = `<!DOCTYPE HTML>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directory listing for /</title>
</head>
<body>
<h1>Directory listing for /</h1>
<hr>
<ul>
</ul>
<hr>
</body>
</html>
`;

const NOT_FOUND = `<!DOCTYPE HTML>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <title>Error response</title>
    </head>
    <body>
        <h1>Error response</h1>
        <p>Error code: 404</p>
        <p>Message: File not found.</p>
        <p>Error code explanation: 404 - Nothing matches the given URI.</p>
    </body>
</html>
`;

/** RFC 7231 IMF-fixdate, as Python's email.utils.formatdate(usegmt=True) writes it. */
export function httpDate(d: Date): string {
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day}, ${two(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

function respond(proc: Proc, path: string): string {
  const date = httpDate(proc.ns.kernel.wallClock());
  const server = 'SimpleHTTP/0.6 Python/3.11.2';
  if (path === '/' || path === '/index.html') {
    return `HTTP/1.0 200 OK\r\nServer: ${server}\r\nDate: ${date}\r\nContent-type: text/html; charset=utf-8\r\nContent-Length: ${LISTING.length}\r\n\r\n${LISTING}`;
  }
  return `HTTP/1.0 404 File not found\r\nServer: ${server}\r\nDate: ${date}\r\nConnection: close\r\nContent-Type: text/html;charset=utf-8\r\nContent-Length: ${NOT_FOUND.length}\r\n\r\n${NOT_FOUND}`;
}

export const python3: Command = (args, proc) => {
  if (args[0] !== '-m' || args[1] !== 'http.server') {
    proc.stderr('knetlab: only `python3 -m http.server [PORT] [--bind ADDR]` is emulated\n');
    return 2;
  }
  let port = 8000;
  let bind = 0;
  for (let i = 2; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--bind' || a === '-b') {
      const ip = parseIpv4(args[++i] ?? '');
      if (ip === undefined) {
        proc.stderr(`OSError: [Errno 99] Cannot assign requested address\n`);
        return 1;
      }
      bind = ip;
    } else if (/^\d+$/.test(a)) {
      port = Number(a);
    } else {
      proc.stderr(
        `usage: server.py [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]\nserver.py: error: unrecognized arguments: ${a}\n`,
      );
      return 2;
    }
  }
  if (bind !== 0 && !proc.ns.isLocalAddress(bind)) {
    proc.stderr('OSError: [Errno 99] Cannot assign requested address\n');
    return 1;
  }
  try {
    tcpOf(proc.ns).listen(
      port,
      bind,
      () => {
        let request = '';
        return {
          onData(c: TcpConn, data: Uint8Array) {
            request += new TextDecoder().decode(data);
            if (!request.includes('\r\n\r\n')) return;
            const path = /^[A-Z]+ (\S+) HTTP/.exec(request)?.[1] ?? '/';
            c.send(new TextEncoder().encode(respond(proc, path)));
            c.close();
          },
          onEnd(c: TcpConn) {
            c.close();
          },
        };
      },
      5, // socketserver's request_queue_size
    );
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr('OSError: [Errno 98] Address already in use\n');
    return 1;
  }
  proc.daemon?.(() => tcpOf(proc.ns).unlisten(port));
  const host = bind === 0 ? '0.0.0.0' : formatIpv4(bind);
  proc.stdout(`Serving HTTP on ${host} port ${port} (http://${host}:${port}/) ...\n`);
  return 0;
};
