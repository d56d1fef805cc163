// kindnetd as kind v0.32.0 ships it (kind images/kindnetd/cmd/kindnetd/cni.go): the CNI config it
// writes for its own node, /etc/cni/net.d/10-kindnet.conflist — ptp with host-local over the node's
// podCIDR and portmap — rendered as its Go text/template renders it (blank lines and tabs included).
import type { ApiClient, KubeObject, WatchEvent } from '../api/index.js';
import type { HostNetwork, NetHandle, RouteSpec } from '../host/index.js';
import { agentStep, type NodeFiles, type Scheduler } from '../sim/index.js';
import { startNetworkPolicies } from './kindnet-netpol.js';

export const KINDNET_CONFLIST = '/etc/cni/net.d/10-kindnet.conflist';

/** The conflist for a single-stack IPv4 node; `mtu` is eth0's (the key is left out without one). */
export function kindnetConflist(podCidr: string, mtu?: number): string {
  const mtuLine = mtu === undefined ? '' : `\t\t,\n\t\t"mtu": ${mtu}\n\t\t\n`;
  return `
{
\t"cniVersion": "0.3.1",
\t"name": "kindnet",
\t"plugins": [
\t{
\t\t"type": "ptp",
\t\t"ipMasq": false,
\t\t"ipam": {
\t\t\t"type": "host-local",
\t\t\t"dataDir": "/run/cni-ipam-state",
\t\t\t"routes": [
\t\t\t\t
\t\t\t\t
\t\t\t\t{ "dst": "0.0.0.0/0" }
\t\t\t],
\t\t\t"ranges": [
\t\t\t\t
\t\t\t\t
\t\t\t\t[ { "subnet": "${podCidr}" } ]
\t\t\t]
\t\t}
${mtuLine}\t},
\t{
\t\t"type": "portmap",
\t\t"capabilities": {
\t\t\t"portMappings": true
\t\t}
\t}
\t]
}
`;
}

/** Writes the conflist as kindnetd does: to a temp file renamed over the old one, only when it changes. */
export function writeKindnetConflist(files: NodeFiles, podCidr: string, mtu?: number): boolean {
  const text = kindnetConflist(podCidr, mtu);
  if (files.readText(KINDNET_CONFLIST) === text) return false;
  files.mkdirp('/etc/cni/net.d');
  files.write(`${KINDNET_CONFLIST}.temp`, text);
  files.rename(`${KINDNET_CONFLIST}.temp`, KINDNET_CONFLIST);
  return true;
}

/** kindnetd's masquerade rules (masq.go): everything leaving for a non-local address outside the pod subnet is masqueraded. */
export function kindMasqRules(podSubnet: string): string {
  return [
    '*nat',
    ':KIND-MASQ-AGENT - [0:0]',
    `-A KIND-MASQ-AGENT -d ${podSubnet} -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN`,
    '-A KIND-MASQ-AGENT -m comment --comment "kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE',
    'COMMIT',
    '',
  ].join('\n');
}

const MASQ_CHAIN = 'KIND-MASQ-AGENT';

const POSTROUTING_JUMP =
  '-A POSTROUTING -m addrtype ! --dst-type LOCAL -m comment --comment "kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain" -j KIND-MASQ-AGENT';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface KindnetOptions {
  readonly node: string;
  readonly api: ApiClient;
  readonly host: HostNetwork;
  readonly files: NodeFiles;
  readonly clock: Scheduler;
  /** POD_SUBNET. */
  readonly podSubnet: string;
}

/**
 * kindnetd on one node (main.go, routes.go, masq.go): its main loop reconciles every node each
 * RECONCILE_MS (a ticker; the first pass at start, over the nodes the API lists: kindnetd's first
 * list reads an informer cache it has just started and does not wait for, which may still be empty
 * then; not emulated): its own node's conflist from spec.podCIDR, and
 * a route `<podCIDR> via <InternalIP>` to every other node's pods. A node that comes or changes
 * between passes gets its route at the next one, up to 10 s later, as on a kind cluster. Also the
 * KIND-MASQ-AGENT chain and NetworkPolicy enforcement (kindnet-netpol.ts). Returns stop().
 */
export function startKindnet(o: KindnetOptions): { stop(): void } {
  let stopped = false;
  const feed = nodeFeed(o.api);
  const leave = feed.join();
  /** The route this agent keeps to each other node's pods: podCIDR → node IP, by the feed's numbers for them. */
  const routed = new RoutedTable();
  /** How much of the feed's change log the passes so far have reconciled. */
  let read = 0;
  const apply = (root: NetHandle, name: string, n: NodeFacts | undefined) => {
    if (!n) return; // kindnetd adds and mends routes; a deleted node's stays
    if (name === o.node) {
      if (n.podCidr) writeKindnetConflist(o.files, n.podCidr, root.linkGet('eth0')?.mtu);
      return;
    }
    if (!n.route || routed.get(n.cidrId) === n.ipId) return;
    root.routeReplace(n.route);
    routed.set(n.cidrId, n.ipId);
  };
  // One pass over the nodes (reconcileNodes): only those whose facts changed since the last pass
  // can need anything, as the others' routes are in place; each is taken as it is now.
  const reconcile = () => {
    if (stopped || read === feed.changes.length) return;
    const root = o.host.at();
    const upTo = feed.changes.length;
    for (; read < upTo; read++) {
      const name = feed.changes[read]!;
      apply(root, name, feed.facts.get(name));
    }
  };
  const tick = () => {
    if (stopped) return;
    // a pass runs whole (agentStep): the node's commands run the clock
    agentStep(o.clock, reconcile);
    o.clock.schedule(RECONCILE_MS, tick);
  };
  // masq.go's SyncRulesForever: installed at start and checked every 60 s, apart from node changes.
  // A missing chain is made with the POSTROUTING jump, in the same restore as the rules (the
  // chain's second declaration flushes it, as the rules' own restore would).
  const syncMasq = () => {
    if (stopped) return;
    const root = o.host.at();
    const rules = kindMasqRules(o.podSubnet);
    const payload = root.iptablesChainExists('nat', MASQ_CHAIN)
      ? rules
      : `*nat\n:${MASQ_CHAIN} - [0:0]\n${POSTROUTING_JUMP}\n${rules.slice('*nat\n'.length)}`;
    root.iptablesRestore('nat', payload, { noflush: true });
  };
  const masqTick = () => {
    if (stopped) return;
    agentStep(o.clock, syncMasq);
    o.clock.schedule(MASQ_SYNC_MS, masqTick);
  };
  // kube-network-policies, embedded since kind v0.24.0
  const policies = startNetworkPolicies(o);
  o.clock.schedule(0, masqTick);
  o.clock.schedule(0, tick);
  return {
    stop() {
      stopped = true;
      leave();
      policies.stop();
    },
  };
}

/** kindnetd's main loop runs a pass over the nodes this often (main.go: time.NewTicker(10 * time.Second)). */
const RECONCILE_MS = 10_000;

/** kindnetd's masquerade agent re-checks its rules this often (main.go: SyncRulesForever(ctx, time.Second*60)). */
const MASQ_SYNC_MS = 60_000;

/**
 * What kindnetd reads from a Node: spec.podCIDR and the InternalIP address, with the feed's small
 * numbers for each (-1: absent or empty), which an agent's RoutedTable keeps instead of the texts.
 */
interface NodeFacts {
  readonly podCidr: string | undefined;
  readonly internalIp: string | undefined;
  readonly cidrId: number;
  readonly ipId: number;
  /** `<podCIDR> via <InternalIP>` when the node has both: one request every other agent makes (N² in a cluster). */
  readonly route: RouteSpec | undefined;
}

function sameFacts(a: NodeFacts, b: NodeFacts): boolean {
  return a.podCidr === b.podCidr && a.internalIp === b.internalIp;
}

/**
 * One agent's routes to other nodes' pods: the node IP's number by the podCIDR's (-1: none). A
 * cluster of N nodes holds N² of them: a packed array each, not a Map of texts.
 */
class RoutedTable {
  /** ipId + 1 by cidrId (0: no route). */
  private via = new Int32Array(16);

  get(cidrId: number): number {
    return cidrId < this.via.length ? this.via[cidrId]! - 1 : -1;
  }

  set(cidrId: number, ipId: number): void {
    if (cidrId >= this.via.length) {
      const grown = new Int32Array(Math.max(cidrId + 1, this.via.length * 2));
      grown.set(this.via);
      this.via = grown;
    }
    this.via[cidrId] = ipId + 1;
  }
}

/**
 * The node informer of every kindnet agent of one API server. Each kindnetd has its own; here the
 * agents share one watch, which reads each event's facts once. Its change log names each node
 * whose podCIDR or InternalIP came, changed or went, in order; an agent's pass reads the log from
 * where its last pass stopped. Events that leave both as they were (status, taints, heartbeats:
 * most of them) are not logged.
 */
class NodeFeed {
  /** Every node's facts as the watch told them last, by name. */
  readonly facts = new Map<string, NodeFacts>();
  /** The names of the nodes whose facts changed, in the order they did (every node at the start). */
  readonly changes: string[] = [];
  /** The numbers given to podCIDRs and node IPs (NodeFacts.cidrId, ipId). */
  private readonly ids = new Map<string, number>();
  private unwatch: (() => void) | undefined;
  private agents = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly forget: () => void,
  ) {}

  /** An agent's informer starts: the nodes' list, then the watch from it; returns its leave(). */
  join(): () => void {
    if (!this.unwatch) {
      const nodes = this.api.list('nodes');
      for (const n of nodes.items) {
        this.facts.set(n.metadata.name!, this.factsOf(n));
        this.changes.push(n.metadata.name!);
      }
      this.unwatch = this.api.watch('nodes', undefined, { resourceVersion: nodes.resourceVersion }, (e) => this.event(e));
    }
    this.agents++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.agents > 0) return;
      this.unwatch?.();
      this.forget();
    };
  }

  private id(text: string | undefined): number {
    if (!text) return -1;
    let id = this.ids.get(text);
    if (id === undefined) this.ids.set(text, (id = this.ids.size));
    return id;
  }

  private factsOf(n: KubeObject): NodeFacts {
    const addresses = (n.status as Obj | undefined)?.addresses as Obj[] | undefined;
    const internalIp = addresses?.find((a) => a.type === 'InternalIP')?.address as string | undefined;
    const podCidr = (n.spec as Obj | undefined)?.podCIDR as string | undefined;
    const cidrId = this.id(podCidr);
    const ipId = this.id(internalIp);
    const route = cidrId >= 0 && ipId >= 0 ? Object.freeze({ dst: podCidr!, via: internalIp! }) : undefined;
    return { podCidr, internalIp, cidrId, ipId, route };
  }

  private event(e: WatchEvent): void {
    const name = e.object.metadata.name!;
    const before = this.facts.get(name);
    const facts = e.type === 'DELETED' ? undefined : this.factsOf(e.object);
    if (facts) this.facts.set(name, facts);
    else this.facts.delete(name);
    if (before && facts && sameFacts(before, facts)) return;
    if (before || facts) this.changes.push(name);
  }
}

const feeds = new WeakMap<ApiClient, NodeFeed>();

function nodeFeed(api: ApiClient): NodeFeed {
  let f = feeds.get(api);
  if (!f) feeds.set(api, (f = new NodeFeed(api, () => feeds.delete(api))));
  return f;
}
