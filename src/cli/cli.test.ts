// knetlab sh end to end: the built command line (a client of the lab server it starts), a
// persistent host under a temporary KNETLAB_HOME, bash -e semantics, and bad input that leaves
// stored state untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { kubectlExecReads } from './client.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.js');
const home = mkdtempSync(join(tmpdir(), 'knetlab-cli-'));
after(() => {
  knetlab('server', 'stop');
  rmSync(home, { recursive: true, force: true });
});

function knetlab(...args: string[]): { stdout: string; stderr: string; status: number } {
  return knetlabWith(undefined, ...args);
}

/** knetlab with `input` as its stdin (a pipe that ends). */
function knetlabWith(input: string | undefined, ...args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    env: { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' },
    cwd: home,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

test('knetlab sh keeps a host between invocations', () => {
  assert.equal(knetlab('sh', '--reset', '-c', 'ip netns add test-ns').status, 0);
  assert.equal(knetlab('sh', '-c', 'ip link add veth1 netns test-ns type veth peer name veth2 netns 1').status, 0);
  const r = knetlab('sh', '-c', 'ip netns exec test-ns ip link list');
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^2: veth1@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link\/ether ([0-9a-f]{2}:){5}[0-9a-f]{2} brd ff:ff:ff:ff:ff:ff link-netnsid 0$/m,
  );
  // The same MAC every time: the replayed journal rebuilds the same world.
  assert.equal(knetlab('sh', '-c', 'ip netns exec test-ns ip link list').stdout, r.stdout);
});

test('knetlab sh stops at the first failing command with its status and the real message', () => {
  const r = knetlab(
    'sh',
    '--host',
    'fail',
    '--reset',
    '-c',
    'ip link add br0 type bridge; ip addr add 10.0.0.300/24 dev br0; ip link set br0 up',
  );
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'Error: any valid prefix is expected rather than "10.0.0.300/24".\n');
  // br0 exists (the first command ran) and is still down (the third did not).
  assert.match(knetlab('sh', '--host', 'fail', '-c', 'ip link show br0').stdout, /<BROADCAST,MULTICAST> .* state DOWN/);
});

test('knetlab sh rejects bad invocations clearly and leaves the stored host alone', () => {
  knetlab('sh', '--host', 'keep', '--reset', '-c', 'ip netns add a');
  const journal = () => readFileSync(join(home, 'journal.jsonl'), 'utf8');
  const before = journal();
  const bad = knetlab('sh', '--host', 'keep', '--bogus');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^knetlab sh: unknown option "--bogus"/);
  const badName = knetlab('sh', '--host', '../etc', '-c', 'ip link');
  assert.equal(badName.status, 2);
  assert.match(badName.stderr, /invalid host name "\.\.\/etc"/);
  const unknown = knetlab('sh', '--host', 'keep', '-c', 'ifconfig -a');
  assert.equal(unknown.status, 127);
  assert.equal(unknown.stderr, 'bash: line 1: ifconfig: command not found\n');
  assert.equal(knetlab('sh', '--host', 'keep', '-c', 'ip netns list').stdout, 'a\n');
  // What was stored before the failures is still there, in order.
  assert.equal(journal().slice(0, before.length), before);
});

test('knetlab sh writes tcpdump captures to disk', () => {
  const r = knetlab(
    'sh',
    '--host',
    'cap',
    '--reset',
    '-c',
    [
      'ip netns add a',
      'ip link add veth0 type veth peer name eth0 netns a',
      'ip link set veth0 up',
      'ip addr add 10.9.0.1/24 dev veth0',
      'ip netns exec a ip link set eth0 up',
      'ip netns exec a ip addr add 10.9.0.2/24 dev eth0',
      'ping -c 1 10.9.0.2',
      'tcpdump -c 2 -i veth0 -nn -w cap.pcap',
    ].join('; '),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(home, 'cap.pcap')));
  assert.equal(readFileSync(join(home, 'cap.pcap')).readUInt32LE(0), 0xa1b2c3d4);
});

test('knetlab with no command prints usage and exits 2', () => {
  const r = knetlab();
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^usage: knetlab <command>/);
});

test('knetlab sh replays a restore from a file written in an earlier run', () => {
  const write = knetlab(
    'sh',
    '--host',
    'restore',
    '--reset',
    '-c',
    "echo '*filter' > r.rules; echo '-A INPUT -s 10.1.2.3/32 -j DROP' >> r.rules; echo COMMIT >> r.rules; iptables-restore r.rules",
  );
  assert.equal(write.status, 0, write.stderr);
  rmSync(join(home, 'r.rules'));
  // The rules come back on the next invocation although the file is gone: the journal kept what was read.
  assert.match(knetlab('sh', '--host', 'restore', '-c', 'iptables -S INPUT').stdout, /^-A INPUT -s 10\.1\.2\.3\/32 -j DROP$/m);
});

test('knetlab sh keeps the host across a server restart, and --no-server runs in this process', () => {
  assert.equal(knetlab('sh', '--host', 'again', '--reset', '-c', 'ip link add br9 type bridge').status, 0);
  const before = knetlab('sh', '--host', 'again', '-c', 'ip link show br9').stdout;
  assert.match(before, /br9/);
  assert.equal(knetlab('server', 'stop').status, 0);
  assert.equal(knetlab('server', 'status').stdout, 'knetlab server: not running\n');
  const local = knetlab('sh', '--no-server', '--host', 'again', '-c', 'ip link show br9');
  assert.equal(local.stdout, before, local.stderr);
  assert.equal(knetlab('sh', '--host', 'again', '-c', 'ip link show br9').stdout, before);
  assert.match(knetlab('server', 'status').stdout, /^knetlab server: running \(pid \d+\)/);
  const refused = knetlab('sh', '--no-server', '-c', 'ip link');
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /a lab server runs for .*; stop it first/);
});

test('kubectlExecReads: kubectl exec -i reads a piped stdin always, a terminal only for a shell without -c', () => {
  assert.equal(kubectlExecReads(['kubectl', 'exec', '-i', 'p', '--', 'sh'], false), true);
  assert.equal(kubectlExecReads(['kubectl', 'exec', '-it', 'p', '--', 'ip', 'a'], false), true);
  assert.equal(kubectlExecReads(['kubectl', 'exec', '-it', 'p', '--', 'ip', 'a'], true), false);
  assert.equal(kubectlExecReads(['kubectl', 'exec', '-ti', 'p', '--', 'zsh'], true), true);
  assert.equal(kubectlExecReads(['kubectl', 'exec', '-it', 'p', '--', 'bash', '-c', 'ls'], true), false);
  assert.equal(kubectlExecReads(['kubectl', 'exec', 'p', '--', 'sh'], false), false);
  assert.equal(kubectlExecReads(['kubectl', '-n', 'x', 'exec', '-c', 'ci', 'p', '--', 'sh'], false), false, '-c takes "ci" as its value');
  assert.equal(kubectlExecReads(['kubectl', 'get', '-i'], false), false);
});

test("knetlab sh -c 'iptables-restore' < FILE: the script's stdin reaches the command that reads it, through the server or not, and is replayed", () => {
  const rules = '*nat\n:KUBE-STDIN - [0:0]\n-A KUBE-STDIN -j RETURN\nCOMMIT\n';
  let r = knetlabWith(rules, 'sh', '--host', 'stdin', '-c', 'iptables-restore');
  assert.equal(r.status, 0, r.stderr);
  knetlab('server', 'stop');
  r = knetlabWith(
    rules.replace('RETURN', 'ACCEPT'),
    'sh',
    '--no-server',
    '--host',
    'stdin2',
    '-c',
    'iptables-restore; iptables -t nat -S KUBE-STDIN',
  );
  assert.deepEqual([r.status, r.stdout, r.stderr], [0, '-N KUBE-STDIN\n-A KUBE-STDIN -j ACCEPT\n', '']);
  // a fresh server replays the journal: the restore again, from the stdin it kept
  r = knetlab('sh', '--host', 'stdin', '-c', 'iptables -t nat -S KUBE-STDIN');
  assert.deepEqual([r.status, r.stdout], [0, '-N KUBE-STDIN\n-A KUBE-STDIN -j RETURN\n']);
});
