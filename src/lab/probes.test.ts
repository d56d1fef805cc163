// The kubelet's probes (issue 16): readiness gates the pod's Ready condition and its EndpointSlice
// endpoint, a failing liveness probe restarts the container, with kubelet's events; CoreDNS's own
// probes reach its /ready and /health over the emulated network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from './index.js';
import { kindCluster, netshootPod, run } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: traefik/whoami
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      httpGet:
        path: /health
        port: http
      periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
${netshootPod('client')}`;

const cluster = (): Promise<Lab> => kindCluster(1, PODS);

const store = (lab: Lab) => lab.kind.get('kind')!.cluster.store;
const pod = (lab: Lab, name: string) => store(lab).get('pods', 'default', name) as unknown as Obj;
const ready = (lab: Lab, name: string) => (pod(lab, name).status.conditions as Obj[]).find((c) => c.type === 'Ready');
const sliceReady = (lab: Lab) =>
  (
    ((
      store(lab)
        .list('endpointslices', 'default')
        .items.find((s) => (s.metadata.labels as Obj)['kubernetes.io/service-name'] === 'web') as unknown as Obj
    ).endpoints as Obj[]) ?? []
  ).map((e) => e.conditions.ready);

test('readiness: a pod whose /health answers 503 turns NotReady (Unhealthy events, not ready in the EndpointSlice) and Ready again once it answers 200', async () => {
  const lab = await cluster();
  assert.equal(ready(lab, 'web')?.status, 'True');
  assert.deepEqual(sliceReady(lab), [true]);
  const ip = pod(lab, 'web').status.podIP as string;
  const set = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', '-d', '503', `http://${ip}/health`);
  assert.equal(set.status, 0, set.err);
  lab.advance(2000); // one period: a failure, below failureThreshold 3
  assert.equal(ready(lab, 'web')?.status, 'True');
  lab.advance(4000);
  const cond = ready(lab, 'web')!;
  assert.equal(cond.status, 'False');
  assert.equal(cond.reason, 'ContainersNotReady');
  assert.equal(cond.message, 'containers with unready status: [web]');
  assert.equal(pod(lab, 'web').status.containerStatuses[0].ready, false);
  assert.deepEqual(sliceReady(lab), [false]);
  const events = await run(
    lab,
    {},
    'kubectl',
    'get',
    'events',
    '--field-selector',
    'involvedObject.name=web',
    '-o',
    'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}',
  );
  assert.match(events.out, /^Warning Unhealthy Readiness probe failed: HTTP probe failed with statuscode: 503$/m);
  // the Service has no ready endpoint: curl through it is refused (kube-proxy's REJECT)
  const refused = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', '-m', '2', 'http://web');
  assert.notEqual(refused.status, 0);
  const fix = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', '-d', '200', `http://${ip}/health`);
  assert.equal(fix.status, 0, fix.err);
  lab.advance(2000);
  assert.equal(ready(lab, 'web')?.status, 'True');
  assert.deepEqual(sliceReady(lab), [true]);
  const back = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', 'http://web');
  assert.match(back.out, /^Hostname: web$/m);
});

test('liveness: a probe on a port nothing listens on restarts the container after failureThreshold failures (Killing event, restartCount)', async () => {
  const lab = await cluster();
  const LIVE = `apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe:
      tcpSocket:
        port: 8080
      initialDelaySeconds: 5
      periodSeconds: 5
`;
  assert.equal((await run(lab, { 'l.yaml': LIVE }, 'kubectl', 'apply', '-f', 'l.yaml')).status, 0);
  lab.advance(1000);
  assert.equal(pod(lab, 'live').status.containerStatuses[0].restartCount, 0);
  lab.advance(4000 + 3 * 5000);
  const cs = pod(lab, 'live').status.containerStatuses[0];
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.lastState.terminated.exitCode, 143);
  const ip = pod(lab, 'live').status.podIP as string;
  const events = await run(
    lab,
    {},
    'kubectl',
    'get',
    'events',
    '--field-selector',
    'involvedObject.name=live',
    '-o',
    'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}',
  );
  assert.match(
    events.out,
    new RegExp(`^Warning Unhealthy Liveness probe failed: dial tcp ${ip.replace(/\./g, '\\.')}:8080: connect: connection refused$`, 'm'),
  );
  assert.match(events.out, /^Normal Killing Container app failed liveness probe, will be restarted$/m);
  // nginx still answers after its restart
  const r = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', `http://${ip}`);
  assert.match(r.out, /Welcome to nginx!/);
});

test("a fresh cluster's probes all pass: CoreDNS's reach /ready on 8181, etcd's its metrics listener on 127.0.0.1:2381; every pod is Ready and nothing is Unhealthy", async () => {
  const lab = await cluster();
  const core = store(lab)
    .list('pods', 'kube-system')
    .items.filter((p) => p.metadata.name!.startsWith('coredns-'));
  assert.equal(core.length, 2);
  // kubectl describe prints each probe as DescribeProbe does (kubeadm's probes name their ports)
  const described = await run(lab, {}, 'kubectl', 'describe', 'pod', '-n', 'kube-system', core[0]!.metadata.name!);
  assert.match(
    described.out,
    /^ {4}Liveness: {5}http-get http:\/\/:liveness-probe\/health delay=60s timeout=5s period=10s #success=1 #failure=5\n {4}Readiness: {4}http-get http:\/\/:readiness-probe\/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n/m,
  );
  lab.advance(70_000); // past the liveness probe's initialDelaySeconds (60)
  for (const p of store(lab).list('pods').items) {
    const c = ((p.status as Obj).conditions as Obj[]).find((x) => x.type === 'Ready');
    assert.equal(c?.status, 'True', `${p.metadata.namespace}/${p.metadata.name} Ready`);
  }
  const events = await run(
    lab,
    {},
    'kubectl',
    'get',
    'events',
    '-A',
    '-o',
    'jsonpath={range .items[*]}{.involvedObject.name} {.reason} {.message}{"\\n"}{end}',
  );
  assert.match(events.out, /^etcd-kind-control-plane /m, 'the static pods have events');
  assert.doesNotMatch(events.out, /Unhealthy|Killing/);
  const etcd = await run(lab, {}, 'kubectl', 'get', 'pod', '-n', 'kube-system', 'etcd-kind-control-plane');
  assert.match(etcd.out, /^etcd-kind-control-plane +1\/1 +Running +0 /m);
});
