// `kubectl get componentstatuses` (seed 000): the API server's probes of the scheduler, the
// controller manager and etcd, answered from their static pods on the control plane, with the
// deprecation warning; read-only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';

const CP = 'kind-control-plane';

test('kubectl get componentstatuses: all Healthy on a fresh cluster, the scheduler Unhealthy while its manifest is away', async () => {
  const lab = await kindCluster(0);
  lab.advance(30_000);
  const healthy = await run(lab, {}, 'kubectl', 'get', 'componentstatuses');
  assert.equal(healthy.status, 0, healthy.err);
  assert.equal(healthy.err, 'Warning: v1 ComponentStatus is deprecated in v1.19+\n');
  assert.equal(
    healthy.out,
    'NAME                 STATUS    MESSAGE   ERROR\nscheduler            Healthy   ok        \ncontroller-manager   Healthy   ok        \netcd-0               Healthy   ok        \n',
  );

  assert.equal((await run(lab, {}, 'docker', 'exec', CP, 'mv', '/etc/kubernetes/manifests/kube-scheduler.yaml', '/root/')).status, 0);
  lab.advance(20_000); // the kubelet's next look at the manifest directory stops the pod
  const down = await run(lab, {}, 'kubectl', 'get', 'cs', 'scheduler');
  assert.match(
    down.out,
    /^scheduler +Unhealthy +Get "https:\/\/127\.0\.0\.1:10259\/healthz": dial tcp 127\.0\.0\.1:10259: connect: connection refused +$/m,
  );

  assert.equal((await run(lab, {}, 'docker', 'exec', CP, 'mv', '/root/kube-scheduler.yaml', '/etc/kubernetes/manifests/')).status, 0);
  lab.advance(40_000);
  assert.match((await run(lab, {}, 'kubectl', 'get', 'cs', 'scheduler')).out, /^scheduler +Healthy +ok/m);
});

test('componentstatuses are read-only and looked up by their own names', async () => {
  const lab = await kindCluster(0);
  const missing = await run(lab, {}, 'kubectl', 'get', 'cs', 'etcd-1');
  assert.equal(missing.status, 1);
  assert.match(missing.err, /^Error from server \(NotFound\): componentstatus "etcd-1" not found$/m);
  const del = await run(lab, {}, 'kubectl', 'delete', 'cs', 'scheduler');
  assert.equal(del.status, 1);
  assert.match(del.err, /Error from server \(MethodNotAllowed\): the server does not allow this method on the requested resource/);
  const yaml = await run(lab, {}, 'kubectl', 'get', 'cs', 'etcd-0', '-o', 'yaml');
  assert.equal(
    yaml.out,
    'apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\nmetadata:\n  name: etcd-0\n',
  );
  const api = await run(lab, {}, 'kubectl', 'api-resources', '-o', 'wide');
  assert.match(api.out, /^componentstatuses +cs +v1 +false +ComponentStatus +\[get list\]/m);
});
