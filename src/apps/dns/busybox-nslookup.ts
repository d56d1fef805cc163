// BusyBox's nslookup applet (networking/nslookup.c with FEATURE_NSLOOKUP_BIG, BusyBox 1.36/1.37:
// the same output; 1.37 only makes the query ids unique), the `nslookup` of the busybox and Alpine
// images. It reads resolv.conf itself, not through the C library: every `nameserver` line, and the
// `search` (else `domain`) line's domains. A name without a dot is asked once per search domain
// and never bare; a name with a dot (`kubernetes.default`) is asked as it is, without the search
// list, which is why it is NXDOMAIN in a pod. By default it asks A and AAAA (PTR for an address).
// All the queries go at once from one UDP socket to the first server, resent every timeout/retry
// (2.5 s) while unanswered, for at most the timeout (5 s), then to the next server. Each reply is
// printed as it comes: `** server can't find NAME: RCODE` for a non-zero rcode (exit 1), else
// "Non-authoritative answer:" when AA is clear and the answer's records; a blank line after each.
// The reply is read into 512 bytes, so a longer one is a parse error.
import { ipSend, KernelError, STRERROR, type Errno, type Netns } from '../../kernel/index.js';
import { decodeDns, encodeDns, formatIpv4, parseIpv4, type DnsMessage, type DnsRecord, type DnsType } from '../../wire/index.js';
import { BUSYBOX_BANNER } from '../busybox/banner.js';
import type { Proc } from '../proc.js';
import { lookupHost } from './resolver.js';

/** qtypes[] in nslookup.c: `-type=` names, and the order explicit types are asked in. */
const QTYPES: readonly DnsType[] = ['SOA', 'NS', 'A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'PTR', 'ANY'];
const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
/** The reply buffer of send_queries(). */
const REPLY_BUFFER = 512;

const USAGE = `${BUSYBOX_BANNER}

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
`;

interface Options {
  types: DnsType[];
  port: number;
  retry: number;
  timeout: number;
}

interface Query {
  readonly name: string;
  readonly type: DnsType;
  readonly id: number;
  readonly bytes: Uint8Array;
  answered: boolean;
}

/** xatou_range(): a decimal within [min, max], else BusyBox's error. */
function number(v: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(v)) return `nslookup: invalid number '${v}'`;
  const n = Number(v);
  if (n < min || n > max) return `nslookup: number ${v} is not in ${min}..${max} range`;
  return n;
}

function parseOptions(args: readonly string[]): { o: Options; rest: string[] } | { error: string } {
  const o: Options = { types: [], port: 53, retry: 2, timeout: 5 };
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const eq = args[i]!.indexOf('=');
    const key = eq < 0 ? args[i]!.slice(1) : args[i]!.slice(1, eq);
    const val = eq < 0 ? '' : args[i]!.slice(eq + 1);
    let n: number | string = 0;
    switch (key) {
      case 'type':
      case 'querytype': {
        const t = QTYPES.find((q) => q.toLowerCase() === val.toLowerCase());
        if (!t) return { error: `nslookup: invalid query type "${val}"` };
        if (!o.types.includes(t)) o.types.push(t);
        continue;
      }
      case 'port':
        n = number(val, 1, 0xffff);
        if (typeof n === 'number') o.port = n;
        break;
      case 'retry':
        n = number(val, 1, 0x7fffffff);
        if (typeof n === 'number') o.retry = n;
        break;
      case 't':
      case 'timeout':
        n = number(val, 1, Math.floor(0x7fffffff / 1000));
        if (typeof n === 'number') o.timeout = n;
        break;
      case 'debug':
        return { error: 'knetlab: busybox nslookup -debug is not emulated' };
      default:
        return { error: USAGE };
    }
    if (typeof n === 'string') return { error: n };
  }
  return { o, rest: args.slice(i) };
}

/** parse_resolvconf(): all nameservers, and the search domains (`search`, else `domain`, else the hostname's domain). */
function readResolvConf(proc: Proc): { servers: string[]; search: string[] } {
  const text = new TextDecoder().decode(proc.readFile('/etc/resolv.conf') ?? new Uint8Array());
  const servers: string[] = [];
  let search: string | undefined;
  let haveSearch = false;
  for (const line of text.split('\n')) {
    const m = /^[ \t]*(\S+)[ \t]+(.+)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'domain' && !haveSearch) search = m[2];
    else if (m[1] === 'search') {
      haveSearch = true;
      search = m[2];
    } else if (m[1] === 'nameserver') servers.push(m[2]!.trim());
  }
  if (search === undefined) {
    const host = proc.hostname ?? proc.host.name;
    const dot = host.indexOf('.');
    if (dot >= 0) search = host.slice(dot + 1);
  }
  if (search?.trim() === '.') search = undefined;
  return {
    servers,
    search:
      search
        ?.trim()
        .split(/[ \t]+/)
        .filter((d) => d !== '') ?? [],
  };
}

function ptrName(text: string): string | undefined {
  const ip = parseIpv4(text);
  if (ip === undefined) return undefined;
  return `${ip & 255}.${(ip >>> 8) & 255}.${(ip >>> 16) & 255}.${ip >>> 24}.in-addr.arpa`;
}

/** Like parse_reply(): the answer's records in nslookup's words; undefined when it cannot be parsed. */
function answerText(bytes: Uint8Array): string | undefined {
  const aa = (bytes[2]! & 0x04) !== 0;
  let out = aa ? '' : 'Non-authoritative answer:\n';
  let m: DnsMessage;
  try {
    m = decodeDns(bytes);
  } catch {
    return undefined;
  }
  for (const r of m.answers) out += recordText(r);
  return out;
}

const bare = (n: string) => n.replace(/\.$/, '');

function recordText(r: DnsRecord): string {
  const name = bare(r.name);
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${r.data}\n`;
    case 'NS':
      return `${name}\tnameserver = ${bare(r.data)}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${bare(r.data)}\n`;
    case 'PTR':
      return `${name}\tname = ${bare(r.data)}\n`;
    case 'MX':
      return `${name}\tmail exchanger = ${r.data.preference} ${bare(r.data.exchange)}\n`;
    case 'TXT':
      return r.data[0] ? `${name}\ttext = "${r.data[0]}"\n` : '';
    case 'SRV':
      return `${name}\tservice = ${r.data.priority} ${r.data.weight} ${r.data.port} ${bare(r.data.target)}\n`;
    case 'SOA':
      return `${name}\n\torigin = ${bare(r.data.mname)}\n\tmail addr = ${bare(r.data.rname)}\n\tserial = ${r.data.serial}\n\trefresh = ${r.data.refresh}\n\tretry = ${r.data.retry}\n\texpire = ${r.data.expire}\n\tminimum = ${r.data.minimum}\n`;
  }
}

/**
 * send_queries(): every unanswered query to `server`, from one connected UDP socket, in virtual
 * time; prints each reply as it comes. Returns how many replies came, or -1 when the socket
 * could not send.
 */
function sendQueries(
  proc: Proc,
  server: { name: string; ip: number; port: number },
  queries: Query[],
  o: Options,
  state: { exit: number },
): number {
  const ns: Netns = proc.ns;
  const clock = ns.kernel.clock;
  const timeout = o.timeout * 1000;
  const retryInterval = Math.floor(timeout / o.retry);
  let sport = 0;
  for (let i = 0; i < 64 && (sport === 0 || ns.udpHandlers.has(sport)); i++) sport = ns.kernel.rng.int(32768, 61000);
  const inbox: Uint8Array[] = [];
  ns.udpHandlers.set(sport, (skb, udp) => {
    if (skb.data.src === server.ip && udp.srcPort === server.port && udp.payload.kind === 'raw') inbox.push(udp.payload.bytes);
  });
  // the socket is connected: an ICMP error for it (port unreachable) makes its next write fail
  let socketError: Errno | undefined;
  ns.udpErrorHandlers.set(sport, (errno) => (socketError ??= errno));
  const send = (q: Query) => {
    if (socketError !== undefined) throw new KernelError(socketError);
    ipSend(
      ns,
      {
        dst: server.ip,
        protocol: 17,
        payload: { kind: 'udp', srcPort: sport, dstPort: server.port, payload: { kind: 'raw', bytes: q.bytes } },
      },
      proc.trace?.(`nslookup ${q.type}? ${q.name}`),
    );
  };
  let replies = 0;
  let printedHead = false;
  const start = clock.now();
  try {
    let sentAt = start;
    let servfailRetry = 0;
    const sendAll = () => {
      for (const q of queries) if (!q.answered) send(q);
      sentAt = clock.now();
      servfailRetry = 2 * queries.length;
    };
    sendAll();
    while (clock.now() - start < timeout && replies < queries.length) {
      if (clock.now() - sentAt >= retryInterval) sendAll();
      const wakeAt = Math.min(sentAt + retryInterval, start + timeout);
      for (let next = clock.nextAt(); inbox.length === 0 && next !== undefined && next <= wakeAt; next = clock.nextAt())
        clock.runUntil(next);
      if (inbox.length === 0) {
        clock.runUntil(Math.max(clock.now(), wakeAt));
        continue;
      }
      const got = inbox.shift()!;
      const reply = got.subarray(0, REPLY_BUFFER);
      if (!printedHead) {
        printedHead = true;
        proc.stdout(`Server:\t\t${server.name}\nAddress:\t${formatIpv4(server.ip)}:${server.port}\n\n`);
      }
      if (reply.length < 4) continue;
      const id = (reply[0]! << 8) | reply[1]!;
      const q = queries.find((x) => x.id === id);
      if (!q || q.answered) continue;
      const rcode = reply[3]! & 0x0f;
      // SERVFAIL is asked again at once, a few times
      if (rcode === 2 && servfailRetry > 0) {
        servfailRetry--;
        send(q);
        continue;
      }
      q.answered = true;
      if (rcode !== 0) {
        proc.stdout(`** server can't find ${q.name}: ${RCODE_NAMES[rcode] ?? String(rcode)}\n`);
        state.exit = 1;
      } else {
        const text = answerText(reply);
        if (text === undefined) {
          proc.stdout(`${(reply[2]! & 0x04) === 0 ? 'Non-authoritative answer:\n' : ''}*** Can't find ${q.name}: Parse error\n`);
          state.exit = 1;
        } else proc.stdout(text);
      }
      proc.stdout('\n');
      replies++;
    }
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    proc.stderr(`nslookup: write to '${server.name}': ${STRERROR[e.errno]}\n`);
    return -1;
  } finally {
    ns.udpHandlers.delete(sport);
    ns.udpErrorHandlers.delete(sport);
  }
  return replies;
}

/** `busybox nslookup [-type=T] [-port=N] [-retry=N] [-timeout=N] HOST [SERVER]`. */
export function busyboxNslookup(args: readonly string[], proc: Proc): number {
  const parsed = parseOptions(args);
  if ('error' in parsed) {
    proc.stderr(`${parsed.error}\n`);
    return 1;
  }
  const { o, rest } = parsed;
  if (rest.length === 0 || rest.length > 2) {
    proc.stderr(USAGE);
    return 1;
  }
  const host = rest[0]!;
  const conf = rest[1] === undefined ? readResolvConf(proc) : { servers: [rest[1]], search: [] as string[] };
  if (rest[1] === undefined && conf.servers.length === 0) conf.servers.push('127.0.0.1');
  const servers: { name: string; ip: number; port: number }[] = [];
  for (const name of conf.servers) {
    // xhost2sockaddr(): an address, HOST:PORT, or a name the C library resolves
    const m = /^([^:]+):(\d+)$/.exec(name);
    const hostPart = m ? m[1]! : name;
    let ip = parseIpv4(hostPart);
    if (ip === undefined) {
      const addr = lookupHost(proc, hostPart, 'unspec').addrs[0];
      ip = addr === undefined ? undefined : parseIpv4(addr);
    }
    if (ip === undefined) {
      proc.stderr(`nslookup: bad address '${hostPart}'\n`);
      return 1;
    }
    servers.push({ name, ip, port: m ? Number(m[2]) : o.port });
  }
  const queries: Query[] = [];
  const used = new Set<number>();
  const add = (type: DnsType, name: string) => {
    let id = proc.ns.kernel.rng.int(0, 0x10000);
    while (used.has(id)) id = (id + 1) & 0xffff;
    used.add(id);
    const bytes = encodeDns({
      id,
      qr: false,
      rd: true,
      rcode: 'NOERROR',
      questions: [{ name, type }],
      answers: [],
      authorities: [],
      additionals: [],
    });
    queries.push({ name, type, id, bytes, answered: false });
  };
  const withSearch = (type: DnsType, name: string) => {
    if (type === 'PTR' || conf.search.length === 0 || name.includes('.')) add(type, name);
    else for (const d of conf.search) add(type, `${name}.${d}`);
  };
  const ptr = ptrName(host);
  if (o.types.length === 0) {
    if (ptr !== undefined) add('PTR', ptr);
    else {
      withSearch('A', host);
      withSearch('AAAA', host);
    }
  } else for (const t of QTYPES) if (o.types.includes(t)) withSearch(t, host);

  const state = { exit: 0 };
  let answered = false;
  for (const server of servers) {
    if (sendQueries(proc, server, queries, o, state) > 0) {
      answered = true;
      break;
    }
  }
  if (!answered) {
    proc.stdout(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  const missing = queries.filter((q) => !q.answered);
  for (const q of missing) proc.stdout(`*** Can't find ${q.name}: No answer\n`);
  if (missing.length) proc.stdout('\n');
  return state.exit;
}
