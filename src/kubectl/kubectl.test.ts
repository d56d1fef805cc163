// kubectl's commands end to end over an in-memory ApiClient: messages, exit codes and outputs as
// kubectl prints them (get.go, apply.go, delete.go, label.go, scale.go, patch.go, run.go, create_*.go).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeApi } from './_fake.js';
import * as F from './_fixtures.js';
import type { KubeConfig } from './env.js';
import { kubectl } from './kubectl.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

function io(stdin?: string, files: Record<string, string> = {}, signal?: AbortSignal) {
  const r = { out: '', err: '' };
  return {
    r,
    io: {
      stdout: (t: string) => void (r.out += t),
      stderr: (t: string) => void (r.err += t),
      stdin: stdin === undefined ? undefined : new TextEncoder().encode(stdin),
      readFile: (p: string) => (p in files ? new TextEncoder().encode(files[p]) : undefined),
      readDir: (p: string) => {
        const names = Object.keys(files)
          .filter((f) => f.startsWith(`${p}/`))
          .map((f) => f.slice(p.length + 1));
        return names.length ? names : undefined;
      },
      signal,
    },
  };
}

async function k(api: FakeApi, cmd: string | string[], stdin?: string, files?: Record<string, string>, config?: KubeConfig): Promise<Run> {
  const { r, io: i } = io(stdin, files);
  const code = await kubectl({ client: api, io: i, config }, typeof cmd === 'string' ? cmd.split(' ') : cmd);
  return { code, ...r };
}

const api = () => new FakeApi(F.NOW);

test('kubectl get with nothing found says so on stderr, naming the namespace only for namespaced kinds', async () => {
  const a = api();
  assert.deepEqual(await k(a, 'get pods'), { code: 0, out: '', err: 'No resources found in default namespace.\n' });
  assert.deepEqual(await k(a, 'get pods -n kube-system'), { code: 0, out: '', err: 'No resources found in kube-system namespace.\n' });
  assert.deepEqual(await k(a, 'get nodes'), { code: 0, out: '', err: 'No resources found\n' });
  assert.deepEqual(await k(a, 'get pods -A'), { code: 0, out: '', err: 'No resources found\n' });
});

test('kubectl get errors: unknown type, missing object, unknown flag, missing flag value', async () => {
  const a = api();
  assert.deepEqual(await k(a, 'get foo'), { code: 1, out: '', err: 'error: the server doesn\'t have a resource type "foo"\n' });
  assert.deepEqual(await k(a, 'get pod nosuch'), { code: 1, out: '', err: 'Error from server (NotFound): pods "nosuch" not found\n' });
  assert.deepEqual(await k(a, 'get deploy/web'), {
    code: 1,
    out: '',
    err: 'Error from server (NotFound): deployments.apps "web" not found\n',
  });
  assert.deepEqual(await k(a, 'get pods --bogus'), {
    code: 1,
    out: '',
    err: "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n",
  });
  assert.deepEqual(await k(a, 'get pods -n'), {
    code: 1,
    out: '',
    err: "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
  });
  assert.equal((await k(a, 'frobnicate')).err, 'error: unknown command "frobnicate" for "kubectl"\n');
});

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: traefik/whoami
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {tier: front}
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

test('kubectl apply creates, then reports unchanged, then configured; last-applied holds the manifest as kubectl writes it', async () => {
  const a = api();
  assert.deepEqual(await k(a, 'apply -f -', manifest), { code: 0, out: 'deployment.apps/web created\nservice/web created\n', err: '' });
  const svc = a.get('services', 'default', 'web');
  assert.equal(
    svc.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"labels":{"tier":"front"},"name":"web","namespace":"default"},"spec":{"ports":[{"port":80}],"selector":{"app":"web"}}}\n',
  );
  assert.deepEqual(await k(a, 'apply -f -', manifest), { code: 0, out: 'deployment.apps/web unchanged\nservice/web unchanged\n', err: '' });
  // Fields the server filled in (here: a nodePort-like default on the port) survive a re-apply: ports merge by `port`.
  a.update({ ...svc, spec: { ...(svc.spec as object), ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } });
  const edited = manifest.replace('replicas: 2', 'replicas: 3').replace('  labels: {tier: front}\n', '');
  assert.deepEqual(await k(a, 'apply -f -', edited), { code: 0, out: 'deployment.apps/web configured\nservice/web configured\n', err: '' });
  assert.equal((a.get('deployments', 'default', 'web').spec as { replicas: number }).replicas, 3);
  const svc2 = a.get('services', 'default', 'web');
  assert.equal(svc2.metadata.labels, undefined, 'a label dropped from the manifest is removed');
  assert.deepEqual((svc2.spec as { ports: unknown }).ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
});

test("kubectl apply refuses a manifest without kind, and an unknown kind, with kubectl's messages", async () => {
  const a = api();
  assert.deepEqual(await k(a, 'apply -f x.yaml', undefined, { 'x.yaml': 'apiVersion: v1\nmetadata:\n  name: x\n' }), {
    code: 1,
    out: '',
    err: 'error: error validating "x.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n',
  });
  const r = await k(a, 'apply -f x.yaml', undefined, { 'x.yaml': 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: x\n' });
  assert.equal(
    r.err,
    'error: resource mapping not found for name: "x" namespace: "" from "x.yaml": no matches for kind "Foo" in version "example.com/v1"\nensure CRDs are installed first\n',
  );
  assert.equal(r.code, 1);
  assert.deepEqual(await k(a, 'apply -f nofile.yaml'), { code: 1, out: '', err: 'error: the path "nofile.yaml" does not exist\n' });
});

test('kubectl apply -f DIR reads .yaml/.yml/.json files in name order', async () => {
  const a = api();
  const files = {
    'd/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    'd/a.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}',
    'd/README': 'x',
  };
  assert.deepEqual(await k(a, 'apply -f d', undefined, files), { code: 0, out: 'configmap/a created\nconfigmap/b created\n', err: '' });
});

test('kubectl create -f twice: AlreadyExists names the file', async () => {
  const a = api();
  const files = { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' };
  assert.deepEqual(await k(a, 'create -f cm.yaml', undefined, files), { code: 0, out: 'configmap/c created\n', err: '' });
  assert.deepEqual(await k(a, 'create -f cm.yaml', undefined, files), {
    code: 1,
    out: '',
    err: 'Error from server (AlreadyExists): error when creating "cm.yaml": configmaps "c" already exists\n',
  });
});

test('kubectl get of several kinds prefixes names with the kind; -o name, jsonpath, yaml', async () => {
  const a = api();
  await k(a, 'apply -f -', manifest);
  const r = await k(a, 'get deploy,svc');
  assert.equal(r.code, 0);
  assert.match(r.out, /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +0\/2 +0 +0 +0s\n\nNAME +TYPE/);
  assert.equal(
    (await k(a, 'get ep')).err,
    'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\nNo resources found in default namespace.\n',
  );
  assert.deepEqual(await k(a, 'get svc,deploy -o name'), { code: 0, out: 'service/web\ndeployment.apps/web\n', err: '' });
  assert.deepEqual(await k(a, ['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].port}']), { code: 0, out: '80', err: '' });
  assert.deepEqual(await k(a, ['get', 'svc', '-o', 'jsonpath={.items[*].metadata.name}']), { code: 0, out: 'web', err: '' });
  assert.match((await k(a, 'get svc web -o yaml')).out, /^apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n/);
  assert.match((await k(a, 'get svc -o yaml')).out, /^apiVersion: v1\nitems:\n- apiVersion: v1\n/);
  assert.equal(
    (await k(a, 'get svc -o bogus')).err,
    'error: unable to match a printer suitable for the output format "bogus", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml\n',
  );
});

test('kubectl delete, label, annotate, scale, patch print what they did', async () => {
  const a = api();
  await k(a, 'apply -f -', manifest);
  assert.deepEqual(await k(a, 'label svc web tier=back'), {
    code: 1,
    out: '',
    err: "error: 'tier' already has a value (front), and --overwrite is false\n",
  });
  assert.deepEqual(await k(a, 'label svc web tier=back --overwrite'), { code: 0, out: 'service/web labeled\n', err: '' });
  assert.deepEqual(await k(a, 'label svc/web tier-'), { code: 0, out: 'service/web labeled\n', err: '' });
  assert.deepEqual(a.get('services', 'default', 'web').metadata.labels, {});
  assert.deepEqual(await k(a, 'annotate deploy web note=x'), { code: 0, out: 'deployment.apps/web annotated\n', err: '' });
  assert.deepEqual(await k(a, 'scale deploy web --replicas=5'), { code: 0, out: 'deployment.apps/web scaled\n', err: '' });
  assert.equal((a.get('deployments', 'default', 'web').spec as { replicas: number }).replicas, 5);
  assert.deepEqual(await k(a, 'scale deploy web'), { code: 1, out: '', err: 'error: required flag(s) "replicas" not set\n' });
  assert.deepEqual(await k(a, ['patch', 'svc', 'web', '-p', '{"spec":{"type":"NodePort"}}']), {
    code: 0,
    out: 'service/web patched\n',
    err: '',
  });
  assert.deepEqual(await k(a, 'delete svc web'), { code: 0, out: 'service "web" deleted from default namespace\n', err: '' });
  assert.deepEqual(await k(a, 'delete svc web'), { code: 1, out: '', err: 'Error from server (NotFound): services "web" not found\n' });
  assert.deepEqual(await k(a, 'delete svc'), { code: 1, out: '', err: 'error: resource(s) were provided, but no name was specified\n' });
  assert.deepEqual(await k(a, 'delete deploy --all'), { code: 0, out: 'deployment.apps "web" deleted from default namespace\n', err: '' });
  assert.deepEqual(await k(a, 'delete pods --all'), { code: 0, out: 'No resources found\n', err: '' });
});

test("kubectl create deployment, run, expose build the objects kubectl's generators build", async () => {
  const a = api();
  assert.deepEqual(await k(a, 'create deployment web --image=nginx:alpine --replicas=3'), {
    code: 0,
    out: 'deployment.apps/web created\n',
    err: '',
  });
  const d = a.get('deployments', 'default', 'web') as { spec?: Record<string, any> };
  assert.deepEqual(d.spec, {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: {},
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:alpine', name: 'nginx', resources: {} }] } },
  });
  assert.deepEqual(await k(a, 'run nginx --image=nginx:alpine'), { code: 0, out: 'pod/nginx created\n', err: '' });
  assert.deepEqual(a.get('pods', 'default', 'nginx').metadata.labels, { run: 'nginx' });
  assert.deepEqual(await k(a, 'expose deployment web --port=80 --target-port=8080 --type=NodePort'), {
    code: 0,
    out: 'service/web exposed\n',
    err: '',
  });
  assert.deepEqual((a.get('services', 'default', 'web') as { spec?: unknown }).spec, {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'web' },
    type: 'NodePort',
  });
  assert.deepEqual(await k(a, 'create service nodeport ns1 --tcp=80:8080'), { code: 0, out: 'service/ns1 created\n', err: '' });
  assert.deepEqual(await k(a, 'create namespace lab'), { code: 0, out: 'namespace/lab created\n', err: '' });
  assert.deepEqual(await k(a, ['create', 'configmap', 'c', '--from-literal=a=1', '--from-literal=b=2']), {
    code: 0,
    out: 'configmap/c created\n',
    err: '',
  });
  assert.deepEqual((a.get('configmaps', 'default', 'c') as { data?: unknown }).data, { a: '1', b: '2' });
  assert.deepEqual(await k(a, 'create deployment'), {
    code: 1,
    out: '',
    err: "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n",
  });
});

test('kubectl get -w prints the list, then each change, until the client interrupts', async () => {
  const a = api();
  a.create(F.podRunning as never);
  const ac = new AbortController();
  const { r, io: i } = io(undefined, {}, ac.signal);
  const done = kubectl({ client: a, io: i }, ['get', 'pods', '-w']);
  a.time += 60_000;
  a.create({ ...F.podCreating, metadata: { ...F.podCreating.metadata, creationTimestamp: undefined } } as never);
  ac.abort();
  assert.equal(await done, 0);
  assert.equal(
    r.out,
    'NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          5m\nweb-7d4b9cf5c8-x2x9z   0/1     ContainerCreating   0          0s\n',
  );
});

test('kubectl config get-contexts, use-context, current-context', async () => {
  const cfg: KubeConfig = {
    currentContext: 'kind-kind',
    contexts: [
      { name: 'kind-kind', cluster: 'kind-kind', user: 'kind-kind' },
      { name: 'kind-lab', cluster: 'kind-lab', user: 'kind-lab' },
    ],
    server: () => 'https://127.0.0.1:40123',
    useContext(n) {
      this.currentContext = n;
    },
  };
  const a = api();
  assert.equal(
    (await k(a, 'config get-contexts', undefined, {}, cfg)).out,
    'CURRENT   NAME        CLUSTER     AUTHINFO    NAMESPACE\n*         kind-kind   kind-kind   kind-kind   \n          kind-lab    kind-lab    kind-lab    \n',
  );
  assert.deepEqual(await k(a, 'config use-context kind-lab', undefined, {}, cfg), {
    code: 0,
    out: 'Switched to context "kind-lab".\n',
    err: '',
  });
  assert.deepEqual(await k(a, 'config current-context', undefined, {}, cfg), { code: 0, out: 'kind-lab\n', err: '' });
  assert.deepEqual(await k(a, 'config use-context nope', undefined, {}, cfg), {
    code: 1,
    out: '',
    err: 'error: no context exists with the name: "nope"\n',
  });
});

test('kubectl wait --for=condition: met at once, met on a later change, or timed out in virtual time', async () => {
  const a = api();
  a.create(F.podRunning as never);
  a.create(F.podCreating as never);
  assert.deepEqual(await k(a, 'wait --for=condition=Ready pod/nginx'), { code: 0, out: 'pod/nginx condition met\n', err: '' });
  const r = { out: '', err: '' };
  let waited = 0;
  const io = {
    stdout: (t: string) => void (r.out += t),
    stderr: (t: string) => void (r.err += t),
    readFile: () => undefined,
    wait: async (ms: number) => {
      waited = ms;
    },
  };
  assert.equal(await kubectl({ client: a, io }, ['wait', '--for=condition=Ready', 'pod/web-7d4b9cf5c8-x2x9z', '--timeout=5s']), 1);
  assert.equal(waited, 5000);
  assert.equal(r.err, 'error: timed out waiting for the condition on pods/web-7d4b9cf5c8-x2x9z\n');
  // A change while waiting: the pod turns Ready before the timeout passes.
  const io2 = {
    ...io,
    wait: async () => {
      const p = a.get('pods', 'default', 'web-7d4b9cf5c8-x2x9z');
      a.update({ ...p, status: { ...(p.status as object), conditions: [{ type: 'Ready', status: 'True' }] } });
      await new Promise<void>(() => {});
    },
  };
  r.out = '';
  assert.equal(await kubectl({ client: a, io: io2 }, ['wait', '--for=condition=Ready', 'pod/web-7d4b9cf5c8-x2x9z']), 0);
  assert.equal(r.out, 'pod/web-7d4b9cf5c8-x2x9z condition met\n');
  assert.deepEqual(await k(a, ['wait', '--for=condition=Ready', 'pod/nginx', '--timeout=abc']), {
    code: 1,
    out: '',
    err: 'error: invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"\n',
  });
});

test('kubectl replace -f replaces a live object; --force deletes it and creates it again', async () => {
  const a = api();
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: metallb-system\n  name: config\ndata:\n  config: |\n    peers: []\n';
  assert.deepEqual(await k(a, 'replace -f -', cm), {
    code: 1,
    out: '',
    err: 'Error from server (NotFound): error when replacing "STDIN": configmaps "config" not found\n',
  });
  assert.deepEqual(await k(a, 'replace --force -f -', cm), { code: 0, out: 'configmap/config replaced\n', err: '' });
  assert.deepEqual(await k(a, 'replace --force -f -', cm), {
    code: 0,
    out: 'configmap "config" deleted from metallb-system namespace\nconfigmap/config replaced\n',
    err: '',
  });
  assert.deepEqual(await k(a, 'replace -f -', cm.replace('peers: []', 'peers: [x]')), {
    code: 0,
    out: 'configmap/config replaced\n',
    err: '',
  });
  assert.deepEqual((a.get('configmaps', 'metallb-system', 'config') as { data?: unknown }).data, { config: 'peers: [x]\n' });
  assert.equal((await k(a, 'drain kind-worker')).err, 'error: "kubectl drain" is not emulated by knetlab\n');
  // -k is a real flag (kubectl's built-in kustomize): knetlab says it does not build, not that the flag is unknown
  assert.deepEqual(await k(a, 'apply -k manifests/overlays/release'), {
    code: 1,
    out: '',
    err: 'error: "kubectl apply -k" (kustomize) is not emulated by knetlab: build the manifests with kustomize and apply them with -f\n',
  });
  assert.equal(
    (await k(a, 'delete -k .')).err,
    'error: "kubectl delete -k" (kustomize) is not emulated by knetlab: build the manifests with kustomize and delete them with -f\n',
  );
});

test('kubectl create secret generic|docker-registry|tls builds what create_secret*.go builds; jsonpath reads an escaped dot in a key', async () => {
  const a = api();
  // kubernetes.io's "Managing Secrets using kubectl" and "Pull an Image from a Private Registry" pages
  assert.deepEqual(
    await k(a, ['create', 'secret', 'generic', 'db-user-pass', '--from-literal=username=admin', '--from-literal=password=S!B*d$zDsb=']),
    {
      code: 0,
      out: 'secret/db-user-pass created\n',
      err: '',
    },
  );
  assert.deepEqual((a.get('secrets', 'default', 'db-user-pass') as { data?: unknown }).data, {
    username: 'YWRtaW4=',
    password: 'UyFCKmQkekRzYj0=',
  });
  assert.deepEqual(await k(a, 'create secret generic db-user-pass --from-literal=username=admin'), {
    code: 1,
    out: '',
    err: 'error: failed to create secret secrets "db-user-pass" already exists\n',
  });
  assert.equal(
    (
      await k(a, 'create secret generic envs --from-env-file=app.env', undefined, {
        'app.env': '# db\nDB_USER=admin\n\n  DB_PASS=s3=cret\n',
      })
    ).code,
    0,
  );
  assert.deepEqual((a.get('secrets', 'default', 'envs') as { data?: unknown }).data, { DB_USER: 'YWRtaW4=', DB_PASS: 'czM9Y3JldA==' });
  assert.equal(
    (await k(a, ['create', 'secret', 'generic', 'bad', '--from-literal=a b=1'])).err,
    `error: "a b" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n`,
  );
  const reg = [
    'create',
    'secret',
    'docker-registry',
    'regcred',
    '--docker-server=registry.example.com',
    '--docker-username=tiger',
    '--docker-password=pass1234',
    '--docker-email=tiger@acme.example',
  ];
  assert.deepEqual(await k(a, reg), { code: 0, out: 'secret/regcred created\n', err: '' });
  const json = await k(a, ['get', 'secret', 'regcred', '--output=jsonpath={.data.\\.dockerconfigjson}']);
  assert.equal(
    atob(json.out),
    '{"auths":{"registry.example.com":{"username":"tiger","password":"pass1234","email":"tiger@acme.example","auth":"dGlnZXI6cGFzczEyMzQ="}}}',
  );
  assert.equal((await k(a, 'get secret regcred -o jsonpath={.type}')).out, 'kubernetes.io/dockerconfigjson');
  assert.deepEqual(await k(a, 'create secret tls t --cert=tls.crt'), { code: 1, out: '', err: 'error: key and cert must be specified\n' });
  assert.equal(
    (await k(a, 'create secret tls t --cert=tls.crt --key=tls.key', undefined, { 'tls.crt': 'CERT\n', 'tls.key': 'KEY\n' })).out,
    'secret/t created\n',
  );
  assert.deepEqual((a.get('secrets', 'default', 't') as { data?: unknown; type?: string }).data, {
    'tls.crt': 'Q0VSVAo=',
    'tls.key': 'S0VZCg==',
  });
});
