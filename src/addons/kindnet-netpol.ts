// The NetworkPolicy half of kindnetd (kind images/kindnetd/cmd/kindnetd/main.go embeds
// kube-network-policies with FailOpen: true, QueueID: 101, NetfilterBug1766Fix: true, table
// `inet kindnet-network-policies`): its informers on NetworkPolicies, Pods and Namespaces, and
// the reader of queue 101 that answers each new connection of a local pod. The rules of the
// chains before the queue are kept here as the reader's first checks (pkg/dataplane/controller.go
// syncNFTablesRules @f67f0fb): postrouting's `udp dport 53 accept`, `meta skuid 0 accept`, then
// only packets from or to a local pod some policy selects (set podips-v4) are queued; input
// queues those from such a pod (the kernel already let `lo` pass); prerouting queues DNS queries
// from or to such a pod (addDNSRacersWorkaroundRules).
import type { ApiClient, KubeObject, WatchEvent } from '../api/index.js';
import { type HostNetwork, NotSupported, type QueuedConnection } from '../host/index.js';
import { connectionAllowed, PolicyCache, podIsSelected } from './netpol.js';

export const NETWORK_POLICY_QUEUE = 101;

/**
 * The informers' caches of one API server, shared by every node's agent (each kindnetd has its
 * own; their contents are the same), watched once while some agent uses them.
 */
class SharedPolicyCache {
  readonly cache = new PolicyCache();
  private users = 0;
  private unwatch: (() => void)[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly forget: () => void,
  ) {}

  join(): () => void {
    if (this.users++ === 0) {
      const c = this.cache;
      this.informer(
        'namespaces',
        (o) => c.setNamespace(o),
        (o) => c.deleteNamespace(o),
      );
      this.informer(
        'pods',
        (o) => c.setPod(o),
        (o) => c.deletePod(o),
      );
      this.informer(
        'networkpolicies',
        (o) => c.setPolicy(o),
        (o) => c.deletePolicy(o),
      );
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.users > 0) return;
      for (const u of this.unwatch) u();
      this.forget();
    };
  }

  private informer(resource: string, set: (o: KubeObject) => void, del: (o: KubeObject) => void): void {
    const list = this.api.list(resource);
    for (const o of list.items) set(o);
    this.unwatch.push(
      this.api.watch(resource, undefined, { resourceVersion: list.resourceVersion }, (e: WatchEvent) =>
        e.type === 'DELETED' ? del(e.object) : set(e.object),
      ),
    );
  }
}

const shared = new WeakMap<ApiClient, SharedPolicyCache>();

function sharedCache(api: ApiClient): SharedPolicyCache {
  let s = shared.get(api);
  if (!s) shared.set(api, (s = new SharedPolicyCache(api, () => shared.delete(api))));
  return s;
}

/** The verdict kube-network-policies gives a queued packet, with the chain's rules before the queue. */
export function networkPolicyVerdict(cache: PolicyCache, node: string, p: QueuedConnection): boolean {
  if (cache.empty) return true;
  const managed = (ip: string) => {
    const pod = cache.podByIp(ip);
    return pod !== undefined && pod.node === node && podIsSelected(cache, pod);
  };
  if (p.chain === 'input') {
    // input: `ip saddr @podips-v4 ct state new queue` (a local pod's connection to its node)
    if (!managed(p.src)) return true;
  } else {
    // postrouting leaves DNS to prerouting (the netfilter bug 1766 workaround), which takes nothing else
    if ((p.chain === 'prerouting') !== (p.protocol === 'UDP' && p.dstPort === 53)) return true;
    if (p.local) return true; // meta skuid 0 accept: the node's own root processes (kubelet probes)
    if (!managed(p.src) && !managed(p.dst)) return true;
  }
  try {
    return connectionAllowed(cache, { src: p.src, dst: p.dst, protocol: p.protocol, dstPort: p.dstPort });
  } catch {
    return true; // FailOpen
  }
}

/**
 * Starts kindnetd's network policy controller on `node`; returns stop(). On a backend without an
 * NFQUEUE reader (the linux one) nothing is enforced, as a kindnetd whose queue cannot be opened.
 */
export function startNetworkPolicies(o: { readonly node: string; readonly api: ApiClient; readonly host: HostNetwork }): {
  stop(): void;
} {
  const s = sharedCache(o.api);
  let queue;
  try {
    queue = o.host.at().nfqueueBind(NETWORK_POLICY_QUEUE, (p) => networkPolicyVerdict(s.cache, o.node, p));
  } catch (e) {
    if (e instanceof NotSupported) return { stop() {} };
    throw e;
  }
  const leave = s.join();
  return {
    stop() {
      queue.close();
      leave();
    },
  };
}
