// kubectl's node verbs on a kind cluster: taint (add, overwrite, remove, --all), cordon and uncordon,
// with kubectl's messages and the scheduler and node lifecycle controller acting on them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runByHand, type Lab } from './index.js';
import { kindCluster } from './fixtures.js';

const run = async (lab: Lab, ...argv: string[]) => {
  const r = await runByHand(lab, argv);
  return { status: r.status, out: r.out, err: r.err };
};

test('kubectl taint: --all removes the control plane taint where it is (an error for the worker), pods then land there', async () => {
  const lab = await kindCluster(1);
  assert.deepEqual(await run(lab, 'kubectl', 'taint', 'nodes', '--all', 'node-role.kubernetes.io/control-plane-'), {
    status: 1,
    out: 'node/kind-control-plane untainted\n',
    err: 'error: taint "node-role.kubernetes.io/control-plane" not found\n',
  });
  assert.equal((await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'dedicated=net:NoSchedule')).out, 'node/kind-worker tainted\n');
  assert.deepEqual(await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'dedicated=web:NoSchedule'), {
    status: 1,
    out: '',
    err: 'error: Node kind-worker already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
  });
  assert.equal(
    (await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'dedicated=web:NoSchedule', '--overwrite')).out,
    'node/kind-worker modified\n',
  );
  assert.match((await run(lab, 'kubectl', 'describe', 'node', 'kind-worker')).out, /\nTaints:\s+dedicated=web:NoSchedule\n/);
  assert.deepEqual(await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'dedicated:Always'), {
    status: 1,
    out: '',
    err: "error: invalid taint effect: Always, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n",
  });
  // the key and value checked as apimachinery's IsQualifiedName and IsValidLabelValue
  assert.deepEqual(await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'net/=x:NoSchedule'), {
    status: 1,
    out: '',
    err: "error: invalid taint spec: net/=x:NoSchedule, name part must be non-empty; name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\nSee 'kubectl taint -h' for help and examples\n",
  });
  assert.match(
    (await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', `k=${'v'.repeat(64)}:NoSchedule`)).err,
    /, must be no more than 63 characters\nSee 'kubectl taint -h' for help and examples\n$/,
  );
  // the worker refuses pods now; the untainted control plane takes them
  await run(lab, 'kubectl', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2');
  await run(lab, 'kubectl', 'wait', '--for=condition=available', 'deployment/web', '--timeout=60s');
  const nodes = (await run(lab, 'kubectl', 'get', 'pods', '-o', 'jsonpath={.items[*].spec.nodeName}')).out.split(' ');
  assert.deepEqual(nodes, ['kind-control-plane', 'kind-control-plane']);
  assert.equal((await run(lab, 'kubectl', 'taint', 'nodes', 'kind-worker', 'dedicated-')).out, 'node/kind-worker untainted\n');
});

test('kubectl cordon and uncordon: SchedulingDisabled, the unschedulable taint, already cordoned', async () => {
  const lab = await kindCluster(1);
  assert.equal((await run(lab, 'kubectl', 'cordon', 'kind-worker')).out, 'node/kind-worker cordoned\n');
  assert.equal((await run(lab, 'kubectl', 'cordon', 'kind-worker')).out, 'node/kind-worker already cordoned\n');
  assert.match((await run(lab, 'kubectl', 'get', 'node', 'kind-worker')).out, /\nkind-worker\s+Ready,SchedulingDisabled\s/);
  const described = (await run(lab, 'kubectl', 'describe', 'node', 'kind-worker')).out;
  assert.match(described, /\nTaints:\s+node.kubernetes.io\/unschedulable:NoSchedule\nUnschedulable:\s+true\n/);
  assert.equal((await run(lab, 'kubectl', 'uncordon', 'kind-worker')).out, 'node/kind-worker uncordoned\n');
  assert.match((await run(lab, 'kubectl', 'describe', 'node', 'kind-worker')).out, /\nTaints:\s+<none>\nUnschedulable:\s+false\n/);
});
