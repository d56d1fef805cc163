// Docker's embedded DNS on the kind network as the seeds meet it: node and container names resolve
// from the nodes, from a plain container (mypc) and from a pod with dnsPolicy Default; kind's network
// magic shows in the nodes' nat table; a stopped container's name stops resolving.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindConfig } from './fixtures.js';
import { runByHand, standardLab, type Lab } from './index.js';

async function ok(lab: Lab, argv: string[], files: Record<string, string> = {}): Promise<string> {
  const r = await runByHand(lab, argv, { files });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.out}${r.err}`);
  return r.out;
}

const HOST_NET_POD = `apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  dnsPolicy: Default
  containers:
  - name: tools
    image: nicolaka/netshoot
    command: [sleep, infinity]
`;

test('a kind node: docker DNS rules rewritten to the docker host (OUTPUT and PREROUTING), sockets on 127.0.0.11, resolv.conf kept as .original', async () => {
  const lab = standardLab();
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'k.yaml'], { 'k.yaml': kindConfig(1) });
  const nat = await ok(lab, ['docker', 'exec', 'kind-worker', 'iptables', '-t', 'nat', '-S']);
  const docker = nat.split('\n').filter((l) => l.includes('DOCKER_'));
  assert.deepEqual(
    docker.map((l) => l.replace(/(127\.0\.0\.11:|--sport )\d+/, '$1PORT')),
    [
      '-N DOCKER_OUTPUT',
      '-N DOCKER_POSTROUTING',
      '-A PREROUTING -d 172.18.0.1/32 -j DOCKER_OUTPUT',
      '-A OUTPUT -d 172.18.0.1/32 -j DOCKER_OUTPUT',
      '-A POSTROUTING -d 172.18.0.1/32 -j DOCKER_POSTROUTING',
      '-A DOCKER_OUTPUT -d 172.18.0.1/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:PORT',
      '-A DOCKER_OUTPUT -d 172.18.0.1/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:PORT',
      '-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport PORT -j SNAT --to-source 172.18.0.1:53',
      '-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport PORT -j SNAT --to-source 172.18.0.1:53',
    ],
  );
  // kube-proxy's jump, inserted later at the head, comes before the network magic's
  assert.match(
    nat,
    /-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n-A PREROUTING -d 172\.18\.0\.1\/32 -j DOCKER_OUTPUT\n/,
  );
  const udpPort = /-p udp -m udp --dport 53 -j DNAT --to-destination 127\.0\.0\.11:(\d+)/.exec(nat)![1];
  const ss = await ok(lab, ['docker', 'exec', 'kind-worker', 'ss', '-ulpn']);
  assert.match(ss, new RegExp(`\\nUNCONN +0 +0 +127\\.0\\.0\\.11:${udpPort} +0\\.0\\.0\\.0:\\* *\\n`));
  assert.match(await ok(lab, ['docker', 'exec', 'kind-worker', 'cat', '/etc/resolv.conf']), /\nnameserver 172\.18\.0\.1\n/);
  assert.match(await ok(lab, ['docker', 'exec', 'kind-worker', 'cat', '/etc/resolv.conf.original']), /\nnameserver 127\.0\.0\.11\n/);
});

test('names on the kind network: nodes reach each other and mypc by name, a dnsPolicy Default pod too, until the container stops', async () => {
  const lab = standardLab();
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'k.yaml'], { 'k.yaml': kindConfig(1) });
  await ok(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'mypc',
    '--network',
    'kind',
    '--ip',
    '172.18.0.100',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  // a plain container's resolver is 127.0.0.11 itself: docker's own rules, untouched by kind
  assert.match(await ok(lab, ['docker', 'exec', 'mypc', 'cat', '/etc/resolv.conf']), /\nnameserver 127\.0\.0\.11\n/);
  assert.match(await ok(lab, ['docker', 'exec', 'mypc', 'ping', '-c', '1', 'kind-worker']), /^PING kind-worker \(172\.18\.0\.\d+\) /);
  assert.match(
    await ok(lab, ['docker', 'exec', 'mypc', 'dig', 'kind-worker']),
    /\n;; ANSWER SECTION:\nkind-worker\.\t+600\tIN\tA\t172\.18\.0\.\d+\n[^]*\n;; SERVER: 127\.0\.0\.11#53\(127\.0\.0\.11\) \(UDP\)\n/,
  );
  assert.equal(await ok(lab, ['docker', 'exec', 'kind-worker', 'getent', 'hosts', 'mypc']), '172.18.0.100    mypc\n');
  // kind's node image has no ping: curl names the address it resolved when nothing listens there
  const reach = await runByHand(lab, ['docker', 'exec', 'kind-worker', 'curl', '-sS', 'mypc:9']);
  assert.equal(reach.status, 7);
  assert.match(reach.err, /^curl: \(7\) Failed to connect to mypc port 9 after \d+ ms: /);

  await ok(lab, ['kubectl', 'apply', '-f', 'p.yaml'], { 'p.yaml': HOST_NET_POD });
  await lab.wait(5_000);
  // the pod's DNS is its node's resolv.conf: 172.18.0.1, DNATed by the node's PREROUTING to docker's resolver
  assert.equal(await ok(lab, ['kubectl', 'exec', 'tools', '--', 'dig', '+short', 'kind-control-plane']), '172.18.0.2\n');
  assert.equal(await ok(lab, ['kubectl', 'exec', 'tools', '--', 'dig', '+short', 'mypc']), '172.18.0.100\n');

  await ok(lab, ['docker', 'stop', 'mypc']);
  const gone = await runByHand(lab, ['docker', 'exec', 'kind-worker', 'curl', '-sS', 'mypc:9']);
  assert.equal(gone.status, 6, gone.out + gone.err);
  assert.equal(gone.err, 'curl: (6) Could not resolve host: mypc\n');
});
