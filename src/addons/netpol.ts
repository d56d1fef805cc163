// NetworkPolicy (networking.k8s.io/v1) verdicts for a new connection, as kube-network-policies
// decides them inside kindnetd (pkg/networkpolicy/networkpolicy.go, engine.go): the source pod's
// egress, then the destination pod's ingress. A pod is isolated in a direction only when some
// policy of its namespace selects it with that policy type; its rules are then ORed across all
// such policies. A peer that is not a pod (a node, a host-network pod, an outside address) is
// matched by ipBlock only. Pure: the kindnet agent feeds it from its watches.
import { fromLabelSelector, type KubeObject, type LabelSelectorObject, type Selector, selectorMatches } from '../api/index.js';
import { parseIpv4, parsePrefix, type Prefix } from '../wire/index.js';

type Labels = Readonly<Record<string, string>> | undefined;

export interface PolicyPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** status.podIPs (empty until the pod has a sandbox). */
  readonly ips: readonly string[];
  /** Its containers' ports, for named ports in policies. */
  readonly ports: readonly PolicyContainerPort[];
  readonly node: string | undefined;
  readonly hostNetwork: boolean;
}

export interface PolicyContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  /** Default TCP. */
  readonly protocol?: string;
}

/** The first packet of a connection, after DNAT: a Service's traffic is judged by its backend pod. */
export interface NewConnection {
  readonly src: string;
  readonly dst: string;
  /** `TCP`, `UDP`, `SCTP` or another protocol's name (`ICMP`), which no policy port matches. */
  readonly protocol: string;
  /** 0 for a protocol without ports. */
  readonly dstPort: number;
}

interface Peer {
  readonly pods: Selector | undefined;
  readonly namespaces: Selector | undefined;
  readonly block: { readonly cidr: Prefix | undefined; readonly except: readonly (Prefix | undefined)[] } | undefined;
}

interface PolicyPort {
  readonly protocol: string;
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
}

/** One ingress or egress rule: empty `ports` match every port, empty `peers` every peer. */
interface Rule {
  readonly ports: readonly PolicyPort[];
  readonly peers: readonly Peer[];
}

export interface CompiledPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly selects: Selector;
  /** Rules per policy type it has (policyTypes, defaulted as the API server does); absent: not that type. */
  readonly ingress: readonly Rule[] | undefined;
  readonly egress: readonly Rule[] | undefined;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A NetworkPolicy object compiled for evaluation. policyTypes defaults as the API server's
 * defaulting does: Ingress always, Egress when there are egress rules; port protocols default to TCP.
 */
export function compilePolicy(obj: KubeObject): CompiledPolicy {
  const spec = (obj.spec ?? {}) as Obj;
  const egressRules = spec.egress as Obj[] | undefined;
  const types: string[] = spec.policyTypes?.length ? spec.policyTypes : egressRules?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  const rules = (list: Obj[] | undefined, peerKey: 'from' | 'to'): Rule[] =>
    (list ?? []).map((r) => ({ ports: (r.ports ?? []).map(compilePort), peers: (r[peerKey] ?? []).map(compilePeer) }));
  return {
    namespace: obj.metadata.namespace ?? 'default',
    name: obj.metadata.name ?? '',
    selects: fromLabelSelector(spec.podSelector as LabelSelectorObject | undefined),
    ingress: types.includes('Ingress') ? rules(spec.ingress, 'from') : undefined,
    egress: types.includes('Egress') ? rules(egressRules, 'to') : undefined,
  };
}

function compilePort(p: Obj): PolicyPort {
  return { protocol: p.protocol ?? 'TCP', port: p.port, endPort: p.endPort };
}

function compilePeer(p: Obj): Peer {
  const sel = (s: LabelSelectorObject | undefined) => (s === undefined || s === null ? undefined : fromLabelSelector(s));
  const b = p.ipBlock as { cidr: string; except?: string[] } | undefined;
  return {
    pods: sel(p.podSelector),
    namespaces: sel(p.namespaceSelector),
    block: b ? { cidr: parsePrefix(b.cidr), except: (b.except ?? []).map(parsePrefix) } : undefined,
  };
}

/** What the evaluator reads: the policies of a namespace, the pod holding an IP, a namespace's labels. */
export interface PolicyView {
  policiesIn(namespace: string): Iterable<CompiledPolicy>;
  /** The pod whose status.podIPs hold `ip`, host-network pods left out (kube-network-policies' podinfo). */
  podByIp(ip: string): PolicyPod | undefined;
  namespaceLabels(namespace: string): Labels;
}

/** Whether policies allow the connection: the source's egress and the destination's ingress. */
export function connectionAllowed(view: PolicyView, c: NewConnection): boolean {
  const src = view.podByIp(c.src);
  const dst = view.podByIp(c.dst);
  if (src && !directionAllows(view, src, 'egress', dst, c.dst, c)) return false;
  if (dst && !directionAllows(view, dst, 'ingress', src, c.src, c)) return false;
  return true;
}

/** Whether some policy selects the pod (in either direction): kube-network-policies queues only such pods' traffic. */
export function podIsSelected(view: PolicyView, pod: PolicyPod): boolean {
  for (const p of view.policiesIn(pod.namespace)) if (selectorMatches(p.selects, pod.labels)) return true;
  return false;
}

/**
 * EvaluatePolicyDirection(): `pod` is isolated in `dir` when a policy selecting it has that type;
 * then one of those policies' rules must match the peer (`peer`, or only `peerIp` when it is not a
 * pod) and the port, resolved against the destination pod for a named port.
 */
function directionAllows(
  view: PolicyView,
  pod: PolicyPod,
  dir: 'ingress' | 'egress',
  peer: PolicyPod | undefined,
  peerIp: string,
  c: NewConnection,
): boolean {
  const portPod = dir === 'ingress' ? pod : peer;
  let isolated = false;
  for (const p of view.policiesIn(pod.namespace)) {
    const rules = p[dir];
    if (!rules || !selectorMatches(p.selects, pod.labels)) continue;
    isolated = true;
    for (const r of rules) {
      if (!portsMatch(r.ports, portPod, c)) continue;
      if (r.peers.length === 0) return true;
      for (const peerRule of r.peers) if (peerMatches(view, peerRule, p.namespace, peer, peerIp)) return true;
    }
  }
  return !isolated;
}

function peerMatches(view: PolicyView, peer: Peer, policyNs: string, pod: PolicyPod | undefined, ip: string): boolean {
  if (peer.block) return inBlock(peer.block, ip);
  // selectors only ever match pods
  if (!pod) return false;
  if (!peer.pods && !peer.namespaces) return false;
  if (peer.pods && !selectorMatches(peer.pods, pod.labels)) return false;
  if (!peer.namespaces) return pod.namespace === policyNs;
  return selectorMatches(peer.namespaces, view.namespaceLabels(pod.namespace));
}

function inBlock(block: NonNullable<Peer['block']>, ipText: string): boolean {
  const ip = parseIpv4(ipText);
  if (ip === undefined || !block.cidr || !prefixHas(block.cidr, ip)) return false;
  return !block.except.some((e) => e !== undefined && prefixHas(e, ip));
}

function prefixHas(p: Prefix, ip: number): boolean {
  if (p.len === 0) return true;
  const shift = 32 - p.len;
  return ip >>> shift === p.addr >>> shift;
}

/** evaluatePorts(): protocol, then a number, a name of the destination pod's container port, or a range to endPort. */
function portsMatch(ports: readonly PolicyPort[], dstPod: PolicyPod | undefined, c: NewConnection): boolean {
  if (ports.length === 0) return true;
  for (const p of ports) {
    if (p.protocol !== c.protocol) continue;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      if (c.dstPort === p.port) return true;
      if (p.endPort !== undefined && c.dstPort > p.port && c.dstPort <= p.endPort) return true;
    } else if (dstPod?.ports.some((cp) => cp.name === p.port && cp.containerPort === c.dstPort && (cp.protocol ?? 'TCP') === c.protocol)) {
      return true;
    }
  }
  return false;
}

/** A PolicyPod from a Pod object. */
export function policyPodOf(pod: KubeObject): PolicyPod {
  const spec = (pod.spec ?? {}) as Obj;
  const ips = podIpsOf(pod);
  const ports: PolicyContainerPort[] = [];
  for (const ctr of (spec.containers ?? []) as Obj[]) for (const p of (ctr.ports ?? []) as Obj[]) ports.push(p as PolicyContainerPort);
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name ?? '',
    labels: pod.metadata.labels,
    ips,
    ports,
    node: spec.nodeName,
    hostNetwork: spec.hostNetwork === true,
  };
}

/**
 * The informers' caches behind a PolicyView: policies, pods and namespaces as their watches tell
 * them. Pods are kept as the stored objects (frozen, shared with the API: no copy per pod) and
 * read as PolicyPods only when a connection asks about them.
 */
export class PolicyCache implements PolicyView {
  private readonly policies = new Map<string, Map<string, CompiledPolicy>>();
  /** Each pod's IPs as last told, by namespace/name (to forget them when they change). */
  private readonly podIps = new Map<string, readonly string[]>();
  private readonly byIp = new Map<string, KubeObject>();
  private readonly read = new WeakMap<KubeObject, PolicyPod>();
  private readonly namespaces = new Map<string, Labels>();

  setPolicy(obj: KubeObject): void {
    const p = compilePolicy(obj);
    let inNs = this.policies.get(p.namespace);
    if (!inNs) this.policies.set(p.namespace, (inNs = new Map()));
    inNs.set(p.name, p);
  }

  deletePolicy(obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? 'default';
    const inNs = this.policies.get(ns);
    inNs?.delete(obj.metadata.name ?? '');
    if (inNs?.size === 0) this.policies.delete(ns);
  }

  setPod(obj: KubeObject): void {
    this.deletePod(obj);
    // host-network pods hold their node's address: kube-network-policies' podinfo leaves them out
    if ((obj.spec as Obj | undefined)?.hostNetwork === true) return;
    const ips = podIpsOf(obj);
    if (ips.length === 0) return;
    this.podIps.set(podKey(obj), ips);
    for (const ip of ips) this.byIp.set(ip, obj);
  }

  deletePod(obj: KubeObject): void {
    const key = podKey(obj);
    const ips = this.podIps.get(key);
    if (!ips) return;
    this.podIps.delete(key);
    for (const ip of ips) if (podKey(this.byIp.get(ip)!) === key) this.byIp.delete(ip);
  }

  setNamespace(obj: KubeObject): void {
    this.namespaces.set(obj.metadata.name ?? '', obj.metadata.labels);
  }

  deleteNamespace(obj: KubeObject): void {
    this.namespaces.delete(obj.metadata.name ?? '');
  }

  policiesIn(namespace: string): Iterable<CompiledPolicy> {
    return this.policies.get(namespace)?.values() ?? [];
  }

  podByIp(ip: string): PolicyPod | undefined {
    const obj = this.byIp.get(ip);
    if (!obj) return undefined;
    let pod = this.read.get(obj);
    if (!pod) this.read.set(obj, (pod = policyPodOf(obj)));
    return pod;
  }

  namespaceLabels(namespace: string): Labels {
    return this.namespaces.get(namespace);
  }

  /** Whether no policy exists (then no traffic is queued at all). */
  get empty(): boolean {
    return this.policies.size === 0;
  }
}

function podKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`;
}

function podIpsOf(pod: KubeObject): string[] {
  const status = (pod.status ?? {}) as Obj;
  return (status.podIPs as Obj[] | undefined)?.map((a) => a.ip as string) ?? (status.podIP ? [status.podIP] : []);
}
