// The process tools' table formats against the seed's own outputs (seed 000 lsns -p 1650, crictl ps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeProcesses } from '../../node/index.js';
import { pgrep, ps, pstree, smartcolsTable, tabwriter } from './index.js';

const LSNS = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'].map((name) => ({
  name,
  hint: { NS: 10, TYPE: 5, NPROCS: 5, PID: 5 }[name] ?? 0,
  right: ['NS', 'NPROCS', 'PID'].includes(name),
}));

test('lsns widths: PID widens to its hint of 5 once a cell is wider than the header (seed 000 lsns -p 1650), not when all are narrower (lsns -p 1)', () => {
  assert.equal(
    smartcolsTable(LSNS, [
      ['4026531834', 'time', '17', '1', 'root', '/sbin/init'],
      ['4026532923', 'cgroup', '15', '1', 'root', '/sbin/init'],
      ['4026533599', 'net', '2', '1650', '65535', '/pause'],
    ]),
    '        NS TYPE   NPROCS   PID USER  COMMAND\n4026531834 time       17     1 root  /sbin/init\n4026532923 cgroup     15     1 root  /sbin/init\n4026533599 net         2  1650 65535 /pause\n',
  );
  // TYPE too: "time" and "net" fit the header, yet one is as wide as it, so the hint (5) applies
  assert.match(smartcolsTable(LSNS, [['4026531834', 'time', '17', '1', 'root', '/sbin/init']]), /^ {8}NS TYPE  NPROCS/);
  assert.equal(
    smartcolsTable(LSNS, [
      ['4026531834', 'time', '17', '1', 'root', '/sbin/init'],
      ['4026532923', 'cgroup', '15', '1', 'root', '/sbin/init'],
    ]),
    '        NS TYPE   NPROCS PID USER COMMAND\n4026531834 time       17   1 root /sbin/init\n4026532923 cgroup     15   1 root /sbin/init\n',
  );
});

test('crictl tabwriter: cells padded to max(20, widest + 3), the last one bare (seed 000 crictl ps)', () => {
  assert.equal(
    tabwriter([
      ['CONTAINER', 'IMAGE', 'CREATED', 'NAME'],
      ['c1ee2fe4ca048', 'e286c635d1232', 'About a minute ago', 'myweb2-netshoot'],
    ]),
    'CONTAINER           IMAGE               CREATED              NAME\nc1ee2fe4ca048       e286c635d1232       About a minute ago   myweb2-netshoot\n',
  );
});

/** A node's table with one hostNetwork pod (kube-proxy) and one pod of two containers (seed 000's myweb2). */
function table(): NodeProcesses {
  let now = Date.UTC(2026, 0, 1, 9, 23);
  const t = new NodeProcesses({ node: 'myk8s-worker', cluster: 'myk8s', ip: '172.18.0.3', index: 1, now: () => now });
  const pod = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec,
  });
  t.sandboxStarted({
    pod: pod('kube-proxy-x', {
      hostNetwork: true,
      containers: [
        {
          name: 'kube-proxy',
          image: 'registry.k8s.io/kube-proxy:v1.36.1',
          command: ['/usr/local/bin/kube-proxy', '--hostname-override=$(NODE_NAME)'],
          env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
      ],
      nodeName: 'myk8s-worker',
    }),
    sandboxId: 'a'.repeat(64),
    netns: undefined,
    containers: [{ name: 'kube-proxy', id: 'b'.repeat(64), image: 'registry.k8s.io/kube-proxy:v1.36.1' }],
  });
  now += 60_000;
  t.sandboxStarted({
    pod: pod('myweb2', {
      containers: [
        { name: 'myweb2-nginx', image: 'nginx' },
        {
          name: 'myweb2-netshoot',
          image: 'nicolaka/netshoot',
          command: ['/bin/bash'],
          args: ['-c', 'while true; do sleep 5; curl localhost; done'],
        },
      ],
    }),
    sandboxId: 'c'.repeat(64),
    netns: 'cni-1234',
    containers: [
      { name: 'myweb2-nginx', id: 'd'.repeat(64), image: 'nginx' },
      { name: 'myweb2-netshoot', id: 'e'.repeat(64), image: 'nicolaka/netshoot' },
    ],
  });
  return t;
}

test('pstree: psmisc ASCII art, sorted by name, threads and equal siblings merged, -p -S namespace marks', () => {
  const t = table();
  const plain = pstree(t, []).stdout;
  assert.match(
    plain,
    /^systemd-\+-containerd---15\*\[\{containerd\}\]\n        \|-containerd-shim-\+-kube-proxy---8\*\[\{kube-proxy\}\]\n        \|                 \|-pause\n        \|                 `-11\*\[\{containerd-shim\}\]\n        \|-containerd-shim-\+-bash\n        \|                 \|-nginx---4\*\[nginx\]\n        \|                 \|-pause\n        \|                 `-11\*\[\{containerd-shim\}\]\n        \|-kubelet---15\*\[\{kubelet\}\]\n        `-systemd-journal\n$/,
  );
  // without -a, PIDs and namespace marks go in parentheses
  const p = pstree(t, ['-pS']).stdout;
  assert.match(p, /^systemd\(1\)-\+-containerd\(109\)-\+-\{containerd\}\(110\)\n {11}\| {17}\|-\{containerd\}\(111\)\n/);
  assert.match(p, /\n {11}\|-containerd-shim\(\d+\)-\+-bash\(\d+,cgroup,ipc,mnt,net,pid,uts\)\n/);
  const ns = pstree(t, ['-aclnpsS']).stdout;
  // pause makes ipc/mnt/net/pid/uts apart from its shim; a hostNetwork pod's pause keeps the node's net and uts
  assert.match(ns, /\n  \|   \|-pause,\d+,ipc,mnt,pid\n/);
  assert.match(ns, /\n      \|-pause,\d+,ipc,mnt,net,pid,uts\n/);
  // nginx rewrote its command line into one title: -a has no arguments to show
  assert.match(ns, /\n      \|-nginx,\d+,cgroup,ipc,mnt,net,pid,uts\n/);
  assert.match(ns, /\n  \|   `-kube-proxy,\d+,cgroup,ipc,mnt,pid --hostname-override=myk8s-worker\n/);
});

test('ps afxuwww: procps forest art under each shim; ps -ef STIME as HH:MM', () => {
  const t = table();
  const out = ps(t, ['afxuwww']).stdout.split('\n');
  assert.equal(out[0], 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
  // procps-ng 4: PID 1's children hang under it like any others
  assert.match(out[2]!, /^root +96 .* \\_ \/lib\/systemd\/systemd-journald$/);
  assert.match(ps(t, ['afx']).stdout, /^ {4}PID TTY {6}STAT {3}TIME COMMAND\n {6}1 \? {8}Ss {5}0:00 \/sbin\/init\n/);
  assert.ok(out.some((l) => / {2}\\_ \/pause$/.test(l)));
  assert.ok(
    out.some((l) => / \|   \\_ nginx: worker process$/.test(l)),
    out.join('\n'),
  );
  assert.ok(out.some((l) => / {2}\\_ \/bin\/bash -c while true; do sleep 5; curl localhost; done$/.test(l)));
  assert.match(ps(t, ['-ef']).stdout, /\nroot +\d+ +\d+  0 09:24 \? +00:00:00 nginx: master process nginx -g daemon off;\n/);
  assert.deepEqual(pgrep(t, ['-f', 'curl']).stdout.split('\n').length, 2);
  assert.equal(pgrep(t, ['nomatch']).status, 1);
});
