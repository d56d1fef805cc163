// The EndpointSlice controller and the Endpoints controller: for every Service with a selector, the
// pods it selects that have an IP become endpoints — ready/serving/terminating conditions, nodeName,
// zone, targetRef — in slices of at most 100 named `<service>-<5 random>` (generateName), labelled
// with the service name and the managing controller; and the legacy Endpoints object of the same name
// (addresses / notReadyAddresses). Ports are the Service's, with named targetPorts resolved per pod.
// A pod without an IP yet (Pending) is not an endpoint, as upstream.
import type { KubeObject, ObjectStore } from '../api/index.js';
import { fromLabelSelector, selectorMatches } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import { canonical } from './hash.js';
import { WorkQueue, keyOf, splitKey } from './queue.js';
import { isPodReady, ownerRef } from './replicaset.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const MAX_ENDPOINTS_PER_SLICE = 100;
const NONE: readonly KubeObject[] = [];
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SERVICE_NAME = 'kubernetes.io/service-name';

interface Endpoint {
  ip: string;
  pod: KubeObject;
  ready: boolean;
  terminating: boolean;
}

function resolvePort(pod: KubeObject, sp: Obj): number | undefined {
  if (typeof sp.targetPort === 'number') return sp.targetPort;
  if (/^\d+$/.test(String(sp.targetPort))) return Number(sp.targetPort);
  for (const c of (pod.spec as Obj).containers ?? [])
    for (const p of c.ports ?? []) if (p.name === sp.targetPort && (p.protocol ?? 'TCP') === sp.protocol) return p.containerPort;
  return undefined;
}

export class EndpointsController {
  private queue: WorkQueue;
  /** Pods by namespace and each `key=value` label they carry: a Service finds its pods through its selector. */
  private podsByPair = new Map<string, Set<string>>();
  private nodes = new Map<string, KubeObject>();
  private podIndex = new Map<string, KubeObject>();
  private servicesByNs = new Map<string, Map<string, KubeObject>>();
  private slicesBySvc = new Map<string, Map<string, KubeObject>>();
  /** Services by namespace and the smallest `key=value` of their selector: a pod finds its Services through its own labels. */
  private bySelectorPair = new Map<string, Map<string, KubeObject>>();

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
  ) {
    this.queue = new WorkQueue(clock, (k) => this.sync(k));
    store.watch('nodes', undefined, {}, (e) => {
      if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name!);
      else this.nodes.set(e.object.metadata.name!, e.object);
    });
    store.watch('services', undefined, {}, (e) => {
      const m = bucket(this.servicesByNs, e.object.metadata.namespace!);
      const old = m.get(e.object.metadata.name!);
      if (old) this.bySelectorPair.get(pairKey(old))?.delete(old.metadata.name!);
      if (e.type === 'DELETED') m.delete(e.object.metadata.name!);
      else {
        m.set(e.object.metadata.name!, e.object);
        if ((e.object.spec as Obj).selector) bucket(this.bySelectorPair, pairKey(e.object)).set(e.object.metadata.name!, e.object);
      }
      this.queue.add(keyOf(e.object));
    });
    store.watch('endpointslices', undefined, { labelSelector: `${MANAGED_BY}=endpointslice-controller.k8s.io` }, (e) => {
      const m = bucket(this.slicesBySvc, `${e.object.metadata.namespace}/${e.object.metadata.labels?.[SERVICE_NAME]}`);
      if (e.type === 'DELETED') m.delete(e.object.metadata.name!);
      else m.set(e.object.metadata.name!, e.object);
    });
    store.watch('pods', undefined, {}, (e) => {
      const ns = e.object.metadata.namespace!;
      const name = e.object.metadata.name!;
      const key = `${ns}/${name}`;
      const before = this.podIndex.get(key);
      const labels = e.type === 'DELETED' ? undefined : e.object.metadata.labels;
      if (e.type === 'DELETED') this.podIndex.delete(key);
      else this.podIndex.set(key, e.object);
      // Stored objects are frozen: a write that keeps the labels keeps the same labels object.
      if (before?.metadata.labels !== labels || !before) {
        // for-in over the labels: no entry lists per pod write
        const was = before?.metadata.labels;
        for (const k in was) this.podsByPair.get(`${ns}|${k}=${was[k]}`)?.delete(name);
        for (const k in labels) {
          const pair = `${ns}|${k}=${labels[k]}`;
          let names = this.podsByPair.get(pair);
          if (!names) this.podsByPair.set(pair, (names = new Set()));
          names.add(name);
        }
      }
      // Only a change that could move an endpoint wakes the Services of the namespace.
      if (before && e.type === 'MODIFIED' && sameEndpoint(before, e.object)) return;
      if (!before && e.type !== 'DELETED' && !podIp(e.object)) return;
      for (const s of this.candidates(ns, e.object, before))
        if (this.selects(s, e.object) || (before && this.selects(s, before))) this.queue.add(keyOf(s));
    });
  }

  private candidates(ns: string, pod: KubeObject, before: KubeObject | undefined): readonly KubeObject[] {
    let out: Set<KubeObject> | undefined;
    const look = (labels: Readonly<Record<string, string>> | undefined) => {
      for (const k in labels) {
        const services = this.bySelectorPair.get(`${ns}|${k}=${labels[k]}`);
        if (services?.size) for (const s of services.values()) (out ??= new Set()).add(s);
      }
    };
    look(pod.metadata.labels);
    // stored objects are frozen: a write that kept the labels kept the same object
    if (before && before.metadata.labels !== pod.metadata.labels) look(before.metadata.labels);
    return out ? [...out] : NONE;
  }

  private selects(svc: KubeObject, pod: KubeObject): boolean {
    const sel = (svc.spec as Obj).selector;
    return !!sel && selectorMatches(fromLabelSelector({ matchLabels: sel }), pod.metadata.labels);
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.store.find('services', ns, name);
    const slices = [...(this.slicesBySvc.get(key)?.values() ?? [])].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const spec = svc?.spec as Obj | undefined;
    if (!svc || !spec?.selector || svc.metadata.deletionTimestamp) {
      // A Service without a selector keeps whatever endpoints its owner writes.
      if (!svc) for (const s of slices) this.store.delete('endpointslices', ns, s.metadata.name!);
      return;
    }
    const eps: Endpoint[] = [];
    for (const podName of [...(this.podsByPair.get(pairKey(svc)) ?? [])].sort()) {
      const pod = this.podIndex.get(`${ns}/${podName}`)!;
      if (!this.selects(svc, pod)) continue;
      const ip = podIp(pod);
      if (!ip) continue;
      const phase = (pod.status as Obj | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      const terminating = !!pod.metadata.deletionTimestamp;
      if (terminating && !spec.publishNotReadyAddresses) {
        // Terminating endpoints stay in slices (serving may still be true) but never in Endpoints.
      }
      eps.push({ ip, pod, ready: isPodReady(pod) || !!spec.publishNotReadyAddresses, terminating });
    }
    this.writeSlices(svc, eps, slices);
    this.writeEndpoints(svc, eps);
  }

  private ports(svc: KubeObject, pod: KubeObject | undefined): Obj[] {
    return ((svc.spec as Obj).ports ?? []).flatMap((sp: Obj) => {
      const port = pod ? resolvePort(pod, sp) : typeof sp.targetPort === 'number' ? sp.targetPort : undefined;
      if (port === undefined) return [];
      return [{ name: sp.name ?? '', port, protocol: sp.protocol, ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }];
    });
  }

  private writeSlices(svc: KubeObject, eps: Endpoint[], existing: KubeObject[]): void {
    const ns = svc.metadata.namespace!;
    // Endpoints grouped by their resolved ports (one slice set per port mapping), 100 per slice.
    const groups = new Map<string, { ports: Obj[]; endpoints: Obj[] }>();
    for (const e of eps) {
      const ports = this.ports(svc, e.pod);
      const k = canonical(ports);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { ports, endpoints: [] }));
      const node = (e.pod.spec as Obj).nodeName;
      const zone = node ? this.nodes.get(node)?.metadata.labels?.['topology.kubernetes.io/zone'] : undefined;
      g.endpoints.push({
        addresses: [e.ip],
        conditions: { ready: e.ready && !e.terminating, serving: e.ready, terminating: e.terminating },
        ...(hostnameFor(e.pod, svc) ? { hostname: hostnameFor(e.pod, svc) } : {}),
        ...(node ? { nodeName: node } : {}),
        targetRef: { kind: 'Pod', name: e.pod.metadata.name, namespace: ns, uid: e.pod.metadata.uid },
        ...(zone ? { zone } : {}),
      });
    }
    if (!groups.size) groups.set(canonical(this.ports(svc, undefined)), { ports: this.ports(svc, undefined), endpoints: [] });
    const wanted: { ports: Obj[]; endpoints: Obj[] }[] = [];
    for (const g of groups.values()) {
      if (!g.endpoints.length) wanted.push(g);
      for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE)
        wanted.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
    const labels = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: 'endpointslice-controller.k8s.io', [SERVICE_NAME]: svc.metadata.name! };
    const pool = [...existing];
    for (const w of wanted) {
      const body = { addressType: 'IPv4', endpoints: w.endpoints.length ? w.endpoints : null, ports: w.ports.length ? w.ports : null };
      const reuse = pool.shift();
      if (reuse) {
        const cur = reuse as Obj;
        if (
          canonical({ a: cur.addressType, e: cur.endpoints ?? null, p: cur.ports ?? null, l: cur.metadata.labels }) ===
          canonical({ a: body.addressType, e: body.endpoints, p: body.ports, l: labels })
        )
          continue;
        this.store.update({ ...(reuse as KubeObject), ...body, metadata: { ...reuse.metadata, labels } } as KubeObject);
      } else {
        const gen = svc.metadata.name!.length > 57 ? svc.metadata.name!.slice(0, 57) : `${svc.metadata.name}-`;
        this.store.createOwn({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { generateName: gen, namespace: ns, labels, annotations: {}, ownerReferences: [ownerRef(svc)] },
          ...body,
        } as KubeObject);
      }
    }
    for (const extra of pool) this.store.delete('endpointslices', ns, extra.metadata.name!);
  }

  private writeEndpoints(svc: KubeObject, eps: Endpoint[]): void {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name!;
    const bySubset = new Map<string, { addresses: Obj[]; notReadyAddresses: Obj[]; ports: Obj[] }>();
    for (const e of eps) {
      if (e.terminating) continue;
      const ports = this.ports(svc, e.pod);
      const k = canonical(ports);
      let s = bySubset.get(k);
      if (!s) bySubset.set(k, (s = { addresses: [], notReadyAddresses: [], ports }));
      const node = (e.pod.spec as Obj).nodeName;
      const addr = {
        ip: e.ip,
        ...(hostnameFor(e.pod, svc) ? { hostname: hostnameFor(e.pod, svc) } : {}),
        ...(node ? { nodeName: node } : {}),
        targetRef: { kind: 'Pod', name: e.pod.metadata.name, namespace: ns, uid: e.pod.metadata.uid },
      };
      (e.ready ? s.addresses : s.notReadyAddresses).push(addr);
    }
    // RepackSubsets → SortSubsets: each subset's addresses by IP as bytes, then target UID (LessEndpointAddress)
    const byIp = (a: Obj, b: Obj) =>
      a.ip !== b.ip ? (a.ip < b.ip ? -1 : 1) : a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0;
    for (const s of bySubset.values()) {
      s.addresses.sort(byIp);
      s.notReadyAddresses.sort(byIp);
    }
    const subsets = [...bySubset.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol })),
    }));
    const labels = { ...(svc.metadata.labels ?? {}) };
    const body = { ...(subsets.length ? { subsets } : {}) };
    const cur = this.store.find('endpoints', ns, name) as Obj | undefined;
    if (!cur) {
      this.store.createOwn({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace: ns, ...(Object.keys(labels).length ? { labels } : {}) },
        ...body,
      } as KubeObject);
    } else if (canonical(cur.subsets ?? null) !== canonical(body.subsets ?? null)) {
      const next = { ...cur, metadata: { ...cur.metadata } } as Obj;
      delete next.subsets;
      this.store.update({ ...next, ...body } as KubeObject);
    }
  }
}

export function podIp(pod: KubeObject): string | undefined {
  return (pod.status as Obj | undefined)?.podIP;
}

/** Whether two versions of a pod show the same in an endpoint (address, readiness, labels, node, phase, terminating). */
function sameEndpoint(a: KubeObject, b: KubeObject): boolean {
  const sa = a.status as Obj | undefined;
  const sb = b.status as Obj | undefined;
  return (
    sa?.podIP === sb?.podIP &&
    sa?.phase === sb?.phase &&
    isPodReady(a) === isPodReady(b) &&
    !a.metadata.deletionTimestamp === !b.metadata.deletionTimestamp &&
    (a.spec as Obj).nodeName === (b.spec as Obj).nodeName &&
    (a.metadata.labels === b.metadata.labels || canonical(a.metadata.labels ?? {}) === canonical(b.metadata.labels ?? {}))
  );
}

function bucket<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let b = m.get(k);
  if (!b) m.set(k, (b = new Map()));
  return b;
}

function pairKey(svc: KubeObject): string {
  const sel = (svc.spec as Obj).selector ?? {};
  const k = Object.keys(sel).sort()[0];
  return `${svc.metadata.namespace}|${k}=${k === undefined ? '' : sel[k]}`;
}

/** ShouldSetHostname (pkg/controller/util/endpoint): the pod's hostname when its subdomain names this Service in its namespace. */
function hostnameFor(pod: KubeObject, svc: KubeObject): string | undefined {
  const spec = (pod.spec ?? {}) as Obj;
  const h = spec.hostname;
  return typeof h === 'string' && h !== '' && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace
    ? h
    : undefined;
}
