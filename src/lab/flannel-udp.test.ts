// flannel's udp backend (pkg/backend/udp, built into the amd64 image of v0.28.9): flanneld holds
// the TUN device flannel0 (the lease's network address /32, MTU eth0's − 28, the route of the whole
// flannel network through it) and its userspace proxy carries each packet as a UDP datagram
// between the nodes' eth0 addresses on port 8285, decrementing the TTL on each side.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { wellKnownManifest } from '../addons/index.js';
import { captured, runByHand, standardLab, type Lab } from './index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const KIND_CNI = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
networking:
  disableDefaultCNI: true
`;
const URL = 'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml';

async function ok(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string): Promise<string> {
  const r = await runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
}

test('flannel udp: flannel0 as a real TUN device, the /16 route through it, pod-1 pings pod-2 across nodes (TTL 60) and eth0 carries UDP 8285 between the node IPs', async () => {
  const lab = standardLab();
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s'], { 'kind-cni.yaml': KIND_CNI });
  const local = wellKnownManifest(URL)!.replace('"Type": "vxlan"', '"Type": "udp"');
  await ok(lab, ['kubectl', 'apply', '-f', 'kube-flannel.yml'], { 'kube-flannel.yml': local });
  await lab.wait(2_000);
  const store = lab.kind.get('myk8s')!.cluster.store;
  assert.equal(
    lab.nodeFiles('myk8s-worker')!.readText('/run/flannel/subnet.env'),
    'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n',
  );
  // the udp backend publishes no backend type and no backend data
  const ann = store.get('nodes', undefined, 'myk8s-worker').metadata.annotations!;
  assert.equal(ann['flannel.alpha.coreos.com/backend-type'], '');
  assert.equal(ann['flannel.alpha.coreos.com/backend-data'], 'null');
  assert.equal(ann['flannel.alpha.coreos.com/public-ip'], '172.18.0.3');
  // recorded on this machine's kernel: a TUN device opened with IFF_TUN|IFF_NO_PI as flanneld opens it, configured as flanneld does
  const link = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', '-d', 'link', 'show', 'flannel0']);
  assert.match(
    link,
    /^\d+: flannel0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1472 qdisc pfifo_fast state UNKNOWN mode DEFAULT group default qlen 500\n {4}link\/none {2}promiscuity 0 {2}allmulti 0 minmtu 68 maxmtu 65535 \n {4}tun type tun pi off vnet_hdr off persist off addrgenmode random numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 65536 tso_max_segs 65535 gro_max_size 65536 \n$/,
  );
  const addr = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'addr', 'show', 'flannel0']);
  assert.match(
    addr,
    /^\d+: flannel0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1472 qdisc pfifo_fast state UNKNOWN group default qlen 500\n {4}link\/none \n {4}inet 10\.244\.1\.0\/32 scope global flannel0\n {7}valid_lft forever preferred_lft forever\n$/,
  );
  const routes = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'route']);
  assert.match(routes, /^10\.244\.0\.0\/16 dev flannel0 $/m);
  assert.doesNotMatch(routes, /flannel\.1/);
  assert.match(
    await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'route', 'get', '10.244.2.5']),
    /^10\.244\.2\.5 dev flannel0 src 10\.244\.1\.0 uid 0 \n {4}cache \n$/,
  );

  for (const n of ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2']) {
    await ok(lab, ['docker', 'cp', 'bridge', `${n}:/opt/cni/bin/bridge`], { bridge: '\x7fELF bridge v1.9.1\n' });
    await ok(lab, ['docker', 'exec', n, 'chmod', '755', '/opt/cni/bin/bridge']);
  }
  await ok(lab, ['kubectl', 'create', '-f', '-'], {}, readFileSync(join(ROOT, 'test/seeds/000_L1315.yaml'), 'utf8').replace(/^#.*\n/, ''));
  await lab.wait(30_000);
  const ip2 = await ok(lab, ['kubectl', 'get', 'pod', 'pod-2', '-o', 'jsonpath={.status.podIP}']);
  assert.match(ip2, /^10\.244\.2\.\d+$/);
  const ping = await ok(lab, ['kubectl', 'exec', 'pod-1', '--', 'ping', '-c', '1', ip2]);
  // two kernels forward it and the two proxies each take one off the TTL as well
  assert.match(ping, new RegExp(`^64 bytes from ${ip2.replace(/\./g, '\\.')}: icmp_seq=1 ttl=60 `, 'm'));
  // tcpdump on myk8s-worker's eth0 while pod-1 pings pod-2 again: UDP 8285 between the node IPs, the 84-byte IP packet inside
  const netns = lab.kind
    .node('myk8s-worker')!
    .kubelet!.container(
      'default',
      'pod-1',
      (store.get('pods', 'default', 'pod-1').spec as { containers: { name: string }[] }).containers[0]!.name,
    )!.netns!;
  const tcp = captured();
  const status = lab.host('myk8s-worker').run(`tcpdump -i eth0 -nn -c 2 udp port 8285 &\nip netns exec ${netns} ping -c 1 ${ip2}\nwait\n`, {
    ...tcp,
    writeFile() {},
    readFile: () => undefined,
  });
  assert.equal(status, 0, tcp.err);
  assert.match(
    tcp.out,
    /\n\d\d:\d\d:\d\d\.\d{6} IP 172\.18\.0\.3\.8285 > 172\.18\.0\.4\.8285: UDP, length 84\n\d\d:\d\d:\d\d\.\d{6} IP 172\.18\.0\.4\.8285 > 172\.18\.0\.3\.8285: UDP, length 84\n$/,
    tcp.out,
  );

  // knetlab trace follows the packet through flanneld's proxy
  const t = await runByHand(lab, ['trace', 'pod/pod-1', 'pod/pod-2']);
  assert.equal(t.status, 0, t.out + t.err);
  assert.match(
    t.out,
    /path: pod-1:eth0 -> myk8s-worker:veth\w+ -> myk8s-worker:cni0 -> myk8s-worker:flannel0 \(encap\) -> myk8s-worker:eth0 -> docker-host:veth\w+ -> docker-host:br-\w+ -> docker-host:veth\w+ -> myk8s-worker2:eth0 -> myk8s-worker2:flannel0 \(decap\) -> myk8s-worker2:cni0 -> myk8s-worker2:veth\w+ -> pod-2:eth0\n/,
  );
  assert.match(t.out, /route: 10\.244\.0\.0\/16 dev flannel0\n/);

  // flanneld's log: the backend, the watch and the peers' subnets
  const pod = store.list('pods', 'kube-flannel').items.find((p) => (p.spec as { nodeName?: string }).nodeName === 'myk8s-worker')!;
  const logs = await ok(lab, ['kubectl', 'logs', '-n', 'kube-flannel', pod.metadata.name!]);
  assert.match(logs, /main\.go:540\] Found network config - Backend type: udp\n/);
  assert.match(logs, /udp_network_amd64\.go:111\] Watching for new subnet leases\n/);
  assert.match(logs, /udp_network_amd64\.go:205\] Subnet added: 10\.244\.0\.0\/24\n/);
  assert.match(logs, /udp_network_amd64\.go:205\] Subnet added: 10\.244\.2\.0\/24\n/);
});
