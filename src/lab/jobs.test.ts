// Jobs on a kind cluster: their pods run the command in virtual time, the Job controller counts
// them, retries a failed one after its back-off, and finishes the Job as a cluster does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster } from './fixtures.js';

const ok = async (lab: Lab, argv: string[]): Promise<string> => {
  const r = await runByHand(lab, argv);
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
};

test('kubectl create job: its pod runs the command, Completed; the Job Complete 1/1; kubectl logs job/NAME prints the output', async () => {
  const lab = await kindCluster(1);
  await ok(lab, ['kubectl', 'create', 'job', 'hello', '--image=busybox', '--', 'sh', '-c', 'echo Hello from the job; sleep 5']);
  assert.equal(
    await ok(lab, ['kubectl', 'wait', '--for=condition=complete', 'job/hello', '--timeout=60s']),
    'job.batch/hello condition met\n',
  );
  const [, row] = (await ok(lab, ['kubectl', 'get', 'job', 'hello'])).split('\n');
  assert.deepEqual(row!.trim().split(/\s+/).slice(0, 4), ['hello', 'Complete', '1/1', '5s']);
  assert.match(
    await ok(lab, ['kubectl', 'get', 'pods', '-l', 'job-name=hello', '--no-headers']),
    /^hello-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s/,
  );
  assert.equal(await ok(lab, ['kubectl', 'logs', 'job/hello']), 'Hello from the job\n');
});

test('a failing Job: a new pod after 10 s, then 20 s; backoffLimit 2 ends it Failed with three Error pods and the Warning', async () => {
  const lab = await kindCluster(1);
  const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: fail
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: fail
        image: busybox
        command: ['sh', '-c', 'echo failing; exit 1']
`;
  const r = await runByHand(lab, ['kubectl', 'apply', '-f', '-'], { stdin: job });
  assert.equal(r.status, 0, r.err);
  await ok(lab, ['kubectl', 'wait', '--for=condition=failed', 'job/fail', '--timeout=120s']);
  const pods = (await ok(lab, ['kubectl', 'get', 'pods', '-l', 'job-name=fail', '--no-headers'])).trim().split('\n');
  assert.equal(pods.length, 3);
  for (const p of pods) assert.match(p, /\s0\/1\s+Error\s+0\s/);
  // created at 0 s, 10 s after the first failure, 20 s after the second
  const ages = pods.map((p) => p.trim().split(/\s+/)[4]).sort();
  assert.deepEqual(ages, ['0s', '20s', '30s']);
  const describe = await ok(lab, ['kubectl', 'describe', 'job', 'fail']);
  assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Succeeded \/ 3 Failed\n/);
  assert.match(describe, /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit\n/);
  assert.match((await ok(lab, ['kubectl', 'get', 'job', 'fail'])).split('\n')[1]!, /^fail\s+Failed\s+0\/1\s/);
});
