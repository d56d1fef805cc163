// StatefulSets: pods web-0, web-1… made in order (each once the one before is Ready), with stable
// hostnames under the governing headless Service (web-0.nginx resolves), rolled out and scaled down
// from the highest ordinal, and `kubectl rollout status` in kubectl's words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ok = async (lab: Lab, argv: string[], stdin?: string): Promise<string> => {
  const r = await runByHand(lab, argv, stdin === undefined ? {} : { stdin });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
};

// kubernetes.io's StatefulSet basics example (its volumeClaimTemplates left out: claims are not emulated)
const WEB = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
`;

/** The StatefulSet's events, one line each as `fields` (a JSONPath template) prints it. */
const stsEvents = (lab: Lab, fields: string) =>
  ok(lab, [
    'kubectl',
    'get',
    'events',
    '--field-selector',
    'involvedObject.kind=StatefulSet',
    '-o',
    `jsonpath={range .items[*]}${fields}{"\\n"}{end}`,
  ]);

const podNames = async (lab: Lab) =>
  (await ok(lab, ['kubectl', 'get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').filter(Boolean);

test('a StatefulSet makes web-0 then web-1, each with its hostname under the headless Service, which resolves', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'apply', '-f', '-'], WEB);
  assert.equal(
    await ok(lab, ['kubectl', 'rollout', 'status', 'sts/web', '--timeout=60s']),
    'partitioned roll out complete: 2 new pods have been updated...\n',
  );
  assert.deepEqual(await podNames(lab), ['web-0', 'web-1']);
  const pod = JSON.parse(await ok(lab, ['kubectl', 'get', 'pod', 'web-1', '-o', 'json'])) as Obj;
  assert.deepEqual([pod.spec.hostname, pod.spec.subdomain], ['web-1', 'nginx']);
  assert.equal(pod.metadata.labels['statefulset.kubernetes.io/pod-name'], 'web-1');
  assert.equal(pod.metadata.labels['apps.kubernetes.io/pod-index'], '1');
  assert.match(pod.metadata.labels['controller-revision-hash'], /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  const events = await stsEvents(lab, '{.message}');
  assert.equal(events, 'create Pod web-0 in StatefulSet web successful\ncreate Pod web-1 in StatefulSet web successful\n');
  await ok(lab, ['kubectl', 'wait', '--for=condition=Ready', 'pod', '-l', 'k8s-app=kube-dns', '-n', 'kube-system', '--timeout=60s']);
  await ok(lab, ['kubectl', 'run', 'dig', '--image=nicolaka/netshoot', '--', 'sleep', '3600']);
  await ok(lab, ['kubectl', 'wait', '--for=condition=Ready', 'pod/dig', '--timeout=60s']);
  const ip = await ok(lab, ['kubectl', 'get', 'pod', 'web-0', '-o', 'jsonpath={.status.podIP}']);
  assert.equal(await ok(lab, ['kubectl', 'exec', 'dig', '--', 'dig', '+short', 'web-0.nginx.default.svc.cluster.local']), `${ip}\n`);
});

test('OrderedReady: web-1 waits for web-0; a template change replaces web-1 then web-0; scaling down removes the highest first', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'apply', '-f', '-'], WEB);
  await ok(lab, ['kubectl', 'rollout', 'status', 'sts/web', '--timeout=60s']);
  await ok(lab, [
    'kubectl',
    'patch',
    'sts',
    'web',
    '-p',
    '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}',
  ]);
  await ok(lab, ['kubectl', 'rollout', 'status', 'sts/web', '--timeout=120s']);
  await ok(lab, ['kubectl', 'scale', 'sts', 'web', '--replicas=3']);
  await ok(lab, ['kubectl', 'rollout', 'status', 'sts/web', '--timeout=120s']);
  await ok(lab, ['kubectl', 'scale', 'sts', 'web', '--replicas=1']);
  await ok(lab, ['kubectl', 'wait', '--for=delete', 'pod/web-1', '--timeout=60s']);
  assert.deepEqual(await podNames(lab), ['web-0']);
  // a repeated event is counted, not listed again (the correlator): web-1 and web-0 were made again
  // by the roll-out, and web-1 deleted twice
  const events = await stsEvents(lab, '{.count} {.message}');
  const seq = events
    .trim()
    .split('\n')
    .map((l) => l.replace(/ in StatefulSet web successful$/, ''));
  assert.deepEqual(seq, [
    '2 create Pod web-0',
    '2 create Pod web-1',
    '2 delete Pod web-1',
    '1 delete Pod web-0',
    '1 create Pod web-2',
    '1 delete Pod web-2',
  ]);
  const images = await ok(lab, ['kubectl', 'get', 'pod', 'web-0', '-o', 'jsonpath={.spec.containers[0].image}']);
  assert.equal(images, 'nginx:1.27');
  const status = JSON.parse(await ok(lab, ['kubectl', 'get', 'sts', 'web', '-o', 'jsonpath={.status}'])) as Obj;
  assert.deepEqual([status.replicas, status.readyReplicas, status.currentRevision === status.updateRevision], [1, 1, true]);
});
