// The kubelet's file source of static pods: a manifest written with the pod it encodes is taken
// as that pod without reading (or rendering) its text; one a user writes is parsed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { NodeFiles } from '../sim/index.js';
import { KUBELET_CONFIG, StaticPodSource } from './static-pods.js';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'etcd', namespace: 'kube-system' },
  spec: { containers: [{ image: 'etcd', name: 'etcd' }] },
};

test('StaticPodSource: a manifest with its value is taken unrendered and decodes as its text does; a rewritten one is parsed; a directory is skipped', () => {
  const files = new NodeFiles(() => 0);
  files.mkdirp('/var/lib/kubelet');
  files.mkdirp('/etc/kubernetes/manifests/sub');
  files.write(KUBELET_CONFIG, 'staticPodPath: /etc/kubernetes/manifests\n');
  let renders = 0;
  files.write('/etc/kubernetes/manifests/etcd.yaml', () => (renders++, stringify(POD)), { value: POD });
  const log: string[] = [];
  const src = StaticPodSource.fromConfig(
    files,
    'kind-control-plane',
    () => 0,
    (l) => log.push(l),
  )!;
  assert.deepEqual(src.relist(), ['kube-system/etcd-kind-control-plane']);
  assert.equal(renders, 0);
  const fromValue = src.get('kube-system/etcd-kind-control-plane')!;
  assert.equal(fromValue.spec && (fromValue.spec as { nodeName?: string }).nodeName, 'kind-control-plane');
  assert.match(
    log.join(''),
    /Provided manifest path is a directory, not recursing into manifest path" path="\/etc\/kubernetes\/manifests\/sub"/,
  );
  assert.deepEqual(src.relist(), []); // unchanged: the same pod
  // the same content written as text by a user: parsed, the same pod (uid from the content)
  files.write('/etc/kubernetes/manifests/etcd.yaml', files.readText('/etc/kubernetes/manifests/etcd.yaml')!);
  assert.equal(renders, 1);
  assert.deepEqual(src.relist(), ['kube-system/etcd-kind-control-plane']);
  assert.deepEqual(src.get('kube-system/etcd-kind-control-plane'), fromValue);
});
