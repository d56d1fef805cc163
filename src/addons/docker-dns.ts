// Docker's embedded DNS server, as dockerd runs it for every container on a user-defined network
// (moby libnetwork resolver.go, resolver_linux.go): a UDP and a TCP socket on 127.0.0.11 at ports
// the kernel picks, reached on port 53 through DNAT rules dockerd writes into the container's own
// nat table. It answers the names of the network's containers (container name and short ID, TTL
// 600, RA set, not authoritative) and forwards every other query to the Docker host's resolver
// (coredns-upstream.ts, documented names only). Runs on the container's namespace through host/.
import type { HostNetwork } from '../host/index.js';
import type { Rng } from '../sim/index.js';
import { encodeDns, type DnsRecord } from '../wire/index.js';
import { dnsQuery, upstreamReply } from './coredns-upstream.js';

/** Where a container's resolv.conf points on a user-defined network. */
export const DOCKER_DNS_IP = '127.0.0.11';
/** resolver.go respTTL. */
const RESP_TTL = 600;

/** A user-defined network's DNS names (each endpoint's DNSNames, as `docker inspect` lists them): name → IPv4. */
export class NetworkNames {
  private readonly byName = new Map<string, string>();

  set(names: readonly string[], ip: string): void {
    for (const n of names) this.byName.set(n.toLowerCase(), ip);
  }

  delete(names: readonly string[]): void {
    for (const n of names) this.byName.delete(n.toLowerCase());
  }

  lookup(name: string): string | undefined {
    return this.byName.get(name.toLowerCase().replace(/\.$/, ''));
  }
}

export interface EmbeddedDns {
  readonly udpPort: number;
  readonly tcpPort: number;
  stop(): void;
}

/** Linux's default ip_local_port_range, where a bind to port 0 lands. */
const ephemeralPort = (rng: Rng): number => rng.int(32768, 60999);

/**
 * The nat rules setupIPTable writes: DOCKER_OUTPUT/DOCKER_POSTROUTING jumped to for 127.0.0.11,
 * then each of its four rules inserted at the head (so TCP ends up above UDP), as `iptables -I`.
 */
function resolverRules(udpPort: number, tcpPort: number): string {
  const ip = DOCKER_DNS_IP;
  return [
    '*nat',
    ':DOCKER_OUTPUT - [0:0]',
    ':DOCKER_POSTROUTING - [0:0]',
    `-I OUTPUT -d ${ip} -j DOCKER_OUTPUT`,
    `-I POSTROUTING -d ${ip} -j DOCKER_POSTROUTING`,
    `-I DOCKER_OUTPUT -d ${ip} -p udp --dport 53 -j DNAT --to-destination ${ip}:${udpPort}`,
    `-I DOCKER_POSTROUTING -s ${ip} -p udp --sport ${udpPort} -j SNAT --to-source :53`,
    `-I DOCKER_OUTPUT -d ${ip} -p tcp --dport 53 -j DNAT --to-destination ${ip}:${tcpPort}`,
    `-I DOCKER_POSTROUTING -s ${ip} -p tcp --sport ${tcpPort} -j SNAT --to-source :53`,
    'COMMIT',
    '',
  ].join('\n');
}

/**
 * What `iptables-save -t nat` prints of resolverRules in a namespace whose nat table held nothing
 * before (the order the inserts leave, iptables-nft 1.8.9's spelling): what an entrypoint reading
 * the table back at start (kind's network magic) reads. A test holds it to the save's own output.
 */
export function resolverRulesSaved(udpPort: number, tcpPort: number): string {
  const ip = DOCKER_DNS_IP;
  return [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':DOCKER_OUTPUT - [0:0]',
    ':DOCKER_POSTROUTING - [0:0]',
    `-A OUTPUT -d ${ip}/32 -j DOCKER_OUTPUT`,
    `-A POSTROUTING -d ${ip}/32 -j DOCKER_POSTROUTING`,
    `-A DOCKER_OUTPUT -d ${ip}/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination ${ip}:${tcpPort}`,
    `-A DOCKER_OUTPUT -d ${ip}/32 -p udp -m udp --dport 53 -j DNAT --to-destination ${ip}:${udpPort}`,
    `-A DOCKER_POSTROUTING -s ${ip}/32 -p tcp -m tcp --sport ${tcpPort} -j SNAT --to-source :53`,
    `-A DOCKER_POSTROUTING -s ${ip}/32 -p udp -m udp --sport ${udpPort} -j SNAT --to-source :53`,
    'COMMIT',
    '',
  ].join('\n');
}

/** The resolver's answer to one query: a network name's address, or what the host's resolver says. */
export function embeddedDnsReply(bytes: Uint8Array, names: NetworkNames): Uint8Array | undefined {
  const query = dnsQuery(bytes);
  if (!query) return undefined;
  const { q, question } = query;
  const ip = names.lookup(question.name);
  // handleIPQuery/handleMXQuery: a name of the network without an answer of that type gets an empty NOERROR
  if (ip === undefined || !['A', 'AAAA', 'MX'].includes(question.type)) return upstreamReply(query);
  const answers: DnsRecord[] = question.type === 'A' ? [{ name: question.name, type: 'A', ttl: RESP_TTL, data: ip }] : [];
  return encodeDns({
    id: q.id,
    qr: true,
    rd: q.rd === true,
    ra: true,
    rcode: 'NOERROR',
    questions: [question],
    answers,
    authorities: [],
    additionals: [],
  });
}

/** A DNS-over-TCP stream: each message behind its two-byte length, answered in turn. */
function tcpReply(buffered: Uint8Array, names: NetworkNames): { used: number; reply?: Uint8Array } | undefined {
  if (buffered.length < 2) return undefined;
  const len = (buffered[0]! << 8) | buffered[1]!;
  if (buffered.length < 2 + len) return undefined;
  const answer = embeddedDnsReply(buffered.subarray(2, 2 + len), names);
  if (!answer) return { used: 2 + len };
  const framed = new Uint8Array(2 + answer.length);
  framed[0] = answer.length >> 8;
  framed[1] = answer.length & 0xff;
  framed.set(answer, 2);
  return { used: 2 + len, reply: framed };
}

/**
 * dockerd starting a container's resolver: both sockets on 127.0.0.11 in the container's namespace,
 * then the nat rules that lead port 53 to them. `ss -p` names no holder: dockerd runs outside the
 * container, where its /proc scan cannot see.
 */
export function startEmbeddedDns(
  host: HostNetwork,
  names: NetworkNames,
  rng: Rng,
  /**
   * A container whose entrypoint first replaces the nat table with a rewrite of its iptables-save
   * (kind's network magic): given the saved text, the payload it restores. The table then holds
   * what that restore leaves, made in one restore: dockerd's own and the save change nothing it keeps.
   */
  entrypointRestore?: (saved: string) => string,
): EmbeddedDns {
  const udpPort = ephemeralPort(rng);
  let tcpPort = ephemeralPort(rng);
  while (tcpPort === udpPort) tcpPort = ephemeralPort(rng);
  const udp = host.listen(undefined, {
    proto: 'udp',
    addr: DOCKER_DNS_IP,
    port: udpPort,
    onDatagram: (data) => embeddedDnsReply(data, names),
  });
  const tcp = host.listen(undefined, {
    proto: 'tcp',
    addr: DOCKER_DNS_IP,
    port: tcpPort,
    onStream: (buffered) => tcpReply(buffered, names),
  });
  if (entrypointRestore) host.at().iptablesRestore('nat', entrypointRestore(resolverRulesSaved(udpPort, tcpPort)));
  else host.at().iptablesRestore('nat', resolverRules(udpPort, tcpPort), { noflush: true });
  return {
    udpPort,
    tcpPort,
    stop() {
      udp.stop();
      tcp.stop();
    },
  };
}
