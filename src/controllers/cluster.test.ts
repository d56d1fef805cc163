// The control plane as a kubectl user watches it: Deployments spread over workers, scale, roll,
// EndpointSlices follow ready pods, NotReady nodes keep pods Pending, garbage is collected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.js';
import { EventQueue } from '../sim/index.js';
import { Cluster } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function cluster(seed = 'kind', workers = 3, ready = true) {
  const clock = new EventQueue();
  const c = new Cluster({ name: 'kind', clock, seed });
  const names = ['kind-control-plane', ...Array.from({ length: workers }, (_, i) => `kind-worker${i ? i + 1 : ''}`)];
  for (const name of names) {
    const cp = name.endsWith('control-plane');
    c.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
      spec: cp ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    });
    c.settle();
  }
  for (const n of c.store.list('nodes').items) {
    const cond = ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready' };
    c.store.updateStatus({ ...n, status: { conditions: [cond] } });
  }
  c.settle();
  return { c, clock, s: c.store };
}

const deployment = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.27' }] } },
  },
});

/** What a kubelet would do for pods on its node: run them, give them an IP, mark them Ready. */
function kubelet(c: Cluster): void {
  let n = 10;
  for (const p of c.store.list('pods').items as Obj[]) {
    if (!p.spec.nodeName || p.status.podIP || p.metadata.deletionTimestamp) continue;
    c.store.updateStatus({
      ...p,
      status: {
        ...p.status,
        phase: 'Running',
        podIP: `10.244.${p.spec.nodeName.length % 7}.${n++}`,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    } as unknown as KubeObject);
  }
  c.settle();
}

const pods = (c: Cluster) => c.store.list('pods').items as Obj[];

test('Cluster: a 3-replica Deployment spreads over 3 workers, named <deploy>-<hash>-<5>, the same for the same seed', () => {
  const runs = [0, 1].map(() => {
    const { c, s } = cluster('seed-a');
    s.create(deployment('web', 3));
    c.settle();
    return pods(c).map((p) => `${p.metadata.name}@${p.spec.nodeName}`);
  });
  assert.deepEqual(runs[0], runs[1]);
  const nodes = runs[0]!.map((x) => x.split('@')[1]).sort();
  assert.deepEqual(nodes, ['kind-worker', 'kind-worker2', 'kind-worker3']);
  for (const x of runs[0]!) assert.match(x, /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}@/);
});

test('Cluster: NotReady nodes are tainted and keep pods Pending with the scheduler message; DaemonSet pods tolerate it', () => {
  const { c, s } = cluster('x', 2, false);
  s.create(deployment('web', 1));
  s.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kindnet', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'kindnet' } },
      template: {
        metadata: { labels: { app: 'kindnet' } },
        spec: { tolerations: [{ operator: 'Exists' }], containers: [{ name: 'kindnet-cni', image: 'kindest/kindnetd' }] },
      },
    },
  });
  c.settle();
  const web = pods(c).find((p) => p.metadata.name.startsWith('web-'))!;
  assert.equal(web.spec.nodeName, undefined);
  assert.equal(
    web.status.conditions[0].message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  const ds = pods(c).filter((p) => p.metadata.name.startsWith('kindnet-'));
  assert.deepEqual(ds.map((p) => p.spec.nodeName).sort(), ['kind-control-plane', 'kind-worker', 'kind-worker2']);
  assert.equal((s.get('daemonsets', 'kube-system', 'kindnet') as Obj).status.desiredNumberScheduled, 3);
  const ev = s.list('events').items.filter((e) => (e as Obj).reason === 'FailedScheduling');
  assert.equal(ev.length, 1);
});

test('Cluster: a DaemonSet follows node labels, deleted pods, nodes coming and going, and counts what runs', () => {
  const { c, s } = cluster('ds', 3);
  s.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { nodeSelector: { agent: 'yes' }, containers: [{ name: 'a', image: 'busybox' }] },
      },
    },
  });
  c.settle();
  const agents = () =>
    pods(c)
      .filter((p) => p.metadata.name.startsWith('agent-') && !p.metadata.deletionTimestamp)
      .map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0])
      .sort();
  const status = () => (s.get('daemonsets', 'kube-system', 'agent') as Obj).status;
  const label = (node: string, value: string | null) => {
    s.patch('nodes', undefined, node, 'merge', { metadata: { labels: { agent: value } } });
    c.settle();
  };
  assert.deepEqual(agents(), []);
  assert.equal(status().desiredNumberScheduled, 0);
  label('kind-worker', 'yes');
  label('kind-worker3', 'yes');
  assert.deepEqual(agents(), ['kind-worker', 'kind-worker3']);
  assert.deepEqual([status().desiredNumberScheduled, status().currentNumberScheduled], [2, 2]);
  // a node that no longer matches loses its pod; one deleted by hand comes back under a new name
  label('kind-worker', null);
  assert.deepEqual(agents(), ['kind-worker3']);
  const gone = pods(c).find((p) => p.metadata.name.startsWith('agent-') && !p.metadata.deletionTimestamp)!;
  s.delete('pods', 'kube-system', gone.metadata.name, { gracePeriodSeconds: 0 });
  c.settle();
  assert.deepEqual(agents(), ['kind-worker3']);
  assert.notEqual(
    pods(c).find((p) => p.metadata.name.startsWith('agent-') && !p.metadata.deletionTimestamp)!.metadata.name,
    gone.metadata.name,
  );
  // a new matching node gets one; a deleted node's pod is left alone and not counted
  const made = s.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kind-worker4', labels: { agent: 'yes' } }, spec: {} });
  c.settle();
  assert.deepEqual(agents(), ['kind-worker3']); // NotReady: its not-ready:NoSchedule taint is not a daemon toleration
  s.updateStatus({
    ...s.get('nodes', undefined, made.metadata.name!),
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: '' }] },
  });
  c.settle();
  assert.deepEqual(agents(), ['kind-worker3', 'kind-worker4']);
  assert.deepEqual([status().desiredNumberScheduled, status().currentNumberScheduled], [2, 2]);
  s.delete('nodes', undefined, 'kind-worker3');
  c.settle();
  assert.deepEqual([status().desiredNumberScheduled, status().currentNumberScheduled], [1, 1]);
  // a new template: every node is looked at again, and the pods on the old one are no longer updated
  const ds = s.get('daemonsets', 'kube-system', 'agent') as Obj;
  s.update({
    ...(ds as KubeObject),
    spec: { ...ds.spec, template: { ...ds.spec.template, spec: { ...ds.spec.template.spec, nodeSelector: {} } } },
  });
  c.settle();
  assert.deepEqual(agents(), ['kind-worker', 'kind-worker2', 'kind-worker3', 'kind-worker4']);
  assert.equal(status().desiredNumberScheduled, 3); // the control plane's taint is not tolerated
  assert.equal(status().updatedNumberScheduled, 2);
});

test('Cluster: kubectl scale adds pods and takes the newest unready ones away (Terminating for their grace period)', () => {
  const { c, s, clock } = cluster();
  s.create(deployment('web', 3));
  c.settle();
  kubelet(c);
  s.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 5 } });
  c.settle();
  assert.equal(pods(c).length, 5);
  s.patch('deployments', 'default', 'web', 'merge', { spec: { replicas: 2 } });
  c.settle();
  const terminating = pods(c).filter((p) => p.metadata.deletionTimestamp);
  assert.equal(terminating.length, 3);
  assert.ok(
    terminating.some((p) => !p.status.podIP),
    'the two not-yet-running pods go first',
  );
  clock.advance(30_000);
  c.settle();
  assert.equal(pods(c).length, 2);
});

test('Cluster: rollout restart makes a new ReplicaSet hash and rolls pods over within maxSurge/maxUnavailable', () => {
  const { c, s, clock } = cluster();
  s.create(deployment('web', 3));
  c.settle();
  kubelet(c);
  const oldRs = s.list('replicasets').items[0]!.metadata.name!;
  s.patch('deployments', 'default', 'web', 'strategic', {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } },
  });
  c.settle();
  const rss = s.list('replicasets').items as Obj[];
  assert.equal(rss.length, 2);
  const fresh = rss.find((r) => r.metadata.name !== oldRs)!;
  assert.equal(fresh.spec.replicas, 1, '25% surge of 3 rounds up to 1');
  assert.equal(fresh.metadata.annotations['deployment.kubernetes.io/revision'], '2');
  // SetDeploymentRevision: the Deployment carries its new ReplicaSet's revision; SetNewReplicaSetAnnotations:
  // its own annotations (the change-cause `kubectl rollout history` shows) go onto the new ReplicaSet
  assert.equal((s.get('deployments', 'default', 'web') as Obj).metadata.annotations['deployment.kubernetes.io/revision'], '2');
  s.patch('deployments', 'default', 'web', 'merge', { metadata: { annotations: { 'kubernetes.io/change-cause': 'restarted' } } });
  c.settle();
  assert.equal(
    (s.get('replicasets', 'default', fresh.metadata.name) as Obj).metadata.annotations['kubernetes.io/change-cause'],
    'restarted',
  );
  assert.equal((s.get('replicasets', 'default', oldRs) as Obj).metadata.annotations['kubernetes.io/change-cause'], undefined);
  for (let i = 0; i < 6; i++) {
    kubelet(c);
    clock.advance(30_000);
    c.settle();
  }
  const final = pods(c).filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(final.length, 3);
  assert.ok(final.every((p) => p.metadata.labels['pod-template-hash'] === fresh.metadata.labels['pod-template-hash']));
  assert.equal((s.get('replicasets', 'default', oldRs) as Obj).spec.replicas, 0);
  const d = s.get('deployments', 'default', 'web') as Obj;
  assert.equal(d.status.conditions.find((x: Obj) => x.type === 'Progressing').reason, 'NewReplicaSetAvailable');
  const scaled = s
    .list('events')
    .items.filter((e) => (e as Obj).reason === 'ScalingReplicaSet')
    .map((e) => (e as Obj).message);
  assert.ok(scaled.includes(`Scaled down replica set ${oldRs} from 3 to 2`), scaled.join('\n'));
});

test('Cluster: EndpointSlices and Endpoints follow the ready pods a Service selects', () => {
  const { c, s } = cluster();
  s.create(deployment('web', 3));
  s.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  c.settle();
  const empty = s.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=web' }).items as Obj[];
  assert.equal(empty.length, 1);
  assert.equal(empty[0]!.endpoints, null, 'Pending pods without an IP are no endpoints');
  assert.match(empty[0]!.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  kubelet(c);
  const slice = s.list('endpointslices', 'default', { labelSelector: 'kubernetes.io/service-name=web' }).items[0] as Obj;
  assert.equal(slice.endpoints.length, 3);
  assert.deepEqual(slice.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(slice.endpoints[0].conditions, { ready: true, serving: true, terminating: false });
  assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  const ep = s.get('endpoints', 'default', 'web') as Obj;
  assert.equal(ep.subsets[0].addresses.length, 3);
});

test('Cluster: deleting a Deployment collects its ReplicaSets and pods; deleting a namespace empties it', () => {
  const { c, s, clock } = cluster();
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } });
  c.settle();
  assert.ok(s.find('serviceaccounts', 'demo', 'default'), 'every namespace gets its default ServiceAccount');
  s.create({ ...deployment('web', 2), metadata: { name: 'web', namespace: 'demo' } });
  c.settle();
  s.delete('deployments', 'demo', 'web');
  c.settle();
  assert.equal(s.list('replicasets', 'demo').items.length, 0);
  assert.ok(pods(c).every((p) => p.metadata.deletionTimestamp));
  s.delete('namespaces', undefined, 'demo');
  c.settle();
  assert.equal((s.get('namespaces', undefined, 'demo').status as Obj).phase, 'Terminating');
  clock.advance(31_000);
  c.settle();
  assert.equal(s.find('namespaces', undefined, 'demo'), undefined);
});
