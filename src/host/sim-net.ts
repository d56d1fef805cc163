// The sim backend's namespaces: link, address, route, neighbour and fdb operations go straight
// to the kernel's rtnetlink functions (kernel/rtnl), and reads build records from kernel state,
// as a netlink socket would: no shell, no text, no virtual time. What the
// typed fast path cannot parse strictly (an unusual spelling, a missing device) takes the tool
// path instead, so the answer, or the refusal, is byte for byte what `ip` would give.
import {
  Bridge,
  IptablesError,
  KernelError,
  Vxlan,
  conntrackOf,
  sysctlPath,
  iptablesOf,
  parseCommand,
  protoName as ctProtoName,
  type Tuple,
  tunClose,
  tunOpen,
  netfilterOf,
  type QueuedPacket,
  type QueueVerdict,
  udpBind,
  isTableName,
  type Rule,
  type TableName,
  delAddr,
  getRoute,
  delLink,
  delNeigh,
  delRoute,
  newAddr,
  newLink,
  newNeigh,
  newRoute,
  setLink,
  type Host,
  type Link,
  type LinkSpec as KernelLinkSpec,
  type Netns,
  type NudState,
  type RouteMsg,
  type RouteType as KernelRouteType,
} from '../kernel/index.js';
import { formatIpv4, parseIpv4, parseMac, parsePrefix, type Ipv4 } from '../wire/index.js';
import { kernelMessage } from '../apps/iproute2/errors.js';
import { linkFlags, operstateOf } from '../apps/iproute2/facts.js';
import { linkNetnsid, nameAndLink, type LinkView } from '../apps/iproute2/link-show.js';
import { protoName, protoNumber, scopeName, scopeNumber, tableNumber } from '../apps/iproute2/names.js';
import { dstText, dumpRoutes, routeFlags } from '../apps/iproute2/route-show.js';
import { dumpFdb } from '../apps/iproute2/fdb-show.js';
import { listedByShow } from '../apps/iproute2/neigh.js';
import { inetRecord } from '../apps/iproute2/neigh-show.js';
import {
  HostError,
  type ConntrackFilter,
  type ConntrackRecord,
  type ConntrackTuple,
  type QueueHandle,
  type QueuedConnection,
  type TunHandle,
  type UdpHandle,
  type AddrRecord,
  type BridgePortChange,
  type FdbRecord,
  type FdbSpec,
  type IptablesEnsureStep,
  type NeighRecord,
  type LinkChange,
  type LinkRecord,
  type LinkSpec,
  type NeighSpec,
  type RouteGetRecord,
  type RouteRecord,
  type RouteSpec,
} from './network.js';
import {
  addrAddRequest,
  bridgeLinkSetRequest,
  checkAddrAdd,
  checkLinkAdd,
  checkLinkSet,
  checkRoute,
  fdbRequest,
  linkAddRequest,
  linkSetRequest,
  neighRequest,
  routeRequest,
} from './render.js';
import { chainExistsArgs, ensureChainArgs, ensureRuleArgs, ToolsNetHandle, type ToolsHost } from './tools.js';
import { ifName, ipv4 } from './validate.js';

/** Protocol names as the NetworkPolicy API spells them (and NFQUEUE readers print them). */
const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/**
 * A queued packet as the host interface gives it, its addresses written out only when the reader
 * reads them: every new connection of a kind node is asked about, most while no policy exists.
 */
class QueuedView implements QueuedConnection {
  constructor(private readonly p: QueuedPacket) {}
  get src(): string {
    return formatIpv4(this.p.src);
  }
  get dst(): string {
    return formatIpv4(this.p.dst);
  }
  get protocol(): string {
    return PROTOCOL_NAMES[this.p.proto] ?? String(this.p.proto);
  }
  get srcPort(): number {
    return this.p.sport;
  }
  get dstPort(): number {
    return this.p.dport;
  }
  get local(): boolean {
    return this.p.local;
  }
  get chain(): QueuedConnection['chain'] {
    return this.p.chain;
  }
}

/** A route request's words for its error: `replace route "10.244.1.0/24"`. */
const routeWhat = (verb: 'add' | 'replace' | 'del', r: RouteSpec): string => `${verb === 'del' ? 'delete' : verb} route "${r.dst}"`;

/** A route request's texts read into a message, but for the device (a name each namespace looks up); Fallback when the strict parse misses. */
function routeMsgTexts(r: RouteSpec): RouteMsg {
  const dst = r.dst === 'default' ? { addr: 0, len: 0 } : (parsePrefix(r.dst) ?? fallback());
  const proto = r.proto === undefined ? undefined : (protoNumber(String(r.proto)) ?? fallback());
  const table = r.table === undefined ? undefined : (tableNumber(String(r.table)) ?? fallback());
  const scope = r.scope === undefined ? undefined : (scopeNumber(r.scope) ?? fallback());
  return {
    dst: dst.addr,
    dstLen: dst.len,
    type: (r.type ?? 'unicast') as KernelRouteType,
    table,
    protocol: proto,
    scope,
    metric: num(r.metric),
    prefsrc: ip(r.src),
    gateway: ip(r.via),
    dev: undefined,
    onlink: r.onlink ?? false,
  };
}

/** A RouteSpec's every field, absent ones too: the compiler rejects a field added to RouteSpec and left out of specCopy. */
type SpecCopy = { readonly [K in keyof Required<RouteSpec>]: RouteSpec[K] };

/** The request's values as RouteRequestMemo keeps them (one shape for all, read by name, not by a key in a loop). */
const specCopy = (r: RouteSpec): SpecCopy => ({
  dst: r.dst,
  type: r.type,
  via: r.via,
  dev: r.dev,
  onlink: r.onlink,
  proto: r.proto,
  table: r.table,
  src: r.src,
  metric: r.metric,
  scope: r.scope,
});

/** Whether request `r` has the values kept in `k`: specCopy's fields, each compared. */
const sameSpec = (k: SpecCopy, r: RouteSpec): boolean =>
  k.dst === r.dst &&
  k.via === r.via &&
  k.type === r.type &&
  k.dev === r.dev &&
  k.onlink === r.onlink &&
  k.proto === r.proto &&
  k.table === r.table &&
  k.src === r.src &&
  k.metric === r.metric &&
  k.scope === r.scope;

/** What RouteRequestMemo keeps of a request: its words for an error and, once read (the direct path's parse passed), its message but for the device. */
interface RouteRead {
  readonly what: string;
  msg: RouteMsg | undefined;
}

/** A request RouteRequestMemo kept: its verb, its field values and what was made of it. */
interface KeptRequest {
  readonly verb: string;
  readonly spec: SpecCopy;
  readonly read: RouteRead;
}

/**
 * The route requests checked (and read) on the direct path, the last one for each destination, by
 * verb and field values: kindnet's agent on every node asks for the same routes (each node's pods
 * via its address: N² requests while a cluster comes up, a joining node's agent asking for every
 * route the others asked for before), whose checks and texts are the same each time. A request
 * with other values is checked and read afresh; one the checks refuse is not kept.
 */
class RouteRequestMemo {
  private readonly byDst = new Map<unknown, KeptRequest>();

  /** What was kept of a request with these values, if it was the last one checked for its destination. */
  get(verb: string, r: RouteSpec): RouteRead | undefined {
    const k = this.byDst.get(r.dst);
    if (k === undefined || verb !== k.verb) return undefined;
    return sameSpec(k.spec, r) ? k.read : undefined;
  }

  /** Runs the checks, and keeps the request once they pass. */
  checked(verb: 'add' | 'replace' | 'del', r: RouteSpec, check: (verb: 'add' | 'replace' | 'del', r: RouteSpec) => void): RouteRead {
    check(verb, r);
    const read = { what: routeWhat(verb, r), msg: undefined };
    if (this.byDst.size >= MAX_KEPT_ROUTE_REQUESTS) this.byDst.clear();
    this.byDst.set(r.dst, { verb, spec: specCopy(r), read });
    return read;
  }
}

/** Destinations RouteRequestMemo keeps at most (a cluster's pod networks; more start it afresh). */
const MAX_KEPT_ROUTE_REQUESTS = 1 << 14;

const ROUTE_REQUESTS = new RouteRequestMemo();
/** `ip route add` and `ip route replace`'s netlink flags. */
const ADD_FLAGS = { create: true, excl: true } as const;
const REPLACE_FLAGS = { create: true, replace: true } as const;

/**
 * The rule of `iptables -t TABLE -I CHAIN RULE…` as EnsureRule inserts it; anything else (a rule
 * number in RULE) is the tool path's. Every node's kube-proxy and kubelet ensure the same rules:
 * a rule parsed once is kept (Rules are immutable values, shared between namespaces as interned
 * chains share them), except one naming an ipset, whose parse depends on the sets there.
 */
function ensureRuleCommand(
  table: TableName,
  chain: string,
  rule: readonly string[],
  setExists: ((name: string) => boolean) | undefined,
): Rule {
  const key = rule.includes('set') ? undefined : `${table} ${chain}\0${rule.join('\0')}`;
  const known = key === undefined ? undefined : ENSURED.get(key);
  if (known) return known;
  const cmd = parseCommand(['-t', table, '-I', chain, ...rule], setExists ? { setExists } : {});
  const r = cmd.command === 'insert' && cmd.rule && cmd.rulenum === undefined && cmd.chain === chain ? cmd.rule : fallback();
  if (key !== undefined) {
    if (ENSURED.size >= ENSURED_MAX) ENSURED.clear();
    ENSURED.set(key, r);
  }
  return r;
}

/** The rules ensureRuleCommand parsed, by table, chain and words (a few dozen in a cluster: kept until this many). */
const ENSURED = new Map<string, Rule>();
const ENSURED_MAX = 512;

/** A value the fast path does not take as is: the tool path answers instead. */
class Fallback extends Error {}
const fallback = (): never => {
  throw new Fallback();
};

const ip = (text: string | undefined): Ipv4 | undefined => (text === undefined ? undefined : (parseIpv4(text) ?? fallback()));
const num = (n: number | undefined): number | undefined =>
  n === undefined ? undefined : Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : fallback();
/** A dotted net.* key whose parts hold no '/' (sysctl's stand-in for a '.' in a device name). */
const SIMPLE_SYSCTL_KEY = /^net(\.[A-Za-z0-9_][A-Za-z0-9_-]*)+$/;
const NUD: Readonly<Record<string, NudState>> = { permanent: 'PERMANENT', noarp: 'NOARP', reachable: 'REACHABLE', stale: 'STALE' };

export class SimNetHandle extends ToolsNetHandle {
  constructor(
    host: ToolsHost,
    netns: string | undefined,
    private readonly kernelHost: Host,
  ) {
    super(host, netns);
  }

  /** The namespace now (it may have been deleted and made again since this handle was opened). */
  private get ns(): Netns {
    return (this.netns === undefined ? this.kernelHost.root : this.kernelHost.netns(this.netns)) ?? fallback();
  }

  private dev(name: string | undefined): Link | undefined {
    return name === undefined ? undefined : (this.ns.linkByName(name) ?? fallback());
  }

  /** Runs `op` on the kernel; a strict-parse miss goes the tool way, a kernel refusal becomes HostError with its errno (and the tool's exit status: ip 2, bridge 255). */
  private rtnl(what: string, words: () => readonly string[], op: () => void, viaTool: () => void, tool: 'ip' | 'bridge' = 'ip'): void {
    try {
      op();
    } catch (e) {
      this.refused(e, what, words, viaTool, tool);
    }
  }

  /** What rtnl() makes of `e`, thrown by its operation. */
  private refused(e: unknown, what: string, words: () => readonly string[], viaTool: () => void, tool: 'ip' | 'bridge' = 'ip'): void {
    if (e instanceof Fallback) return viaTool();
    if (e instanceof KernelError) {
      const command = [tool, ...(this.netns === undefined ? [] : ['-n', this.netns]), ...words()].join(' ');
      throw new HostError(`Cannot ${what}: ${kernelMessage(e)}`, command, tool === 'ip' ? 2 : 255, e.errno);
    }
    throw e;
  }

  /** A read from kernel state; what the fast path does not take as is (a deleted namespace, an unknown device) goes the tool way. */
  private read<T>(fast: () => T, viaTool: () => T): T {
    try {
      return fast();
    } catch (e) {
      if (e instanceof Fallback) return viaTool();
      throw e;
    }
  }

  /** Operations apply one by one as they are made; a failure leaves the earlier ones done, as `ip -batch` does. */
  override batch(build: () => void): void {
    build();
  }

  // ---- a process's own devices and sockets ----------------------------------------------------

  override tunOpen(name: string, onPacket: (packet: Uint8Array) => void): TunHandle {
    if (!/^[A-Za-z0-9_.%-]{1,15}$/.test(name))
      throw new HostError(`Cannot open TUN device "${name}": not a device name`, `open /dev/net/tun ${name}`, 0);
    let tun;
    try {
      tun = tunOpen(this.ns, name, onPacket);
    } catch (e) {
      if (e instanceof KernelError)
        throw new HostError(`Cannot open TUN device "${name}": ${kernelMessage(e)}`, `open /dev/net/tun ${name}`, 0, e.errno);
      throw e;
    }
    return { name: tun.name, write: (p) => tun.write(p), close: () => tunClose(tun) };
  }

  override nfqueueBind(queue: number, verdict: (p: QueuedConnection) => boolean): QueueHandle {
    if (!(Number.isInteger(queue) && queue >= 0 && queue <= 65535))
      throw new HostError(
        `Cannot bind NFQUEUE ${queue}: queue: invalid value ${JSON.stringify(queue)} (0-65535)`,
        'nfqueue bind',
        0,
        'EINVAL',
      );
    const nf = netfilterOf(this.ns);
    if (nf.queue) throw new HostError(`Cannot bind NFQUEUE ${queue}: a reader is bound already`, `nfqueue bind ${queue}`, 0, 'EBUSY');
    const reader: QueueVerdict = (p) => verdict(new QueuedView(p));
    const bound = { num: queue, verdict: reader };
    nf.queue = bound;
    return {
      close: () => {
        if (nf.queue === bound) nf.queue = undefined;
      },
    };
  }

  override udpBind(addr: string, port: number, onDatagram: (from: string, port: number, data: Uint8Array) => void): UdpHandle {
    const a = parseIpv4(addr);
    if (a === undefined || !(Number.isInteger(port) && port > 0 && port < 65536))
      throw new HostError(`Cannot bind UDP "${addr}:${port}": not an IPv4 address and port`, `bind ${addr}:${port}`, 0);
    let s;
    try {
      s = udpBind(this.ns, a, port, (from, p, data) => onDatagram(formatIpv4(from), p, data));
    } catch (e) {
      if (e instanceof KernelError)
        throw new HostError(`Cannot bind UDP "${addr}:${port}": ${kernelMessage(e)}`, `bind ${addr}:${port}`, 0, e.errno);
      throw e;
    }
    return {
      sendTo: (dst, p, data) => {
        const d = parseIpv4(dst);
        if (d === undefined) throw new HostError(`Cannot send to "${dst}": not an IPv4 address`, `sendto ${dst}:${p}`, 0);
        try {
          s.sendTo(d, p, data);
        } catch (e) {
          // sendto() without a route: EHOSTUNREACH/ENETUNREACH to the caller, the datagram is lost
          if (!(e instanceof KernelError)) throw e;
        }
      },
      close: () => s.close(),
    };
  }

  // ---- links ---------------------------------------------------------------------------------

  override linkAdd(spec: LinkSpec): void {
    checkLinkAdd(spec); // every value as the tool path checks it; the words only for an error
    this.rtnl(
      `add link "${spec.name}"`,
      () => linkAddRequest(spec).words,
      () => {
        const ns = this.ns;
        const mac = spec.mac === undefined ? undefined : (parseMac(spec.mac) ?? fallback());
        let k: KernelLinkSpec;
        let peer: { name: string; netns?: Netns } | undefined;
        switch (spec.kind) {
          case 'veth':
            k = { kind: 'veth' };
            peer = {
              name: spec.peer,
              netns: spec.peerNetns === undefined ? undefined : (this.kernelHost.netns(spec.peerNetns) ?? fallback()),
            };
            break;
          case 'bridge':
          case 'dummy':
            k = { kind: spec.kind };
            break;
          case 'vxlan':
            k = {
              kind: 'vxlan',
              vni: num(spec.vni)!,
              local: ip(spec.local),
              underlay: this.dev(spec.dev),
              dstPort: num(spec.dstPort ?? 8472),
              learning: spec.learning ?? true,
            };
            break;
          case 'ipip':
            k = { kind: 'ipip', local: ip(spec.local), remote: ip(spec.remote), underlay: this.dev(spec.dev) };
            break;
        }
        newLink(ns, { name: spec.name, spec: k, mtu: num(spec.mtu), mac, peer }, ns);
      },
      () => super.linkAdd(spec),
    );
  }

  /** Read from the namespace's sysctl table for a plain net.* key naming one value; anything else (a directory, an unknown key, a device name with '.') the `sysctl -n` way. */
  override sysctlGet(key: string): string {
    if (!SIMPLE_SYSCTL_KEY.test(key)) return super.sysctlGet(key);
    return this.read(
      () => {
        const table = this.ns.sysctl;
        const path = sysctlPath(key);
        return table.has(path) ? table.get(path).trimEnd() : fallback();
      },
      () => super.sysctlGet(key),
    );
  }

  /** Straight into the namespace's sysctl table for a plain net.* key and number (a CNI plugin's ip_forward); anything else, or a refusal, the `sysctl` way. */
  override sysctlSet(key: string, value: string): void {
    if (SIMPLE_SYSCTL_KEY.test(key) && /^\d+$/.test(value)) {
      try {
        this.ns.sysctl.set(key, value);
        return;
      } catch (e) {
        if (!(e instanceof KernelError || e instanceof Fallback)) throw e;
      }
    }
    super.sysctlSet(key, value);
  }

  /**
   * Straight into the namespace's netfilter (the same atomic per-table restore the tool runs) for
   * one `*TABLE` block: no shell and no virtual time, as configuring takes none (kube-proxy's
   * syncs, kindnetd's masquerade rules). A refusal goes the `iptables-restore` way, which refuses
   * it again (nothing was committed) with the tool's own message.
   */
  override iptablesRestore(table: string, text: string, opts: { readonly noflush?: boolean } = {}): void {
    const blocks = [...text.matchAll(/^\*(\S+)/gm)];
    if (isTableName(table) && blocks.length === 1 && blocks[0]![1] === table && !text.includes('\0')) {
      try {
        iptablesOf(this.ns).restore(text, { noflush: opts.noflush ?? false });
        return;
      } catch (e) {
        if (!(e instanceof IptablesError || e instanceof Fallback)) throw e;
      }
    }
    super.iptablesRestore(table, text, opts);
  }

  /** Straight into the namespace's netfilter: a look at one table's chain names. */
  override iptablesChainExists(table: string, chain: string): boolean {
    chainExistsArgs(table, chain);
    return isTableName(table) ? iptablesOf(this.ns).view(table).chains.has(chain) : super.iptablesChainExists(table, chain);
  }

  /** Straight into the namespace's netfilter, as iptablesRestore; a refusal goes the tool's way for its words. */
  override iptablesEnsureChain(table: string, chain: string): boolean {
    ensureChainArgs(table, chain);
    if (isTableName(table)) {
      try {
        return iptablesOf(this.ns).ensureChain(table, chain);
      } catch (e) {
        if (!(e instanceof IptablesError || e instanceof Fallback)) throw e;
      }
    }
    return super.iptablesEnsureChain(table, chain);
  }

  /** Straight into the namespace's netfilter: the check looks at one chain and commits nothing. */
  override iptablesEnsureRule(table: string, chain: string, rule: readonly string[]): boolean {
    ensureRuleArgs(table, chain, rule);
    if (isTableName(table)) {
      try {
        const s = iptablesOf(this.ns);
        return s.ensureRule(table, chain, ensureRuleCommand(table, chain, rule, s.setExists));
      } catch (e) {
        if (!(e instanceof IptablesError || e instanceof Fallback)) throw e;
      }
    }
    return super.iptablesEnsureRule(table, chain, rule);
  }

  /**
   * The steps in one transaction of the namespace's netfilter, committed once when any changed
   * something: one new table for a sync loop's chains and jumps, not one per step. Any refusal
   * drops the transaction, and the steps run one by one instead, as they fail one by one.
   */
  override iptablesEnsureAll(table: string, steps: readonly IptablesEnsureStep[]): boolean[] {
    for (const s of steps) {
      if (s.rule === undefined) ensureChainArgs(table, s.chain);
      else ensureRuleArgs(table, s.chain, s.rule);
    }
    if (isTableName(table)) {
      const st = iptablesOf(this.ns);
      const tx = st.begin(table);
      try {
        const there = steps.map((s) => {
          if (s.rule === undefined) {
            if (tx.has(s.chain)) return true;
            tx.newChain(s.chain);
            return false;
          }
          const cmd = ensureRuleCommand(table, s.chain, s.rule, st.setExists);
          if (tx.holds(s.chain, cmd)) return true;
          tx.insert(s.chain, 1, cmd);
          return false;
        });
        if (there.every(Boolean)) tx.abort();
        else tx.commit(false);
        return there;
      } catch (e) {
        tx.abort();
        if (!(e instanceof IptablesError || e instanceof Fallback)) throw e;
      }
    }
    return super.iptablesEnsureAll(table, steps);
  }

  /** The namespace's confirmed connections, read from its conntrack table (ctnetlink's dump). */
  override conntrackList(): ConntrackRecord[] {
    const tuple = (t: Tuple): ConntrackTuple => ({ src: formatIpv4(t.src), dst: formatIpv4(t.dst), sport: t.sport, dport: t.dport });
    return conntrackOf(this.ns)
      .list()
      .map((c) => {
        const name = ctProtoName(c.original.proto);
        return {
          protocol: (['tcp', 'udp', 'sctp', 'icmp'].includes(name) ? name : 'other') as ConntrackRecord['protocol'],
          original: tuple(c.original),
          reply: tuple(c.reply),
        };
      });
  }

  /** Deletes the matching connections from the namespace's conntrack table (ctnetlink's delete). */
  override conntrackDelete(f: ConntrackFilter): number {
    const proto = { tcp: 6, udp: 17, sctp: 132 }[f.protocol];
    const origDst = parseIpv4(f.origDst ?? '0.0.0.0');
    const replySrc = parseIpv4(f.replySrc ?? '0.0.0.0');
    const port = f.origDstPort;
    // what the fast path cannot take as is goes the tool way, which refuses it in its words
    if (
      proto === undefined ||
      origDst === undefined ||
      replySrc === undefined ||
      (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 0xffff))
    ) {
      return super.conntrackDelete(f);
    }
    const table = conntrackOf(this.ns);
    let n = 0;
    for (const c of table.list()) {
      if (c.original.proto !== proto) continue;
      if (f.origDst !== undefined && c.original.dst !== origDst) continue;
      if (port !== undefined && c.original.dport !== port) continue;
      if (f.replySrc !== undefined && c.reply.src !== replySrc) continue;
      table.remove(c);
      n++;
    }
    return n;
  }

  /** The table as `iptables-save -t TABLE` prints it, read from the namespace's netfilter. */
  override iptablesSave(table: string): string {
    if (!isTableName(table)) return super.iptablesSave(table);
    try {
      return iptablesOf(this.ns).save({ table });
    } catch (e) {
      if (!(e instanceof Fallback)) throw e;
      return super.iptablesSave(table);
    }
  }

  override linkDel(name: string): void {
    this.rtnl(
      `delete link "${name}"`,
      () => ['link', 'del', name],
      () => delLink(this.dev(name)!),
      () => super.linkDel(name),
    );
  }

  override linkSet(name: string, c: LinkChange): void {
    checkLinkSet(name, c);
    this.rtnl(
      `set link "${name}"`,
      () => linkSetRequest(name, c).words,
      () => {
        const link = this.dev(name)!;
        const master = c.master === null ? null : c.master === undefined ? undefined : this.dev(c.master);
        const netns = c.netns === undefined ? undefined : (this.kernelHost.netns(c.netns) ?? fallback());
        const mac = c.mac === undefined ? undefined : (parseMac(c.mac) ?? fallback());
        setLink(link, { netns, name: c.name, mac, mtu: num(c.mtu), up: c.up, master, promisc: c.promisc });
      },
      () => super.linkSet(name, c),
    );
  }

  /**
   * An fdb entry straight into the bridge's table (`master static`) or the vxlan's own
   * (`self permanent`, with its VTEP), as rtnl_fdb_add/del do; a device that is neither (a
   * bridge entry on no port, `self` on a non-vxlan) goes the `bridge` way, which refuses it.
   */
  private directFdb(verb: 'append' | 'del', f: FdbSpec, viaTool: () => void): void {
    const { words, what } = fdbRequest(verb, f); // validates as the tool path does
    this.rtnl(
      what,
      () => words,
      () => {
        const dev = this.dev(f.dev)!;
        const mac = parseMac(f.mac) ?? fallback();
        if (f.master) {
          const br = dev.master instanceof Bridge ? dev.master : fallback();
          if (verb === 'del') br.fdbDel(mac);
          else br.fdbAdd(mac, dev, true, 'static');
        } else {
          if (!(dev instanceof Vxlan)) fallback();
          const vx = dev as Vxlan;
          if (verb === 'del') vx.fdbDel(mac, ip(f.dst));
          else vx.fdbUpdate(mac, ip(f.dst) ?? fallback(), 'append');
        }
      },
      viaTool,
      'bridge',
    );
  }

  override fdbAppend(f: FdbSpec): void {
    this.directFdb('append', f, () => super.fdbAppend(f));
  }

  override fdbDel(f: FdbSpec): void {
    this.directFdb('del', f, () => super.fdbDel(f));
  }

  /** The port's flags straight on the kernel's bridge port; a device that is no port goes the `bridge` way, which refuses it in its words. */
  override bridgeLinkSet(port: string, c: BridgePortChange): void {
    bridgeLinkSetRequest(port, c); // validates as the tool path does
    const dev = this.ns.linkByName(port);
    const p = dev?.master instanceof Bridge ? dev.master.portOf(dev) : undefined;
    if (!p) return super.bridgeLinkSet(port, c);
    if (c.hairpin !== undefined) p.hairpin = c.hairpin;
    if (c.learning !== undefined) p.learning = c.learning;
    if (c.flood !== undefined) p.flood = c.flood;
  }

  override linkList(): LinkRecord[] {
    return this.read(
      () => {
        const ns = this.ns;
        const view: LinkView = { ns, host: this.kernelHost, details: true, stats: 0, family: undefined, doLink: true };
        return ns.links().map((l) => linkRecord(l, view));
      },
      () => super.linkList(),
    );
  }

  override linkGet(name: string): LinkRecord | undefined {
    ifName(`read link "${name}"`, 'name', name);
    const ns = this.ns;
    const l = ns.linkByName(name);
    return l && linkRecord(l, { ns, host: this.kernelHost, details: true, stats: 0, family: undefined, doLink: true });
  }

  // ---- addresses -----------------------------------------------------------------------------

  override addrAdd(dev: string, cidr: string, opts: { readonly broadcast?: string } = {}): void {
    checkAddrAdd(dev, cidr, opts.broadcast);
    this.rtnl(
      `add address "${cidr}" to "${dev}"`,
      () => addrAddRequest(dev, cidr, opts.broadcast).words,
      () => {
        const p = parsePrefix(cidr) ?? fallback();
        newAddr(this.ns, { dev: this.dev(dev)!, local: p.addr, prefixLen: p.len, broadcast: ip(opts.broadcast) }, false);
      },
      () => super.addrAdd(dev, cidr, opts),
    );
  }

  override addrDel(dev: string, cidr: string): void {
    const words = ['addr', 'del', cidr, 'dev', dev];
    this.rtnl(
      `delete address "${cidr}" from "${dev}"`,
      () => words,
      () => {
        const p = /\//.test(cidr) ? (parsePrefix(cidr) ?? fallback()) : fallback();
        delAddr(this.ns, this.dev(dev)!, { local: p.addr, prefixLen: p.len });
      },
      () => super.addrDel(dev, cidr),
    );
  }

  override addrList(): AddrRecord[] {
    return this.read(
      () => {
        const ns = this.ns;
        return ns.links().flatMap((l) =>
          ns.addrsOf(l).map((a) => ({
            dev: l.name,
            local: formatIpv4(a.local),
            prefixLen: a.prefixLen,
            scope: scopeName(a.scope),
            ...(a.broadcast !== undefined ? { broadcast: formatIpv4(a.broadcast) } : {}),
          })),
        );
      },
      () => super.addrList(),
    );
  }

  // ---- routes --------------------------------------------------------------------------------

  /**
   * The request's message, its device this namespace's; its texts read once for a run of equal
   * requests (RouteRequestMemo). Without a device it is the same message in every namespace, and
   * shared (newRoute only reads it): kindnet's N² routes name none.
   */
  private routeMsg(r: RouteSpec, req: RouteRead): RouteMsg {
    const msg = (req.msg ??= routeMsgTexts(r));
    if (r.dev === undefined) return msg;
    const { dst, dstLen, type, table, protocol, scope, metric, prefsrc, gateway, onlink } = msg;
    return { dst, dstLen, type, table, protocol, scope, metric, prefsrc, gateway, dev: this.dev(r.dev), onlink };
  }

  /** rtnl() for a route request, with no closures unless it is refused (kindnet's routes: N² in a cluster). */
  private directRoute(verb: 'add' | 'replace' | 'del', r: RouteSpec): void {
    const req = ROUTE_REQUESTS.get(verb, r) ?? ROUTE_REQUESTS.checked(verb, r, checkRoute);
    try {
      const m = this.routeMsg(r, req);
      if (verb === 'del') delRoute(this.ns, { ...m, type: r.type as KernelRouteType | undefined, onlink: undefined });
      else newRoute(this.ns, m, verb === 'add' ? ADD_FLAGS : REPLACE_FLAGS);
    } catch (e) {
      const viaTool = () => (verb === 'add' ? super.routeAdd(r) : verb === 'replace' ? super.routeReplace(r) : super.routeDel(r));
      this.refused(e, req.what, () => routeRequest(verb, r).words, viaTool);
    }
  }

  override routeAdd(r: RouteSpec): void {
    this.directRoute('add', r);
  }

  override routeReplace(r: RouteSpec): void {
    this.directRoute('replace', r);
  }

  override routeDel(r: RouteSpec): void {
    this.directRoute('del', r);
  }

  override routeList(table: string | number = 'main'): RouteRecord[] {
    const id = tableNumber(String(table));
    if (id === undefined) return super.routeList(table);
    return this.read(
      () =>
        dumpRoutes(this.ns, { table: id }).map((r) => ({
          table: String(table),
          type: r.type,
          dst: dstText(r),
          ...(r.gateway !== undefined ? { via: formatIpv4(r.gateway) } : {}),
          ...(r.dev ? { dev: r.dev.name } : {}),
          proto: protoName(r.protocol),
          scope: scopeName(r.scope),
          ...(r.prefsrc !== undefined ? { src: formatIpv4(r.prefsrc) } : {}),
          ...(r.metric !== 0 ? { metric: r.metric } : {}),
          flags: routeFlags(r),
        })),
      () => super.routeList(table),
    );
  }

  override routeGet(dst: string, opts: { readonly src?: string; readonly oif?: string } = {}): RouteGetRecord {
    const what = `get the route to "${dst}"`;
    const words = [
      '-j',
      'route',
      'get',
      ipv4(what, 'dst', dst),
      ...(opts.src !== undefined ? ['from', ipv4(what, 'src', opts.src)] : []),
      ...(opts.oif !== undefined ? ['oif', ifName(what, 'oif', opts.oif)] : []),
    ];
    let out: RouteGetRecord | undefined;
    this.rtnl(
      what,
      () => words,
      () => {
        const res = getRoute(this.ns, { dst: ip(dst)!, src: ip(opts.src), oif: this.dev(opts.oif) });
        const special = res.route.type === 'local' || res.route.type === 'broadcast';
        out = {
          type: special ? res.route.type : 'unicast',
          dst,
          ...(res.route.gateway !== undefined && !special ? { via: formatIpv4(res.route.gateway) } : {}),
          dev: res.dev.name,
          ...(opts.src === undefined ? { src: formatIpv4(res.src) } : {}),
        };
      },
      () => {
        out = super.routeGet(dst, opts);
      },
    );
    return out!;
  }

  // ---- neighbours ----------------------------------------------------------------------------

  private directNeigh(verb: 'add' | 'replace', n: NeighSpec, viaTool: () => void): void {
    const { words } = neighRequest(verb, n);
    this.rtnl(
      `${verb} neighbour "${n.dst}" on "${n.dev}"`,
      () => words,
      () => {
        const lladdr = parseMac(n.lladdr) ?? fallback();
        newNeigh(
          this.ns,
          { dev: this.dev(n.dev)!, dst: ip(n.dst)!, lladdr, state: NUD[n.state ?? 'permanent'] ?? fallback() },
          verb === 'add' ? { create: true, excl: true } : { create: true },
        );
      },
      viaTool,
    );
  }

  override neighAdd(n: NeighSpec): void {
    this.directNeigh('add', n, () => super.neighAdd(n));
  }

  override neighReplace(n: NeighSpec): void {
    this.directNeigh('replace', n, () => super.neighReplace(n));
  }

  /** What `ip -j -4 neigh show` lists: arp_tbl's entries but NOARP ones, NDA_LLADDR only where the state has a usable address. */
  override neighList(): NeighRecord[] {
    return this.read(
      () => {
        const ns = this.ns;
        return ns.neigh
          .list()
          .filter(listedByShow)
          .map((n) => {
            const r = inetRecord(ns, n);
            return {
              dst: r.dst,
              dev: r.dev.name,
              ...(r.lladdr !== undefined ? { lladdr: r.lladdr } : {}),
              state: r.state === 'NONE' ? [] : [r.state],
            };
          });
      },
      () => super.neighList(),
    );
  }

  /** What `bridge -j fdb show [dev DEV]` lists, from the bridges' and vxlans' tables; an unknown device goes the tool way, which refuses it. */
  override fdbList(dev?: string): FdbRecord[] {
    if (dev !== undefined) ifName('list fdb entries', 'dev', dev);
    return this.read(
      () => {
        const ns = this.ns;
        return dumpFdb(ns, { dev: this.dev(dev) }).map((e) => ({
          mac: e.mac,
          dev: e.dev.name,
          ...(e.master ? { master: e.master.name } : {}),
          ...(e.dst !== undefined ? { dst: formatIpv4(e.dst) } : {}),
          self: e.self,
          state: e.state,
        }));
      },
      () => super.fdbList(dev),
    );
  }

  override neighDel(dst: string, dev: string): void {
    this.rtnl(
      `delete neighbour "${dst}" on "${dev}"`,
      () => ['neigh', 'del', dst, 'dev', dev],
      () => delNeigh(this.ns, this.dev(dev)!, ip(dst)!),
      () => super.neighDel(dst, dev),
    );
  }
}

/** What `ip -j -d link show` says of a device, as the tool path reads it back. */
function linkRecord(l: Link, v: LinkView): LinkRecord {
  const nl = nameAndLink(l, v);
  const netnsId = linkNetnsid(l, v);
  const vx = l instanceof Vxlan ? l : undefined;
  const port = l.master instanceof Bridge ? l.master.portOf(l) : undefined;
  const underlay = vx?.underlay
    ? vx.underlay.netns === v.ns
      ? vx.underlay.name
      : (v.ns.linkByIndex(vx.underlay.ifindex)?.name ?? `if${vx.underlay.ifindex}`)
    : undefined;
  // the optional fields set one by one in this order, not spread in (V8 takes microseconds per conditional spread)
  const r: { -readonly [K in keyof LinkRecord]: LinkRecord[K] } = {
    ifindex: l.ifindex,
    name: l.name,
    kind: l.kind,
    flags: linkFlags(l, nl.peerDown),
    mtu: l.mtu,
    operstate: operstateOf(l),
    mac: l.kind === 'ipip' ? formatIpv4((l as unknown as { local: Ipv4 }).local) : l.mac,
  };
  if (l.master) r.master = l.master.name;
  if (nl.key === 'link') r.link = nl.value as string;
  if (nl.key === 'link_index') r.linkIndex = nl.value as number;
  if (netnsId !== undefined) r.linkNetnsId = netnsId;
  if (vx) {
    r.vxlan = {
      vni: vx.vni,
      ...(vx.local ? { local: formatIpv4(vx.local) } : {}),
      ...(underlay ? { dev: underlay } : {}),
      port: vx.dstPort,
      learning: vx.learning,
    };
  }
  if (port) r.bridgePort = { hairpin: port.hairpin, learning: port.learning, flood: port.flood };
  return r;
}
