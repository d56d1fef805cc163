// Seed 000 §4 (Flannel) through the shims, its own command lines: kind-cni.yaml (3 nodes,
// disableDefaultCNI), `kubectl apply -f` of flannel's manifest URL, then subnet.env, the node's
// routes, flannel.1's neighbours, FDB and device, and flannel's masquerade rules, read with
// `docker exec` as the seed reads them. Values follow our deterministic cluster (node IPs
// 172.18.0.2-4, podCIDRs 10.244.0-2.0/24, eth0 MTU 1500); the shapes are the seed's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.js');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const home = mkdtempSync(join(tmpdir(), 'knetlab-flannel-'));
const env = { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' };
after(() => {
  spawnSync(process.execPath, [MAIN, 'server', 'stop'], { env, encoding: 'utf8' });
  rmSync(home, { recursive: true, force: true });
});

function seed(script: string) {
  const dir = join(home, 'bin');
  spawnSync(process.execPath, [MAIN, 'shims', dir], { env, encoding: 'utf8' });
  const r = spawnSync('bash', ['-c', script], { env: { ...env, PATH: `${dir}:${process.env.PATH}` }, cwd: home, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('seed 000 §4 through the shims: flannel installed from its URL, subnet.env, routes, neighbours, FDB, flannel.1 and masquerade rules as the seed shows them', () => {
  writeFileSync(join(home, 'kind-cni.yaml'), readFileSync(join(ROOT, 'test/seeds/kind-000_L1010.yaml'), 'utf8').replace(/^#.*\n/, ''));
  const out = seed(
    [
      'kind create cluster --config kind-cni.yaml --name myk8s --image kindest/node:v1.30.4 >/dev/null 2>&1',
      'kubectl apply -f https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml',
      'kubectl get ns --show-labels | grep privileged',
      'for i in myk8s-control-plane myk8s-worker myk8s-worker2; do echo ">> node $i <<"; docker exec -it $i cat /run/flannel/subnet.env ; echo; done',
      "kubectl get nodes -o jsonpath='{.items[*].spec.podCIDR}' ;echo",
      'docker exec -it myk8s-worker ip -c route',
      'docker exec -it myk8s-worker ip -c neigh show dev flannel.1',
      'docker exec -it myk8s-worker bridge fdb show dev flannel.1',
      'docker exec -it myk8s-worker ip -c -d addr show flannel.1',
      `docker exec -it myk8s-worker sh -c "iptables -t nat -S | grep 'flanneld masq' | grep -v '! -s'"`,
    ].join('\n'),
  );
  const mac = (ip: string) => new RegExp(`([0-9a-f]{2}(?::[0-9a-f]{2}){5}) dst ${ip.replace(/\./g, '\\.')} self permanent`).exec(out)?.[1];
  const cp = mac('172.18.0.2');
  const w2 = mac('172.18.0.4');
  assert.ok(cp && w2, out);
  const expected = [
    'namespace/kube-flannel created',
    'clusterrole.rbac.authorization.k8s.io/flannel created',
    'clusterrolebinding.rbac.authorization.k8s.io/flannel created',
    'serviceaccount/flannel created',
    'configmap/kube-flannel-cfg created',
    'daemonset.apps/kube-flannel-ds created',
    'kube-flannel         Active   0s    k8s-app=flannel,kubernetes.io/metadata.name=kube-flannel,pod-security.kubernetes.io/enforce=privileged',
    ...[0, 1, 2].flatMap((i) => [
      `>> node ${['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'][i]} <<`,
      'FLANNEL_NETWORK=10.244.0.0/16',
      `FLANNEL_SUBNET=10.244.${i}.1/24`,
      'FLANNEL_MTU=1450',
      'FLANNEL_IPMASQ=true',
      '',
    ]),
    '10.244.0.0/24 10.244.1.0/24 10.244.2.0/24',
    'default via 172.18.0.1 dev eth0 ',
    '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
    '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
    '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 ',
    `10.244.0.0 lladdr ${cp} PERMANENT `,
    `10.244.2.0 lladdr ${w2} PERMANENT `,
    ...[`${cp} dst 172.18.0.2 self permanent`, `${w2} dst 172.18.0.4 self permanent`].sort(),
  ];
  const lines = out.split('\n');
  assert.deepEqual(lines.slice(0, expected.length), expected, out);
  const dev = lines.slice(expected.length).join('\n');
  assert.match(
    dev,
    /^\d+: flannel\.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\n    link\/ether ([0-9a-f:]{17}) brd ff:ff:ff:ff:ff:ff promiscuity 0 +allmulti 0 minmtu 68 maxmtu 65535 \n    vxlan id 1 local 172\.18\.0\.3 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx .*\n    inet 10\.244\.1\.0\/32 scope global flannel\.1\n/,
    dev,
  );
  assert.ok(
    dev.endsWith(
      [
        '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
        '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
        '-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN',
        '-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN',
        '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
        '',
      ].join('\n'),
    ),
    dev,
  );
});

test("seed 000 §4's pods through the shims: docker cp bridge onto the nodes, pod-1 and pod-2 get the nodes' subnets, pod-1 pings pod-2 across flannel.1, cni0's route and the pod's routes as in the seed", () => {
  writeFileSync(join(home, 'bridge'), '\x7fELF bridge v1.9.1\n');
  writeFileSync(join(home, 'pods.yaml'), readFileSync(join(ROOT, 'test/seeds/000_L1315.yaml'), 'utf8').replace(/^#.*\n/, ''));
  const out = seed(
    [
      ...['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'].flatMap((n) => [
        `docker cp bridge ${n}:/opt/cni/bin/bridge`,
        `docker exec -it ${n} chmod 755 /opt/cni/bin/bridge`,
      ]),
      'for i in myk8s-control-plane myk8s-worker myk8s-worker2; do echo ">> node $i <<"; docker exec -it $i ls /opt/cni/bin/; echo; done',
      'cat pods.yaml | kubectl create -f -',
      'kubectl wait --for=condition=Ready pod/pod-1 pod/pod-2 --timeout=120s >/dev/null',
      "kubectl get pod -o wide | awk '{print $1, $2, $3, $6, $7}'",
      'kubectl exec -it pod-1 -- ping -c 1 $(kubectl get pod pod-2 -o jsonpath={.status.podIP}) | head -2',
      'docker exec -it myk8s-worker ip -c route',
      'kubectl exec -it pod-1 -- ip -c route',
    ].join('\n'),
  );
  assert.equal(
    out,
    [
      ...['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'].flatMap((n) => [
        `>> node ${n} <<`,
        'bridge\tflannel  host-local  loopback  portmap\tptp',
        '',
      ]),
      'pod/pod-1 created',
      'pod/pod-2 created',
      'NAME READY STATUS IP NODE',
      'pod-1 1/1 Running 10.244.1.2 myk8s-worker',
      'pod-2 1/1 Running 10.244.2.2 myk8s-worker2',
      'PING 10.244.2.2 (10.244.2.2) 56(84) bytes of data.',
      out.split('\n').find((l) => l.startsWith('64 bytes from 10.244.2.2: icmp_seq=1 ttl=62 time=')) ??
        '64 bytes from 10.244.2.2: icmp_seq=1 ttl=62 time=…',
      'default via 172.18.0.1 dev eth0 ',
      '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ',
      '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 ',
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ',
      '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 ',
      'default via 10.244.1.1 dev eth0 ',
      '10.244.0.0/16 via 10.244.1.1 dev eth0 ',
      '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 ',
      '',
    ].join('\n'),
  );
});
