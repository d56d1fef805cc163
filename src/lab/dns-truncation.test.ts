// Truncation (issue 16): CoreDNS makes each UDP reply fit the client's buffer (512 bytes without
// EDNS) by compressing it and cutting records, with TC set; dig and the C libraries ask again over
// TCP. A headless Service of 60 endpoints answers 60 A records: 29 fit in 512 bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from './index.js';
import { kindCluster, netshootPod, run } from './fixtures.js';

const addresses = Array.from({ length: 60 }, (_, i) => `10.244.9.${i + 1}`);
const OBJECTS = `apiVersion: v1
kind: Service
metadata:
  name: big
spec:
  clusterIP: None
  ports:
  - name: http
    port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: big-1
  labels:
    kubernetes.io/service-name: big
addressType: IPv4
ports:
- name: http
  port: 80
  protocol: TCP
endpoints:
${addresses.map((a) => `- addresses: ["${a}"]\n  conditions:\n    ready: true\n`).join('')}---
${netshootPod('tools')}`;

const cluster = (): Promise<Lab> => kindCluster(1, OBJECTS);

const tools = (lab: Lab, ...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'tools', '--', ...cmd);
const answers = (out: string) => out.split('\n').filter((l) => /^big\.default\.svc\.cluster\.local\.\s+\d+\s+IN\s+A\s/.test(l)).length;

test('without EDNS the 60 A records do not fit 512 bytes: TC with the 29 that fit compressed, and dig asks again over TCP', async () => {
  const lab = await cluster();
  const cut = await tools(lab, 'dig', '+noedns', '+ignore', 'big.default.svc.cluster.local');
  assert.equal(cut.status, 0, cut.err);
  assert.match(cut.out, /;; flags: qr aa tc rd; QUERY: 1, ANSWER: 29, AUTHORITY: 0, ADDITIONAL: 0\n/);
  assert.equal(answers(cut.out), 29);
  assert.match(cut.out, /;; MSG SIZE {2}rcvd: 511\n/);
  const retried = await tools(lab, 'dig', '+noedns', 'big.default.svc.cluster.local');
  assert.match(retried.out, /;; global options: \+cmd\n;; Truncated, retrying in TCP mode\.\n;; Got answer:\n/);
  assert.match(retried.out, /;; flags: qr aa rd; QUERY: 1, ANSWER: 60,/);
  assert.equal(answers(retried.out), 60);
  assert.match(retried.out, /;; SERVER: 10\.96\.0\.10#53\(10\.96\.0\.10\) \(TCP\)\n/);
  // uncompressed over TCP: 12 + 35 + 60 × (31 + 14)
  assert.match(retried.out, /;; MSG SIZE {2}rcvd: 2747\n/);
});

test("with dig's EDNS buffer (1232) the 60 records fit once compressed: one UDP reply, no TC", async () => {
  const lab = await cluster();
  const r = await tools(lab, 'dig', 'big.default.svc.cluster.local');
  assert.doesNotMatch(r.out, /Truncated/);
  assert.match(r.out, /;; flags: qr aa rd; QUERY: 1, ANSWER: 60,/);
  assert.match(r.out, /\(UDP\)\n/);
  // 12 + 35 + 60 × 16 + the OPT record with the echoed cookie (11 + 12)
  assert.match(r.out, /;; MSG SIZE {2}rcvd: 1030\n/);
});

test('the C library asks again over TCP after TC: ping resolves the big headless name to one of its 60 addresses', async () => {
  const lab = await cluster();
  const r = await tools(lab, 'ping', '-c', '1', '-W', '1', 'big');
  const m = /^PING big\.default\.svc\.cluster\.local \((10\.244\.9\.\d+)\) 56\(84\) bytes of data\.\n/.exec(r.out);
  assert.ok(m, r.out + r.err);
  assert.ok(addresses.includes(m[1]!));
});

test("BIND's nslookup says it retries in TCP mode and prints all 60 addresses; host retries silently", async () => {
  const lab = await cluster();
  const ns = await tools(lab, 'nslookup', 'big.default.svc.cluster.local');
  assert.equal(ns.status, 0, ns.err);
  assert.ok(
    ns.out.startsWith(
      ';; Truncated, retrying in TCP mode.\nServer:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tbig.default.svc.cluster.local\n',
    ),
    ns.out,
  );
  assert.equal(ns.out.split('\n').filter((l) => l === 'Name:\tbig.default.svc.cluster.local').length, 60);
  const host = await tools(lab, 'host', 'big.default.svc.cluster.local');
  assert.equal(host.status, 0, host.err);
  assert.doesNotMatch(host.out, /Truncated/);
  assert.equal(host.out.split('\n').filter((l) => l.startsWith('big.default.svc.cluster.local has address 10.244.9.')).length, 60);
});
