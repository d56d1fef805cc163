// kind's kubeadm config for a node and its patches, as kind v0.32.0's pkg/internal/patch applies them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKindConfig } from './config.js';
import { documentOf, kubeadmDocuments, KubeadmPatchError } from './kubeadm-config.js';
import { nodeRegistration } from './kubeadm-patches.js';

const CP = { name: 'kind-control-plane', role: 'control-plane' as const, ip: '172.18.0.2', index: 0 };
const WORKER = { name: 'kind-worker', role: 'worker' as const, ip: '172.18.0.3', index: 1 };

const cluster = (body: string) => parseKindConfig(`kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n${body}`);

test("kubeletExtraArgs' node-labels replaces the one kind fills from the node's labels (kubeadm_merge by name)", () => {
  const config = cluster(`nodes:
- role: control-plane
  labels:
    tier: cp
  kubeadmConfigPatches:
  - |
    kind: InitConfiguration
    nodeRegistration:
      kubeletExtraArgs:
        node-labels: "ingress-ready=true"
- role: worker
  labels:
    zone: a
`);
  assert.deepEqual(nodeRegistration(config, CP, true).labels, { 'ingress-ready': 'true' });
  // the InitConfiguration patch is not what kubeadm join reads
  assert.deepEqual(nodeRegistration(config, CP, false).labels, { tier: 'cp' });
  assert.deepEqual(nodeRegistration(config, WORKER, false).labels, { zone: 'a' });
  const init = documentOf(kubeadmDocuments(config, CP), 'InitConfiguration') as { nodeRegistration: { kubeletExtraArgs: unknown } };
  assert.deepEqual(init.nodeRegistration.kubeletExtraArgs, [
    { name: 'node-ip', value: '172.18.0.2' },
    { name: 'provider-id', value: 'kind://docker/kind/kind-control-plane' },
    { name: 'node-labels', value: 'ingress-ready=true' },
  ]);
});

test('nodeRegistration.taints: null keeps kubeadm default, a list replaces it; a versioned map-form extraArgs patch is dropped', () => {
  const config = cluster(`kubeadmConfigPatches:
- |
  kind: JoinConfiguration
  nodeRegistration:
    taints:
    - key: dedicated
      value: infra
      effect: NoSchedule
- |
  apiVersion: kubeadm.k8s.io/v1beta4
  kind: JoinConfiguration
  nodeRegistration:
    kubeletExtraArgs:
      node-labels: "x=y"
nodes:
- role: control-plane
- role: worker
`);
  assert.equal(nodeRegistration(config, CP, true).taints, undefined);
  assert.deepEqual(nodeRegistration(config, WORKER, false).taints, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }]);
  assert.deepEqual(nodeRegistration(config, WORKER, false).labels, {});
});

test('kubeadmConfigPatchesJSON6902: applied after the merge patches, matched by group/version/kind; a failing op fails naming it', () => {
  const config = cluster(`kubeadmConfigPatches:
- |
  kind: ClusterConfiguration
  scheduler:
    extraArgs:
      v: "2"
kubeadmConfigPatchesJSON6902:
- group: kubeadm.k8s.io
  version: v1beta4
  kind: ClusterConfiguration
  patch: |
    - op: replace
      path: /scheduler/extraArgs/0/value
      value: "5"
    - op: add
      path: /apiServer/certSANs/-
      value: my.example
- group: kubeadm.k8s.io
  version: v1beta3
  kind: ClusterConfiguration
  patch: |
    - op: remove
      path: /nothing/here
`);
  const cc = documentOf(kubeadmDocuments(config, CP), 'ClusterConfiguration') as {
    scheduler: { extraArgs: unknown };
    apiServer: { certSANs: string[] };
  };
  assert.deepEqual(cc.scheduler.extraArgs, [{ name: 'v', value: '5' }]);
  assert.deepEqual(cc.apiServer.certSANs, ['localhost', '127.0.0.1', 'my.example']);

  const bad = cluster(`nodes:
- role: control-plane
  kubeadmConfigPatchesJSON6902:
  - group: kubeadm.k8s.io
    version: v1beta4
    kind: InitConfiguration
    patch: |
      - op: remove
        path: /nodeRegistration/taints
`);
  assert.throws(
    () => kubeadmDocuments(bad, CP),
    (e: unknown) =>
      e instanceof KubeadmPatchError &&
      /^failed to apply JSON 6902 patch: remove operation at "\/nodeRegistration\/taints": /.test(e.message),
  );
  assert.throws(
    () => kubeadmDocuments(cluster('kubeadmConfigPatchesJSON6902:\n- kind: InitConfiguration\n  patch: "op: add"\n'), CP),
    /failed to parse JSON 6902 patches/,
  );
});
