// The host interface's requests as iproute2 words: one line of `ip -batch -` / `bridge -batch -`
// each. The linux backend sends them; the sim backend validates with them and names them in its
// errors. Pure: every value is checked against what the tool accepts (validate.ts) before it
// becomes a word, never quoted.
import type { BridgePortChange, FdbSpec, LinkChange, LinkSpec, NeighSpec, RouteSpec } from './network.js';
import {
  LINK_KINDS,
  NEIGH_STATES,
  ROUTE_PROTOS,
  ROUTE_SCOPES,
  ROUTE_TABLES,
  ROUTE_TYPES,
  ifName,
  ipv4,
  ipv4Prefix,
  mac,
  nameOrNumber,
  netnsName,
  oneOf,
  routeDst,
  uint,
} from './validate.js';

export type Tool = 'ip' | 'bridge';

/** One iproute2 request: its words (after the tool and global options) and what it does, for errors. */
export interface Request {
  readonly tool: Tool;
  readonly words: readonly string[];
  readonly what: string;
}

/** Optional `KEY VALUE` words; `check` validates the value (see validate.ts). */
export function opt<V>(key: string, value: V | undefined, check: (v: V) => string): string[] {
  return value === undefined ? [] : [key, check(value)];
}

export const U32 = 0xffff_ffff;

/**
 * Where a request's words go: a list for the text, or nowhere when only the checks are wanted
 * (the sim backend validates every call as the tool path would, and needs words only for an error).
 */
type Sink = string[] | undefined;

/** `KEY VALUE` words when the value is given, checked by `check` (see validate.ts). */
function put<V>(sink: Sink, key: string, value: V | undefined, check: (v: V) => string): void {
  if (value === undefined) return;
  const v = check(value);
  sink?.push(key, v);
}

/** A checked `KEY VALUE` pair onto the words, when there are words. */
function push(sink: Sink, key: string, value: string): void {
  sink?.push(key, value);
}

/** `ip link add NAME [mtu N] [address MAC] type KIND …`. */
export function linkAddRequest(spec: LinkSpec): Request {
  const words: string[] = [];
  return { tool: 'ip', words, what: linkAddWords(spec, words) };
}

/** linkAddRequest's checks alone. */
export function checkLinkAdd(spec: LinkSpec): void {
  linkAddWords(spec, undefined);
}

function linkAddWords(spec: LinkSpec, w: Sink): string {
  const what = `add link "${spec.name}"`;
  const name = ifName(what, 'name', spec.name);
  w?.push('link', 'add', name);
  put(w, 'mtu', spec.mtu, (v) => uint(what, 'mtu', v, 0, U32));
  put(w, 'address', spec.mac, (v) => mac(what, 'mac', v));
  const kind = oneOf(what, 'kind', spec.kind, LINK_KINDS);
  w?.push('type', kind);
  switch (spec.kind) {
    case 'veth': {
      const peer = ifName(what, 'peer', spec.peer);
      w?.push('peer', 'name', peer);
      put(w, 'netns', spec.peerNetns, (v) => netnsName(what, 'peerNetns', v));
      break;
    }
    case 'vxlan': {
      const vni = uint(what, 'vni', spec.vni, 0, 0xff_ffff);
      w?.push('id', vni);
      put(w, 'local', spec.local, (v) => ipv4(what, 'local', v));
      put(w, 'dev', spec.dev, (v) => ifName(what, 'dev', v));
      const port = uint(what, 'dstPort', spec.dstPort ?? 8472, 0, 0xffff);
      w?.push('dstport', port);
      if (spec.learning === false) w?.push('nolearning');
      break;
    }
    case 'ipip':
      put(w, 'local', spec.local, (v) => ipv4(what, 'local', v));
      put(w, 'remote', spec.remote, (v) => ipv4(what, 'remote', v));
      put(w, 'dev', spec.dev, (v) => ifName(what, 'dev', v));
      break;
  }
  return what;
}

/** `ip link del NAME`. */
export function linkDelRequest(name: string): Request {
  const what = `delete link "${name}"`;
  return { tool: 'ip', words: ['link', 'del', ifName(what, 'name', name)], what };
}

/** `ip link set dev NAME …`. */
export function linkSetRequest(name: string, c: LinkChange): Request {
  const words: string[] = [];
  return { tool: 'ip', words, what: linkSetWords(name, c, words) };
}

/** linkSetRequest's checks alone. */
export function checkLinkSet(name: string, c: LinkChange): void {
  linkSetWords(name, c, undefined);
}

function linkSetWords(name: string, c: LinkChange, w: Sink): string {
  const what = `set link "${name}"`;
  const dev = ifName(what, 'name', name);
  w?.push('link', 'set', 'dev', dev);
  if (c.master === null) w?.push('nomaster');
  else if (c.master !== undefined) push(w, 'master', ifName(what, 'master', c.master));
  if (c.mtu !== undefined) push(w, 'mtu', uint(what, 'mtu', c.mtu, 0, U32));
  if (c.mac !== undefined) push(w, 'address', mac(what, 'mac', c.mac));
  if (c.netns !== undefined) push(w, 'netns', netnsName(what, 'netns', c.netns));
  if (c.name !== undefined) push(w, 'name', ifName(what, 'new name', c.name));
  if (c.promisc !== undefined) w?.push('promisc', c.promisc ? 'on' : 'off');
  if (c.up !== undefined) w?.push(c.up ? 'up' : 'down');
  return what;
}

/** `ip addr add CIDR [brd BROADCAST] dev DEV`. */
export function addrAddRequest(dev: string, cidr: string, broadcast?: string): Request {
  const words: string[] = [];
  return { tool: 'ip', words, what: addrAddWords(dev, cidr, broadcast, words) };
}

/** addrAddRequest's checks alone. */
export function checkAddrAdd(dev: string, cidr: string, broadcast?: string): void {
  addrAddWords(dev, cidr, broadcast, undefined);
}

function addrAddWords(dev: string, cidr: string, broadcast: string | undefined, w: Sink): string {
  const what = `add address "${cidr}" to "${dev}"`;
  const addr = ipv4Prefix(what, 'address', cidr, true);
  w?.push('addr', 'add', addr);
  put(w, 'brd', broadcast, (v) => ipv4(what, 'broadcast', v));
  const name = ifName(what, 'dev', dev);
  w?.push('dev', name);
  return what;
}

/** `ip addr del CIDR dev DEV`. */
export function addrDelRequest(dev: string, cidr: string): Request {
  const what = `delete address "${cidr}" from "${dev}"`;
  return { tool: 'ip', words: ['addr', 'del', ipv4Prefix(what, 'address', cidr, true), 'dev', ifName(what, 'dev', dev)], what };
}

/** `ip route add|replace|del [TYPE] DST …`. */
export function routeRequest(verb: 'add' | 'replace' | 'del', r: RouteSpec): Request {
  const words: string[] = [];
  return { tool: 'ip', words, what: routeWords(verb, r, words) };
}

/** routeRequest's checks alone. */
export function checkRoute(verb: 'add' | 'replace' | 'del', r: RouteSpec): void {
  routeWords(verb, r, undefined);
}

function routeWords(verb: 'add' | 'replace' | 'del', r: RouteSpec, w: Sink): string {
  const what = `${verb === 'del' ? 'delete' : verb} route "${r.dst}"`;
  w?.push('route', verb);
  const type = r.type === undefined ? 'unicast' : oneOf(what, 'type', r.type, ROUTE_TYPES);
  if (type !== 'unicast') w?.push(type);
  const dst = routeDst(what, r.dst);
  w?.push(dst);
  // checked in place, not through put(): a CNI ADD asks for five routes, and eight closures each added up
  if (r.via !== undefined) push(w, 'via', ipv4(what, 'via', r.via));
  if (r.dev !== undefined) push(w, 'dev', ifName(what, 'dev', r.dev));
  if (r.onlink) w?.push('onlink');
  if (r.proto !== undefined) push(w, 'proto', nameOrNumber(what, 'proto', r.proto, ROUTE_PROTOS, 0xff));
  if (r.table !== undefined) push(w, 'table', nameOrNumber(what, 'table', r.table, ROUTE_TABLES, U32));
  if (r.src !== undefined) push(w, 'src', ipv4(what, 'src', r.src));
  if (r.metric !== undefined) push(w, 'metric', uint(what, 'metric', r.metric, 0, U32));
  if (r.scope !== undefined) push(w, 'scope', oneOf(what, 'scope', r.scope, ROUTE_SCOPES));
  return what;
}

/** `ip neigh add|replace DST lladdr MAC dev DEV nud STATE`. */
export function neighRequest(verb: 'add' | 'replace', n: NeighSpec): Request {
  const what = `${verb} neighbour "${n.dst}" on "${n.dev}"`;
  return {
    tool: 'ip',
    words: [
      'neigh',
      verb,
      ipv4(what, 'dst', n.dst),
      'lladdr',
      mac(what, 'lladdr', n.lladdr),
      'dev',
      ifName(what, 'dev', n.dev),
      'nud',
      oneOf(what, 'state', n.state ?? 'permanent', NEIGH_STATES),
    ],
    what,
  };
}

/** `ip neigh del DST dev DEV`. */
export function neighDelRequest(dst: string, dev: string): Request {
  const what = `delete neighbour "${dst}" on "${dev}"`;
  return { tool: 'ip', words: ['neigh', 'del', ipv4(what, 'dst', dst), 'dev', ifName(what, 'dev', dev)], what };
}

/** `bridge fdb append|del MAC dev DEV [dst IP] (self|master) [permanent|static]`. */
export function fdbRequest(verb: 'append' | 'del', f: FdbSpec): Request {
  const what = `${verb === 'del' ? 'delete' : verb} fdb entry "${f.mac}" on "${f.dev}"`;
  const words = [
    'fdb',
    verb,
    mac(what, 'mac', f.mac),
    'dev',
    ifName(what, 'dev', f.dev),
    ...opt('dst', f.dst, (v) => ipv4(what, 'dst', v)),
  ];
  words.push(...(f.master ? ['master'] : ['self']));
  if (verb !== 'del') words.push(f.master ? 'static' : 'permanent');
  return { tool: 'bridge', words, what };
}

/** `bridge link set dev PORT [hairpin on|off] [learning on|off] [flood on|off]`. */
export function bridgeLinkSetRequest(port: string, c: BridgePortChange): Request {
  const what = `set bridge port "${port}"`;
  const words = ['link', 'set', 'dev', ifName(what, 'port', port)];
  if (c.hairpin !== undefined) words.push('hairpin', c.hairpin ? 'on' : 'off');
  if (c.learning !== undefined) words.push('learning', c.learning ? 'on' : 'off');
  if (c.flood !== undefined) words.push('flood', c.flood ? 'on' : 'off');
  return { tool: 'bridge', words, what };
}

/** The stdin of one `TOOL -batch -` run. */
export function batchText(requests: readonly Request[]): string {
  return requests.map((q) => `${q.words.join(' ')}\n`).join('');
}
