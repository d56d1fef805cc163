// BusyBox's wget applet (networking/wget.c, 1.36) for http:// URLs: the host resolves through the
// C library (libbb's str2sockaddr, so the image's search walk), one `GET /path HTTP/1.1` with
// `Host`, `User-Agent: Wget` and `Connection: close`, the body to -O FILE (`-` for stdout; by
// default the URL's last path component, or index.html). Without -q it says `Connecting to HOST
// (IP:PORT)`, `saving to 'F'`/`writing to stdout` and `'F' saved`/`written to stdout` on stderr;
// its progress meter is not emulated. Errors end it with status 1 in wget's words: `bad address
// 'HOST'`, `can't connect to remote host (IP): Connection refused`, `server returned error:
// HTTP/1.1 404 Not Found`, `download timed out` (-T, 900 s by default). --spider makes the same
// request, checks the status and saves nothing: `remote file exists` (stderr, without -q).
import { formatIpv4 } from '../../wire/index.js';
import { KernelError, STRERROR } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { tcpRequest } from '../tcp-request.js';
import { BUSYBOX_BANNER } from './banner.js';
import { host2sockaddr } from './host2sockaddr.js';

// UNVERIFIED: whether busybox:latest is built with FEATURE_WGET_OPENSSL (its --no-check-certificate lines)
const USAGE = `${BUSYBOX_BANNER}

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
	[--post-data STR | --post-file FILE] [-Y on/off]
	[-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

	--spider	Only check URL existence: $? is 0 if exists
	--header STR	Add STR (of form 'header: value') to headers
	--post-data STR	Send STR using POST method
	--post-file FILE	Send FILE using POST method
	-c		Continue retrieval of aborted transfer
	-q		Quiet
	-P DIR		Save to DIR (default .)
	-S    		Show server response
	-T SEC		Network read timeout is SEC seconds
	-O FILE		Save to FILE ('-' for stdout)
	-o LOGFILE	Log messages to FILE
	-U STR		Use STR for User-Agent header
	-Y on/off	Use proxy
`;

interface Args {
  quiet: boolean;
  spider: boolean;
  output?: string;
  timeout: number;
  userAgent: string;
  url: string;
}

function parse(args: readonly string[]): Args | { error: string } {
  const a: Partial<Args> & { quiet: boolean; spider: boolean; timeout: number; userAgent: string } = {
    quiet: false,
    spider: false,
    timeout: 900,
    userAgent: 'Wget',
  };
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x === '--') {
      urls.push(...args.slice(i + 1));
      break;
    }
    const long = /^--(quiet|output-document|timeout|user-agent)(?:=(.*))?$/.exec(x);
    if (long) {
      const v = long[1] === 'quiet' ? '' : (long[2] ?? args[++i]);
      if (v === undefined) return { error: `wget: option '--${long[1]}' requires an argument\n${USAGE}` };
      if (long[1] === 'quiet') a.quiet = true;
      else if (long[1] === 'output-document') a.output = v;
      else if (long[1] === 'user-agent') a.userAgent = v;
      else if (/^\d+$/.test(v)) a.timeout = Number(v);
      else return { error: `wget: invalid number '${v}'` };
      continue;
    }
    if (x === '--spider') {
      a.spider = true;
      continue;
    }
    if (x.startsWith('--')) return { error: `knetlab: busybox wget ${x.replace(/=.*/, '')} is not emulated` };
    if (!x.startsWith('-') || x === '-') {
      urls.push(x);
      continue;
    }
    for (let j = 1; j < x.length; j++) {
      const ch = x[j]!;
      if (ch === 'q') a.quiet = true;
      else if ('OTU'.includes(ch)) {
        const v = j + 1 < x.length ? x.slice(j + 1) : args[++i];
        j = x.length;
        if (v === undefined) return { error: `wget: option requires an argument -- '${ch}'\n${USAGE}` };
        if (ch === 'O') a.output = v;
        else if (ch === 'U') a.userAgent = v;
        else if (/^\d+$/.test(v)) a.timeout = Number(v);
        else return { error: `wget: invalid number '${v}'` };
      } else if ('cSoPYtn'.includes(ch)) return { error: `knetlab: busybox wget -${ch} is not emulated` };
      else return { error: `wget: invalid option -- '${ch}'\n${USAGE}` };
    }
  }
  if (urls.length === 0) return { error: USAGE.replace(/\n$/, '') };
  if (urls.length > 1) return { error: 'knetlab: busybox wget with more than one URL is not emulated' };
  a.url = urls[0];
  return a as Args;
}

export function busyboxWget(args: readonly string[], proc: Proc): number {
  const a = parse(args);
  if ('error' in a) {
    proc.stderr(`${a.error}\n`);
    return 1;
  }
  const fail = (message: string) => {
    proc.stderr(`wget: ${message}\n`);
    return 1;
  };
  // parse_url(): http:// or none; the host part with its :port is what Host: and the errors name
  const m = /^(?:([a-z]+):\/\/)?([^/?#]*)(.*)$/i.exec(a.url)!;
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http')
    return scheme === 'https' || scheme === 'ftp'
      ? fail(`knetlab: ${scheme}:// is not emulated`)
      : fail(`not an http or ftp url: ${a.url}`);
  const hostPort = m[2]!;
  const path = m[3]!.replace(/^\/?/, '');
  const to = host2sockaddr(proc, hostPort, 80);
  if ('error' in to) return fail(to.error);
  const fname =
    a.output ??
    (path
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ||
      'index.html');
  if (!a.quiet) proc.stderr(`Connecting to ${hostPort} (${formatIpv4(to.ip)}:${to.port})\n`);

  const request = () =>
    new TextEncoder().encode(`GET /${path} HTTP/1.1\r\nHost: ${hostPort}\r\nUser-Agent: ${a.userAgent}\r\nConnection: close\r\n\r\n`);
  let r;
  try {
    r = tcpRequest(proc.ns, to.ip, to.port, request, { timeoutMs: a.timeout * 1000 });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return fail(`can't connect to remote host (${formatIpv4(to.ip)}): ${STRERROR[e.errno]}`);
  }
  if (!r.done) return fail('download timed out');
  const response = r.data;
  if (r.errno && response.length === 0)
    return fail(`can't connect to remote host (${formatIpv4(to.ip)}): ${STRERROR[r.errno as keyof typeof STRERROR] ?? r.errno}`);
  const text = new TextDecoder('latin1').decode(response);
  const split = text.indexOf('\r\n\r\n');
  const statusLine = text.slice(0, Math.max(0, text.indexOf('\r\n')));
  const status = Number(/^\S+\s+(\d+)/.exec(statusLine)?.[1] ?? 0);
  if (![200, 201, 202, 203, 204].includes(status)) {
    if ([300, 301, 302, 303, 307, 308].includes(status)) return fail('knetlab: following redirects is not emulated');
    return fail(`server returned error: ${statusLine}`);
  }
  if (a.spider) {
    if (!a.quiet) proc.stderr('remote file exists\n');
    return 0;
  }
  const head = text.slice(0, split);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return fail('knetlab: a chunked response is not emulated');
  let body = response.subarray(split + 4);
  const length = /^content-length:\s*(\d+)\s*$/im.exec(head)?.[1];
  if (length !== undefined) body = body.subarray(0, Number(length));
  const toStdout = fname === '-';
  if (!a.quiet) proc.stderr(toStdout ? 'writing to stdout\n' : `saving to '${fname}'\n`);
  if (toStdout) proc.stdout(new TextDecoder().decode(body));
  else proc.writeFile(fname, body);
  if (!a.quiet) proc.stderr(toStdout ? 'written to stdout\n' : `'${fname}' saved\n`);
  return 0;
}
