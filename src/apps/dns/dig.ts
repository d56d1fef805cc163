// dig (BIND 9.18, as netshoot's bind-tools and Debian's bind9-dnsutils print it): one query over
// UDP to the first nameserver of /etc/resolv.conf (or @server, -p port) with RD, AD, EDNS udp 1232
// and an 8-byte client COOKIE; the reply in dig's sections, records in BIND's master-file columns
// (TTL at column 24, class 32, type 40, data 48, tabs of 8; one space once a field has run past its
// column), the header comments, `.local` names' mDNS warning, and the query's statistics. +short
// prints the data alone; -x asks the PTR of an address's in-addr.arpa name; +search applies the
// search list and ndots of resolv.conf as dig does (only when the name has fewer than ndots dots).
// A truncated reply (TC) is asked again over TCP (`;; Truncated, retrying in TCP mode.`) unless +ignore.
// Output checked byte for byte against dig 9.18.49 answering the same bytes (src/apps/dns/testdata).
import { formatIpv4, parseIpv4, type DnsMessage, type DnsRecord, type DnsType } from '../../wire/index.js';
import type { Proc } from '../proc.js';
import { queryId, resolvConfOf, tcpExchange, udpExchange, type Exchange } from './resolver.js';

export const DIG_VERSION = '9.18.49';

const TYPES: readonly DnsType[] = ['A', 'AAAA', 'CNAME', 'PTR', 'NS', 'SRV', 'SOA', 'TXT', 'MX', 'ANY'];

interface DigArgs {
  name?: string;
  type: DnsType;
  server?: string;
  port: number;
  short: boolean;
  search: boolean;
  tries: number;
  timeout: number;
  cookie: boolean;
  edns: boolean;
  recurse: boolean;
  /** +ignore: take a truncated UDP reply as it is instead of asking again over TCP. */
  ignoreTc: boolean;
  sections: {
    comments: boolean;
    question: boolean;
    answer: boolean;
    authority: boolean;
    additional: boolean;
    stats: boolean;
    cmd: boolean;
  };
}

function parse(args: readonly string[]): DigArgs | string {
  const a: DigArgs = {
    type: 'A',
    port: 53,
    short: false,
    search: false,
    tries: 3,
    timeout: 5,
    cookie: true,
    edns: true,
    recurse: true,
    ignoreTc: false,
    sections: { comments: true, question: true, answer: true, authority: true, additional: true, stats: true, cmd: true },
  };
  let typeGiven = false;
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (x.startsWith('@')) a.server = x.slice(1);
    else if (x === '-p') a.port = Number(args[++i]);
    else if (x === '-t') {
      const t = (args[++i] ?? '').toUpperCase() as DnsType;
      if (!TYPES.includes(t)) return `;; Warning, ignoring invalid type ${args[i]}`;
      a.type = t;
      typeGiven = true;
    } else if (x === '-x') {
      const ip = parseIpv4(args[++i] ?? '');
      if (ip === undefined) return `Invalid IP address ${args[i]}`;
      a.name = `${formatIpv4(ip).split('.').reverse().join('.')}.in-addr.arpa.`;
      if (!typeGiven) a.type = 'PTR';
    } else if (x.startsWith('+')) {
      const m = /^\+(no)?([a-z]+)(?:=(\d+))?$/.exec(x);
      if (!m) return `Invalid option: ${x}`;
      const on = m[1] === undefined;
      switch (m[2]) {
        case 'short':
          a.short = on;
          if (on) {
            a.sections = { comments: false, question: false, answer: true, authority: false, additional: false, stats: false, cmd: false };
          }
          break;
        case 'search':
          a.search = on;
          break;
        case 'tries':
          a.tries = Number(m[3] ?? 3);
          break;
        case 'retry':
          a.tries = Number(m[3] ?? 2) + 1;
          break;
        case 'timeout':
        case 'time':
          a.timeout = Math.max(1, Number(m[3] ?? 5));
          break;
        case 'cookie':
          a.cookie = on;
          break;
        case 'edns':
          a.edns = on;
          break;
        case 'recurse':
          a.recurse = on;
          break;
        case 'ignore':
          a.ignoreTc = on;
          break;
        case 'all':
          for (const k of Object.keys(a.sections) as (keyof DigArgs['sections'])[]) a.sections[k] = on;
          break;
        case 'comments':
          a.sections.comments = on;
          break;
        case 'question':
          a.sections.question = on;
          break;
        case 'answer':
          a.sections.answer = on;
          break;
        case 'authority':
          a.sections.authority = on;
          break;
        case 'additional':
          a.sections.additional = on;
          break;
        case 'stats':
          a.sections.stats = on;
          break;
        case 'cmd':
          a.sections.cmd = on;
          break;
        default:
          return `Invalid option: ${x}`;
      }
    } else if (x.startsWith('-')) return `Invalid option: ${x}`;
    else if (!typeGiven && TYPES.includes(x.toUpperCase() as DnsType)) {
      a.type = x.toUpperCase() as DnsType;
      typeGiven = true;
    } else if (a.name === undefined) a.name = x;
    else if (TYPES.includes(x.toUpperCase() as DnsType)) a.type = x.toUpperCase() as DnsType;
    else a.name = x;
  }
  return a;
}

/** The display column after `text` (tabs to the next multiple of 8). */
function column(text: string): number {
  let col = 0;
  for (const c of text) col = c === '\t' ? (Math.floor(col / 8) + 1) * 8 : col + 1;
  return col;
}

/** BIND's indent() (masterdump.c): tabs to the column, then spaces; a field past its column gets at least one. */
function pad(text: string, column_: number): string {
  let from = column(text);
  const to = Math.max(column_, from + 1);
  const ntabs = Math.floor(to / 8) - Math.floor(from / 8);
  let out = text;
  if (ntabs > 0) {
    out += '\t'.repeat(ntabs);
    from = Math.floor(to / 8) * 8;
  }
  return out + ' '.repeat(to - from);
}

const fqdn = (n: string) => (n === '' || n === '.' ? '.' : n.endsWith('.') ? n : `${n}.`);

function rdata(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return r.data;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return fqdn(r.data);
    case 'SRV':
      return `${r.data.priority} ${r.data.weight} ${r.data.port} ${fqdn(r.data.target)}`;
    case 'SOA':
      return `${fqdn(r.data.mname)} ${fqdn(r.data.rname)} ${r.data.serial} ${r.data.refresh} ${r.data.retry} ${r.data.expire} ${r.data.minimum}`;
    case 'TXT':
      return r.data.map((s) => `"${s}"`).join(' ');
    case 'MX':
      return `${r.data.preference} ${fqdn(r.data.exchange)}`;
  }
}

/** One record as dig prints it. */
export function recordLine(r: DnsRecord): string {
  let line = pad(fqdn(r.name), 24);
  line = pad(line + String(r.ttl), 32);
  line = pad(`${line}IN`, 40);
  line = pad(line + r.type, 48);
  return `${line}${rdata(r)}\n`;
}

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime("%a %b %d %H:%M:%S %Z %Y") in UTC. */
function when(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The reply as dig prints it (without the banner), from the query sent and the exchange. */
export function formatReply(
  a: Pick<DigArgs, 'short' | 'sections'>,
  query: DnsMessage,
  x: Exchange & { reply: DnsMessage; tcp?: boolean },
  server: string,
  port: number,
  date: Date,
): string {
  const r = x.reply;
  if (a.short) return r.answers.map((rr) => `${rdata(rr)}\n`).join('');
  let out = '';
  const s = a.sections;
  const qname = query.questions[0]!.name;
  if (s.comments) {
    out += ';; Got answer:\n';
    if (/(^|\.)local\.?$/i.test(qname))
      out +=
        ';; WARNING: .local is reserved for Multicast DNS\n;; You are currently testing what happens when an mDNS query is leaked to DNS\n';
    out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${r.id}\n`;
    const flags = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).filter((f) => r[f]).join(' ');
    out += `;; flags: ${flags}; QUERY: ${r.questions.length}, ANSWER: ${r.answers.length}, AUTHORITY: ${r.authorities.length}, ADDITIONAL: ${r.additionals.length + (r.edns ? 1 : 0)}\n`;
    if (query.rd && !r.ra) out += ';; WARNING: recursion requested but not available\n';
    out += '\n';
    if (r.edns) {
      out += `;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:${r.edns.do ? ' do' : ''}; udp: ${r.edns.udpSize}\n`;
      if (r.edns.cookie) {
        const sent = query.edns?.cookie;
        const echoed = sent && r.edns.cookie.length === 8 && hex(r.edns.cookie) === hex(sent);
        out += `; COOKIE: ${hex(r.edns.cookie)}${echoed ? ' (echoed)' : r.edns.cookie.length > 8 && sent && hex(r.edns.cookie.subarray(0, 8)) === hex(sent) ? ' (good)' : ''}\n`;
      }
    }
  }
  if (s.question) {
    if (s.comments) out += ';; QUESTION SECTION:\n';
    for (const q of r.questions) out += `;${pad(`${pad(fqdn(q.name), 32)}IN`, 40)}${q.type}\n`; // the ';' is printed before the record's columns start
    if (s.comments) out += '\n';
  }
  const section = (title: string, list: readonly DnsRecord[], on: boolean) => {
    if (!on || list.length === 0) return;
    if (s.comments) out += `;; ${title} SECTION:\n`;
    for (const rr of list) out += recordLine(rr);
    if (s.comments) out += '\n';
  };
  section('ANSWER', r.answers, s.answer);
  section('AUTHORITY', r.authorities, s.authority);
  section('ADDITIONAL', r.additionals, s.additional);
  if (s.stats) {
    out += `;; Query time: ${Math.round(x.ms)} msec\n;; SERVER: ${server}#${port}(${server}) (${x.tcp ? 'TCP' : 'UDP'})\n;; WHEN: ${when(date)}\n;; MSG SIZE  rcvd: ${x.size}\n\n`;
  }
  return out;
}

export function dig(args: readonly string[], proc: Proc): number {
  const a = parse(args);
  if (typeof a === 'string') {
    proc.stderr(`${a}\n`);
    return 1;
  }
  const conf = resolvConfOf(proc);
  const server = a.server ?? conf.nameservers[0]!;
  if (parseIpv4(server) === undefined) {
    proc.stderr(`dig: couldn't get address for '${server}': not found\n`);
    return 10;
  }
  const banner = a.sections.cmd
    ? `\n; <<>> DiG ${DIG_VERSION} <<>> ${args.join(' ')}\n${a.server !== undefined ? '; (1 server found)\n' : ''};; global options: +cmd\n`
    : '';
  // no name: the root's NS, as dig asks
  let names = [a.name ?? '.'];
  let type = a.name === undefined ? ('NS' as DnsType) : a.type;
  if (a.name === undefined) type = 'NS';
  if (a.search && a.name !== undefined && !a.name.endsWith('.')) {
    const dots = [...a.name].filter((c) => c === '.').length;
    if (dots < conf.ndots) names = [...conf.search.map((d) => `${a.name}.${d}`), a.name];
  }
  let out = banner;
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!.replace(/\.$/, '');
    const query: DnsMessage = {
      id: queryId(proc.ns),
      qr: false,
      rd: a.recurse,
      ad: true,
      rcode: 'NOERROR',
      questions: [{ name, type }],
      answers: [],
      authorities: [],
      additionals: [],
      ...(a.edns ? { edns: { udpSize: 1232, ...(a.cookie ? { cookie: proc.ns.kernel.rng.bytes(8) } : {}) } } : {}),
    };
    let x: Exchange | undefined;
    for (let t = 0; t < Math.max(1, a.tries); t++) {
      x = udpExchange(proc.ns, server, a.port, query, a.timeout * 1000, proc.trace, `dig ${type}? ${name}`);
      if (x.reply) break;
      proc.stderr(`;; communications error to ${server}#${a.port}: ${x.errno ? 'connection refused' : 'timed out'}\n`);
      if (x.errno) break;
    }
    if (!x?.reply) {
      proc.stdout(`${out};; no servers could be reached\n`);
      return 9;
    }
    let reply = x.reply;
    let tcp = false;
    // a truncated reply (TC): dig asks again over TCP unless +ignore
    if (reply.tc && !a.ignoreTc) {
      if (a.sections.comments) out += ';; Truncated, retrying in TCP mode.\n';
      const t = tcpExchange(proc.ns, server, a.port, query, a.timeout * 1000);
      if (!t.reply) {
        // UNVERIFIED: dig's words for a failed TCP retry
        proc.stdout(`${out};; communications error to ${server}#${a.port}: ${t.errno ? 'connection refused' : 'timed out'}\n`);
        return 9;
      }
      x = t;
      reply = t.reply;
      tcp = true;
    }
    // +search: dig moves on to the next name on NXDOMAIN (and NOERROR without answers), printing only the last try
    if (n < names.length - 1 && (reply.rcode === 'NXDOMAIN' || (reply.rcode === 'NOERROR' && reply.answers.length === 0))) continue;
    out += formatReply(a, query, { ...x, reply, tcp }, server, a.port, proc.ns.kernel.wallClock());
    break;
  }
  proc.stdout(out);
  return 0;
}
