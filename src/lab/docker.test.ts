// `knetlab docker` as the seeds type it against a lab's kind cluster: ps (table, --format, -a),
// inspect (-f templates, the JSON), network ls|inspect, exec (a tool, bash -c with pipes, a stdin
// script, missing commands), stop/start/pause, port, and docker's errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, runByHand, type CommandIo, type Lab } from './index.js';

const run = (lab: Lab, argv: string[], stdin?: string) => runByHand(lab, argv, stdin === undefined ? {} : { stdin });

const CONFIG = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
  extraPortMappings:
  - containerPort: 31000
    hostPort: 31000
  - containerPort: 31001
    hostPort: 31001
`;

async function cluster(): Promise<Lab> {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster', '--name', 'myk8s', '--config', '-'], CONFIG)).status, 0);
  lab.advance(4 * 60_000 + 5_000);
  return lab;
}

test('docker ps: kind nodes newest first, with the image tag, the cut command, ages and published ports', async () => {
  const lab = await cluster();
  const r = await run(lab, ['docker', 'ps']);
  assert.equal(r.status, 0);
  const lines = r.out.split('\n');
  assert.match(lines[0]!, /^CONTAINER ID   IMAGE                  COMMAND                  CREATED         STATUS         PORTS +NAMES$/);
  assert.match(
    lines[1]!,
    /^[0-9a-f]{12}   kindest\/node:v1\.36\.1   "\/usr\/local\/bin\/entr…"   4 minutes ago   Up 4 minutes   0\.0\.0\.0:31000-31001->31000-31001\/tcp   myk8s-worker$/,
  );
  assert.match(
    lines[2]!,
    /^[0-9a-f]{12}   kindest\/node:v1\.36\.1   "\/usr\/local\/bin\/entr…"   4 minutes ago   Up 4 minutes   127\.0\.0\.1:\d+->6443\/tcp +myk8s-control-plane$/,
  );
  assert.equal(r.journaled, false);
  assert.equal((await run(lab, ['docker', 'ps', '--format', '{{.Names}}'])).out, 'myk8s-worker\nmyk8s-control-plane\n');
  assert.equal((await run(lab, ['docker', 'ps', '-q'])).out.split('\n').filter(Boolean).length, 2);
  assert.equal(
    (await run(lab, ['docker', 'ps', '--filter', 'label=io.x-k8s.kind.role=worker', '--format', '{{.Names}} {{.Labels}}'])).out,
    'myk8s-worker io.x-k8s.kind.cluster=myk8s,io.x-k8s.kind.role=worker\n',
  );
});

test('docker inspect: Go templates over the JSON, the array of documents, and no such object', async () => {
  const lab = await cluster();
  const ips = await run(lab, [
    'docker',
    'inspect',
    '--format',
    '{{.Name}} {{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
    'myk8s-control-plane',
    'myk8s-worker',
  ]);
  assert.deepEqual([ips.status, ips.out], [0, '/myk8s-control-plane 172.18.0.2\n/myk8s-worker 172.18.0.3\n']);
  assert.equal(
    (await run(lab, ['docker', 'inspect', '-f', '{{.NetworkSettings.Networks.kind.IPAddress}}', 'myk8s-worker'])).out,
    '172.18.0.3\n',
  );
  assert.equal(
    (await run(lab, ['docker', 'inspect', '-f', '{{json .Config.Entrypoint}}', 'myk8s-worker'])).out,
    '["/usr/local/bin/entrypoint","/sbin/init"]\n',
  );
  const doc = JSON.parse((await run(lab, ['docker', 'inspect', 'myk8s-control-plane'])).out) as {
    Name: string;
    State: { Pid: number; Running: boolean };
    Config: { Image: string; Labels: Record<string, string> };
    HostConfig: { NetworkMode: string };
  }[];
  assert.equal(doc.length, 1);
  assert.equal(doc[0]!.Name, '/myk8s-control-plane');
  assert.ok(doc[0]!.State.Running && doc[0]!.State.Pid > 0);
  assert.equal(doc[0]!.Config.Image, 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5');
  assert.deepEqual(doc[0]!.Config.Labels, { 'io.x-k8s.kind.cluster': 'myk8s', 'io.x-k8s.kind.role': 'control-plane' });
  assert.equal(doc[0]!.HostConfig.NetworkMode, 'kind');
  assert.deepEqual(await run(lab, ['docker', 'inspect', 'foo']), {
    status: 1,
    out: '[]\n',
    err: 'error: no such object: foo\n',
    journaled: false,
  });
  const bad = await run(lab, ['docker', 'inspect', '-f', '{{.Nope}}', 'myk8s-worker']);
  assert.deepEqual(
    [bad.status, bad.err],
    [1, 'template parsing error: template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"\n'],
  );
  // `docker inspect kind` finds the network when no container has that name.
  assert.equal(
    (await run(lab, ['docker', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}', 'kind'])).out,
    '172.18.0.0/16 172.18.0.1\n',
  );
});

test("docker network ls and inspect kind: the default networks, kind's subnet, gateway and containers", async () => {
  const lab = await cluster();
  const ls = await run(lab, ['docker', 'network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
  assert.equal(ls.out, 'bridge bridge local\nhost host local\nkind bridge local\nnone null local\n');
  assert.match(
    (await run(lab, ['docker', 'network', 'ls'])).out,
    /^NETWORK ID     NAME      DRIVER    SCOPE\n[0-9a-f]{12}   bridge    bridge    local\n/,
  );
  const net = JSON.parse((await run(lab, ['docker', 'network', 'inspect', 'kind'])).out) as {
    Name: string;
    IPAM: { Config: { Subnet: string; Gateway: string }[] };
    Containers: Record<string, { Name: string; IPv4Address: string }>;
  }[];
  assert.deepEqual(net[0]!.IPAM.Config, [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }]);
  assert.deepEqual(
    Object.values(net[0]!.Containers)
      .map((c) => `${c.Name} ${c.IPv4Address}`)
      .sort(),
    ['myk8s-control-plane 172.18.0.2/16', 'myk8s-worker 172.18.0.3/16'],
  );
  assert.deepEqual(await run(lab, ['docker', 'network', 'inspect', 'nope']), {
    status: 1,
    out: '[]\n',
    err: 'Error response from daemon: network nope not found\n',
    journaled: false,
  });
});

test("docker exec: tools on the node, bash -c with pipes and $?, a stdin script, the node image's files", async () => {
  const lab = await cluster();
  const grep = await run(lab, [
    'docker',
    'exec',
    '-it',
    'myk8s-worker',
    'bash',
    '-c',
    'ip link | grep -c LOOPBACK; echo "status $?"; false || echo fallback; echo $(hostname)',
  ]);
  assert.deepEqual([grep.status, grep.out], [0, '1\nstatus 0\nfallback\nmyk8s-worker\n']);
  const heredoc = await run(
    lab,
    ['docker', 'exec', '-i', 'myk8s-control-plane', 'bash'],
    'cat <<EOF | wc -l\na\nb\nEOF\ngrep staticPodPath /var/lib/kubelet/config.yaml\n',
  );
  assert.equal(heredoc.out, '2\nstaticPodPath: /etc/kubernetes/manifests\n');
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/opt/cni/bin/'])).out, 'host-local\nloopback\nportmap\nptp\n');
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'ls', '/etc/kubernetes/manifests'])).out,
    'etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n',
  );
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/etc/kubernetes/manifests'])).out, '');
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'cat', '/etc/hostname'])).out, 'myk8s-worker\n');
  // /proc/sys is the node's sysctl table, both ways.
  assert.equal(
    (
      await run(lab, [
        'docker',
        'exec',
        'myk8s-worker',
        'bash',
        '-c',
        'echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward; sysctl net.ipv4.ip_forward',
      ])
    ).out,
    '1\nnet.ipv4.ip_forward = 1\n',
  );
  // A file written in one exec is there in the next (the node's files persist).
  await run(lab, ['docker', 'exec', 'myk8s-worker', 'bash', '-c', 'echo hello > /root/note; mv /root/note /tmp/note']);
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'cat', '/tmp/note'])).out, 'hello\n');
  // moby's exec environment: PATH, HOSTNAME, TERM for a tty, the container's Env (kind's -e first,
  // then the image's), exec's -e replacing in place, and HOME from runc when still unset
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'env'])).out,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=myk8s-control-plane\nKUBECONFIG=/etc/kubernetes/admin.conf\ncontainer=docker\nHOME=/root\n',
  );
  assert.equal(
    (await run(lab, ['docker', 'exec', '-t', '-e', 'HOSTNAME=x', '-e', 'A=b', 'myk8s-worker', 'env'])).out,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nHOSTNAME=x\nTERM=xterm\ncontainer=docker\nA=b\nHOME=/root\n',
  );
});

test('docker exec: missing commands as bash, dash and runc say them', async () => {
  const lab = await cluster();
  assert.deepEqual(await run(lab, ['docker', 'exec', 'myk8s-worker', 'bash', '-c', 'foo']), {
    status: 127,
    out: '',
    err: 'bash: line 1: foo: command not found\n',
    journaled: true,
  });
  assert.deepEqual(await run(lab, ['docker', 'exec', 'myk8s-worker', 'sh', '-c', 'foo']), {
    status: 127,
    out: '',
    err: 'sh: 1: foo: not found\n',
    journaled: true,
  });
  const direct = await run(lab, ['docker', 'exec', 'myk8s-worker', 'tree', '/etc']);
  assert.deepEqual(
    [direct.status, direct.err],
    [
      127,
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "tree": executable file not found in $PATH: unknown\n',
    ],
  );
  assert.deepEqual(await run(lab, ['docker', 'exec', 'nope', 'ip', 'a']), {
    status: 1,
    out: '',
    err: 'Error response from daemon: No such container: nope\n',
    journaled: true,
  });
  const usage = await run(lab, ['docker', 'exec', 'myk8s-worker']);
  assert.deepEqual(
    [usage.status, usage.err],
    [
      125,
      "docker: 'docker exec' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee 'docker exec --help' for more information\n",
    ],
  );
});

test('docker stop, start, pause: the state docker ps -a shows, exec refused while stopped or paused', async () => {
  const lab = await cluster();
  assert.deepEqual(await run(lab, ['docker', 'stop', 'myk8s-worker']), { status: 0, out: 'myk8s-worker\n', err: '', journaled: true });
  lab.advance(3000);
  assert.equal((await run(lab, ['docker', 'ps', '--format', '{{.Names}}'])).out, 'myk8s-control-plane\n');
  assert.match(
    (await run(lab, ['docker', 'ps', '-a', '--format', '{{.Names}}|{{.Status}}|{{.Ports}}'])).out,
    /^myk8s-worker\|Exited \(130\) 3 seconds ago\|\nmyk8s-control-plane\|Up 4 minutes\|127\.0\.0\.1:\d+->6443\/tcp\n$/,
  );
  const refused = await run(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'a']);
  assert.match(refused.err, /^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
  assert.deepEqual(await run(lab, ['docker', 'start', 'myk8s-worker']), { status: 0, out: 'myk8s-worker\n', err: '', journaled: true });
  assert.equal(
    (await run(lab, ['docker', 'ps', '--format', '{{.Status}}', '--filter', 'name=myk8s-worker'])).out,
    'Up Less than a second\n',
  );
  assert.equal((await run(lab, ['docker', 'pause', 'myk8s-worker'])).status, 0);
  assert.match(
    (await run(lab, ['docker', 'exec', 'myk8s-worker', 'ip', 'a'])).err,
    /^Error response from daemon: Container [0-9a-f]{64} is paused, unpause the container before exec\n$/,
  );
  assert.equal(
    (await run(lab, ['docker', 'ps', '--format', '{{.Status}}', '--filter', 'name=myk8s-worker'])).out,
    'Up Less than a second (Paused)\n',
  );
  assert.equal((await run(lab, ['docker', 'unpause', 'myk8s-worker'])).status, 0);
  const killed = await run(lab, ['docker', 'stop', 'myk8s-worker', '--signal', '9']);
  assert.equal(killed.status, 0);
  assert.match(
    (await run(lab, ['docker', 'ps', '-a', '--format', '{{.Status}}', '--filter', 'name=myk8s-worker'])).out,
    /^Exited \(137\) /,
  );
  assert.deepEqual(await run(lab, ['docker', 'start', 'nope']), {
    status: 1,
    out: '',
    err: 'Error response from daemon: No such container: nope\nfailed to start containers: nope\n',
    journaled: true,
  });
});

test('docker port, unknown commands and flags, and kind delete removing the node containers', async () => {
  const lab = await cluster();
  assert.equal((await run(lab, ['docker', 'port', 'myk8s-worker'])).out, '31000/tcp -> 0.0.0.0:31000\n31001/tcp -> 0.0.0.0:31001\n');
  assert.deepEqual(await run(lab, ['docker', 'ps', '--foo']), {
    status: 125,
    out: '',
    err: "unknown flag: --foo\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n",
    journaled: false,
  });
  assert.deepEqual(await run(lab, ['docker', 'frobnicate']), {
    status: 1,
    out: '',
    err: "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n",
    journaled: true,
  });
  assert.equal((await run(lab, ['kind', 'delete', 'cluster', '--name', 'myk8s'])).status, 0);
  assert.equal((await run(lab, ['docker', 'ps', '-a', '--format', '{{.Names}}'])).out, '');
});

test("ls and tree as GNU ls and tree print them; apt install brings a package's commands", async () => {
  const lab = await cluster();
  // A terminal (-t) gets GNU ls's columns, tabs every 8; a pipe one name a line.
  assert.equal(
    (await run(lab, ['docker', 'exec', '-it', 'myk8s-worker', 'ls', '/opt/cni/bin/'])).out,
    'host-local  loopback  portmap  ptp\n',
  );
  assert.match(
    (await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '-l', '/opt/cni/bin/'])).out,
    /^total 16\n-rwxr-xr-x 1 root root \d+ Jan  1 00:00 host-local\n(-rwxr-xr-x 1 root root \d+ Jan  1 00:00 \S+\n){3}$/,
  );
  assert.deepEqual(await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/nope']), {
    status: 2,
    out: '',
    err: "ls: cannot access '/nope': No such file or directory\n",
    journaled: true,
  });
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'bash', '-c', 'tree /etc/kubernetes/manifests/'])).status, 127);
  const apt = await run(lab, ['docker', 'exec', '-it', 'myk8s-control-plane', 'sh', '-c', 'apt update && apt install tree psmisc -y']);
  assert.equal(apt.status, 0, apt.err);
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'tree', '/etc/kubernetes/'])).out,
    '/etc/kubernetes/\n└── manifests\n    ├── etcd.yaml\n    ├── kube-apiserver.yaml\n    ├── kube-controller-manager.yaml\n    └── kube-scheduler.yaml\n\n1 directory, 4 files\n',
  );
  assert.match(
    (await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'tree', '/proc/sys/net/ipv4/conf/lo'])).out,
    /^\/proc\/sys\/net\/ipv4\/conf\/lo\n├── accept_local\n[^]*└── tag\n\n0 directories, \d+ files\n$/,
  );
  // psmisc's pstree draws the node's process table; its killall is not emulated
  assert.match(
    (await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'pstree'])).out,
    /^systemd-\+-containerd---15\*\[\{containerd\}\]\n/,
  );
  assert.deepEqual(await run(lab, ['docker', 'exec', 'myk8s-control-plane', 'killall', 'x']), {
    status: 127,
    out: '',
    err: 'knetlab: killall is not emulated yet\n',
    journaled: true,
  });
  const bad = await run(lab, ['docker', 'exec', 'myk8s-worker', 'apt-get', 'install', '-y', 'nosuchpkg']);
  assert.deepEqual([bad.status, bad.err], [100, 'E: Unable to locate package nosuchpkg\n']);
  // Another node has not installed anything.
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'tree', '/etc'])).status, 127);
});

test("docker cp: a client file into a node (the seed's missing bridge plugin) and a node file back out", async () => {
  const lab = await cluster();
  const client = new Map<string, Uint8Array>([['bridge', new TextEncoder().encode('ELF bridge')]]);
  const cp = async (...argv: string[]) => {
    const c = { out: '', err: '' };
    const r = await lab.run(['docker', 'cp', ...argv], {
      stdout: (t) => void (c.out += t),
      stderr: (t) => void (c.err += t),
      signal: new AbortController().signal,
      readFile: (p) => client.get(p),
      writeFile: (p, d) => void client.set(p, d),
    });
    return { status: r.status, ...c };
  };
  assert.deepEqual(await cp('bridge', 'myk8s-worker:/opt/cni/bin/bridge'), { status: 0, out: '', err: '' });
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/opt/cni/bin'])).out,
    'bridge\nhost-local\nloopback\nportmap\nptp\n',
  );
  assert.deepEqual(await cp('myk8s-worker:/etc/hostname', '.'), { status: 0, out: '', err: '' });
  assert.equal(new TextDecoder().decode(client.get('./hostname')), 'myk8s-worker\n');
  assert.deepEqual(await cp('myk8s-worker:/root/vxlan.pcap', '.'), {
    status: 1,
    out: '',
    err: 'Error response from daemon: Could not find the file /root/vxlan.pcap in container myk8s-worker\n',
  });
  assert.deepEqual(await cp('nofile', 'myk8s-worker:/tmp/'), { status: 1, out: '', err: 'lstat nofile: no such file or directory\n' });
  assert.deepEqual(await cp('a', 'b'), { status: 1, out: '', err: 'must specify at least one container source\n' });
  assert.deepEqual(await cp('bridge', 'nope:/tmp/'), { status: 1, out: '', err: 'Error response from daemon: No such container: nope\n' });
});

test('docker exec: a redirection to /dev/null, and tcpdump -w writing into the node, where docker cp finds it', async () => {
  const lab = await cluster();
  assert.deepEqual(await run(lab, ['docker', 'exec', 'myk8s-worker', 'sh', '-c', 'echo hidden >/dev/null; cat /dev/null; echo shown']), {
    status: 0,
    out: 'shown\n',
    err: '',
    journaled: true,
  });
  assert.equal((await run(lab, ['docker', 'exec', 'myk8s-worker', 'apt', 'install', '-y', 'tcpdump'])).status, 0);
  const cap = await run(lab, [
    'docker',
    'exec',
    'myk8s-worker',
    'tcpdump',
    '-i',
    'eth0',
    '-c',
    '1',
    '-w',
    '/root/vxlan.pcap',
    'udp',
    'port',
    '8472',
  ]);
  assert.equal(cap.status, 0, cap.err);
  const ls = await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/root']);
  assert.equal(ls.out, 'vxlan.pcap\n');
  const client = new Map<string, Uint8Array>();
  const r = await lab.run(['docker', 'cp', 'myk8s-worker:/root/vxlan.pcap', '.'], {
    stdout: () => {},
    stderr: () => {},
    signal: new AbortController().signal,
    readFile: (p) => client.get(p),
    writeFile: (p, d) => void client.set(p, d),
  });
  assert.equal(r.status, 0);
  // a classic pcap: its magic number, little-endian
  assert.deepEqual([...client.get('./vxlan.pcap')!.slice(0, 4)], [0xd4, 0xc3, 0xb2, 0xa1]);
});

test('docker run on the kind network: the next address, --ip inside the subnet only, name conflicts, --rm', async () => {
  const lab = await cluster();
  const r = await run(lab, [
    'docker',
    'run',
    '-d',
    '--rm',
    '--name',
    'mypc',
    '--network',
    'kind',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^[0-9a-f]{64}\n$/);
  assert.equal((await run(lab, ['docker', 'inspect', '-f', '{{.NetworkSettings.Networks.kind.IPAddress}}', 'mypc'])).out, '172.18.0.4\n');
  assert.equal(
    (await run(lab, ['docker', 'ps', '--format', '{{.Names}} {{.Image}} {{.Command}}'])).out.split('\n')[0],
    'mypc nicolaka/netshoot "sleep infinity"',
  );
  const bad = await run(lab, [
    'docker',
    'run',
    '-d',
    '--rm',
    '--name',
    'mypc2',
    '--network',
    'kind',
    '--ip',
    '172.20.0.200',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.deepEqual(
    [bad.status, bad.err],
    [
      125,
      "docker: Error response from daemon: invalid address 172.20.0.200: It does not belong to any of this network's subnets\n\nRun 'docker run --help' for more information\n",
    ],
  );
  const ip = await run(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'mypc2',
    '--network',
    'kind',
    '--ip',
    '172.18.0.200',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.equal(ip.status, 0);
  assert.equal(
    (await run(lab, ['docker', 'inspect', '-f', '{{.NetworkSettings.Networks.kind.IPAddress}}', 'mypc2'])).out,
    '172.18.0.200\n',
  );
  const dup = await run(lab, ['docker', 'run', '-d', '--name', 'mypc', '--network', 'kind', 'nicolaka/netshoot', 'sleep', 'infinity']);
  assert.equal(dup.status, 125);
  assert.match(
    dup.err,
    /^docker: Error response from daemon: Conflict\. The container name "\/mypc" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\.\n\nRun 'docker run --help' for more information\n$/,
  );
  // netshoot's shell and tools; zsh -c as the seeds use it.
  assert.equal((await run(lab, ['docker', 'exec', '-it', 'mypc', 'zsh', '-c', 'for i in 1 2; do echo $i; done | wc -l'])).out, '2\n');
  // Each is a host on the kind network: eth0 with its address and Docker's MAC, the gateway's default route, the nodes in reach.
  assert.match(
    (await run(lab, ['docker', 'exec', 'mypc2', 'ip', '-br', 'addr', 'show', 'eth0'])).out,
    /^eth0@if\d+ +UP +172\.18\.0\.200\/16 /,
  );
  assert.match(
    (await run(lab, ['docker', 'exec', 'mypc2', 'ip', 'link', 'show', 'eth0'])).out,
    /link\/ether 02:42:ac:12:00:c8 brd ff:ff:ff:ff:ff:ff/,
  );
  assert.equal(
    (await run(lab, ['docker', 'exec', 'mypc', 'ip', 'route'])).out,
    'default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.4 \n',
  );
  assert.match(
    (await run(lab, ['docker', 'exec', 'mypc', 'ping', '-c', '1', '172.18.0.200'])).out,
    /1 packets transmitted, 1 received, 0% packet loss/,
  );
  // A container that ignores SIGTERM is killed after the 10 s timeout; --rm removes it.
  const t0 = lab.clock.now();
  assert.equal((await run(lab, ['docker', 'stop', 'mypc'])).out, 'mypc\n');
  assert.equal(lab.clock.now() - t0, 10_000);
  assert.equal((await run(lab, ['docker', 'ps', '-a', '--format', '{{.Names}}'])).out, 'mypc2\nmyk8s-worker\nmyk8s-control-plane\n');
  // Attached: the command's output, its status, then the container is gone with --rm.
  assert.deepEqual(await run(lab, ['docker', 'run', '--rm', '--network', 'kind', 'busybox', 'sh', '-c', 'echo hi; exit 3']), {
    status: 3,
    out: 'hi\n',
    err: '',
    journaled: true,
  });
});

test('a journal replay rebuilds the daemon: the same IDs, states and files in the node', async () => {
  const lab = standardLab();
  const records = [];
  const io = (stdin?: string): CommandIo => ({
    stdout() {},
    stderr() {},
    readFile: () => undefined,
    writeFile() {},
    signal: new AbortController().signal,
    ...(stdin ? { stdin: new TextEncoder().encode(stdin) } : {}),
  });
  for (const [argv, stdin] of [
    [['kind', 'create', 'cluster', '--config', '-'], CONFIG],
    [['docker', 'ps']],
    [['docker', 'run', '-d', '--name', 'mypc', '--network', 'kind', 'nicolaka/netshoot', 'sleep', 'infinity']],
    [['docker', 'exec', 'kind-worker', 'bash', '-c', 'echo kept > /root/note']],
    [['docker', 'stop', 'kind-worker']],
  ] as [string[], string?][]) {
    const r = await lab.run(argv, io(stdin));
    if (r.record) records.push(r.record);
  }
  const again = standardLab();
  for (const r of records) await again.replay(r);
  const ps = ['docker', 'ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.Status}}'];
  assert.equal((await run(again, ps)).out, (await run(lab, ps)).out);
  await run(again, ['docker', 'start', 'kind-worker']);
  assert.equal((await run(again, ['docker', 'exec', 'kind-worker', 'cat', '/root/note'])).out, 'kept\n');
});

test("chown in a node checks as GNU chown does: seed 000's 'chown root root FILE' changes /root and FILE (both exist), an unknown user or a missing file fails", async () => {
  const lab = standardLab();
  assert.equal((await run(lab, ['kind', 'create', 'cluster', '--name', 'myk8s'])).status, 0);
  const chown = (...args: string[]) => run(lab, ['docker', 'exec', 'myk8s-control-plane', 'chown', ...args]);
  assert.deepEqual(await chown('root', 'root', '/opt/cni/bin/ptp'), { status: 0, out: '', err: '', journaled: true });
  assert.equal((await chown('root:root', '/opt/cni/bin/ptp')).status, 0);
  const missing = await chown('root:root', '/opt/cni/bin/bridge', '/opt/cni/bin/ptp');
  assert.deepEqual([missing.status, missing.err], [1, "chown: cannot access '/opt/cni/bin/bridge': No such file or directory\n"]);
  assert.deepEqual(
    [(await chown('bob', '/opt/cni/bin/ptp')).err, (await chown('root:wheel', '/opt/cni/bin/ptp')).err],
    ["chown: invalid user: 'bob'\n", "chown: invalid group: 'root:wheel'\n"],
  );
  assert.equal((await chown('root')).err, "chown: missing operand after 'root'\nTry 'chown --help' for more information.\n");
});

test('docker run --cap-add/--cap-drop: accepted, normalised as docker/cli sends them and shown in HostConfig; an unknown capability refused by the daemon', async () => {
  const lab = await cluster();
  const r = await run(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'router',
    '--network',
    'kind',
    '--cap-add',
    'NET_ADMIN',
    '--cap-add=sys_time',
    '--cap-drop',
    'CAP_MKNOD',
    '--cap-drop',
    'net_admin',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.equal(r.status, 0, r.err);
  const caps = await run(lab, ['docker', 'inspect', '-f', '{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}}', 'router']);
  // added wins over dropped; CAP_ before each; sorted
  assert.equal(caps.out, '["CAP_NET_ADMIN","CAP_SYS_TIME"] ["CAP_MKNOD"]\n');
  const none = await run(lab, [
    'docker',
    'inspect',
    '-f',
    '{{json .HostConfig.CapAdd}} {{json .HostConfig.CapDrop}}',
    'myk8s-control-plane',
  ]);
  assert.equal(none.out, 'null null\n');
  const bad = await run(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'xx',
    '--network',
    'kind',
    '--cap-add',
    'NET_FOO',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.deepEqual(
    [bad.status, bad.err],
    [
      125,
      'docker: Error response from daemon: invalid CapAdd: unknown capability: "CAP_NET_FOO"\n\nRun \'docker run --help\' for more information\n',
    ],
  );
  const badDrop = await run(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'xx',
    '--network',
    'kind',
    '--cap-drop',
    'bogus',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.equal(badDrop.err.split('\n')[0], 'docker: Error response from daemon: invalid CapDrop: unknown capability: "CAP_BOGUS"');
  assert.equal((await run(lab, ['docker', 'ps', '-a', '--format', '{{.Names}}'])).out.includes('xx\n'), false, 'nothing was created');
  const all = await run(lab, [
    'docker',
    'run',
    '-d',
    '--name',
    'all',
    '--network',
    'kind',
    '--cap-add',
    'all',
    '--cap-add',
    'NET_RAW',
    'nicolaka/netshoot',
    'sleep',
    'infinity',
  ]);
  assert.equal(all.status, 0, all.err);
  assert.equal((await run(lab, ['docker', 'inspect', '-f', '{{json .HostConfig.CapAdd}}', 'all'])).out, '["ALL"]\n');
});

test('docker cp of a directory: out of a node into a new, an existing (by its name, or its contents with /.) client directory; in likewise; onto a file refused', async () => {
  const lab = await cluster();
  const cp = async (files: Record<string, string>, ...argv: string[]) => {
    const c = captured({ files });
    const r = await lab.run(['docker', 'cp', ...argv], c);
    return { status: r.status, err: c.err, written: [...c.written.keys()].sort(), made: [...c.made].sort(), c };
  };
  // a missing DEST becomes the copy of the directory
  const fresh = await cp({}, 'myk8s-worker:/etc/cni/net.d', 'netd');
  assert.deepEqual([fresh.status, fresh.err, fresh.written], [0, '', ['netd/10-kindnet.conflist']]);
  assert.match(new TextDecoder().decode(fresh.c.written.get('netd/10-kindnet.conflist')), /"type": "ptp"/);
  // an existing directory gets it by its name, or its contents with /.
  assert.deepEqual((await cp({ 'out/keep': '' }, 'myk8s-worker:/etc/cni/net.d', 'out')).written, ['out/net.d/10-kindnet.conflist']);
  assert.deepEqual((await cp({ 'out/keep': '' }, 'myk8s-worker:/etc/cni/net.d/.', 'out')).written, ['out/10-kindnet.conflist']);
  assert.deepEqual(await cp({ here: 'x' }, 'myk8s-worker:/etc/cni', 'here').then((r) => [r.status, r.err]), [1, 'cannot copy directory\n']);
  // into a node: a client tree under an existing directory, by its name
  const into = await cp({ 'plugins/bridge': 'ELF bridge', 'plugins/extra/flannel': 'ELF flannel' }, 'plugins', 'myk8s-worker:/opt');
  assert.deepEqual([into.status, into.err], [0, '']);
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-worker', 'cat', '/opt/plugins/bridge', '/opt/plugins/extra/flannel'])).out,
    'ELF bridgeELF flannel',
  );
  // its contents into /opt/cni/bin with /.: the missing bridge plugin is back
  assert.equal((await cp({ 'plugins/bridge': 'ELF bridge' }, 'plugins/.', 'myk8s-worker:/opt/cni/bin')).status, 0);
  assert.equal(
    (await run(lab, ['docker', 'exec', 'myk8s-worker', 'ls', '/opt/cni/bin'])).out,
    'bridge\nhost-local\nloopback\nportmap\nptp\n',
  );
  assert.deepEqual(await cp({ 'plugins/bridge': '' }, 'plugins', 'myk8s-worker:/etc/hostname').then((r) => [r.status, r.err]), [
    1,
    'cannot copy directory\n',
  ]);
});
