// Name tables the ipset and ipvsadm tools consult through libc: /etc/protocols (getprotoby*),
// /etc/services (getservby*) as Debian's netbase ships them, and ipset's own ICMP type names.
// Only the entries a cluster lab meets are here; a number without a name prints as a number.
// /etc/protocols is the one iptables reads (kernel/netfilter's rulespec-names.ts).
import { ETC_PROTOCOLS } from '../../kernel/netfilter/index.js';

/** Aliases /etc/protocols lists beside the names (upper-case forms). */
const PROTOCOL_ALIASES: ReadonlyArray<readonly [string, number]> = [
  ['IP', 0],
  ['HOPOPT', 0],
  ['ICMP', 1],
  ['IGMP', 2],
  ['TCP', 6],
  ['UDP', 17],
  ['GRE', 47],
  ['ESP', 50],
  ['AH', 51],
  ['IPV6-ICMP', 58],
  ['OSPFIGP', 89],
  ['IPIP', 94],
  ['SCTP', 132],
  ['UDPLite', 136],
];

const protoByNumber = new Map<number, string>(ETC_PROTOCOLS);
const protoByName = new Map<string, number>([...ETC_PROTOCOLS.map(([n, s]) => [s, n] as const), ...PROTOCOL_ALIASES]);

/** getprotobynumber(): the protocol's name, or undefined. */
export function protocolName(proto: number): string | undefined {
  return protoByNumber.get(proto);
}

/** getprotobyname(): the protocol's number, or undefined. */
export function protocolNumber(name: string): number | undefined {
  return protoByName.get(name);
}

type ServiceProto = 'tcp' | 'udp' | 'sctp';

/** /etc/services entries (netbase) for the ports a lab uses: [name, port, protocols, aliases]. */
const SERVICES: ReadonlyArray<readonly [string, number, readonly ServiceProto[], readonly string[]]> = [
  ['ftp-data', 20, ['tcp'], []],
  ['ftp', 21, ['tcp'], []],
  ['ssh', 22, ['tcp'], []],
  ['telnet', 23, ['tcp'], []],
  ['smtp', 25, ['tcp'], ['mail']],
  ['domain', 53, ['tcp', 'udp'], []],
  ['bootps', 67, ['udp'], []],
  ['bootpc', 68, ['udp'], []],
  ['tftp', 69, ['udp'], []],
  ['http', 80, ['tcp'], ['www']],
  ['kerberos', 88, ['tcp', 'udp'], ['kerberos5', 'krb5', 'kerberos-sec']],
  ['pop3', 110, ['tcp'], ['pop-3']],
  ['sunrpc', 111, ['tcp', 'udp'], ['portmapper']],
  ['ntp', 123, ['udp'], []],
  ['imap2', 143, ['tcp'], ['imap']],
  ['snmp', 161, ['tcp', 'udp'], []],
  ['snmp-trap', 162, ['tcp', 'udp'], ['snmptrap']],
  ['bgp', 179, ['tcp'], []],
  ['ldap', 389, ['tcp', 'udp'], []],
  ['https', 443, ['tcp', 'udp'], []],
  ['microsoft-ds', 445, ['tcp'], []],
  ['syslog', 514, ['udp'], []],
  ['ldaps', 636, ['tcp', 'udp'], []],
  ['domain-s', 853, ['tcp', 'udp'], []],
  ['rsync', 873, ['tcp'], []],
  ['imaps', 993, ['tcp'], []],
  ['pop3s', 995, ['tcp'], []],
  ['openvpn', 1194, ['tcp', 'udp'], []],
  ['ms-sql-s', 1433, ['tcp'], []],
  ['nfs', 2049, ['tcp', 'udp'], []],
  ['mysql', 3306, ['tcp'], []],
  ['postgresql', 5432, ['tcp'], ['postgres']],
  ['x11', 6000, ['tcp'], ['x11-0']],
  ['http-alt', 8080, ['tcp'], ['webcache']],
  ['vxlan', 4789, ['udp'], []],
];

/** getservbyport(): the service name of a port for tcp/udp/sctp, or undefined. */
export function serviceName(port: number, proto: ServiceProto): string | undefined {
  return SERVICES.find(([, p, protos]) => p === port && protos.includes(proto))?.[0];
}

/** getservbyname(): the port of a service name (or alias) for tcp/udp/sctp, or undefined. */
export function servicePort(name: string, proto: ServiceProto): number | undefined {
  return SERVICES.find(([n, , protos, aliases]) => (n === name || aliases.includes(name)) && protos.includes(proto))?.[1];
}

/** ipset's ICMP type/code names (lib/icmp.c), in its table order. */
export const ICMP_NAMES: ReadonlyArray<readonly [string, number, number]> = [
  ['echo-reply', 0, 0],
  ['pong', 0, 0],
  ['network-unreachable', 3, 0],
  ['host-unreachable', 3, 1],
  ['protocol-unreachable', 3, 2],
  ['port-unreachable', 3, 3],
  ['fragmentation-needed', 3, 4],
  ['source-route-failed', 3, 5],
  ['network-unknown', 3, 6],
  ['host-unknown', 3, 7],
  ['network-prohibited', 3, 9],
  ['host-prohibited', 3, 10],
  ['TOS-network-unreachable', 3, 11],
  ['TOS-host-unreachable', 3, 12],
  ['communication-prohibited', 3, 13],
  ['host-precedence-violation', 3, 14],
  ['precedence-cutoff', 3, 15],
  ['source-quench', 4, 0],
  ['network-redirect', 5, 0],
  ['host-redirect', 5, 1],
  ['TOS-network-redirect', 5, 2],
  ['TOS-host-redirect', 5, 3],
  ['echo-request', 8, 0],
  ['ping', 8, 0],
  ['router-advertisement', 9, 0],
  ['router-solicitation', 10, 0],
  ['ttl-zero-during-transit', 11, 0],
  ['ttl-zero-during-reassembly', 11, 1],
  ['ip-header-bad', 12, 0],
  ['required-option-missing', 12, 1],
  ['timestamp-request', 13, 0],
  ['timestamp-reply', 14, 0],
  ['address-mask-request', 17, 0],
  ['address-mask-reply', 18, 0],
];

/** The name ipset prints for an ICMP type/code, or undefined. */
export function icmpName(type: number, code: number): string | undefined {
  return ICMP_NAMES.find(([, t, c]) => t === type && c === code)?.[0];
}

/** The type/code of an ICMP name ipset accepts, or undefined. */
export function icmpByName(name: string): { type: number; code: number } | undefined {
  const hit = ICMP_NAMES.find(([n]) => n.toLowerCase() === name.toLowerCase());
  return hit ? { type: hit[1], code: hit[2] } : undefined;
}
