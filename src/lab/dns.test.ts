// Cluster DNS (issue 16, seed 002's DNS section): CoreDNS in its two kube-system pods answers
// queries sent through kube-dns's ClusterIP (kube-proxy's DNAT), pods get resolv.conf from their
// dnsPolicy, and the images' resolvers walk the search list as their C library does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from './index.js';
import { kindCluster, run } from './fixtures.js';

const cluster = (): Promise<Lab> => kindCluster(1);

const HTTP_GO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: http-go
spec:
  replicas: 1
  selector:
    matchLabels:
      app: http-go
  template:
    metadata:
      labels:
        app: http-go
    spec:
      containers:
      - name: http-go
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: http-go-svc
spec:
  type: NodePort
  selector:
    app: http-go
  ports:
  - port: 80
    targetPort: 80
`;

const exec = (lab: Lab, pod: string, ...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', pod, '--', ...cmd);

function podName(lab: Lab, prefix: string): string {
  const pods = lab.kind.get('kind')!.cluster.store.list('pods', 'default').items;
  return pods.find((p) => p.metadata.name!.startsWith(prefix))!.metadata.name!;
}

test('seed 002: curl http-go-svc by its FQDN, namespace-qualified and short name from a pod reaches the Service through CoreDNS', async () => {
  const lab = await cluster();
  const applied = await run(lab, { 'a.yaml': HTTP_GO }, 'kubectl', 'apply', '-f', 'a.yaml');
  assert.equal(applied.status, 0, applied.err);
  lab.advance(5000);
  const pod = podName(lab, 'http-go-');
  const rc = await exec(lab, pod, 'cat', '/etc/resolv.conf');
  assert.equal(rc.out, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  for (const name of ['http-go-svc.default.svc.cluster.local', 'http-go-svc.default', 'http-go-svc']) {
    const r = await exec(lab, pod, 'curl', '-s', name);
    assert.equal(r.status, 0, `${name}: ${r.err}`);
    assert.match(r.out, /Welcome to nginx!/, name);
  }
  const bad = await exec(lab, pod, 'curl', '-sS', 'srv-jenkins.blue:8080');
  assert.equal(bad.status, 6);
  assert.match(bad.err, /curl: \(6\) Could not resolve host: srv-jenkins\.blue\n/);
});

const NETPOD = `apiVersion: v1
kind: Pod
metadata:
  name: netpod
spec:
  containers:
  - name: netshoot
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
---
apiVersion: v1
kind: Pod
metadata:
  name: debian
spec:
  containers:
  - name: nginx
    image: nginx
`;

const COREFILE_WITH_LOG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        log
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
`;

test("seed 002: the coredns ConfigMap holds kind's Corefile, and kube-dns is 10.96.0.10 with ports 53/UDP,53/TCP,9153/TCP", async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'p.yaml': NETPOD }, 'kubectl', 'apply', '-f', 'p.yaml')).status, 0);
  lab.advance(5000);
  const cm = await run(lab, {}, 'kubectl', 'get', 'configmap', 'coredns', '-n', 'kube-system', '-o', 'yaml');
  assert.equal(cm.status, 0, cm.err);
  assert.ok(
    cm.out.startsWith(
      'apiVersion: v1\ndata:\n  Corefile: |\n    .:53 {\n        errors\n        health {\n           lameduck 5s\n        }\n        ready\n        kubernetes cluster.local in-addr.arpa ip6.arpa {\n           pods insecure\n           fallthrough in-addr.arpa ip6.arpa\n           ttl 30\n        }\n        prometheus :9153\n        forward . /etc/resolv.conf {\n           max_concurrent 1000\n        }\n        cache 30 {\n           disable success cluster.local\n           disable denial cluster.local\n        }\n        loop\n        reload\n        loadbalance\n    }\nkind: ConfigMap\n',
    ),
    cm.out,
  );
  const svc = await run(lab, {}, 'kubectl', 'get', 'svc', '-n', 'kube-system', 'kube-dns');
  assert.match(svc.out, /^kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+/m);
  // both replicas answer on the pod network; health and ready answer OK
  const pods = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'kube-system')
    .items.filter((p) => p.metadata.name!.startsWith('coredns-'));
  assert.equal(pods.length, 2);
  for (const p of pods) {
    const ip = (p.status as { podIP: string }).podIP;
    const r = await exec(lab, 'netpod', 'dig', `@${ip}`, '+short', 'kubernetes.default.svc.cluster.local');
    assert.equal(r.out, '10.96.0.1\n', r.err);
    assert.equal((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', '-s', `http://${ip}:8080/health`)).out, 'OK');
    assert.equal((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', '-s', `http://${ip}:8181/ready`)).out, 'OK');
  }
});

test('seed 002: a pod with hostname and subdomain is <hostname>.<subdomain>.<ns>.svc.cluster.local once a headless Service of that name selects it', async () => {
  const lab = await cluster();
  const objs = `${NETPOD}---
apiVersion: v1
kind: Pod
metadata:
  name: busybox-1
  labels:
    name: busybox
spec:
  hostname: busybox-1
  subdomain: default-subdomain
  containers:
  - name: busybox
    image: busybox
    command: ["sleep", "3600"]
`;
  assert.equal((await run(lab, { 'p.yaml': objs }, 'kubectl', 'apply', '-f', 'p.yaml')).status, 0);
  lab.advance(5000);
  const fqdn = 'busybox-1.default-subdomain.default.svc.cluster.local';
  const before = await exec(lab, 'netpod', 'dig', '+noall', '+comments', fqdn);
  assert.match(before.out, /status: NXDOMAIN/);
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: default-subdomain
spec:
  clusterIP: None
  selector:
    name: busybox
  ports:
  - name: foo
    port: 1234
`;
  assert.equal((await run(lab, { 's.yaml': svc }, 'kubectl', 'apply', '-f', 's.yaml')).status, 0);
  lab.advance(2000);
  const ip = (lab.kind.get('kind')!.cluster.store.get('pods', 'default', 'busybox-1').status as { podIP: string }).podIP;
  assert.equal((await exec(lab, 'netpod', 'dig', '+short', fqdn)).out, `${ip}\n`);
  // its SRV names the pod by its hostname; the pod's dashed-IP name answers too (pods insecure)
  assert.equal(
    (await exec(lab, 'netpod', 'dig', '+short', 'SRV', '_foo._tcp.default-subdomain.default.svc.cluster.local')).out,
    `0 100 1234 ${fqdn}.\n`,
  );
  assert.equal((await exec(lab, 'netpod', 'dig', '+short', `${ip.replace(/\./g, '-')}.default.pod.cluster.local`)).out, `${ip}\n`);
  assert.equal((await exec(lab, 'netpod', 'dig', '+short', '-x', ip)).out, `${fqdn}.\n`);
});

test('the search walk: with ndots:5 curl asks A and AAAA for each candidate until one answers (CoreDNS log plugin lines after a Corefile reload)', async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'a.yaml': HTTP_GO }, 'kubectl', 'apply', '-f', 'a.yaml')).status, 0);
  assert.equal((await run(lab, { 'p.yaml': NETPOD }, 'kubectl', 'apply', '-f', 'p.yaml')).status, 0);
  assert.equal((await run(lab, { 'c.yaml': COREFILE_WITH_LOG }, 'kubectl', 'apply', '-f', 'c.yaml')).status, 0);
  lab.advance(31_000); // reload checks every 30 s
  const corePods = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'kube-system')
    .items.filter((p) => p.metadata.name!.startsWith('coredns-'))
    .map((p) => p.metadata.name!);
  const logs = async () =>
    (await Promise.all(corePods.map((p) => run(lab, {}, 'kubectl', 'logs', '-n', 'kube-system', p)))).map((r) => r.out).join('');
  assert.match(await logs(), /\[INFO\] Reloading complete/);
  const queryLines = async () =>
    (await Promise.all(corePods.map((p) => run(lab, {}, 'kubectl', 'logs', '-n', 'kube-system', p)))).map((r) =>
      r.out.split('\n').filter((l) => / - \d+ "/.test(l)),
    );
  const queries = async (cmd: string[], status = 0) => {
    const before = await queryLines();
    const r = await exec(lab, cmd[0]!, ...cmd.slice(1));
    assert.equal(r.status, status, r.err);
    const after = await queryLines();
    return after
      .flatMap((lines, i) => lines.slice(before[i]!.length))
      .map((l) => /"(\w+) IN (\S+) udp \d+ \w+ \d+" (\w+)/.exec(l)!.slice(1).join(' '));
  };
  // same namespace: the first search domain answers, A and AAAA (NODATA for AAAA)
  const short = await queries(['debian', 'curl', '-s', 'http-go-svc']);
  assert.deepEqual(short.sort(), [
    'A http-go-svc.default.svc.cluster.local. NOERROR',
    'AAAA http-go-svc.default.svc.cluster.local. NOERROR',
  ]);
  // http-go-svc.default.svc has 2 dots < 5: the third search domain makes the name that answers
  for (const pod of ['debian', 'netpod']) {
    const walk = await queries([pod, 'curl', '-s', 'http-go-svc.default.svc']);
    assert.equal(walk.length, 6, walk.join('\n'));
    // (two replicas' logs: the order across them is not kept)
    assert.deepEqual(walk.filter((l) => l.startsWith('A ')).sort(), [
      'A http-go-svc.default.svc.cluster.local. NOERROR',
      'A http-go-svc.default.svc.default.svc.cluster.local. NXDOMAIN',
      'A http-go-svc.default.svc.svc.cluster.local. NXDOMAIN',
    ]);
  }
  // 5 dots: glibc asks the name as is first, musl only as is
  const glibc = await queries(['debian', 'curl', '-s', 'http-go-svc.default.svc.cluster.local.x'], 6);
  assert.deepEqual(
    glibc
      .filter((l) => l.startsWith('A '))
      .map((l) => l.split(' ')[1])
      .sort(),
    [
      'http-go-svc.default.svc.cluster.local.x.',
      'http-go-svc.default.svc.cluster.local.x.cluster.local.',
      'http-go-svc.default.svc.cluster.local.x.default.svc.cluster.local.',
      'http-go-svc.default.svc.cluster.local.x.svc.cluster.local.',
    ],
  );
  const musl = await queries(['netpod', 'curl', '-s', 'http-go-svc.default.svc.cluster.local.x'], 6);
  assert.deepEqual(musl.sort(), [
    'A http-go-svc.default.svc.cluster.local.x. NXDOMAIN',
    'AAAA http-go-svc.default.svc.cluster.local.x. NXDOMAIN',
  ]);
});

test('nslookup and host (netshoot, BIND 9.18) and getent hosts (Debian) walk the search list and print in their own words', async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'a.yaml': HTTP_GO }, 'kubectl', 'apply', '-f', 'a.yaml')).status, 0);
  assert.equal((await run(lab, { 'p.yaml': NETPOD }, 'kubectl', 'apply', '-f', 'p.yaml')).status, 0);
  lab.advance(5000);
  const ip = (lab.kind.get('kind')!.cluster.store.get('services', 'default', 'http-go-svc').spec as { clusterIP: string }).clusterIP;
  const ns = await exec(lab, 'netpod', 'nslookup', 'http-go-svc');
  assert.equal(
    ns.out,
    `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\thttp-go-svc.default.svc.cluster.local\nAddress: ${ip}\n\n`,
  );
  const nx = await exec(lab, 'netpod', 'nslookup', 'srv-jenkins.blue');
  assert.equal(nx.status, 1);
  assert.equal(nx.out, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find srv-jenkins.blue: NXDOMAIN\n\n");
  assert.equal((await exec(lab, 'netpod', 'host', 'http-go-svc')).out, `http-go-svc.default.svc.cluster.local has address ${ip}\n`);
  assert.equal((await exec(lab, 'netpod', 'host', 'nope')).out, 'Host nope not found: 3(NXDOMAIN)\n');
  assert.equal(
    (await exec(lab, 'netpod', 'host', ip)).out,
    `${ip.split('.').reverse().join('.')}.in-addr.arpa domain name pointer http-go-svc.default.svc.cluster.local.\n`,
  );
  const pod = podName(lab, 'http-go-');
  assert.equal((await exec(lab, pod, 'getent', 'hosts', 'http-go-svc')).out, `${ip.padEnd(15)} http-go-svc.default.svc.cluster.local\n`);
  assert.equal((await exec(lab, pod, 'getent', 'hosts', 'nope')).status, 2);
  // the upstream beyond CoreDNS: documented names only, not authoritative
  assert.equal(
    (await exec(lab, 'netpod', 'nslookup', 'example.com')).out,
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 192.0.2.10\n\n',
  );
});

test("a kind node resolves through the Docker host's resolver at the network gateway (its resolv.conf): documented names only", async () => {
  const lab = await cluster();
  const ok = await run(lab, {}, 'docker', 'exec', 'kind-worker', 'curl', '-sS', '-m', '1', 'example.com');
  // the name resolved (192.0.2.10, a documentation address nothing answers): the connection times out
  assert.equal(ok.status, 28, ok.err);
  assert.match(ok.err, /^curl: \(28\) Connection timed out after 1000 milliseconds\n$/);
  const nx = await run(lab, {}, 'docker', 'exec', 'kind-worker', 'curl', '-sS', '-m', '1', 'nope.invalid');
  assert.equal(nx.status, 6);
  assert.equal(nx.err, 'curl: (6) Could not resolve host: nope.invalid\n');
});
