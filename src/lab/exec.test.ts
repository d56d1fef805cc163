// kubectl exec and the workload images in a kind cluster (issue 14 items 1 and 7; seed 000 §2.3-3.2):
// the seed's 2-node cluster with netpod (netshoot) and nginx (nginx:alpine); the pipe after
// `kubectl exec` runs on the client side, in the user's bash (here just-bash calling the lab);
// myweb2's two containers share one network namespace; whoami answers with its pod and the client.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Bash, defineCommand } from 'just-bash';
import { runByHand, standardLab, type Lab } from './index.js';
import { runtimePodsHeld } from './runtime.js';

const ROOT = new URL('../../../', import.meta.url);
const KIND_2NODE = readFileSync(new URL('test/seeds/kind-000_L168.yaml', ROOT), 'utf8');
const PODS = readFileSync(new URL('test/seeds/000_L265.yaml', ROOT), 'utf8');

const MYWEB2 = `apiVersion: v1
kind: Pod
metadata:
  name: myweb2
spec:
  containers:
  - name: myweb2-nginx
    image: nginx
    ports:
    - containerPort: 80
      protocol: TCP

  - name: myweb2-netshoot
    image: nicolaka/netshoot
    command: ["/bin/bash"]
    args: ["-c", "while true; do sleep 5; curl localhost; done"] # 포드가 종료되지 않도록 유지합니다

  terminationGracePeriodSeconds: 0
`;

interface Ran {
  status: number;
  out: string;
  err: string;
}

async function run(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string): Promise<Ran> {
  const { status, out, err } = await runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
  return { status, out, err };
}

/** The user's bash on the client machine: kind, kubectl and docker are the lab's (as the shims make them). */
async function bash(lab: Lab, script: string): Promise<Ran> {
  const families = ['kind', 'kubectl', 'docker'].map((name) =>
    defineCommand(name, async (args, ctx) => {
      const stdin = ctx.stdin as unknown as string;
      const r = await run(lab, [name, ...args], {}, stdin === '' ? undefined : stdin);
      return { stdout: r.out, stderr: r.err, exitCode: r.status };
    }),
  );
  const r = await new Bash({ customCommands: families }).exec(script);
  return { status: r.exitCode, out: r.stdout, err: r.stderr };
}

async function seedCluster(): Promise<Lab> {
  const lab = standardLab();
  const created = await run(lab, ['kind', 'create', 'cluster', '--config', 'kind-2node.yaml', '--name', 'myk8s'], {
    'kind-2node.yaml': KIND_2NODE,
  });
  assert.equal(created.status, 0, created.err);
  return lab;
}

test('seed 000 §2.3: kubectl exec -it netpod -- curl -s <nginx IP> | grep -o "<title>.*</title>" prints the welcome page title', async () => {
  const lab = await seedCluster();
  const applied = await run(lab, ['kubectl', 'create', '-f', '-'], {}, PODS);
  assert.deepEqual([applied.status, applied.out], [0, 'pod/netpod created\npod/nginx created\n'], applied.err);
  const r = await bash(
    lab,
    'kubectl exec -it netpod -- curl -s $(kubectl get pod nginx -o jsonpath={.status.podIP}) | grep -o "<title>.*</title>"',
  );
  assert.deepEqual(r, { status: 0, out: '<title>Welcome to nginx!</title>\n', err: '' });
  // The whole page, byte for byte (nginx >= 1.29.6's welcome page, 896 bytes), and nginx's access log line for it.
  const ip = (await run(lab, ['kubectl', 'get', 'pod', 'nginx', '-o', 'jsonpath={.status.podIP}'])).out;
  const page = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', ip]);
  assert.equal(page.out.length, 896);
  assert.match(page.out, /^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>\n/);
  assert.match(page.out, /<p><em>Thank you for using nginx.<\/em><\/p>\n<\/body>\n<\/html>\n$/);
  const head = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-sI', ip]);
  assert.match(
    head.out,
    /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.31\.4\r\nDate: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\nContent-Type: text\/html\r\nContent-Length: 896\r\nLast-Modified: Tue, 11 Aug 2026 20:07:37 GMT\r\nConnection: keep-alive\r\nETag: "[0-9a-f]+-380"\r\nAccept-Ranges: bytes\r\n\r\n$/,
  );
  // Exit status is the command's; the node's curl names a failed connection.
  const refused = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', `${ip}:81`]);
  assert.deepEqual(refused, { status: 7, out: '', err: 'command terminated with exit code 7\n' });
});

test("kubectl exec: kubectl's messages for a missing --, an unknown pod or container, a missing command, a scratch image", async () => {
  const lab = await seedCluster();
  await run(lab, ['kubectl', 'create', '-f', '-'], {}, PODS);
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'nope', '--', 'ip', 'a']), {
    status: 1,
    out: '',
    err: 'Error from server (NotFound): pods "nope" not found\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'netpod', '-c', 'web', '--', 'ip', 'a']), {
    status: 1,
    out: '',
    err: 'Error from server (BadRequest): container web is not valid for pod netpod\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'netpod']), {
    status: 1,
    out: '',
    err: 'error: you must specify at least one command for the container\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'exec', '--', 'ls']), {
    status: 1,
    out: '',
    err: 'error: pod, type/name or --filename must be specified\n',
  });
  // kubectl v1.36 refuses the old form without `--`
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'netpod', 'hostname']), {
    status: 1,
    out: '',
    err: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
  });
  assert.deepEqual(await run(lab, ['kubectl', 'logs']), {
    status: 1,
    out: '',
    err: "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
  });
  const missing = await run(lab, ['kubectl', 'exec', 'nginx', '--', 'tcpdump', '-ni', 'eth0']);
  assert.equal(missing.status, 1);
  assert.match(
    missing.err,
    /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "tcpdump": executable file not found in \$PATH: unknown\n$/,
  );
  // TYPE/NAME of a controller: its most active pod (scheduled, Running, Ready, ...)
  assert.equal((await run(lab, ['kubectl', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2'])).status, 0);
  const names = (await run(lab, ['kubectl', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).out.split(' ');
  const viaDeploy = await run(lab, [
    'kubectl',
    'exec',
    'deploy/web',
    '--',
    'sh',
    '-c',
    'hostname; curl -s -o /dev/null -w "%{http_code}" localhost',
  ]);
  assert.equal(viaDeploy.status, 0, viaDeploy.err);
  assert.ok(names.includes(viaDeploy.out.split('\n')[0]!), viaDeploy.out);
  assert.equal(viaDeploy.out.split('\n')[1], '200');
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'configmap/kube-root-ca.crt', '--', 'ls']), {
    status: 1,
    out: '',
    err: 'error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n',
  });
  // A shell script's own exit status comes back; pod/NAME names the pod too.
  const script = await run(lab, ['kubectl', 'exec', 'pod/netpod', '--', 'sh', '-c', 'echo $HOSTNAME; exit 3']);
  assert.deepEqual(script, { status: 3, out: 'netpod\n', err: 'command terminated with exit code 3\n' });
  // busybox: its shell runs; its applets without an emulation (nc) say so; wget is BusyBox's
  await run(lab, ['kubectl', 'run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'bb', '--', 'sh', '-c', 'echo $(hostname) && cat /etc/hostname']), {
    status: 0,
    out: 'bb\nbb\n',
    err: '',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'bb', '--', 'nc', '10.244.0.1', '80']), {
    status: 127,
    out: '',
    err: 'knetlab: nc is not emulated yet\ncommand terminated with exit code 127\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'bb', '--', 'wget', '-qO-', '10.244.0.1']), {
    status: 1,
    out: '',
    err: "wget: can't connect to remote host (10.244.0.1): Connection refused\ncommand terminated with exit code 1\n",
  });
  // seed 003: BusyBox's own ping output, from sequence 0
  const nginxIp = (await run(lab, ['kubectl', 'get', 'pod', 'nginx', '-o', 'jsonpath={.status.podIP}'])).out;
  const ping = await run(lab, ['kubectl', 'exec', 'bb', '--', 'ping', '-c', '1', nginxIp]);
  assert.equal(ping.status, 0, ping.err);
  assert.match(
    ping.out,
    new RegExp(
      `^PING ${nginxIp} \\(${nginxIp}\\): 56 data bytes\n64 bytes from ${nginxIp}: seq=0 ttl=6[34] time=\\d+\\.\\d{3} ms\n\n--- ${nginxIp} ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = (\\d+\\.\\d{3})/\\1/\\1 ms\n$`,
    ),
  );
  const lost = await run(lab, ['kubectl', 'exec', 'bb', '--', 'ping', '-c', '2', '-W', '1', '10.244.9.9']);
  assert.deepEqual(lost, {
    status: 1,
    out: 'PING 10.244.9.9 (10.244.9.9): 56 data bytes\n\n--- 10.244.9.9 ping statistics ---\n2 packets transmitted, 0 packets received, 100% packet loss\n',
    err: 'command terminated with exit code 1\n',
  });
  // A stopped node's kubelet is out of the API server's reach
  assert.equal((await run(lab, ['docker', 'stop', 'myk8s-worker'])).status, 0);
  const workerIp = lab.kind.node('myk8s-worker')!.info.ip;
  assert.deepEqual(await run(lab, ['kubectl', 'exec', 'netpod', '--', 'hostname']), {
    status: 1,
    out: '',
    err: `Error from server: error dialing backend: dial tcp ${workerIp}:10250: connect: no route to host\n`,
  });
  assert.equal((await run(lab, ['docker', 'start', 'myk8s-worker'])).status, 0);
  lab.advance(5_000); // the node boots; its new kubelet re-creates netpod's sandbox
  // A pod whose sandbox is not up yet has no running container for the kubelet to exec in.
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'mv', '/opt/cni/bin/ptp', '/root/ptp'])).status, 0);
  await run(lab, ['kubectl', 'run', 'later', '--image=busybox', '--overrides={"spec":{"nodeName":"myk8s-worker"}}', '--', 'sleep', '3600']);
  const pending = await run(lab, ['kubectl', 'exec', 'later', '--', 'sh', '-c', 'true']);
  assert.deepEqual(pending, { status: 1, out: '', err: 'error: unable to upgrade connection: container not found ("later")\n' });
  // kubectl logs: the kubelet's answer for a container that has not started, the API server's for a name not in the spec
  assert.deepEqual(await run(lab, ['kubectl', 'logs', 'later']), {
    status: 1,
    out: '',
    err: 'Error from server (BadRequest): container "later" in pod "later" is waiting to start: ContainerCreating\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'logs', 'nginx', '-c', 'web']), {
    status: 1,
    out: '',
    err: 'Error from server (BadRequest): container web is not valid for pod nginx\n',
  });
  assert.deepEqual(await run(lab, ['kubectl', 'logs', 'netpod']), { status: 0, out: '', err: '' });
});

test("seed 000 myweb2: two containers share the pod's IP and localhost; the first is the default, said on stderr; nginx logs the request", async () => {
  const lab = await seedCluster();
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', 'myweb2.yaml'], { 'myweb2.yaml': MYWEB2 })).status, 0);
  const podIp = (await run(lab, ['kubectl', 'get', 'pod', 'myweb2', '-o', 'jsonpath={.status.podIP}'])).out;
  const addr = await run(lab, [
    'kubectl',
    'exec',
    'myweb2',
    '-c',
    'myweb2-netshoot',
    '--',
    'ip',
    '-4',
    '-o',
    'addr',
    'show',
    'dev',
    'eth0',
  ]);
  assert.equal(addr.status, 0, addr.err);
  assert.match(addr.out, new RegExp(`inet ${podIp.replace(/\./g, '\\.')}/24 `));
  // nginx's container reaches its own listener on the same address
  const self = await run(lab, [
    'kubectl',
    'exec',
    'myweb2',
    '-c',
    'myweb2-nginx',
    '--',
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}\\n',
    podIp,
  ]);
  assert.deepEqual(self, { status: 0, out: '200\n', err: '' });
  // netshoot reaches nginx of the other container on localhost
  const local = await run(lab, ['kubectl', 'exec', 'myweb2', '-c', 'myweb2-netshoot', '--', 'curl', '-s', 'localhost']);
  assert.equal(local.status, 0, local.err);
  assert.match(local.out, /<title>Welcome to nginx!<\/title>/);
  // Without -c: the first container, named on stderr; nginx's image (Debian) has curl but no ip.
  const dflt = await run(lab, ['kubectl', 'exec', 'myweb2', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'localhost']);
  assert.deepEqual(dflt, { status: 0, out: '200\n', err: 'Defaulted container "myweb2-nginx" out of: myweb2-nginx, myweb2-netshoot\n' });
  const logs = await run(lab, ['kubectl', 'logs', 'myweb2', '-c', 'myweb2-nginx']);
  assert.equal(logs.status, 0, logs.err);
  const line = (from: string) =>
    `${from.replace(/\./g, '\\.')} - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET / HTTP/1\\.1" 200 896 "-" "curl/[0-9.]+" "-"\n`;
  // the image's entrypoint says what it configured, then nginx logs each request
  const started = logs.out.split('\n').slice(0, 9);
  assert.deepEqual(
    [started[0], started[4], started[8]],
    [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ],
  );
  const requests = logs.out.split('\n').slice(9).join('\n');
  assert.match(requests, new RegExp(`^${line(podIp)}${line('127.0.0.1')}${line('127.0.0.1')}$`));
  // -f follows: a request made meanwhile shows (on the manual clock, when the follow is interrupted)
  const follow = new AbortController();
  const c = { out: '', err: '' };
  const following = lab.run(['kubectl', 'logs', '-f', '--tail', '1', 'myweb2', '-c', 'myweb2-nginx'], {
    stdout: (t) => void (c.out += t),
    stderr: (t) => void (c.err += t),
    readFile: () => undefined,
    writeFile: () => {},
    signal: follow.signal,
  });
  assert.equal(
    (await run(lab, ['kubectl', 'exec', 'myweb2', '-c', 'myweb2-netshoot', '--', 'curl', '-s', '-o', '/dev/null', 'localhost/nope']))
      .status,
    0,
  );
  follow.abort();
  assert.equal((await following).status, 0);
  assert.match(
    c.out,
    new RegExp(`^${line('127.0.0.1')}127\\.0\\.0\\.1 - - \\[[^\\]]+\\] "GET /nope HTTP/1\\.1" 404 153 "-" "curl/[0-9.]+" "-"\n$`),
  );
});

test("traefik/whoami answers with its hostname, its pod IP and the client's address, then the request as Go writes it", async () => {
  const lab = await seedCluster();
  const whoami =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: webpod1\nspec:\n  containers:\n  - name: container\n    image: traefik/whoami\n  terminationGracePeriodSeconds: 0\n';
  assert.equal((await run(lab, ['kubectl', 'create', '-f', '-'], {}, PODS + '---\n' + whoami)).status, 0);
  const ipOf = async (p: string) => (await run(lab, ['kubectl', 'get', 'pod', p, '-o', 'jsonpath={.status.podIP}'])).out;
  const [web, net] = [await ipOf('webpod1'), await ipOf('netpod')];
  const r = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', web]);
  assert.equal(r.status, 0, r.err);
  // eth0's link-local address as `ip addr` shows it in the pod's namespace on its node
  const node = (await run(lab, ['kubectl', 'get', 'pod', 'webpod1', '-o', 'jsonpath={.spec.nodeName}'])).out;
  const netns = lab.kind.node(node)!.kubelet!.container('default', 'webpod1', 'container')!.netns!;
  const ll = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(
    (await run(lab, ['docker', 'exec', node, 'ip', '-n', netns, '-6', 'addr', 'show', 'dev', 'eth0'])).out,
  )?.[1];
  assert.ok(ll);
  assert.match(
    r.out,
    new RegExp(
      `^Hostname: webpod1\nIP: 127\\.0\\.0\\.1\nIP: ::1\nIP: ${web.replace(/\./g, '\\.')}\nIP: ${ll}\nRemoteAddr: ${net.replace(/\./g, '\\.')}:\\d+\nGET / HTTP/1\\.1\r\nHost: ${web.replace(/\./g, '\\.')}\r\nUser-Agent: curl/[0-9.]+\r\nAccept: \\*/\\*\r\n\r\n$`,
    ),
  );
  // the other handlers: /api as Go's json.Encoder writes Data, /bench, /data, /health, and ?wait
  const api = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', '-H', 'X-Test: <a&b>', `${web}/api?x=1`]);
  assert.equal(
    api.out.replace(/("remoteAddr":"[\d.]+:)\d+"/, '$1PORT"'),
    `{"hostname":"webpod1","ip":["127.0.0.1","::1","${web}","${ll}"],"headers":{"Accept":["*/*"],"User-Agent":["curl/7.88.1"],"X-Test":["\\u003ca\\u0026b\\u003e"]},"url":"/api?x=1","host":"${web}","method":"GET","remoteAddr":"${net}:PORT"}\n`,
  );
  // curl -H: a custom Host takes the built-in one's place; `User-Agent:` removes it (Go's Request.Write then names its own)
  const hosted = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', '-H', 'Host: example.com', '-H', 'User-Agent:', web]);
  assert.match(hosted.out, /\nGET \/ HTTP\/1\.1\r\nHost: example\.com\r\nUser-Agent: Go-http-client\/1\.1\r\nAccept: \*\/\*\r\n\r\n$/);
  const bench = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-si', `${web}/bench`]);
  assert.match(bench.out, /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nDate: [^\r]+ GMT\r\nContent-Length: 1\r\n\r\n1$/);
  assert.equal(
    (await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', `${web}/data?size=30`])).out,
    '|ABCDEFGHIJKLMNOPQRSTUVWXYZ-A|',
  );
  assert.equal(
    (await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `${web}/health`])).out,
    '200',
  );
  const before = lab.clock.now();
  const waited = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', `${web}/?wait=2s`]);
  assert.match(waited.out, /^Hostname: webpod1\n/);
  assert.ok(lab.clock.now() - before >= 2000, `${lab.clock.now() - before} ms`);
  // FROM scratch: no shell to exec.
  const sh = await run(lab, ['kubectl', 'exec', 'webpod1', '--', 'sh']);
  assert.match(sh.err, /exec: "sh": executable file not found in \$PATH: unknown\n$/);
  // Go's log line on stderr is the container's log.
  assert.match((await run(lab, ['kubectl', 'logs', 'webpod1'])).out, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Starting up on port 80\n$/);
});

test('an image knetlab does not know listens on its containerPorts and says so in an event', async () => {
  const lab = await seedCluster();
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: odd\nspec:\n  containers:\n  - name: app\n    image: example.com/team/app:2.1\n    ports:\n    - containerPort: 8080\n';
  assert.equal((await run(lab, ['kubectl', 'create', '-f', '-'], {}, PODS + '---\n' + pod)).status, 0);
  const ip = (await run(lab, ['kubectl', 'get', 'pod', 'odd', '-o', 'jsonpath={.status.podIP}'])).out;
  const open = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', '-m', '2', `${ip}:8080`]);
  assert.match(open.err, /^command terminated with exit code 28\n$/); // connected, nothing answered
  const closed = await run(lab, ['kubectl', 'exec', 'netpod', '--', 'curl', '-s', `${ip}:80`]);
  assert.equal(closed.status, 7);
  const events = await run(lab, ['kubectl', 'describe', 'pod', 'odd']);
  assert.match(
    events.out,
    /EmulatedGenerically .*image "example\.com\/team\/app:2\.1" of container app is not emulated; it runs as a generic container: it listens on 8080\/TCP and answers nothing/,
  );
});

test('pods deleted after an exec leave no container files behind in the runtime: 200 created, exec-ed and deleted', async () => {
  const lab = await seedCluster();
  const held = runtimePodsHeld(lab);
  const pods = Array.from(
    { length: 200 },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  terminationGracePeriodSeconds: 0\n  containers:\n  - name: c\n    image: nginx\n`,
  ).join('---\n');
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', 'pods.yaml'], { 'pods.yaml': pods })).status, 0);
  for (let i = 0; i < 200; i += 1) {
    const r = await run(lab, ['kubectl', 'exec', `p${i}`, '--', 'cat', '/etc/hostname']);
    assert.equal(r.out, `p${i}\n`, r.err);
  }
  assert.equal(runtimePodsHeld(lab), held + 200);
  const del = await run(lab, ['kubectl', 'delete', 'pods', '--all', '--wait=true']);
  assert.equal(del.status, 0, del.err);
  assert.equal((await run(lab, ['kubectl', 'get', 'pods'])).err, 'No resources found in default namespace.\n');
  assert.equal(runtimePodsHeld(lab), held);
});
