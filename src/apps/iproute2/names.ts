// The names iproute2 prints for numbers: /etc/iproute2/rt_protos, rt_scopes, rt_tables, route
// types and neighbour states (as shipped with iproute2 6.1 on Debian; unknown numbers print as
// numbers). Embedded, so the emulator needs no file system.

const PROTOS: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [1, 'redirect'],
  [2, 'kernel'],
  [3, 'boot'],
  [4, 'static'],
  [8, 'gated'],
  [9, 'ra'],
  [10, 'mrt'],
  [11, 'zebra'],
  [12, 'bird'],
  [13, 'dnrouted'],
  [14, 'xorp'],
  [15, 'ntk'],
  [16, 'dhcp'],
  [18, 'keepalived'],
  [42, 'babel'],
  [99, 'openr'],
  [186, 'bgp'],
  [187, 'isis'],
  [188, 'ospf'],
  [189, 'rip'],
  [192, 'eigrp'],
]);

const SCOPES: ReadonlyMap<number, string> = new Map([
  [0, 'global'],
  [200, 'site'],
  [253, 'link'],
  [254, 'host'],
  [255, 'nowhere'],
]);

const TABLES: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [253, 'default'],
  [254, 'main'],
  [255, 'local'],
]);

export const ROUTE_TYPES = [
  'unspec',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
] as const;

function byName(map: ReadonlyMap<number, string>, name: string): number | undefined {
  for (const [n, s] of map) if (s === name) return n;
  return undefined;
}

/** A number written in any base iproute2 accepts, within [0, max]. */
function number(text: string, max: number): number | undefined {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= max ? n : undefined;
}

export const protoName = (n: number): string => PROTOS.get(n) ?? String(n);
export const protoNumber = (s: string): number | undefined => byName(PROTOS, s) ?? number(s, 255);
export const scopeName = (n: number): string => SCOPES.get(n) ?? String(n);
export const scopeNumber = (s: string): number | undefined => byName(SCOPES, s) ?? number(s, 255);
export const tableName = (n: number): string => TABLES.get(n) ?? String(n);
/** rtnl_rttable_a2n(); `all` is handled by the callers that accept it. */
export const tableNumber = (s: string): number | undefined => byName(TABLES, s) ?? number(s, 0xffffffff);
export const groupName = (n: number): string => (n === 0 ? 'default' : String(n));
