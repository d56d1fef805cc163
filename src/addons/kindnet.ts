// kindnetd as kind v0.32.0 ships it (kind images/kindnetd/cmd/kindnetd/cni.go): the CNI config it
// writes for its own node, /etc/cni/net.d/10-kindnet.conflist — ptp with host-local over the node's
// podCIDR and portmap — rendered as its Go text/template renders it (blank lines and tabs included).
import type { ApiClient, KubeObject } from '../api/index.js';
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
  const syncMasq = () => {
    if (stopped) return;
    const root = o.host.at();
    if (!root.iptablesSave('nat').includes(':KIND-MASQ-AGENT'))
      root.iptablesRestore('nat', `*nat\n:KIND-MASQ-AGENT - [0:0]\n${POSTROUTING_JUMP}\nCOMMIT\n`, { noflush: true });
    root.iptablesRestore('nat', kindMasqRules(o.podSubnet), { noflush: true });
  };
  const masqTick = () => {
    if (stopped) return;
    agentStep(o.clock, syncMasq);
    o.clock.schedule(MASQ_SYNC_MS, masqTick);
  };
  // A node's event matters when it is this node (the conflist) or brings another node's podCIDR or
  // InternalIP this agent has no route for: with N nodes every node event reaches N agents, and a
  // kick per event cost N² syncs over nodes that had not changed (status, taints, heartbeats).
  // Every agent gets the same stored object, so its facts are read once (nodeFacts), not N times.
  const unwatch = o.api.watch('nodes', undefined, {}, (e) => {
    const name = e.object.metadata.name!;
    const n = e.type === 'DELETED' ? undefined : nodeFacts(e.object);
    // a queued sync works from the latest event, whatever this one brings
    if (dirty?.has(name)) return void dirty.set(name, n);
    if (n && name !== o.node && (!n.podCidr || routed.get(n.podCidr) === n.internalIp)) return;
    kick(name, n);
  });
  // (the watch began with an ADDED event per existing node: the first sync covers them all)
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

/** One stored (frozen) event object reaches every agent's watch: its facts are read once. */
const factsOf = new WeakMap<KubeObject, NodeFacts>();

function nodeFacts(n: KubeObject): NodeFacts {
  let f = factsOf.get(n);
  if (!f) {
    const internalIp = ((n.status as Obj | undefined)?.addresses as Obj[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
    f = { podCidr: (n.spec as Obj | undefined)?.podCIDR as string | undefined, internalIp: internalIp as string | undefined };
    if (Object.isFrozen(n)) factsOf.set(n, f);
  }
  return f;
}
