// NetworkPolicy verdicts with no host at all: the Kubernetes docs' policies, each peer and port
// form, and a property test against a reference written from the API's field descriptions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../api/index.js';
import { connectionAllowed, PolicyCache } from './netpol.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function pod(ns: string, name: string, ip: string, labels: Record<string, string>, extra: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: ns, name, labels },
    spec: { nodeName: 'kind-worker', containers: [{ name: 'c', ports: extra.ports ?? [] }], hostNetwork: extra.hostNetwork },
    status: { podIP: ip, podIPs: [{ ip }] },
  } as KubeObject;
}

function policy(ns: string, name: string, spec: Obj): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: ns, name }, spec } as KubeObject;
}

function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
  } as KubeObject;
}

/** A cache with web (app=web, port http=80) and front (app=frontend) in default, and other (app=frontend) in ns "prod". */
function world(...policies: KubeObject[]): PolicyCache {
  const c = new PolicyCache();
  c.setNamespace(namespace('default'));
  c.setNamespace(namespace('prod', { team: 'a' }));
  c.setPod(pod('default', 'web', '10.244.1.2', { app: 'web' }, { ports: [{ name: 'http', containerPort: 80 }] }));
  c.setPod(pod('default', 'front', '10.244.1.3', { app: 'frontend' }));
  c.setPod(pod('prod', 'other', '10.244.2.4', { app: 'frontend' }));
  for (const p of policies) c.setPolicy(p);
  return c;
}

const WEB = '10.244.1.2';
const FRONT = '10.244.1.3';
const OTHER = '10.244.2.4';
const tcp = (src: string, dst: string, dstPort = 80) => ({ src, dst, protocol: 'TCP', dstPort });

test('connectionAllowed() allows everything while no policy selects either pod', () => {
  const c = world(policy('default', 'x', { podSelector: { matchLabels: { app: 'nothing' } } }));
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), true);
  assert.equal(connectionAllowed(c, tcp('172.18.0.1', WEB)), true);
});

test('connectionAllowed() denies all ingress under default-deny, but not the pod egress', () => {
  const c = world(policy('default', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }));
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), false);
  assert.equal(connectionAllowed(c, tcp(OTHER, WEB)), false);
  assert.equal(connectionAllowed(c, tcp(WEB, OTHER)), true, 'egress is not isolated');
  // policyTypes defaulted: a policy without egress rules is Ingress only
  const d = world(policy('default', 'deny', { podSelector: {} }));
  assert.equal(connectionAllowed(d, tcp(FRONT, WEB)), false);
  assert.equal(connectionAllowed(d, tcp(WEB, OTHER)), true);
});

test('connectionAllowed() ORs the rules of every policy that selects the pod', () => {
  const c = world(
    policy('default', 'deny', { podSelector: {} }),
    policy('default', 'allow-front', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }],
    }),
  );
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), true);
  // a bare podSelector peer is the policy's own namespace only
  assert.equal(connectionAllowed(c, tcp(OTHER, WEB)), false);
  assert.equal(connectionAllowed(c, tcp(WEB, FRONT)), false, 'front is isolated by deny and allows nothing');
});

test('connectionAllowed() ANDs podSelector and namespaceSelector in one peer, ORs them across peers', () => {
  const both = world(
    policy('default', 'p', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'frontend' } } }] }],
    }),
  );
  assert.equal(connectionAllowed(both, tcp(OTHER, WEB)), true);
  assert.equal(connectionAllowed(both, tcp(FRONT, WEB)), false, 'default is not team=a');
  const either = world(
    policy('default', 'p', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }, { podSelector: { matchLabels: { app: 'frontend' } } }] }],
    }),
  );
  assert.equal(connectionAllowed(either, tcp(OTHER, WEB)), true);
  assert.equal(connectionAllowed(either, tcp(FRONT, WEB)), true);
  const allNs = world(
    policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  );
  assert.equal(connectionAllowed(allNs, tcp(OTHER, WEB)), true);
  assert.equal(connectionAllowed(allNs, tcp('172.18.0.1', WEB)), false, 'selectors match pods only');
});

test('connectionAllowed() matches ipBlock with except, for pods and outside addresses alike', () => {
  const c = world(
    policy('default', 'p', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }],
    }),
  );
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), true);
  assert.equal(connectionAllowed(c, tcp(OTHER, WEB)), false);
  assert.equal(connectionAllowed(c, tcp('172.18.0.3', WEB)), false);
});

test('connectionAllowed() matches ports by protocol, number, name of the destination pod, and endPort range', () => {
  const rule = (ports: Obj[]) => world(policy('default', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports }] }));
  assert.equal(connectionAllowed(rule([{ port: 80 }]), tcp(FRONT, WEB, 80)), true);
  assert.equal(connectionAllowed(rule([{ port: 80 }]), { ...tcp(FRONT, WEB, 80), protocol: 'UDP' }), false, 'protocol defaults to TCP');
  assert.equal(connectionAllowed(rule([{ protocol: 'UDP' }]), { ...tcp(FRONT, WEB, 53), protocol: 'UDP' }), true);
  assert.equal(connectionAllowed(rule([{ port: 'http' }]), tcp(FRONT, WEB, 80)), true);
  assert.equal(connectionAllowed(rule([{ port: 'http' }]), tcp(FRONT, WEB, 8080)), false);
  assert.equal(connectionAllowed(rule([{ port: 'metrics' }]), tcp(FRONT, WEB, 80)), false);
  assert.equal(connectionAllowed(rule([{ port: 8000, endPort: 8100 }]), tcp(FRONT, WEB, 8100)), true);
  assert.equal(connectionAllowed(rule([{ port: 8000, endPort: 8100 }]), tcp(FRONT, WEB, 8101)), false);
  assert.equal(connectionAllowed(rule([{ port: 80 }]), { ...tcp(FRONT, WEB, 0), protocol: 'ICMP' }), false);
  assert.equal(connectionAllowed(rule([]), { ...tcp(FRONT, WEB, 0), protocol: 'ICMP' }), true, 'an empty rule allows all');
});

test('connectionAllowed() needs the source egress and the destination ingress both', () => {
  const egressDeny = policy('default', 'deny-egress', { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'] });
  const c = world(egressDeny);
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), false);
  assert.equal(connectionAllowed(c, tcp(FRONT, '1.1.1.1')), false);
  assert.equal(connectionAllowed(c, tcp(WEB, FRONT)), true, 'ingress of front is not isolated');
  const dns = world(
    policy('default', 'dns-only', {
      podSelector: { matchLabels: { app: 'frontend' } },
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } }], ports: [{ port: 80 }] }],
    }),
  );
  assert.equal(connectionAllowed(dns, tcp(FRONT, OTHER)), true, 'policyTypes defaulted to Ingress, Egress');
  assert.equal(connectionAllowed(dns, tcp(FRONT, WEB)), false);
  assert.equal(connectionAllowed(dns, tcp(WEB, FRONT)), false, 'front is isolated for ingress too');
});

test('connectionAllowed() treats host-network pods as plain addresses', () => {
  const c = world(
    policy('default', 'p', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
  );
  c.setPod(pod('default', 'hostnet', '172.18.0.2', { app: 'x' }, { hostNetwork: true }));
  assert.equal(connectionAllowed(c, tcp('172.18.0.2', WEB)), false);
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), true);
  c.deletePod(pod('default', 'front', FRONT, {}));
  assert.equal(connectionAllowed(c, tcp(FRONT, WEB)), false, 'a deleted pod is an outside address');
});

// The reference: each direction as the API's field docs word it, over explicit lists.
interface RefPod {
  ns: string;
  ip: string;
  labels: Record<string, string>;
}
const NS_LABELS: Record<string, Record<string, string>> = { a: { env: 'x' }, b: { env: 'y' } };

function refSelects(sel: Obj | undefined, labels: Record<string, string>): boolean {
  return Object.entries((sel?.matchLabels ?? {}) as Record<string, string>).every(([k, v]) => labels[k] === v);
}

function refPeer(peer: Obj, polNs: string, p: RefPod | undefined, ip: string): boolean {
  if (peer.ipBlock) {
    const [net, len] = (peer.ipBlock.cidr as string).split('/');
    const in24 = (cidr: string) => ip.split('.').slice(0, 3).join('.') === cidr.split('.').slice(0, 3).join('.');
    const inBlock = Number(len) === 0 || (Number(len) === 24 && in24(net!));
    return inBlock && !((peer.ipBlock.except ?? []) as string[]).some((e) => in24(e));
  }
  if (!p) return false;
  const nsOk = peer.namespaceSelector ? refSelects(peer.namespaceSelector, NS_LABELS[p.ns]!) : p.ns === polNs;
  const podOk = peer.podSelector ? refSelects(peer.podSelector, p.labels) : true;
  return nsOk && podOk;
}

function refAllows(pols: KubeObject[], pods: RefPod[], self: RefPod, dir: 'ingress' | 'egress', peerIp: string, port: number): boolean {
  const peer = pods.find((p) => p.ip === peerIp);
  const applying = pols.filter((pol) => {
    const s = pol.spec as Obj;
    const types: string[] = s.policyTypes ?? (s.egress?.length ? ['Ingress', 'Egress'] : ['Ingress']);
    return (
      pol.metadata.namespace === self.ns &&
      refSelects(s.podSelector, self.labels) &&
      types.includes(dir === 'ingress' ? 'Ingress' : 'Egress')
    );
  });
  if (applying.length === 0) return true;
  return applying.some((pol) =>
    ((pol.spec as Obj)[dir] ?? []).some(
      (r: Obj) =>
        (!r.ports?.length || r.ports.some((pp: Obj) => pp.port === undefined || pp.port === port)) &&
        (!(r.from ?? r.to)?.length || (r.from ?? r.to).some((peerRule: Obj) => refPeer(peerRule, pol.metadata.namespace!, peer, peerIp))),
    ),
  );
}

test('connectionAllowed() agrees with the reference on random policies (property)', () => {
  const labels = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('web', 'db'), { maxKeys: 2 });
  const peer = fc.oneof(
    fc.record({ podSelector: fc.record({ matchLabels: labels }) }),
    fc.record({ namespaceSelector: fc.record({ matchLabels: fc.constantFrom({}, { env: 'x' }, { env: 'y' }) }) }),
    fc.record({
      podSelector: fc.record({ matchLabels: labels }),
      namespaceSelector: fc.record({ matchLabels: fc.constantFrom({}, { env: 'x' }) }),
    }),
    fc.record({
      ipBlock: fc.record({
        cidr: fc.constantFrom('0.0.0.0/0', '10.0.1.0/24', '10.0.2.0/24'),
        except: fc.constantFrom([], ['10.0.1.0/24']),
      }),
    }),
  );
  const ports = fc.option(fc.array(fc.record({ port: fc.option(fc.constantFrom(80, 443), { nil: undefined }) }), { maxLength: 2 }), {
    nil: undefined,
  });
  const ingressRule = fc.record({ from: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports });
  const egressRule = fc.record({ to: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports });
  const pol = fc.record({
    ns: fc.constantFrom('a', 'b'),
    podSelector: fc.record({ matchLabels: labels }),
    policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'], { minLength: 1 }), { nil: undefined }),
    ingress: fc.option(fc.array(ingressRule, { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(egressRule, { maxLength: 2 }), { nil: undefined }),
  });
  const refPods = fc.array(fc.record({ ns: fc.constantFrom('a', 'b'), labels }), { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(fc.array(pol, { maxLength: 3 }), refPods, fc.nat(), fc.nat(), fc.constantFrom(80, 443), (ps, rp, i, j, port) => {
      const pods: RefPod[] = rp.map((p, k) => ({ ...p, ip: `10.0.${1 + (k % 2)}.${10 + k}` }));
      const pols = ps.map(({ ns, ...spec }, k) => policy(ns, `p${k}`, JSON.parse(JSON.stringify(spec))));
      const cache = new PolicyCache();
      for (const ns of ['a', 'b']) cache.setNamespace({ metadata: { name: ns, labels: NS_LABELS[ns] } } as KubeObject);
      pods.forEach((p, k) => cache.setPod(pod(p.ns, `pod${k}`, p.ip, p.labels)));
      for (const p of pols) cache.setPolicy(p);
      const src = pods[i % pods.length]!;
      // the destination: a pod, or an address outside the cluster
      const dstIp = j % (pods.length + 1) === pods.length ? '10.0.1.250' : pods[j % (pods.length + 1)]!.ip;
      const dst = pods.find((p) => p.ip === dstIp);
      const expected = refAllows(pols, pods, src, 'egress', dstIp, port) && (!dst || refAllows(pols, pods, dst, 'ingress', src.ip, port));
      assert.equal(connectionAllowed(cache, tcp(src.ip, dstIp, port)), expected);
    }),
    { numRuns: 3000 },
  );
});
