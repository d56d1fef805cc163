// Captures written by the emulated tcpdump open in the real tshark and decode as the traffic
// that made them: ICMP over Ethernet across a bridge, and flannel's VXLAN on UDP 8472.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Session } from './session.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(join(tmpdir(), 'knetlab-pcap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const skip = tshark ? false : 'tshark is not installed (apt-get install tshark); .ci/run installs it';
if (skip && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${skip} (KNETLAB_REQUIRE_REALLAB=1)`);

/** Runs a script on a fresh session, writing files into the temporary directory. */
function run(script: string): void {
  const s = new Session({ host: 'cap', seed: 'cap' });
  let err = '';
  const status = s.run(script, {
    stdout() {},
    stderr: (t) => (err += t),
    writeFile: (p, d) => writeFileSync(join(dir, p), d),
    readFile: () => undefined,
  });
  assert.equal(status, 0, err);
}

function fields(file: string, extra: string[], ...names: string[]): string[] {
  const r = spawnSync('tshark', ['-r', join(dir, file), ...extra, '-T', 'fields', ...names.flatMap((n) => ['-e', n])], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

test('a capture on a bridge port of two namespaces pinging each other decodes in tshark as ICMP over Ethernet', { skip }, () => {
  run(`ip netns add ns1
ip netns add ns2
ip link add br0 type bridge
ip link set br0 up
ip link add veth1 type veth peer name eth0 netns ns1
ip link add veth2 type veth peer name eth0 netns ns2
ip link set veth1 master br0
ip link set veth2 master br0
ip link set veth1 up
ip link set veth2 up
ip netns exec ns1 ip link set eth0 up
ip netns exec ns2 ip link set eth0 up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev eth0
ip netns exec ns2 ip addr add 172.18.0.3/24 dev eth0
ip netns exec ns1 ping -c 2 172.18.0.3
tcpdump -i veth1 -nn -w bridge.pcap icmp`);
  const rows = fields('bridge.pcap', [], 'frame.protocols', 'ip.src', 'ip.dst', 'icmp.type');
  assert.deepEqual(rows, [
    'eth:ethertype:ip:icmp:data\t172.18.0.2\t172.18.0.3\t8',
    'eth:ethertype:ip:icmp:data\t172.18.0.3\t172.18.0.2\t0',
    'eth:ethertype:ip:icmp:data\t172.18.0.2\t172.18.0.3\t8',
    'eth:ethertype:ip:icmp:data\t172.18.0.3\t172.18.0.2\t0',
  ]);
});

test('a flannel VXLAN capture shows outer UDP to 8472 and the inner ICMP', { skip }, () => {
  // The scenario's set-up: everything before its first ping.
  const lines = readFileSync(join(ROOT, 'test/scenarios/vxlan-flannel.sh'), 'utf8').split('\n');
  const setup = lines.slice(
    0,
    lines.findIndex((l) => / ping /.test(l)),
  );
  run([...setup, 'ip netns exec podA ping -c 1 10.244.2.2', 'ip netns exec hostA tcpdump -i eth0 -nn -w vxlan.pcap udp'].join('\n'));
  const rows = fields(
    'vxlan.pcap',
    ['-d', 'udp.port==8472,vxlan'],
    'frame.protocols',
    'udp.dstport',
    'vxlan.vni',
    'ip.src',
    'ip.dst',
    'icmp.type',
  );
  assert.deepEqual(rows, [
    'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data\t8472\t1\t192.168.102.3,10.244.1.2\t192.168.102.4,10.244.2.2\t8',
    'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data\t8472\t1\t192.168.102.4,10.244.2.2\t192.168.102.3,10.244.1.2\t0',
  ]);
});
