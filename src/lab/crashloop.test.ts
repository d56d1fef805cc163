// A container whose program ends at once under restartPolicy Always: `kubectl run bb --image=busybox`
// runs busybox's `sh` with no stdin, which exits 0 — Completed, restarted at the next sync, then
// CrashLoopBackOff with the kubelet's back-off (10 s, 20 s, … 5 min) and its BackOff events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster } from './fixtures.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = async (lab: Lab, name: string) => JSON.parse((await runByHand(lab, ['kubectl', 'get', 'pod', name, '-o', 'json'])).out) as Obj;

test('kubectl run bb --image=busybox (no command): Completed, restarted, then CrashLoopBackOff with a growing back-off', async () => {
  const lab = await kindCluster(1);
  assert.equal((await runByHand(lab, ['kubectl', 'run', 'bb', '--image=busybox'])).status, 0);
  await lab.wait(2_500);
  let p = await pod(lab, 'bb');
  let cs = p.status.containerStatuses[0];
  // the first exit is restarted at once: the second run has ended too and now waits out 10 s
  assert.equal(cs.restartCount, 1);
  assert.equal(cs.state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(cs.state.waiting.message, `back-off 10s restarting failed container=bb pod=bb_default(${p.metadata.uid})`);
  assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [0, 'Completed']);
  assert.equal(cs.ready, false);
  const row = (await runByHand(lab, ['kubectl', 'get', 'pod', 'bb', '--no-headers'])).out;
  assert.match(row, /^bb +0\/1 +CrashLoopBackOff +1 \(\d+s ago\) +\d+s\n$/);
  await lab.wait(10_000);
  p = await pod(lab, 'bb');
  cs = p.status.containerStatuses[0];
  assert.equal(cs.restartCount, 2);
  assert.equal(cs.state.waiting.message, `back-off 20s restarting failed container=bb pod=bb_default(${p.metadata.uid})`);
  const events = (await runByHand(lab, ['kubectl', 'get', 'events', '--field-selector', 'involvedObject.name=bb'])).out;
  assert.match(
    events,
    new RegExp(`Warning +BackOff +pod/bb +Back-off restarting failed container bb in pod bb_default\\(${p.metadata.uid}\\)`),
  );
  // with a command that keeps it up, busybox runs; kept open by -i, its shell waits for the attach
  assert.equal((await runByHand(lab, ['kubectl', 'run', 'up', '--image=busybox', '--', 'sleep', '3600'])).status, 0);
  await lab.wait(3_000);
  assert.deepEqual(Object.keys((await pod(lab, 'up')).status.containerStatuses[0].state), ['running']);
});

test('restartPolicy OnFailure: a shell that exits 0 is Completed and the pod Succeeded, never restarted', async () => {
  const lab = await kindCluster(1);
  assert.equal((await runByHand(lab, ['kubectl', 'run', 'once', '--image=busybox', '--restart=OnFailure'])).status, 0);
  await lab.wait(5_000);
  const p = await pod(lab, 'once');
  assert.equal(p.status.phase, 'Succeeded');
  const cs = p.status.containerStatuses[0];
  assert.deepEqual([cs.restartCount, cs.state.terminated.reason], [0, 'Completed']);
});

test('a known image whose program fails at start (serve_hostname with a bad flag) exits with its status: Error, then CrashLoopBackOff', async () => {
  const lab = await kindCluster(1);
  const made = await runByHand(lab, ['kubectl', 'run', 'hn', '--image=registry.k8s.io/serve_hostname', '--', '-bogus']);
  assert.equal(made.status, 0, made.err);
  await lab.wait(2_500);
  const p = await pod(lab, 'hn');
  const cs = p.status.containerStatuses[0];
  // Go's flag package: exit status 2 after its message
  assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [2, 'Error']);
  assert.equal(cs.state.waiting.reason, 'CrashLoopBackOff');
  assert.equal(cs.restartCount, 1);
  const logs = await runByHand(lab, ['kubectl', 'logs', 'hn']);
  assert.match(logs.out, /^flag provided but not defined: -bogus\n/, logs.err);
  // the same image with good flags stays up
  assert.equal((await runByHand(lab, ['kubectl', 'run', 'ok', '--image=registry.k8s.io/serve_hostname'])).status, 0);
  await lab.wait(3_000);
  assert.deepEqual(Object.keys((await pod(lab, 'ok')).status.containerStatuses[0].state), ['running']);
});
