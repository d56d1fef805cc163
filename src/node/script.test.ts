import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busyboxImage } from './images/busybox.js';
import { netshootImage } from './images/netshoot.js';
import { nginxImage } from './images/nginx.js';
import { EventQueue } from '../sim/index.js';
import { runScript, scriptArgv } from './script.js';

test('scriptArgv: the shell scripts and plain commands a container runs in its own shell, by their names in $PATH', () => {
  // kubernetes.io's init containers example
  assert.deepEqual(scriptArgv(busyboxImage, { command: ['sh', '-c', 'echo The app is running! && sleep 3600'] }), [
    'sh',
    '-c',
    'echo The app is running! && sleep 3600',
  ]);
  // kubectl run … -- sh -c SCRIPT puts it in args (busybox's ENTRYPOINT is empty); the shell's
  // options and arguments are the runtime's to read (docker/shell-args.ts)
  assert.deepEqual(scriptArgv(busyboxImage, { args: ['/bin/sh', '-ec', 'exit 3'] }), ['/bin/sh', '-ec', 'exit 3']);
  assert.deepEqual(scriptArgv(busyboxImage, { command: ['sh', '-c', 'echo "$1 $2"', 'name', "it's", 'b'] }), [
    'sh',
    '-c',
    'echo "$1 $2"',
    'name',
    "it's",
    'b',
  ]);
  assert.deepEqual(scriptArgv(busyboxImage, { command: ['sh', '-e', '/scripts/run.sh'] }), ['sh', '-e', '/scripts/run.sh']);
  assert.deepEqual(scriptArgv(busyboxImage, { command: ['sleep', '3600'] }), ['sleep', '3600']);
  // not scripts: a bare shell (it reads stdin), one attached to, the image's own server, a command it lacks
  assert.equal(scriptArgv(busyboxImage, {}), undefined);
  assert.equal(scriptArgv(busyboxImage, { command: ['sh', '-e', '-o', 'pipefail'] }), undefined);
  assert.equal(scriptArgv(busyboxImage, { command: ['sh', '-c', 'x'], stdin: true }), undefined);
  assert.equal(scriptArgv(nginxImage, {}), undefined);
  assert.equal(scriptArgv(busyboxImage, { command: ['curl', 'x'] }), undefined);
  assert.equal(scriptArgv(undefined, { command: ['sh', '-c', 'x'] }), undefined);
  assert.deepEqual(scriptArgv(netshootImage, { command: ['/bin/bash'], args: ['-c', 'sleep 5'] }), ['/bin/bash', '-c', 'sleep 5']);
});

test('runScript: the log as written, the exit status once, the last 10 MiB of a long log; stop() ends it silently', async () => {
  const clock = new EventQueue();
  const line = `${'x'.repeat(1023)}\n`;
  const prog = runScript(clock, async (hooks) => {
    for (let i = 0; i < 11 * 1024; i++) hooks.log(line);
    hooks.log('last\n');
    await hooks.sleep(5_000);
    return { status: 3, stdout: 'out\n', stderr: '' };
  });
  const codes: number[] = [];
  prog.onExit((c) => codes.push(c));
  await new Promise((resolve) => setImmediate(resolve));
  const log = prog.logs!();
  assert.ok(log.length <= 10 * 1024 * 1024 && log.length > 10 * 1024 * 1024 - 1024);
  assert.ok(log.startsWith('x') && log.endsWith('x\nlast\n'));
  assert.equal(codes.length, 0);
  clock.runUntil(5_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(codes, [3]);
  assert.ok(prog.logs!().endsWith('last\nout\n'));
  const stopped = runScript(clock, async (hooks) => {
    await hooks.sleep(1_000);
    return { status: 0, stdout: '', stderr: '' };
  });
  stopped.onExit((c) => codes.push(c));
  await new Promise((resolve) => setImmediate(resolve));
  stopped.stop();
  clock.runUntil(10_000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(codes, [3]);
});
