// `kind` as a user runs it: its printed lines, node names and addresses, the config's strict decoding
// and validation messages, the Node objects a new cluster shows (NotReady, podCIDRs, taints).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../sim/index.js';
import { Cluster } from '../controllers/index.js';
import { addons } from './addons.js';
import { defaults } from './config.js';
import { KindWorld, runKind } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function kind(files: Record<string, string> = {}) {
  const world = new KindWorld(new EventQueue());
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const status = await runKind(world, argv, {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      readFile: (p) => (files[p] === undefined ? undefined : new TextEncoder().encode(files[p])),
    });
    return { status, out, err };
  };
  return { world, run };
}

const THREE = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n';

test("kind create cluster prints kind's steps and leaves a cluster whose nodes kindnet made Ready, with the kind-NAME context", async () => {
  const { world, run } = kind({ 'kind.yaml': THREE });
  const r = await run('create', 'cluster', '--config', 'kind.yaml', '--name', 'lab');
  assert.equal(r.status, 0);
  assert.equal(r.out, '');
  const lines = r.err.split('\n');
  assert.deepEqual(lines.slice(0, 5), [
    'Creating cluster "lab" ...',
    ' • Ensuring node image (kindest/node:v1.36.1) 🖼  ...',
    ' ✓ Ensuring node image (kindest/node:v1.36.1) 🖼',
    ' • Preparing nodes 📦 📦 📦   ...',
    ' ✓ Preparing nodes 📦 📦 📦 ',
  ]);
  assert.ok(lines.includes(' ✓ Joining worker nodes 🚜'));
  assert.ok(
    r.err.includes('Set kubectl context to "kind-lab"\nYou can now use your cluster with:\n\nkubectl cluster-info --context kind-lab\n\n'),
  );
  assert.equal(world.currentContext, 'kind-lab');
  const c = world.byContext()!.cluster;
  const nodes = c.store.list('nodes').items as Obj[];
  assert.deepEqual(
    nodes.map((n) => [n.metadata.name, n.status.addresses[0].address, n.spec.podCIDR]),
    [
      ['lab-control-plane', '172.18.0.2', '10.244.0.0/24'],
      ['lab-worker', '172.18.0.3', '10.244.1.0/24'],
      ['lab-worker2', '172.18.0.4', '10.244.2.0/24'],
    ],
  );
  const cp = nodes[0]!;
  assert.equal(cp.metadata.labels['node-role.kubernetes.io/control-plane'], '');
  assert.deepEqual(
    cp.spec.taints.map((t: Obj) => `${t.key}:${t.effect}`),
    ['node-role.kubernetes.io/control-plane:NoSchedule'],
  );
  assert.equal(cp.spec.providerID, 'kind://docker/lab/lab-control-plane');
  const ready = cp.status.conditions.find((x: Obj) => x.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
  assert.equal((c.store.get('services', 'kube-system', 'kube-dns').spec as Obj).clusterIP, '10.96.0.10');
  assert.deepEqual((c.store.get('endpoints', 'default', 'kubernetes') as Obj).subsets[0].addresses, [{ ip: '172.18.0.2' }]);
  const coredns = (c.store.list('pods', 'kube-system').items as Obj[]).filter((p) => p.metadata.name.startsWith('coredns-'));
  assert.equal(coredns.length, 2);
  assert.ok(
    coredns.every((p) => p.spec.nodeName && p.status.phase === 'Running' && p.status.podIP.startsWith('10.244.')),
    'CoreDNS runs once the nodes are Ready',
  );
  assert.equal(
    (c.store.list('pods', 'kube-system', { labelSelector: 'app=kindnet' }).items as Obj[]).filter((p) => p.spec.nodeName).length,
    3,
  );
});

test('kind get / delete answer as kind does', async () => {
  const { run } = kind({ 'kind.yaml': THREE });
  assert.deepEqual(await run('get', 'clusters'), { status: 0, out: '', err: 'No kind clusters found.\n' });
  await run('create', 'cluster', '--config', 'kind.yaml');
  await run('create', 'cluster', '--name', 'two');
  assert.equal((await run('get', 'clusters')).out, 'kind\ntwo\n');
  assert.equal((await run('get', 'nodes')).out, 'kind-worker2\nkind-worker\nkind-control-plane\n');
  assert.match(
    (await run('get', 'kubeconfig')).out,
    /^apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: \S+\n    server: https:\/\/127\.0\.0\.1:\d+\n  name: kind-kind\n/,
  );
  const again = await run('create', 'cluster');
  assert.deepEqual(again, {
    status: 1,
    out: '',
    err: 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "kind"\n',
  });
  assert.equal(
    (await run('delete', 'cluster')).err,
    'Deleting cluster "kind" ...\nDeleted nodes: ["kind-worker2" "kind-worker" "kind-control-plane"]\n',
  );
  assert.equal((await run('delete', 'cluster')).err, 'Deleting cluster "kind" ...\n', 'deleting again is no error');
  assert.equal((await run('delete', 'clusters', '--all')).err, 'Deleted clusters: ["two"]\n');
  assert.equal((await run('get', 'nodes', '--name', 'two')).err, 'No kind nodes found for cluster "two".\n');
});

test("a kind config is decoded strictly and validated with kind's messages; nothing is created", async () => {
  const { world, run } = kind({
    'typo.yaml':
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  extraPortMapings:\n  - containerPort: 80\n',
    'role.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: master\nnetworking:\n  kubeProxyMode: ebpf\n',
    'version.yaml': 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n',
  });
  assert.deepEqual(await run('create', 'cluster', '--config', 'typo.yaml'), {
    status: 1,
    out: '',
    err: 'ERROR: failed to create cluster: unable to decode config: yaml: unmarshal errors:\n  line 5: field extraPortMapings not found in type v1alpha4.Node\n',
  });
  assert.equal(
    (await run('create', 'cluster', '--config', 'role.yaml')).err,
    'ERROR: failed to create cluster: [invalid kubeProxyMode: ebpf, must have at least one control-plane node, "master" is not a valid node role]\n',
  );
  assert.equal(
    (await run('create', 'cluster', '--config', 'version.yaml')).err,
    'ERROR: failed to create cluster: unknown apiVersion: kind.x-k8s.io/v1alpha3\n',
  );
  assert.equal((await run('create', 'cluster', '--nam', 'x')).err, 'ERROR: unknown flag: --nam\n');
  assert.deepEqual(world.names(), []);
});

test("kind's add-ons decode as they are built (the cluster stores them without decoding them again)", () => {
  for (const raw of [{}, { networking: { kubeProxyMode: 'ipvs', podSubnet: '10.10.0.0/16' } }]) {
    const config = defaults(raw);
    const cp = { name: 'kind-control-plane', role: 'control-plane' as const, ip: '172.18.0.2', image: 'kindest/node' };
    const decoded = new Cluster({ name: 'kind', clock: new EventQueue(), seed: 'x' });
    const own = new Cluster({ name: 'kind', clock: new EventQueue(), seed: 'x' });
    for (const o of addons(config, cp)) {
      const a = decoded.store.create(structuredClone(o));
      const b = own.store.createOwn(structuredClone(o));
      assert.equal(JSON.stringify(b), JSON.stringify(a), `${o.kind} ${o.metadata.name}`);
    }
  }
});

test('kind load docker-image loads each image into the nodes that lack it, in docker ps order, and says so as kind does', async () => {
  const { world, run } = kind({ 'kind.yaml': THREE });
  assert.deepEqual(await run('load', 'docker-image', 'myapp:1.0'), {
    status: 1,
    out: '',
    err: 'ERROR: no nodes found for cluster "kind"\n',
  });
  await run('create', 'cluster', '--config', 'kind.yaml');
  assert.deepEqual(await run('load', 'docker-image'), { status: 1, out: '', err: 'ERROR: a list of image names is required\n' });
  const id = (await run('load', 'docker-image', 'myapp:1.0', '--nodes', 'kind-worker')).err.match(/ID "(sha256:[0-9a-f]{64})"/)?.[1];
  assert.ok(id);
  assert.deepEqual(world.node('kind-worker')!.loadedImages, new Set(['myapp:1.0']));
  const line = (node: string) => `Image: "myapp:1.0" with ID "${id}" not yet present on node "${node}", loading...\n`;
  assert.deepEqual(await run('load', 'docker-image', 'myapp:1.0'), {
    status: 0,
    out: '',
    err: line('kind-worker2') + line('kind-control-plane'),
  });
  assert.equal(
    (await run('load', 'docker-image', 'docker.io/library/myapp:1.0')).err,
    `Image: "docker.io/library/myapp:1.0" with ID "${id}" found to be already present on all nodes.\n`,
  );
  assert.deepEqual(await run('load', 'docker-image', 'x', '--nodes', 'nope'), { status: 1, out: '', err: 'ERROR: unknown node: "nope"\n' });
  assert.equal((await run('load')).err, 'ERROR: Subcommand is required\n');
});

test('kind version, -q and --version print what kind v0.32.0 prints', async () => {
  const { run } = kind();
  assert.deepEqual(await run('version'), { status: 0, out: 'kind v0.32.0 go1.26.3 linux/amd64\n', err: '' });
  assert.equal((await run('version', '-q')).out, '0.32.0\n');
  assert.equal((await run('--version')).out, 'kind version 0.32.0\n');
});
