// kind nodes are hosts of the lab's world on the `kind` network: they reach each other, carry a
// filesystem, answer `knetlab sh --host NODE`, come back after a replay and go with their cluster.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';

const io = (files: Record<string, string> = {}) => captured({ files });

const TWO_NODES = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n';

async function run(lab: Lab, ...argv: string[]) {
  const c = io({ 'kind.yaml': TWO_NODES });
  const r = await lab.run(argv, c);
  return { ...r, out: c.out, err: c.err };
}

test('kind create cluster makes each node a host on the kind network: eth0, default route, hostname, a ping across', async () => {
  const lab = standardLab();
  const created = await run(lab, 'kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s');
  assert.equal(created.status, 0, created.err);
  const addr = await run(
    lab,
    'sh',
    '--host',
    'myk8s-control-plane',
    '-c',
    'ip -br -4 addr show eth0; ip route show dev eth0 scope link; ip route show default; hostname',
  );
  assert.equal(addr.status, 0, addr.err);
  assert.equal(
    addr.out,
    'eth0@if3         UP             172.18.0.2/16 \n172.18.0.0/16 proto kernel src 172.18.0.2 \ndefault via 172.18.0.1 dev eth0 \nmyk8s-control-plane\n',
  );
  const ping = await run(lab, 'sh', '--host', 'myk8s-worker', '-c', 'ping -c 1 -W 1 172.18.0.2');
  assert.equal(ping.status, 0, ping.out + ping.err);
  assert.match(ping.out, /1 packets transmitted, 1 received/);
  assert.deepEqual(lab.nodeFiles('myk8s-worker')!.list('/opt/cni/bin'), ['host-local', 'loopback', 'portmap', 'ptp']);
  assert.equal(lab.nodeFiles('nope'), undefined);
});

test('after a replay of the journal the nodes are back; kind delete cluster takes them away', async () => {
  const lab = standardLab();
  const created = await run(lab, 'kind', 'create', 'cluster', '--config', 'kind.yaml');
  assert.ok(created.record);
  const again = standardLab();
  assert.equal(await again.replay(created.record), 0);
  const ping = await run(again, 'sh', '--host', 'kind-control-plane', '-c', 'ping -c 1 -W 1 172.18.0.3');
  assert.equal(ping.status, 0, ping.out + ping.err);
  assert.equal(again.kind.world.getNetwork('kind')!.attached.size, 2);
  const del = await run(again, 'kind', 'delete', 'cluster');
  assert.equal(del.status, 0, del.err);
  assert.equal(again.nodeFiles('kind-worker'), undefined);
  assert.equal(again.kind.world.hasHost('kind-worker'), false);
  assert.equal(again.kind.world.getNetwork('kind')!.attached.size, 0);
  // the name is a standalone host again, without the node's devices
  const sh = await run(again, 'sh', '--host', 'kind-worker', '-c', 'ip -br link');
  assert.equal(sh.out, 'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n');
  // a new cluster takes the next addresses (docker's serial IPAM) on the same network
  assert.equal((await run(again, 'kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'b')).status, 0);
  const ping2 = await run(again, 'sh', '--host', 'b-worker', '-c', 'ping -c 1 -W 1 172.18.0.4');
  assert.equal(ping2.status, 0, ping2.out + ping2.err);
});
