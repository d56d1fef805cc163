// kindnetd as kind v0.32.0 ships it (kind images/kindnetd/cmd/kindnetd/cni.go): the CNI config it
// writes for its own node, /etc/cni/net.d/10-kindnet.conflist — ptp with host-local over the node's
// podCIDR and portmap — rendered as its Go text/template renders it (blank lines and tabs included).
import type { ApiClient, KubeObject, WatchEvent } from '../api/index.js';
import type { HostNetwork, NetHandle, RouteSpec } from '../host/index.js';
import { agentStep, ownName, sortedIndex, type NodeFiles, type Scheduler } from '../sim/index.js';
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
 * kindnetd on one node (main.go, routes.go, masq.go): its own node's conflist from spec.podCIDR,
 * a route `<podCIDR> via <InternalIP>` to every other node's pods, kept in sync as nodes come and go,
 * the KIND-MASQ-AGENT chain, and NetworkPolicy enforcement (kindnet-netpol.ts). Returns stop().
 */
export function startKindnet(o: KindnetOptions): { stop(): void } {
  let stopped = false;
  /**
   * Nodes changed since the last sync (every node at start), with what their latest event said
   * (undefined: deleted), while a sync is queued. The sync works from these, as an informer's
   * handler works from its cache, instead of reading every node back. Most syncs have one node
   * (`first`); `more` holds the others, in the order they came: a Map per node event and agent
   * was N² of them while a cluster came up.
   */
  let queued = false;
  let first: string | undefined;
  let firstFacts: NodeFacts | undefined;
  let more: Map<string, NodeFacts | undefined> | undefined;
  /** The route this agent keeps to each other node's pods: podCIDR → node IP, by the feed's numbers for them. */
  const routed = new RoutedTable();
  const apply = (root: NetHandle, name: string, n: NodeFacts | undefined) => {
    if (!n) return;
    if (name === o.node) {
      if (n.podCidr) writeKindnetConflist(o.files, n.podCidr, root.linkGet('eth0')?.mtu);
      return;
    }
    if (!n.route || routed.get(n.cidrId) === n.ipId) return;
    root.routeReplace(n.route);
    routed.set(n.cidrId, n.ipId);
  };
  // A sync runs whole (agentStep): the node's commands run the clock, and a sync kicked meanwhile
  // ran nested before this one had added the POSTROUTING jump, which then went in twice.
  const sync = () => {
    if (!queued) return;
    const name = first!;
    const n = firstFacts;
    const rest = more;
    queued = false;
    first = firstFacts = more = undefined;
    if (stopped) return;
    const root = o.host.at();
    // Only the nodes that changed: a sync over all nodes on every node's change cost a cluster of
    // N nodes N² node reads and route lookups while it came up.
    apply(root, name, n);
    if (rest) for (const [name, n] of rest) apply(root, name, n);
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
  // A node's event matters when it is this node (the conflist) or brings another node's podCIDR or
  // InternalIP this agent has no route for: a kick per event cost N² syncs over nodes that had not
  // changed (status, taints, heartbeats).
  const tell = (name: string, n: NodeFacts | undefined): boolean => {
    if (stopped) return false;
    // a queued sync works from the latest event, whatever this one brings
    if (queued && name === first) {
      firstFacts = n;
      return false;
    }
    if (more?.has(name)) {
      more.set(name, n);
      return false;
    }
    if (n && name !== o.node && (n.cidrId < 0 || routed.get(n.cidrId) === n.ipId)) return false;
    if (queued) {
      (more ??= new Map()).set(name, n);
      return false;
    }
    queued = true;
    first = name;
    firstFacts = n;
    return true;
  };
  const leave = nodeFeed(o.api).join({ node: o.node, clock: o.clock, tell, sync });
  // kube-network-policies, embedded since kind v0.24.0
  const policies = startNetworkPolicies(o);
  // (joining the feed began with every existing node: the first sync covers them all)
  o.clock.schedule(0, masqTick);
  return {
    stop() {
      stopped = true;
      leave();
      policies.stop();
    },
  };
}

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
  /** The Node's resourceVersion these facts were read from. */
  readonly rv: number;
}

/** An object's resourceVersion as a number (the store's are its write counter; NaN, never older, for any other). */
const resourceVersion = (o: KubeObject): number => Number(o.metadata.resourceVersion);

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

/** A kindnet agent as the feed sees it: `tell` takes a node's latest facts and answers whether a sync is now due. */
interface FeedAgent {
  readonly node: string;
  readonly clock: Scheduler;
  tell(name: string, facts: NodeFacts | undefined): boolean;
  readonly sync: () => void;
}

/**
 * The node watch of every kindnet agent of one API server. Each kindnetd has its own informer; here
 * the agents share one watch, which reads each event's facts once and hands them to the agents in
 * the order they joined, as their own watches would have been told. An event that leaves a node's
 * podCIDR and InternalIP as they were (status, taints, heartbeats: most of them) changes nothing
 * for the other nodes' agents (each has that route, or has the node queued), so only the node's
 * own agent hears it: with N nodes, N agents were told of every node's every event (N² calls).
 * The agents an event makes due sync in one clock event, in their order: they were as many events
 * queued one after the other (N² of them while a cluster comes up).
 */
class NodeFeed {
  /** The agents in the order they joined; a new list on each join or leave (an event goes to the list it found). */
  private agents: readonly FeedAgent[] = [];
  /** Each node's own agents (one, or none yet; two while a restarted node's old agent lingers), by node name. */
  private readonly own = new Map<string, readonly FeedAgent[]>();
  /** Every node's facts as the watch told them last, which every agent has been handed, by name. */
  private readonly facts = new Map<string, NodeFacts>();
  /** Their names in the order the API lists nodes (by name): a joining agent is told of them in that order. */
  private readonly names: string[] = [];
  /** The numbers given to podCIDRs and node IPs (NodeFacts.cidrId, ipId). */
  private readonly ids = new Map<string, number>();
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly forget: () => void,
  ) {}

  /**
   * Adds an agent, told of every existing node first (an informer's initial list: the API's for the
   * first agent, then the watch's view of it, which is the same); returns its leave().
   */
  join(agent: FeedAgent): () => void {
    if (!this.unwatch) {
      const nodes = this.api.list('nodes');
      for (const n of nodes.items) {
        this.names.push(n.metadata.name!);
        this.facts.set(n.metadata.name!, this.factsOf(n));
      }
      this.unwatch = this.api.watch('nodes', undefined, { resourceVersion: nodes.resourceVersion }, (e) => this.event(e));
    }
    let due = false;
    for (const name of this.names) if (agent.tell(name, this.facts.get(name))) due = true;
    if (due) agent.clock.schedule(0, () => agentStep(agent.clock, agent.sync));
    this.agents = this.agents.concat(agent);
    this.own.set(agent.node, (this.own.get(agent.node) ?? []).concat(agent));
    return () => {
      this.agents = this.agents.filter((a) => a !== agent);
      const left = this.own.get(agent.node)?.filter((a) => a !== agent) ?? [];
      if (left.length) this.own.set(agent.node, left);
      else this.own.delete(agent.node);
      if (this.agents.length) return;
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
    return { podCidr, internalIp, cidrId, ipId, route, rv: resourceVersion(n) };
  }

  private event(e: WatchEvent): void {
    const name = e.object.metadata.name!;
    const before = this.facts.get(name);
    // The store tells its watchers of a write made while it is still telling them of an earlier one
    // (the podCIDR the IPAM controller gives a node as it is created reaches this watch before the
    // node's ADDED): an informer sees them in order, so an event older than one applied is dropped.
    if (before && resourceVersion(e.object) < before.rv) return;
    const facts = e.type === 'DELETED' ? undefined : this.factsOf(e.object);
    if (facts) {
      if (!before) this.names.splice(sortedIndex(this.names, name, ownName), 0, name);
      this.facts.set(name, facts);
    } else if (before) {
      this.facts.delete(name);
      this.names.splice(this.names.indexOf(name), 1);
    }
    const same = e.type === 'MODIFIED' && facts && before && sameFacts(before, facts);
    const told = same ? this.own.get(name) : this.agents;
    if (!told) return;
    let due: FeedAgent[] = [];
    for (const a of told) {
      if (!a.tell(name, facts)) continue;
      if (due.length && due[0]!.clock !== a.clock) due = syncLater(due);
      due.push(a);
    }
    if (due.length) syncLater(due);
  }
}

/** One clock event that runs the syncs of `due` (agents of one clock), in order, each as its own agent step; returns a new list. */
function syncLater(due: readonly FeedAgent[]): FeedAgent[] {
  const clock = due[0]!.clock;
  clock.schedule(0, () => {
    for (const a of due) agentStep(clock, a.sync);
  });
  return [];
}

const feeds = new WeakMap<ApiClient, NodeFeed>();

function nodeFeed(api: ApiClient): NodeFeed {
  let f = feeds.get(api);
  if (!f) feeds.set(api, (f = new NodeFeed(api, () => feeds.delete(api))));
  return f;
}
