// The process table of a kind node (issue 14 item 3; seed 000 §3 "Pod 배포 및 격리 확인" and myweb2):
// crictl lists myweb2's two containers under one POD ID; ps -ef finds nginx's master; lsns shows
// the two containers sharing the pause process's net/uts/ipc and each with its own mnt/pid/cgroup;
// nsenter -t PAUSEPID -n runs ip in the pod's network namespace; pstree -aclnpsS marks pause's
// namespaces. Run as the seed runs it: `docker exec myk8s-worker bash -c '...'`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { runByHand, standardLab, type Lab } from './index.js';

const ROOT = new URL('../../../', import.meta.url);
const KIND_2NODE = readFileSync(new URL('test/seeds/kind-000_L168.yaml', ROOT), 'utf8');

const MYWEB2 = `apiVersion: v1
kind: Pod
metadata:
  name: myweb2
spec:
  nodeName: myk8s-worker
  containers:
  - name: myweb2-nginx
    image: nginx
    ports:
    - containerPort: 80
      protocol: TCP
  - name: myweb2-netshoot
    image: nicolaka/netshoot
    command: ["/bin/bash"]
    args: ["-c", "while true; do sleep 5; curl localhost; done"]
  terminationGracePeriodSeconds: 0
`;

async function run(lab: Lab, argv: string[], files: Record<string, string> = {}, stdin?: string) {
  const { status, out, err } = await runByHand(lab, argv, { files, ...(stdin === undefined ? {} : { stdin }) });
  return { status, out, err };
}

/** `docker exec myk8s-worker bash -c SCRIPT`, as the seed's node shell. */
const onNode = (lab: Lab, script: string) => run(lab, ['docker', 'exec', 'myk8s-worker', 'bash', '-c', script]);

async function myweb2(): Promise<Lab> {
  const lab = standardLab();
  assert.equal(
    (await run(lab, ['kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s'], { 'kind.yaml': KIND_2NODE })).status,
    0,
  );
  assert.equal((await run(lab, ['kubectl', 'apply', '-f', 'myweb2.yaml'], { 'myweb2.yaml': MYWEB2 })).status, 0);
  lab.advance(60_000);
  return lab;
}

test('seed 000 myweb2 on the node: crictl ps, ps -ef, lsns of nginx, netshoot and pause, nsenter, pstree -aclnpsS', async () => {
  const lab = await myweb2();
  // crictl ps: both containers under one POD ID, newest first, with crictl's tabwriter columns
  const crictl = await onNode(lab, 'crictl ps');
  assert.equal(crictl.status, 0, crictl.err);
  const lines = crictl.out.split('\n');
  assert.match(lines[0]!, /^CONTAINER {11}IMAGE {15}CREATED {14}STATE {15}NAME {16}ATTEMPT {13}POD ID {14}POD {17}NAMESPACE$/);
  const rows = lines.filter((l) => / myweb2 /.test(l)).map((l) => l.split(/ {3,}/));
  assert.deepEqual(
    rows.map((r) => [r[3], r[4], r[5], r[7]]),
    [
      ['Running', 'myweb2-netshoot', '0', 'myweb2'],
      ['Running', 'myweb2-nginx', '0', 'myweb2'],
    ],
  );
  assert.equal(rows[0]![6], rows[1]![6]);
  assert.match(rows[0]![6]!, /^[0-9a-f]{13}$/);
  const q = await onNode(lab, 'crictl ps -q');
  assert.ok(q.out.split('\n').some((id) => id.startsWith(rows[0]![0]!) && id.length === 64));
  const json = await onNode(
    lab,
    `crictl ps -o json | jq -r '.containers[] | {NAME: .metadata.name, POD: .labels["io.kubernetes.pod.name"]} | "\\(.NAME) \\(.POD)"'`,
  );
  assert.ok(json.out.includes('myweb2-nginx myweb2\n') && json.out.includes('myweb2-netshoot myweb2\n'), json.out + json.err);

  // ps -ef: nginx's master (its rewritten title) and the netshoot loop, children of the pod's shim
  const master = await onNode(lab, "ps -ef | grep 'nginx -g' | grep -v grep");
  assert.match(master.out, /^root +(\d+) +(\d+)  0 \d\d:\d\d \? +00:00:00 nginx: master process nginx -g daemon off;\n$/);
  const shell = await onNode(lab, "ps -ef | grep 'curl' | grep -v grep");
  assert.match(shell.out, /^root +\d+ +\d+  0 \d\d:\d\d \? +00:00:00 \/bin\/bash -c while true; do sleep 5; curl localhost; done\n$/);
  assert.equal(master.out.split(/ +/)[2], shell.out.split(/ +/)[2], 'one shim is the parent of both');
  const header = await onNode(lab, 'ps -ef | head -2');
  assert.equal(
    header.out,
    'UID          PID    PPID  C STIME TTY          TIME CMD\nroot           1       0  0 00:00 ?        00:00:00 /sbin/init\n',
  );

  // lsns: net/uts/ipc are pause's (user 65535) for both containers; mnt/pid/cgroup each their own
  const nginxPid = (await onNode(lab, "ps -ef | grep 'nginx -g' | grep -v grep | awk '{print $2}'")).out.trim();
  const netshPid = (await onNode(lab, "ps -ef | grep 'curl' | grep -v grep | awk '{print $2}'")).out.trim();
  const pausePid = (await onNode(lab, `ps -ef | awk '$3 == ${master.out.split(/ +/)[2]} && $8 == "/pause" {print $2}'`)).out.trim();
  assert.match(`${nginxPid} ${netshPid} ${pausePid}`, /^\d+ \d+ \d+$/);
  const table = (out: string) =>
    new Map(
      out
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/ +/))
        .map((c) => [c[1]!, { ns: c[0]!, nprocs: c[2]!, pid: c[3]!, user: c[4]!, cmd: c.slice(5).join(' ') }]),
    );
  const ng = await onNode(lab, `lsns -p ${nginxPid}`);
  assert.equal(ng.out.split('\n')[0], '        NS TYPE   NPROCS   PID USER  COMMAND');
  const nt = table(ng.out);
  const sh = table((await onNode(lab, `lsns -p ${netshPid}`)).out);
  const pa = table((await onNode(lab, `lsns -p ${pausePid}`)).out);
  const init = table((await onNode(lab, 'lsns -p 1')).out);
  assert.deepEqual([...nt.keys()].sort(), ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
  for (const t of ['net', 'uts', 'ipc']) {
    assert.equal(nt.get(t)!.ns, sh.get(t)!.ns, t);
    assert.equal(nt.get(t)!.ns, pa.get(t)!.ns, t);
    assert.deepEqual([nt.get(t)!.pid, nt.get(t)!.user, nt.get(t)!.cmd], [pausePid, '65535', '/pause']);
    assert.notEqual(nt.get(t)!.ns, init.get(t)!.ns);
  }
  for (const t of ['mnt', 'pid', 'cgroup']) {
    assert.notEqual(nt.get(t)!.ns, sh.get(t)!.ns, t);
    assert.notEqual(nt.get(t)!.ns, pa.get(t)!.ns, t);
  }
  assert.deepEqual(
    [nt.get('mnt')!.pid, nt.get('mnt')!.user, nt.get('mnt')!.cmd],
    [nginxPid, 'root', 'nginx: master process nginx -g daemon off;'],
  );
  assert.equal(nt.get('mnt')!.nprocs, '5', 'the master and its four workers');
  assert.equal(sh.get('pid')!.cmd, '/bin/bash -c while true; do sleep 5; curl localhost; done');
  // pause: its own mnt and pid, the node's cgroup, time and user
  assert.deepEqual([pa.get('cgroup')!.ns, pa.get('time')!.ns, pa.get('user')!.ns], [init.get('cgroup')!.ns, '4026531834', '4026531837']);
  assert.equal(pa.get('mnt')!.nprocs, '1');
  assert.equal(pa.get('net')!.nprocs, String(1 + 5 + 1));

  // inside the netshoot container, procps' ps sees only its own PID namespace: nginx is not there
  const inside = await run(lab, ['kubectl', 'exec', 'myweb2', '-c', 'myweb2-netshoot', '--', 'ps', '-ef']);
  assert.match(
    inside.out,
    /^UID +PID +PPID  C STIME TTY +TIME CMD\nroot +1 +0  0 \d\d:\d\d \? +00:00:00 \/bin\/bash -c while true; do sleep 5; curl localhost; done\n$/,
    inside.err,
  );
  // nginx's Debian image has no procps
  assert.equal((await run(lab, ['kubectl', 'exec', 'myweb2', '-c', 'myweb2-nginx', '--', 'ps', '-ef'])).status, 1);

  // nsenter into pause's network namespace: the pod's eth0 and its address
  const podIp = (await run(lab, ['kubectl', 'get', 'pod', 'myweb2', '-o', 'jsonpath={.status.podIP}'])).out;
  const addr = await onNode(lab, `nsenter -t ${pausePid} -n ip -br addr show eth0`);
  assert.equal(addr.status, 0, addr.err);
  assert.match(addr.out, new RegExp(`^eth0@if\\d+ +UP +${podIp.replace(/\./g, '\\.')}/24 `));
  const viaNginx = await onNode(lab, `nsenter -t ${nginxPid} -n ip -br addr show eth0`);
  assert.equal(viaNginx.out, addr.out);
  assert.deepEqual(await onNode(lab, 'nsenter -t 99999 -n ip addr'), {
    status: 1,
    out: '',
    err: 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n',
  });

  // pstree comes with psmisc, which the seed apt-installs first
  assert.equal((await onNode(lab, 'pstree')).status, 127);
  assert.equal((await onNode(lab, 'apt install -y psmisc')).status, 0);
  const tree = await onNode(lab, 'pstree -aclnpsS');
  assert.match(tree.out, new RegExp(`\\|-pause,${pausePid},ipc,mnt,net,pid,uts\n`));
  assert.match(tree.out, new RegExp(`nginx,${nginxPid},cgroup,ipc,mnt,net,pid,uts\n`));
  assert.match(tree.out, /^systemd,1\n  \|-systemd-journal,96\n  \|-containerd,109\n  \|   \|-\{containerd\},110\n/);
  const aln = await onNode(lab, 'pstree -aln');
  assert.match(
    aln.out,
    /\n  \|-containerd\n  \|   `-15\*\[\{containerd\}\]\n  \|-kubelet --bootstrap-kubeconfig=\/etc\/kubernetes\/bootstrap-kubelet.conf /,
  );
  assert.match(
    aln.out,
    /\n  `-containerd-shim -namespace k8s\.io -id [0-9a-f]{64} -address \/run\/containerd\/containerd\.sock\n      \|-11\*\[\{containerd-shim\}\]\n      \|-pause\n      \|-nginx\n(      \|   [|`]-nginx\n){4}      `-bash -c while true; do sleep 5; curl localhost; done\n$/,
  );
});

test("the process table follows the kubelet: a deleted pod's processes go; a restarted node starts afresh", async () => {
  const lab = await myweb2();
  assert.equal((await onNode(lab, "ps -ef | grep -c 'nginx: '")).out, '5\n');
  assert.equal((await run(lab, ['kubectl', 'delete', 'pod', 'myweb2'])).status, 0);
  lab.advance(5_000);
  assert.equal((await onNode(lab, "ps -ef | grep -c 'nginx: '")).out, '0\n');
  assert.equal((await onNode(lab, 'crictl ps | grep -c myweb2')).out, '0\n');
  const before = (await onNode(lab, 'pgrep -f kube-proxy')).out;
  assert.equal((await run(lab, ['docker', 'restart', 'myk8s-worker'])).status, 0);
  lab.advance(5_000);
  const after = (await onNode(lab, 'pgrep -f kube-proxy')).out;
  assert.match(after, /^\d+\n$/);
  assert.equal((await onNode(lab, 'crictl pods | grep -c kube-proxy')).out, '1\n');
  assert.ok(before !== '' && after !== '');
});

test('systemctl status kubelet and containerd, crictl inspect namespaces, lsns and crictl errors', async () => {
  const lab = await myweb2();
  const kubelet = await onNode(lab, 'systemctl status kubelet');
  assert.match(
    kubelet.out,
    /^● kubelet\.service - kubelet: The Kubernetes Node Agent\n {5}Loaded: loaded \(\/etc\/systemd\/system\/kubelet\.service; enabled; preset: enabled\)\n {4}Drop-In: \/etc\/systemd\/system\/kubelet\.service\.d\n {13}└─10-kubeadm\.conf, 11-kind\.conf\n {5}Active: active \(running\) since /,
  );
  assert.match(kubelet.out, /\n {3}Main PID: 226 \(kubelet\)\n/);
  assert.match(
    kubelet.out,
    /--node-ip=172\.18\.0\.\d+ --node-labels= --pod-infra-container-image=registry\.k8s\.io\/pause:3\.10 --provider-id=kind:\/\/docker\/myk8s\/myk8s-worker /,
  );
  assert.match((await onNode(lab, 'systemctl status containerd')).out, /^● containerd\.service - containerd container runtime\n/);
  assert.deepEqual(await onNode(lab, 'systemctl status nope'), { status: 4, out: '', err: 'Unit nope.service could not be found.\n' });
  assert.match(
    (await onNode(lab, "systemctl list-unit-files | grep 'enabled         enabled'")).out,
    /^containerd\.service +enabled +enabled\nkubelet\.service +enabled +enabled\n/,
  );
  // crictl inspect: the container joins pause's ipc, uts and network namespaces by /proc path
  const id = (await onNode(lab, 'crictl ps --name myweb2-nginx -q | head -1; crictl ps | grep myweb2-nginx | cut -c1-13')).out
    .trim()
    .split('\n')
    .pop()!;
  const pause = (await onNode(lab, "crictl ps -o json | jq -r '.containers[0].podSandboxId'")).out.trim();
  assert.ok(pause.length === 64);
  const ns = await onNode(lab, `crictl inspect ${id} | jq -c '.info.runtimeSpec.linux.namespaces'`);
  assert.match(
    ns.out,
    /^\[\{"type":"pid"\},\{"type":"ipc","path":"\/proc\/(\d+)\/ns\/ipc"\},\{"type":"uts","path":"\/proc\/\1\/ns\/uts"\},\{"type":"mount"\},\{"type":"network","path":"\/proc\/\1\/ns\/net"\},\{"type":"cgroup"\}\]\n$/,
  );
  assert.equal((await onNode(lab, 'crictl inspect nope')).status, 1);
  assert.deepEqual(await onNode(lab, 'lsns -t bogus'), { status: 1, out: '', err: 'lsns: unknown namespace type: bogus\n' });
  assert.deepEqual(await onNode(lab, 'lsns -p x'), { status: 1, out: '', err: "lsns: invalid PID argument: 'x'\n" });
  // crictl exec: the container's own shell and tools, in the pod's network namespace
  const podIp = (await run(lab, ['kubectl', 'get', 'pod', 'myweb2', '-o', 'jsonpath={.status.podIP}'])).out;
  const netsh = (await onNode(lab, 'crictl ps | grep myweb2-netshoot | cut -c1-13')).out.trim();
  const ex = await onNode(lab, `crictl exec -its ${netsh} ip -br -4 addr show eth0`);
  assert.match(ex.out, new RegExp(`${podIp.replace(/\./g, '\\.')}/24`), ex.err);
});

test('crictl images: the pause image, the images the pods run and those kind load docker-image put on the node', async () => {
  const lab = standardLab();
  const run = async (...argv: string[]) => {
    const r = await runByHand(lab, argv);
    assert.equal(r.status, 0, r.err);
    return r.out;
  };
  await run('kind', 'create', 'cluster');
  await run('kind', 'load', 'docker-image', 'myapp:1.0');
  const images = await run('docker', 'exec', 'kind-control-plane', 'crictl', 'images');
  assert.match(images, /^IMAGE +TAG +IMAGE ID +SIZE\n/);
  assert.match(images, /^docker\.io\/library\/myapp +1\.0 +[0-9a-f]{13} +-$/m);
  assert.match(images, /^registry\.k8s\.io\/pause +/m);
  assert.match(images, /^docker\.io\/kindest\/kindnetd +/m);
  // the node keeps it across a restart, as containerd's store does
  await run('docker', 'restart', 'kind-control-plane');
  assert.match(await run('docker', 'exec', 'kind-control-plane', 'crictl', 'images'), /^docker\.io\/library\/myapp +1\.0 /m);
});
