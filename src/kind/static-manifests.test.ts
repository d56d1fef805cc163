// kubeadm's etcd manifest for the init node and for control planes that join it (HA kind clusters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaults } from './config.js';
import { documentOf, kubeadmDocuments } from './kubeadm-config.js';
import { componentArgs } from './kubeadm-patches.js';

/** The component extraArgs a one-node cluster's kubeadm config has after these patches. */
function clusterConfigurationArgs(patches: string[]) {
  const docs = kubeadmDocuments(defaults({ kubeadmConfigPatches: patches }), {
    name: 'kind-control-plane',
    role: 'control-plane',
    ip: '172.18.0.2',
    index: 0,
  });
  return componentArgs(documentOf(docs, 'ClusterConfiguration'));
}
import { parse } from 'yaml';
import { controlPlanePods, manifestValue, manifestYaml } from './static-manifests.js';

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

test("controlPlanePods: seed 000's kubeadmConfigPatches (map-form extraArgs) rebind kcm, scheduler and etcd's metrics as kubeadm does", () => {
  const patch = `kind: ClusterConfiguration
controllerManager:
  extraArgs:
    bind-address: 0.0.0.0
etcd:
  local:
    extraArgs:
      listen-metrics-urls: http://0.0.0.0:2381
scheduler:
  extraArgs:
    bind-address: 0.0.0.0
`;
  const pods = controlPlanePods({ ...base, node: 'myk8s-control-plane', ip: '172.18.0.2', extraArgs: clusterConfigurationArgs([patch]) });
  const c = (f: string) =>
    (pods[f] as { spec: { containers: { command: string[]; livenessProbe: { httpGet: Record<string, unknown> } }[] } }).spec.containers[0]!;
  const kcm = c('kube-controller-manager.yaml');
  // the default 127.0.0.1 replaced in place, one flag, still sorted
  assert.deepEqual(
    kcm.command.filter((a) => a.startsWith('--bind-address')),
    ['--bind-address=0.0.0.0'],
  );
  assert.deepEqual([...kcm.command.slice(1)].sort(), kcm.command.slice(1));
  // an unspecified bind address: no probe host (the kubelet probes the pod IP)
  assert.equal(kcm.livenessProbe.httpGet['host'], undefined);
  assert.ok(c('kube-scheduler.yaml').command.includes('--bind-address=0.0.0.0'));
  const etcd = c('etcd.yaml');
  assert.ok(etcd.command.includes('--listen-metrics-urls=http://0.0.0.0:2381'));
  assert.ok(!etcd.command.includes('--listen-metrics-urls=http://127.0.0.1:2381'));
  assert.equal(etcd.livenessProbe.httpGet['host'], '0.0.0.0');
  // the apiserver is untouched
  assert.deepEqual(
    c('kube-apiserver.yaml').command,
    (
      controlPlanePods({ ...base, node: 'myk8s-control-plane', ip: '172.18.0.2' })['kube-apiserver.yaml'] as (typeof pods)[string] & {
        spec: { containers: { command: string[] }[] };
      }
    ).spec.containers[0]!.command,
  );
});

test("controlPlanePods: etcd's advertise-client-urls extra arg becomes the apiserver's --etcd-servers (getAPIServerCommand)", () => {
  const patch = `kind: ClusterConfiguration
etcd:
  local:
    extraArgs:
      advertise-client-urls: https://172.18.0.2:2379
`;
  const pods = controlPlanePods({ ...base, node: 'kind-control-plane', ip: '172.18.0.2', extraArgs: clusterConfigurationArgs([patch]) });
  const cmd = (pods['kube-apiserver.yaml'] as { spec: { containers: { command: string[] }[] } }).spec.containers[0]!.command;
  assert.deepEqual(
    cmd.filter((a) => a.startsWith('--etcd-servers=')),
    ['--etcd-servers=https://172.18.0.2:2379'],
  );
});

test('kubeadmDocuments: ClusterConfiguration extraArgs in v1beta4 list form, later patches override by name, null deletes, other kinds and versions left out', () => {
  const args = clusterConfigurationArgs([
    'kind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: v\n    value: "4"\n  - name: audit-log-path\n    value: /a\n',
    'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: v\n    value: "6"\n  - name: audit-log-path\n    value: null\n',
    'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nscheduler:\n  extraArgs:\n    v: "9"\n',
    'kind: InitConfiguration\nscheduler:\n  extraArgs:\n    v: "9"\n',
  ]);
  // kind's own items first (runtime-config, enable-hostpath-provisioner), the patches' after them
  assert.deepEqual(args, {
    apiServer: [
      { name: 'runtime-config', value: '' },
      { name: 'v', value: '6' },
    ],
    controllerManager: [{ name: 'enable-hostpath-provisioner', value: 'true' }],
  });
});

test('manifestValue: each manifest reads back from its YAML as exactly the value kind hands the kubelet (keys in order too)', () => {
  const patched = clusterConfigurationArgs([
    'kind: ClusterConfiguration\ncontrollerManager:\n  extraArgs:\n    bind-address: 0.0.0.0\netcd:\n  local:\n    extraArgs:\n      listen-metrics-urls: http://0.0.0.0:2381\n',
  ]);
  const members = [
    { name: 'kind-control-plane', ip: '172.18.0.3' },
    { name: 'kind-control-plane2', ip: '172.18.0.4' },
  ];
  for (const o of [
    { ...base, node: 'kind-control-plane', ip: '172.18.0.3' },
    { ...base, node: 'kind-control-plane2', ip: '172.18.0.4', etcdMembers: members, extraArgs: patched, featureGates: 'A=true,B=false' },
  ]) {
    const pods = controlPlanePods(o);
    assert.equal(Object.keys(pods).length, 4);
    for (const [name, pod] of Object.entries(pods)) {
      const text = manifestYaml(pod);
      assert.equal(JSON.stringify(manifestValue(pod)), JSON.stringify(parse(text)), name);
      assert.equal(manifestYaml(manifestValue(pod)), text, name);
    }
  }
});
