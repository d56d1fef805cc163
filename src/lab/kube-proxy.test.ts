// kube-proxy (iptables mode) on every kind node (issue 13): the DaemonSet's pod on each node runs
// kube-proxy, which reads the kube-proxy ConfigMap, watches Services and EndpointSlices and writes
// upstream's chains into the node's netfilter through iptables-restore; the emulated kernel then
// DNATs and masquerades the packets as Linux does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';
import { kindConfig, whoamiWeb } from './fixtures.js';

const KIND = kindConfig(2);

const WEB = `${whoamiWeb(2)}---
apiVersion: v1
kind: Service
metadata:
  name: web-np
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
`;

const io = (files: Record<string, string> = {}) => captured({ files });

async function run(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const c = io(files);
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err };
}

const ROOT = new URL('../../../', import.meta.url);

async function cluster(config = KIND, name = 'kind'): Promise<Lab> {
  const lab = standardLab();
  const r = await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', name);
  assert.equal(r.status, 0, r.err);
  lab.advance(10_000); // every kindnetd's next pass routes the nodes that joined after its first
  return lab;
}

const NETPOD = `apiVersion: v1
kind: Pod
metadata:
  name: netpod
spec:
  containers:
  - name: netshoot
    image: nicolaka/netshoot
    command: ["tail"]
    args: ["-f", "/dev/null"]
  terminationGracePeriodSeconds: 0
`;

const sh = (lab: Lab, node: string, cmd: string) => run(lab, {}, 'docker', 'exec', node, 'bash', '-c', cmd);
const NODES = ['kind-control-plane', 'kind-worker', 'kind-worker2'];
// upstream's names: "KUBE-SVC-" + base32(sha256("default/web:http" + "tcp"))[:16], and so on
const WEB_SVC = 'KUBE-SVC-CDGGSHYLG3RE2FKL';
const NP_SVC = 'KUBE-SVC-4UDSYVHJNXWHWIRT';
const NP_EXT = 'KUBE-EXT-4UDSYVHJNXWHWIRT';

function clusterIP(lab: Lab, name: string): string {
  return (lab.kind.get('kind')!.cluster.store.get('services', 'default', name).spec as { clusterIP: string }).clusterIP;
}

test('kube-proxy on every kind node writes the chains upstream writes for a ClusterIP and a NodePort Service; deleting a Service removes its chains', async () => {
  const lab = await cluster();
  const applied = await run(lab, { 'web.yaml': WEB }, 'kubectl', 'apply', '-f', 'web.yaml');
  assert.equal(applied.status, 0, applied.err);
  lab.advance(2000);
  const ip = clusterIP(lab, 'web');
  for (const node of NODES) {
    const r = await sh(lab, node, 'iptables -t nat -S | grep 10.96');
    assert.equal(r.status, 0, r.err);
    assert.ok(
      r.out.includes(
        `-A KUBE-SERVICES -d ${ip}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j ${WEB_SVC}\n`,
      ),
      `${node}:\n${r.out}`,
    );
    assert.ok(
      r.out.includes(
        `-A ${WEB_SVC} ! -s 10.244.0.0/16 -d ${ip}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ\n`,
      ),
      r.out,
    );
    assert.ok(
      r.out.includes(
        '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y\n',
      ),
      r.out,
    );
    const all = (await sh(lab, node, 'iptables-save -t nat')).out;
    assert.match(
      all,
      new RegExp(
        `^-A ${WEB_SVC} -m comment --comment "default/web:http -> 10\\.244\\.\\d+\\.\\d+:80" -m statistic --mode random --probability 0\\.50000000000 -j KUBE-SEP-[A-Z2-7]{16}$`,
        'm',
      ),
    );
    assert.match(
      all,
      new RegExp(`^-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-np" -m tcp --dport 30080 -j ${NP_EXT}$`, 'm'),
    );
    assert.match(
      all,
      /^-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/m,
    );
    assert.match(
      all,
      /^-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully$/m,
    );
    // the jumps from the built-in chains, once each, and the canary in mangle
    assert.equal(
      all.split('\n').filter((l) => l === '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES').length,
      1,
      all,
    );
    assert.match((await sh(lab, node, 'iptables -t mangle -S')).out, /^-N KUBE-PROXY-CANARY$/m);
  }
  const deleted = await run(lab, {}, 'kubectl', 'delete', 'service', 'web');
  assert.equal(deleted.status, 0, deleted.err);
  lab.advance(2000);
  const after = (await sh(lab, 'kind-worker', 'iptables-save -t nat')).out;
  assert.ok(!after.includes(WEB_SVC) && !after.includes('"default/web:http'), after);
  assert.ok(after.includes(`:${NP_SVC} - [0:0]`), 'the NodePort Service stays');
  assert.equal((after.match(/^:KUBE-SEP-/gm) ?? []).length, 2 + 6 + 1, 'web-np 2, kube-dns 3 ports x 2, kubernetes 1');
});

test('a connection to a ClusterIP is DNATed to a pod (conntrack shows the tuple) and masqueraded from a node, not from a pod; a NodePort answers from another node', async () => {
  const lab = await cluster();
  await run(lab, { 'web.yaml': WEB }, 'kubectl', 'apply', '-f', 'web.yaml');
  lab.advance(2000);
  const ip = clusterIP(lab, 'web');
  const pods = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'default')
    .items.map((p) => (p.status as { podIP: string }).podIP);
  const nodeIP = (n: string) => lab.kind.get('kind')!.nodes.find((x) => x.name === n)!.ip;
  const cp = nodeIP('kind-control-plane');
  // from a node: the source (172.18.0.x, outside clusterCIDR) is marked and masqueraded (--random-fully: a new port)
  const r = await sh(
    lab,
    'kind-control-plane',
    `curl -sS -m 2 http://${ip}/ | grep -E '^(Hostname|RemoteAddr)'; conntrack -L -p tcp --orig-dst ${ip}`,
  );
  assert.equal(r.status, 0, r.err);
  // traefik/whoami sees the node's address after MASQUERADE, with the port --random-fully chose
  const seen = /^Hostname: (web-[a-z0-9]+-[a-z0-9]{5})\nRemoteAddr: ([0-9.]+):(\d+)\n/.exec(r.out);
  assert.ok(seen, r.out);
  assert.equal(seen[2], cp);
  const m = new RegExp(
    `^tcp {6}6 \\d+ TIME_WAIT src=${cp} dst=${ip} sport=(\\d+) dport=80 src=(10\\.244\\.\\d+\\.\\d+) dst=${cp} sport=80 dport=(\\d+) \\[ASSURED\\] mark=0 use=1$`,
    'm',
  ).exec(r.out);
  assert.ok(m, r.out);
  assert.ok(pods.includes(m[2]!), `DNAT to a web pod: ${m[2]} of ${pods.join(', ')}`);
  assert.notEqual(m[1], m[3], 'MASQUERADE --random-fully picked a new source port');
  assert.equal(m[3], seen[3], 'the reply tuple holds the port whoami saw');
  // from a pod (netshoot): inside clusterCIDR, so DNAT only; whoami sees the pod's own address
  assert.equal((await run(lab, { 'netpod.yaml': NETPOD }, 'kubectl', 'apply', '-f', 'netpod.yaml')).status, 0);
  const podIP = (await run(lab, {}, 'kubectl', 'get', 'pod', 'netpod', '-o', 'jsonpath={.status.podIP}')).out;
  const netNode = (await run(lab, {}, 'kubectl', 'get', 'pod', 'netpod', '-o', 'jsonpath={.spec.nodeName}')).out;
  const fromPod = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'curl', '-s', `http://${ip}/`);
  assert.equal(fromPod.status, 0, fromPod.err);
  assert.match(fromPod.out, new RegExp(`^RemoteAddr: ${podIP.replace(/\./g, '\\.')}:\\d+$`, 'm'));
  const ct = (await sh(lab, netNode, `conntrack -L -p tcp -s ${podIP}`)).out;
  assert.match(
    ct,
    new RegExp(`src=${podIP} dst=${ip} sport=(\\d+) dport=80 src=10\\.244\\.[12]\\.\\d+ dst=${podIP} sport=80 dport=\\1 `),
    ct,
  );
  // NodePort 30080 of kind-worker from the control plane: DNAT, and MASQUERADE to the address of
  // the interface the packet leaves by: eth0 towards a pod on another node, the pod's ptp veth
  // (the node's 10.244.N.1) towards a pod on kind-worker itself
  const w = nodeIP('kind-worker');
  const vias = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const np = await sh(lab, 'kind-control-plane', `curl -sS -m 2 http://${w}:30080/ | grep -E '^(Hostname|RemoteAddr)'`);
    const got = /^Hostname: (\S+)\nRemoteAddr: ([0-9.]+):\d+\n$/.exec(np.out);
    assert.ok(got, np.out + np.err);
    const pod = lab.kind.get('kind')!.cluster.store.get('pods', 'default', got[1]!) as unknown as {
      spec: { nodeName: string };
      status: { podIP: string };
    };
    const via = pod.spec.nodeName === 'kind-worker' ? pod.status.podIP.replace(/\d+$/, '1') : w;
    assert.equal(got[2], via, `${got[1]} on ${pod.spec.nodeName}`);
    vias.add(via);
    const wct = (await sh(lab, 'kind-worker', `conntrack -L -p tcp --orig-port-dst 30080 --reply-src ${pod.status.podIP}`)).out;
    assert.match(
      wct,
      new RegExp(`src=${cp} dst=${w} sport=\\d+ dport=30080 src=${pod.status.podIP} dst=${via} sport=80 dport=\\d+ \\[ASSURED\\]`),
      wct,
    );
  }
  assert.equal(vias.size, 2, 'the 50/50 split reached the local pod and the remote one');
});

const SEED_004 = readFileSync(new URL('test/seeds/kind-004_L1337.yaml', ROOT), 'utf8');

test('seed 004 without kubeProxyMode: kube-proxy in iptables mode, `mode: iptables` in kubectl describe cm; with kubeProxyMode ipvs the nodes say it is not emulated and get no Service rules', async () => {
  const iptables = await cluster(SEED_004.replace(/^  kubeProxyMode: "ipvs"\n/m, ''), 'myk8s');
  // kube-dns has endpoints once CoreDNS's pods pass their first readiness probe, and kube-proxy syncs after that
  iptables.advance(2000);
  const cm = await run(iptables, {}, 'kubectl', 'describe', 'cm', '-n', 'kube-system', 'kube-proxy');
  assert.equal(cm.status, 0, cm.err);
  assert.match(cm.out, /^mode: iptables$/m);
  assert.match(cm.out, /^clusterCIDR: 10\.10\.0\.0\/16$/m);
  const nat = (await sh(iptables, 'myk8s-worker3', 'iptables -t nat -S | grep 10.200')).out;
  assert.match(
    nat,
    /^-A KUBE-SERVICES -d 10\.200\.1\.1\/32 -p tcp -m comment --comment "default\/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y$/m,
  );
  assert.match(nat, /! -s 10\.10\.0\.0\/16 -d 10\.200\.1\.10\/32 -p udp/, 'clusterCIDR from the ConfigMap');

  const ipvs = await cluster(SEED_004, 'myk8s');
  assert.match((await run(ipvs, {}, 'kubectl', 'describe', 'cm', '-n', 'kube-system', 'kube-proxy')).out, /^mode: ipvs$/m);
  const events = await run(
    ipvs,
    {},
    'kubectl',
    'get',
    'events',
    '--field-selector',
    'reason=ProxyModeNotEmulated',
    '-o',
    'jsonpath={range .items[*]}{.involvedObject.name} {.source.component}: {.message}{"\\n"}{end}',
  );
  assert.equal(events.status, 0, events.err);
  assert.equal(
    events.out,
    ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2', 'myk8s-worker3']
      .map(
        (n) =>
          `${n} kube-proxy: kube-proxy mode "ipvs" is not emulated yet: knetlab programs no IPVS virtual servers on ${n}, so Services do not reach this node's data plane\n`,
      )
      .sort()
      .join(''),
  );
  // only the kubelet's own canary: no kube-proxy chain
  assert.doesNotMatch((await sh(ipvs, 'myk8s-worker', 'iptables-save -t nat')).out, /KUBE-(?!KUBELET-CANARY )/);
  const pod = (
    await run(
      ipvs,
      {},
      'kubectl',
      'get',
      'pods',
      '-n',
      'kube-system',
      '-l',
      'k8s-app=kube-proxy',
      '--field-selector',
      'spec.nodeName=myk8s-worker',
      '-o',
      'name',
    )
  ).out.trim();
  assert.equal(
    (await run(ipvs, {}, 'kubectl', 'logs', '-n', 'kube-system', pod)).out,
    'knetlab: kube-proxy mode "ipvs" is not emulated yet: knetlab programs no IPVS virtual servers on myk8s-worker, so Services do not reach this node\'s data plane\n',
  );
});

const OTHER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
spec:
  replicas: 1
  selector:
    matchLabels:
      app: other
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: whoami
        image: traefik/whoami
---
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  selector:
    app: other
  ports:
  - port: 80
`;

test("an endpoint change rewrites only its Service's chains (the other Services' counters live on), stale service chains go; a flushed canary brings a full resync", async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'a.yaml': WEB, 'b.yaml': OTHER }, 'kubectl', 'apply', '-f', 'a.yaml', '-f', 'b.yaml')).status, 0);
  lab.advance(2000);
  const ip = clusterIP(lab, 'web');
  for (let i = 0; i < 3; i++) assert.equal((await sh(lab, 'kind-worker', `curl -s -o /dev/null http://${ip}/`)).status, 0);
  const counters = async () =>
    (await sh(lab, 'kind-worker', `iptables-save -c -t nat | grep -- '-A ${WEB_SVC} '`)).out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]);
  const before = await counters();
  assert.equal(before[0], '[3:180]', 'three SYNs from the node marked for masquerade');
  // other's endpoints change: its chains are written again, web's stay as they were
  const OTHER_SVC = 'KUBE-SVC-YULWI2P7DTEGFZ5Y';
  assert.equal((await run(lab, {}, 'kubectl', 'scale', 'deployment', 'other', '--replicas=2')).status, 0);
  lab.advance(2000);
  const nat = (await sh(lab, 'kind-worker', 'iptables-save -t nat')).out;
  assert.equal(nat.split('\n').filter((l) => l.startsWith(`-A ${OTHER_SVC} `) && l.includes('-j KUBE-SEP-')).length, 2, nat);
  assert.deepEqual(await counters(), before);
  // a service chain nobody owns (left behind by another writer): the next sync finds it with
  // iptables-save and deletes it, as upstream does on every sync outside large clusters
  const left = 'KUBE-SVC-AAAAAAAAAAAAAAAA';
  assert.equal(
    (
      await sh(
        lab,
        'kind-worker',
        `iptables -t nat -N ${left}; iptables -t nat -N KUBE-SEP-BBBBBBBBBBBBBBBB; iptables -t nat -A ${left} -j KUBE-SEP-BBBBBBBBBBBBBBBB`,
      )
    ).status,
    0,
  );
  assert.equal((await run(lab, {}, 'kubectl', 'scale', 'deployment', 'other', '--replicas=1')).status, 0);
  lab.advance(2000);
  const cleaned = (await sh(lab, 'kind-worker', 'iptables -t nat -S')).out;
  assert.ok(!cleaned.includes(left) && !cleaned.includes('KUBE-SEP-BBBBBBBBBBBBBBBB'), cleaned);
  assert.deepEqual(await counters(), before, 'still a partial sync');
  // someone flushes the tables' canary: within syncPeriod (30s) kube-proxy makes it again and syncs in full
  assert.equal((await sh(lab, 'kind-worker', 'iptables -t mangle -X KUBE-PROXY-CANARY')).status, 0);
  lab.advance(31_000);
  assert.match((await sh(lab, 'kind-worker', 'iptables -t mangle -S')).out, /^-N KUBE-PROXY-CANARY$/m);
  assert.deepEqual(await counters(), ['[0:0]', '[0:0]', '[0:0]'], 'a full sync writes every chain anew');
});

/** 1,000 curls from netpod to the web Service's ClusterIP, counted per whoami Hostname (the seeds' loop). */
async function spread(lab: Lab): Promise<number[]> {
  const ip = clusterIP(lab, 'web');
  const r = await run(
    lab,
    {},
    'kubectl',
    'exec',
    'netpod',
    '--',
    'bash',
    '-c',
    `for i in $(seq 1000); do curl -s http://${ip}/ | grep Hostname; done | sort | uniq -c`,
  );
  assert.equal(r.status, 0, r.err);
  const lines = r.out.split('\n').filter(Boolean);
  for (const l of lines) assert.match(l, /^ +\d+ Hostname: web-[a-z0-9]+-[a-z0-9]{5}$/);
  return lines.map((l) => Number(l.trim().split(' ')[0]));
}

async function webAndNetpod(): Promise<Lab> {
  const lab = await cluster();
  assert.equal((await run(lab, { 'a.yaml': WEB, 'n.yaml': NETPOD }, 'kubectl', 'apply', '-f', 'a.yaml', '-f', 'n.yaml')).status, 0);
  lab.advance(2000);
  return lab;
}

test('load spread: 1,000 curls from a netshoot pod to a ClusterIP split about 50/50 over 2 endpoints and about 1/3 each over 3 (the statistic probabilities), the same again with the same seed', async () => {
  const lab = await webAndNetpod();
  const two = await spread(lab);
  assert.equal(two.length, 2, `${two}`);
  for (const n of two) assert.ok(Math.abs(n / 1000 - 1 / 2) <= 0.05, `${two}`);
  assert.equal((await run(lab, {}, 'kubectl', 'scale', 'deployment', 'web', '--replicas=3')).status, 0);
  lab.advance(2000);
  const three = await spread(lab);
  assert.equal(three.length, 3, `${three}`);
  for (const n of three) assert.ok(Math.abs(n / 1000 - 1 / 3) <= 0.05, `${three}`);
  assert.deepEqual(await spread(await webAndNetpod()), two, 'a lab from the same seed picks the same endpoints');
});

test('kubeadmConfigPatches that patch KubeProxyConfiguration reach the kube-proxy ConfigMap as kind merges them (cluster, then the control-plane node) and kube-proxy acts on them: masqueradeAll, clusterCIDR', async () => {
  const lab = await cluster(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeProxyConfiguration
  metricsBindAddress: 0.0.0.0:10249
  iptables:
    masqueradeAll: true
- |
  apiVersion: kubeproxy.config.k8s.io/v1alpha1
  kind: KubeProxyConfiguration
  clusterCIDR: 10.244.0.0/17
- |
  apiVersion: kubeproxy.config.k8s.io/v1beta9
  kind: KubeProxyConfiguration
  mode: nftables
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: KubeProxyConfiguration
    conntrack: null
- role: worker
`);
  const cm = await run(lab, {}, 'kubectl', 'describe', 'cm', '-n', 'kube-system', 'kube-proxy');
  assert.equal(cm.status, 0, cm.err);
  assert.ok(
    cm.out.includes(
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\nclusterCIDR: 10.244.0.0/17\niptables:\n  masqueradeAll: true\n  minSyncPeriod: 1s\nkind: KubeProxyConfiguration\nmetricsBindAddress: 0.0.0.0:10249\nmode: iptables\n',
    ),
    cm.out,
  );
  const applied = await run(lab, { 'web.yaml': WEB }, 'kubectl', 'apply', '-f', 'web.yaml');
  assert.equal(applied.status, 0, applied.err);
  lab.advance(2000);
  const ip = clusterIP(lab, 'web');
  const nat = (await sh(lab, 'kind-worker', 'iptables -t nat -S')).out;
  // masqueradeAll: every connection to the ClusterIP is marked, whatever its source
  assert.ok(
    nat.includes(
      `-A ${WEB_SVC} -d ${ip}/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ\n`,
    ),
    nat,
  );
  assert.ok(!nat.includes('! -s 10.244.0.0'), nat);
});

const AFFINITY_LOCAL = `apiVersion: v1
kind: Service
metadata:
  name: sticky
spec:
  selector:
    app: web
  sessionAffinity: ClientIP
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30081
`;

test('sessionAffinity ClientIP keeps a client on one pod; externalTrafficPolicy Local answers a NodePort with the client address preserved where a pod runs, and drops it on a node without one', async () => {
  const lab = await cluster();
  assert.equal(
    (
      await run(
        lab,
        { 'web.yaml': WEB, 'more.yaml': AFFINITY_LOCAL, 'netpod.yaml': NETPOD },
        'kubectl',
        'apply',
        '-f',
        'web.yaml',
        '-f',
        'more.yaml',
        '-f',
        'netpod.yaml',
      )
    ).status,
    0,
  );
  lab.advance(2000);
  const sticky = clusterIP(lab, 'sticky');
  const seen = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const r = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'curl', '-s', `http://${sticky}/`);
    assert.equal(r.status, 0, r.err);
    seen.add(/^Hostname: (\S+)$/m.exec(r.out)![1]!);
  }
  assert.equal(seen.size, 1, `one pod for one client: ${[...seen].join(', ')}`);
  const nodeIP = (n: string) => lab.kind.get('kind')!.nodes.find((x) => x.name === n)!.ip;
  const pods = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'default')
    .items.filter((p) => (p.metadata as { name: string }).name.startsWith('web-'));
  const withPod = new Set(pods.map((p) => (p.spec as { nodeName: string }).nodeName));
  const cp = nodeIP('kind-control-plane');
  for (const node of ['kind-worker', 'kind-worker2']) {
    const r = await sh(lab, 'kind-control-plane', `curl -sS -m 2 http://${nodeIP(node)}:30081/ | grep -E '^(Hostname|RemoteAddr)'`);
    if (withPod.has(node)) {
      const got = /^Hostname: (\S+)\nRemoteAddr: ([0-9.]+):\d+\n$/.exec(r.out);
      assert.ok(got, r.out + r.err);
      assert.equal(got[2], cp, 'Local: no SNAT, the client address is preserved');
      assert.equal(
        (pods.find((p) => (p.metadata as { name: string }).name === got[1])!.spec as { nodeName: string }).nodeName,
        node,
        'a pod of that node answered',
      );
    } else assert.notEqual(r.status, 0, `${node} has no web pod: dropped\n${r.out}`);
  }
  // the control plane runs no web pod: its NodePort drops the connection
  const none = await sh(lab, 'kind-worker', `curl -sS -m 2 http://${cp}:30081/`);
  assert.notEqual(none.status, 0, none.out);
});

const LB = `apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 8080
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-ext
spec:
  selector:
    app: web
  externalIPs:
  - 172.18.0.250
  ports:
  - port: 8081
    targetPort: 80
`;

test('a LoadBalancer whose status gets an ingress IP by hand, and externalIPs, get their rules on every node and answer a connection to those addresses', async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'web.yaml': WEB, 'lb.yaml': LB }, 'kubectl', 'apply', '-f', 'web.yaml', '-f', 'lb.yaml')).status, 0);
  // The ingress IP a load-balancer implementation would write on the status (kubectl patch
  // --subresource status does not reach the status yet: it reports success and changes nothing).
  const store = lab.kind.get('kind')!.cluster.store;
  store.updateStatus({ ...store.get('services', 'default', 'web-lb'), status: { loadBalancer: { ingress: [{ ip: '172.18.0.240' }] } } });
  lab.advance(2000);
  const nat = (await sh(lab, 'kind-worker', 'iptables -t nat -S KUBE-SERVICES')).out;
  assert.match(
    nat,
    /^-A KUBE-SERVICES -d 172\.18\.0\.240\/32 -p tcp -m comment --comment "default\/web-lb loadbalancer IP" -m tcp --dport 8080 -j KUBE-EXT-/m,
  );
  assert.match(
    nat,
    /^-A KUBE-SERVICES -d 172\.18\.0\.250\/32 -p tcp -m comment --comment "default\/web-ext external IP" -m tcp --dport 8081 -j KUBE-EXT-/m,
  );
  // From the control plane (a docker-run host on the kind network has no eth0 in the lab yet):
  // its OUTPUT chain DNATs the load-balancer and external addresses to a web pod.
  for (const url of ['http://172.18.0.240:8080/', 'http://172.18.0.250:8081/']) {
    const r = await sh(lab, 'kind-control-plane', `curl -sS -m 2 ${url}`);
    assert.equal(r.status, 0, `${url}: ${r.err}`);
    assert.match(r.out, /^Hostname: web-/m, r.out);
  }
});

// A pod behind its own Service, with a shell beside the server (one network namespace).
const SELF = `apiVersion: v1
kind: Pod
metadata:
  name: self
  labels:
    app: self
spec:
  containers:
  - name: web
    image: traefik/whoami
  - name: shell
    image: nicolaka/netshoot
    command: ["tail"]
    args: ["-f", "/dev/null"]
  terminationGracePeriodSeconds: 0
---
apiVersion: v1
kind: Service
metadata:
  name: self
spec:
  selector:
    app: self
  ports:
  - name: http
    port: 80
    targetPort: 80
`;

test("hairpin: a pod reaching its own Service's ClusterIP (its only endpoint) gets the answer, masqueraded to the node's ptp gateway address on the pod's veth, as on a kind node", async () => {
  const lab = await cluster();
  assert.equal((await run(lab, { 'self.yaml': SELF }, 'kubectl', 'apply', '-f', 'self.yaml')).status, 0);
  lab.advance(2000);
  const ip = clusterIP(lab, 'self');
  const pod = lab.kind.get('kind')!.cluster.store.get('pods', 'default', 'self') as unknown as {
    spec: { nodeName: string };
    status: { podIP: string };
  };
  const podIP = pod.status.podIP;
  // kindnet's ptp: every pod veth on the node carries the pod range's gateway (.1) as /32, and the
  // pod's /32 route goes out by that veth. The DNATed packet leaves by the veth it came in on (no
  // bridge, so no hairpin mode), KUBE-SEP's `-s <pod>/32 -j KUBE-MARK-MASQ` marked it, and
  // KUBE-POSTROUTING masquerades it to the veth's address: the pod sees the gateway, not itself.
  const gw = podIP.replace(/\d+$/, '1');
  const r = await run(lab, {}, 'kubectl', 'exec', 'self', '-c', 'shell', '--', 'curl', '-sS', '-m', '2', `http://${ip}/`);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^Hostname: self$/m, r.out);
  const seen = new RegExp(`^RemoteAddr: ${gw.replace(/\./g, '\\.')}:(\\d+)$`, 'm').exec(r.out);
  assert.ok(seen, `the answer came back masqueraded to ${gw}:\n${r.out}`);
  const node = pod.spec.nodeName;
  const ct = (await sh(lab, node, `conntrack -L -p tcp --orig-dst ${ip}`)).out;
  const q = (s: string) => s.replace(/\./g, '\\.');
  const tuple = new RegExp(
    `^tcp {6}6 \\d+ TIME_WAIT src=${q(podIP)} dst=${q(ip)} sport=(\\d+) dport=80 src=${q(podIP)} dst=${q(gw)} sport=80 dport=(\\d+) \\[ASSURED\\] mark=0 use=1$`,
    'm',
  ).exec(ct);
  assert.ok(tuple, `conntrack on ${node}: DNAT to the pod itself, reply to the gateway\n${ct}`);
  assert.equal(tuple[2], seen[1], 'the reply tuple holds the port whoami saw');
  // the counters say which rules did it
  const saved = (await sh(lab, node, 'iptables-save -c -t nat')).out;
  assert.match(
    saved,
    new RegExp(`^\\[1:60\\] -A KUBE-SEP-[A-Z0-9]{16} -s ${q(podIP)}/32 -m comment --comment "default/self:http" -j KUBE-MARK-MASQ$`, 'm'),
    saved,
  );
  assert.match(
    saved,
    /^\[[1-9]\d*:\d+\] -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully$/m,
    saved,
  );
});
