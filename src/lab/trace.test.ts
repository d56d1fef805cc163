// `knetlab trace` (issues 13 and 15): one real probe explained hop by hop. On flannel vxlan, pod-1
// to pod-2 across nodes goes pod eth0 -> veth -> cni0 -> flannel.1 (encap) -> eth0 -> the kind
// bridge -> the peer's eth0 -> flannel.1 (decap) -> cni0 -> veth -> pod, with the route, neighbour
// and FDB entries used at each step; on kindnet (ptp) the node routes the other node's podCIDR via
// its IP; to a ClusterIP the KUBE-SVC chain picks a KUBE-SEP endpoint by its statistic rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runByHand, standardLab, type Lab } from './index.js';
import { kindConfig, whoamiWeb } from './fixtures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const q = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function ok(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string): Promise<string> {
  const r = await runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
}

const podIP = (lab: Lab, pod: string) => ok(lab, ['kubectl', 'get', 'pod', pod, '-o', 'jsonpath={.status.podIP}']);

async function flannelLab(): Promise<Lab> {
  const lab = standardLab();
  const kindCni = readFileSync(join(ROOT, 'test/seeds/kind-000_L1010.yaml'), 'utf8').replace(/^#.*\n/, '');
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s'], { 'kind-cni.yaml': kindCni });
  await ok(lab, ['kubectl', 'apply', '-f', 'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml']);
  for (const n of ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2']) {
    await ok(lab, ['docker', 'cp', 'bridge', `${n}:/opt/cni/bin/bridge`], { bridge: '\x7fELF bridge v1.9.1\n' });
    await ok(lab, ['docker', 'exec', n, 'chmod', '755', '/opt/cni/bin/bridge']);
  }
  await ok(lab, ['kubectl', 'create', '-f', '-'], {}, readFileSync(join(ROOT, 'test/seeds/000_L1315.yaml'), 'utf8').replace(/^#.*\n/, ''));
  await lab.wait(60_000);
  return lab;
}

test('knetlab trace pod/pod-1 pod/pod-2 on flannel vxlan: every hop with its route, neighbour and FDB entry, the VXLAN encap and decap', async () => {
  const lab = await flannelLab();
  const [ip1, ip2] = [await podIP(lab, 'pod-1'), await podIP(lab, 'pod-2')];
  const r = await runByHand(lab, ['trace', '--cluster', 'myk8s', 'pod/pod-1', 'pod/pod-2']);
  assert.equal(r.status, 0, r.out + r.err);
  assert.ok(r.journaled, 'the probe is a real packet: journaled as a change');
  const out = r.out;
  const [probe, answer] = out.split('\n== the answer: ');
  assert.ok(answer, out);
  assert.match(
    probe!,
    new RegExp(`^knetlab trace: pod/pod-1 \\(${q(ip1)}\\) -> pod/pod-2 \\(${q(ip2)}\\), one ICMP echo request, cluster myk8s\n`),
  );
  // the path a user draws, in order
  const path = /^ {3}path: (.*)$/m.exec(probe!)?.[1];
  assert.match(
    path ?? '',
    /^pod-1:eth0 -> myk8s-worker:veth[0-9a-f]{8} -> myk8s-worker:cni0 -> myk8s-worker:flannel\.1 \(encap\) -> myk8s-worker:eth0 -> docker-host:veth\w+ -> docker-host:br-\w+ -> docker-host:veth\w+ -> myk8s-worker2:eth0 -> myk8s-worker2:flannel\.1 \(decap\) -> myk8s-worker2:cni0 -> myk8s-worker2:veth[0-9a-f]{8} -> pod-2:eth0$/,
    probe,
  );
  // the pod's default route and its gateway, as ip route get prints them
  assert.ok(probe!.includes(`$ ip route get ${ip2}\n                ${ip2} via 10.244.1.1 dev eth0 src ${ip1} uid 0\n`), probe);
  assert.ok(probe!.includes('route: 10.244.0.0/16 via 10.244.1.1 dev eth0\n'), probe);
  // the node routes the peer's subnet onto flannel.1, onlink, and the neighbour entry flanneld wrote
  assert.ok(
    probe!.includes(
      `$ ip route get ${ip2} from ${ip1} iif cni0\n                ${ip2} from ${ip1} via 10.244.2.0 dev flannel.1\n                 cache iif cni0\n                route: 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink\n`,
    ),
    probe,
  );
  const vtep2 = /neigh +flannel\.1: 10\.244\.2\.0 dev flannel\.1 lladdr ([0-9a-f:]{17}) PERMANENT/.exec(probe!)?.[1];
  assert.ok(vtep2, probe);
  // the encapsulation: outer node IPs, VNI, dstport, and the FDB entry that chose the remote VTEP
  assert.match(probe!, /encap +flannel\.1: VXLAN vni 1: 172\.18\.0\.3:\d+ > 172\.18\.0\.4:8472 via eth0\n/);
  assert.ok(probe!.includes(`$ bridge fdb show dev flannel.1: ${vtep2} dst 172.18.0.4 self permanent\n`), probe);
  assert.ok(probe!.includes('flannel.1: vxlan id 1 local 172.18.0.3 dev eth0 dstport 8472\n'), probe);
  // the peer decapsulates and routes to its cni0
  assert.match(probe!, /decap +flannel\.1: VXLAN vni 1 from 172\.18\.0\.3\n/);
  assert.ok(probe!.includes(`route: 10.244.2.0/24 dev cni0 proto kernel scope link src 10.244.2.1\n`), probe);
  // netfilter: flannel's forward accept and its masquerade exemption, as iptables -S prints them
  assert.ok(probe!.includes('filter -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT\n'), probe);
  assert.ok(
    probe!.includes('nat -A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN\n'),
    probe,
  );
  assert.match(probe!, /verdict: delivered in pod default\/pod-2 on myk8s-worker2 \(netns cni-[0-9a-f-]+\): ICMP echo request: reply\n/);
  // the reply comes back the other way and reaches pod-1
  assert.match(
    answer!,
    /path: pod-2:eth0 -> .* -> myk8s-worker2:flannel\.1 \(encap\) -> .* -> myk8s-worker:flannel\.1 \(decap\) -> .* -> pod-1:eth0\n/,
  );
  assert.match(answer!, /verdict: back at pod\/pod-1 /);
  // the conntrack entries the probe made on both nodes
  assert.match(
    out,
    new RegExp(
      `conntrack in node myk8s-worker .*\n {3}icmp +1 \\d+ src=${q(ip1)} dst=${q(ip2)} type=8 code=0 id=\\d+ src=${q(ip2)} dst=${q(ip1)} type=0 `,
    ),
  );
});

const KIND = kindConfig(2);

const WEB = whoamiWeb(3);

test('knetlab trace on kindnet (ptp): a pod to a pod on another node, and to a ClusterIP: the KUBE-SVC chain, the chosen KUBE-SEP and why, DNAT and conntrack', async () => {
  const lab = standardLab();
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'kind.yaml'], { 'kind.yaml': KIND });
  await ok(lab, ['kubectl', 'apply', '-f', 'web.yaml'], { 'web.yaml': WEB });
  await lab.wait(5_000);
  const pods = JSON.parse(await ok(lab, ['kubectl', 'get', 'pods', '-o', 'json'])).items as {
    metadata: { name: string };
    spec: { nodeName: string };
    status: { podIP: string };
  }[];
  const a = pods[0]!;
  const b = pods.find((p) => p.spec.nodeName !== a.spec.nodeName)!;
  const r = await runByHand(lab, ['trace', `pod/${a.metadata.name}`, `pod/${b.metadata.name}`, 'tcp:80']);
  assert.equal(r.status, 0, r.out + r.err);
  const [probe] = r.out.split('\n== the answer: ');
  // ptp: the pod's eth0 to its veth, the node routes by the peer node's IP, the peer's /32 route to the pod's veth
  assert.match(
    probe!,
    new RegExp(
      `path: ${q(a.metadata.name)}:eth0 -> ${q(a.spec.nodeName)}:veth\\w+ -> ${q(a.spec.nodeName)}:eth0 -> docker-host:veth\\w+ -> docker-host:br-\\w+ -> docker-host:veth\\w+ -> ${q(b.spec.nodeName)}:eth0 -> ${q(b.spec.nodeName)}:veth\\w+ -> ${q(b.metadata.name)}:eth0\n`,
    ),
    probe,
  );
  const peerIP = lab.kind.node(b.spec.nodeName)!.info.ip;
  assert.match(probe!, new RegExp(`route: ${q(b.status.podIP.replace(/\.\d+$/, '.0'))}/24 via ${q(peerIP)} dev eth0\n`), probe);
  assert.match(probe!, new RegExp(`route: ${q(b.status.podIP)} dev veth\\w+ scope host`), probe);
  assert.match(probe!, /verdict: delivered in pod default\/web-\S+ on kind-worker2? \(netns cni-[0-9a-f-]+\): TCP port 80\n/);
  // the listener's SYN/ACK comes back the same way and the probe's sender resets it, as for hping3 -S
  const answers = r.out.split('\n== the answer: ').slice(1);
  assert.equal(answers.length, 2, r.out);
  assert.match(answers[0]!, new RegExp(`^TCP ${q(b.status.podIP)}:80 > ${q(a.status.podIP)}:\\d+ ttl 64\n`));
  assert.match(answers[0]!, new RegExp(`path: ${q(b.metadata.name)}:eth0 -> .* -> ${q(a.metadata.name)}:eth0\n`));
  assert.match(
    answers[0]!,
    /verdict: back at pod\/web-\S+ \(the probe has no socket waiting for it, as hping3's raw probe: no socket on TCP port \d+: reset\)\n/,
  );
  assert.match(answers[1]!, new RegExp(`^TCP ${q(a.status.podIP)}:\\d+ > ${q(b.status.podIP)}:80 ttl 64\n`));

  // to the Service: the probe's DNAT by the KUBE-SVC chain's statistic rules
  const svc = await runByHand(lab, ['trace', `pod/${a.metadata.name}`, 'svc/web']);
  assert.equal(svc.status, 0, svc.out + svc.err);
  const [sp] = svc.out.split('\n== the answer: ');
  assert.match(sp!, /one TCP SYN to port 80, cluster kind\n/);
  assert.match(
    sp!,
    /nat -A KUBE-SERVICES -d 10\.96\.\d+\.\d+\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL\n/,
  );
  const sep =
    /nat -A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default\/web:http -> (\S+):80"(?: -m statistic --mode random --probability (\S+))? -j (KUBE-SEP-\w+)\n +(endpoint \d of 3: .*)\n/.exec(
      sp!,
    );
  assert.ok(sep, sp);
  assert.match(sep[4]!, /each endpoint gets 1\/3 of new connections$/);
  if (sep[2]) assert.match(sep[4]!, new RegExp(`this rule's random draw \\(probability ${q(sep[2])}\\) hit`));
  assert.ok(
    sp!.includes(`nat -A ${sep[3]} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination ${sep[1]}:80\n`),
    sp,
  );
  assert.match(sp!, new RegExp(`DNAT 10\\.96\\.\\d+\\.\\d+ -> ${q(sep[1]!)}\n`));
  assert.match(
    svc.out,
    new RegExp(
      `conntrack in node ${q(a.spec.nodeName)} .*\n {3}tcp +6 \\d+ \\w+ src=${q(a.status.podIP)} dst=10\\.96\\.\\d+\\.\\d+ sport=\\d+ dport=80 src=${q(sep[1]!)} dst=\\S+ sport=80 `,
    ),
    svc.out,
  );
});

test('knetlab trace refuses bad input with a message naming it, and changes nothing', async () => {
  const lab = standardLab();
  const none = await runByHand(lab, ['trace', 'pod/a', 'pod/b']);
  assert.equal(none.status, 2);
  assert.equal(none.err, 'knetlab trace: no kind cluster is the current context; create one or give --cluster NAME\n');
  await ok(lab, ['kind', 'create', 'cluster'], {});
  for (const [argv, err] of [
    [['pod/nope', 'pod/b'], 'knetlab trace: pod/nope: no pod "nope" in namespace "default" of cluster "kind"\n'],
    [['node/kind-control-plane', '10.0.0.1', 'sctp:9'], 'knetlab trace: protocol "sctp:9": use icmp, tcp:PORT or udp:PORT\n'],
    [['node/kind-control-plane', '10.0.0.1:70000'], 'knetlab trace: port "70000": a port is 1-65535\n'],
    [
      ['10.0.0.1', 'node/kind-control-plane'],
      'knetlab trace: FROM "10.0.0.1": name the sender (pod/NAME, node/NAME or host/NAME), not an address\n',
    ],
    [['--cluster', 'x', 'node/a', 'node/b'], 'knetlab trace: --cluster "x": no such kind cluster (there are: kind)\n'],
    [['node/kind-control-plane'], 'knetlab trace: give FROM and TO\n'],
  ] as const) {
    const r = await runByHand(lab, ['trace', ...argv]);
    assert.equal(r.status, 2, argv.join(' '));
    assert.equal(r.err, err);
    assert.equal(r.out, '');
  }
  // from a node to the kubernetes Service: the node's own OUTPUT chain DNATs it to the API server,
  // whose kube-apiserver static pod listens on the node's *:6443
  const n = await runByHand(lab, ['trace', 'node/kind-control-plane', '10.96.0.1:443']);
  assert.equal(n.status, 0, n.out + n.err);
  assert.match(
    n.out,
    /^knetlab trace: node\/kind-control-plane \(172\.18\.0\.\d+\) -> 10\.96\.0\.1:443, one TCP SYN to port 443, cluster kind\n/,
  );
  assert.match(n.out, /netfilter +eth0: nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\n/);
  assert.match(n.out, /endpoint 1 of 1: KUBE-SEP-\w+ takes every new connection/);
  assert.match(n.out, /DNAT 10\.96\.0\.1 -> 172\.18\.0\.\d+\n/);
  assert.match(n.out, /verdict: delivered in node kind-control-plane: TCP port 6443\n/);
  // a UDP datagram to the cluster DNS Service from the node: DNATed to a coredns pod's UDP port 53
  const dns = await runByHand(lab, ['trace', '-n', 'kube-system', 'node/kind-control-plane', 'svc/kube-dns']);
  assert.equal(dns.status, 0, dns.out + dns.err);
  assert.match(dns.out, /-> svc\/kube-dns \(10\.96\.0\.10:53\), one UDP datagram to port 53, cluster kind\n/);
  assert.match(
    dns.out,
    /nat -A KUBE-SERVICES -d 10\.96\.0\.10\/32 -p udp -m comment --comment "kube-system\/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU\n/,
  );
  assert.match(dns.out, /endpoint [12] of 2: .*each endpoint gets 1\/2 of new connections\n/);
  assert.match(dns.out, /verdict: delivered in pod kube-system\/coredns-\S+ on kind-control-plane \(netns cni-[0-9a-f-]+\): UDP port 53\n/);
  assert.match(
    dns.out,
    /conntrack in node kind-control-plane .*\n {3}udp +17 \d+ src=172\.18\.0\.\d+ dst=10\.96\.0\.10 sport=\d+ dport=53 (\[UNREPLIED\] )?src=10\.244\.0\.\d+ /,
  );
});
