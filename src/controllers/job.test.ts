// The Job controller as a kubectl user sees it: pods created and counted, the back-off between
// retries, SuccessCriteriaMet/Complete, FailureTarget/Failed, and the STATUS/COMPLETIONS columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/index.js';
import { TABLES } from '../kubectl/tables.js';
import { EventQueue } from '../sim/index.js';
import { Cluster } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function cluster() {
  const clock = new EventQueue();
  const c = new Cluster({ name: 'kind', clock, seed: 'jobs' });
  c.store.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'kind-worker', labels: { 'kubernetes.io/hostname': 'kind-worker' } },
  });
  const n = c.store.get('nodes', undefined, 'kind-worker');
  c.store.updateStatus({ ...n, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  c.settle();
  return { c, clock, s: c.store };
}

const job = (name: string, spec: Obj = {}, restartPolicy = 'Never'): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    ...spec,
    template: { spec: { restartPolicy, containers: [{ name: 'work', image: 'busybox', command: ['sh', '-c', 'exit 1'] }] } },
  },
});

const podsOf = (s: Cluster['store'], name: string) =>
  (s.list('pods', 'default').items as Obj[]).filter((p) => p.metadata.labels?.['job-name'] === name);

/** What the kubelet reports for a pod that ran to its end. */
function end(c: Cluster, pod: Obj, phase: 'Succeeded' | 'Failed'): void {
  c.store.updateStatus({ ...pod, status: { ...pod.status, phase } } as unknown as KubeObject);
  c.settle();
}

const row = (c: Cluster, name: string) =>
  TABLES['batch/Job']!.row(c.store.get('jobs', 'default', name) as Obj, { now: c.store.now(), wide: false } as never);

const reasons = (c: Cluster, name: string) =>
  (c.store.list('events', 'default').items as Obj[])
    .filter((e) => e.involvedObject.kind === 'Job' && e.involvedObject.name === name)
    .map((e) => `${e.type} ${e.reason} ${e.message}`);

test('a Job runs a pod to completion: SuccessCriteriaMet then Complete, COMPLETIONS 1/1, its DURATION fixed', () => {
  const { c, clock, s } = cluster();
  s.create(job('hello'));
  c.settle();
  const [pod] = podsOf(s, 'hello');
  assert.match(pod!.metadata.name, /^hello-[a-z0-9]{5}$/);
  assert.equal(pod!.metadata.ownerReferences[0].kind, 'Job');
  assert.deepEqual(row(c, 'hello').slice(0, 3), ['hello', 'Running', '0/1']);
  clock.runUntil(clock.now() + 7000);
  end(c, pod!, 'Succeeded');
  const st = s.get('jobs', 'default', 'hello').status as Obj;
  assert.deepEqual(
    st.conditions.map((x: Obj) => [x.type, x.status, x.reason, x.message]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ],
  );
  assert.deepEqual([st.succeeded, st.active, st.ready, st.terminating, st.uncountedTerminatedPods], [1, undefined, 0, 0, {}]);
  clock.runUntil(clock.now() + 60_000);
  assert.deepEqual(row(c, 'hello').slice(0, 4), ['hello', 'Complete', '1/1', '7s']);
  assert.deepEqual(reasons(c, 'hello'), [`Normal SuccessfulCreate Created pod: ${pod!.metadata.name}`, 'Normal Completed Job completed']);
});

test('restartPolicy Never: a failed pod is replaced after 10 s, then 20 s; backoffLimit 2 fails the Job at the third failure', () => {
  const { c, clock, s } = cluster();
  s.create(job('fail', { backoffLimit: 2 }));
  c.settle();
  const created: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const live = podsOf(s, 'fail').filter((p) => p.status?.phase !== 'Failed');
    assert.equal(live.length, 1, `attempt ${attempt}: one pod runs`);
    created.push(clock.now());
    end(c, live[0]!, 'Failed');
    if (attempt < 2) {
      // nothing new until the back-off has passed
      clock.runUntil(clock.now() + 10_000 * 2 ** attempt - 1);
      assert.equal(podsOf(s, 'fail').filter((p) => p.status?.phase !== 'Failed').length, 0);
      clock.runUntil(clock.now() + 1);
    }
  }
  const pods = podsOf(s, 'fail');
  assert.equal(pods.length, 3, 'each attempt leaves its pod (Error) for its logs');
  const st = s.get('jobs', 'default', 'fail').status as Obj;
  assert.equal(st.failed, 3);
  assert.deepEqual(
    st.conditions.map((x: Obj) => [x.type, x.reason]),
    [
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ],
  );
  assert.equal(st.completionTime, undefined, 'a failed Job has no completionTime: its DURATION keeps counting');
  assert.deepEqual(row(c, 'fail').slice(0, 3), ['fail', 'Failed', '0/1']);
  assert.ok(reasons(c, 'fail').includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
});

test('restartPolicy OnFailure: container restarts count; at backoffLimit the Job deletes its pod and fails', () => {
  const { c, s } = cluster();
  s.create(job('retry', { backoffLimit: 3 }, 'OnFailure'));
  c.settle();
  const [pod] = podsOf(s, 'retry');
  const withRestarts = (n: number) => {
    const p = s.get('pods', 'default', pod!.metadata.name) as Obj;
    s.updateStatus({
      ...p,
      status: { ...p.status, phase: 'Running', containerStatuses: [{ name: 'work', restartCount: n }] },
    } as unknown as KubeObject);
    c.settle();
  };
  withRestarts(2);
  assert.equal(jobStatus(s, 'retry').conditions, undefined);
  withRestarts(3);
  assert.deepEqual(
    jobStatus(s, 'retry').conditions.map((x: Obj) => x.type),
    ['FailureTarget', 'Failed'],
  );
  assert.ok((s.get('pods', 'default', pod!.metadata.name) as Obj).metadata.deletionTimestamp, 'the pod is being deleted');
});

test('completions 3, parallelism 2: two pods at a time until three succeeded', () => {
  const { c, s } = cluster();
  s.create(job('batch', { completions: 3, parallelism: 2 }));
  c.settle();
  const running = () => podsOf(s, 'batch').filter((p) => !p.status?.phase || p.status.phase === 'Pending' || p.status.phase === 'Running');
  assert.equal(running().length, 2);
  end(c, running()[0]!, 'Succeeded');
  assert.equal(running().length, 2, 'one more to reach three');
  assert.deepEqual(row(c, 'batch').slice(1, 3), ['Running', '1/3']);
  end(c, running()[0]!, 'Succeeded');
  assert.equal(running().length, 1, 'only one is still needed');
  end(c, running()[0]!, 'Succeeded');
  assert.deepEqual(row(c, 'batch').slice(1, 3), ['Complete', '3/3']);
});

test('activeDeadlineSeconds: a Job still running at its deadline fails with DeadlineExceeded', () => {
  const { c, clock, s } = cluster();
  s.create(job('slow', { activeDeadlineSeconds: 30 }));
  c.settle();
  clock.runUntil(clock.now() + 29_000);
  assert.equal(jobStatus(s, 'slow').conditions, undefined);
  clock.runUntil(clock.now() + 1_000);
  assert.deepEqual(
    jobStatus(s, 'slow').conditions.map((x: Obj) => [x.type, x.reason, x.message]),
    [
      ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
      ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ],
  );
});

function jobStatus(s: Cluster['store'], name: string): Obj {
  return s.get('jobs', 'default', name).status as Obj;
}
