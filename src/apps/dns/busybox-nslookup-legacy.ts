// BusyBox's nslookup before 1.29 (networking/nslookup.c as in 1.28, the busybox:1.28 image
// kubernetes.io's DNS pages use): no DNS code of its own. It prints the first nameserver of
// resolv.conf through print_host(), then the name: getaddrinfo() (the C library's search-list
// walk, so `kubernetes.default` resolves in a pod) and, for each address, getnameinfo()'s reverse
// name (a PTR lookup): `%-10s %s` headers, `Address N: IP NAME`. A failed lookup prints
// `nslookup: can't resolve 'NAME'` on stderr and exits 1 (VERBOSE_RESOLUTION_ERRORS off).
// Coarse: the second operand (another DNS server) is refused as not emulated; IPv6 answers are not asked.
import { BUSYBOX_BANNER_1_28 } from '../busybox/banner.js';
import type { Proc } from '../proc.js';
import { lookupHost, resolvConfOf, reverseLookup } from './resolver.js';

const USAGE = `${BUSYBOX_BANNER_1_28}

Usage: nslookup [HOST] [SERVER]

Query the nameserver for the IP address of the given HOST
optionally using a specified DNS server
`;

/** print_host(): the name's addresses with their reverse names, or the error; true when it failed. */
function printHost(proc: Proc, name: string, header: string): boolean {
  const r = lookupHost(proc, name, 'inet');
  if (r.addrs.length === 0) {
    proc.stderr(`nslookup: can't resolve '${name}'\n`);
    return true;
  }
  proc.stdout(`${header.padEnd(10)} ${name}\n`);
  r.addrs.forEach((addr, i) => {
    const rev = reverseLookup(proc, addr);
    proc.stdout(`Address ${i + 1}: ${addr}${rev === undefined ? '' : ` ${rev}`}\n`);
  });
  return false;
}

export function busyboxLegacyNslookup(args: readonly string[], proc: Proc): number {
  if (args.length === 0 || args[0]!.startsWith('-') || args.length > 2) {
    proc.stderr(USAGE);
    return 1;
  }
  if (args.length === 2) {
    proc.stderr('knetlab: nslookup HOST SERVER (BusyBox 1.28) is not emulated\n');
    return 1;
  }
  const server = resolvConfOf(proc).nameservers[0] ?? '127.0.0.1';
  printHost(proc, server, 'Server:');
  proc.stdout('\n');
  return printHost(proc, args[0]!, 'Name:') ? 1 : 0;
}
