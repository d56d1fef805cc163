// kubernetes.io "Debug Services", run as its text gives it: the `hostnames` Deployment of
// registry.k8s.io/serve_hostname, `kubectl expose deployment hostnames --port=80 --target-port=9376`,
// then from a busybox pod (the page's gcr.io/google-containers/busybox) `wget -qO-` each pod on 9376 and the Service's IP on 80, and `curl` from a
// node: each answer is the answering pod's name, and the pods' logs say who asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, netshootPod, run } from './fixtures.js';

test('Debug Services: serve_hostname answers its pod name on 9376, directly and through the Service', async () => {
  const lab = await kindCluster(1);
  for (const argv of [
    ['kubectl', 'create', 'deployment', 'hostnames', '--image=registry.k8s.io/serve_hostname'],
    ['kubectl', 'scale', 'deployment', 'hostnames', '--replicas=3'],
    ['kubectl', 'run', 'busybox', '--image=gcr.io/google-containers/busybox', '--restart=Never', '--', 'sleep', '3600'],
    ['kubectl', 'expose', 'deployment', 'hostnames', '--port=80', '--target-port=9376'],
  ]) {
    const r = await run(lab, {}, ...argv);
    assert.equal(r.status, 0, r.err);
  }
  lab.advance(5_000);
  const names = (await run(lab, {}, 'kubectl', 'get', 'pods', '-l', 'app=hostnames', '-o', 'name')).out
    .trim()
    .split('\n')
    .map((n) => n.replace('pod/', ''));
  assert.equal(names.length, 3);
  const ips = (await run(lab, {}, 'kubectl', 'get', 'pods', '-l', 'app=hostnames', '-o', 'jsonpath={.items[*].status.podIP}')).out.split(
    ' ',
  );

  // each pod answers its own name, without a newline (fmt.Fprintf(w, "%s", hostname))
  const direct = [];
  for (const ip of ips) {
    const r = await run(lab, {}, 'kubectl', 'exec', 'busybox', '--', 'wget', '-qO-', `${ip}:9376`);
    assert.equal(r.status, 0, r.err);
    direct.push(r.out);
  }
  assert.deepEqual([...direct].sort(), [...names].sort());

  // the Endpoints controller's RepackSubsets: addresses sorted by IP as a string (LessEndpointAddress)
  const ep = await run(lab, {}, 'kubectl', 'get', 'endpoints', 'hostnames');
  assert.equal(ep.err, 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  assert.match(
    ep.out,
    new RegExp(
      `^NAME +ENDPOINTS +AGE\\nhostnames +${[...ips]
        .sort()
        .map((ip) => `${ip}:9376`)
        .join(',')} +\\d+s\\n$`,
    ),
  );

  const svc = (await run(lab, {}, 'kubectl', 'get', 'svc', 'hostnames', '-o', 'jsonpath={.spec.clusterIP}')).out;
  const loop = await run(
    lab,
    {},
    'kubectl',
    'exec',
    'busybox',
    '--',
    'sh',
    '-c',
    `for i in $(seq 1 6); do wget -qO- ${svc}:80; echo; done`,
  );
  assert.equal(loop.status, 0, loop.err);
  for (const name of loop.out.trim().split('\n')) assert.ok(names.includes(name), name);

  // curl from a node: Go's net/http answer
  const node = await run(lab, {}, 'docker', 'exec', 'kind-worker', 'curl', '-si', `${svc}:80`);
  assert.match(
    node.out,
    /^HTTP\/1\.1 200 OK\r\nDate: [^\r]+ GMT\r\nContent-Length: 26\r\nContent-Type: text\/plain; charset=utf-8\r\n\r\nhostnames-[a-z0-9]+-[a-z0-9]{5}$/,
  );

  // Go's log lines on stderr: the start, then one per request with the client's address
  const logs = (await run(lab, {}, 'kubectl', 'logs', `pod/${names[0]}`)).out;
  assert.match(logs, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Serving on port 9376\.\n/);
  assert.match(logs, /\d\d:\d\d:\d\d HTTP request from 10\.244\.\d+\.\d+:\d+\n/);
});

test('serve_hostname logs its log.Fatalf for -http with -tcp, Go flag errors, and -tcp writes the bare name', async () => {
  const pod = (name: string, args: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  restartPolicy: Never\n  containers:\n  - name: c\n    image: registry.k8s.io/serve_hostname\n    args: [${args}]\n`;
  const lab = await kindCluster(
    0,
    `${pod('both', '"-tcp"')}---\n${pod('raw', '"-http=false", "-tcp", "-port=7000"')}---\n${pod('bad', '"-nope"')}---\n${netshootPod('netpod')}`,
  );
  lab.advance(5_000);
  const phase = async (n: string) => (await run(lab, {}, 'kubectl', 'get', 'pod', n, '-o', 'jsonpath={.status.phase}')).out;
  // (the container stays Running: a workload program's exit is not yet passed to the kubelet)
  assert.match(
    (await run(lab, {}, 'kubectl', 'logs', 'both')).out,
    /\d\d:\d\d:\d\d Can't server TCP\/UDP mode and HTTP mode at the same time\n$/,
  );
  assert.match((await run(lab, {}, 'kubectl', 'logs', 'bad')).out, /^flag provided but not defined: -nope\nUsage of \/serve_hostname:\n/);
  assert.equal(await phase('raw'), 'Running');
  const ip = (await run(lab, {}, 'kubectl', 'get', 'pod', 'raw', '-o', 'jsonpath={.status.podIP}')).out;
  const r = await run(lab, {}, 'kubectl', 'exec', 'netpod', '--', 'nc', ip, '7000');
  assert.equal(r.out, 'raw');
  assert.match((await run(lab, {}, 'kubectl', 'logs', 'raw')).out, /Serving on port 7000\.\n.* TCP request from 10\.244\.0\.\d+:\d+\n$/);
});

test('kubectl -o go-template: missing keys print <no value>, kubectl functions only, Go template errors', async () => {
  const lab = await kindCluster(
    0,
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: 9376\n',
  );
  const get = (...args: string[]) => run(lab, {}, 'kubectl', 'get', 'svc', 'web', ...args);
  assert.equal(
    (await get('-o', 'go-template={{.metadata.name}} {{.spec.nope.deeper}} {{range .spec.ports}}{{.port}}/{{.protocol}}{{end}}')).out,
    'web <no value> 80/TCP',
  );
  assert.equal((await get('-o', 'template', '--template={{if exists . "spec" "ports" 0 "port"}}yes{{end}}')).out, 'yes');
  // the port-forward page's form: --template alone means go-template; a field chained on a parenthesised pipeline
  assert.equal((await get('--template={{(index .spec.ports 0).targetPort}}{{"\\n"}}')).out, '9376\n');
  const parse = await get('-o', 'go-template={{json .}}');
  assert.equal(parse.status, 1);
  assert.equal(parse.err, 'error: error parsing template {{json .}}, template: output:1: function "json" not defined\n');
  const exec = await get('-o', 'go-template={{.metadata.name.x}}');
  assert.equal(exec.status, 1);
  assert.equal(
    exec.err,
    'error: error executing template "{{.metadata.name.x}}": template: output:1:2: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type string\n',
  );
  assert.match(
    exec.out,
    /^Error executing template: .*\. Printing more information for debugging the template:\n\ttemplate was:\n\t\t\{\{\.metadata\.name\.x\}\}\n\traw data was:\n\t\t\{"apiVersion":"v1",/,
  );
  const strict = await get('-o', 'go-template={{.spec.nope}}', '--allow-missing-template-keys=false');
  assert.match(strict.err, /at <\.spec\.nope>: map has no entry for key "nope"\n$/);
});
