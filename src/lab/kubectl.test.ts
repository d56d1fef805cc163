// kubectl in a lab: it finds the cluster of the current kind context, the controllers settle after
// each command, and without a cluster it answers as kubectl does with no API server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { standardLab, runByHand, type Lab } from './index.js';

const run = (lab: Lab, argv: string[], stdin?: string) => runByHand(lab, argv, stdin === undefined ? {} : { stdin });

/** Deployment `web` (app=web) whose pod spec is `podSpec`, indented as under `spec:`. */
const webDeployment = (podSpec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${podSpec}`;

test('kubectl without a cluster: the connection to the server is refused', async () => {
  const lab = standardLab();
  assert.deepEqual(await run(lab, ['kubectl', 'get', 'pods']), {
    status: 1,
    out: '',
    err: 'The connection to the server localhost:8080 was refused - did you specify the right host or port?\n',
    journaled: false,
  });
});

test("kubectl acts on the current kind cluster: nodes Ready (kindnet), a deployment's pods Running, writes journaled", async () => {
  const lab = standardLab();
  const cfg = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n';
  assert.equal((await run(lab, ['kind', 'create', 'cluster', '--config', '-'], cfg)).status, 0);
  const nodes = await run(lab, ['kubectl', 'get', 'nodes']);
  assert.equal(nodes.journaled, false);
  assert.equal(
    nodes.out,
    'NAME                 STATUS   ROLES           AGE   VERSION\nkind-control-plane   Ready    control-plane   0s    v1.36.1\nkind-worker          Ready    <none>          0s    v1.36.1\nkind-worker2         Ready    <none>          0s    v1.36.1\n',
  );
  const created = await run(lab, ['kubectl', 'create', 'deployment', 'web', '--image=nginx', '--replicas=3']);
  assert.deepEqual([created.status, created.out, created.journaled], [0, 'deployment.apps/web created\n', true]);
  const pods = await run(lab, ['kubectl', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}']);
  assert.equal(pods.out, 'Running\nRunning\nRunning\n');
  assert.equal((await run(lab, ['kubectl', 'config', 'current-context'])).out, 'kind-kind\n');
});

test('kubectl rollout status on the manual clock lets virtual time pass: the kubelets retry a failed sandbox and the rollout finishes', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  // Without ptp the pods' sandboxes fail; kubelet retries them after its back-off (virtual time).
  assert.equal((await run(lab, ['docker', 'exec', 'kind-control-plane', 'mv', '/opt/cni/bin/ptp', '/root/ptp'])).status, 0);
  assert.equal((await run(lab, ['kubectl', 'create', 'deployment', 'web', '--image=nginx', '--replicas=3'])).status, 0);
  assert.equal((await run(lab, ['docker', 'exec', 'kind-control-plane', 'mv', '/root/ptp', '/opt/cni/bin/ptp'])).status, 0);
  const start = lab.clock.now();
  const c = { out: '', err: '' };
  const stuck = new AbortController();
  const guard = setTimeout(() => stuck.abort(), 20_000);
  const r = await lab.run(['kubectl', 'rollout', 'status', 'deployment/web'], {
    stdout: (t) => void (c.out += t),
    stderr: (t) => void (c.err += t),
    readFile: () => undefined,
    writeFile: () => {},
    signal: stuck.signal,
  });
  clearTimeout(guard);
  assert.equal(stuck.signal.aborted, false, `rollout status hung after:\n${c.out}`);
  assert.deepEqual([r.status, c.err], [0, '']);
  assert.equal(
    c.out,
    'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n' +
      'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n' +
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n' +
      'deployment "web" successfully rolled out\n',
  );
  // It ran the clock up to the kubelet's first retry (10 s after the failure), not beyond.
  assert.ok(lab.clock.now() - start > 9_000 && lab.clock.now() - start <= 10_000, `${lab.clock.now() - start} ms`);
});

test('kubectl rollout status of a rollout that cannot finish ends at the progress deadline (600 s of virtual time), as on a cluster', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  // No plugin binary at all: every sandbox fails, the rollout never moves.
  assert.equal((await run(lab, ['docker', 'exec', 'kind-control-plane', 'rm', '/opt/cni/bin/ptp'])).status, 0);
  assert.equal((await run(lab, ['kubectl', 'create', 'deployment', 'web', '--image=nginx'])).status, 0);
  const start = lab.clock.now();
  const r = await run(lab, ['kubectl', 'rollout', 'status', 'deployment/web']);
  assert.deepEqual(
    [r.status, r.out, r.err],
    [
      1,
      'Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are available...\n',
      'error: deployment "web" exceeded its progress deadline\n',
    ],
  );
  const waited = lab.clock.now() - start;
  assert.ok(waited >= 600_000 && waited <= 602_000, `${waited} ms`);
  const cond = await run(lab, [
    'kubectl',
    'get',
    'deployment',
    'web',
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Progressing")].status} {.status.conditions[?(@.type=="Progressing")].reason}: {.status.conditions[?(@.type=="Progressing")].message}',
  ]);
  assert.equal(
    cond.out,
    `False ProgressDeadlineExceeded: ReplicaSet "${/web-[a-z0-9]+/.exec((await run(lab, ['kubectl', 'get', 'rs', '-o', 'name'])).out)![0]}" has timed out progressing.`,
  );
  // Once timed out, a second rollout status fails at once.
  assert.deepEqual(await run(lab, ['kubectl', 'rollout', 'status', 'deployment/web']), {
    status: 1,
    out: '',
    err: 'error: deployment "web" exceeded its progress deadline\n',
    journaled: false,
  });
});

test('kubectl global flags before a command with a subcommand: --context NAME rollout status', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster', '--name', 'w'])).status, 0);
  assert.equal((await run(lab, ['kubectl', '--context', 'kind-w', 'create', 'deployment', 'web', '--image=nginx'])).status, 0);
  assert.deepEqual(await run(lab, ['kubectl', '--context', 'kind-w', 'rollout', 'status', 'deployment/web']), {
    status: 0,
    out: 'deployment "web" successfully rolled out\n',
    err: '',
    journaled: false,
  });
  // right after kind create (no --wait) CoreDNS's pods wait for their first readiness probe, as on a cluster
  assert.equal(
    (await run(lab, ['kubectl', '-n', 'kube-system', '--context', 'kind-w', 'rollout', 'status', 'deployment', 'coredns'])).out,
    'Waiting for deployment "coredns" rollout to finish: 0 of 2 updated replicas are available...\ndeployment "coredns" successfully rolled out\n',
  );
});

test("kubectl describe: a pod's events carry the kubelet's Created/Started (and Killing on delete), a DaemonSet is described as kubectl's describeDaemonSet prints it", async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  assert.equal((await run(lab, ['kubectl', 'run', 'web', '--image=nginx'])).status, 0);
  const pod = await run(lab, ['kubectl', 'describe', 'pod', 'web']);
  assert.match(
    pod.out,
    /\n {2}Normal {2}Scheduled {2}0s {4}default-scheduler {2}Successfully assigned default\/web to kind-control-plane\n {2}Normal {2}Created {4}0s {4}kubelet {12}Created container: web\n {2}Normal {2}Started {4}0s {4}kubelet {12}Started container web\n$/,
  );
  assert.equal((await run(lab, ['kubectl', 'delete', 'pod', 'web', '--wait=false'])).status, 0);
  assert.match(
    (await run(lab, ['kubectl', 'get', 'events', '--field-selector', 'reason=Killing'])).out,
    /Normal {3}Killing {3}pod\/web {3}Stopping container web\n/,
  );
  const ds = await run(lab, ['kubectl', 'describe', 'ds', '-n', 'kube-system', 'kindnet']);
  assert.match(
    ds.out,
    /^Name: {11}kindnet\nNamespace: {6}kube-system\nSelector: {7}app=kindnet\nNode-Selector: {2}kubernetes\.io\/os=linux\nLabels: {9}app=kindnet\n/,
  );
  assert.match(
    ds.out,
    /\nDesired Number of Nodes Scheduled: 1\nCurrent Number of Nodes Scheduled: 1\nNumber of Nodes Scheduled with Up-to-date Pods: 1\nNumber of Nodes Scheduled with Available Pods: 1\nNumber of Nodes Misscheduled: 0\nPods Status: {2}1 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\nPod Template:\n/,
  );
  assert.match(ds.out, /\n {2}Normal {2}SuccessfulCreate {2}0s {4}daemonset-controller {2}Created pod: kindnet-[a-z0-9]{5}\n$/);
});

test('a container sees its configMap and secret volumes: kube-proxy reads the config.conf of its ConfigMap at /var/lib/kube-proxy, an items/subPath/secret mount lands where the pod says', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  const conf = await run(lab, ['kubectl', 'exec', '-n', 'kube-system', 'ds/kube-proxy', '--', 'cat', '/var/lib/kube-proxy/config.conf']);
  assert.match(conf.out, /^apiVersion: kubeproxy\.config\.k8s\.io\/v1alpha1\n[^]*\nmode: iptables\n$/);
  const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: app}
data: {a.txt: "alpha\\n", b.txt: "beta\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {password: c2VjcmV0}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  containers:
  - name: c
    image: nginx
    volumeMounts:
    - {name: cfg, mountPath: /etc/app}
    - {name: one, mountPath: /etc/only-b.txt, subPath: b.txt}
    - {name: sec, mountPath: /run/creds, readOnly: true}
  volumes:
  - {name: cfg, configMap: {name: app, items: [{key: a.txt, path: conf/a.conf}]}}
  - {name: one, configMap: {name: app}}
  - {name: sec, secret: {secretName: creds, defaultMode: 0400}}
`;
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], manifest)).status, 0);
  const r = await run(lab, [
    'kubectl',
    'exec',
    'reader',
    '--',
    'bash',
    '-c',
    'cat /etc/app/conf/a.conf /etc/only-b.txt /run/creds/password; echo; ls /etc/app; ls -l /run/creds | tail -1',
  ]);
  assert.match(r.out, /^alpha\nbeta\nsecret\nconf\n-r-------- 1 root root 6 .* password\n$/);
});

test('kubectl patch --subresource status changes only the status (a LoadBalancer gets its EXTERNAL-IP as a load-balancer implementation would set it)', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  assert.equal((await run(lab, ['kubectl', 'create', 'service', 'loadbalancer', 'web', '--tcp=80:80'])).status, 0);
  const patched = await run(lab, [
    'kubectl',
    'patch',
    'svc',
    'web',
    '--subresource',
    'status',
    '--type',
    'merge',
    '-p',
    '{"status":{"loadBalancer":{"ingress":[{"ip":"172.18.255.200"}]}},"spec":{"type":"ClusterIP"}}',
  ]);
  assert.deepEqual([patched.status, patched.out], [0, 'service/web patched\n']);
  assert.equal(
    (await run(lab, ['kubectl', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.type} {.status.loadBalancer.ingress[0].ip}'])).out,
    'LoadBalancer 172.18.255.200',
  );
  // On the main resource, the same patch leaves status alone (the status subresource owns it).
  assert.equal((await run(lab, ['kubectl', 'patch', 'svc', 'web', '--type', 'merge', '-p', '{"status":{"loadBalancer":{}}}'])).status, 0);
  assert.equal(
    (await run(lab, ['kubectl', 'get', 'svc', 'web', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).out,
    '172.18.255.200',
  );
  assert.equal(
    (await run(lab, ['kubectl', 'patch', 'svc', 'web', '--subresource', 'bogus', '-p', '{}'])).err,
    'error: invalid subresource value: "bogus". Must be one of [status scale]\n',
  );
});

test('kubectl patch and apply that change nothing: "patched (no change)" and "unchanged", the resourceVersion kept, no watch event', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  const web = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], web)).out, 'service/web created\n');
  const rv = async () => (await run(lab, ['kubectl', 'get', 'svc', 'web', '-o', 'jsonpath={.metadata.resourceVersion}'])).out;
  const before = await rv();
  const api = lab.kind.byContext()!.cluster.api;
  const events: string[] = [];
  const stop = api.watch('services', 'default', { resourceVersion: api.list('services').resourceVersion }, (e) => events.push(e.type));
  const same = await run(lab, ['kubectl', 'patch', 'svc', 'web', '-p', '{"spec":{"selector":{"app":"web"}}}']);
  assert.deepEqual([same.status, same.out], [0, 'service/web patched (no change)\n']);
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], web)).out, 'service/web unchanged\n');
  // a label put back as it was: the API server's write is skipped
  assert.equal((await run(lab, ['kubectl', 'label', 'svc', 'web', 'tier=x'])).status, 0);
  const labelled = await rv();
  assert.notEqual(labelled, before);
  const again = await run(lab, ['kubectl', 'patch', 'svc', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":"x"}}}']);
  assert.equal(again.out, 'service/web patched (no change)\n');
  assert.equal(await rv(), labelled);
  stop();
  assert.deepEqual(events, ['MODIFIED'], 'only the label change was an event');
});

test("kubectl explain: a built-in kind from Kubernetes' descriptions, a custom resource from its CRD's schema", async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  const pod = await run(lab, ['kubectl', 'explain', 'pod']);
  assert.equal(pod.status, 0);
  assert.match(pod.out, /^KIND: {7}Pod\nVERSION: {4}v1\n\nDESCRIPTION:\n {4}Pod is a collection of containers that can run on a host\./);
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: Widget is a thing made of parts.
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            description: What the widget should be.
            type: object
            required: [size]
            properties:
              size: {type: string, enum: [small, large], description: How big it is.}
              parts: {type: array, items: {type: string}}
`;
  const applied = await run(lab, ['kubectl', 'apply', '-f', '-'], crd);
  assert.equal(applied.status, 0, applied.err);
  const spec = await run(lab, ['kubectl', 'explain', 'widgets.spec']);
  assert.equal(
    spec.out,
    'GROUP:      example.com\nKIND:       Widget\nVERSION:    v1\n\nFIELD: spec <Object>\n\n\nDESCRIPTION:\n    What the widget should be.\n    \nFIELDS:\n' +
      '  parts\t<[]string>\n    <no description>\n\n  size\t<string> -required-\n  enum: small, large\n    How big it is.\n\n\n',
  );
  const top = await run(lab, ['kubectl', 'explain', 'widget', '--recursive']);
  assert.match(top.out, /\n {2}metadata\t<ObjectMeta>\n {4}annotations\t<map\[string\]string>\n/);
  const missing = await run(lab, ['kubectl', 'explain', 'widgets.spec.colour']);
  assert.deepEqual([missing.status, missing.err], [1, 'error: field "colour" does not exist\n']);
});

test('kubectl rollout status and kubectl wait time out in virtual time when the condition never comes (a pod never Ready)', {
  timeout: 60_000,
}, async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  const never = webDeployment(`      containers:
      - name: nginx
        image: nginx
        readinessProbe:
          httpGet: {port: 81}
`);
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], never)).status, 0);
  const at = lab.clock.now();
  const rollout = await run(lab, ['kubectl', 'rollout', 'status', 'deploy/web', '--timeout=30s']);
  assert.deepEqual([rollout.status, rollout.err], [1, 'error: timed out waiting for the condition\n']);
  // 30 s of virtual time (to the millisecond: the API clock counts from 2026, the lab clock from 0)
  assert.ok(Math.abs(lab.clock.now() - at - 30_000) < 1, String(lab.clock.now() - at));
  const waited = await run(lab, ['kubectl', 'wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=10s']);
  assert.equal(waited.status, 1);
  assert.match(waited.err, /timed out waiting for the condition on pods\/web-/);
});

test('kubectl set image: the named containers (init ones too, * every one) take the image, in kubectl v1.32.4 words', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  const web = webDeployment(`      initContainers:
      - {name: init, image: busybox}
      containers:
      - {name: nginx, image: nginx}
      - {name: side, image: busybox}
`);
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], web)).status, 0);
  const images = async () =>
    (
      await run(lab, [
        'kubectl',
        'get',
        'deploy',
        'web',
        '-o',
        'jsonpath={.spec.template.spec.initContainers[*].image} {.spec.template.spec.containers[*].image}',
      ])
    ).out;
  assert.deepEqual(await run(lab, ['kubectl', 'set', 'image', 'deployment/web', 'nginx=nginx:1.27']), {
    status: 0,
    out: 'deployment.apps/web image updated\n',
    err: '',
    journaled: true,
  });
  assert.equal(await images(), 'busybox nginx:1.27 busybox');
  // nothing to change: nothing printed
  assert.equal((await run(lab, ['kubectl', 'set', 'image', 'deploy', 'web', 'nginx=nginx:1.27'])).out, '');
  const unknown = await run(lab, ['kubectl', 'set', 'image', 'deploy/web', 'nope=x']);
  assert.deepEqual([unknown.status, unknown.err], [1, 'error: unable to find container named "nope"\n']);
  const none = await run(lab, ['kubectl', 'set', 'image', 'deploy/web']);
  assert.deepEqual([none.status, none.err], [1, 'error: at least one image update is required\n']);
  assert.equal((await run(lab, ['kubectl', 'set', 'image', 'deploy/web', '*=busybox:1.36'])).status, 0);
  assert.equal(await images(), 'busybox:1.36 busybox:1.36 busybox:1.36');
});

test('kubectl delete -f of a namespace with running pods: the kubelets stop them (their events refused in the terminating namespace) and the namespace goes', async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  lab.advance(2000);
  // trimmed from ingress-nginx's deploy/static/provider/kind/deploy.yaml (controller-v1.15.1): its namespace and a Job
  const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
---
apiVersion: batch/v1
kind: Job
metadata:
  name: ingress-nginx-admission-create
  namespace: ingress-nginx
spec:
  template:
    spec:
      containers:
      - name: create
        image: registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9
      restartPolicy: OnFailure
`;
  assert.equal((await runByHand(lab, ['kubectl', 'apply', '-f', 'ingress.yaml'], { files: { 'ingress.yaml': manifest } })).status, 0);
  lab.advance(5000);
  const del = await runByHand(lab, ['kubectl', 'delete', '-f', 'ingress.yaml'], { files: { 'ingress.yaml': manifest } });
  assert.equal(del.status, 0, del.err);
  assert.equal(
    del.out,
    'namespace "ingress-nginx" deleted\njob.batch "ingress-nginx-admission-create" deleted from ingress-nginx namespace\n',
  );
  lab.advance(60_000);
  const ns = await run(lab, ['kubectl', 'get', 'ns', 'ingress-nginx']);
  assert.equal(ns.err, 'Error from server (NotFound): namespaces "ingress-nginx" not found\n');
});

test("kubernetes.io's Deployment page: rollout history with the change-cause, --revision's template, undo, pause and resume", async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster'])).status, 0);
  lab.advance(2000);
  // kubernetes.io/examples/controllers/nginx-deployment.yaml (website main, 2025)
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
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
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`;
  const ok = async (argv: string[]) => {
    const r = await runByHand(lab, argv, { files: { 'nginx-deployment.yaml': manifest } });
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
    lab.advance(5000);
    return r.out;
  };
  await ok(['kubectl', 'apply', '-f', 'nginx-deployment.yaml']);
  await ok(['kubectl', 'set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.16.1']);
  await ok(['kubectl', 'annotate', 'deployment/nginx-deployment', 'kubernetes.io/change-cause=image updated to 1.16.1']);
  assert.equal(
    await ok(['kubectl', 'rollout', 'history', 'deployment/nginx-deployment']),
    'deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image updated to 1.16.1\n\n',
  );
  assert.equal(
    await ok([
      'kubectl',
      'get',
      'deploy',
      'nginx-deployment',
      '-o',
      'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}',
    ]),
    '2',
  );
  const rev2 = await ok(['kubectl', 'rollout', 'history', 'deployment/nginx-deployment', '--revision=2']);
  assert.match(
    rev2,
    /^deployment\.apps\/nginx-deployment with revision #2\nPod Template:\n {2}Labels:\tapp=nginx\n\tpod-template-hash=[0-9a-z]+\n {2}Annotations:\tkubernetes\.io\/change-cause: image updated to 1\.16\.1\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.16\.1\n/,
  );
  assert.equal(await ok(['kubectl', 'rollout', 'undo', 'deployment/nginx-deployment']), 'deployment.apps/nginx-deployment rolled back\n');
  assert.equal(
    await ok(['kubectl', 'get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']),
    'nginx:1.14.2',
  );
  assert.equal(
    await ok(['kubectl', 'rollout', 'history', 'deployment/nginx-deployment']),
    'deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n2         image updated to 1.16.1\n3         <none>\n\n',
  );
  const missing = await run(lab, ['kubectl', 'rollout', 'undo', 'deployment/nginx-deployment', '--to-revision=9']);
  assert.equal(missing.err, 'error: unable to find specified revision 9 in history\n');
  assert.equal(await ok(['kubectl', 'rollout', 'pause', 'deployment/nginx-deployment']), 'deployment.apps/nginx-deployment paused\n');
  assert.equal(
    (await run(lab, ['kubectl', 'rollout', 'undo', 'deployment/nginx-deployment'])).err,
    "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n",
  );
  assert.equal(await ok(['kubectl', 'rollout', 'resume', 'deployment/nginx-deployment']), 'deployment.apps/nginx-deployment resumed\n');
  assert.equal(
    (await run(lab, ['kubectl', 'rollout', 'resume', 'deployment/nginx-deployment'])).err,
    'error: deployments.apps "nginx-deployment" is not paused\n',
  );
});
