// Partial syncs (kube-proxy since v1.28): after the first full sync, a sync writes the top-level
// chains and only the chains of services that changed, and deletes the chains nobody owns.
// Expectations transcribed from upstream's TestSyncProxyRulesRepeated; upstream's
// TestSyncProxyRulesLargeClusterMode for the comment-less endpoint rules.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { IptablesProxier } from '../../src/proxy/index.js';
import { assertSameText, checkJumps, FAKE_CAPS, FAKE_CONFIG, FAKE_NODE } from './harness.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/upstream');

const service = (ns: string, name: string, ip: string, port: string, number: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: ns, name },
  spec: { type: 'ClusterIP', clusterIP: ip, ports: [{ name: port, port: number, protocol: 'TCP' }] },
});
const slice = (ns: string, svc: string, port: string, number: number, ips: string[]) => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: ns, name: `${svc}-1`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip] })),
  ports: [{ name: port, port: number, protocol: 'TCP' }],
});

function expectSync(p: IptablesProxier, step: string, full: boolean): void {
  const r = p.sync();
  assert.equal(r.full, full, `${step}: full sync`);
  if (full) checkJumps(r.payload); // a partial payload jumps to chains of earlier syncs, as upstream's does
  assertSameText(r.payload.replaceAll('0x00004000', '0x4000'), readFileSync(join(DIR, `${step}.iptables`), 'utf8'), step);
}

test('TestSyncProxyRulesRepeated: each sync writes only the chains of what changed, and deletes stale chains', () => {
  const p = new IptablesProxier(FAKE_NODE, FAKE_CONFIG, FAKE_CAPS);
  p.upsertService(service('ns1', 'svc1', '172.30.0.41', 'p80', 80));
  p.upsertService(service('ns2', 'svc2', '172.30.0.42', 'p8080', 8080));
  p.upsertEndpointSlice(slice('ns1', 'svc1', 'p80', 80, ['10.0.1.1']));
  p.upsertEndpointSlice(slice('ns2', 'svc2', 'p8080', 8080, ['10.0.2.1']));
  expectSync(p, 'repeated-1', true);

  p.upsertService(service('ns3', 'svc3', '172.30.0.43', 'p80', 80));
  p.upsertEndpointSlice(slice('ns3', 'svc3', 'p80', 80, ['10.0.3.1']));
  expectSync(p, 'repeated-2', false);

  p.deleteService('ns2', 'svc2');
  expectSync(p, 'repeated-3', false);

  p.upsertService(service('ns4', 'svc4', '172.30.0.44', 'p80', 80));
  expectSync(p, 'repeated-4', false);
  p.upsertEndpointSlice(slice('ns4', 'svc4', 'p80', 80, ['10.0.4.1']));
  expectSync(p, 'repeated-5', false);

  p.upsertEndpointSlice(slice('ns3', 'svc3', 'p80', 80, ['10.0.3.2']));
  expectSync(p, 'repeated-6', false);
  p.upsertEndpointSlice(slice('ns3', 'svc3', 'p80', 80, ['10.0.3.2', '10.0.3.3']));
  expectSync(p, 'repeated-7', false);
});

test('a resync after one endpoint change renders one service port, whatever the number of services', () => {
  const p = new IptablesProxier(FAKE_NODE, FAKE_CONFIG, FAKE_CAPS);
  for (let i = 0; i < 300; i++) {
    p.upsertService(service('ns', `svc${i}`, `172.30.${i >> 8}.${i & 255}`, 'http', 80));
    p.upsertEndpointSlice(slice('ns', `svc${i}`, 'http', 80, [`10.1.${i >> 8}.${i & 255}`, `10.2.${i >> 8}.${i & 255}`]));
  }
  assert.equal(p.sync().renderedServicePorts, 300);
  p.upsertEndpointSlice(slice('ns', 'svc7', 'http', 80, ['10.1.0.7', '10.3.0.7']));
  const r = p.sync();
  assert.equal(r.renderedServicePorts, 1);
  assert.equal((r.payload.match(/^:KUBE-SEP-/gm) ?? []).length, 3, 'two endpoint chains written, one deleted');
  assert.equal((r.payload.match(/^-X /gm) ?? []).length, 1);
  assert.equal(p.sync().renderedServicePorts, 0, 'nothing changed, nothing rendered');
});

test('TestSyncProxyRulesLargeClusterMode: above 1000 endpoints, endpoint rules lose their comments; a partial sync leaves unchanged services as they were', () => {
  const p = new IptablesProxier(FAKE_NODE, FAKE_CONFIG, FAKE_CAPS);
  const ips = (net: number) => Array.from({ length: 499 }, (_, i) => `10.${net}.${i % 256}.${i >> 8}`);
  p.upsertService(service('ns1', 'svc1', '172.30.0.41', 'p80', 80));
  p.upsertService(service('ns2', 'svc2', '172.30.0.42', 'p8080', 8080));
  p.upsertService(service('ns3', 'svc3', '172.30.0.43', 'p8081', 8081));
  p.upsertEndpointSlice(slice('ns1', 'svc1', 'p80', 80, ips(0)));
  p.upsertEndpointSlice(slice('ns2', 'svc2', 'p8080', 8080, ips(1)));
  let payload = p.sync().payload;
  assert.ok(
    payload.includes('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80\n'),
  );
  p.upsertEndpointSlice(slice('ns3', 'svc3', 'p8081', 8081, ['203.0.113.4', '203.0.113.8', '203.0.113.12']));
  payload = p.sync().payload;
  assert.ok(payload.includes('-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081\n'));
  assert.ok(!payload.includes('10.0.0.0:80'), 'svc1 did not change: not rewritten');
  p.forceFullSync();
  payload = p.sync().payload;
  assert.ok(payload.includes('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80\n'));
  assert.equal((payload.match(/^-A KUBE-SEP-\S+ -m comment/gm) ?? []).length, 0);
  p.upsertService(service('ns4', 'svc4', '172.30.0.44', 'p8082', 8082));
  p.upsertEndpointSlice(slice('ns4', 'svc4', 'p8082', 8082, ['10.4.0.1']));
  assert.ok(p.sync().payload.includes('-A KUBE-SEP-SU5STNODRYEWJAUF -m tcp -p tcp -j DNAT --to-destination 10.4.0.1:8082\n'));
  // In a large cluster a deleted service's chains stay until a syncPeriod has passed since the
  // last cleanup (the first sync's, at time 0 here); then a sync deletes them, changes or not.
  p.deleteService('ns4', 'svc4');
  payload = p.sync(30_000).payload;
  assert.ok(!payload.includes('10.4.0.1'), 'svc4 endpoint was still created');
  assert.ok(!payload.includes('-X '), 'iptables data unexpectedly contains chain deletions');
  payload = p.sync(30_001).payload;
  assert.ok(payload.includes('-X KUBE-SVC-EBDQOQU5SJFXRIL3\n') && payload.includes('-X KUBE-SEP-SU5STNODRYEWJAUF\n'));
  p.forceFullSync();
  assert.equal((p.sync(30_002).payload.match(/^-A KUBE-SEP-\S+ .*-j DNAT/gm) ?? []).length, 2 * 499 + 3);
});

test('below the large-cluster threshold, every sync deletes the chains of deleted services at once', () => {
  const p = new IptablesProxier(FAKE_NODE, FAKE_CONFIG, FAKE_CAPS);
  p.upsertService(service('ns4', 'svc4', '172.30.0.44', 'p8082', 8082));
  p.upsertEndpointSlice(slice('ns4', 'svc4', 'p8082', 8082, ['10.4.0.1']));
  p.sync(0);
  p.deleteService('ns4', 'svc4');
  const r = p.sync(1);
  assert.ok(r.cleanedUp && r.payload.includes('-X KUBE-SVC-EBDQOQU5SJFXRIL3\n') && r.payload.includes('-X KUBE-SEP-SU5STNODRYEWJAUF\n'));
});
