// Seed 000 §4's CNI failure modes with flannel's plugins (issues 14 and 15), driven as a user
// would: a kind cluster without its default CNI, flannel's conflist and the flannel plugin copied
// onto the nodes by hand (no flanneld here: subnet.env is written by hand too), the kubelet's
// FailedCreatePodSandBox events for a missing subnet.env and a missing bridge binary, recovery
// once `docker cp bridge` brings it, then cni0 with the subnet's .1, hairpin ports and the pod's
// routes as `ip`, `bridge` and `brctl` print them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, standardLab, type Lab } from './index.js';

const KIND_CNI = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
networking:
  disableDefaultCNI: true
`;

/** kube-flannel.yml's cni-conf.json, as the seed's `kubectl describe cm` shows it. */
const FLANNEL_CONFLIST = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

const NODES = ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'];

async function run(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string) {
  return runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
}

async function ok(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string): Promise<string> {
  const r = await run(lab, argv, files, stdin);
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
}

const POD = (name: string, node: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: netshoot
    image: nicolaka/netshoot
    command: ["tail", "-f", "/dev/null"]
`;

test("flannel without subnet.env, then without bridge: the seed's FailedCreatePodSandBox events; docker cp bridge recovers the pods; cni0, hairpin ports and pod routes", async () => {
  const lab = standardLab();
  await ok(lab, ['kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s'], { 'kind-cni.yaml': KIND_CNI });
  await ok(lab, ['kubectl', 'apply', '-f', '-'], {}, `${POD('pod-1', 'myk8s-worker')}---\n${POD('pod-2', 'myk8s-worker')}`);
  // the CNI config and the flannel binary arrive (what kube-flannel's init containers copy), but flanneld never ran
  for (const n of NODES) {
    await ok(lab, ['docker', 'cp', '10-flannel.conflist', `${n}:/etc/cni/net.d/10-flannel.conflist`], {
      '10-flannel.conflist': FLANNEL_CONFLIST,
    });
    await ok(lab, ['docker', 'cp', 'flannel', `${n}:/opt/cni/bin/flannel`], { flannel: '\x7fELF flannel v1.9.0-flannel1\n' });
  }
  await lab.wait(10_000);
  const events = async () => (await ok(lab, ['kubectl', 'describe', 'pod', 'pod-1'])).split('Events:')[1]!;
  const subnetEnvMissing =
    /Warning {2}FailedCreatePodSandBox {2}.* kubelet +Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to load flannel 'subnet\.env' file: open \/run\/flannel\/subnet\.env: no such file or directory\. Check the flannel pod log for this node\.\n/;
  assert.match(await events(), subnetEnvMissing);
  assert.match(await ok(lab, ['kubectl', 'get', 'pod', 'pod-1']), /pod-1 +0\/1 +ContainerCreating /);

  // subnet.env by hand, from each node's podCIDR as flanneld would write it (FLANNEL_SUBNET is the .1)
  const cidrs = (await ok(lab, ['kubectl', 'get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}'])).split(' ');
  const names = (await ok(lab, ['kubectl', 'get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ');
  const subnetOf = new Map(names.map((n, i) => [n, cidrs[i]!]));
  for (const n of NODES) {
    const env = `FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${subnetOf.get(n)!.replace(/0\/24$/, '1/24')}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`;
    await ok(lab, ['docker', 'exec', n, 'mkdir', '-p', '/run/flannel']);
    await ok(lab, ['docker', 'cp', 'subnet.env', `${n}:/run/flannel/subnet.env`], { 'subnet.env': env });
  }
  await lab.wait(20_000);
  assert.match(
    await events(),
    /Warning {2}FailedCreatePodSandBox {2}.* kubelet +Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to delegate add: failed to find plugin "bridge" in path \[\/opt\/cni\/bin\]\n/,
  );
  assert.match(await ok(lab, ['kubectl', 'get', 'pod', 'pod-1']), /ContainerCreating/);

  // the seed's fix: copy bridge onto every node and make it executable
  for (const n of NODES) {
    await ok(lab, ['docker', 'cp', 'bridge', `${n}:/opt/cni/bin/bridge`], { bridge: '\x7fELF bridge v1.9.1\n' });
    await ok(lab, ['docker', 'exec', '-it', n, 'chmod', '755', '/opt/cni/bin/bridge']);
  }
  assert.equal(
    await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/opt/cni/bin/']),
    'bridge\nflannel\nhost-local\nloopback\nportmap\nptp\n',
  );
  await lab.wait(60_000); // the kubelet's back-off (10 s, 20 s, 40 s …) brings the next try
  const pods = await ok(lab, ['kubectl', 'get', 'pod', '-o', 'wide']);
  const worker = subnetOf.get('myk8s-worker')!.replace(/\.0\/24$/, '');
  assert.match(pods, new RegExp(`pod-1 +1/1 +Running +0 +\\S+ +${worker.replace(/\./g, '\\.')}\\.\\d+ +myk8s-worker `), pods);
  assert.match(pods, /pod-2 +1\/1 +Running /, pods);

  // the node: cni0 with the subnet's .1, both veths on it with hairpin on
  const gw = `${worker}.1`;
  assert.equal(
    await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', '-br', '-4', 'addr', 'show', 'cni0']),
    `cni0             UP             ${gw}/24 \n`,
  );
  const route = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'route']);
  assert.ok(route.includes(`${worker}.0/24 dev cni0 proto kernel scope link src ${gw} \n`), route);
  const ports = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'bridge', '-d', 'link']);
  // one veth per pod on the worker's pod network (the seed's pods, and kind's local-path-provisioner when it lands here)
  const onWorker = (await ok(lab, ['kubectl', 'get', 'pod', '-A', '-o', 'wide']))
    .split('\n')
    .filter((l) => l.includes(` ${worker}.`) && / myk8s-worker /.test(l)).length;
  assert.equal(
    ports.match(
      /^\d+: veth[0-9a-f]{8}@eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 master cni0 state forwarding priority 32 cost 2 \n {4}hairpin on /gm,
    )?.length,
    onWorker,
    ports,
  );
  await ok(lab, ['docker', 'exec', 'myk8s-worker', 'sh', '-c', 'apt update && apt install bridge-utils -y']);
  const brctl = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'brctl', 'show', 'cni0']);
  assert.match(
    brctl,
    new RegExp(
      `^bridge name\tbridge id\t\tSTP enabled\tinterfaces\ncni0\t\t8000\\.[0-9a-f]{12}\tno\t\tveth[0-9a-f]{8}\n${'\t\t\t\t\t\t\tveth[0-9a-f]{8}\n'.repeat(onWorker - 1)}$`,
    ),
  );
  // the pod: default and the cluster network through cni0's address
  const podIp = await ok(lab, ['kubectl', 'get', 'pod', 'pod-1', '-o', 'jsonpath={.status.podIP}']);
  assert.equal(
    await ok(lab, ['kubectl', 'exec', 'pod-1', '--', 'ip', 'route']),
    `default via ${gw} dev eth0 \n10.244.0.0/16 via ${gw} dev eth0 \n${worker}.0/24 dev eth0 proto kernel scope link src ${podIp} \n`,
  );
  const pod2 = await ok(lab, ['kubectl', 'get', 'pod', 'pod-2', '-o', 'jsonpath={.status.podIP}']);
  const ping = await run(lab, ['kubectl', 'exec', 'pod-1', '--', 'ping', '-c', '1', '-W', '1', pod2]);
  assert.equal(ping.status, 0, ping.out + ping.err);
  // flannel's saved delegate config, one per sandbox on the node
  const saved = (await ok(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/var/lib/cni/flannel'])).split('\n').filter(Boolean);
  assert.ok(saved.length >= 2 && saved.every((f) => /^[0-9a-f]{64}$/.test(f)), saved.join(','));

  // a hostPort through portmap (flannel's second plugin): the node's port 8080 reaches nginx from another node
  await ok(
    lab,
    ['kubectl', 'apply', '-f', '-'],
    {},
    `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: myk8s-worker
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
      hostPort: 8080
`,
  );
  await lab.wait(1_000);
  const nat = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'iptables', '-t', 'nat', '-S']);
  const webIp = await ok(lab, ['kubectl', 'get', 'pod', 'web', '-o', 'jsonpath={.status.podIP}']);
  assert.match(
    nat,
    new RegExp(`-A CNI-DN-[0-9a-f]{21} -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${webIp.replace(/\./g, '\\.')}:80\n`),
    nat,
  );
  assert.match(
    nat,
    /-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"cbr0\\" id: \\"[0-9a-f]{64}\\"" -m multiport --dports 8080 -j CNI-DN-/,
  );
  const workerIp = await ok(lab, ['kubectl', 'get', 'node', 'myk8s-worker', '-o', 'jsonpath={.status.addresses[0].address}']);
  const page = await ok(lab, ['docker', 'exec', 'myk8s-control-plane', 'curl', '-s', `${workerIp}:8080`]);
  assert.match(page, /<title>Welcome to nginx!<\/title>/);
  // the pod goes: its chain goes with it, the shared chains stay
  await ok(lab, ['kubectl', 'delete', 'pod', 'web']);
  await lab.wait(1_000);
  const after = await ok(lab, ['docker', 'exec', 'myk8s-worker', 'iptables', '-t', 'nat', '-S']);
  assert.doesNotMatch(after, /CNI-DN-/);
  assert.match(after, /-N CNI-HOSTPORT-DNAT\n/);
});
