// kubernetes.io "Debugging DNS Resolution", run as its text gives it: the dnsutils pod
// (registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3, `sleep infinity`), `kubectl exec -i -t
// dnsutils -- nslookup kubernetes.default`, the pod's resolv.conf, and CoreDNS's pods and logs by
// the k8s-app=kube-dns label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';

const DNSUTILS = `apiVersion: v1
kind: Pod
metadata:
  name: dnsutils
  namespace: default
spec:
  containers:
  - name: dnsutils
    image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
    command:
      - sleep
      - "infinity"
    imagePullPolicy: IfNotPresent
  restartPolicy: Always
`;

test('Debugging DNS Resolution: the dnsutils pod resolves kubernetes.default; CoreDNS logs by label', async () => {
  const lab = await kindCluster(0, DNSUTILS);
  const ok = async (...argv: string[]) => {
    const r = await run(lab, {}, ...argv);
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
    return r.out;
  };
  assert.match(await ok('kubectl', 'get', 'pods', 'dnsutils'), /\ndnsutils +1\/1 +Running +0 +/);
  assert.equal(
    await ok('kubectl', 'exec', '-i', '-t', 'dnsutils', '--', 'nslookup', 'kubernetes.default'),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
  );
  assert.equal(await ok('kubectl', 'exec', 'dnsutils', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local'), '10.96.0.1\n');
  assert.equal(
    await ok('kubectl', 'exec', '-ti', 'dnsutils', '--', 'cat', '/etc/resolv.conf'),
    'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  );

  const pods = (await ok('kubectl', 'get', 'pods', '--namespace=kube-system', '-l', 'k8s-app=kube-dns', '-o', 'name')).trim().split('\n');
  assert.equal(pods.length, 2);
  // each pod's log in turn (the last 10 lines of each), as `kubectl logs POD` prints it
  const one = (pod: string) => ok('kubectl', 'logs', '--namespace=kube-system', pod);
  const all = await ok('kubectl', 'logs', '--namespace=kube-system', '-l', 'k8s-app=kube-dns');
  assert.equal(all, (await one(pods[0]!)) + (await one(pods[1]!)));
  assert.match(all, /CoreDNS-\d+\.\d+\.\d+\n/);
  const prefixed = await ok('kubectl', 'logs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--prefix', '--tail=1');
  assert.equal(prefixed.split('\n').filter(Boolean).length, 2);
  assert.match(prefixed, /^\[pod\/coredns-[a-z0-9]+-[a-z0-9]{5}\/coredns\] CoreDNS-/);

  const both = await run(lab, {}, 'kubectl', 'logs', '-l', 'k8s-app=kube-dns', 'coredns');
  assert.equal(both.status, 1);
  assert.equal(both.err, "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples\n");
  const none = await run(lab, {}, 'kubectl', 'logs', '-l', 'k8s-app=kube-dns');
  assert.deepEqual([none.status, none.err], [0, 'No resources found in default namespace.\n']);
});

test("busybox:1.28 nslookup (the DNS pages' image) resolves through the C library with reverse names", async () => {
  const lab = await kindCluster(
    0,
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: b128\nspec:\n  containers:\n  - name: b\n    image: busybox:1.28\n    command: ["sleep", "3600"]\n',
  );
  const server = 'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n';
  const found = await run(lab, {}, 'kubectl', 'exec', 'b128', '--', 'nslookup', 'kubernetes.default');
  assert.equal(found.status, 0, found.err);
  assert.equal(found.out, `${server}Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n`);
  const missing = await run(lab, {}, 'kubectl', 'exec', 'b128', '--', 'nslookup', 'myservice.default.svc.cluster.local');
  assert.equal(missing.status, 1);
  assert.equal(missing.out, server);
  assert.equal(missing.err, "nslookup: can't resolve 'myservice.default.svc.cluster.local'\ncommand terminated with exit code 1\n");
  // today's busybox keeps its own nslookup: a dotted name is asked bare, so NXDOMAIN
  const latest = await run(
    lab,
    {},
    'kubectl',
    'run',
    'b',
    '-i',
    '--rm',
    '--restart=Never',
    '--image=busybox:1.37',
    '--',
    'nslookup',
    'kubernetes.default',
  );
  assert.match(latest.out, /\*\* server can't find kubernetes\.default: NXDOMAIN/);
});

// the page's dnsutils.yaml today (kubernetes/website main, 2025): agnhost 2.39 with no command, so its CMD `pause`
const DNSUTILS_AGNHOST = `apiVersion: v1
kind: Pod
metadata:
  name: dnsutils
  namespace: default
spec:
  containers:
  - name: dnsutils
    image: registry.k8s.io/e2e-test-images/agnhost:2.39
    imagePullPolicy: IfNotPresent
  restartPolicy: Always
`;

test("Debugging DNS Resolution with today's agnhost dnsutils pod: Running on its CMD pause, BIND's nslookup and dig in it", async () => {
  const lab = await kindCluster(0, DNSUTILS_AGNHOST);
  const ok = async (...argv: string[]) => {
    const r = await run(lab, {}, ...argv);
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
    return r.out;
  };
  assert.match(await ok('kubectl', 'get', 'pods', 'dnsutils'), /\ndnsutils +1\/1 +Running +0 +/);
  assert.equal(
    await ok('kubectl', 'exec', '-i', '-t', 'dnsutils', '--', 'nslookup', 'kubernetes.default'),
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n',
  );
  assert.equal(await ok('kubectl', 'exec', 'dnsutils', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local'), '10.96.0.1\n');
  // no EmulatedGenerically event: the image is known
  assert.doesNotMatch(await ok('kubectl', 'get', 'events', '--field-selector', 'involvedObject.name=dnsutils'), /EmulatedGenerically/);
});
