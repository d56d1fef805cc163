// A full disk under the lab server: KNETLAB_HOME on a 64 KiB tmpfs, the server started as a client
// starts it (its log in the same file system). The command whose journal append fails with ENOSPC
// gets a clear message, the lab in memory goes back to what the journal holds, the server keeps
// serving, and the store loads after a restart. Needs root (mount); CI is root and must not skip.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sh, type Answer } from './by-hand.js';
import { probe, SOCKET_FILE } from './server.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');
const notRoot = process.getuid?.() !== 0 ? 'mounting a tmpfs needs root' : false;
if (notRoot && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${notRoot} (KNETLAB_REQUIRE_REALLAB=1)`);

/** `knetlab serve` with its output appended to $KNETLAB_HOME/server.log, as a client starts it. */
async function startServer(home: string): Promise<ChildProcess> {
  const log = openSync(join(home, 'server.log'), 'a', 0o600);
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  for (let i = 0; i < 3000 && !(await probe(join(home, SOCKET_FILE))); i++) await new Promise((r) => setTimeout(r, 10));
  return child;
}

/** Appends to `path` until the file system is full to the byte (pages, then the last page's slack). */
function fill(path: string): void {
  const fd = openSync(path, 'a');
  try {
    for (const chunk of [Buffer.alloc(4096, 0x5a), Buffer.from('z')]) {
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
      }
    }
  } finally {
    closeSync(fd);
  }
}

const addresses = (a: Answer) => [...a.out.matchAll(/inet (\S+)/g)].map((m) => m[1]!);

test('a full disk fails the command whose journal write failed, undoes it, and the server keeps serving', {
  skip: notRoot,
  timeout: 120_000,
}, async () => {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', home], { encoding: 'utf8' });
  assert.equal(mounted.status, 0, `mount -t tmpfs: ${mounted.stderr}`);
  let server: ChildProcess | undefined;
  try {
    server = await startServer(home);
    assert.equal((await sh(home, 'ip link add d0 type bridge')).exit, 0);
    fill(join(home, 'filler'));
    fill(join(home, 'server.log')); // the server's log lines now fail too: that must not stop it
    // The journal's last page still has room for a few records; add until one does not fit.
    const kept: string[] = [];
    let failed: Answer | undefined;
    let refused = '';
    for (let i = 1; i < 250 && !failed; i++) {
      const a = await sh(home, `ip addr add 10.0.${i >> 8}.${i & 255}/32 dev d0`);
      if (a.exit === 0) kept.push(`10.0.${i >> 8}.${i & 255}/32`);
      else [failed, refused] = [a, `10.0.${i >> 8}.${i & 255}/32`];
    }
    assert.ok(failed, 'the journal never filled the disk');
    assert.equal(failed.exit, 1);
    assert.equal(
      failed.err,
      `knetlab: cannot write the lab journal ${join(home, 'journal.jsonl')}: No space left on device: this command was undone (with any that followed it); the lab is back at its last journaled state\n`,
    );
    // Still serving, and the refused change is not applied.
    const shown = await sh(home, 'ip -4 -o addr show dev d0');
    assert.equal(shown.exit, 0, shown.err);
    assert.deepEqual(addresses(shown), kept);
    assert.ok(!addresses(shown).includes(refused));
    // A read journals nothing, so it works on the full disk; a write works once there is room.
    rmSync(join(home, 'filler'));
    assert.match(readFileSync(join(home, 'server.log'), 'latin1'), /[Zz]$/, 'no log line fitted while the disk was full');
    assert.equal((await sh(home, 'ip addr add 10.1.0.1/32 dev d0')).exit, 0);
    kept.push('10.1.0.1/32');

    server.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    server = await startServer(home);
    const after = await sh(home, 'ip -4 -o addr show dev d0');
    assert.equal(after.exit, 0);
    assert.equal(after.err, '', 'the store loads without repairs');
    assert.deepEqual(addresses(after), kept);
    assert.deepEqual(
      readdirSync(home).filter((f) => f.endsWith('.tmp')),
      [],
    );
  } finally {
    server?.kill('SIGKILL');
    if (server && server.exitCode === null && server.signalCode === null) await new Promise((r) => server!.once('exit', r));
    const un = spawnSync('umount', [home], { encoding: 'utf8' });
    assert.equal(un.status, 0, `umount ${home}: ${un.stderr}`);
    rmdirSync(home);
  }
});
