// `docker stop` and `docker start` of a kind node, as seed 004's failover lab does them: the node
// drops off the network at once, turns NotReady (Unknown) when its Lease has been silent for the
// grace period, its pods leave their Services' endpoints, unreachable taints come, pods are evicted
// after their 300 s toleration; `docker start` brings a fresh kubelet that re-creates the sandboxes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { standardLab, runByHand, type Lab } from './index.js';
import { kindConfig } from './fixtures.js';

const CONFIG = kindConfig(3);

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchLabels: {app: web}
            topologyKey: kubernetes.io/hostname
      containers:
      - name: whoami
        image: traefik/whoami
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

const run = (lab: Lab, argv: string[], stdin?: string) => runByHand(lab, argv, stdin === undefined ? {} : { stdin });
const kubectl = async (lab: Lab, ...args: string[]) => (await run(lab, ['kubectl', ...args])).out;

async function cluster(): Promise<Lab> {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster', '--name', 'myk8s', '--config', '-'], CONFIG)).status, 0);
  lab.advance(60_000);
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', '-'], WEB)).status, 0);
  lab.advance(10_000);
  return lab;
}

const nodeStatus = async (lab: Lab, name: string) => (await kubectl(lab, 'get', 'node', name, '--no-headers')).split(/\s+/)[1];
/** The web pods as `name node ip ready restarts` lines, by name. */
async function webPods(
  lab: Lab,
): Promise<{ name: string; node: string; ip: string; phase: string; ready: string; restarts: string; deleting: boolean }[]> {
  const jp =
    '{range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP} {.status.phase} {.status.conditions[?(@.type=="Ready")].status} {.status.containerStatuses[0].restartCount} {.metadata.deletionTimestamp}{"\\n"}{end}';
  const out = await kubectl(lab, 'get', 'pods', '-l', 'app=web', '-o', `jsonpath=${jp}`);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, node, ip, phase, ready, restarts, deleting] = l.split(' ') as string[];
      return { name: name!, node: node!, ip: ip!, phase: phase!, ready: ready!, restarts: restarts!, deleting: !!deleting };
    });
}

test('docker stop: the node is unreachable at once, NotReady after the 50 s grace period, its pod out of the endpoints', async () => {
  const lab = await cluster();
  const [victim, other] = await webPods(lab);
  const node = victim!.node;
  assert.equal((await run(lab, ['docker', 'stop', node])).status, 0);
  // the pod's address answers no more (docker stop took the node's network namespace)
  const curl = await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'curl', '-s', '--connect-timeout', '1', `http://${victim!.ip}/`]);
  assert.equal(curl.status, 28);
  assert.match((await run(lab, ['docker', 'exec', node, 'ip', 'link'])).err, /is not running/);
  lab.advance(40_000);
  assert.equal(await nodeStatus(lab, node), 'Ready');
  lab.advance(20_000);
  assert.equal(await nodeStatus(lab, node), 'NotReady');
  const describe = await kubectl(lab, 'describe', 'node', node);
  assert.match(describe, /Ready\s+Unknown\s+.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
  assert.match(describe, /MemoryPressure\s+Unknown\s+.*NodeStatusUnknown/);
  assert.match(describe, /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/);
  assert.match(describe, new RegExp(`Normal\\s+NodeNotReady\\s+\\S+\\s+node-controller\\s+Node ${node} status is now: NodeNotReady`));
  // the pod there is not Ready (its containers' statuses, which only the kubelet writes, still say
  // 1/1 Running) and its address left the Service's endpoints
  assert.equal((await webPods(lab)).find((p) => p.name === victim!.name)!.ready, 'False');
  assert.match(await kubectl(lab, 'get', 'pod', victim!.name, '--no-headers'), /^web-\S+\s+1\/1\s+Running/);
  const eps = await kubectl(
    lab,
    'get',
    'endpointslices',
    '-l',
    'kubernetes.io/service-name=web',
    '-o',
    'jsonpath={range .items[*].endpoints[*]}{.addresses[0]} {.conditions.ready}{"\\n"}{end}',
  );
  assert.deepEqual(eps.split('\n').filter(Boolean).sort(), [`${victim!.ip} false`, `${other!.ip} true`].sort());
  // from another node, the Service answers from the pod that is left, every time
  const vip = await kubectl(lab, 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}');
  for (let i = 0; i < 4; i++) {
    const r = await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'curl', '-s', '--connect-timeout', '1', `http://${vip}/`]);
    assert.match(r.out, new RegExp(`^Hostname: ${other!.name}$`, 'm'));
  }
});

test('after 300 s unreachable the pod is evicted (Terminating), its replacement runs elsewhere; docker start brings the node back', async () => {
  const lab = await cluster();
  const [victim] = await webPods(lab);
  const old = victim!.name;
  const node = victim!.node;
  const nodeIp = await kubectl(lab, 'get', 'node', node, '-o', 'jsonpath={.status.addresses[0].address}');
  await run(lab, ['docker', 'stop', node]);
  lab.advance(55_000);
  lab.advance(299_000);
  assert.ok(
    (await webPods(lab)).every((p) => !p.deleting),
    'not evicted before its 300 s toleration',
  );
  lab.advance(2_000);
  const pods = await webPods(lab);
  assert.deepEqual(
    pods.filter((p) => p.deleting).map((p) => [p.name, p.node]),
    [[old, node]],
  );
  assert.match(await kubectl(lab, 'get', 'pod', old, '--no-headers'), /Terminating/);
  const replacement = pods.find((p) => !p.deleting && p.name !== old && p.node !== node && p.node !== victim!.node);
  assert.ok(replacement && replacement.phase === 'Running', JSON.stringify(pods));
  const events = await kubectl(lab, 'get', 'events', '--field-selector', `involvedObject.name=${old}`);
  assert.match(events, /TaintManagerEviction\s+pod\/\S+\s+Marking for deletion Pod default\/web-/);
  assert.match(events, /NodeNotReady\s+pod\/\S+\s+Node is not ready/);
  // docker start: a new kubelet finishes the eviction, the node is Ready and its taints go
  assert.equal((await run(lab, ['docker', 'start', node])).status, 0);
  lab.advance(15_000);
  assert.equal(await nodeStatus(lab, node), 'Ready');
  assert.doesNotMatch(await kubectl(lab, 'get', 'pods', '-l', 'app=web'), new RegExp(old));
  assert.match(await kubectl(lab, 'describe', 'node', node), /Taints:\s+<none>/);
  assert.match(
    (await run(lab, ['docker', 'exec', node, 'ip', '-4', '-br', 'addr', 'show', 'eth0'])).out,
    new RegExp(`^eth0@if\\d+ +UP +${nodeIp}/16 \n$`),
  );
});

test('docker start within the grace period: the same pods get new sandboxes (a restart each) and new addresses', async () => {
  const lab = await cluster();
  const [victim] = await webPods(lab);
  await run(lab, ['docker', 'stop', victim!.node]);
  lab.advance(5_000);
  assert.equal((await run(lab, ['docker', 'start', victim!.node])).status, 0);
  lab.advance(5_000);
  const now = (await webPods(lab)).find((p) => p.name === victim!.name)!;
  assert.deepEqual([now.node, now.phase, now.ready, now.restarts], [victim!.node, 'Running', 'True', '1']);
  assert.match(await kubectl(lab, 'get', 'pod', victim!.name, '--no-headers'), /^web-\S+\s+1\/1\s+Running\s+1 \(5s ago\)/);
  assert.match(
    await kubectl(lab, 'describe', 'pod', victim!.name),
    /Normal\s+SandboxChanged\s+\S+\s+kubelet\s+Pod sandbox changed, it will be killed and re-created\./,
  );
  // kindnet keeps host-local's state in /run (tmpfs): the freed address is handed out again
  assert.equal(now.ip, victim!.ip);
  // the new sandbox is reachable across nodes (kindnet and kube-proxy came back on the node)
  const curl = await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'curl', '-s', `http://${now.ip}/`]);
  assert.match(curl.out, new RegExp(`^Hostname: ${victim!.name}$`, 'm'));
  assert.equal(await nodeStatus(lab, victim!.node), 'Ready');
});

test('docker pause freezes the kubelet: no heartbeat, NotReady after the grace period; docker unpause: Ready again', async () => {
  const lab = await cluster();
  const [victim] = await webPods(lab);
  assert.equal((await run(lab, ['docker', 'pause', victim!.node])).status, 0);
  lab.advance(55_000);
  assert.equal(await nodeStatus(lab, victim!.node), 'NotReady');
  assert.match((await run(lab, ['docker', 'exec', victim!.node, 'true'])).err, /is paused/);
  assert.equal((await run(lab, ['docker', 'unpause', victim!.node])).status, 0);
  lab.advance(1_000);
  assert.equal(await nodeStatus(lab, victim!.node), 'Ready');
  assert.match(await kubectl(lab, 'describe', 'node', victim!.node), /Normal\s+NodeReady\s+.*kubelet\s+Node \S+ status is now: NodeReady/);
  // nothing restarted: the pod kept its sandbox and is Ready again
  const now = (await webPods(lab)).find((p) => p.name === victim!.name)!;
  assert.deepEqual([now.restarts, now.ready], ['0', 'True']);
});
