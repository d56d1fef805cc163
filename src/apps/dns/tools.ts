// BIND 9.18's nslookup and host (netshoot's bind-tools), and glibc's `getent hosts` (Debian
// images): each walks resolv.conf's search list for a name with fewer than ndots dots and prints
// in the tool's own words (checked against nslookup/host 9.18.49 for the same replies). A truncated
// reply is asked again over TCP, nslookup saying so (`;; Truncated, retrying in TCP mode.`), host not.
import { parseIpv4, type DnsMessage, type DnsRecord, type DnsType } from '../../wire/index.js';
import type { Proc } from '../proc.js';
import { lookupHost, queryId, resolvConfOf, searchCandidates, tcpExchange, udpExchange } from './resolver.js';

interface Asked {
  readonly name: string;
  readonly reply?: DnsMessage;
}

/**
 * Asks `type` for each candidate of `name` until one has answers; the last reply otherwise. A
 * truncated reply (TC) is asked again over TCP, after `truncated()` (nslookup's comment line).
 */
function ask(
  proc: Proc,
  server: string,
  port: number,
  name: string,
  type: DnsType,
  timeoutMs: number,
  tries: number,
  truncated?: () => void,
): Asked | undefined {
  const conf = resolvConfOf(proc);
  let last: Asked | undefined;
  for (const cand of searchCandidates(name, conf, 'glibc')) {
    let reply: DnsMessage | undefined;
    for (let t = 0; t < tries && !reply; t++) {
      const q: DnsMessage = {
        id: queryId(proc.ns),
        qr: false,
        rd: true,
        rcode: 'NOERROR',
        questions: [{ name: cand, type }],
        answers: [],
        authorities: [],
        additionals: [],
      };
      reply = udpExchange(proc.ns, server, port, q, timeoutMs, proc.trace, `${type}? ${cand}`).reply;
      if (reply?.tc) {
        truncated?.();
        reply = tcpExchange(proc.ns, server, port, q, timeoutMs).reply;
      }
    }
    if (!reply) return last;
    last = { name: cand, reply };
    if (reply.rcode === 'NOERROR' && reply.answers.length) return last;
    if (reply.rcode !== 'NXDOMAIN' && reply.rcode !== 'NOERROR') return last;
  }
  return last;
}

const PTR_OF = (ip: number) => `${[ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].reverse().join('.')}.in-addr.arpa`;

/** nslookup NAME [SERVER] (non-interactive). */
export function nslookup(args: readonly string[], proc: Proc): number {
  const rest = args.filter((a) => !a.startsWith('-'));
  let port = 53;
  for (const a of args) if (/^-port=\d+$/.test(a)) port = Number(a.slice(6));
  const name = rest[0];
  if (name === undefined) {
    proc.stderr('knetlab: interactive nslookup is not emulated\n');
    return 1;
  }
  const server = rest[1] ?? resolvConfOf(proc).nameservers[0]!;
  const head = `Server:\t\t${server}\nAddress:\t${server}#${port}\n\n`;
  const ip = parseIpv4(name);
  if (ip !== undefined) {
    const r = ask(proc, server, port, `${PTR_OF(ip)}.`, 'PTR', 5000, 3);
    if (!r?.reply) return noServers(proc, server, port);
    if (!r.reply.answers.length) {
      proc.stdout(`${head}** server can't find ${PTR_OF(ip)}: ${r.reply.rcode}\n\n`);
      return 1;
    }
    proc.stdout(
      head +
        r.reply.answers
          .filter((x) => x.type === 'PTR')
          .map((x) => `${PTR_OF(ip)}\tname = ${x.data}.\n`)
          .join('') +
        '\n',
    );
    return 0;
  }
  // BIND's comment when a reply came truncated, printed where the retry happens
  const truncated = () => proc.stdout(';; Truncated, retrying in TCP mode.\n');
  const a = ask(proc, server, port, name, 'A', 5000, 3, truncated);
  if (!a?.reply) return noServers(proc, server, port);
  if (a.reply.rcode !== 'NOERROR' || !a.reply.answers.length) {
    const aaaa = ask(proc, server, port, name, 'AAAA', 5000, 3, truncated);
    if (aaaa?.reply?.answers.length) {
      proc.stdout(`${head}${aaaa.reply.aa ? '' : 'Non-authoritative answer:\n'}${records(aaaa.reply.answers)}\n`);
      return 0;
    }
    proc.stdout(`${head}** server can't find ${name}: ${a.reply.rcode === 'NOERROR' ? 'NXDOMAIN' : a.reply.rcode}\n\n`);
    return 1;
  }
  proc.stdout(`${head}${a.reply.aa ? '' : 'Non-authoritative answer:\n'}${records(a.reply.answers)}`);
  const aaaa = ask(proc, server, port, a.name, 'AAAA', 5000, 3, truncated);
  proc.stdout(`${records(aaaa?.reply?.answers ?? [])}\n`);
  return 0;
}

function records(list: readonly DnsRecord[]): string {
  let out = '';
  for (const r of list) {
    if (r.type === 'CNAME') out += `${r.name}\tcanonical name = ${r.data}.\n`;
    else if (r.type === 'A' || r.type === 'AAAA') out += `Name:\t${r.name}\nAddress: ${r.data}\n`;
  }
  return out;
}

function noServers(proc: Proc, server: string, port: number): number {
  for (let i = 0; i < 3; i++) proc.stderr(`;; communications error to ${server}#${port}: timed out\n`);
  proc.stdout(';; no servers could be reached\n\n');
  return 1;
}

/** host NAME [SERVER]: A, AAAA and MX of a name, or the PTR of an address. */
export function host(args: readonly string[], proc: Proc): number {
  let port = 53;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-p') port = Number(args[++i]);
    else if (args[i]!.startsWith('-')) {
      proc.stderr(`knetlab: host ${args[i]} is not emulated\n`);
      return 1;
    } else rest.push(args[i]!);
  }
  const name = rest[0];
  if (name === undefined) {
    proc.stderr(
      'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n',
    );
    return 1;
  }
  const server = rest[1] ?? resolvConfOf(proc).nameservers[0]!;
  let out = rest[1] !== undefined ? `Using domain server:\nName: ${server}\nAddress: ${server}#${port}\nAliases: \n\n` : '';
  const ip = parseIpv4(name);
  if (ip !== undefined) {
    const r = ask(proc, server, port, `${PTR_OF(ip)}.`, 'PTR', 5000, 3);
    if (!r?.reply) return hostTimeout(proc, name, out);
    if (!r.reply.answers.length) {
      proc.stdout(`${out}Host ${PTR_OF(ip)} not found: ${rcodeNum(r.reply.rcode)}(${r.reply.rcode})\n`);
      return 1;
    }
    proc.stdout(
      out +
        r.reply.answers
          .filter((x) => x.type === 'PTR')
          .map((x) => `${PTR_OF(ip)} domain name pointer ${x.data}.\n`)
          .join(''),
    );
    return 0;
  }
  const a = ask(proc, server, port, name, 'A', 5000, 2);
  if (!a?.reply) return hostTimeout(proc, name, out);
  if (a.reply.rcode === 'NXDOMAIN' || a.reply.rcode !== 'NOERROR') {
    proc.stdout(`${out}Host ${name} not found: ${rcodeNum(a.reply.rcode)}(${a.reply.rcode})\n`);
    return 1;
  }
  for (const r of a.reply.answers) {
    if (r.type === 'CNAME') out += `${r.name} is an alias for ${r.data}.\n`;
    else if (r.type === 'A') out += `${r.name} has address ${r.data}\n`;
  }
  for (const t of ['AAAA', 'MX'] as const) {
    const more = ask(proc, server, port, a.name, t, 5000, 2);
    for (const r of more?.reply?.answers ?? []) {
      if (r.type === 'AAAA') out += `${r.name} has IPv6 address ${r.data}\n`;
      else if (r.type === 'MX') out += `${r.name} mail is handled by ${r.data.preference} ${r.data.exchange}.\n`;
    }
  }
  proc.stdout(out);
  return 0;
}

function hostTimeout(proc: Proc, name: string, out: string): number {
  proc.stdout(`${out};; connection timed out; no servers could be reached\n`);
  void name;
  return 1;
}

function rcodeNum(rcode: DnsMessage['rcode']): number {
  return ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'].indexOf(rcode);
}

/** getent hosts NAME… (glibc): `%-15s %s` — the address, then the name that answered. */
export function getent(args: readonly string[], proc: Proc): number {
  if (args[0] !== 'hosts' && args[0] !== 'ahosts') {
    proc.stderr(`knetlab: getent ${args[0] ?? ''} is not emulated (only hosts)\n`.replace(' \n', '\n'));
    return 1;
  }
  if (args.length < 2) {
    proc.stderr('knetlab: getent hosts without a key (the whole database) is not emulated\n');
    return 1;
  }
  let status = 0;
  for (const key of args.slice(1)) {
    const r = lookupHost(proc, key, args[0] === 'ahosts' ? 'unspec' : 'inet');
    if (!r.addrs.length) {
      status = 2;
      continue;
    }
    const name = r.canonical ?? r.answeredName ?? key;
    if (args[0] === 'hosts') proc.stdout(`${r.addrs[0]!.padEnd(15)} ${name}\n`);
    else for (const a of r.addrs) proc.stdout(`${a.padEnd(15)} STREAM ${name}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n`);
  }
  return status;
}
