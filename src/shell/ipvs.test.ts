// kube-proxy's IPVS mode on the emulated kernel (IPVS is not in this machine's kernel, so there
// is no real ground truth to diff against): a VIP bound to the kube-ipvs0 dummy device, a
// round-robin virtual service with two masqueraded real servers, and connections through it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from './session.js';

function run(s: Session, script: string): string {
  let out = '';
  let err = '';
  const status = s.run(script, { stdout: (t) => (out += t), stderr: (t) => (err += t), writeFile() {}, readFile: () => undefined });
  assert.equal(status, 0, err);
  return out;
}

const SETUP = `ip link add kube-ipvs0 type dummy
ip addr add 10.96.0.10/32 dev kube-ipvs0
ip link add cni0 type bridge
ip link set cni0 up
ip addr add 10.244.0.1/24 dev cni0
ip netns add pod1
ip netns add pod2
ip link add veth1 type veth peer name eth0 netns pod1
ip link add veth2 type veth peer name eth0 netns pod2
ip link set veth1 master cni0
ip link set veth2 master cni0
ip link set veth1 up
ip link set veth2 up
ip netns exec pod1 ip link set eth0 up
ip netns exec pod2 ip link set eth0 up
ip netns exec pod1 ip addr add 10.244.0.5/24 dev eth0
ip netns exec pod2 ip addr add 10.244.0.6/24 dev eth0
ip netns exec pod1 ip route add default via 10.244.0.1
ip netns exec pod2 ip route add default via 10.244.0.1
ip netns exec pod1 python3 -m http.server 8080 --bind 10.244.0.5
ip netns exec pod2 python3 -m http.server 8080 --bind 10.244.0.6
ipvsadm -A -t 10.96.0.10:80 -s rr
ipvsadm -a -t 10.96.0.10:80 -r 10.244.0.5:8080 -m
ipvsadm -a -t 10.96.0.10:80 -r 10.244.0.6:8080 -m`;

test('IPVS masq: connections to a VIP on kube-ipvs0 reach the real servers in round-robin turn', () => {
  const s = new Session({ host: 'node', seed: 'ipvs' });
  run(s, SETUP);
  const codes = run(
    s,
    [40001, 40002, 40003, 40004].map((p) => `curl -s --local-port ${p} -o /dev/null -w '%{http_code}\\n' http://10.96.0.10/`).join('\n'),
  );
  assert.equal(codes, '200\n200\n200\n200\n');
  const conns = run(s, 'conntrack -L -p tcp');
  // rr over servers added in the order .5, .6 (the newest is first in the list): .6, .5, .6, .5.
  const backends = conns
    .trim()
    .split('\n')
    .map((l) => /sport=40\d+ dport=80 src=(\S+)/.exec(l)?.[1])
    .sort();
  assert.deepEqual(backends, ['10.244.0.5', '10.244.0.5', '10.244.0.6', '10.244.0.6']);
  // A local client of a local VIP takes the VIP as its source; the reply tuple names the real server.
  assert.match(
    conns,
    /src=10\.96\.0\.10 dst=10\.96\.0\.10 sport=40001 dport=80 src=10\.244\.0\.6 dst=10\.96\.0\.10 sport=8080 dport=40001 \[ASSURED\]/,
  );
  const table = run(s, 'ipvsadm -Ln');
  // Closed connections wait in TIME_WAIT: two inactive connections per server.
  assert.match(
    table,
    /TCP {2}10\.96\.0\.10:80 rr\n {2}-> 10\.244\.0\.5:8080 {14}Masq {4}1 {6}0 {10}2 *\n {2}-> 10\.244\.0\.6:8080 {14}Masq {4}1 {6}0 {10}2 *\n/,
  );
});

test('IPVS: a virtual service without real servers answers port unreachable', () => {
  const s = new Session({ host: 'node', seed: 'ipvs2' });
  run(s, 'ip link add kube-ipvs0 type dummy\nip addr add 10.96.0.20/32 dev kube-ipvs0\nipvsadm -A -t 10.96.0.20:80 -s rr');
  let err = '';
  const status = s.run('curl -sS -m 2 http://10.96.0.20/', {
    stdout() {},
    stderr: (t) => (err += t),
    writeFile() {},
    readFile: () => undefined,
  });
  assert.equal(status, 7);
  assert.match(err, /Failed to connect to 10\.96\.0\.20 port 80/);
});
