// The name tables iptables 1.8.9 consults when it reads and prints rules: protocol names (the
// builtin list, then /etc/protocols), service names (/etc/services, for `-L` without -n and for
// `--dport http`), ICMP type names (libxt_icmp), syslog levels (libxt_LOG), host and network names
// (/etc/hosts, /etc/networks). The /etc files are Debian 12's (netbase 6.4); only the entries
// listed here are known — any other number prints as a number.

/**
 * Debian's /etc/protocols (netbase) as [number, keyword]: what getprotobynumber() and
 * getprotobyname() read, for iptables here and for ipset, ipvsadm, conntrack and ip rule (apps).
 */
export const ETC_PROTOCOLS: ReadonlyArray<readonly [number, string]> = [
  [0, 'ip'],
  [1, 'icmp'],
  [2, 'igmp'],
  [3, 'ggp'],
  [4, 'ipencap'],
  [5, 'st'],
  [6, 'tcp'],
  [8, 'egp'],
  [9, 'igp'],
  [12, 'pup'],
  [17, 'udp'],
  [20, 'hmp'],
  [22, 'xns-idp'],
  [27, 'rdp'],
  [29, 'iso-tp4'],
  [33, 'dccp'],
  [36, 'xtp'],
  [37, 'ddp'],
  [38, 'idpr-cmtp'],
  [41, 'ipv6'],
  [43, 'ipv6-route'],
  [44, 'ipv6-frag'],
  [45, 'idrp'],
  [46, 'rsvp'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [57, 'skip'],
  [58, 'ipv6-icmp'],
  [59, 'ipv6-nonxt'],
  [60, 'ipv6-opts'],
  [73, 'rspf'],
  [81, 'vmtp'],
  [88, 'eigrp'],
  [89, 'ospf'],
  [93, 'ax.25'],
  [94, 'ipip'],
  [97, 'etherip'],
  [98, 'encap'],
  [103, 'pim'],
  [108, 'ipcomp'],
  [112, 'vrrp'],
  [115, 'l2tp'],
  [124, 'isis'],
  [132, 'sctp'],
  [133, 'fc'],
  [135, 'mobility-header'],
  [136, 'udplite'],
  [137, 'mpls-in-ip'],
  [138, 'manet'],
  [139, 'hip'],
  [140, 'shim6'],
  [141, 'wesp'],
  [142, 'rohc'],
  [143, 'ethernet'],
];

/** How iptables names a protocol other than 0 (which it prints as `all`), number → keyword. */
const PROTOCOLS: ReadonlyMap<number, string> = new Map(ETC_PROTOCOLS.filter(([n]) => n !== 0));
const PROTOCOL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ...[...PROTOCOLS].map(([n, s]) => [s, n] as const),
  // iptables' own list and /etc/protocols aliases
  ['all', 0],
  ['ip', 0],
  ['icmpv6', 58],
  ['mh', 135],
  ['ipv6-mh', 135],
]);

/** `-p` text → protocol number; undefined for an unknown name (iptables: `unknown protocol "x" specified`). */
export function protocolNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  return PROTOCOL_NUMBERS.get(text.toLowerCase());
}

/** How iptables-save and `-L` name a protocol: its /etc/protocols name, else the number. */
export function protocolName(proto: number): string {
  return proto === 0 ? 'all' : (PROTOCOLS.get(proto) ?? String(proto));
}

/** Debian's /etc/services entries for well-known ports, per protocol (port → name). */
const TCP_SERVICES: ReadonlyMap<number, string> = new Map([
  [1, 'tcpmux'],
  [7, 'echo'],
  [9, 'discard'],
  [11, 'systat'],
  [13, 'daytime'],
  [15, 'netstat'],
  [20, 'ftp-data'],
  [21, 'ftp'],
  [22, 'ssh'],
  [23, 'telnet'],
  [25, 'smtp'],
  [37, 'time'],
  [53, 'domain'],
  [80, 'http'],
  [88, 'kerberos'],
  [110, 'pop3'],
  [111, 'sunrpc'],
  [119, 'nntp'],
  [139, 'netbios-ssn'],
  [143, 'imap2'],
  [161, 'snmp'],
  [162, 'snmp-trap'],
  [179, 'bgp'],
  [389, 'ldap'],
  [443, 'https'],
  [445, 'microsoft-ds'],
  [465, 'submissions'],
  [514, 'shell'],
  [515, 'printer'],
  [587, 'submission'],
  [631, 'ipp'],
  [636, 'ldaps'],
  [873, 'rsync'],
  [993, 'imaps'],
  [995, 'pop3s'],
  [1080, 'socks'],
  [1194, 'openvpn'],
  [1812, 'radius'],
  [1813, 'radius-acct'],
  [2049, 'nfs'],
  [3260, 'iscsi-target'],
  [3306, 'mysql'],
  [3389, 'ms-wbt-server'],
  [5060, 'sip'],
  [5432, 'postgresql'],
  [5666, 'nrpe'],
  [5671, 'amqps'],
  [5672, 'amqp'],
  [6379, 'redis'],
  [6667, 'ircd'],
  [8080, 'http-alt'],
]);
const UDP_SERVICES: ReadonlyMap<number, string> = new Map([
  [7, 'echo'],
  [9, 'discard'],
  [13, 'daytime'],
  [21, 'fsp'],
  [37, 'time'],
  [53, 'domain'],
  [67, 'bootps'],
  [68, 'bootpc'],
  [69, 'tftp'],
  [88, 'kerberos'],
  [111, 'sunrpc'],
  [123, 'ntp'],
  [137, 'netbios-ns'],
  [138, 'netbios-dgm'],
  [161, 'snmp'],
  [162, 'snmp-trap'],
  [389, 'ldap'],
  [443, 'https'],
  [514, 'syslog'],
  [520, 'route'],
  [546, 'dhcpv6-client'],
  [547, 'dhcpv6-server'],
  [636, 'ldaps'],
  [1194, 'openvpn'],
  [1701, 'l2f'],
  [1812, 'radius'],
  [1813, 'radius-acct'],
  [2049, 'nfs'],
  [5060, 'sip'],
  [5353, 'mdns'],
]);

function servicesOf(proto: number): ReadonlyMap<number, string> | undefined {
  return proto === 6 ? TCP_SERVICES : proto === 17 ? UDP_SERVICES : undefined;
}

/** getservbyport(): the service name of a port for `-L` without -n, else the number. */
export function serviceName(port: number, proto: number): string {
  return servicesOf(proto)?.get(port) ?? String(port);
}

/** getservbyname() as iptables' port parser uses it (any protocol when proto is 0). */
export function servicePort(name: string, proto: number): number | undefined {
  const tables = proto === 0 ? [TCP_SERVICES, UDP_SERVICES] : [servicesOf(proto) ?? new Map<number, string>()];
  for (const t of tables) for (const [port, n] of t) if (n === name) return port;
  return undefined;
}

/** libxt_icmp's names: type, code range, name. A type with the whole code range 0-255 is named by type alone. */
const ICMP_CODES: readonly (readonly [number, number, number, string])[] = [
  [255, 0, 255, 'any'],
  [0, 0, 255, 'echo-reply'],
  [3, 0, 255, 'destination-unreachable'],
  [3, 0, 0, 'network-unreachable'],
  [3, 1, 1, 'host-unreachable'],
  [3, 2, 2, 'protocol-unreachable'],
  [3, 3, 3, 'port-unreachable'],
  [3, 4, 4, 'fragmentation-needed'],
  [3, 5, 5, 'source-route-failed'],
  [3, 6, 6, 'network-unknown'],
  [3, 7, 7, 'host-unknown'],
  [3, 9, 9, 'network-prohibited'],
  [3, 10, 10, 'host-prohibited'],
  [3, 11, 11, 'TOS-network-unreachable'],
  [3, 12, 12, 'TOS-host-unreachable'],
  [3, 13, 13, 'communication-prohibited'],
  [3, 14, 14, 'host-precedence-violation'],
  [3, 15, 15, 'precedence-cutoff'],
  [4, 0, 255, 'source-quench'],
  [5, 0, 255, 'redirect'],
  [5, 0, 0, 'network-redirect'],
  [5, 1, 1, 'host-redirect'],
  [5, 2, 2, 'TOS-network-redirect'],
  [5, 3, 3, 'TOS-host-redirect'],
  [8, 0, 255, 'echo-request'],
  [9, 0, 255, 'router-advertisement'],
  [10, 0, 255, 'router-solicitation'],
  [11, 0, 255, 'time-exceeded'],
  [11, 0, 0, 'ttl-zero-during-transit'],
  [11, 1, 1, 'ttl-zero-during-reassembly'],
  [12, 0, 255, 'parameter-problem'],
  [12, 0, 0, 'ip-header-bad'],
  [12, 1, 1, 'required-option-missing'],
  [13, 0, 255, 'timestamp-request'],
  [14, 0, 255, 'timestamp-reply'],
  [17, 0, 255, 'address-mask-request'],
  [18, 0, 255, 'address-mask-reply'],
];
const ICMP_ALIASES: ReadonlyMap<string, string> = new Map([
  ['pong', 'echo-reply'],
  ['ping', 'echo-request'],
  ['ttl-exceeded', 'time-exceeded'],
]);

/** An ICMP type and code range, as `--icmp-type` stores it (`3` is codes 0-255, `3/4` is code 4). */
export interface IcmpTypeCode {
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

/** Looks up `--icmp-type` names (a unique prefix is enough, as in libxt_icmp). */
export function icmpByName(name: string): IcmpTypeCode | undefined {
  const full = ICMP_ALIASES.get(name) ?? name;
  const exact = ICMP_CODES.find((c) => c[3] === full);
  const hits = exact ? [exact] : ICMP_CODES.filter((c) => c[3].startsWith(full));
  if (hits.length !== 1) return undefined;
  const [type, codeMin, codeMax] = hits[0]!;
  return { type, codeMin, codeMax };
}

/** The libxt_icmp name of a type and code range, if it has one. */
export function icmpName(t: IcmpTypeCode): string | undefined {
  return ICMP_CODES.find((c) => c[0] === t.type && c[1] === t.codeMin && c[2] === t.codeMax)?.[3];
}

/** syslog levels as libxt_LOG prints them (`LOG level warn`). */
export const LOG_LEVELS: readonly string[] = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];
/** The names `--log-level` accepts (libxt_LOG's table: `warning`, not `warn`; no `err`). */
const LOG_LEVEL_NAMES: ReadonlyMap<string, number> = new Map([
  ['alert', 1],
  ['crit', 2],
  ['debug', 7],
  ['emerg', 0],
  ['error', 3],
  ['info', 6],
  ['notice', 5],
  ['panic', 0],
  ['warning', 4],
]);

export function logLevelNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 7 ? n : undefined;
  }
  return LOG_LEVEL_NAMES.get(text);
}

/** /etc/hosts of a kind node: what `-L` without -n prints for a /32 address it knows. */
const HOSTS: ReadonlyMap<number, string> = new Map([[0x7f000001, 'localhost']]);
/** Debian's /etc/networks: what `-L` without -n prints for a network address it knows. */
const NETWORKS: ReadonlyMap<number, string> = new Map([
  [0, 'default'],
  [0x7f000000, 'loopback'],
  [0xa9fe0000, 'link-local'],
]);

export function hostName(addr: number): string | undefined {
  return HOSTS.get(addr);
}

export function networkName(addr: number): string | undefined {
  return NETWORKS.get(addr);
}

/** Formats a date as C's ctime() does, without the newline: `Thu Nov 26 02:50:19 2026` (in UTC). */
export function ctime(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}
