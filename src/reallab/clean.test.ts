// knetlab clean stops real lab hosts their callers abandoned, and what they registered.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanLabs, realLabUnavailableReason, runRealEntries } from './index.js';

const unavailable = realLabUnavailableReason();
// A root of our own, so that cleaning never touches labs other tests run at the same time.
const root = mkdtempSync(join(tmpdir(), 'knetlab-clean-test-'));
// And a registry of our own (labs register where `knetlab clean` looks, whatever their work root).
const registry = mkdtempSync(join(tmpdir(), 'knetlab-clean-registry-'));
const elsewhere = mkdtempSync(join(tmpdir(), 'knetlab-clean-elsewhere-'));
// The machine-wide registry lists the labs of every test running now: cleaning through it would
// stop them. Tests that clean by work root name an empty registry of their own.
const noRegistry = mkdtempSync(join(tmpdir(), 'knetlab-clean-none-'));
after(() => [root, registry, elsewhere, noRegistry].forEach((d) => rmSync(d, { recursive: true, force: true })));

test('cleanLabs() stops a lab host left running and removes its work directory', { skip: unavailable ?? false }, async () => {
  // A lab that would run for a minute; its caller walks away without waiting for it.
  const abandoned = runRealEntries('ip netns add a\nsleep 60\n', { workRoot: root }).catch((e: Error) => e);
  const labDirs = () => readdirSync(root).filter((d) => d.startsWith('knetlab-reallab-'));
  for (let i = 0; i < 100 && labDirs().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  const { stopped, removed } = cleanLabs(root, { registry: noRegistry });
  assert.ok(stopped >= 1, `stopped ${stopped}`);
  assert.ok(removed >= 1, `removed ${removed}`);
  const started = Date.now();
  const outcome = await abandoned;
  assert.ok(Date.now() - started < 10_000, 'the lab stopped at once, not when its `sleep 60` ended');
  assert.ok(outcome instanceof Error, 'the abandoned run ends in an error, not a transcript');
  assert.deepEqual(labDirs(), []);
  assert.equal(cleanLabs(root, { registry: noRegistry }).stopped, 0);
});

test('cleanLabs() stops a LinuxHost whose program was killed, and unregisters its namespace', { skip: unavailable ?? false }, async () => {
  // A program that starts a node and is killed (SIGKILL: no finally, no close()) while it runs.
  const program = `const { LinuxHost } = await import(${JSON.stringify(new URL('./index.js', import.meta.url).href)});
const h = new LinuxHost({ workRoot: ${JSON.stringify(root)} });
h.at().linkAdd({ kind: 'bridge', name: 'cni0' });
console.log(h.registered);
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  const registered = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  const machineNetns = () =>
    execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0]);
  assert.ok(machineNetns().includes(registered), `${registered} outlives its program until cleaned`);
  const { stopped, unregistered } = cleanLabs(root, { registry: noRegistry });
  assert.deepEqual([stopped, unregistered], [1, 1]);
  assert.ok(!machineNetns().includes(registered));
  assert.deepEqual(readdirSync(root), []);
});

test('cleanLabs() finds a killed LinuxHost whose work root is elsewhere, through the lab registry', {
  skip: unavailable ?? false,
}, async () => {
  const program = `const { LinuxHost } = await import(${JSON.stringify(new URL('./index.js', import.meta.url).href)});
const h = new LinuxHost({ workRoot: ${JSON.stringify(elsewhere)}, registry: ${JSON.stringify(registry)} });
console.log(h.registered);
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  const registered = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  assert.equal(readdirSync(registry).length, 1, 'the lab registered itself');
  // Cleaning the default root alone would miss it; the registry names it.
  const { stopped, removed, unregistered } = cleanLabs(root, { registry });
  assert.deepEqual([stopped, removed, unregistered], [1, 1, 1]);
  const machineNetns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]);
  assert.ok(!machineNetns.includes(registered));
  assert.deepEqual(readdirSync(elsewhere), []);
  assert.deepEqual(readdirSync(registry), []);
});

test('cleanLabs() skips a lab whose program still runs, cleans one whose program was killed, and --force takes both', {
  skip: unavailable ?? false,
}, async () => {
  const own = mkdtempSync(join(tmpdir(), 'knetlab-clean-live-'));
  const ownRegistry = mkdtempSync(join(tmpdir(), 'knetlab-clean-live-registry-'));
  const start = async () => {
    const program = `const { LinuxHost } = await import(${JSON.stringify(new URL('./index.js', import.meta.url).href)});
const h = new LinuxHost({ workRoot: ${JSON.stringify(own)}, registry: ${JSON.stringify(ownRegistry)} });
console.log(h.registered);
setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
    const name = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
    return { child, name };
  };
  const machineNetns = () =>
    execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.split(' ')[0]);
  const live = await start();
  const killed = await start();
  try {
    killed.child.kill('SIGKILL');
    await new Promise((r) => killed.child.once('close', r));
    assert.deepEqual(cleanLabs(own, { registry: ownRegistry, orphans: false }), { stopped: 1, removed: 1, unregistered: 1, skipped: 1 });
    assert.ok(!machineNetns().includes(killed.name), "the dead program's lab is gone");
    assert.ok(machineNetns().includes(live.name), "the live program's lab is left alone");
    assert.equal(readdirSync(own).length, 1);
    assert.equal(live.child.exitCode, null, 'its program still runs');
    assert.deepEqual(cleanLabs(own, { registry: ownRegistry, force: true }), { stopped: 1, removed: 1, unregistered: 1, skipped: 0 });
    assert.ok(!machineNetns().includes(live.name));
    assert.deepEqual([readdirSync(own), readdirSync(ownRegistry)], [[], []]);
  } finally {
    live.child.kill('SIGKILL');
    cleanLabs(own, { registry: ownRegistry, force: true });
    rmSync(own, { recursive: true, force: true });
    rmSync(ownRegistry, { recursive: true, force: true });
  }
});
