// The busybox image's own network applets against cluster DNS (issue 16): BusyBox's nslookup reads
// resolv.conf itself (search domains only for a dotless name, never the bare name; A and AAAA at
// once), and its ping and wget resolve through the C library's search walk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';
import { kindConfig, whoamiWeb } from './fixtures.js';

async function run(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const c = captured({ files });
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err };
}

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
  const lab = standardLab();
  const r = await run(lab, { 'kind.yaml': kindConfig(1) }, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.equal(r.status, 0, r.err);
  lab.advance(2000);
  const applied = await run(lab, { 'a.yaml': `${whoamiWeb(1)}---\n${BOX}` }, 'kubectl', 'apply', '-f', 'a.yaml');
  assert.equal(applied.status, 0, applied.err);
  lab.advance(5000);
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
  assert.equal(r.out, HEAD
    + `Name:\tweb.default.svc.cluster.local\nAddress: ${webIp}\n\n`
    + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
    + "** server can't find web.cluster.local: NXDOMAIN\n\n"
    + '\n'
    + "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
    + "** server can't find web.cluster.local: NXDOMAIN\n\n");
});

test('busybox nslookup: a dotted name skips the search list (kubernetes.default is NXDOMAIN), an unknown FQDN is NXDOMAIN twice, exit 1', async () => {
  const { lab } = await cluster();
  const dotted = await exec(lab, 'nslookup', 'kubernetes.default');
  assert.equal(dotted.status, 1);
  assert.equal(dotted.out, `${HEAD}** server can't find kubernetes.default: NXDOMAIN\n\n** server can't find kubernetes.default: NXDOMAIN\n\n`);
  const missing = await exec(lab, 'nslookup', 'nope.default.svc.cluster.local');
  assert.equal(missing.status, 1);
  assert.equal(missing.out, `${HEAD}** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n`);
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
