// A kind node's daemons listening (issue 14; seed 000 runs `ss -tnlp | grep 6443` and `ss -tnlp` on
// the control plane): the kubelet, kube-proxy and containerd on every node, the control plane's
// static pods' servers on the control-plane node only, each on the address its defaults bind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';
import { standardLab } from './families.js';

/** `Local-Address:Port Peer users` of each line of ss -tnlp (columns' padding dropped). */
function listeners(out: string): string[] {
  return out
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.trim().split(/\s+/).slice(3).join(' '));
}

test('ss -tnlp on kind nodes lists the daemons with their bound addresses and holders', async () => {
  const lab = await kindCluster(1);
  const cp = await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'ss', '-tnlp');
  assert.equal(cp.status, 0, cp.err);
  assert.match(cp.out, /^State +Recv-Q Send-Q Local Address:Port +Peer Address:PortProcess +\n/);
  const got = listeners(cp.out);
  const ip = '172.18.0.2';
  for (const want of [
    '127.0.0.1:2379 0.0.0.0:*',
    `${ip}:2379 0.0.0.0:*`,
    `${ip}:2380 0.0.0.0:*`,
    '127.0.0.1:2381 0.0.0.0:*',
    '*:6443 *:*',
    '127.0.0.1:10257 0.0.0.0:*',
    '127.0.0.1:10259 0.0.0.0:*',
  ])
    assert.ok(
      got.some((l) => l.startsWith(want)),
      `${want} in\n${cp.out}`,
    );
  assert.ok(got.includes('127.0.0.1:10248 0.0.0.0:* users:(("kubelet",pid=226,fd=21))'), cp.out);
  assert.ok(
    got.some((l) => /^\*:6443 \*:\* users:\(\("kube-apiserver",pid=\d+,fd=3\)\)$/.test(l)),
    cp.out,
  );
  assert.ok(
    got.some((l) => /^127\.0\.0\.1:10257 0\.0\.0\.0:\* users:\(\("kube-controller",pid=\d+,fd=3\)\)$/.test(l)),
    cp.out,
  );
  assert.ok(got.includes('*:10250 *:* users:(("kubelet",pid=226,fd=24))'), cp.out);
  assert.ok(
    got.some((l) => /^127\.0\.0\.1:10249 0\.0\.0\.0:\* users:\(\("kube-proxy",pid=\d+,fd=9\)\)$/.test(l)),
    cp.out,
  );
  assert.ok(
    got.some((l) => /^\*:10256 \*:\* users:\(\("kube-proxy",pid=\d+,fd=10\)\)$/.test(l)),
    cp.out,
  );
  assert.ok(
    got.some((l) => /^127\.0\.0\.1:\d{5} 0\.0\.0\.0:\* users:\(\("containerd",pid=109,fd=11\)\)$/.test(l)),
    cp.out,
  );
  // -4 leaves out the Go servers' dual-stack sockets
  assert.doesNotMatch((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'ss', '-4tln')).out, /\*:6443/);

  const worker = listeners((await run(lab, {}, 'docker', 'exec', 'kind-worker', 'ss', '-tnlp')).out);
  assert.deepEqual(
    // the two ephemeral ports are drawn at random: their order is not the point
    worker
      .map((l) => l.replace(/^(127\.0\.0\.11?):\d{5} (?=.*"containerd"|0\.0\.0\.0:\*$)/, '$1:PORT ').replace(/pid=\d+/, 'pid=N'))
      .sort(),
    [
      '*:10250 *:* users:(("kubelet",pid=N,fd=24))',
      '*:10256 *:* users:(("kube-proxy",pid=N,fd=10))',
      // Docker's embedded DNS (TCP side), held by dockerd outside the node: no process to name
      '127.0.0.11:PORT 0.0.0.0:*',
      '127.0.0.1:10248 0.0.0.0:* users:(("kubelet",pid=N,fd=21))',
      '127.0.0.1:10249 0.0.0.0:* users:(("kube-proxy",pid=N,fd=9))',
      '127.0.0.1:PORT 0.0.0.0:* users:(("containerd",pid=N,fd=11))',
    ],
  );
});

test("the node daemons' health endpoints answer as theirs do; an HTTPS port answers plain HTTP with Go's 400", async () => {
  const lab = await kindCluster(0);
  const curl = (...args: string[]) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', ...args);
  const healthz = await curl('-s', 'http://127.0.0.1:10248/healthz');
  assert.deepEqual([healthz.status, healthz.out, healthz.err], [0, 'ok', '']);
  // k8s.io/apiserver's healthz handler, as the kubelet and kube-proxy install it
  for (const port of [10248, 10249])
    assert.match(
      (await curl('-si', `http://127.0.0.1:${port}/healthz`)).out,
      /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n/,
    );
  const proxy = await curl('-si', 'http://127.0.0.1:10256/healthz');
  assert.match(proxy.out, /^HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nX-Content-Type-Options: nosniff\r\n/);
  assert.match(
    proxy.out,
    /\r\n\r\n\{"lastUpdated": "(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9})","currentTime": "\1", "nodeEligible": true\}$/,
  );
  // the kubelet's healthz listens on the loopback only
  const outside = await curl('-s', '-m', '2', 'http://172.18.0.2:10248/healthz');
  assert.equal(outside.status, 7);
  const plain = await curl('-si', 'http://localhost:6443/');
  assert.deepEqual([plain.status, plain.out], [0, 'HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n']);
});

test("curl -k reaches the apiserver's anonymous health endpoints; other paths are 403 for system:anonymous; without -k curl fails with (60)", async () => {
  const lab = await kindCluster(0);
  const curl = (...args: string[]) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', ...args);
  for (const path of ['/livez', '/readyz', '/healthz']) {
    const r = await curl('-k', `https://localhost:6443${path}`);
    assert.deepEqual([r.status, r.out, r.err], [0, 'ok', ''], path);
  }
  const version = await curl('-sk', 'https://172.18.0.2:6443/version');
  assert.equal(JSON.parse(version.out).gitVersion, 'v1.36.1');
  const root = await curl('-k', '-i', 'https://localhost:6443/');
  assert.match(root.out, /^HTTP\/1\.1 403 Forbidden\r\n/);
  assert.match(
    root.out,
    /\r\n\r\n\{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": \{\},\n  "status": "Failure",\n  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"\/\\"",\n  "reason": "Forbidden",\n  "details": \{\},\n  "code": 403\n\}\n$/,
  );
  const strict = await curl('https://localhost:6443/livez');
  assert.equal(strict.status, 60);
  assert.equal(strict.out, '');
  assert.match(
    strict.err,
    /^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\nMore details here: https:\/\/curl\.se\/docs\/sslcerts\.html\n\ncurl failed to verify/,
  );
  const silent = await curl('-s', 'https://localhost:6443/livez');
  assert.deepEqual([silent.status, silent.err], [60, '']);
  const trusted = await curl('--cacert', '/etc/kubernetes/pki/ca.crt', 'https://localhost:6443/readyz');
  assert.deepEqual([trusted.status, trusted.out], [0, 'ok']);
  // a port nothing listens on is still (7)
  assert.equal((await curl('-sk', 'https://localhost:6444/')).status, 7);
});

test("the apiserver's ?verbose health listings, kube-proxy's /proxyMode and the kubelet's verbose /healthz", async () => {
  const lab = await kindCluster(0);
  const curl = (...args: string[]) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', ...args);
  const readyz = (await curl('-sk', 'https://127.0.0.1:6443/readyz?verbose')).out.split('\n');
  assert.deepEqual(readyz.slice(0, 6), [
    '[+]ping ok',
    '[+]log ok',
    '[+]etcd ok',
    '[+]etcd-readiness ok',
    '[+]informer-sync ok',
    '[+]poststarthook/start-apiserver-admission-initializer ok',
  ]);
  assert.deepEqual(readyz.slice(-7), [
    '[+]poststarthook/kube-apiserver-autoregistration ok',
    '[+]autoregister-completion ok',
    '[+]poststarthook/apiservice-openapi-controller ok',
    '[+]poststarthook/apiservice-openapiv3-controller ok',
    '[+]shutdown ok',
    'readyz check passed',
    '',
  ]);
  assert.ok(readyz.includes('[+]poststarthook/rbac/bootstrap-roles ok'));
  const livez = (await curl('-sk', 'https://127.0.0.1:6443/livez?verbose&exclude=etcd&exclude=nope')).out;
  assert.match(livez, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd excluded: ok\n\[\+\]poststarthook\//);
  assert.doesNotMatch(livez, /\[\+\](informer-sync|shutdown|etcd-readiness) ok/);
  assert.match(
    livez,
    /\[\+\]poststarthook\/apiservice-openapiv3-controller ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nlivez check passed\n$/,
  );
  // one check's path is not among system:public-info-viewer's URLs
  assert.match((await curl('-sk', 'https://127.0.0.1:6443/readyz/etcd')).out, /cannot get path \\"\/readyz\/etcd\\"/);

  const mode = await curl('-si', 'http://127.0.0.1:10249/proxyMode');
  assert.match(mode.out, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(mode.out, /\r\nContent-Type: text\/plain; charset=utf-8\r\n/);
  assert.match(mode.out, /\r\n\r\niptables$/, 'the mode, no newline');
  assert.equal((await curl('-s', 'http://127.0.0.1:10248/healthz?verbose')).out, '[+]ping ok\nhealthz check passed\n');
});

test("a static pod's server stops listening when its manifest is removed", async () => {
  const lab = await kindCluster(0);
  const exec = (...argv: string[]) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', ...argv);
  assert.match((await exec('ss', '-tnl')).out, /127\.0\.0\.1:10259 /);
  await exec('rm', '/etc/kubernetes/manifests/kube-scheduler.yaml');
  await exec('sleep', '30');
  assert.doesNotMatch((await exec('ss', '-tnl')).out, /:10259 /);
});

test("etcd's metrics listener on 127.0.0.1:2381 answers /readyz, /livez, /health and /metrics as etcd 3.6 does", async () => {
  const lab = await kindCluster(0);
  const curl = (...args: string[]) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', ...args);
  const readyz = await curl('-s', '127.0.0.1:2381/readyz');
  assert.deepEqual([readyz.status, readyz.out], [0, 'ok\n']);
  const livez = await curl('-si', 'http://127.0.0.1:2381/livez');
  assert.match(
    livez.out,
    /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: .*\r\nContent-Length: 3\r\n\r\nok\n$/,
  );
  const verbose = await curl('-s', 'http://127.0.0.1:2381/readyz?verbose&exclude=non_learner');
  assert.equal(verbose.out, '[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read ok\nok\n');
  assert.equal((await curl('-s', 'http://127.0.0.1:2381/readyz/non_learner?verbose')).out, '[+]non_learner ok\nok\n');
  const health = await curl('-si', 'http://127.0.0.1:2381/health?serializable=true');
  assert.match(
    health.out,
    /^HTTP\/1\.1 200 OK\r\n.*\r\nContent-Length: 29\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\n\{"health":"true","reason":""\}$/s,
  );
  const post = await curl('-si', '-X', 'POST', 'http://127.0.0.1:2381/livez');
  assert.match(post.out, /^HTTP\/1\.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Type: text\/plain; charset=utf-8\r\n/);
  assert.match(post.out, /\r\n\r\nMethod Not Allowed\n$/);
  assert.match((await curl('-si', 'http://127.0.0.1:2381/readyz/')).out, /^HTTP\/1\.1 404 Not Found\r\n/);
  // the listener is on the loopback only
  assert.equal((await curl('-s', '-m', '2', 'http://172.18.0.2:2381/readyz')).status, 7);

  lab.advance(20_000); // the kubelet's probes of etcd (readiness every second, liveness every 10 s)
  const m = await curl('-si', 'http://127.0.0.1:2381/metrics');
  assert.match(m.out, /\r\nContent-Type: text\/plain; version=0\.0\.4; charset=utf-8; escaping=underscores\r\n/);
  assert.match(
    m.out,
    /\r\n# HELP etcd_server_has_leader Whether or not a leader exists\. 1 is existence, 0 is not\.\n# TYPE etcd_server_has_leader gauge\netcd_server_has_leader 1\n/,
  );
  assert.match(m.out, /^etcd_server_health_success 1$/m, 'the one /health above');
  assert.match(m.out, /^etcd_server_version\{server_version="3\.6\.8"\} 1$/m);
  assert.match(m.out, /^etcd_server_healthcheck\{name="non_learner",type="readyz"\} 1$/m);
  // readiness probes each second once the startup probe (delay 10 s) has passed, and the curls above; liveness every 10 s
  const readyzRuns = Number(
    /^etcd_server_healthchecks_total\{name="data_corruption",status="success",type="readyz"\} (\d+)$/m.exec(m.out)?.[1],
  );
  assert.ok(readyzRuns >= 10, m.out);
  const livezRuns = Number(
    /^etcd_server_healthchecks_total\{name="serializable_read",status="success",type="livez"\} (\d+)$/m.exec(m.out)?.[1],
  );
  assert.ok(livezRuns >= 2 && livezRuns < 5, m.out);
  assert.match(m.out, /^promhttp_metric_handler_requests_total\{code="200"\} 0$/m);
  const families = [...m.out.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1]!);
  assert.deepEqual(families, [...families].sort(), 'families sorted by name');
  assert.match((await curl('-s', 'http://127.0.0.1:2381/metrics')).out, /^promhttp_metric_handler_requests_total\{code="200"\} 1$/m);
});

test("seed 000's kubeadmConfigPatches: kcm, scheduler, etcd metrics and kube-proxy metrics listen on every address", async () => {
  const lab = standardLab();
  const config = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    controllerManager:
      extraArgs:
        bind-address: 0.0.0.0
    etcd:
      local:
        extraArgs:
          listen-metrics-urls: http://0.0.0.0:2381
    scheduler:
      extraArgs:
        bind-address: 0.0.0.0
  - |
    kind: KubeProxyConfiguration
    metricsBindAddress: 0.0.0.0
- role: worker
`;
  const created = await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s');
  assert.equal(created.status, 0, created.err);
  lab.advance(30_000);
  const cp = listeners((await run(lab, {}, 'docker', 'exec', 'myk8s-control-plane', 'ss', '-tnlp')).out);
  // Go's net.Listen("tcp", "0.0.0.0:…") is a dual-stack socket: ss prints `*`
  for (const [port, comm] of [
    [2381, 'etcd'],
    [10257, 'kube-controller'],
    [10259, 'kube-scheduler'],
    [10249, 'kube-proxy'],
  ] as const)
    assert.ok(
      cp.some((l) => new RegExp(`^\\*:${port} \\*:\\* users:\\(\\("${comm}",pid=\\d+,fd=\\d+\\)\\)$`).test(l)),
      `*:${port} ${comm} in\n${cp.join('\n')}`,
    );
  assert.ok(!cp.some((l) => /^127\.0\.0\.1:(2381|10257|10259|10249) /.test(l)), cp.join('\n'));
  // etcd's client listener is untouched
  assert.ok(
    cp.some((l) => l.startsWith('127.0.0.1:2379 ')),
    cp.join('\n'),
  );
  const worker = listeners((await run(lab, {}, 'docker', 'exec', 'myk8s-worker', 'ss', '-tnlp')).out);
  assert.ok(
    worker.some((l) => /^\*:10249 \*:\* users:\(\("kube-proxy",/.test(l)),
    worker.join('\n'),
  );

  const manifest = await run(
    lab,
    {},
    'docker',
    'exec',
    'myk8s-control-plane',
    'cat',
    '/etc/kubernetes/manifests/kube-controller-manager.yaml',
  );
  assert.match(manifest.out, /\n    - --bind-address=0\.0\.0\.0\n/);
  assert.doesNotMatch(manifest.out, /127\.0\.0\.1/);
  const etcd = await run(lab, {}, 'docker', 'exec', 'myk8s-control-plane', 'cat', '/etc/kubernetes/manifests/etcd.yaml');
  assert.match(etcd.out, /\n    - --listen-metrics-urls=http:\/\/0\.0\.0\.0:2381\n/);

  const cm = await run(lab, {}, 'kubectl', 'describe', 'cm', '-n', 'kube-system', 'kube-proxy');
  assert.match(cm.out, /\nmetricsBindAddress: 0\.0\.0\.0\n/);
  // etcd's probe host is 0.0.0.0 (GetEtcdProbeEndpoint): a connect() there reaches 127.0.0.1
  const readyz = await run(lab, {}, 'docker', 'exec', 'myk8s-control-plane', 'curl', '-s', 'http://0.0.0.0:2381/readyz');
  assert.equal(readyz.out.trimEnd(), 'ok', readyz.err);
  // the control plane's pods stay Ready with their probes on the new addresses
  const pods = await run(lab, {}, 'kubectl', 'get', 'pods', '-n', 'kube-system', '-o', 'wide');
  for (const name of ['etcd', 'kube-controller-manager', 'kube-scheduler'])
    assert.match(pods.out, new RegExp(`\\n${name}-myk8s-control-plane +1/1 +Running `), pods.out);
});

test("kube-apiserver's and etcd's sockets follow their patched flags: ss, what answers, and the kubelet's probe on the advertise address", async () => {
  const lab = standardLab();
  const config = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer:
      extraArgs:
        bind-address: 127.0.0.1
    etcd:
      local:
        extraArgs:
          listen-client-urls: https://127.0.0.1:2379
          listen-peer-urls: https://0.0.0.0:2380
`;
  const created = await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(created.status, 0, created.err);
  lab.advance(60_000);
  const cp = listeners((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'ss', '-tnlp')).out);
  const etcdAndApi = cp.filter((l) => /"(etcd|kube-apiserver)"/.test(l)).map((l) => l.replace(/pid=\d+/, 'pid=N'));
  assert.deepEqual(etcdAndApi, [
    '127.0.0.1:2379 0.0.0.0:* users:(("etcd",pid=N,fd=8))',
    '*:2380 *:* users:(("etcd",pid=N,fd=7))',
    '127.0.0.1:2381 0.0.0.0:* users:(("etcd",pid=N,fd=14))',
    '127.0.0.1:6443 0.0.0.0:* users:(("kube-apiserver",pid=N,fd=3))',
  ]);
  const curl = (url: string) => run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', '-sk', url);
  assert.equal((await curl('https://127.0.0.1:6443/livez')).out, 'ok');
  assert.equal((await curl('https://172.18.0.2:6443/livez')).status, 7, 'nothing listens on the node address');
  // kubeadm probes the advertise address: the startup probe fails and the apiserver is not Ready
  const pods = await run(lab, {}, 'kubectl', 'get', 'pods', '-n', 'kube-system');
  assert.match(pods.out, /\nkube-apiserver-kind-control-plane +0\/1 +Running /, pods.out);
  const events = await run(lab, {}, 'kubectl', 'get', 'events', '-n', 'kube-system');
  assert.match(
    events.out,
    /Warning +Unhealthy +pod\/kube-apiserver-kind-control-plane +Startup probe failed: Get "https:\/\/172\.18\.0\.2:6443\/livez": dial tcp 172\.18\.0\.2:6443: connect: connection refused\n/,
  );
});

test('a patched --secure-port moves the apiserver; etcd listens on every --listen-client-urls URL, fds in opening order', async () => {
  const lab = standardLab();
  const config = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: ClusterConfiguration
  apiServer:
    extraArgs:
      secure-port: "6444"
  etcd:
    local:
      extraArgs:
        listen-client-urls: https://127.0.0.1:2379,https://0.0.0.0:12379
nodes:
- role: control-plane
`;
  const created = await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(created.status, 0, created.err);
  lab.advance(5_000);
  const cp = listeners((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'ss', '-tnlp')).out);
  const etcdAndApi = cp.filter((l) => /"(etcd|kube-apiserver)"/.test(l)).map((l) => l.replace(/pid=\d+/, 'pid=N'));
  assert.deepEqual(etcdAndApi, [
    '127.0.0.1:2379 0.0.0.0:* users:(("etcd",pid=N,fd=8))',
    '172.18.0.2:2380 0.0.0.0:* users:(("etcd",pid=N,fd=7))',
    '127.0.0.1:2381 0.0.0.0:* users:(("etcd",pid=N,fd=14))',
    '*:6444 *:* users:(("kube-apiserver",pid=N,fd=3))',
    '*:12379 *:* users:(("etcd",pid=N,fd=9))',
  ]);
  const manifest = await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'cat', '/etc/kubernetes/manifests/kube-apiserver.yaml');
  assert.match(manifest.out, /\n    - --secure-port=6444\n/);
  assert.equal((await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'curl', '-sk', 'https://127.0.0.1:6444/readyz')).out, 'ok');
});
