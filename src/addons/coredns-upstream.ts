// The resolver outside the cluster that CoreDNS's `forward . /etc/resolv.conf` reaches (on kind,
// the Docker host's resolver behind the network's gateway). knetlab never looks a name up on the
// Internet: this upstream knows only the documented names below (RFC 2606's example domains, at
// addresses of the documentation ranges of RFC 5737) and answers every other name NXDOMAIN with
// the root zone's SOA, as a resolver does for a name that does not exist.
import { decodeDns, encodeDns, type DnsMessage, type DnsQuestion, type DnsRecord, type DnsType } from '../wire/index.js';

/** The upstream's records: name → A addresses (TTL 300). */
export const UPSTREAM_A: Readonly<Record<string, readonly string[]>> = {
  'example.com': ['192.0.2.10'],
  'www.example.com': ['192.0.2.10'],
  'example.org': ['198.51.100.10'],
  'www.example.org': ['198.51.100.10'],
  'example.net': ['203.0.113.10'],
  'www.example.net': ['203.0.113.10'],
};

const ROOT_SOA: DnsRecord = {
  name: '',
  type: 'SOA',
  ttl: 86400,
  data: {
    mname: 'a.root-servers.net',
    rname: 'nstld.verisign-grs.com',
    serial: 2026010100,
    refresh: 1800,
    retry: 900,
    expire: 604800,
    minimum: 86400,
  },
};

export interface UpstreamAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN';
  readonly answers: DnsRecord[];
  readonly authorities: DnsRecord[];
}

/** The upstream's answer for `qname` (lower case, no trailing dot). */
export function upstreamAnswer(qname: string, qtype: DnsType): UpstreamAnswer {
  const a = UPSTREAM_A[qname];
  if (!a) return { rcode: 'NXDOMAIN', answers: [], authorities: [ROOT_SOA] };
  if (qtype !== 'A') return { rcode: 'NOERROR', answers: [], authorities: [ROOT_SOA] };
  return { rcode: 'NOERROR', answers: a.map((ip): DnsRecord => ({ name: qname, type: 'A', ttl: 300, data: ip })), authorities: [] };
}

/** A DNS query's message and its first question; undefined for what a server ignores (not DNS, a response, no question). */
export function dnsQuery(bytes: Uint8Array): { readonly q: DnsMessage; readonly question: DnsQuestion } | undefined {
  let q: DnsMessage;
  try {
    q = decodeDns(bytes);
  } catch {
    return undefined;
  }
  const question = q.questions[0];
  return q.qr || !question ? undefined : { q, question };
}

/**
 * The upstream as a resolver (behind Docker's embedded DNS on the kind network): a recursive answer
 * (RA) to the query, the request's EDNS size echoed.
 */
export function upstreamReply({ q, question }: { readonly q: DnsMessage; readonly question: DnsQuestion }): Uint8Array {
  const a = upstreamAnswer(question.name.toLowerCase().replace(/\.$/, ''), question.type);
  return encodeDns({
    id: q.id,
    qr: true,
    rd: q.rd === true,
    ra: true,
    rcode: a.rcode,
    questions: [question],
    answers: a.answers,
    authorities: a.authorities,
    additionals: [],
    ...(q.edns ? { edns: { udpSize: q.edns.udpSize } } : {}),
  });
}
