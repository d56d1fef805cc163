// kube-proxy's iptables proxier as a pure state machine: it holds the node's Services and
// EndpointSlices, renders each service port's rules once and keeps them, and writes the
// iptables-restore payload of a sync — the whole rule set on the first (full) sync, then, as
// upstream does since v1.28 (partial syncs), the top-level chains plus only the chains of the
// services that changed, with `-X` for the chains no service owns any more. Re-rendering costs
// work proportional to what changed; the top-level chains are rewritten every time, as upstream
// rewrites them.
//
// The payload is written in the order upstream's own tests compare it in (proxier_test.go
// sortIPTablesRules: KUBE-NODEPORTS, KUBE-SERVICES, then the other chains by name; rules grouped
// by chain; KUBE-SERVICES and KUBE-NODEPORTS ordered by service name, the NodePort jump last).
// Upstream's own order follows Go map iteration and differs from run to run; within each chain
// the order is upstream's.
import { formatIpv4, parseIpv4 } from '../wire/index.js';
import { durationMs, type ProxyConfig } from './config.js';
import { invalid } from './errors.js';
import type { UdpServicePort } from './conntrack.js';
import {
  cidrContains,
  mergeEndpoints,
  parseCidr,
  portKey,
  serviceKey,
  servicePorts,
  sliceEndpoints,
  type Cidr,
  type EndpointInfo,
  type ServicePortInfo,
  type SliceEndpoints,
} from './model.js';
import { serviceRules, type RenderContext, type ServiceRules } from './service-rules.js';

/** What kube-proxy learns from the node it runs on. */
export interface NodeFacts {
  /** The Node name (`--hostname-override`), matched against endpoints' nodeName. */
  readonly hostname: string;
  readonly nodeIP: string;
  /** Interface addresses, in the order the host lists them (`ip -4 addr`). */
  readonly addresses: readonly { readonly iface: string; readonly cidr: string }[];
}

/** What the host's iptables can do, which changes upstream's output. */
export interface HostCapabilities {
  /** `MASQUERADE --random-fully` (iptables ≥ 1.6.2 on a kernel with NF_NAT_RANGE_PROTO_RANDOM_FULLY). */
  readonly randomFully: boolean;
  /** The nfacct counters kube-proxy creates for its metrics exist. */
  readonly nfacct: boolean;
}

/** The number of endpoints above which kube-proxy drops comments from endpoint rules. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

const LOOPBACK = parseCidr('127.0.0.0/8')!;

/** Go's fmt.Sprintf("%#08x", v): zero-padded to 8 digits, then the 0x prefix. */
export const goHex08 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

interface Entry {
  readonly info: ServicePortInfo;
  readonly endpoints: readonly EndpointInfo[];
  rules: ServiceRules;
}

export interface SyncResult {
  /** The iptables-restore payload (`*filter … COMMIT`, `*nat … COMMIT`). */
  readonly payload: string;
  readonly full: boolean;
  /** Service ports whose own chains were rendered and written in this sync. */
  readonly renderedServicePorts: number;
  readonly filterRules: number;
  readonly natRules: number;
  /**
   * This sync deleted the per-service chains no service owns (always, except in large clusters,
   * where upstream looks for them with iptables-save at most once per syncPeriod).
   */
  readonly cleanedUp: boolean;
}

export class IptablesProxier {
  private readonly services = new Map<string, ServicePortInfo[]>();
  /** service key → slice name → endpoints. */
  private readonly slices = new Map<string, Map<string, SliceEndpoints>>();
  /** `namespace/slice` → the service key it belongs to. */
  private readonly serviceOfSlice = new Map<string, string>();
  private readonly entries = new Map<string, Entry>();
  /** Service keys whose rules must be rendered again. */
  private readonly dirty = new Set<string>();
  /** service key → its port keys; port keys kept sorted in upstream's test order. */
  private readonly portsByService = new Map<string, string[]>();
  private readonly sortedKeys: string[] = [];
  private totalEndpoints = 0;
  /** nat chains the host holds from the previous sync (owned by services). */
  private readonly written = new Set<string>();
  /** Chains no service owns any more, still on the host until the next cleanup deletes them. */
  private readonly stale = new Set<string>();
  /** When the last cleanup ran (upstream's lastIPTablesCleanup); undefined before the first. */
  private lastCleanup: number | undefined;
  private readonly syncPeriodMs: number;
  private needFullSync = true;
  private readonly node: NodeFacts;
  private readonly nodeIP: number;
  /** NewProxier's localhostNodePorts: the setting, off when nodePortAddresses holds no loopback address. */
  readonly localhostNodePorts: boolean;
  private readonly nodePortJumps: string[];

  constructor(
    node: NodeFacts,
    private readonly config: ProxyConfig,
    private readonly caps: HostCapabilities,
  ) {
    const ip = parseIpv4(node.nodeIP);
    if (ip === undefined) throw invalid('node', 'nodeIP', node.nodeIP, 'must be an IPv4 address');
    this.node = node;
    this.nodeIP = ip;
    const npa = nodePortCidrs(config, node.nodeIP);
    // NewProxier: localhost NodePorts only when nodePortAddresses can hold 127.0.0.0/8.
    this.localhostNodePorts =
      config.localhostNodePorts && (npa === 'all' || npa.some((c) => c.addr >>> 24 === 127 || cidrContains(c, LOOPBACK.addr)));
    this.nodePortJumps = this.renderNodePortJumps(npa);
    // kube-proxy's defaulting turns a zero syncPeriod into 30s.
    this.syncPeriodMs = durationMs(config.syncPeriod) || 30_000;
  }

  /** Adds or replaces a Service (all its ports). Throws ProxyInputError on bad input, changing nothing. */
  upsertService(obj: unknown): void {
    const ports = servicePorts(obj);
    const m = (obj as { metadata: { namespace: string; name: string } }).metadata;
    const key = serviceKey(m.namespace, m.name);
    this.services.set(key, ports);
    this.touch(key);
  }

  deleteService(namespace: string, name: string): void {
    const key = serviceKey(namespace, name);
    if (this.services.delete(key)) this.touch(key);
  }

  upsertEndpointSlice(obj: unknown): void {
    const s = sliceEndpoints(obj, this.node.hostname);
    const key = serviceKey(s.namespace, s.service);
    const id = `${s.namespace}/${s.sliceName}`;
    // A slice relabelled to another service leaves the old one.
    const before = this.serviceOfSlice.get(id);
    if (before !== undefined && before !== key) this.deleteEndpointSlice(s.namespace, s.sliceName);
    let bySlice = this.slices.get(key);
    if (!bySlice) this.slices.set(key, (bySlice = new Map()));
    bySlice.set(id, s);
    this.serviceOfSlice.set(id, key);
    this.touch(key);
  }

  deleteEndpointSlice(namespace: string, name: string): void {
    const id = `${namespace}/${name}`;
    const key = this.serviceOfSlice.get(id);
    if (key === undefined) return;
    this.serviceOfSlice.delete(id);
    this.slices.get(key)?.delete(id);
    this.touch(key);
  }

  /** The per-service nat chains the rules of the last sync hold (upstream's activeNATChains, written or kept). */
  get activeChains(): ReadonlySet<string> {
    return this.written;
  }

  /** More than LARGE_CLUSTER_ENDPOINTS_THRESHOLD endpoints: comments dropped, stale chains looked for less often. */
  get largeClusterMode(): boolean {
    return this.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  }

  /** Forces the next sync to be full (kube-proxy does on start, on a canary loss, hourly). */
  forceFullSync(): void {
    this.needFullSync = true;
  }

  private touch(key: string): void {
    this.dirty.add(key);
  }

  /** One syncProxyRules() at `now` (ms, the caller's clock): renders what changed and returns the restore payload. */
  sync(now = 0): SyncResult {
    const full = this.needFullSync;
    const changed = new Set<string>();
    const deleted = new Set<string>();
    const added: string[] = [];
    const removed = new Set<string>();
    for (const key of this.dirty) {
      for (const pk of this.portsByService.get(key) ?? []) {
        const old = this.entries.get(pk)!;
        this.totalEndpoints -= old.rules.endpointCount;
        for (const c of old.rules.chains.keys()) deleted.add(c);
        this.entries.delete(pk);
        removed.add(pk);
        changed.add(pk);
      }
      this.portsByService.delete(key);
      const ports = this.services.get(key);
      if (!ports) continue;
      const pks: string[] = [];
      for (const info of ports) {
        const pk = portKey(info.namespace, info.name, info.portName, info.protocol);
        const endpoints = this.endpointsOf(info);
        this.totalEndpoints += endpoints.length;
        this.entries.set(pk, { info, endpoints, rules: EMPTY });
        if (!removed.delete(pk)) added.push(pk);
        pks.push(pk);
        changed.add(pk);
      }
      this.portsByService.set(key, pks);
    }
    this.dirty.clear();
    this.updateOrder(added, removed);
    const ctx = this.context(this.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD);
    let renderedServicePorts = 0;
    for (const pk of full ? this.sortedKeys : changed) {
      const e = this.entries.get(pk);
      if (!e) continue;
      e.rules = serviceRules(e.info, e.endpoints, ctx);
      for (const c of e.rules.chains.keys()) deleted.delete(c);
      renderedServicePorts++;
    }
    // Chains of the previous syncs no service owns now (upstream finds them with iptables-save;
    // here the proxier remembers what it wrote). Upstream deletes them on every sync, but in a
    // large cluster at most once per syncPeriod; until then they stay, unreferenced.
    for (const c of deleted) if (this.written.delete(c)) this.stale.add(c);
    for (const pk of changed)
      for (const c of this.entries.get(pk)?.rules.chains.keys() ?? []) {
        this.written.add(c);
        this.stale.delete(c);
      }
    const cleanup = !this.largeClusterMode || this.lastCleanup === undefined || now - this.lastCleanup > this.syncPeriodMs;
    const gone = cleanup ? [...this.stale].sort() : [];
    if (cleanup) {
      this.stale.clear();
      this.lastCleanup = now;
    }
    const result = this.assemble(ctx, full ? undefined : changed, gone, renderedServicePorts, cleanup);
    this.needFullSync = false;
    return result;
  }

  /** Keeps the port keys sorted: a few changes by binary search, many (a first sync) by one sort. */
  private updateOrder(added: string[], removed: Set<string>): void {
    if (added.length + removed.size > 64) {
      const keys = this.sortedKeys
        .filter((k) => !removed.has(k))
        .concat(added)
        .sort();
      this.sortedKeys.length = 0;
      for (const k of keys) this.sortedKeys.push(k);
      return;
    }
    for (const k of removed) removeSorted(this.sortedKeys, k);
    for (const k of added) insertSorted(this.sortedKeys, k);
  }

  /** The UDP service ports with their serving endpoints' IPs: what the conntrack reconciliation needs. */
  udpServicePorts(): UdpServicePort[] {
    const out: UdpServicePort[] = [];
    for (const ports of this.services.values()) {
      for (const info of ports) {
        if (info.protocol === 'udp')
          out.push({
            service: info,
            servingIPs: new Set(
              this.endpointsOf(info)
                .filter((e) => e.serving)
                .map((e) => e.ip),
            ),
          });
      }
    }
    return out;
  }

  private endpointsOf(info: ServicePortInfo) {
    const slices = this.slices.get(serviceKey(info.namespace, info.name));
    if (!slices) return [];
    return mergeEndpoints(slices.values()).get(portKey(info.namespace, info.name, info.portName, info.protocol)) ?? [];
  }

  private context(largeClusterMode: boolean): RenderContext {
    const c = this.config;
    let ifLocal: string[] | undefined;
    let ifNotLocal: string[] | undefined;
    if (c.detectLocalMode === 'ClusterCIDR' && c.clusterCIDRs.length > 0) {
      ifLocal = ['-s', c.clusterCIDRs[0]!.text];
      ifNotLocal = ['!', '-s', c.clusterCIDRs[0]!.text];
    } else if (c.detectLocalMode === 'BridgeInterface') {
      ifLocal = ['-i', c.bridgeInterface];
      ifNotLocal = ['!', '-i', c.bridgeInterface];
    } else if (c.detectLocalMode === 'InterfaceNamePrefix') {
      ifLocal = ['-i', `${c.interfaceNamePrefix}+`];
      ifNotLocal = ['!', '-i', `${c.interfaceNamePrefix}+`];
    }
    return {
      nodeIP: this.nodeIP,
      masqueradeMark: goHex08((2 ** c.masqueradeBit) >>> 0),
      masqueradeAll: c.masqueradeAll,
      ifLocal,
      ifNotLocal,
      localhostNodePorts: this.localhostNodePorts,
      nfacct: this.caps.nfacct,
      largeClusterMode,
    };
  }

  private renderNodePortJumps(npa: 'all' | Cidr[]): string[] {
    const head = '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
    if (npa === 'all')
      return [`${head} -m addrtype --dst-type LOCAL${this.localhostNodePorts ? '' : ' ! -d 127.0.0.0/8'} -j KUBE-NODEPORTS`];
    const ips: string[] = [];
    for (const c of npa) {
      for (const a of this.node.addresses) {
        const ip = parseIpv4(a.cidr.split('/')[0]!);
        if (ip === undefined || !cidrContains(c, ip)) continue;
        const text = formatIpv4(ip);
        if (ips.includes(text)) continue;
        if (ip >>> 24 === 127 && !this.localhostNodePorts) continue;
        ips.push(text);
      }
    }
    return ips.map((ip) => `${head} -d ${ip} -j KUBE-NODEPORTS`);
  }

  private assemble(
    ctx: RenderContext,
    changed: Set<string> | undefined,
    deleted: string[],
    renderedServicePorts: number,
    cleanedUp: boolean,
  ): SyncResult {
    const mark = ctx.masqueradeMark;
    const keys = this.sortedKeys;
    const entries = keys.map((k) => this.entries.get(k)!);
    const collect = (pick: (r: ServiceRules) => string[]): string[] => entries.flatMap((e) => pick(e.rules));

    const filter = new Map<string, string[]>([
      ['KUBE-NODEPORTS', collect((r) => r.filterNodePorts)],
      ['KUBE-SERVICES', collect((r) => r.filterServices)],
      ['KUBE-EXTERNAL-SERVICES', collect((r) => r.filterExternal)],
    ]);
    if (this.localhostNodePorts) {
      filter.set('KUBE-FIREWALL', [
        '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
      ]);
    }
    filter.set('KUBE-FORWARD', [
      // With tcpBeLiberal conntrack marks no out-of-window TCP INVALID, and kube-proxy drops none.
      ...(this.config.conntrackTCPBeLiberal
        ? []
        : [
            `-A KUBE-FORWARD -m conntrack --ctstate INVALID${ctx.nfacct ? ' -m nfacct --nfacct-name ct_state_invalid_dropped_pkts' : ''} -j DROP`,
          ]),
      `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`,
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]);
    filter.set(
      'KUBE-PROXY-FIREWALL',
      collect((r) => r.filterFirewall),
    );

    const nat = new Map<string, string[]>([
      ['KUBE-NODEPORTS', collect((r) => r.natNodePorts)],
      ['KUBE-SERVICES', [...collect((r) => r.natServices), ...this.nodePortJumps]],
      ['KUBE-MARK-MASQ', [`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`]],
      [
        'KUBE-POSTROUTING',
        [
          `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
          `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
          `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${this.caps.randomFully ? ' --random-fully' : ''}`,
        ],
      ],
    ]);
    for (const k of changed ?? keys) {
      const e = this.entries.get(k);
      if (e) for (const [chain, rules] of e.rules.chains) nat.set(chain, rules);
    }
    for (const c of deleted) nat.set(c, []);

    const filterText = table('filter', filter, []);
    const natText = table('nat', nat, deleted);
    return {
      payload: filterText.text + natText.text,
      full: changed === undefined,
      renderedServicePorts,
      filterRules: filterText.rules,
      natRules: natText.rules,
      cleanedUp,
    };
  }
}

const EMPTY: ServiceRules = {
  natServices: [],
  natNodePorts: [],
  filterServices: [],
  filterExternal: [],
  filterNodePorts: [],
  filterFirewall: [],
  chains: new Map(),
  endpointCount: 0,
};

/** upstream's test order of chains: KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* by name, then the rest. */
export function compareChains(a: string, b: string): number {
  const d = chainRank(a) - chainRank(b);
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}

const chainRank = (c: string): number => (c === 'KUBE-NODEPORTS' ? 0 : c === 'KUBE-SERVICES' ? 1 : c.startsWith('KUBE-') ? 2 : 3);

/** Chain names in upstream's test order: one plain sort, then the ranked ones moved ahead. */
function sortChains(names: string[]): string[] {
  const sorted = names.sort();
  const byRank: string[][] = [[], [], [], []];
  for (const c of sorted) byRank[chainRank(c)]!.push(c);
  return byRank.flat();
}

/** Index of the first key not below `k` (port keys sort as `namespace/name\0port\0protocol`). */
function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(keys: string[], k: string): void {
  const i = lowerBound(keys, k);
  if (keys[i] !== k) keys.splice(i, 0, k);
}

function removeSorted(keys: string[], k: string): void {
  const i = lowerBound(keys, k);
  if (keys[i] === k) keys.splice(i, 1);
}

function table(name: string, chains: Map<string, string[]>, deleted: string[]): { text: string; rules: number } {
  const names = sortChains([...chains.keys()]);
  const lines = [`*${name}`, ...names.map((c) => `:${c} - [0:0]`)];
  let rules = 0;
  for (const c of names) {
    const r = chains.get(c)!;
    rules += r.length;
    for (const l of r) lines.push(l);
  }
  for (const c of deleted) lines.push(`-X ${c}`);
  lines.push('COMMIT', '');
  return { text: lines.join('\n'), rules };
}

/**
 * nodePortAddresses for IPv4 (NewNodePortAddresses): 'all' when none is IPv4 or one is a /0 (current
 * upstream's IsZeroCIDR looks at the prefix length; releases before it compared the text with
 * `0.0.0.0/0`), else the CIDRs (`primary` is the node IP).
 */
function nodePortCidrs(config: ProxyConfig, nodeIP: string): 'all' | Cidr[] {
  const v4 = config.nodePortAddresses.flatMap((s) => (s === 'primary' ? [`${nodeIP}/32`] : s.includes(':') ? [] : [s]));
  if (v4.length === 0) return 'all';
  const out: Cidr[] = [];
  for (const s of v4) {
    const c = parseCidr(s)!;
    if (c.len === 0) return 'all';
    out.push(c);
  }
  return out;
}
