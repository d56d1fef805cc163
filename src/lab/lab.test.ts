import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argvReads, Lab, standardLab, captured, type JournalRecord } from './index.js';

const io = (files: Record<string, string> = {}, signal?: AbortSignal) => captured({ files, ...(signal ? { signal } : {}) });

async function sh(lab: Lab, script: string, host = 'default') {
  const c = io();
  const r = await lab.run(['sh', '--host', host, '-c', script], c);
  return { ...r, out: c.out, err: c.err };
}

test('Lab.run() keeps a host between invocations and stops a script at the first failure', async () => {
  const lab = standardLab();
  assert.equal((await sh(lab, 'ip link add br0 type bridge')).status, 0);
  const r = await sh(lab, 'ip link set br0 up; ip addr add 10.0.0.300/24 dev br0; ip link set br0 down');
  assert.equal(r.status, 1);
  assert.equal(r.err, 'Error: any valid prefix is expected rather than "10.0.0.300/24".\n');
  assert.match((await sh(lab, 'ip link show br0')).out, /state UP|state UNKNOWN|<BROADCAST,MULTICAST,UP/);
});

test('the hosts of a lab share one clock: sleep on one ages the neighbours of another', async () => {
  const lab = standardLab();
  await sh(lab, 'ip link add v0 type veth peer name v1', 'b');
  await sh(lab, 'sleep 61', 'a');
  assert.equal(lab.host('b').kernel.clock.now(), lab.clock.now());
  assert.ok(lab.clock.now() >= 61_000);
});

test('only invocations that may change state come back with a journal record', async () => {
  const lab = standardLab();
  assert.notEqual((await sh(lab, 'ip link add br0 type bridge')).record, undefined);
  assert.equal((await sh(lab, 'ip link; ip -j addr show; iptables-save; ip netns exec x ip route')).record, undefined);
  assert.notEqual((await sh(lab, 'ip link; sleep 1')).record, undefined);
  assert.notEqual((await sh(lab, 'echo 1 > /proc/sys/net/ipv4/ip_forward')).record, undefined);
});

test('replaying the records on a fresh lab rebuilds the same world, reading the files the commands read then', async () => {
  const first = standardLab();
  const records: JournalRecord[] = [];
  const files = {
    'setup.sh': 'ip netns add a\nip link add v0 type veth peer name v1 netns a\nsleep 5\n',
    'rules.txt': '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n',
  };
  for (const argv of [
    ['sh', 'setup.sh'],
    ['sh', '-c', 'iptables-restore rules.txt; ip link set v0 up'],
    ['sh', '--host', 'other', '-c', 'ip link add d0 type bridge'],
  ]) {
    const r = await first.run(argv, io(files));
    assert.equal(r.status, 0);
    records.push(r.record!);
  }
  assert.deepEqual(Object.keys(records[0]!.reads), ['setup.sh']);
  const second = standardLab();
  for (const r of records) assert.equal(await second.replay(JSON.parse(JSON.stringify(r)) as JournalRecord), 0);
  for (const script of ['ip link; ip netns exec a ip link; iptables-save']) {
    assert.equal((await sh(second, script)).out, (await sh(first, script)).out);
  }
  assert.equal((await sh(second, 'ip link', 'other')).out, (await sh(first, 'ip link', 'other')).out);
  assert.equal(second.clock.now(), first.clock.now());
});

test('with a front end that keeps blobs, a large input is named by content and replays from the blob; a small one stays inline', async () => {
  const rules = `*filter\n${Array.from({ length: 200 }, (_, i) => `-A INPUT -s 10.0.${i}.0/24 -j DROP\n`).join('')}COMMIT\n`;
  assert.ok(rules.length >= 4096);
  const files = { 'big.rules': rules, 'small.sh': 'ip link add d0 type dummy\n' };
  const stored = new Map<string, Uint8Array>();
  const keep = (data: Uint8Array) => {
    const name = String(stored.size).padStart(64, '0'); // any BLOB_NAME: the front end chooses
    stored.set(name, data);
    return name;
  };
  const first = standardLab();
  const records: JournalRecord[] = [];
  for (const argv of [
    ['sh', 'small.sh'],
    ['sh', '-c', 'iptables-restore --noflush big.rules'],
    ['sh', '-c', 'iptables-restore'],
  ]) {
    const c = captured({ files, ...(argv.length === 3 && argv[2] === 'iptables-restore' ? { stdin: rules } : {}) });
    const r = await first.run(argv, { ...c, keep });
    assert.equal(r.status, 0, c.err);
    records.push(JSON.parse(JSON.stringify(r.record)) as JournalRecord);
  }
  assert.deepEqual(Object.keys(records[0]!.reads), ['small.sh']);
  assert.equal(records[0]!.blobs, undefined);
  assert.deepEqual(records[1]!.reads, {});
  assert.deepEqual(records[1]!.blobs, { 'big.rules': '0'.repeat(64) });
  assert.equal(records[2]!.stdin, undefined);
  assert.equal(records[2]!.stdinBlob, `${'0'.repeat(63)}1`);
  const second = standardLab();
  for (const r of records) assert.equal(await second.replay(r, (name) => stored.get(name)!), 0);
  assert.equal(
    (await sh(second, 'iptables-save')).out.replace(/^#.*\n/gm, ''),
    (await sh(first, 'iptables-save')).out.replace(/^#.*\n/gm, ''),
  );
  assert.match((await sh(second, 'iptables -S INPUT | wc -l')).out, /^201$/m); // the last restore (stdin) flushed the first
  // without the store the record cannot be replayed, and says so by failing rather than reading nothing
  assert.equal(await standardLab().replay(records[1]!), 70);
});

test('a bad invocation says what is wrong and changes nothing', async () => {
  const lab = standardLab();
  const c = io();
  assert.deepEqual(await lab.run(['nope'], c), { status: 2 });
  assert.equal(c.err, 'knetlab: unknown command "nope"\n');
  const d = io();
  const r = await lab.run(['sh', '--host', 'a/b', '-c', 'ip link'], d);
  assert.equal(r.status, 2);
  assert.equal(d.err, `knetlab: invalid host name "a/b": use letters, digits, '.', '_' and '-' (at most 63)\n`);
  const e = io();
  assert.equal((await lab.run(['sh', 'missing.sh'], e)).status, 2);
  assert.equal(e.err, 'knetlab sh: cannot read script "missing.sh": No such file or directory\n');
  assert.deepEqual(lab.hostNames(), []);
});

test('Lab.wait() moves a manual clock at once and follows advance() on a live one', async () => {
  const lab = new Lab();
  assert.equal(await lab.wait(1000), true);
  assert.equal(lab.clock.now(), 1000);
  lab.liveClock = true;
  let done: boolean | undefined;
  void lab.wait(500).then((v) => (done = v));
  lab.advance(499);
  await Promise.resolve();
  assert.equal(done, undefined);
  lab.advance(1);
  await Promise.resolve();
  assert.equal(done, true);
  const stop = new AbortController();
  const waiting = lab.wait(10_000, stop.signal);
  stop.abort();
  assert.equal(await waiting, false);
});

test('an interrupted invocation records when, and its replay is interrupted at that virtual time', async () => {
  const lab = new Lab([
    {
      name: 'tick',
      mutates: () => true,
      async run(l, _argv, cio) {
        let n = 0;
        while (await l.wait(1000, cio.signal)) n++;
        cio.stdout(`${n}\n`);
        return 0;
      },
    },
  ]);
  lab.liveClock = true;
  const stop = new AbortController();
  const c = io({}, stop.signal);
  const running = lab.run(['tick'], c);
  await lab.advanceStepwise(3500, () => new Promise((r) => setImmediate(r)));
  stop.abort();
  const r = await running;
  assert.equal(c.out, '3\n');
  assert.equal(r.record!.until, 3500);
  const again = new Lab([{ name: 'tick', mutates: () => true, run: lab.family('tick')!.run }]);
  await again.replay(r.record!);
  assert.equal(again.clock.now(), 3500);
});

test('argvReads() knows the listing forms of the tools and nothing else', () => {
  const reads = [
    'ip link',
    'ip -j -d link show dev eth0',
    'ip -n a addr',
    'ip route get 1.1.1.1',
    'ip netns exec a ip neigh',
    'bridge fdb show',
    'iptables -t nat -S',
    'iptables -nvL',
    'ipset list',
    'ipvsadm -Ln',
    'conntrack -L',
    'sysctl net.ipv4.ip_forward',
    'tcpdump -i eth0 -w x.pcap',
    'cat /proc/sys/net/ipv4/ip_forward',
  ];
  const writes = [
    'ip link add x type dummy',
    'ip -batch -',
    'ip netns add a',
    'ip netns exec a ip link set lo up',
    'iptables -L -Z',
    'iptables -A INPUT -j DROP',
    'ipvsadm -A -t 1.1.1.1:80',
    'sysctl -w a.b=1',
    'sysctl a.b=1',
    'ping -c 1 1.1.1.1',
    'curl 1.1.1.1',
    'sleep 1',
    'conntrack -F',
    'iptables-restore',
    'frobnicate',
  ];
  for (const c of reads) assert.equal(argvReads(c.split(' ')), true, c);
  for (const c of writes) assert.equal(argvReads(c.split(' ')), false, c);
});

test('kind in the lab: create cluster is journaled, and a replay rebuilds the same cluster', async () => {
  const config = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n';
  const lab = standardLab();
  const c = io({ 'kind.yaml': config });
  const r = await lab.run(['kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s'], c);
  assert.equal(r.status, 0);
  assert.ok(r.record, 'create is journaled');
  assert.deepEqual(Object.keys(r.record.reads), ['kind.yaml']);
  const get = io();
  const g = await lab.run(['kind', 'get', 'nodes', '--name', 'myk8s'], get);
  assert.equal(g.record, undefined, 'get only reads');
  assert.equal(get.out, 'myk8s-worker\nmyk8s-control-plane\n');
  const again = standardLab();
  assert.equal(await again.replay(r.record), 0);
  const names = (l: Lab) =>
    l.kind
      .get('myk8s')!
      .cluster.store.list('pods', undefined)
      .items.map((p) => `${p.metadata.name}@${(p.spec as { nodeName?: string }).nodeName}`);
  assert.deepEqual(names(again), names(lab));
  assert.equal(again.kind.currentContext, 'kind-myk8s');
});

test('knetlab sh pipes the emulated tools into the text tools, and a pipeline only of readers is not journalled', async () => {
  const lab = standardLab();
  await sh(lab, 'iptables -t nat -N KUBE-SERVICES; iptables -t nat -A KUBE-SERVICES -d 10.96.0.10/32 -p udp --dport 53 -j RETURN');
  const grep = await sh(lab, 'iptables -t nat -S | grep 10.96');
  assert.equal(grep.out, '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j RETURN\n');
  assert.equal(grep.record, undefined);
  // a pipeline's status is its last command's, and bash -e stops there
  const none = await sh(lab, 'iptables -t nat -S | grep 10.99; echo not reached');
  assert.deepEqual([none.status, none.out], [1, '']);
  // a restore fed by printf changes the host, so it is journalled
  const fed = await sh(lab, "printf '*filter\\n:FOO - [0:0]\\n-A FOO -j DROP\\nCOMMIT\\n' | iptables-restore --noflush");
  assert.notEqual(fed.record, undefined);
  assert.equal((await sh(lab, 'iptables -S FOO | tail -1')).out, '-A FOO -j DROP\n');
  // the user's file, read by `<` and by a text tool's operand
  const c = io({ 'rules.txt': '*filter\n:BAR - [0:0]\nCOMMIT\n' });
  assert.equal((await lab.run(['sh', '-c', 'iptables-restore --noflush < rules.txt; grep -c BAR rules.txt'], c)).status, 0);
  assert.equal(c.out, '1\n');
  assert.equal((await sh(lab, 'iptables -S BAR')).out, '-N BAR\n');
});
