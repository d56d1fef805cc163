// getservbyport(3) over /etc/services, for the ports a lab's programs use: the names are
// Debian netbase 6.4's (the kind node's and this machine's), a subset of its table; a port not
// listed prints as its number, as one without an entry does.

const SERVICES: Readonly<Record<'tcp' | 'udp', Readonly<Record<number, string>>>> = {
  tcp: {
    21: 'ftp',
    22: 'ssh',
    23: 'telnet',
    25: 'smtp',
    53: 'domain',
    80: 'http',
    110: 'pop3',
    111: 'sunrpc',
    143: 'imap2',
    179: 'bgp',
    389: 'ldap',
    443: 'https',
    636: 'ldaps',
    873: 'rsync',
    993: 'imaps',
    995: 'pop3s',
    1080: 'socks',
    2049: 'nfs',
    3306: 'mysql',
    5432: 'postgresql',
    5672: 'amqp',
    6379: 'redis',
    8080: 'http-alt',
    8081: 'tproxy',
    9418: 'git',
  },
  udp: {
    53: 'domain',
    67: 'bootps',
    68: 'bootpc',
    69: 'tftp',
    111: 'sunrpc',
    123: 'ntp',
    161: 'snmp',
    443: 'https',
    500: 'isakmp',
    514: 'syslog',
    1812: 'radius',
    2049: 'nfs',
    4500: 'ipsec-nat-t',
    5353: 'mdns',
  },
};

/** The service name of `port` for `proto`, if /etc/services has one. */
export function serviceName(port: number, proto: 'tcp' | 'udp'): string | undefined {
  return SERVICES[proto][port];
}

/** getservbyname(3): the port of a service name, if /etc/services has it. */
export function servicePort(name: string, proto: 'tcp' | 'udp'): number | undefined {
  for (const [port, n] of Object.entries(SERVICES[proto])) if (n === name) return Number(port);
  return undefined;
}
