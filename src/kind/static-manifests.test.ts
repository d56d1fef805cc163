// kubeadm's etcd manifest for the init node and for control planes that join it (HA kind clusters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controlPlanePods } from './static-manifests.js';

const base = { clusterName: 'kind', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', version: 'v1.36.1' };

/** The etcd container's command of a node's manifests. */
function etcdCommand(o: Parameters<typeof controlPlanePods>[0]): string[] {
  const pod = controlPlanePods(o)['etcd.yaml'] as { spec: { containers: { command: string[] }[] } };
  return pod.spec.containers[0]!.command;
}

test("controlPlanePods: kubeadm init's etcd is a one-member cluster with no initial-cluster-state", () => {
  const cmd = etcdCommand({ ...base, node: 'kind-control-plane', ip: '172.18.0.3' });
  assert.ok(cmd.includes('--initial-cluster=kind-control-plane=https://172.18.0.3:2380'));
  assert.ok(!cmd.some((a) => a.startsWith('--initial-cluster-state')));
  // an etcdMembers list naming only the node itself is still init's
  assert.deepEqual(
    etcdCommand({ ...base, node: 'kind-control-plane', ip: '172.18.0.3', etcdMembers: [{ name: 'kind-control-plane', ip: '172.18.0.3' }] }),
    cmd,
  );
});

test("controlPlanePods: a joining control plane's etcd has its own URLs, the members it joins and --initial-cluster-state=existing", () => {
  const members = [
    { name: 'kind-control-plane', ip: '172.18.0.3' },
    { name: 'kind-control-plane2', ip: '172.18.0.4' },
  ];
  const cmd = etcdCommand({ ...base, node: 'kind-control-plane3', ip: '172.18.0.5', etcdMembers: members });
  const flags = cmd.slice(1);
  const key = (f: string) => f.slice(2, f.indexOf('='));
  assert.deepEqual(
    flags.map(key),
    flags.map(key).sort(),
    "ArgumentsToCommand's order: by flag name (initial-cluster before initial-cluster-state)",
  );
  const i = flags.indexOf(
    '--initial-cluster=kind-control-plane=https://172.18.0.3:2380,kind-control-plane2=https://172.18.0.4:2380,kind-control-plane3=https://172.18.0.5:2380',
  );
  assert.ok(i >= 0, flags.join('\n'));
  assert.equal(flags[i + 1], '--initial-cluster-state=existing');
  for (const f of [
    '--name=kind-control-plane3',
    '--advertise-client-urls=https://172.18.0.5:2379',
    '--initial-advertise-peer-urls=https://172.18.0.5:2380',
    '--listen-client-urls=https://127.0.0.1:2379,https://172.18.0.5:2379',
    '--listen-peer-urls=https://172.18.0.5:2380',
  ])
    assert.ok(flags.includes(f), f);
});
