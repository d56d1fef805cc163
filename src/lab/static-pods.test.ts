// Static pods on a kind cluster (seed 000): kubeadm's manifests in the control plane's
// /etc/kubernetes/manifests, the kubelet's file source running them on the node's network, their
// mirror pods in the API (owned by the Node), manifests removed, restored and edited, a mirror pod
// deleted by hand, a bad manifest; and kind's default StorageClass and local-path provisioner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';
import { standardLab } from './index.js';

const CP = 'kind-control-plane';
const CP_IP = '172.18.0.2';
const MANIFESTS = '/etc/kubernetes/manifests';

/** The NAME READY STATUS … IP columns of `kubectl get pod -A -o wide`, by pod name. */
async function podRows(lab: Awaited<ReturnType<typeof kindCluster>>): Promise<Map<string, string[]>> {
  const r = await run(lab, {}, 'kubectl', 'get', 'pod', '-A', '-o', 'wide');
  assert.equal(r.status, 0, r.err);
  return new Map(
    r.out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/))
      .map((f) => [f[1]!, f]),
  );
}

test('a fresh kind cluster runs the four static pods as mirror pods on the control plane', async () => {
  const lab = await kindCluster(1);
  lab.advance(30_000); // the probes of the static pods' containers have run
  const rows = await podRows(lab);
  for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    const row = rows.get(`${c}-${CP}`);
    assert.ok(row, `${c}-${CP} listed`);
    assert.equal(row[0], 'kube-system');
    assert.equal(row[3], 'Running');
    assert.equal(row[6], CP_IP, 'host network: the node address');
    assert.equal(row[7], CP);
  }
  // HTTPS probes count as succeeding (TLS not emulated); etcd's HTTP probes reach its metrics listener on 127.0.0.1:2381
  for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'])
    assert.equal(rows.get(`${c}-${CP}`)![2], '1/1', c);
  assert.ok(![...rows.keys()].some((n) => n.endsWith('-kind-worker') && !n.startsWith('k')), 'no static pods on the worker');

  const sel = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system', '-l', 'component=kube-apiserver', '-o', 'wide');
  assert.equal(sel.status, 0, sel.err);
  assert.match(sel.out, new RegExp(`^kube-apiserver-${CP} +1/1 +Running +0 +\\S+ +${CP_IP.replace(/\./g, '\\.')} +${CP} `, 'm'));
  assert.equal(sel.out.trim().split('\n').length, 2);

  const d = await run(lab, {}, 'kubectl', 'describe', 'pod', '-n', 'kube-system', '-l', 'component=kube-apiserver');
  assert.equal(d.status, 0, d.err);
  assert.match(d.out, /^Priority: +2000001000$/m);
  assert.match(d.out, /^Priority Class Name: +system-node-critical$/m);
  assert.match(d.out, /^Controlled By: +Node\/kind-control-plane$/m);
  assert.match(d.out, /kubernetes\.io\/config\.source: file/);
  assert.match(d.out, new RegExp(`kubeadm\\.kubernetes\\.io/kube-apiserver\\.advertise-address\\.endpoint: ${CP_IP}:6443`));
  assert.match(d.out, /Image: +registry\.k8s\.io\/kube-apiserver:v1\.36\.1/);
  assert.match(d.out, /--advertise-address=172\.18\.0\.2\n/);
  assert.match(d.out, /--service-cluster-ip-range=10\.96\.0\.0\/16\n/);
  // kubectl 1.36 names a named port after it; the probes print the port's name (DescribeProbe's url.URL)
  assert.match(d.out, /^ {4}Port: {10}6443\/TCP \(probe-port\)\n {4}Host Port: {5}6443\/TCP \(probe-port\)\n/m);
  assert.match(
    d.out,
    /^ {4}Liveness: {5}http-get https:\/\/172\.18\.0\.2:probe-port\/livez delay=10s timeout=15s period=10s #success=1 #failure=8\n {4}Readiness: {4}http-get https:\/\/172\.18\.0\.2:probe-port\/readyz delay=0s timeout=15s period=1s #success=1 #failure=3\n {4}Startup: {6}http-get https:\/\/172\.18\.0\.2:probe-port\/livez delay=10s timeout=15s period=10s #success=1 #failure=24\n/m,
  );
  const hash = /kubernetes\.io\/config\.hash: ([0-9a-f]{32})/.exec(d.out)?.[1];
  assert.ok(hash, 'a 32-hex config hash');
  assert.match(d.out, new RegExp(`kubernetes\\.io/config\\.mirror: ${hash}`));

  const grep = await run(lab, {}, 'docker', 'exec', CP, 'grep', 'staticPodPath', '/var/lib/kubelet/config.yaml');
  assert.equal(grep.out, `staticPodPath: ${MANIFESTS}\n`);
  const kcm = await run(lab, {}, 'docker', 'exec', CP, 'cat', `${MANIFESTS}/kube-controller-manager.yaml`);
  assert.match(
    kcm.out,
    /^ {2}containers:\n {2}- command:\n {4}- kube-controller-manager\n {4}- --allocate-node-cidrs=true\n {4}- --authentication-kubeconfig=/m,
  );
  assert.match(kcm.out, /- --cluster-cidr=10\.244\.0\.0\/16\n/);
  assert.match(kcm.out, /- --cluster-name=kind\n/);
  assert.match(kcm.out, /- --enable-hostpath-provisioner=true\n/);
  const etcd = await run(lab, {}, 'docker', 'exec', CP, 'cat', `${MANIFESTS}/etcd.yaml`);
  assert.match(etcd.out, /- --listen-client-urls=https:\/\/127\.0\.0\.1:2379,https:\/\/172\.18\.0\.2:2379\n/);
  assert.match(etcd.out, /kubeadm\.kubernetes\.io\/etcd\.advertise-client-urls: https:\/\/172\.18\.0\.2:2379\n/);
  const worker = await run(lab, {}, 'docker', 'exec', 'kind-worker', 'ls', '-A', MANIFESTS);
  assert.equal(worker.status, 0, worker.err);
  assert.equal(worker.out, '');
});

test("three control planes: kubeadm init's etcd is a cluster of one, each joining etcd lists the members before it and itself", async () => {
  const lab = standardLab();
  const config = `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n${'- role: control-plane\n'.repeat(3)}`;
  assert.equal((await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml')).status, 0);
  const flags = async (node: string) =>
    (await run(lab, {}, 'docker', 'exec', node, 'grep', 'initial-cluster', `${MANIFESTS}/etcd.yaml`)).out;
  // the external load balancer takes 172.18.0.2; the control planes follow in config order
  const member = (n: string, ip: string) => `${n}=https://${ip}:2380`;
  assert.equal(await flags(CP), `    - --initial-cluster=${member(CP, '172.18.0.3')}\n`);
  assert.equal(
    await flags(`${CP}3`),
    `    - --initial-cluster=${member(CP, '172.18.0.3')},${member(`${CP}2`, '172.18.0.4')},${member(`${CP}3`, '172.18.0.5')}\n` +
      '    - --initial-cluster-state=existing\n',
  );
  lab.advance(30_000);
  const rows = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system');
  for (const n of ['', '2', '3']) assert.match(rows.out, new RegExp(`\\netcd-${CP}${n} +1/1 +Running `), rows.out);
});

test('the kubelet follows the manifest directory and recreates a deleted mirror pod', async () => {
  const lab = await kindCluster(0);
  const name = `kube-scheduler-${CP}`;
  const saved = (await run(lab, {}, 'docker', 'exec', CP, 'cat', `${MANIFESTS}/kube-scheduler.yaml`)).out;
  assert.equal((await run(lab, {}, 'docker', 'exec', CP, 'mv', `${MANIFESTS}/kube-scheduler.yaml`, '/tmp/')).status, 0);
  lab.advance(20_000); // fileCheckFrequency
  assert.equal((await podRows(lab)).has(name), false, 'gone after the next listing');
  assert.equal((await run(lab, {}, 'docker', 'exec', CP, 'cp', '/tmp/kube-scheduler.yaml', `${MANIFESTS}/`)).status, 0);
  lab.advance(40_000); // the next listing, then the startup and readiness probes
  assert.equal((await podRows(lab)).get(name)?.slice(2, 4).join(' '), '1/1 Running', 'back once the file is');

  const uid = async () => (await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system', name, '-o', 'jsonpath={.metadata.uid}')).out;
  const before = await uid();
  const del = await run(lab, {}, 'kubectl', 'delete', 'pod', '-n', 'kube-system', name);
  assert.equal(del.status, 0, del.err);
  lab.advance(1000);
  const after = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system', name);
  assert.match(after.out, new RegExp(`^${name} +1/1 +Running +0 `, 'm'), 'a new mirror pod, the containers never stopped');
  assert.notEqual(await uid(), before);

  // an edited manifest: a new pod (new hash) replaces the old one
  await run(
    lab,
    { 'edited.yaml': saved.replace('--leader-elect=true', '--leader-elect=false') },
    'docker',
    'cp',
    'edited.yaml',
    `${CP}:${MANIFESTS}/kube-scheduler.yaml`,
  );
  lab.advance(20_000);
  const cmd = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system', name, '-o', 'jsonpath={.spec.containers[0].command}');
  assert.match(cmd.out, /--leader-elect=false/);

  // a bad manifest is skipped with the kubelet's error, the others keep running
  await run(lab, {}, 'docker', 'exec', CP, 'sh', '-c', `echo 'kind: Pod' > ${MANIFESTS}/bad.yaml`);
  lab.advance(20_000);
  const log = lab.kind.node(CP)!.kubelet!.log();
  assert.match(
    log,
    /"Could not process manifest file" err="invalid pod: \[metadata\.name: Required value: name or generateName is required, spec\.containers: Required value\]" path="\/etc\/kubernetes\/manifests\/bad\.yaml"/,
  );
  // coredns ×2, the 4 static pods, kindnet, kube-proxy, local-path-provisioner
  assert.equal((await podRows(lab)).size, 9);
});

test('kind installs its default StorageClass and the local-path provisioner', async () => {
  const lab = await kindCluster(0);
  const sc = await run(lab, {}, 'kubectl', 'get', 'sc');
  assert.equal(sc.status, 0, sc.err);
  assert.equal(
    sc.out.replace(/\d+s$/m, 'AGE'),
    'NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n' +
      'standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  AGE\n',
  );
  const deploy = await run(lab, {}, 'kubectl', 'get', 'deploy', '-n', 'local-path-storage');
  assert.match(deploy.out, /^local-path-provisioner +1\/1 +1 +1 +\d+s$/m);
  const pods = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'local-path-storage', '-o', 'wide');
  assert.match(pods.out, /^local-path-provisioner-[a-z0-9]+-[a-z0-9]{5} +1\/1 +Running +0 +\S+ +10\.244\.0\.\d+ /m, 'on the pod network');
});
