// `npm start`: kind's default lab with 3 whoami pods and a ping from a pod to a pod on the other
// worker, with its walk — what a user reads in the output, and the same output every run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runKindDemo } from './demo-kind.js';
import { runDemo } from './demo.js';

async function demo(): Promise<{ status: number; text: string }> {
  let text = '';
  const status = await runKindDemo({ write: (t) => void (text += t), colour: false });
  return { status, text };
}

test('knetlab demo: 3 Running whoami pods over both workers, a ping from one to a pod on the other worker whose walk crosses both nodes, reply received; stable output', async () => {
  const { status, text } = await demo();
  assert.equal(status, 0, text);
  assert.match(text, /^\$ kind create cluster --config kind-3nodes\.yaml$/m);
  const pods = [...text.matchAll(/^(whoami-\S+)\s+1\/1\s+(\S+)\s+0\s+\S+\s+(10\.244\.\d+\.\d+)\s+(\S+)/gm)].map((m) => ({
    name: m[1]!,
    status: m[2]!,
    ip: m[3]!,
    node: m[4]!,
  }));
  assert.equal(pods.length, 3, text);
  assert.deepEqual(
    pods.map((p) => p.status),
    ['Running', 'Running', 'Running'],
  );
  assert.deepEqual([...new Set(pods.map((p) => p.node))].sort(), ['kind-worker', 'kind-worker2']);
  // the node's routes to the other nodes' pods
  assert.match(text, /^10\.244\.0\.0\/24 via 172\.18\.0\.2 dev eth0 $/m);
  const ping = /^\$ docker exec (\S+) ip netns exec (cni-\S+) ping -c 1 (\S+)$/m.exec(text);
  assert.ok(ping, text);
  const [, fromNode, fromNetns, toIp] = ping;
  const to = pods.find((p) => p.ip === toIp)!;
  assert.notEqual(to.node, fromNode);
  assert.match(text, /1 packets transmitted, 1 received, 0% packet loss/);
  assert.match(text, new RegExp(`64 bytes from ${toIp!.replace(/\./g, '\\.')}: icmp_seq=1 ttl=62 `));
  const request = /The request was received by:\n((?: {2}.*\n)+)/.exec(text)![1]!.trim().split(/\n\s*/);
  const reply = /and the reply by:\n((?: {2}.*\n)+)/.exec(text)![1]!.trim().split(/\n\s*/);
  // source node's veth, the kind bridge's port on the machine, the other node's eth0, then into the pod
  assert.match(request[0]!, new RegExp(`^${fromNode} veth[0-9a-f]{8}$`));
  assert.match(request[1]!, /^machine veth/);
  assert.equal(request[2], `${to.node} eth0`);
  assert.match(request.at(-1)!, new RegExp(`^${to.node}/cni-[0-9a-f-]{36} eth0$`));
  assert.equal(reply.at(-1), `${fromNode}/${fromNetns} eth0`);
  assert.ok(reply.includes(`${fromNode} eth0`), reply.join('\n'));
  assert.equal((await demo()).text, text, 'the same output on every run');
});

test('knetlab demo seed003 still walks a ping across the bridge', () => {
  let text = '';
  assert.equal(runDemo({ write: (t) => void (text += t), colour: false }), 0, text);
  assert.match(text, /2 packets transmitted, 2 received/);
  assert.match(text, /The walk of the first packet: ping 172\.18\.0\.3 icmp_seq=1/);
});
