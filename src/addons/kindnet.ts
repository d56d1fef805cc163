// kindnetd as kind v0.32.0 ships it (kind images/kindnetd/cmd/kindnetd/cni.go): the CNI config it
// writes for its own node, /etc/cni/net.d/10-kindnet.conflist — ptp with host-local over the node's
// podCIDR and portmap — rendered as its Go text/template renders it (blank lines and tabs included).
import type { ApiClient, KubeObject, WatchEvent } from '../api/index.js';
import type { HostNetwork } from '../host/index.js';
import { agentStep, type NodeFiles, type Scheduler } from '../sim/index.js';

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
 * and the KIND-MASQ-AGENT chain. Returns stop().
 */
export function startKindnet(o: KindnetOptions): { stop(): void } {
  let stopped = false;
  /**
   * Nodes changed since the last sync (every node at start), with what their latest event said
   * (undefined: deleted); undefined while no sync is queued. The sync works from these, as an
   * informer's handler works from its cache, instead of reading every node back.
   */
  let dirty: Map<string, NodeFacts | undefined> | undefined;
  /** The route this agent keeps to each other node's pods: podCIDR → node IP. */
  const routed = new Map<string, string>();
  // A sync runs whole (agentStep): the node's commands run the clock, and a sync kicked meanwhile
  // ran nested before this one had added the POSTROUTING jump, which then went in twice.
  const syncNodes = () => {
    const changed = dirty;
    dirty = undefined;
    if (stopped || !changed) return;
    const root = o.host.at();
    // Only the nodes that changed: a sync over all nodes on every node's change cost a cluster of
    // N nodes N² node reads and route lookups while it came up.
    for (const [name, n] of changed) {
      if (!n) continue;
      if (name === o.node) {
        if (n.podCidr) writeKindnetConflist(o.files, n.podCidr, root.linkGet('eth0')?.mtu);
        continue;
      }
      const { podCidr: cidr, internalIp: via } = n;
      if (!cidr || !via || routed.get(cidr) === via) continue;
      root.routeReplace({ dst: cidr, via });
      routed.set(cidr, via);
    }
  };
  const kick = (name: string, facts: NodeFacts | undefined) => {
    if (stopped) return;
    const queue = !dirty;
    dirty ??= new Map();
    dirty.set(name, facts);
    if (queue) o.clock.schedule(0, () => agentStep(o.clock, syncNodes));
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
  const onNode = (name: string, n: NodeFacts | undefined) => {
    // a queued sync works from the latest event, whatever this one brings
    if (dirty?.has(name)) return void dirty.set(name, n);
    if (n && name !== o.node && (!n.podCidr || routed.get(n.podCidr) === n.internalIp)) return;
    kick(name, n);
  };
  const unwatch = nodeFeed(o.api).join(o.node, onNode);
  // (joining the feed began with every existing node: the first sync covers them all)
  o.clock.schedule(0, masqTick);
  return {
    stop() {
      stopped = true;
      unwatch();
    },
  };
}

/** kindnetd's masquerade agent re-checks its rules this often (main.go: SyncRulesForever(ctx, time.Second*60)). */
const MASQ_SYNC_MS = 60_000;

/** What kindnetd reads from a Node: spec.podCIDR and the InternalIP address. */
interface NodeFacts {
  readonly podCidr: string | undefined;
  readonly internalIp: string | undefined;
}

function nodeFacts(n: KubeObject): NodeFacts {
  const internalIp = ((n.status as Obj | undefined)?.addresses as Obj[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
  return { podCidr: (n.spec as Obj | undefined)?.podCIDR as string | undefined, internalIp: internalIp as string | undefined };
}

function sameFacts(a: NodeFacts, b: NodeFacts): boolean {
  return a.podCidr === b.podCidr && a.internalIp === b.internalIp;
}

type NodeHandler = (name: string, facts: NodeFacts | undefined) => void;

/**
 * The node watch of every kindnet agent of one API server. Each kindnetd has its own informer; here
 * the agents share one watch, which reads each event's facts once and hands them to the agents in
 * the order they joined, as their own watches would have been told. An event that leaves a node's
 * podCIDR and InternalIP as they were (status, taints, heartbeats: most of them) changes nothing
 * for the other nodes' agents (each has that route, or has the node queued), so only the node's
 * own agent hears it: with N nodes, N agents were told of every node's every event (N² calls).
 */
class NodeFeed {
  /** The agents in the order they joined; a new list on each join or leave (an event goes to the list it found). */
  private agents: readonly NodeHandler[] = [];
  /** Each node's own agents (one, or none yet; two while a restarted node's old agent lingers), by node name. */
  private readonly own = new Map<string, readonly NodeHandler[]>();
  /** The facts every agent has been handed last, by node. */
  private readonly last = new Map<string, NodeFacts>();
  private unwatch: (() => void) | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly forget: () => void,
  ) {}

  /** Adds an agent, told of every existing node first (an informer's initial list); returns its leave(). */
  join(node: string, fn: NodeHandler): () => void {
    const nodes = this.api.list('nodes');
    for (const n of nodes.items) {
      const name = n.metadata.name!;
      const facts = nodeFacts(n);
      // the agents there already may hold older facts (a stale event came after a newer one): then
      // nothing is known to be shared, and the node's next event goes to every agent
      const known = this.last.get(name);
      if (!this.agents.length) this.last.set(name, facts);
      else if (known && !sameFacts(known, facts)) this.last.delete(name);
      fn(name, facts);
    }
    this.agents = this.agents.concat(fn);
    this.own.set(node, (this.own.get(node) ?? []).concat(fn));
    this.unwatch ??= this.api.watch('nodes', undefined, { resourceVersion: nodes.resourceVersion }, (e) => this.event(e));
    return () => {
      this.agents = this.agents.filter((a) => a !== fn);
      const left = this.own.get(node)?.filter((a) => a !== fn) ?? [];
      if (left.length) this.own.set(node, left);
      else this.own.delete(node);
      if (this.agents.length) return;
      this.unwatch?.();
      this.forget();
    };
  }

  private event(e: WatchEvent): void {
    const name = e.object.metadata.name!;
    const facts = e.type === 'DELETED' ? undefined : nodeFacts(e.object);
    const before = this.last.get(name);
    if (facts) this.last.set(name, facts);
    else this.last.delete(name);
    const same = e.type === 'MODIFIED' && facts && before && sameFacts(before, facts);
    const told = same ? this.own.get(name) : this.agents;
    if (told) for (const fn of told) fn(name, facts);
  }
}

const feeds = new WeakMap<ApiClient, NodeFeed>();

function nodeFeed(api: ApiClient): NodeFeed {
  let f = feeds.get(api);
  if (!f) feeds.set(api, (f = new NodeFeed(api, () => feeds.delete(api))));
  return f;
}
