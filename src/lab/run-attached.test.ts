// `kubectl run -i [-t] [--rm] --restart=Never IMAGE -- CMD` (the cluster-DNS and connectivity checks
// everyone types): kubectl attaches instead of printing the pod, the command's output comes back,
// a failed command's exit code is kubectl's, and --rm deletes the pod afterwards.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster as kind } from './fixtures.js';

/** A one-worker cluster whose CoreDNS is up and its Service programmed. */
async function kindCluster(): Promise<Lab> {
  const lab = await kind(1);
  await lab.wait(8_000);
  return lab;
}

const NOTICE =
  "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n";

const pods = async (lab: Lab) => (await runByHand(lab, ['kubectl', 'get', 'pods', '-o', 'name'])).out;

test('kubectl run -it --rm --restart=Never busybox -- nslookup: the answer, then the pod is deleted', async () => {
  const lab = await kindCluster();
  const r = await runByHand(lab, [
    'kubectl',
    'run',
    'tmp',
    '--image=busybox',
    '--restart=Never',
    '-it',
    '--rm',
    '--',
    'nslookup',
    'kubernetes.default.svc.cluster.local',
  ]);
  assert.equal(r.status, 0, r.err);
  assert.equal(r.err, NOTICE);
  assert.equal(
    r.out,
    'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\npod "tmp" deleted from default namespace\n',
  );
  assert.equal(await pods(lab), '');
});

test("kubectl run -i --restart=Never: a failing command's exit code and `pod NS/NAME terminated (Error)`; the pod stays Error without --rm", async () => {
  const lab = await kindCluster();
  const r = await runByHand(lab, [
    'kubectl',
    'run',
    'probe',
    '--image=busybox',
    '--restart=Never',
    '-i',
    '--',
    'wget',
    '-qO-',
    '-T',
    '1',
    'http://10.96.0.99/',
  ]);
  assert.equal(r.status, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, `${NOTICE}wget: download timed out\npod default/probe terminated (Error)\n`);
  assert.match((await runByHand(lab, ['kubectl', 'get', 'pod', 'probe', '--no-headers'])).out, /^probe +0\/1 +Error +0 /);
});

test('kubectl run -i reads stdin: a netshoot shell in a pod of its own; bad combinations are refused as kubectl refuses them', async () => {
  const lab = await kindCluster();
  const r = await runByHand(lab, ['kubectl', 'run', 'shell', '--image=nicolaka/netshoot', '-i', '--rm', '--', 'bash'], {
    stdin: 'ip -4 -o addr show eth0 | wc -l\n',
  });
  assert.equal(r.status, 0, r.err);
  assert.equal(r.out, '1\npod "shell" deleted from default namespace\n');
  const tty = await runByHand(lab, ['kubectl', 'run', 'x', '--image=busybox', '-t']);
  assert.equal(tty.err, 'error: -i/--stdin is required for containers with -t/--tty=true\n');
  const rm = await runByHand(lab, ['kubectl', 'run', 'x', '--image=busybox', '--rm']);
  assert.equal(rm.err, 'error: --rm should only be used for attached containers\n');
  assert.equal(await pods(lab), '');
});
