// kube-proxy on one node, as the kube-proxy DaemonSet's pod runs it (cmd/kube-proxy/app/server.go,
// pkg/proxy/iptables/proxier.go, v1.32): it reads its KubeProxyConfiguration from the kube-proxy
// ConfigMap (the file --config names is that ConfigMap's config.conf, mounted), watches Services,
// EndpointSlices and its own Node, and writes the rules src/proxy renders through host/ with
// iptables-restore --noflush. Syncs are partial after the first (only the chains of what changed);
// a full one comes at start, when the canary chain disappears, when the node's labels change, after
// a failed restore, and hourly. After each sync, stale UDP conntrack entries are deleted
// (src/proxy/conntrack.ts). Syncs run through a bounded-frequency runner on the lab clock:
// at most a burst of 2, then one per minSyncPeriod. Modes ipvs and nftables are not emulated yet:
// the node gets a Warning event saying so and no rules.
import { parse } from 'yaml';
import { ApiError, type ApiClient, type KubeObject, type WatchEvent } from '../api/index.js';
import { HostError, type HostNetwork, type IptablesEnsureStep, type NetHandle } from '../host/index.js';
import {
  CANARY_CHAIN,
  CANARY_TABLES,
  durationMs,
  IptablesProxier,
  JUMP_RULES,
  proxyConfig,
  ProxyInputError,
  splitTables,
  staleUdpEntryFilters,
  type NodeFacts,
  type ProxyConfig,
  type SyncResult,
} from '../proxy/index.js';
import { agentStep, lastResult, type Scheduler, type TimerHandle } from '../sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The ConfigMap kubeadm (and so kind) writes, and the key the DaemonSet mounts as --config. */
export const KUBE_PROXY_CONFIGMAP = { namespace: 'kube-system', name: 'kube-proxy', key: 'config.conf' } as const;

/** proxyutil.FullSyncPeriod: a partial-sync proxier still does a full sync this often. */
export const FULL_SYNC_PERIOD_MS = 3_600_000;
/** NewProxier's burstSyncs: the runner may run this many syncs back to back before minSyncPeriod applies. */
const BURST_SYNCS = 2;

/**
 * The sync limiter's tokens at `now`, `tokens` having been counted at `since`: one more every
 * `minMs`, at most BURST_SYNCS (all of them when minMs is 0). A count a rounding error from a whole
 * token is that token: the time the next one is due, worked out from the count, can land a rounding error
 * short of it (a live clock's fractional milliseconds), and the sync it was armed for would then be
 * re-armed at the same instant, forever.
 */
export function refilled(tokens: number, since: number, now: number, minMs: number): number {
  if (minMs <= 0) return BURST_SYNCS;
  const t = Math.min(BURST_SYNCS, tokens + (now - since) / minMs);
  // the rounding of times this large, in tokens: a few units in the last place of the larger time
  const slack = 1e-12 + (8 * Number.EPSILON * Math.max(Math.abs(now), Math.abs(since))) / minMs;
  const whole = Math.round(t);
  return Math.abs(t - whole) <= slack ? whole : t;
}
/** The runner's maxInterval (NewBoundedFrequencyRunner(..., minSyncPeriod, time.Hour, burstSyncs)). */
const MAX_INTERVAL_MS = 3_600_000;

export interface KubeProxyOptions {
  /** The node name (--hostname-override=$(NODE_NAME)). */
  readonly node: string;
  readonly api: ApiClient;
  readonly host: HostNetwork;
  readonly clock: Scheduler;
  /** Records an event about `obj` from the component `kube-proxy` on this node. */
  readonly event: (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** What the node's iptables supports (kind's nodes: --random-fully, no nfacct counters). */
  readonly randomFully?: boolean;
  readonly nfacct?: boolean;
}

/** What a running kube-proxy exposes to the lab (bench, tests): its last sync and how many there were. */
export interface KubeProxy {
  stop(): void;
  /** What it has written (`kubectl logs`): only knetlab's own word when it cannot run. */
  logs?(): string;
  readonly mode: string;
  /** The result of the last sync written to the node, undefined before the first. */
  readonly lastSync: SyncResult | undefined;
  readonly syncs: number;
}

function find(api: ApiClient, resource: string, ns: string | undefined, name: string): KubeObject | undefined {
  try {
    return api.get(resource, ns, name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** The config's mode as written ("" when absent), before validation: ipvs and nftables are refused by proxyConfig. */
function modeOf(doc: unknown): string {
  const m = typeof doc === 'object' && doc !== null ? (doc as Obj)['mode'] : undefined;
  return typeof m === 'string' ? m : '';
}

/** kube-proxy's informers skip objects a different service proxy owns, and headless services' slices (server.go's labelSelector). */
const proxied = (o: KubeObject): boolean => {
  const l = o.metadata.labels ?? {};
  return !('service.kubernetes.io/service-proxy-name' in l) && !('service.kubernetes.io/headless' in l);
};

/**
 * The iptablesJumpChains loop of a full sync: EnsureChain for each kube-proxy chain the built-in
 * chains jump to, then EnsureRule(Prepend) — a rule already there is left alone, a missing one is
 * inserted at the head of its chain. Each check looks at one chain: no iptables-save of the
 * whole table per sync. Consecutive steps on one table go to the host together, in order.
 */
function ensureJumps(root: NetHandle): void {
  for (const run of JUMP_STEPS) root.iptablesEnsureAll(run.table, run.steps);
}

/** JUMP_RULES as runs of EnsureChain/EnsureRule steps on one table, in their order. */
const JUMP_STEPS: readonly { readonly table: string; readonly steps: readonly IptablesEnsureStep[] }[] = JUMP_RULES.reduce(
  (runs, j) => {
    const last = runs.at(-1);
    const steps = [{ chain: j.to }, { chain: j.from, rule: j.args }];
    if (last?.table === j.table) last.steps.push(...steps);
    else runs.push({ table: j.table, steps });
    return runs;
  },
  [] as { table: string; steps: IptablesEnsureStep[] }[],
);

/** ipt.Monitor's canary: an empty chain in mangle, nat and filter whose disappearance means someone flushed the tables (EnsureChain in each). */
function ensureCanaries(root: NetHandle): void {
  for (const table of CANARY_TABLES) root.iptablesEnsureChain(table, CANARY_CHAIN);
}

const SERVICE_CHAIN = /^:(KUBE-(?:SVC|SVL|EXT|FW|SEP)-[A-Z2-7]{16}) /;

const hasCanary = (root: NetHandle, table: string): boolean => root.iptablesChainExists(table, CANARY_CHAIN);

/** The config text as YAML; every node's kube-proxy reads the same text, parsed once (the result is only read). */
const parseConfig = lastResult((text: string): unknown => parse(text));

/** The kube-proxy ConfigMap's config.conf (what the pod mounts as its --config file), if any. */
export function kubeProxyConfigText(api: ApiClient): string | undefined {
  const cm = find(api, 'configmaps', KUBE_PROXY_CONFIGMAP.namespace, KUBE_PROXY_CONFIGMAP.name);
  return (cm?.['data'] as Record<string, string> | undefined)?.[KUBE_PROXY_CONFIGMAP.key];
}

/**
 * Starts kube-proxy on `o.node`. Reads the ConfigMap once, as kube-proxy reads its file at start
 * (it restarts to take a new one). Returns the running proxy; stop() ends its watches and timers.
 */
export function startKubeProxy(o: KubeProxyOptions): KubeProxy {
  const nodeObj = find(o.api, 'nodes', undefined, o.node);
  const text = kubeProxyConfigText(o.api);
  let said = '';
  const warn = (reason: string, message: string) => {
    said += `knetlab: ${message}\n`;
    if (nodeObj) o.event(nodeObj, 'Warning', reason, message);
  };
  /** A kube-proxy that does nothing; its log (`kubectl logs`) says why, as its event does. */
  const idle = (mode: string): KubeProxy => ({ stop() {}, logs: () => said, mode, lastSync: undefined, syncs: 0 });
  let doc: unknown;
  try {
    doc = text === undefined ? undefined : parseConfig(text);
  } catch (e) {
    warn('FailedToStart', `failed to load kube-proxy config: ${(e as Error).message}`);
    return idle('');
  }
  const mode = modeOf(doc);
  if (mode === 'ipvs' || mode === 'nftables') {
    warn(
      'ProxyModeNotEmulated',
      `kube-proxy mode "${mode}" is not emulated yet: knetlab programs no ${mode === 'ipvs' ? 'IPVS virtual servers' : 'nftables rules'} on ${o.node}, so Services do not reach this node's data plane`,
    );
    return idle(mode);
  }
  let config: ProxyConfig;
  try {
    config = proxyConfig(doc);
  } catch (e) {
    if (!(e instanceof ProxyInputError)) throw e;
    warn('FailedToStart', `invalid kube-proxy config: ${e.message}`);
    return idle(mode);
  }
  const nodeIP = ((nodeObj?.status as Obj | undefined)?.addresses as Obj[] | undefined)?.find((a) => a.type === 'InternalIP')?.address as
    | string
    | undefined;
  if (!nodeObj || !nodeIP) {
    warn('FailedToStart', `kube-proxy: no InternalIP on Node ${o.node}`);
    return idle(mode);
  }
  return new IptablesAgent(o, config, nodeObj, nodeIP);
}

class IptablesAgent implements KubeProxy {
  readonly mode = 'iptables';
  lastSync: SyncResult | undefined;
  syncs = 0;
  private readonly proxier: IptablesProxier;
  private readonly root: NetHandle;
  private readonly unwatch: (() => void)[] = [];
  private stopped = false;
  private readonly minSyncMs: number;
  private readonly syncPeriodMs: number;
  /** The token bucket of the bounded-frequency runner (burst 2, one token per minSyncPeriod). */
  private tokens = BURST_SYNCS;
  private tokensAt: number;
  private lastRun = -Infinity;
  private lastFullSync = -Infinity;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private nodeLabels: string;
  private initialized = false;

  constructor(
    private readonly o: KubeProxyOptions,
    config: ProxyConfig,
    node: KubeObject,
    nodeIP: string,
  ) {
    this.root = o.host.at();
    this.minSyncMs = durationMs(config.minSyncPeriod);
    this.syncPeriodMs = durationMs(config.syncPeriod) || 30_000;
    this.tokensAt = o.clock.now();
    this.nodeLabels = JSON.stringify(node.metadata.labels ?? {});
    const addresses = this.root.addrList().map((a) => ({ iface: a.dev, cidr: `${a.local}/${a.prefixLen}` }));
    const facts: NodeFacts = { hostname: o.node, nodeIP, addresses };
    this.proxier = new IptablesProxier(facts, config, { randomFully: o.randomFully ?? true, nfacct: o.nfacct ?? false });
    // server.go: "Starting kube-proxy." as the StartKubeProxy event on the Node, with no note.
    o.event(node, 'Normal', 'Starting', '');
    // NewProxier: NodePorts on 127.0.0.1 need route_localnet (EnsureSysctl: set to 1); not when
    // nodePortAddresses, holding no loopback address, turned localhost NodePorts off.
    if (this.proxier.localhostNodePorts) this.root.sysctlSet('net.ipv4.conf.all.route_localnet', '1');
    ensureCanaries(this.root);
    this.unwatch.push(
      o.api.watch('services', undefined, {}, (e) => this.onService(e)),
      o.api.watch('endpointslices', undefined, {}, (e) => this.onSlice(e)),
      // kube-proxy's node informer watches its own Node only (metadata.name=NODE)
      o.api.watch('nodes', undefined, { fieldSelector: `metadata.name=${o.node}` }, (e) => this.onNode(e)),
    );
    this.initialized = true;
    this.requestSync();
    const monitor = () => {
      if (this.stopped) return;
      agentStep(o.clock, () => this.checkCanary());
      o.clock.schedule(this.syncPeriodMs, monitor);
    };
    o.clock.schedule(this.syncPeriodMs, monitor);
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unwatch) u();
    if (this.timer) this.o.clock.cancel(this.timer);
  }

  private guard(what: string, apply: () => void): void {
    try {
      apply();
    } catch (e) {
      if (!(e instanceof ProxyInputError)) throw e;
      // kube-proxy skips an object it cannot read (the API server validated it; this is defence).
      void what;
    }
  }

  private onService(e: WatchEvent): void {
    const { namespace, name } = e.object.metadata;
    if (e.type === 'DELETED' || !proxied(e.object)) this.proxier.deleteService(namespace!, name!);
    else this.guard('Service', () => this.proxier.upsertService(e.object));
    this.requestSync();
  }

  private onSlice(e: WatchEvent): void {
    const { namespace, name } = e.object.metadata;
    if (e.type === 'DELETED' || !proxied(e.object)) this.proxier.deleteEndpointSlice(namespace!, name!);
    else this.guard('EndpointSlice', () => this.proxier.upsertEndpointSlice(e.object));
    this.requestSync();
  }

  /** OnNodeUpdate: a change of the node's labels (topology) forces a full sync. */
  private onNode(e: WatchEvent): void {
    if (e.object.metadata.name !== this.o.node || e.type === 'DELETED') return;
    const labels = JSON.stringify(e.object.metadata.labels ?? {});
    if (labels === this.nodeLabels) return;
    this.nodeLabels = labels;
    this.proxier.forceFullSync();
    this.requestSync();
  }

  /** BoundedFrequencyRunner.Run(): a sync now when a token is left, else when the next one is due. */
  private requestSync(): void {
    if (this.stopped || !this.initialized) return;
    this.refill();
    const now = this.o.clock.now();
    const at = this.tokens >= 1 ? now : Math.max(this.lastRun + this.minSyncMs, this.tokensAt + this.minSyncMs * (1 - this.tokens));
    this.arm(at);
  }

  private refill(): void {
    const now = this.o.clock.now();
    this.tokens = refilled(this.tokens, this.tokensAt, now, this.minSyncMs);
    this.tokensAt = now;
  }

  private arm(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) this.o.clock.cancel(this.timer);
    this.timerAt = at;
    this.timer = this.o.clock.schedule(Math.max(0, at - this.o.clock.now()), () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      agentStep(this.o.clock, () => this.run());
    });
  }

  private run(): void {
    if (this.stopped) return;
    this.refill();
    if (this.tokens < 1) {
      this.requestSync();
      return;
    }
    this.tokens -= 1;
    this.lastRun = this.o.clock.now();
    this.syncProxyRules();
    // the runner's maxInterval: a sync at least hourly, which is also when the full one falls due
    this.arm(this.lastRun + MAX_INTERVAL_MS);
  }

  /** syncProxyRules(): render, then (full sync) ensure the jumps, then one --noflush restore of filter and nat, stale chains dropped. */
  private syncProxyRules(): void {
    const now = this.o.clock.now();
    if (now - this.lastFullSync > FULL_SYNC_PERIOD_MS) this.proxier.forceFullSync();
    const result = this.proxier.sync(now);
    try {
      if (result.full) ensureJumps(this.root);
      for (const [table, text] of splitTables(result.payload)) {
        this.root.iptablesRestore(table, table === 'nat' ? this.withStaleChainsDeleted(text, result.cleanedUp) : text, { noflush: true });
      }
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      // "Failed to execute iptables-restore": the next sync is a full one, retried after syncPeriod.
      const node = find(this.o.api, 'nodes', undefined, this.o.node);
      if (node) this.o.event(node, 'Warning', 'FailedToSyncProxyRules', `Failed to execute iptables-restore: ${e.message}`);
      this.proxier.forceFullSync();
      this.arm(now + this.syncPeriodMs);
      return;
    }
    if (result.full) this.lastFullSync = now;
    this.lastSync = result;
    this.syncs++;
    this.cleanStaleUdpEntries();
  }

  /** conntrack.CleanStaleEntries after the sync: UDP entries to a Service that no serving endpoint answers go. */
  private cleanStaleUdpEntries(): void {
    const ports = this.proxier.udpServicePorts();
    if (ports.length === 0) return;
    try {
      for (const f of staleUdpEntryFilters(ports, this.root.conntrackList())) this.root.conntrackDelete(f);
    } catch (e) {
      // "Failed to clear all conntrack entries" is logged upstream; the next sync tries again
      if (!(e instanceof HostError)) throw e;
    }
  }

  /**
   * The nat block, plus what upstream adds after reading the table with iptables-save: every
   * per-service chain the table holds that no Service owns now (one deleted while kube-proxy was
   * not running, one another writer left) is flushed and deleted (`:CHAIN`, `-X CHAIN`). On the
   * syncs the proxier cleans up on: every one, but in large clusters (iptables-save being slow
   * there) at most once per syncPeriod.
   */
  private withStaleChainsDeleted(block: string, cleanup: boolean): string {
    if (!cleanup) return block;
    const active = this.proxier.activeChains;
    const stale = this.root
      .iptablesSave('nat')
      .split('\n')
      .flatMap((line) => {
        const m = SERVICE_CHAIN.exec(line);
        return m && !active.has(m[1]!) && !block.includes(`\n:${m[1]!} `) ? [m[1]!] : [];
      });
    if (stale.length === 0) return block;
    const lines = block.split('\n');
    const firstRule = lines.findIndex((l) => !l.startsWith('*') && !l.startsWith(':'));
    const commit = lines.lastIndexOf('COMMIT');
    return [
      ...lines.slice(0, firstRule),
      ...stale.map((c) => `:${c} - [0:0]`),
      ...lines.slice(firstRule, commit),
      ...stale.map((c) => `-X ${c}`),
      ...lines.slice(commit),
    ].join('\n');
  }

  /** ipt.Monitor, every syncPeriod: the canary gone from mangle means the tables were flushed; make it again and sync fully. */
  private checkCanary(): void {
    if (this.stopped || hasCanary(this.root, 'mangle')) return;
    ensureCanaries(this.root);
    this.proxier.forceFullSync();
    this.requestSync();
  }
}
