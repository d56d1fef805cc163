// kubernetes.io "Connecting Applications with Services", run as its text gives it: the run-my-nginx
// Deployment, `kubectl expose deployment/my-nginx`, `kubectl exec POD -- printenv | grep SERVICE`
// before and after the pods are recreated (only pods started after the Service have its
// variables: the kubelet writes them at container start), and the kube-dns Service.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';

const RUN_MY_NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
`;

test('Connecting Applications with Services: Service environment variables come with pods started after the Service', async () => {
  const lab = await kindCluster(1, RUN_MY_NGINX);
  const ok = async (...argv: string[]) => {
    const r = await run(lab, {}, ...argv);
    assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
    return r.out;
  };
  const pods = async () => (await ok('kubectl', 'get', 'pods', '-l', 'run=my-nginx', '-o', 'name')).trim().split('\n');
  const serviceVars = async (pod: string) =>
    (await ok('kubectl', 'exec', pod, '--', 'printenv'))
      .split('\n')
      .filter((l) => l.includes('SERVICE'))
      .sort();

  assert.equal(await ok('kubectl', 'expose', 'deployment/my-nginx'), 'service/my-nginx exposed\n');
  const ip = await ok('kubectl', 'get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}');
  const before = await pods();
  assert.deepEqual(await serviceVars(before[0]!), [
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
  ]);

  await ok('kubectl', 'scale', 'deployment', 'my-nginx', '--replicas=0');
  lab.advance(35_000);
  await ok('kubectl', 'scale', 'deployment', 'my-nginx', '--replicas=2');
  lab.advance(5_000);
  const after = await pods();
  assert.equal(after.length, 2);
  assert.ok(!after.includes(before[0]!));
  assert.deepEqual(await serviceVars(after[0]!), [
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
    `MY_NGINX_SERVICE_HOST=${ip}`,
    'MY_NGINX_SERVICE_PORT=80',
  ]);
  // the whole environment: containerd's PATH and HOSTNAME, the kubelet's variables (Docker link ones too), runc's HOME; no shell variables
  const env = (await ok('kubectl', 'exec', after[0]!, '--', 'env')).trimEnd().split('\n');
  assert.equal(env[0], 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  assert.equal(env[1], `HOSTNAME=${after[0]!.replace('pod/', '')}`);
  assert.equal(env.at(-1), 'HOME=/root');
  for (const v of [
    `MY_NGINX_PORT=tcp://${ip}:80`,
    `MY_NGINX_PORT_80_TCP=tcp://${ip}:80`,
    'MY_NGINX_PORT_80_TCP_PROTO=tcp',
    'MY_NGINX_PORT_80_TCP_PORT=80',
    `MY_NGINX_PORT_80_TCP_ADDR=${ip}`,
  ])
    assert.ok(env.includes(v), v);
  assert.ok(!env.some((l) => /^(IFS|OSTYPE|SHELLOPTS|PWD)=/.test(l)), env.join('\n'));
  const one = await run(lab, {}, 'kubectl', 'exec', after[0]!, '--', 'printenv', 'MY_NGINX_SERVICE_PORT', 'NOPE');
  assert.equal(one.out, '80\n');
  assert.equal(one.status, 1);

  // enableServiceLinks: false keeps only the master Service's
  const quiet = await run(
    lab,
    {
      'p.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: quiet\nspec:\n  enableServiceLinks: false\n  containers:\n  - name: c\n    image: nginx\n',
    },
    'kubectl',
    'apply',
    '-f',
    'p.yaml',
  );
  assert.equal(quiet.status, 0, quiet.err);
  lab.advance(5_000);
  assert.deepEqual(await serviceVars('quiet'), [
    'KUBERNETES_SERVICE_HOST=10.96.0.1',
    'KUBERNETES_SERVICE_PORT=443',
    'KUBERNETES_SERVICE_PORT_HTTPS=443',
  ]);

  assert.match(
    await ok('kubectl', 'get', 'services', 'kube-dns', '--namespace=kube-system'),
    /^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nkube-dns +ClusterIP +10\.96\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP +\d+s\n$/,
  );
});
