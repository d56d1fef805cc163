// How `ip addr` prints one address (print_addrinfo): `inet A/L brd B scope S flags LABEL` and the
// lifetime line, the `-br` and `-o` forms, and the JSON fields. IPv6 addresses are the
// link-local and loopback ones the kernel derives from device state.
import type { IfAddr, Link, Netns } from '../../kernel/index.js';
import { formatIpv4 } from '../../wire/index.js';
import { ipv6AddrsOf } from './facts.js';
import { scopeName } from './names.js';
import type { Printer } from './print.js';

export interface AddrRecord {
  readonly family: 'inet' | 'inet6';
  readonly dev: Link;
  readonly local: string;
  /** For IPv4 only: the numeric address (prefix filters). */
  readonly local4?: number;
  readonly prefixLen: number;
  readonly broadcast?: string;
  readonly scope: number;
  readonly secondary: boolean;
  readonly noprefixroute: boolean;
  readonly label?: string;
  readonly metric?: number;
}

export function inetRecord(a: IfAddr): AddrRecord {
  return {
    family: 'inet',
    dev: a.dev,
    local: formatIpv4(a.local),
    local4: a.local,
    prefixLen: a.prefixLen,
    broadcast: a.broadcast !== undefined ? formatIpv4(a.broadcast) : undefined,
    scope: a.scope,
    secondary: a.secondary,
    noprefixroute: a.noprefixroute,
    label: a.label,
    metric: a.metric || undefined,
  };
}

/** The addresses of a device in dump order: IPv4 in the kernel's list order, then IPv6. */
export function addrsOfLink(ns: Netns, link: Link): AddrRecord[] {
  const v4 = ns.addrsOf(link).map(inetRecord);
  const v6 = ipv6AddrsOf(link).map(
    (a): AddrRecord => ({
      family: 'inet6',
      dev: link,
      local: a.addr,
      prefixLen: a.prefixLen,
      scope: a.scope === 'host' ? 254 : 253,
      secondary: false,
      noprefixroute: false,
    }),
  );
  return [...v4, ...v6];
}

/** print_addrinfo(); `oneline` prefixes `N: name` as `ip -o addr` does. */
export function printAddr(p: Printer, a: AddrRecord, mode: { brief: boolean; oneline: boolean }): void {
  p.openObject();
  if (mode.brief) {
    p.any('local', a.local, a.local);
    p.any('prefixlen', a.prefixLen, `/${a.prefixLen} `);
    if (a.metric !== undefined) p.any('metric', a.metric, `metric ${a.metric} `);
    p.closeObject();
    return;
  }
  if (mode.oneline) p.fp(`${a.dev.ifindex}: ${a.dev.name}`);
  p.any('family', a.family, `    ${a.family} `);
  p.any('local', a.local, a.local);
  p.any('prefixlen', a.prefixLen, `/${a.prefixLen} `);
  if (a.metric !== undefined) p.any('metric', a.metric, `metric ${a.metric} `);
  if (a.broadcast !== undefined) p.any('broadcast', a.broadcast, `brd ${a.broadcast} `);
  p.any('scope', scopeName(a.scope), `scope ${scopeName(a.scope)} `);
  if (a.secondary) p.any('secondary', true, 'secondary ');
  if (a.noprefixroute) p.any('noprefixroute', true, 'noprefixroute ');
  if (a.label !== undefined) p.any('label', a.label, a.label);
  p.nl();
  p.fp('       valid_lft ');
  p.js('valid_life_time', 4294967295);
  p.fp('forever');
  p.fp(' preferred_lft ');
  p.js('preferred_life_time', 4294967295);
  p.fp('forever');
  p.fp('\n');
  p.closeObject();
}
