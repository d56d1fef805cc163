// Ctrl-C as a user sends it: to the `knetlab sh` client in a terminal, which passes it on to the
// command running on the lab server. The server's clock follows the wall clock here, as it does
// by default, so a ping without -c pings once a second until interrupted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exchange } from './by-hand.js';
import { probe, serve, SOCKET_FILE } from './server.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');

interface Client {
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<number | null>;
  readonly interrupt: () => void;
}

function client(home: string, script: string): Client {
  const child = spawn(process.execPath, [MAIN, 'sh', '-c', script], {
    env: { ...process.env, KNETLAB_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return {
    out: () => out,
    err: () => err,
    exited: new Promise((done) => child.on('exit', (code) => done(code))),
    interrupt: () => child.kill('SIGINT'),
  };
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

test('Ctrl-C reaches a ping on the lab server: replies come once a second, others are served meanwhile, then the statistics', async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-interrupt-'));
  const running = serve({ home, clock: 'live', log: () => {} });
  try {
    for (let i = 0; i < 500 && !(await probe(join(home, SOCKET_FILE))); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await client(home, 'ip link set lo up').exited, 0);

    const pinging = client(home, 'ping 127.0.0.1');
    await until('the second reply', () => /icmp_seq=2 /.test(pinging.out()));
    // The server is not taken by the ping: another client's command answers while it runs.
    const other = client(home, 'ip -br link show lo');
    assert.equal(await other.exited, 0);
    assert.match(other.out(), /^lo\s+UNKNOWN/);
    assert.doesNotMatch(pinging.out(), /statistics/);

    pinging.interrupt();
    assert.equal(await pinging.exited, 0, pinging.err());
    const out = pinging.out();
    const replies = out.match(/^64 bytes from 127\.0\.0\.1: icmp_seq=\d+ ttl=64 time=\S+ ms$/gm) ?? [];
    assert.ok(replies.length >= 2, out);
    const stats = /\n--- 127\.0\.0\.1 ping statistics ---\n(\d+) packets transmitted, (\d+) received, .* time (\d+)ms\n/.exec(out);
    assert.ok(stats, out);
    // The interrupt may fall between an echo and its reply: then one more was sent than came back.
    const [sent, received, time] = stats.slice(1).map(Number) as [number, number, number];
    assert.equal(received, replies.length);
    assert.ok(sent === received || sent === received + 1, out);
    assert.equal(time, (sent - 1) * 1000);
    // No "-c 4" stand-in: the server's ping runs until interrupted, as iputils' does.
    assert.doesNotMatch(pinging.err(), /would run until interrupted/);
  } finally {
    await exchange(home, ['{"v":1,"control":"stop"}']);
    await running;
    rmSync(home, { recursive: true, force: true });
  }
});
