// `kubectl cluster-info dump` on a kind cluster: seed 004 greps it for the cluster's two ranges;
// the typed lists in kubectl's order, each container's log between START/END lines, and the
// files of --output-directory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured } from './by-hand.js';
import { run } from './fixtures.js';
import { standardLab } from './index.js';

const SEED_004 = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: myk8s
nodes:
- role: control-plane
- role: worker
networking:
  podSubnet: 10.10.0.0/16
  serviceSubnet: 10.200.1.0/24
`;

async function seed004() {
  const lab = standardLab();
  const made = await run(lab, { 'kind.yaml': SEED_004 }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(made.status, 0, made.err);
  lab.advance(5000);
  return lab;
}

test('seed 004: `kubectl cluster-info dump | grep -m 2 -E "cluster-cidr|service-cluster-ip-range"` finds the API server\'s range, then the controller manager\'s', async () => {
  const lab = await seed004();
  const r = await run(lab, {}, 'kubectl', 'cluster-info', 'dump');
  assert.equal(r.status, 0, r.err);
  const hits = r.out.split('\n').filter((l) => /cluster-cidr|service-cluster-ip-range/.test(l));
  assert.deepEqual(
    hits.slice(0, 2).map((l) => l.trim()),
    ['"--service-cluster-ip-range=10.200.1.0/24",', '"--cluster-cidr=10.10.0.0/16",'],
  );
});

test("cluster-info dump prints the nodes, then each namespace's typed lists in kubectl's order, then its containers' logs", async () => {
  const lab = await seed004();
  const made = await run(lab, {}, 'kubectl', 'run', 'web', '--image=nginx');
  assert.equal(made.status, 0, made.err);
  lab.advance(10_000);
  const r = await run(lab, {}, 'kubectl', 'cluster-info', 'dump');
  assert.equal(r.status, 0, r.err);
  const kinds = [...r.out.matchAll(/^ {4}"kind": "(\w+)",\n {4}"apiVersion": "([\w/]+)",\n {4}"metadata": \{/gm)].map(
    (m) => `${m[2]} ${m[1]}`,
  );
  const perNamespace = [
    'v1 EventList',
    'v1 ReplicationControllerList',
    'v1 ServiceList',
    'apps/v1 DaemonSetList',
    'apps/v1 DeploymentList',
    'apps/v1 ReplicaSetList',
    'v1 PodList',
  ];
  assert.deepEqual(kinds, ['v1 NodeList', ...perNamespace, ...perNamespace]);
  // a typed list's items carry no kind of their own
  assert.doesNotMatch(r.out, /^ {12}"kind": "Node"/m);
  // kube-system's logs come before default's lists; nginx's log holds its start-up lines
  const kubeProxyLog = r.out.indexOf('==== START logs for container kube-proxy of pod kube-system/kube-proxy-');
  const defaultPods = r.out.lastIndexOf('"kind": "PodList"');
  assert.ok(kubeProxyLog > 0 && kubeProxyLog < defaultPods);
  const web = r.out.slice(r.out.indexOf('==== START logs for container web of pod default/web ===='));
  assert.match(
    web,
    /^==== START logs for container web of pod default\/web ====\n(.*\n)*.*Configuration complete; ready for start up\n==== END logs for container web of pod default\/web ====\n$/,
  );
});

test("cluster-info dump --output-directory writes kubectl's tree of files and says where", async () => {
  const lab = await seed004();
  const c = captured();
  const r = await lab.run(['kubectl', 'cluster-info', 'dump', '--output-directory', 'out', '--namespaces', 'kube-system'], c);
  assert.equal(r.status, 0, c.err);
  assert.equal(c.out, 'Cluster info dumped to out\n');
  const files = [...c.written.keys()];
  for (const f of [
    'out/nodes.json',
    'out/kube-system/events.json',
    'out/kube-system/replication-controllers.json',
    'out/kube-system/pods.json',
  ])
    assert.ok(files.includes(f), `${f} written (${files.join(' ')})`);
  assert.ok(files.includes('out/kube-system/kube-apiserver-myk8s-control-plane/logs.txt'));
  const pods = new TextDecoder().decode(c.written.get('out/kube-system/pods.json'));
  assert.match(pods, /"--service-cluster-ip-range=10\.200\.1\.0\/24"/);
});

test('cluster-info dump -o: yaml is printed; a printer kubectl lacks is refused in its words', async () => {
  const lab = await seed004();
  const yaml = await run(lab, {}, 'kubectl', 'cluster-info', 'dump', '-o', 'yaml', '--namespaces', 'default');
  assert.equal(yaml.status, 0, yaml.err);
  assert.match(yaml.out, /^apiVersion: v1\nitems:\n- metadata:\n/);
  const bad = await run(lab, {}, 'kubectl', 'cluster-info', 'dump', '-o', 'wide');
  assert.equal(bad.status, 1);
  assert.match(
    bad.err,
    /^error: unable to match a printer suitable for the output format "wide", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml$/m,
  );
});
