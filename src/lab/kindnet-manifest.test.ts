// kindnet as kind v0.32.0 installs it (issue 14 item 6): the DaemonSet of kind's const_cni.go
// manifest with installcni's CONTROL_PLANE_ENDPOINT, its RBAC, and its hostPath volumes really
// being the node's files (the CNI config kindnetd writes is what the container sees).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runByHand, standardLab } from './index.js';
import { kindConfig } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test("kubectl get ds -n kube-system kindnet -o yaml shows kind's manifest; its pods run on every node with the node's /etc/cni/net.d", async () => {
  const lab = standardLab();
  assert.equal(
    (await runByHand(lab, ['kind', 'create', 'cluster', '--config', 'kind.yaml'], { files: { 'kind.yaml': kindConfig(2) } })).status,
    0,
  );
  const yaml = await runByHand(lab, ['kubectl', 'get', 'ds', '-n', 'kube-system', 'kindnet', '-o', 'yaml']);
  assert.equal(yaml.status, 0, yaml.err);
  const ds = parse(yaml.out) as Obj;
  assert.deepEqual(ds.metadata.labels, { app: 'kindnet', 'k8s-app': 'kindnet', tier: 'node' });
  const spec = ds.spec.template.spec as Obj;
  assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.deepEqual([spec.hostNetwork, spec.priorityClassName, spec.serviceAccountName], [true, 'system-node-critical', 'kindnet']);
  assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }]);
  const c = spec.containers[0] as Obj;
  assert.equal(c.image, 'docker.io/kindest/kindnetd:v20260528-9350166c');
  assert.deepEqual(c.env, [
    { name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
    { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'POD_SUBNET', value: '10.244.0.0/16' },
    { name: 'CONTROL_PLANE_ENDPOINT', value: 'kind-control-plane:6443' },
  ]);
  assert.deepEqual(c.volumeMounts, [
    { mountPath: '/etc/cni/net.d', name: 'cni-cfg' },
    { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
    { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
    { mountPath: '/var/run/nri', name: 'nri-plugin' },
  ]);
  assert.deepEqual(c.resources, { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } });
  assert.deepEqual(c.securityContext, { capabilities: { add: ['NET_RAW', 'NET_ADMIN'] }, privileged: false });
  assert.deepEqual(spec.volumes, [
    { hostPath: { path: '/etc/cni/net.d', type: '' }, name: 'cni-cfg' },
    { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
    { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
    { hostPath: { path: '/var/run/nri', type: '' }, name: 'nri-plugin' },
  ]);
  assert.equal(ds.status.numberReady, 3);
  const rbac = await runByHand(lab, ['kubectl', 'get', 'clusterrole,clusterrolebinding', 'kindnet', '-o', 'name']);
  assert.equal(rbac.out, 'clusterrole.rbac.authorization.k8s.io/kindnet\nclusterrolebinding.rbac.authorization.k8s.io/kindnet\n');
  // the cni-cfg volume is the node's directory: the conflist kindnetd wrote there
  const pod = (
    await runByHand(lab, [
      'kubectl',
      'get',
      'pods',
      '-n',
      'kube-system',
      '-l',
      'app=kindnet',
      '--field-selector',
      'spec.nodeName=kind-worker2',
      '-o',
      'name',
    ])
  ).out.trim();
  const inPod = await runByHand(lab, ['kubectl', 'exec', '-n', 'kube-system', pod, '--', 'cat', '/etc/cni/net.d/10-kindnet.conflist']);
  const onNode = await runByHand(lab, ['docker', 'exec', 'kind-worker2', 'cat', '/etc/cni/net.d/10-kindnet.conflist']);
  assert.equal(onNode.status, 0, onNode.err);
  assert.match(onNode.out, /"subnet": "10\.244\.2\.0\/24"/);
  assert.equal(inPod.out, onNode.out, inPod.err);
});
