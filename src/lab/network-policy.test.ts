// NetworkPolicy on a kind cluster (kind >= v0.24.0): kindnetd's embedded kube-network-policies
// judges each new connection of a selected pod, after DNAT, on the node that hosts the pod. The
// Kubernetes docs' policies, applied with kubectl, stop and restore curl between pods.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.js';
import { kindCluster, netshootPod, run, whoamiWeb } from './fixtures.js';
import type { Lab } from './index.js';

const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
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
        image: nginx
        ports:
        - containerPort: 80
          name: http
---
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  selector:
    app: nginx
  ports:
  - port: 80
    targetPort: http
`;

const FRONTEND = `apiVersion: v1
kind: Pod
metadata:
  name: frontend
  labels:
    app: frontend
spec:
  containers:
  - name: frontend
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
`;

const DENY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector:
    matchLabels:
      app: nginx
  policyTypes:
  - Ingress
`;

const ALLOW_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: frontend
    ports:
    - protocol: TCP
      port: http
`;

const DENY_EGRESS_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-deny-egress
spec:
  podSelector:
    matchLabels:
      app: frontend
  policyTypes:
  - Egress
`;

const ALLOW_DNS_FRONTEND = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-allow-dns
spec:
  podSelector:
    matchLabels:
      app: frontend
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
`;

async function kubectl(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const r = await run(lab, files, 'kubectl', ...argv);
  lab.advance(1000);
  return r;
}

const apply = async (lab: Lab, yaml: string) => {
  const r = await kubectl(lab, { 'p.yaml': yaml }, 'apply', '-f', 'p.yaml');
  assert.equal(r.status, 0, r.err);
};

const curl = (lab: Lab, pod: string, url: string) => run(lab, {}, 'kubectl', 'exec', pod, '--', 'curl', '-sS', '--max-time', '2', url);

function podIPs(lab: Lab, app: string): string[] {
  return lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'default')
    .items.filter((p) => p.metadata.labels?.app === app)
    .map((p) => (p.status as { podIP: string }).podIP);
}

function podField(lab: Lab, name: string, field: 'hostIP' | 'podIP'): string {
  return (lab.kind.get('kind')!.cluster.store.get('pods', 'default', name).status as Record<string, string>)[field]!;
}

function clusterIP(lab: Lab, name: string): string {
  return (lab.kind.get('kind')!.cluster.store.get('services', 'default', name).spec as { clusterIP: string }).clusterIP;
}

const TIMEOUT = /^curl: \(28\) /;

test('NetworkPolicy on kind: deny-all ingress times curl out, an allow for app=frontend restores it for that client only, through a ClusterIP too; an egress deny blocks the pod outbound', async () => {
  const lab = await kindCluster(2, `${NGINX}---\n${netshootPod('netpod')}---\n${FRONTEND}`);
  const nginx = podIPs(lab, 'nginx');
  assert.equal(nginx.length, 2);
  for (const client of ['netpod', 'frontend']) {
    const r = await curl(lab, client, `http://${nginx[0]}/`);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /<title>Welcome to nginx!<\/title>/);
  }

  await apply(lab, DENY_INGRESS);
  for (const ip of nginx) {
    const r = await curl(lab, 'netpod', `http://${ip}/`);
    assert.equal(r.status, 28, `${ip}: ${r.out}`);
    assert.match(r.err, TIMEOUT);
  }
  // knetlab trace names the verdict
  const nginxPod = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'default')
    .items.find((p) => p.metadata.labels?.app === 'nginx')!.metadata.name!;
  const traced = await run(lab, {}, 'trace', 'pod/netpod', `pod/${nginxPod}`, 'tcp:80');
  assert.equal(traced.status, 1, traced.err);
  assert.match(traced.out, /verdict: dropped in node kind-worker2?: postrouting: queue num 101 bypass: the reader's verdict is NF_DROP\n/);
  // only nginx is isolated: the other pods still talk
  const frontendIP = podField(lab, 'frontend', 'podIP');
  const ping = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'ping', '-c', '1', '-W', '1', frontendIP);
  assert.equal(ping.status, 0, ping.out + ping.err);

  await apply(lab, ALLOW_FRONTEND);
  for (const ip of nginx) {
    const ok = await curl(lab, 'frontend', `http://${ip}/`);
    assert.equal(ok.status, 0, ok.err);
    assert.match(ok.out, /Welcome to nginx!/);
    assert.equal((await curl(lab, 'netpod', `http://${ip}/`)).status, 28, 'netpod is not app=frontend');
  }
  // a ClusterIP Service is judged by the backend it is DNATed to
  const svc = clusterIP(lab, 'nginx');
  for (let i = 0; i < 4; i++) {
    assert.equal((await curl(lab, 'frontend', `http://${svc}/`)).status, 0);
    assert.equal((await curl(lab, 'netpod', `http://${svc}/`)).status, 28);
  }

  // deleting the policies lifts the isolation
  assert.equal((await kubectl(lab, {}, 'delete', 'networkpolicy', '--all')).status, 0);
  assert.equal((await curl(lab, 'netpod', `http://${nginx[0]}/`)).status, 0);

  const frontendNode = podField(lab, 'frontend', 'hostIP');
  const toNode = () => run(lab, {}, 'kubectl', 'exec', 'frontend', '--', 'ping', '-c', '1', '-W', '1', frontendNode);
  assert.equal((await toNode()).status, 0);
  await apply(lab, DENY_EGRESS_FRONTEND);
  // a connection to its own node is judged too (upstream's input chain)
  const blocked = await toNode();
  assert.equal(blocked.status, 1, blocked.out);
  assert.match(blocked.out, /1 packets transmitted, 0 received, 100% packet loss/);
  const out = await curl(lab, 'frontend', `http://${nginx[1]}/`);
  assert.equal(out.status, 28, out.out);
  assert.equal((await curl(lab, 'frontend', `http://${svc}/`)).status, 28);
  assert.equal((await curl(lab, 'netpod', `http://${nginx[1]}/`)).status, 0, "netpod's egress is not isolated");
  // DNS too (upstream queues UDP port 53 in prerouting, after the DNAT to a CoreDNS pod)
  const lookup = (pod: string) =>
    run(lab, {}, 'kubectl', 'exec', pod, '--', 'dig', '+short', '+time=1', '+tries=1', 'nginx.default.svc.cluster.local');
  const noDns = await lookup('frontend');
  assert.equal(noDns.status, 9, noDns.out);
  assert.match(noDns.out, /no servers could be reached/);
  assert.equal((await lookup('netpod')).out, `${svc}\n`);
  await apply(lab, ALLOW_DNS_FRONTEND);
  assert.equal((await lookup('frontend')).out, `${svc}\n`);
  assert.equal((await curl(lab, 'frontend', `http://${svc}/`)).status, 28, 'DNS only');
});

test('NetworkPolicy on kind judges only new connections: a request under way when a deny-all lands completes, the next one times out', async () => {
  const lab = await kindCluster(2, `${whoamiWeb(1)}---\n${netshootPod('netpod')}`);
  const web = podIPs(lab, 'web')[0]!;
  const api = lab.kind.get('kind')!.cluster.api;
  const deny = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'default' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  } as KubeObject;
  // whoami answers after 2 s; the policy is created 1 s into the request
  lab.clock.schedule(1000, () => api.create(deny));
  const slow = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'curl', '-sS', '--max-time', '5', `http://${web}/?wait=2s`);
  assert.equal(slow.status, 0, slow.err);
  assert.match(slow.out, /^Hostname: web-/m);
  assert.equal(api.list('networkpolicies', 'default').items.length, 1, 'the policy landed during the request');
  const next = await curl(lab, 'netpod', `http://${web}/`);
  assert.equal(next.status, 28, next.out);
});
