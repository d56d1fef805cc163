// The busybox image's own network applets against cluster DNS (issue 16): BusyBox's nslookup reads
// resolv.conf itself (search domains only for a dotless name, never the bare name; A and AAAA at
// once), and its ping and wget resolve through the C library's search walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from './index.js';
import { kindCluster, run, whoamiWeb } from './fixtures.js';

const BOX = `apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: box
    image: busybox
    command: ["sleep", "3600"]
`;

async function cluster(): Promise<{ lab: Lab; webIp: string }> {
  const lab = await kindCluster(1, `${whoamiWeb(1)}---\n${BOX}`);
  const svc = lab.kind.get('kind')!.cluster.store.get('services', 'default', 'web');
  return { lab, webIp: (svc.spec as { clusterIP: string }).clusterIP };
}

const exec = (lab: Lab, ...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'box', '--', ...cmd);
const HEAD = 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n';

test('busybox nslookup: a Service FQDN answers A (authoritative: no "Non-authoritative answer:") and an empty AAAA (a blank line)', async () => {
  const { lab, webIp } = await cluster();
  const r = await exec(lab, 'nslookup', 'web.default.svc.cluster.local');
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, `${HEAD}Name:\tweb.default.svc.cluster.local\nAddress: ${webIp}\n\n\n`);
});

test('busybox nslookup: a short name is asked with each search domain (A then AAAA), the misses print NXDOMAIN and the exit status is 1', async () => {
  const { lab, webIp } = await cluster();
  const r = await exec(lab, 'nslookup', 'web');
  assert.equal(r.status, 1);
  assert.equal(
    r.out,
    HEAD +
      `Name:\tweb.default.svc.cluster.local\nAddress: ${webIp}\n\n` +
      "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
      "** server can't find web.cluster.local: NXDOMAIN\n\n" +
      '\n' +
      "** server can't find web.svc.cluster.local: NXDOMAIN\n\n" +
      "** server can't find web.cluster.local: NXDOMAIN\n\n",
  );
});

test('busybox nslookup: a dotted name skips the search list (kubernetes.default is NXDOMAIN), an unknown FQDN is NXDOMAIN twice, exit 1', async () => {
  const { lab } = await cluster();
  const dotted = await exec(lab, 'nslookup', 'kubernetes.default');
  assert.equal(dotted.status, 1);
  assert.equal(
    dotted.out,
    `${HEAD}** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\n`,
  );
  const missing = await exec(lab, 'nslookup', 'nope.default.svc.cluster.local');
  assert.equal(missing.status, 1);
  assert.equal(
    missing.out,
    `${HEAD}** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n`,
  );
  const srv = await exec(lab, 'nslookup', '-type=srv', '_http._tcp.web.default.svc.cluster.local');
  assert.equal(srv.status, 0);
  assert.equal(srv.out, `${HEAD}_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local\n\n`);
  const bad = await exec(lab, 'nslookup', '-type=bogus', 'web');
  assert.equal(bad.status, 1);
  assert.match(bad.err, /^nslookup: invalid query type "bogus"\n/);
});

test('busybox nslookup: a server that does not answer times out after 5 s of virtual time', async () => {
  const { lab } = await cluster();
  const t0 = lab.clock.now();
  const r = await exec(lab, 'nslookup', 'web', '10.96.0.99');
  assert.equal(r.status, 1);
  assert.equal(r.out, ';; connection timed out; no servers could be reached\n\n');
  assert.ok(lab.clock.now() - t0 >= 5000);
});

const NETSHOOT = `apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
  - name: tools
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
---
apiVersion: v1
kind: Service
metadata:
  name: web-headless
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: http
    port: 80
`;

test('busybox wget and ping resolve a short Service name through the search walk; unknown names are bad addresses (exit 1)', async () => {
  const { lab, webIp } = await cluster();
  const got = await exec(lab, 'wget', '-qO-', 'http://web');
  assert.equal(got.status, 0, got.err);
  assert.match(got.out, /^Hostname: web-/m);
  assert.match(got.out, /^GET \/ HTTP\/1\.1$/m);
  assert.match(got.out, /^User-Agent: Wget$/m);
  const loud = await exec(lab, 'wget', '-O', '-', 'http://web.default.svc.cluster.local/');
  assert.equal(loud.status, 0, loud.err);
  assert.equal(loud.err, `Connecting to web.default.svc.cluster.local (${webIp}:80)\nwriting to stdout\nwritten to stdout\n`);
  // the Kubernetes docs' NetworkPolicy walkthrough: --spider checks the URL and saves nothing
  const spider = await exec(lab, 'wget', '--spider', '--timeout=1', 'web');
  assert.equal(spider.status, 0, spider.err);
  assert.equal(spider.out, '');
  assert.equal(spider.err, `Connecting to web (${webIp}:80)\nremote file exists\n`);
  const missing = await exec(lab, 'wget', '-qO-', 'http://nope:8080/x');
  assert.equal(missing.status, 1);
  assert.match(missing.err, /^wget: bad address 'nope:8080'\n/);
  const notFound = await exec(lab, 'wget', '-qO-', 'http://web/nothing-here');
  assert.equal(notFound.status, 0, 'whoami answers every path');
  const ping = await exec(lab, 'ping', '-c', '1', '-W', '1', 'web');
  // a ClusterIP does not answer ICMP under kube-proxy's iptables mode: the header names it as typed
  assert.equal(ping.status, 1);
  assert.match(ping.out, new RegExp(`^PING web \\(${webIp.replace(/\./g, '\\.')}\\): 56 data bytes\n`));
  const bad = await exec(lab, 'ping', '-c', '1', 'nope');
  assert.equal(bad.status, 1);
  assert.match(bad.err, /^ping: bad address 'nope'\n/);
});

test("iputils ping (netshoot, musl) names the canonical name the search walk found, looks repliers up by PTR, and fails with musl's gai_strerror (exit 2)", async () => {
  const { lab, webIp } = await cluster();
  assert.equal((await run(lab, { 'n.yaml': NETSHOOT }, 'kubectl', 'apply', '-f', 'n.yaml')).status, 0);
  lab.advance(5000);
  const tools = (...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'tools', '--', ...cmd);
  const svc = await tools('ping', '-c', '1', '-W', '1', 'web');
  assert.equal(svc.status, 1);
  assert.match(
    svc.out,
    new RegExp(`^PING web\\.default\\.svc\\.cluster\\.local \\(${webIp.replace(/\./g, '\\.')}\\) 56\\(84\\) bytes of data\\.\n`),
  );
  assert.match(svc.out, /--- web\.default\.svc\.cluster\.local ping statistics ---/);
  const podIp = (
    lab.kind
      .get('kind')!
      .cluster.store.list('pods', 'default')
      .items.find((p) => p.metadata.name!.startsWith('web-'))!.status as { podIP: string }
  ).podIP;
  const headless = await tools('ping', '-c', '1', 'web-headless');
  assert.equal(headless.status, 0, headless.err);
  const esc = podIp.replace(/\./g, '\\.');
  assert.match(
    headless.out,
    new RegExp(
      `^PING web-headless\\.default\\.svc\\.cluster\\.local \\(${esc}\\) 56\\(84\\) bytes of data\\.\n64 bytes from ${podIp.replace(/\./g, '-')}\\.web(-headless)?\\.default\\.svc\\.cluster\\.local \\(${esc}\\): icmp_seq=1 `,
    ),
  );
  const numeric = await tools('ping', '-n', '-c', '1', 'web-headless');
  assert.match(numeric.out, new RegExp(`\n64 bytes from ${esc}: icmp_seq=1 `));
  const bad = await tools('ping', '-c', '1', 'nope');
  assert.equal(bad.status, 2);
  assert.match(bad.err, /^ping: nope: Name does not resolve\n/);
});

test('busybox nslookup, ping and wget against a nameserver that is not there: the words busybox 1.35 prints on this machine', async () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: lonely
spec:
  dnsPolicy: None
  dnsConfig:
    nameservers: ["127.0.0.1"]
    searches: ["default.svc.cluster.local"]
  containers:
  - name: box
    image: busybox
    command: ["sleep", "3600"]
`;
  const lab = await kindCluster(0, pod);
  const box = (...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'lonely', '--', ...cmd);
  // the connected socket's second write meets the ICMP port unreachable its first one drew
  const ns = await box('nslookup', 'web');
  assert.equal(ns.status, 1);
  assert.equal(ns.out, ';; connection timed out; no servers could be reached\n\n');
  assert.match(ns.err, /^nslookup: write to '127\.0\.0\.1': Connection refused\n/);
  assert.match((await box('ping', '-c1', '-W1', 'web')).err, /^ping: bad address 'web'\n/);
  assert.match((await box('wget', '-qO-', 'http://web/')).err, /^wget: bad address 'web'\n/);
});
