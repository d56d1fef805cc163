// A container's main script writes its log command by command, while it runs: what `kubectl logs`
// shows of an `until …; do echo waiting; sleep 2; done` before the loop ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeFiles } from '../sim/index.js';
import { runShell, type ContainerShell } from './shell.js';

function shell(log: string[], atSleep: string[]): ContainerShell {
  const files = new NodeFiles(() => 0);
  for (const d of ['/tmp', '/usr/bin', '/proc']) files.mkdirp(d);
  // just-bash finds a command by its file in $PATH, as bash does
  for (const cmd of ['echo', 'tr', 'sleep', 'tail', '[']) files.write(`/usr/bin/${cmd}`, 'ELF', { mode: 0o755 });
  return {
    files,
    hostname: 'p',
    env: { PATH: '/usr/bin' },
    tools: {},
    now: () => 0,
    // what the log holds each time the script sleeps
    sleep: async () => void atSleep.push(log.join('')),
    log: (t) => void log.push(t),
  };
}

test('a script streams each command to the log as it runs; redirections and pipes keep their meaning', async () => {
  const log: string[] = [];
  const atSleep: string[] = [];
  const c = shell(log, atSleep);
  const script =
    'i=0; until [ $i -ge 2 ]; do echo waiting $i; nosuch; i=$((i+1)); sleep 2; done; echo piped | tr a-z A-Z; echo quiet > /tmp/f; echo $(echo inner); echo to-err >&2; echo both 2>&1';
  const r = await runShell(c, ['echo', 'tr'], ['sh', '-c', script]);
  assert.equal(r.status, 0);
  assert.deepEqual(atSleep, [
    'waiting 0\nsh: 1: nosuch: not found\n',
    'waiting 0\nsh: 1: nosuch: not found\nwaiting 1\nsh: 1: nosuch: not found\n',
  ]);
  assert.equal(log.join('') + r.stdout + r.stderr, `${atSleep[1]}PIPED\ninner\nto-err\nboth\n`);
  assert.equal(new TextDecoder().decode(c.files.read('/tmp/f')), 'quiet\n');
});

test('in a main script, sleep infinity and tail -f wait until the container stops; trap is accepted', async () => {
  const log: string[] = [];
  const stop = new AbortController();
  let asked = 0;
  const c: ContainerShell = {
    ...shell(log, []),
    signal: stop.signal,
    sleep: (ms) => {
      asked = ms;
      return new Promise((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  const run = runShell(c, ['sleep', 'tail'], ['sh', '-c', 'trap "exit 0" TERM; echo up; sleep infinity; echo never']);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(asked, Number.POSITIVE_INFINITY);
  assert.equal(log.join(''), 'up\n');
  stop.abort();
  await run;
  assert.ok(!log.join('').includes('never'));
});
