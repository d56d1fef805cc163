// CoreDNS's metrics on :9153 (issue 16): `curl http://<coredns-pod>:9153/metrics` prints Prometheus's
// text format with CoreDNS's metric names and labels, counting the queries that replica served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, netshootPod, run, whoamiWeb } from './fixtures.js';

const BUILD = `# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.
# TYPE coredns_build_info gauge
coredns_build_info{goversion="go1.24.1",revision="707c7c1",version="1.12.1"} 1
`;
const PANICS = `# HELP coredns_panics_total A metrics that counts the number of panics.
# TYPE coredns_panics_total counter
coredns_panics_total 0
`;

test("a CoreDNS replica's /metrics counts the queries it served by type, protocol and rcode", async () => {
  const lab = await kindCluster(1, `${whoamiWeb(1)}---\n${netshootPod('tools')}`);
  const pods = lab.kind
    .get('kind')!
    .cluster.store.list('pods', 'kube-system')
    .items.filter((p) => p.metadata.name!.startsWith('coredns-'));
  const [a, b] = pods.map((p) => (p.status as { podIP: string }).podIP) as [string, string];
  const tools = (...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'tools', '--', ...cmd);
  const fresh = await tools('curl', '-s', `http://${a}:9153/metrics`);
  assert.equal(fresh.status, 0, fresh.err);
  assert.equal(fresh.out, BUILD + PANICS);
  for (const q of [
    ['web.default.svc.cluster.local'],
    ['web.default.svc.cluster.local'],
    ['nope.default.svc.cluster.local'],
    ['AAAA', 'web.default.svc.cluster.local'],
  ]) {
    assert.equal((await tools('dig', `@${a}`, ...q)).status, 0);
  }
  const m = (await tools('curl', '-s', `http://${a}:9153/metrics`)).out;
  assert.ok(m.startsWith(BUILD), m);
  assert.ok(m.endsWith(PANICS), m);
  const lines = m.split('\n').filter((l) => /^coredns_dns_(requests|responses)_total\{/.test(l));
  assert.deepEqual(lines, [
    'coredns_dns_requests_total{family="1",proto="udp",server="dns://:53",type="A",view="",zone="."} 3',
    'coredns_dns_requests_total{family="1",proto="udp",server="dns://:53",type="AAAA",view="",zone="."} 1',
    'coredns_dns_responses_total{plugin="loadbalance",rcode="NOERROR",server="dns://:53",view="",zone="."} 3',
    'coredns_dns_responses_total{plugin="loadbalance",rcode="NXDOMAIN",server="dns://:53",view="",zone="."} 1',
  ]);
  assert.match(m, /^# TYPE coredns_dns_request_size_bytes histogram\n/m);
  assert.match(m, /^coredns_dns_request_size_bytes_count\{proto="udp",server="dns:\/\/:53",view="",zone="\."\} 4$/m);
  assert.match(m, /^coredns_dns_response_size_bytes_bucket\{proto="udp",server="dns:\/\/:53",view="",zone="\.",le="\+Inf"\} 4$/m);
  assert.match(m, /^coredns_cache_entries\{server="dns:\/\/:53",type="success",view="",zones="\."\} 0$/m);
  // the other replica served none of them
  assert.equal((await tools('curl', '-s', `http://${b}:9153/metrics`)).out, BUILD + PANICS);
  // a path other than /metrics
  assert.equal((await tools('curl', '-s', `http://${a}:9153/`)).out, '404 page not found\n');
  // the health and ready plugins: "OK" with a sniffed type after net/http's Date and Content-Length;
  // /metrics sets its own Content-Type, written before them
  const date = 'Date: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT';
  for (const url of [`http://${a}:8080/health`, `http://${a}:8181/ready`])
    assert.match(
      (await tools('curl', '-si', url)).out,
      new RegExp(`^HTTP/1\\.1 200 OK\r\n${date}\r\nContent-Length: 2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOK$`),
    );
  assert.match(
    (await tools('curl', '-si', `http://${a}:9153/metrics`)).out,
    new RegExp(`^HTTP/1\\.1 200 OK\r\nContent-Type: text/plain; [^\r]+\r\n${date}\r\n`),
  );
});
