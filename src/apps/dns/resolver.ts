// The stub resolver of a program's C library: /etc/hosts, then DNS queries over UDP from an
// ephemeral port to the nameservers of /etc/resolv.conf, with the search list walked as the library
// walks it. glibc (res_nsearch, resolv/res_query.c): a name with at least `ndots` dots is tried as
// is first, then with each search domain, and as is last when it had fewer; NXDOMAIN and NODATA go
// on to the next candidate, a timeout or SERVFAIL ends the walk; nameservers are tried in turn.
// musl (name_from_dns_search, src/network/lookup_name.c): a name with `ndots` dots or more is
// tried as is only, otherwise each search domain and then as is; its queries go to every
// nameserver at once. getaddrinfo with AF_UNSPEC (curl, getent ahosts) asks A and AAAA together
// for each candidate. Which library an image has shows in its files: Alpine's musl loader
// /lib/ld-musl-x86_64.so.1.
import { ipSend, KernelError, type Netns } from '../../kernel/index.js';
import {
  decodeDns,
  encodeDns,
  formatIpv4,
  frameDnsTcp,
  parseIpv4,
  unframeDnsTcp,
  type DnsMessage,
  type DnsRecord,
  type DnsType,
} from '../../wire/index.js';
import type { Proc } from '../proc.js';
import { tcpRequest } from '../tcp-request.js';

export const MUSL_LOADER = '/lib/ld-musl-x86_64.so.1';

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  readonly ndots: number;
  /** Seconds per try (RES_TIMEOUT 5). */
  readonly timeout: number;
  /** Tries per nameserver (RES_DFLRETRY 2). */
  readonly attempts: number;
}

/** resolv.conf as res_init reads it: at most 3 nameservers, the last search/domain line wins. */
export function parseResolvConf(text: string | undefined): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  let ndots = 1;
  let timeout = 5;
  let attempts = 2;
  for (const line of (text ?? '').split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t[0] === 'nameserver' && t[1] && nameservers.length < 3) nameservers.push(t[1]);
    else if ((t[0] === 'search' || t[0] === 'domain') && t.length > 1)
      search = t
        .slice(1)
        .map((d) => d.replace(/\.$/, ''))
        .filter((d) => d !== '');
    else if (t[0] === 'options') {
      for (const o of t.slice(1)) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(o);
        if (!m) continue;
        const n = Number(m[2]);
        if (m[1] === 'ndots') ndots = Math.min(n, 15);
        else if (m[1] === 'timeout') timeout = Math.max(1, Math.min(n, 30));
        else attempts = Math.max(1, Math.min(n, 5));
      }
    }
  }
  // no nameserver line: the local host's (127.0.0.1)
  return { nameservers: nameservers.length ? nameservers : ['127.0.0.1'], search, ndots, timeout, attempts };
}

export type Libc = 'glibc' | 'musl';

export function libcOf(proc: Proc): Libc {
  return proc.readFile(MUSL_LOADER) !== undefined ? 'musl' : 'glibc';
}

export function resolvConfOf(proc: Proc): ResolvConf {
  const f = proc.readFile('/etc/resolv.conf');
  return parseResolvConf(f ? new TextDecoder().decode(f) : undefined);
}

/** One query a lookup sent and what came of it (for walks, tests and `+search`). */
export interface QueryLog {
  readonly name: string;
  readonly type: DnsType;
  readonly server: string;
  /** The answer's rcode; undefined when none came (timeout). */
  readonly rcode?: DnsMessage['rcode'];
  readonly answers: number;
  /** A UDP reply with TC set, asked again over TCP next. */
  readonly truncated?: boolean;
  /** Asked over TCP (after a truncated UDP reply). */
  readonly tcp?: boolean;
}

export interface Exchange {
  readonly reply?: DnsMessage;
  /** The bytes of the reply, for dig's MSG SIZE. */
  readonly size?: number;
  /** Milliseconds from sending to the reply (or to giving up). */
  readonly ms: number;
  /** sendto() failed with this errno (no route…). */
  readonly errno?: string;
}

/**
 * Sends `query` to `server`:`port` over UDP from an ephemeral port of `ns` and runs virtual time
 * until the reply with the query's id comes from that server, or `timeoutMs` passes.
 */
export function udpExchange(
  ns: Netns,
  server: string,
  port: number,
  query: DnsMessage,
  timeoutMs: number,
  walk?: Proc['trace'],
  label?: string,
): Exchange {
  const dst = parseIpv4(server);
  const clock = ns.kernel.clock;
  const start = clock.now();
  if (dst === undefined) return { ms: 0, errno: 'EINVAL' };
  let sport = 0;
  for (let i = 0; i < 64 && (sport === 0 || ns.udpHandlers.has(sport)); i++) sport = ns.kernel.rng.int(32768, 61000);
  let reply: DnsMessage | undefined;
  let size: number | undefined;
  let at = start;
  // the socket is connected: an ICMP error for it (a server that is not there: port unreachable)
  // makes its recv() fail, ECONNREFUSED (127.0.0.1 when resolv.conf names no nameserver)
  let socketError: string | undefined;
  ns.udpErrorHandlers.set(sport, (errno) => (socketError ??= errno));
  ns.udpHandlers.set(sport, (skb, udp) => {
    if (reply || skb.data.src !== dst || udp.srcPort !== port || udp.payload.kind !== 'raw') return;
    try {
      const m = decodeDns(udp.payload.bytes);
      if (m.id !== query.id || !m.qr) return;
      reply = m;
      size = udp.payload.bytes.length;
      lastReply.set(ns, udp.payload.bytes);
      at = clock.now();
    } catch {
      // not a DNS message: the resolver ignores it
    }
  });
  try {
    ipSend(
      ns,
      { dst, protocol: 17, payload: { kind: 'udp', srcPort: sport, dstPort: port, payload: { kind: 'raw', bytes: encodeDns(query) } } },
      walk && label ? walk(label) : undefined,
    );
    const limit = start + timeoutMs;
    for (let next = clock.nextAt(); !reply && socketError === undefined && next !== undefined && next <= limit; next = clock.nextAt())
      clock.runUntil(next);
    if (socketError !== undefined) return { ms: clock.now() - start, errno: socketError };
    if (!reply) clock.runUntil(limit);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return { ms: clock.now() - start, errno: e.errno };
  } finally {
    ns.udpHandlers.delete(sport);
    ns.udpErrorHandlers.delete(sport);
  }
  return reply ? { reply, size: size!, ms: at - start } : { ms: clock.now() - start };
}

/**
 * Sends `query` to `server`:`port` over TCP (the 2-byte length prefix), as resolvers do when a UDP
 * reply came truncated (TC); runs virtual time until the whole reply is in or `timeoutMs` passes.
 */
export function tcpExchange(ns: Netns, server: string, port: number, query: DnsMessage, timeoutMs: number): Exchange {
  const dst = parseIpv4(server);
  const start = ns.kernel.clock.now();
  if (dst === undefined) return { ms: 0, errno: 'EINVAL' };
  let r;
  try {
    // one framed message ends the exchange, whatever it holds: the resolver then closes the connection
    r = tcpRequest(ns, dst, port, () => frameDnsTcp(encodeDns(query)), {
      timeoutMs,
      complete: (data) => unframeDnsTcp(data) !== undefined,
    });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return { ms: ns.kernel.clock.now() - start, errno: e.errno };
  }
  const m = unframeDnsTcp(r.data);
  if (m) {
    try {
      const reply = decodeDns(m.msg);
      if (reply.id === query.id && reply.qr) {
        lastReply.set(ns, m.msg);
        return { reply, size: m.msg.length, ms: r.endedAt - start };
      }
    } catch {
      // not a DNS message: the resolver gives up on this connection
    }
  }
  const ms = ns.kernel.clock.now() - start;
  return r.errno ? { ms, errno: r.errno } : { ms };
}

const lastReply = new WeakMap<Netns, Uint8Array>();

/** The bytes of the last DNS reply a program received in `ns` (what a capture would have shown), for recording tools' goldens. */
export function lastReplyIn(ns: Netns): Uint8Array | undefined {
  return lastReply.get(ns);
}

/** A new query's id from the namespace's kernel randomness. */
export function queryId(ns: Netns): number {
  return ns.kernel.rng.int(0, 0x10000);
}

/** /etc/hosts' addresses for `name` (case-insensitive), files before dns as nsswitch.conf has it. */
export function hostsLookup(proc: Proc, name: string): string[] {
  const f = proc.readFile('/etc/hosts');
  if (!f) return name.toLowerCase() === 'localhost' ? ['127.0.0.1'] : [];
  const out: string[] = [];
  for (const line of new TextDecoder().decode(f).split('\n')) {
    const t = line.replace(/#.*/, '').trim().split(/\s+/);
    if (t.length < 2 || parseIpv4(t[0]!) === undefined) continue;
    if (t.slice(1).some((n) => n.toLowerCase() === name.toLowerCase().replace(/\.$/, ''))) out.push(t[0]!);
  }
  return out;
}

/** The candidates the library tries for `name`, in order. */
export function searchCandidates(name: string, conf: ResolvConf, libc: Libc): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = [...name].filter((c) => c === '.').length;
  const withSearch = conf.search.map((d) => `${name}.${d}`);
  if (libc === 'musl') return dots >= conf.ndots ? [name] : [...withSearch, name];
  return dots >= conf.ndots ? [name, ...withSearch] : [...withSearch, name];
}

export interface LookupResult {
  readonly addrs: readonly string[];
  /** The name that answered (the candidate), and the CNAME target when there was one. */
  readonly answeredName?: string;
  readonly canonical?: string;
  /** NXDOMAIN or NODATA for every candidate; TIMEOUT when no nameserver answered; SERVFAIL. */
  readonly error?: 'NOTFOUND' | 'TIMEOUT' | 'SERVFAIL' | 'NOROUTE';
  readonly queries: readonly QueryLog[];
}

/**
 * getaddrinfo()/gethostbyname() for IPv4 addresses: /etc/hosts, then DNS with the search walk.
 * `family` unspec asks A and AAAA for each candidate, as curl and getent ahosts do.
 */
export function lookupHost(proc: Proc, name: string, family: 'inet' | 'unspec' = 'unspec'): LookupResult {
  const literal = parseIpv4(name);
  if (literal !== undefined) return { addrs: [formatIpv4(literal)], queries: [] };
  const fromHosts = hostsLookup(proc, name);
  if (fromHosts.length) return { addrs: fromHosts, answeredName: name, queries: [] };
  const conf = resolvConfOf(proc);
  const libc = libcOf(proc);
  const queries: QueryLog[] = [];
  const types: DnsType[] = family === 'unspec' ? ['A', 'AAAA'] : ['A'];
  let sawTimeout = false;
  for (const cand of searchCandidates(name, conf, libc)) {
    let addrs: string[] = [];
    let canonical: string | undefined;
    let anyAnswer = false;
    let stop: LookupResult['error'];
    for (const type of types) {
      const r = queryServers(proc, conf, libc, cand, type, queries);
      if (r === 'TIMEOUT' || r === 'NOROUTE') {
        stop = r;
        break;
      }
      if (r.rcode === 'SERVFAIL' || r.rcode === 'REFUSED') {
        if (libc === 'musl') stop = 'SERVFAIL';
        continue;
      }
      if (r.rcode === 'NOERROR' && r.answers.length) anyAnswer = true;
      if (type === 'A') {
        addrs = r.answers.filter((x): x is DnsRecord & { type: 'A' } => x.type === 'A').map((x) => x.data);
        canonical = lastCname(r.answers);
      }
    }
    if (stop === 'TIMEOUT' || stop === 'NOROUTE') {
      sawTimeout = true;
      return { addrs: [], error: stop, queries };
    }
    if (stop) return { addrs: [], error: stop, queries };
    if (anyAnswer && addrs.length) return { addrs, answeredName: cand, ...(canonical ? { canonical } : {}), queries };
  }
  return { addrs: [], error: sawTimeout ? 'TIMEOUT' : 'NOTFOUND', queries };
}

function lastCname(answers: readonly DnsRecord[]): string | undefined {
  let c: string | undefined;
  for (const r of answers) if (r.type === 'CNAME') c = r.data;
  return c;
}

/** One question to the nameservers as the library asks it: glibc in turn, musl all at once (the first answer wins). */
function queryServers(
  proc: Proc,
  conf: ResolvConf,
  libc: Libc,
  name: string,
  type: DnsType,
  log: QueryLog[],
): DnsMessage | 'TIMEOUT' | 'NOROUTE' {
  let noroute = false;
  for (let attempt = 0; attempt < conf.attempts; attempt++) {
    for (const server of conf.nameservers) {
      const query: DnsMessage = {
        id: queryId(proc.ns),
        qr: false,
        rd: true,
        rcode: 'NOERROR',
        questions: [{ name, type }],
        answers: [],
        authorities: [],
        additionals: [],
      };
      const timeout = libc === 'musl' ? Math.max(1000, Math.floor((conf.timeout * 1000) / conf.attempts)) : conf.timeout * 1000;
      let x = udpExchange(proc.ns, server, 53, query, timeout, proc.trace, `DNS ${type}? ${name} to ${server}`);
      // a truncated reply (TC): glibc's res_send and musl (1.2.4 on) ask again over TCP
      let tcp = false;
      if (x.reply?.tc) {
        log.push({ name, type, server, rcode: x.reply.rcode, answers: x.reply.answers.length, truncated: true });
        x = tcpExchange(proc.ns, server, 53, query, timeout);
        tcp = true;
      }
      log.push({
        name,
        type,
        server,
        ...(x.reply ? { rcode: x.reply.rcode } : {}),
        answers: x.reply?.answers.length ?? 0,
        ...(tcp ? { tcp } : {}),
      });
      if (x.errno) noroute = true;
      if (x.reply) return x.reply;
    }
  }
  return noroute ? 'NOROUTE' : 'TIMEOUT';
}

/** gai_strerror() of a failed lookup, in the image's C library's words (EAI_NONAME, EAI_AGAIN). */
export function gaiStrerror(r: LookupResult, libc: Libc): string {
  // UNVERIFIED: a resolver that cannot send at all (no route) is taken as EAI_AGAIN, as a timeout is.
  if (r.error === 'NOTFOUND') return libc === 'musl' ? 'Name does not resolve' : 'Name or service not known';
  return libc === 'musl' ? 'Try again' : 'Temporary failure in name resolution';
}

/**
 * getnameinfo() for an IPv4 address: the first name /etc/hosts gives it, else the PTR record of its
 * in-addr.arpa name from DNS (no search list); undefined when neither has one.
 */
export function reverseLookup(proc: Proc, address: string): string | undefined {
  const f = proc.readFile('/etc/hosts');
  for (const line of f ? new TextDecoder().decode(f).split('\n') : []) {
    const t = line.replace(/#.*/, '').trim().split(/\s+/);
    if (t.length >= 2 && t[0] === address) return t[1];
  }
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  const conf = resolvConfOf(proc);
  const name = `${ip & 255}.${(ip >>> 8) & 255}.${(ip >>> 16) & 255}.${ip >>> 24}.in-addr.arpa`;
  const r = queryServers(proc, conf, libcOf(proc), name, 'PTR', []);
  if (typeof r === 'string') return undefined;
  const ptr = r.answers.find((x) => x.type === 'PTR');
  return ptr ? String(ptr.data).replace(/\.$/, '') : undefined;
}
