// libbb's str2sockaddr() (libbb/xconnect.c), how BusyBox's applets turn HOST[:PORT] into an
// address: a trailing `:PORT` is split off, a numeric IPv4 is taken as is, anything else goes to
// the C library's getaddrinfo (the image's libc walks the search list); a failure is
// `bad address 'HOST[:PORT]'`, with the text as given.
import { parseIpv4 } from '../../wire/index.js';
import { lookupHost } from '../dns/resolver.js';
import type { Proc } from '../proc.js';

export function host2sockaddr(proc: Proc, given: string, defaultPort: number): { ip: number; port: number } | { error: string } {
  let host = given;
  let port = defaultPort;
  const colon = given.lastIndexOf(':');
  if (colon >= 0) {
    host = given.slice(0, colon);
    const p = given.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 0xffff) return { error: `bad port '${p}'` };
    port = Number(p);
  }
  const literal = parseIpv4(host);
  if (literal !== undefined) return { ip: literal, port };
  const addr = lookupHost(proc, host, 'unspec').addrs[0];
  const ip = addr === undefined ? undefined : parseIpv4(addr);
  return ip === undefined ? { error: `bad address '${given}'` } : { ip, port };
}
