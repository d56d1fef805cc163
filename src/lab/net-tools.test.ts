// netshoot's socket tools inside a kind cluster (issue 14 item 7; seed 000's myweb2): a pod of
// nginx and netshoot sharing one network namespace, where `ss -tnlp` in the netshoot container
// lists nginx's listener and `nc -zv` reaches it and a Service by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run, whoamiWeb } from './fixtures.js';

const MYWEB2 = `apiVersion: v1
kind: Pod
metadata:
  name: myweb2
spec:
  containers:
  - name: myweb2-nginx
    image: nginx
    ports:
    - containerPort: 80
  - name: myweb2-netshoot
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
`;

test("ss in a pod's netshoot container lists its neighbour container's listener; nc reaches it and a Service", async () => {
  const lab = await kindCluster(1, `${MYWEB2}---\n${whoamiWeb(1)}`);
  const exec = (...argv: string[]) => run(lab, {}, 'kubectl', 'exec', 'myweb2', '-c', 'myweb2-netshoot', '--', ...argv);

  const listening = await exec('ss', '-tnlp');
  assert.equal(listening.status, 0, listening.err);
  assert.equal(
    listening.out,
    'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0      511          0.0.0.0:80        0.0.0.0:*          \n',
  );

  const local = await exec('nc', '-zv', 'localhost', '80');
  assert.deepEqual([local.status, local.out, local.err], [0, '', 'Connection to localhost (127.0.0.1) 80 port [tcp/http] succeeded!\n']);
  const service = await exec('nc', '-zv', 'web', '80');
  assert.equal(service.status, 0);
  assert.match(service.err, /^Connection to web \(10\.96\.\d+\.\d+\) 80 port \[tcp\/http\] succeeded!\n$/);

  // The client's sides of both connections, closed first by nc: TIME-WAIT to the ClusterIP (ss sees the socket, not the DNAT).
  const after = await exec('ss', '-tan', 'state', 'time-wait', 'dport', '=', ':80');
  assert.match(after.out, /^Recv-Q Send-Q Local Address:Port +Peer Address:PortProcess\n/);
  assert.match(after.out, /^0 +0 +127\.0\.0\.1:\d+ +127\.0\.0\.1:80 +$/m);
  assert.match(after.out, /^0 +0 +10\.244\.\d+\.\d+:\d+ +10\.96\.\d+\.\d+:80 +$/m);

  const kindNode = await run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'ss', '-uan');
  assert.equal(kindNode.status, 0);
  assert.match(kindNode.out, /^State +Recv-Q Send-Q/);
});
