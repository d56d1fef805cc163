// Containers whose command is a shell script run it in their own shell, in virtual time: their
// output is `kubectl logs`, their exit status the container's (Completed, Error, CrashLoopBackOff,
// Succeeded, Failed), and init containers run in order, each to completion, the pod Init:N/M meanwhile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ok = async (lab: Lab, argv: string[], stdin?: string): Promise<string> => {
  const r = await runByHand(lab, argv, stdin === undefined ? {} : { stdin });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
};
const pod = async (lab: Lab, name: string) => JSON.parse(await ok(lab, ['kubectl', 'get', 'pod', name, '-o', 'json'])) as Obj;
const statusOf = async (lab: Lab, name: string) =>
  (await ok(lab, ['kubectl', 'get', 'pod', name, '--no-headers'])).trim().split(/\s+/).slice(1, 3).join(' ');

// kubernetes.io/docs/concepts/workloads/pods/init-containers/, "Init containers in use"
const MYAPP = `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`;
const SERVICES = `---
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
---
apiVersion: v1
kind: Service
metadata:
  name: mydb
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9377
`;

test("kubernetes.io's init containers example: Init:0/2 until the Services exist, then Running; each container's log", async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'apply', '-f', '-'], MYAPP);
  await lab.wait(10_000);
  assert.equal(await statusOf(lab, 'myapp-pod'), '0/1 Init:0/2');
  const waiting = await ok(lab, ['kubectl', 'logs', 'myapp-pod', '-c', 'init-myservice']);
  // nslookup's failure then the script's echo, every 2 s of virtual time
  const loops = waiting.split('waiting for myservice\n').length - 1;
  assert.ok(loops >= 4 && loops <= 6, waiting);
  assert.match(waiting, /can't resolve 'myservice\.default\.svc\.cluster\.local'/);
  let p = await pod(lab, 'myapp-pod');
  assert.equal(p.status.phase, 'Pending');
  const init = p.status.conditions.find((c: Obj) => c.type === 'Initialized');
  assert.deepEqual(
    [init.status, init.reason, init.message],
    ['False', 'ContainersNotInitialized', 'containers with incomplete status: [init-myservice init-mydb]'],
  );
  assert.deepEqual(Object.keys(p.status.initContainerStatuses[0].state), ['running']);
  assert.deepEqual(p.status.initContainerStatuses[1].state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(p.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });

  await ok(lab, ['kubectl', 'apply', '-f', '-'], SERVICES.split('---\n')[1]);
  await lab.wait(3_000);
  assert.equal(await statusOf(lab, 'myapp-pod'), '0/1 Init:1/2');
  await ok(lab, ['kubectl', 'apply', '-f', '-'], SERVICES.split('---\n')[2]);
  await lab.wait(3_000);
  assert.equal(await statusOf(lab, 'myapp-pod'), '1/1 Running');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'myapp-pod']), 'The app is running!\n');
  const done = await ok(lab, ['kubectl', 'logs', 'myapp-pod', '-c', 'init-myservice']);
  assert.match(done, /Name:\s+myservice\.default\.svc\.cluster\.local\n/);
  p = await pod(lab, 'myapp-pod');
  assert.equal(p.status.phase, 'Running');
  assert.equal(p.status.conditions.find((c: Obj) => c.type === 'Initialized').status, 'True');
  for (const s of p.status.initContainerStatuses)
    assert.deepEqual([s.state.terminated.reason, s.state.terminated.exitCode], ['Completed', 0]);
  const described = await ok(lab, ['kubectl', 'describe', 'pod', 'myapp-pod']);
  assert.match(described, /Init Containers:\n  init-myservice:\n[\s\S]*?State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0/);
  assert.match(described, /Started container init-mydb/);
});

test("kubectl run --restart=Never busybox -- sh -c 'echo hi': Completed, Succeeded, and its log", async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', '--restart=Never', 'busybox', '--image=busybox', '--', 'sh', '-c', 'echo hi']);
  await lab.wait(2_000);
  assert.equal(await statusOf(lab, 'busybox'), '0/1 Completed');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'busybox']), 'hi\n');
  const p = await pod(lab, 'busybox');
  assert.equal(p.status.phase, 'Succeeded');
  assert.deepEqual(
    [p.status.containerStatuses[0].state.terminated.exitCode, p.status.containerStatuses[0].state.terminated.reason],
    [0, 'Completed'],
  );
});

// kubernetes.io/examples/service/networking/hostaliases-pod.yaml (website main, 2025): a plain
// command (no shell) as the container's program; its page shows `kubectl logs hostaliases-pod`
const HOSTALIASES = `apiVersion: v1
kind: Pod
metadata:
  name: hostaliases-pod
spec:
  restartPolicy: Never
  hostAliases:
  - ip: "127.0.0.1"
    hostnames: ["foo.local", "bar.local"]
  - ip: "10.1.2.3"
    hostnames: ["foo.remote", "bar.remote"]
  containers:
  - name: cat-hosts
    image: busybox:1.28
    command: ["cat"]
    args: ["/etc/hosts"]
`;

test('kubectl run --restart=Never busybox -- echo hi: a plain command (no shell) writes its log too', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', '--restart=Never', 'echo', '--image=busybox', '--', 'echo', 'hi']);
  await lab.wait(2_000);
  assert.equal(await statusOf(lab, 'echo'), '0/1 Completed');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'echo']), 'hi\n');
});

test("kubernetes.io's hostaliases-pod: its plain command's output is its log, the kubelet's /etc/hosts ending with the HostAliases entries", async () => {
  const lab = await kindCluster(1, HOSTALIASES);
  await lab.wait(1_000);
  assert.equal(await statusOf(lab, 'hostaliases-pod'), '0/1 Completed');
  const ip = (await pod(lab, 'hostaliases-pod')).status.podIP;
  assert.equal(
    await ok(lab, ['kubectl', 'logs', 'hostaliases-pod']),
    `# Kubernetes-managed hosts file.
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
fe00::0\tip6-mcastprefix
fe00::1\tip6-allnodes
fe00::2\tip6-allrouters
${ip}\thostaliases-pod

# Entries added by HostAliases.
127.0.0.1\tfoo.local\tbar.local
10.1.2.3\tfoo.remote\tbar.remote
`,
  );
});

test("a pod's spec.hostname and subdomain name it in its /etc/hosts and hostname; a hostNetwork pod's hosts file is its node's", async () => {
  // kubernetes.io's DNS for Services and Pods page: busybox1 with hostname busybox-1
  const lab = await kindCluster(
    1,
    `apiVersion: v1
kind: Pod
metadata:
  name: busybox1
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  containers:
  - name: busybox
    image: busybox:1.28
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: hostnet
spec:
  hostNetwork: true
  hostAliases:
  - ip: "10.1.2.3"
    hostnames: ["foo.remote"]
  containers:
  - name: busybox
    image: busybox:1.28
    command: ["sleep", "3600"]
`,
  );
  const ip = (await pod(lab, 'busybox1')).status.podIP;
  assert.equal(
    await ok(lab, ['kubectl', 'exec', 'busybox1', '--', 'sh', '-c', 'hostname; tail -n 1 /etc/hosts']),
    `busybox-1\n${ip}\tbusybox-1.busybox-subdomain.default.svc.cluster.local\tbusybox-1\n`,
  );
  const node = await ok(lab, ['docker', 'exec', 'kind-worker', 'cat', '/etc/hosts']);
  assert.equal(
    await ok(lab, ['kubectl', 'exec', 'hostnet', '--', 'cat', '/etc/hosts']),
    `# Kubernetes-managed hosts file (host network).\n${node}\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\n`,
  );
});

test('a script that exits 3: Error then CrashLoopBackOff (restartPolicy Always), Failed (Never); kubectl wait sees it end in virtual time', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'fails', '--image=busybox', '--', 'sh', '-c', 'echo trying; sleep 5; echo giving up >&2; exit 3']);
  await ok(lab, ['kubectl', 'run', 'once', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'sleep 30; exit 3']);
  await lab.wait(4_000);
  assert.equal(await ok(lab, ['kubectl', 'logs', 'fails']), 'trying\n');
  await lab.wait(2_000);
  assert.equal(await statusOf(lab, 'fails'), '0/1 Error');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'fails']), 'trying\ngiving up\n');
  const described = await ok(lab, ['kubectl', 'describe', 'pod', 'fails']);
  assert.match(described, /State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+3\n/);
  // restarted at the next sync, it fails again after its 5 s: then the kubelet backs off
  await lab.wait(8_000);
  assert.equal(await statusOf(lab, 'fails'), '0/1 CrashLoopBackOff');
  // kubectl wait runs the clock until the script's own end (30 s after it started)
  const waited = await ok(lab, ['kubectl', 'wait', '--for=condition=Ready=false', 'pod/once', '--timeout=60s']);
  assert.equal(waited, 'pod/once condition met\n');
  const p = await pod(lab, 'once');
  const t = p.status.containerStatuses[0].state.terminated;
  assert.deepEqual([t.exitCode, t.reason], [3, 'Error']);
  assert.equal(Date.parse(t.finishedAt) - Date.parse(t.startedAt), 30_000);
  assert.equal(await statusOf(lab, 'once'), '0/1 Error');
});

test('an init container that fails: Init:Error, then Init:CrashLoopBackOff; under restartPolicy Never the pod Failed', async () => {
  const lab = await kindCluster(1);
  const manifest = (name: string, policy: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: ${policy}
  initContainers:
  - name: setup
    image: busybox
    command: ['sh', '-c', 'echo setting up; exit 1']
  containers:
  - name: app
    image: busybox
    command: ['sh', '-c', 'sleep 3600']
`;
  await ok(lab, ['kubectl', 'apply', '-f', '-'], `${manifest('again', 'Always')}---\n${manifest('never', 'Never')}`);
  await lab.wait(500);
  assert.equal(await statusOf(lab, 'again'), '0/1 Init:Error');
  assert.equal(await statusOf(lab, 'never'), '0/1 Init:Error');
  await lab.wait(3_000);
  assert.equal(await statusOf(lab, 'again'), '0/1 Init:CrashLoopBackOff');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'again', '-c', 'setup']), 'setting up\n');
  const never = await pod(lab, 'never');
  assert.equal(never.status.phase, 'Failed');
  assert.equal(never.status.initContainerStatuses[0].restartCount, 0);
  const again = await pod(lab, 'again');
  assert.equal(again.status.phase, 'Pending');
  assert.equal(again.status.initContainerStatuses[0].restartCount, 1);
});

test('deleting a pod stops its script: its loop writes no more', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'loop', '--image=busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done']);
  await lab.wait(3_500);
  const ticks = (await ok(lab, ['kubectl', 'logs', 'loop'])).split('tick\n').length - 1;
  assert.ok(ticks >= 3 && ticks <= 4, String(ticks));
  const kubelet = lab.kind.node((await pod(lab, 'loop')).spec.nodeName)!.kubelet!;
  const program = kubelet.container('default', 'loop', 'loop')!.program!;
  await ok(lab, ['kubectl', 'delete', 'pod', 'loop', '--wait=false']);
  await lab.wait(40_000);
  assert.match((await runByHand(lab, ['kubectl', 'get', 'pod', 'loop'])).err, /NotFound|not found/);
  const logged = program.logs!();
  await lab.wait(5_000);
  assert.equal(program.logs!(), logged);
  assert.ok(logged.split('tick\n').length - 1 < 10, logged);
});

test('a live clock (the lab server stepping it) runs a script at its own virtual times; a debug container runs its command', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'web', '--image=nginx']);
  await lab.wait(3_000);
  await ok(lab, ['kubectl', 'debug', 'web', '--image=busybox', '--', 'sh', '-c', 'echo from debug; sleep 2; exit 4']);
  await lab.wait(5_000);
  const eph = (await pod(lab, 'web')).status.ephemeralContainerStatuses[0];
  assert.deepEqual([eph.state.terminated.exitCode, eph.state.terminated.reason], [4, 'Error']);
  assert.equal(Date.parse(eph.state.terminated.finishedAt) - Date.parse(eph.state.terminated.startedAt), 2_000);
  assert.equal(await ok(lab, ['kubectl', 'logs', 'web', '-c', eph.name]), 'from debug\n');
  lab.liveClock = true;
  await ok(lab, ['kubectl', 'run', 'loop', '--image=busybox', '--', 'sh', '-c', 'while true; do date +%T; sleep 1; done']);
  const at = lab.clock.now();
  await lab.advanceStepwise(5_000, () => new Promise((resolve) => setImmediate(resolve)));
  const lines = (await ok(lab, ['kubectl', 'logs', 'loop'])).trim().split('\n');
  // one line a second, each printed at its own second
  assert.equal(lines.length, 5, lines.join('|'));
  const seconds = lines.map((l) => l.split(':').reduce((s, x) => s * 60 + Number(x), 0));
  assert.deepEqual(
    seconds.map((s) => s - seconds[0]!),
    [0, 1, 2, 3, 4],
  );
  assert.ok(seconds[0]! * 1000 >= at && seconds[0]! * 1000 <= at + 1_000);
});

test('a script that loops without ever sleeping takes virtual time, so the lab goes on: its log grows with the clock, set -x shows no hidden command', {
  timeout: 120_000,
}, async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'busy', '--image=busybox', '--', 'sh', '-c', 'while true; do echo hi; done']);
  await ok(lab, [
    'kubectl',
    'run',
    'counts',
    '--image=busybox',
    '--',
    'sh',
    '-xc',
    'for i in $(seq 1 25); do :; done; echo counted $i; sleep 3600',
  ]);
  await lab.wait(5_000);
  assert.equal(await statusOf(lab, 'busy'), '1/1 Running');
  const first = (await ok(lab, ['kubectl', 'logs', 'busy'])).split('\n').length;
  await lab.wait(5_000);
  const second = (await ok(lab, ['kubectl', 'logs', 'busy'])).split('\n').length;
  // 100 passes a virtual second (coarse): the log grows as the clock runs, not all at once
  assert.ok(first > 100 && second - first >= 400 && second - first <= 600, `${first} then ${second}`);
  const p = await pod(lab, 'busy');
  assert.equal(p.status.containerStatuses[0].restartCount, 0);
  const traced = await ok(lab, ['kubectl', 'logs', 'counts']);
  assert.match(traced, /counted 25\n/);
  assert.doesNotMatch(traced, /knetlab/);
  assert.equal(traced.split('\n').filter((l) => l === '+ :').length, 25, traced);
});

test("a container's shell reads its own options and arguments (sh -xc SCRIPT NAME ARG, /bin/sh -ec); a traced command's line comes before its output", async () => {
  const lab = await kindCluster(1);
  await ok(lab, [
    'kubectl',
    'run',
    'traced',
    '--restart=Never',
    '--image=busybox',
    '--',
    'sh',
    '-xc',
    'echo one; nope; echo "$0 $1"',
    'me',
    'arg',
  ]);
  await ok(
    lab,
    ['kubectl', 'apply', '-f', '-'],
    `apiVersion: v1
kind: Pod
metadata:
  name: strict
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: nginx
    command: ["/bin/sh", "-ec", "echo start; false; echo never"]
`,
  );
  await ok(lab, ['kubectl', 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  await lab.wait(2_000);
  // BusyBox's ash: its trace quotes a word with a space; its error names no line
  assert.equal(await ok(lab, ['kubectl', 'logs', 'traced']), "+ echo one\none\n+ nope\nsh: nope: not found\n+ echo 'me arg'\nme arg\n");
  assert.equal(await statusOf(lab, 'traced'), '0/1 Completed');
  assert.equal(await ok(lab, ['kubectl', 'logs', 'strict']), 'start\n');
  assert.equal(await statusOf(lab, 'strict'), '0/1 Error');
  const r = await runByHand(lab, ['kubectl', 'exec', 'box', '--', '/bin/sh', '-euc', 'echo "${X:-unset}"; echo $Y']);
  assert.deepEqual([r.out, r.err, r.status], ['unset\n', 'sh: Y: parameter not set\ncommand terminated with exit code 2\n', 2]);
});

test("/proc/net/route, arp and dev in a node and in a pod are their own namespace's, in the kernel's formats", async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  await lab.wait(2_000);
  const node = (await ok(lab, ['docker', 'exec', 'kind-control-plane', 'cat', '/proc/net/route'])).split('\n');
  // the default route via the kind network's gateway 172.18.0.1, its bytes reversed as %08X prints them
  assert.match(node[1]!, /^eth0\t00000000\t010012AC\t0003\t0\t0\t0\t00000000\t0\t0\t0 +$/);
  assert.ok(
    node.slice(0, -1).every((l) => l.length === 127),
    node.join('\n'),
  );
  const pod = await ok(lab, ['kubectl', 'exec', 'box', '--', 'cat', '/proc/net/route', '/proc/net/dev']);
  // ptp's route to the node's pod subnet 10.244.N.0/24 via its gateway 10.244.N.1
  assert.match(pod, /^eth0\t00([0-9A-F]{2})F40A\t01\1F40A\t0003\t0\t0\t0\t00FFFFFF\t/m);
  assert.match(pod, /^ {4}lo: +0 +0 /m);
  assert.match(pod, /^ {2}eth0: +\d+ +\d+ /m);
  assert.equal(await ok(lab, ['kubectl', 'exec', 'box', '--', 'ls', '/proc/net']), 'arp\ndev\nroute\n');
  const tcp = await runByHand(lab, ['docker', 'exec', 'kind-control-plane', 'cat', '/proc/net/tcp']);
  assert.equal(tcp.status, 1);
});

test('kubectl logs -p: the kubelet refuses it for a container that never ended; a restarted one says its earlier log is not kept', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'run', 'up', '--image=busybox', '--', 'sleep', '3600']);
  await ok(lab, ['kubectl', 'run', 'fails', '--image=busybox', '--', 'sh', '-c', 'echo trying; exit 3']);
  await lab.wait(15_000);
  const never = await runByHand(lab, ['kubectl', 'logs', '-p', 'up']);
  assert.deepEqual(
    [never.status, never.err],
    [1, 'Error from server (BadRequest): previous terminated container "up" in pod "up" not found\n'],
  );
  const restarted = await runByHand(lab, ['kubectl', 'logs', '--previous', 'fails']);
  assert.equal(restarted.status, 1);
  assert.match(restarted.err, /not emulated/);
});
