// kind's InitConfiguration/JoinConfiguration patches and kubeadmConfigPatchesJSON6902 as a user sees
// them (issue 14): the kind docs' ingress-ready label on the node, a worker's patched taint keeping
// pods off it, a JSON 6902 patch reaching the apiserver's manifest, and kind's failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { standardLab } from './families.js';
import { run } from './fixtures.js';

const INGRESS = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-labels: "ingress-ready=true"
  extraPortMappings:
  - containerPort: 80
    hostPort: 8080
- role: worker
  labels:
    zone: a
  kubeadmConfigPatches:
  - |
    kind: JoinConfiguration
    nodeRegistration:
      taints:
      - key: dedicated
        value: infra
        effect: NoSchedule
kubeadmConfigPatchesJSON6902:
- group: kubeadm.k8s.io
  version: v1beta4
  kind: ClusterConfiguration
  patch: |
    - op: add
      path: /apiServer/extraArgs/-
      value:
        name: audit-log-maxage
        value: "7"
`;

test("the kind docs' ingress-ready node label, a JoinConfiguration taint and a JSON 6902 extraArg take effect", async () => {
  const lab = standardLab();
  const created = await run(lab, { 'kind.yaml': INGRESS }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(created.status, 0, created.err);
  lab.advance(20_000);
  const nodes = await run(lab, {}, 'kubectl', 'get', 'nodes', '--show-labels');
  assert.match(nodes.out, /\nkind-control-plane +Ready .*[ ,]ingress-ready=true[ ,]/, nodes.out);
  assert.match(nodes.out, /\nkind-worker +Ready .*,zone=a\n/, nodes.out);
  assert.doesNotMatch(nodes.out, /\nkind-worker .*ingress-ready/, 'the InitConfiguration patch is the control plane’s only');
  const selected = await run(lab, {}, 'kubectl', 'get', 'nodes', '-l', 'ingress-ready=true', '-o', 'name');
  assert.equal(selected.out, 'node/kind-control-plane\n');
  // the kubelet's command line carries the patched --node-labels
  const ps = await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'pgrep', '-a', 'kubelet');
  assert.match(ps.out, / --node-labels=ingress-ready=true /, ps.out);

  const worker = await run(lab, {}, 'kubectl', 'describe', 'node', 'kind-worker');
  assert.match(worker.out, /\nTaints: +dedicated=infra:NoSchedule\n/, worker.out);
  // a pod without the toleration has nowhere to go: the control plane keeps kubeadm's taint
  const pod = await run(lab, {}, 'kubectl', 'run', 'web', '--image=nginx');
  assert.equal(pod.status, 0, pod.err);
  lab.advance(5_000);
  const events = await run(lab, {}, 'kubectl', 'get', 'events', '--field-selector', 'involvedObject.name=web');
  assert.match(
    events.out,
    /FailedScheduling .*0\/2 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: infra\}, 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}/,
    events.out,
  );

  // the node's /kind/kubeadm.conf as kind writes it: keys sorted, the patched item in place
  const conf = (await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'cat', '/kind/kubeadm.conf')).out;
  assert.match(
    conf,
    /\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 172\.18\.0\.2\n  bindPort: 6443\nnodeRegistration:\n  criSocket: unix:\/\/\/run\/containerd\/containerd\.sock\n  kubeletExtraArgs:\n  - name: node-ip\n    value: 172\.18\.0\.2\n  - name: provider-id\n    value: kind:\/\/docker\/kind\/kind-control-plane\n  - name: node-labels\n    value: ingress-ready=true\n---\n/,
  );
  assert.match(conf, /\n  - name: audit-log-maxage\n    value: "7"\n/);
  const workerConf = (await run(lab, {}, 'docker', 'exec', 'kind-worker', 'cat', '/kind/kubeadm.conf')).out;
  assert.match(
    workerConf,
    /\nkind: JoinConfiguration\nnodeRegistration:\n(?:.*\n)*? {2}- name: node-labels\n {4}value: zone=a\n {2}taints:\n {2}- effect: NoSchedule\n {4}key: dedicated\n {4}value: infra\n---\n/,
  );

  const manifest = await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'cat', '/etc/kubernetes/manifests/kube-apiserver.yaml');
  assert.match(manifest.out, /\n    - --audit-log-maxage=7\n    - --authorization-mode=Node,RBAC\n/, manifest.out);
});

test("kind's create fails as kind does on a JSON 6902 patch that does not apply and on a one-node cluster without the control-plane taint", async () => {
  const lab = standardLab();
  const bad = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatchesJSON6902:
- group: kubeadm.k8s.io
  version: v1beta4
  kind: ClusterConfiguration
  patch: |
    - op: replace
      path: /etcd/local/dataDir
      value: /tmp/etcd
`;
  const failed = await run(lab, { 'kind.yaml': bad }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(failed.status, 1);
  assert.match(failed.err, /\n ✗ Writing configuration 📜\nDeleted nodes: \["kind-control-plane"\]\n/);
  assert.match(
    failed.err,
    /\nERROR: failed to create cluster: failed to generate kubeadm config content: failed to apply JSON 6902 patch: replace operation at "\/etcd\/local\/dataDir": .*\n$/,
  );
  assert.equal((await run(lab, {}, 'kind', 'get', 'clusters')).err, 'No kind clusters found.\n');

  const untainted = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      taints: []
`;
  const noTaint = await run(lab, { 'kind.yaml': untainted }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(noTaint.status, 1);
  assert.match(noTaint.err, /\n ✓ Writing configuration 📜\n • Starting control-plane 🕹️  \.\.\.\n ✗ Starting control-plane 🕹️\n/);
  assert.match(
    noTaint.err,
    /ERROR: failed to create cluster: failed to remove control plane taint: command "docker exec --privileged kind-control-plane kubectl --kubeconfig=\/etc\/kubernetes\/admin.conf taint nodes --all node-role.kubernetes.io\/control-plane-" failed with error: exit status 1\nCommand Output: error: taint "node-role.kubernetes.io\/control-plane" not found\n$/,
  );
  // the same patch on a two-node cluster is fine: the control plane is simply untainted
  const two = `${untainted}- role: worker\n`;
  const ok = await run(lab, { 'kind.yaml': two }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(ok.status, 0, ok.err);
  const cp = await run(lab, {}, 'kubectl', 'describe', 'node', 'kind-control-plane');
  assert.match(cp.out, /\nTaints: +<none>\n/);
});
