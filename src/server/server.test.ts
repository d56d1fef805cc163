// The lab server through its socket, in this process: commands applied one at a time with none
// lost, state kept across a restart, bad requests and vanished clients survived.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exchange as raw, gather, sh } from './by-hand.js';
import { probe, serve, SOCKET_FILE } from './server.js';

const run = (home: string, argv: string[], cwd = home) => raw(home, [JSON.stringify({ v: 1, argv, cwd })]);

/** Starts a server in this process; `running` resolves with its exit status once it stops. */
async function start(home: string): Promise<{ running: Promise<number> }> {
  const log: string[] = [];
  const running = serve({ home, clock: 'manual', log: (l) => log.push(l) });
  for (let i = 0; i < 500 && !(await probe(join(home, SOCKET_FILE))); i++) await new Promise((r) => setTimeout(r, 10));
  return { running };
}

async function withServer(fn: (home: string) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-server-'));
  const { running } = await start(home);
  try {
    await fn(home);
  } finally {
    await raw(home, ['{"v":1,"control":"stop"}']).catch(() => undefined);
    await running;
    rmSync(home, { recursive: true, force: true });
  }
}

test('4 clients adding 50 addresses each at once end with all 200 on the host', async () => {
  await withServer(async (home) => {
    assert.equal((await sh(home, 'ip link add d0 type bridge')).exit, 0);
    const adds = [];
    for (let c = 0; c < 4; c++) for (let i = 0; i < 50; i++) adds.push(sh(home, `ip addr add 10.${c}.${i}.1/32 dev d0`));
    const answers = await Promise.all(adds);
    assert.deepEqual(
      answers.filter((a) => a.exit !== 0),
      [],
    );
    const shown = await sh(home, 'ip -4 -o addr show dev d0');
    assert.equal(shown.out.trim().split('\n').length, 200);
  });
});

test('the socket is private, and the lab survives a restart from its journal', async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-server-'));
  try {
    let { running } = await start(home);
    assert.equal(statSync(join(home, SOCKET_FILE)).mode & 0o777, 0o600);
    await sh(home, 'ip netns add a; ip link add v0 type veth peer name v1 netns a; ip addr add 10.0.0.1/24 dev v0; ip link set v0 up');
    await sh(home, 'ip link add other type bridge', 'h2');
    const before = (await sh(home, 'ip -d link; ip addr; ip netns exec a ip link')).out;
    const status = await raw(home, ['{"v":1,"control":"status"}']);
    assert.match(status.out, /^hosts: default, h2$/m);
    assert.match(status.out, /^journal: .*, 2 records$/m);
    await raw(home, ['{"v":1,"control":"stop"}']);
    assert.equal(await running, 0);
    assert.equal(await probe(join(home, SOCKET_FILE)), false);
    ({ running } = await start(home));
    assert.equal((await sh(home, 'ip -d link; ip addr; ip netns exec a ip link')).out, before);
    assert.match((await sh(home, 'ip link show other', 'h2')).out, /other/);
    await raw(home, ['{"v":1,"control":"stop"}']);
    await running;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('a second server for the same home refuses to start', async () => {
  await withServer(async (home) => {
    const log: string[] = [];
    assert.equal(await serve({ home, clock: 'manual', log: (l) => log.push(l) }), 1);
    assert.match(log.join('\n'), /a lab server already runs on/);
    assert.equal((await sh(home, 'ip link')).exit, 0);
  });
});

test('malformed requests get a clear answer and leave the server serving', async () => {
  await withServer(async (home) => {
    await sh(home, 'ip link add keep0 type bridge');
    const journal = readFileSync(join(home, 'journal.jsonl'), 'utf8');
    for (const [line, message] of [
      ['not json', 'knetlab: malformed request: not JSON\n'],
      ['[1,2]', 'knetlab: malformed request: not an object\n'],
      ['{"v":2,"argv":["sh"]}', 'knetlab: malformed request: protocol version 2 (this server speaks 1)\n'],
      ['{"v":1,"argv":"sh -c reboot","cwd":"/"}', 'knetlab: malformed request: field "argv" is not a non-empty list of strings\n'],
      ['{"v":1,"argv":["sh","-c","ip link"],"cwd":"relative"}', 'knetlab: malformed request: field "cwd" is not an absolute path\n'],
      ['{"v":1,"control":"reboot"}', 'knetlab: malformed request: unknown control "reboot"\n'],
    ] as const) {
      const a = await raw(home, [line]);
      assert.deepEqual(a, { out: '', err: message, exit: 2 }, line);
    }
    const unknown = await run(home, ['frobnicate']);
    assert.deepEqual(unknown, { out: '', err: 'knetlab: unknown command "frobnicate"\n', exit: 2 });
    assert.equal(readFileSync(join(home, 'journal.jsonl'), 'utf8'), journal);
    assert.match((await sh(home, 'ip link show keep0')).out, /keep0/);
  });
});

test('a client that vanishes mid-stream leaves the server serving and the journal whole', async () => {
  await withServer(async (home) => {
    await sh(home, 'ip link add d0 type bridge');
    for (let i = 0; i < 5; i++) {
      const s = createConnection(join(home, SOCKET_FILE));
      s.on('error', () => {});
      s.write(
        `${JSON.stringify({ v: 1, argv: ['sh', '-c', `ip addr add 10.9.${i}.1/24 dev d0; ip -d link; ip -d link; ip -d link`], cwd: home })}\n`,
      );
      s.once('data', () => s.destroy());
      s.write('{"v":1,"argv":');
    }
    await new Promise((r) => setTimeout(r, 100));
    // A half-sent request from a client that went away.
    const half = createConnection(join(home, SOCKET_FILE));
    half.write('{"v":1,"argv":["sh","-c","ip li');
    half.destroy();
    const a = await sh(home, 'ip -4 -o addr show dev d0');
    assert.equal(a.exit, 0);
    assert.equal(a.out.trim().split('\n').length, 5);
  });
});

test('sleep 61 on the manual clock ages a neighbour to STALE, as the transcripts show', async () => {
  await withServer(async (home) => {
    await sh(
      home,
      'ip netns add a; ip link add v0 type veth peer name v1 netns a; ip addr add 10.0.0.1/24 dev v0; ip link set v0 up; ip netns exec a ip addr add 10.0.0.2/24 dev v1; ip netns exec a ip link set v1 up; ping -c 1 10.0.0.2',
    );
    assert.match((await sh(home, 'ip neigh show dev v0')).out, /^10\.0\.0\.2 lladdr \S+ REACHABLE ?$/m);
    await sh(home, 'sleep 61');
    assert.match((await sh(home, 'ip neigh show dev v0')).out, /^10\.0\.0\.2 lladdr \S+ STALE ?$/m);
  });
});

test('a capture in one client sees the pings of another until it is interrupted, then tcpdump -r shows them', async () => {
  await withServer(async (home) => {
    await sh(
      home,
      'ip netns add a; ip link add v0 type veth peer name v1 netns a; ip addr add 10.0.0.1/24 dev v0; ip link set v0 up; ip netns exec a ip addr add 10.0.0.2/24 dev v1; ip netns exec a ip link set v1 up; ping -c 1 10.0.0.2',
    );
    const capture = createConnection(join(home, SOCKET_FILE));
    const captured = gather(capture);
    capture.write(`${JSON.stringify({ v: 1, argv: ['sh', '-c', 'tcpdump -i v0 -nn -w cap.pcap'], cwd: home })}\n`);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await sh(home, 'ping -c 3 10.0.0.2')).exit, 0);
    capture.write('{"signal":"INT"}\n');
    const a = await captured;
    assert.equal(a.exit, 0, a.err);
    assert.equal(a.out, '');
    assert.match(a.err, /^tcpdump: listening on v0, link-type EN10MB \(Ethernet\), snapshot length 262144 bytes\n\d+ packets captured\n/);
    const read = await sh(home, 'tcpdump -nn -r cap.pcap');
    assert.equal(read.out.match(/ICMP echo request/g)?.length, 3, read.out);
    assert.equal(read.out.match(/ICMP echo reply/g)?.length, 3, read.out);
  });
});
