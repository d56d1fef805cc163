// What a value may be before it goes into text for a real tool (an `ip -batch` line, an argv
// word of ip, bridge, sysctl, iptables-save or ipvsadm run as root). Every value is checked
// against what the tool or the kernel accepts — an allow-list for an enumeration, the kernel's
// rules for a name, a parsed address, a bounded integer — never merely quoted: a newline in a
// batch line is a second command, and `netns exec NS CMD` in a batch runs CMD as root.
import { HostError } from './network.js';

/** The value as an error shows it: quoted and escaped, long ones cut. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function refuse(what: string, field: string, value: unknown, rule: string): never {
  // `what` names the operation with the raw value in it: keep the message one short line.
  const operation = what.replace(/[^\x20-\x7e]/g, (c) => JSON.stringify(c).slice(1, -1));
  throw new HostError(
    `Cannot ${operation.length > 120 ? `${operation.slice(0, 117)}...` : operation}: ${field} ${shown(value)} ${rule}`,
    '',
    0,
  );
}

/** Printable ASCII other than blanks and what ip's batch reader treats as quote, escape or comment. */
const PLAIN = /^[\x21-\x7e]+$/;
const BATCH_SPECIAL = /["'\\#]/;

function plain(what: string, field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') refuse(what, field, value, 'is not a string');
  if (value === '' || value.length > max) refuse(what, field, value, `must be 1 to ${max} characters long`);
  if (!PLAIN.test(value) || BATCH_SPECIAL.test(value)) {
    refuse(what, field, value, "may hold only printable ASCII without blanks, quotes, backslashes or '#'");
  }
  return value;
}

/**
 * An interface name as the kernel takes it (dev_valid_name): shorter than IFNAMSIZ (16), not
 * `.` or `..`, no `/`, `:` or white space; restricted further to what a batch line can carry.
 */
export function ifName(what: string, field: string, value: unknown): string {
  const name = plain(what, field, value, 15);
  if (name === '.' || name === '..' || /[/:]/.test(name))
    refuse(what, field, value, "is not a valid interface name (no '/' or ':', not '.' or '..')");
  return name;
}

/** A network namespace name as `ip netns` takes it: a file name in /run/netns (no `/`, not `.` or `..`). */
export function netnsName(what: string, field: string, value: unknown): string {
  const name = plain(what, field, value, 255);
  if (name === '.' || name === '..' || name.includes('/'))
    refuse(what, field, value, "is not a valid netns name (no '/', not '.' or '..')");
  return name;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** A dotted-quad IPv4 address. */
export function ipv4(what: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !IPV4.test(value)) refuse(what, field, value, 'is not an IPv4 address (a.b.c.d)');
  return value;
}

/** An IPv4 prefix `a.b.c.d/len` (len 0–32); `bare` also takes a plain address (a /32). */
export function ipv4Prefix(what: string, field: string, value: unknown, bare = false): string {
  // Cut at the first '/' (no split() list): a second '/' leaves the length unmatched.
  const slash = typeof value === 'string' ? value.indexOf('/') : -1;
  const addr = typeof value !== 'string' ? '' : slash < 0 ? value : value.slice(0, slash);
  const len = typeof value === 'string' && slash >= 0 ? value.slice(slash + 1) : undefined;
  const lenOk = len !== undefined && /^(\d|[12]\d|3[0-2])$/.test(len);
  if (typeof value !== 'string' || !IPV4.test(addr) || (len === undefined ? !bare : !lenOk)) {
    refuse(what, field, value, `is not an IPv4 prefix (a.b.c.d/0-32${bare ? ' or a.b.c.d' : ''})`);
  }
  return value;
}

/** A route destination: `default` or an IPv4 prefix. */
export function routeDst(what: string, value: unknown): string {
  return value === 'default' ? value : ipv4Prefix(what, 'dst', value, true);
}

/** A link-layer address: six colon-separated hex octets. */
export function mac(what: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(value))
    refuse(what, field, value, 'is not a MAC address (xx:xx:xx:xx:xx:xx)');
  return value;
}

/** An integer in [min, max] (the width the tool parses it into). */
export function uint(what: string, field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    refuse(what, field, value, `is not an integer from ${min} to ${max}`);
  }
  return String(value);
}

/** One of the words the tool knows for this field. */
export function oneOf<T extends string>(what: string, field: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) refuse(what, field, value, `is not one of ${allowed.join(', ')}`);
  return value as T;
}

/** A name from one of iproute2's tables (rt_protos, rt_tables) or a number in its range. */
export function nameOrNumber(what: string, field: string, value: unknown, names: readonly string[], max: number): string {
  if (typeof value === 'number') return uint(what, field, value, 0, max);
  if (typeof value === 'string' && /^\d+$/.test(value)) return uint(what, field, Number(value), 0, max);
  return oneOf(what, field, value, names);
}

export const LINK_KINDS = ['veth', 'bridge', 'dummy', 'vxlan', 'ipip'] as const;
export const ROUTE_TYPES = ['unicast', 'local', 'blackhole', 'unreachable', 'prohibit'] as const;
export const ROUTE_SCOPES = ['global', 'link', 'host'] as const;
/** /etc/iproute2/rt_protos' names as iproute2 ships them. */
export const ROUTE_PROTOS = [
  'redirect',
  'kernel',
  'boot',
  'static',
  'ra',
  'mrt',
  'zebra',
  'bird',
  'dnrouted',
  'xorp',
  'ntk',
  'dhcp',
  'keepalived',
  'babel',
  'openr',
  'bgp',
  'isis',
  'ospf',
  'rip',
  'eigrp',
] as const;
/** /etc/iproute2/rt_tables' names. */
export const ROUTE_TABLES = ['main', 'local', 'default'] as const;
export const NEIGH_STATES = ['permanent', 'noarp', 'reachable', 'stale'] as const;
export const IPTABLES_TABLES = ['filter', 'nat', 'mangle', 'raw', 'security'] as const;
/** ipvsadm's -b list: flag-1..3 with any scheduler; sh-fallback, sh-port, mh-fallback, mh-port only with their own. */
export function ipvsSchedFlags(what: string, scheduler: string, flags: unknown): string {
  if (!Array.isArray(flags) || flags.length === 0) refuse(what, 'schedFlags', flags, 'is not a list of scheduler flags');
  for (const f of flags) {
    const own = typeof f === 'string' && /^(sh|mh)-(fallback|port)$/.test(f) && f.startsWith(`${scheduler}-`);
    if (!own && !(typeof f === 'string' && /^flag-[123]$/.test(f)))
      refuse(what, 'schedFlags', f, `is not flag-1, flag-2, flag-3 or a ${scheduler}- flag (fallback, port) of scheduler ${scheduler}`);
  }
  return flags.join(',');
}

/** The IPVS schedulers the kernel has (ip_vs_*.ko). */
export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;

/** A host name as the pause process sets it (RFC 1123 label characters, at most 64 as uname holds). */
export function hostName(what: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/.test(value))
    refuse(what, 'hostname', value, 'is not a valid host name (letters, digits, . and -, at most 64)');
  return value;
}

/** An iptables chain name as the kernel takes it (at most 28 characters), restricted to plain words. */
export function iptablesChain(what: string, value: unknown): string {
  const name = plain(what, 'chain', value, 28);
  if (name.startsWith('-') || name.startsWith('!')) refuse(what, 'chain', value, "may not start with '-' or '!'");
  return name;
}

/**
 * A word of an iptables rule, passed as one argv word (no shell, no batch line): any text up to
 * 255 characters (a comment may hold blanks and quotes), but no NUL, where the C tool ends it.
 */
export function ruleWord(what: string, value: unknown): string {
  if (typeof value !== 'string') refuse(what, 'rule word', value, 'is not a string');
  if (value.length > 255 || value.includes('\0')) refuse(what, 'rule word', value, 'must be at most 255 characters without NUL');
  return value;
}

/**
 * A document a tool reads on its standard input (iptables-restore, ipset restore): any text,
 * but no NUL, where the C tools end the line and silently drop the rest of it.
 */
export function documentText(what: string, value: unknown): string {
  if (typeof value !== 'string') refuse(what, 'text', value, 'is not a string');
  const nul = value.indexOf('\0');
  if (nul >= 0) refuse(what, 'text', value, `holds a NUL byte (line ${value.slice(0, nul).split('\n').length})`);
  return value;
}

/**
 * A sysctl key of the namespace's network stack (`net.…`, dotted; `/` inside a part stands for
 * a `.` in an interface name, as procps reads it). Only net.* is per network namespace: a key
 * outside it (kernel.core_pattern…) would change the whole machine, so it is refused.
 */
export function sysctlKey(what: string, value: unknown): string {
  const key = plain(what, 'key', value, 255);
  if (!/^net(\.[A-Za-z0-9_][A-Za-z0-9_\-/]*)+$/.test(key)) {
    refuse(what, 'key', value, 'is not a net.* sysctl key of the namespace (dotted parts of letters, digits, _ - /)');
  }
  return key;
}

/** A sysctl value: one printable word (procps writes it to the key's file as is). */
export function sysctlValue(what: string, value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > 4096 || !PLAIN.test(value)) {
    refuse(what, 'value', value, 'must be 1 to 4096 printable ASCII characters without blanks');
  }
  return value;
}
