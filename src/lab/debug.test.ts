// kubectl debug node/NAME -it --image=IMAGE (issue 14 item 1): the node-debugger pod as kubectl's
// general profile shapes it, and an interactive shell in the node's network namespace, its root at
// /host: what the shell prints there is what the node itself prints.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand } from './index.js';
import { kindCluster } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test("kubectl debug node/NAME -it runs the image's shell on the node's network and root, in a node-debugger pod", async () => {
  const lab = await kindCluster(1);
  const script = 'ip route\nhead -3 /host/var/lib/kubelet/config.yaml\nhostname\n';
  const r = await runByHand(lab, ['kubectl', 'debug', 'node/kind-worker', '-it', '--image=nicolaka/netshoot'], { stdin: script });
  assert.equal(r.status, 0, r.err);
  const m =
    /^Creating debugging pod (node-debugger-kind-worker-[bcdfghjklmnpqrstvwxz2456789]{5}) with container debugger on node kind-worker\.\n/.exec(
      r.out,
    );
  assert.ok(m, r.out);
  assert.equal(
    r.err,
    "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n",
  );
  const onNode = await runByHand(lab, [
    'docker',
    'exec',
    'kind-worker',
    'bash',
    '-c',
    'ip route; head -3 /var/lib/kubelet/config.yaml; hostname',
  ]);
  assert.equal(onNode.status, 0, onNode.err);
  assert.match(onNode.out, /^default via 172\.18\.0\.1 dev eth0/);
  assert.equal(r.out.slice(m[0].length), onNode.out);

  const pod = JSON.parse((await runByHand(lab, ['kubectl', 'get', 'pod', m[1]!, '-o', 'json'])).out) as Obj;
  assert.deepEqual(pod.metadata.labels, { 'app.kubernetes.io/managed-by': 'kubectl-debug' });
  const spec = pod.spec as Obj;
  assert.deepEqual(
    [spec.nodeName, spec.restartPolicy, spec.hostNetwork, spec.hostPID, spec.hostIPC],
    ['kind-worker', 'Never', true, true, true],
  );
  assert.deepEqual(spec.tolerations, [{ operator: 'Exists' }]);
  assert.deepEqual(
    spec.volumes.filter((v: Obj) => v.name === 'host-root'),
    [{ name: 'host-root', hostPath: { path: '/', type: '' } }],
  );
  const c = spec.containers[0] as Obj;
  assert.deepEqual([c.name, c.image, c.stdin, c.tty, c.terminationMessagePolicy], ['debugger', 'nicolaka/netshoot', true, true, 'File']);
  assert.deepEqual(
    c.volumeMounts.filter((v: Obj) => v.name === 'host-root'),
    [{ name: 'host-root', mountPath: '/host' }],
  );
  assert.equal(pod.status.podIP, '172.18.0.3', "a host-network pod has its node's address");
  // the session was the container's shell: when it ended, the container did, and the pod (restartPolicy Never) completed
  assert.equal(pod.status.phase, 'Succeeded');
  assert.deepEqual(
    [pod.status.containerStatuses[0].state.terminated?.reason, pod.status.containerStatuses[0].state.terminated?.exitCode],
    ['Completed', 0],
  );
  const listed = await runByHand(lab, ['kubectl', 'get', 'pod', m[1]!, '--no-headers']);
  assert.match(listed.out, new RegExp(`^${m[1]} +0/1 +Completed +0 +`));
  // a session whose last command failed leaves the container in Error, the pod Failed
  const failed = await runByHand(lab, ['kubectl', 'debug', 'node/kind-control-plane', '-it', '--image=busybox'], { stdin: 'false\n' });
  const failedName = /pod (\S+) with/.exec(failed.out)![1]!;
  const fp = JSON.parse((await runByHand(lab, ['kubectl', 'get', 'pod', failedName, '-o', 'json'])).out) as Obj;
  assert.deepEqual(
    [fp.status.phase, fp.status.containerStatuses[0].state.terminated.reason, fp.status.containerStatuses[0].state.terminated.exitCode],
    ['Failed', 'Error', 1],
  );
  // and a completed pod is not started again by its kubelet
  await runByHand(lab, ['docker', 'pause', 'kind-worker']);
  await runByHand(lab, ['docker', 'unpause', 'kind-worker']);
  assert.equal((await runByHand(lab, ['kubectl', 'get', 'pod', m[1]!, '-o', 'jsonpath={.status.phase}'])).out, 'Succeeded');
});

test("kubectl debug without -i only creates the pod; bad input is refused in kubectl's words", async () => {
  const lab = await kindCluster(1);
  const quiet = await runByHand(lab, ['kubectl', 'debug', 'node/kind-control-plane', '--image=busybox', '--', 'sleep', '3600']);
  assert.equal(quiet.status, 0, quiet.err);
  assert.match(
    quiet.out,
    /^Creating debugging pod node-debugger-kind-control-plane-\w{5} with container debugger on node kind-control-plane\.\n$/,
  );
  // a second session at the same instant gets another name
  const second = await runByHand(lab, ['kubectl', 'debug', 'node/kind-control-plane', '--image=busybox', '--', 'sleep', '3600']);
  assert.equal(second.status, 0, second.err);
  assert.notEqual(/pod (\S+) with/.exec(second.out)![1], /pod (\S+) with/.exec(quiet.out)![1]);
  const noImage = await runByHand(lab, ['kubectl', 'debug', 'node/kind-worker', '-it']);
  assert.deepEqual([noImage.status, noImage.err], [1, 'error: you must specify --image when not using --copy-to.\n']);
  const ghost = await runByHand(lab, ['kubectl', 'debug', 'node/ghost', '--image=busybox']);
  assert.deepEqual([ghost.status, ghost.err], [1, 'Error from server (NotFound): nodes "ghost" not found\n']);
  const profile = await runByHand(lab, ['kubectl', 'debug', 'node/kind-worker', '--image=busybox', '--profile=bogus']);
  assert.deepEqual([profile.status, profile.err], [1, 'error: unknown profile: bogus\n']);
  const legacy = await runByHand(lab, ['kubectl', 'debug', 'node/kind-worker', '--image=busybox', '--profile=legacy']);
  assert.match(legacy.err, /^--profile=legacy is deprecated and planned to be removed in v1\.39\./);
});

test("kubectl debug POD -i --image --target adds an ephemeral debugger-xxxxx container that shares the pod's network; it ends Terminated and is described", async () => {
  const lab = await kindCluster(1);
  assert.equal((await runByHand(lab, ['kubectl', 'run', 'web', '--image=nginx'])).status, 0);
  await lab.wait(2_000);
  const script = 'ip -4 -o addr show eth0\ncurl -s -o /dev/null -w "%{http_code}\\n" localhost\nexit 3\n';
  const r = await runByHand(lab, ['kubectl', 'debug', '-i', 'web', '--image=nicolaka/netshoot', '--target=web', '--', 'bash'], {
    stdin: script,
  });
  assert.equal(r.status, 0, r.err);
  const m =
    /^Targeting container "web"\. If you don't see processes from this container it may be because the container runtime doesn't support this feature\.\nDefaulting debug container name to (debugger-[bcdfghjklmnpqrstvwxz2456789]{5})\.\n/.exec(
      r.out,
    );
  assert.ok(m, r.out);
  const pod = JSON.parse((await runByHand(lab, ['kubectl', 'get', 'pod', 'web', '-o', 'json'])).out) as Obj;
  const podIp = pod.status.podIP as string;
  // the pod's own eth0, and nginx on the pod's localhost
  assert.match(r.out.slice(m[0].length), new RegExp(`^2: eth0    inet ${podIp.replace(/\./g, '\\.')}/24 .*\n200\n$`));
  assert.deepEqual(pod.spec.ephemeralContainers, [
    {
      command: ['bash'],
      image: 'nicolaka/netshoot',
      imagePullPolicy: 'Always',
      name: m[1],
      resources: {},
      securityContext: { capabilities: { add: ['SYS_PTRACE'] } },
      stdin: true,
      targetContainerName: 'web',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    },
  ]);
  const ended = pod.status.ephemeralContainerStatuses[0].state.terminated;
  assert.deepEqual([ended.exitCode, ended.reason], [3, 'Error']);
  assert.equal(pod.status.phase, 'Running', 'the pod goes on');
  const described = (await runByHand(lab, ['kubectl', 'describe', 'pod', 'web'])).out;
  assert.match(described, new RegExp(`\nEphemeral Containers:\n  ${m[1]}:\n    Container ID:  containerd://[0-9a-f]{64}\n`));
  // the API server's checks on the subresource
  const dup = await runByHand(lab, ['kubectl', 'debug', 'web', '--image=busybox', '-c', 'web']);
  assert.equal(dup.status, 1);
  assert.equal(dup.err, 'The Pod "web" is invalid: spec.ephemeralContainers[1].name: Duplicate value: "web"\n');
  const target = await runByHand(lab, ['kubectl', 'debug', 'web', '--image=busybox', '--target=nope', '-q']);
  assert.equal(target.err, 'The Pod "web" is invalid: spec.ephemeralContainers[1].targetContainerName: Not found: "nope"\n');
  const tty = await runByHand(lab, ['kubectl', 'debug', 'web', '--image=busybox', '-t']);
  assert.equal(tty.err, 'error: -i/--stdin is required for containers with -t/--tty=true\n');
});
