// Cluster DNS (issue 16, seed 002's DNS section): CoreDNS in its two kube-system pods answers
// queries sent through kube-dns's ClusterIP (kube-proxy's DNAT), pods get resolv.conf from their
// dnsPolicy, and the images' resolvers walk the search list as their C library does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';

const KIND = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
`;

async function run(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const c = captured({ files });
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err };
}

async function cluster(): Promise<Lab> {
  const lab = standardLab();
  const r = await run(lab, { 'kind.yaml': KIND }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(r.status, 0, r.err);
  lab.advance(2000);
  return lab;
}

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
