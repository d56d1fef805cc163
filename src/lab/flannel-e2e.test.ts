// Seed 000 §4 end to end with flanneld and the flannel/bridge CNI plugins: flannel applied from
// its URL on a kind cluster without its default CNI, the seed's `docker cp bridge` fix, then
// pod-1 (myk8s-worker) and pod-2 (myk8s-worker2) ping each other across flannel.1, and the VXLAN
// packets seen on eth0 (UDP 8472, VNI 1) carry the node IPs outside and the pod IPs inside.
// (The seed's `tcpdump -w /root/vxlan.pcap` then `docker cp` is not used: a capture file written
// by tcpdump under docker exec does not reach the container's files yet.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captured, runByHand, standardLab, type Lab } from './index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const NODES = ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'];

async function ok(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string): Promise<string> {
  const r = await runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
}

test('seed 000 §4 end to end: flannel from its URL, docker cp bridge, pod-1 pings pod-2 across flannel.1, eth0 carries VXLAN (UDP 8472, VNI 1) between the node IPs', async () => {
  const lab = standardLab();
  const kindCni = readFileSync(join(ROOT, 'test/seeds/kind-000_L1010.yaml'), 'utf8').replace(/^#.*\n/, '');
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s', '--image', 'kindest/node:v1.30.4'], {
    'kind-cni.yaml': kindCni,
  });
  await ok(lab, ['kubectl', 'apply', '-f', 'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml']);
  const pods = readFileSync(join(ROOT, 'test/seeds/000_L1315.yaml'), 'utf8').replace(/^#.*\n/, '');
  assert.equal(await ok(lab, ['kubectl', 'create', '-f', '-'], {}, pods), 'pod/pod-1 created\npod/pod-2 created\n');
  await lab.wait(10_000);
  // kind's node image has no bridge plugin: flannel's delegate fails until the seed copies it in
  const described = await ok(lab, ['kubectl', 'describe', 'pod', 'pod-1']);
  assert.match(
    described,
    /plugin type="flannel" failed \(add\): failed to delegate add: failed to find plugin "bridge" in path \[\/opt\/cni\/bin\]\n/,
  );
  for (const n of NODES) {
    await ok(lab, ['docker', 'cp', 'bridge', `${n}:/opt/cni/bin/bridge`], { bridge: '\x7fELF bridge v1.9.1\n' });
    await ok(lab, ['docker', 'exec', '-it', n, 'chmod', '755', '/opt/cni/bin/bridge']);
  }
  await lab.wait(60_000);
  const ip = async (pod: string) => ok(lab, ['kubectl', 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);
  const [ip1, ip2] = [await ip('pod-1'), await ip('pod-2')];
  assert.match(ip1, /^10\.244\.1\.\d+$/);
  assert.match(ip2, /^10\.244\.2\.\d+$/);
  const ping = await runByHand(lab, ['kubectl', 'exec', 'pod-1', '--', 'ping', '-c', '1', ip2]);
  assert.equal(ping.status, 0, ping.out + ping.err);
  assert.match(ping.out, new RegExp(`^64 bytes from ${ip2.replace(/\./g, '\\.')}: icmp_seq=1 ttl=62 `, 'm'));
  const back = await runByHand(lab, ['kubectl', 'exec', 'pod-2', '--', 'ping', '-c', '1', ip1]);
  assert.equal(back.status, 0, back.out + back.err);

  // the seed installs its tools on the nodes
  await ok(lab, [
    'docker',
    'exec',
    '-it',
    'myk8s-worker',
    'sh',
    '-c',
    'apt update && apt install tree jq psmisc lsof wget bridge-utils tcpdump iputils-ping -y',
  ]);
  // the seed's pings from a node to every node's flannel.1 address (the others' go through the overlay)
  for (const a of ['10.244.0.0', '10.244.1.0', '10.244.2.0']) {
    const r = await runByHand(lab, ['docker', 'exec', 'myk8s-worker', 'ping', '-c', '1', a]);
    assert.equal(r.status, 0, `${a}: ${r.out}${r.err}`);
  }
  // out of the cluster network: FLANNEL-POSTRTG masquerades pod-1 behind its node's address
  await ok(lab, ['kubectl', 'exec', 'pod-1', '--', 'ping', '-c', '1', '172.18.0.1']);
  const ct = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'conntrack', '-L', '-p', 'icmp']);
  assert.match(ct, new RegExp(`src=${ip1.replace(/\./g, '\\.')} dst=172\\.18\\.0\\.1 .* src=172\\.18\\.0\\.1 dst=172\\.18\\.0\\.3 `), ct);
  assert.doesNotMatch(
    ct,
    new RegExp(`src=${ip2.replace(/\./g, '\\.')} dst=${ip1.replace(/\./g, '\\.')} .* dst=172\\.18`),
    'pod to pod is not masqueraded',
  );

  // tcpdump on myk8s-worker's eth0 while pod-1 pings pod-2: VXLAN to UDP 8472 (tcpdump names the port OTV), VNI 1
  const tcp = captured();
  const capture = lab.run(['docker', 'exec', 'myk8s-worker', 'tcpdump', '-i', 'eth0', '-nn', '-c', '2', 'udp', 'port', '8472'], tcp);
  await ok(lab, ['kubectl', 'exec', 'pod-1', '--', 'ping', '-c', '1', ip2]);
  assert.equal((await capture).status, 0, tcp.err);
  const q = (s: string) => s.replace(/\./g, '\\.');
  assert.match(
    tcp.out,
    new RegExp(
      [
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IP 172\\.18\\.0\\.3\\.\\d+ > 172\\.18\\.0\\.4\\.8472: OTV, flags \\[I\\] \\(0x08\\), overlay 0, instance 1\n`,
        `IP ${q(ip1)} > ${q(ip2)}: ICMP echo request, id \\d+, seq 1, length 64\n`,
        `\\d\\d:\\d\\d:\\d\\d\\.\\d{6} IP 172\\.18\\.0\\.4\\.\\d+ > 172\\.18\\.0\\.3\\.8472: OTV, flags \\[I\\] \\(0x08\\), overlay 0, instance 1\n`,
        `IP ${q(ip2)} > ${q(ip1)}: ICMP echo reply, id \\d+, seq 1, length 64\n$`,
      ].join(''),
    ),
    tcp.out,
  );
});
