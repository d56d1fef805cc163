// Broken input at the shell: what bash and the real tools answer, never a JavaScript crash, and
// the effects of the commands that succeeded before it are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session, type SessionIo } from './session.js';

/** A file system where /nonexistent does not exist and /tmp is a directory, as on a real machine. */
function run(
  script: string,
  session = new Session({ host: 'h', seed: 'h' }),
): { status: number; out: string; err: string; files: Map<string, Uint8Array> } {
  let out = '';
  let err = '';
  const files = new Map<string, Uint8Array>();
  const io: SessionIo = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    writeFile(p, d) {
      if (p.startsWith('/nonexistent/'))
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      if (p === '/tmp') throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${p}'`), { code: 'EISDIR' });
      files.set(p, d);
    },
    readFile: (p) => files.get(p),
  };
  const status = session.run(script, io);
  return { status, out, err, files };
}

test('a command named after a JavaScript object property is not found, as bash says', () => {
  for (const name of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf']) {
    const r = run(`${name} x`);
    assert.equal(r.err, `bash: line 1: ${name}: command not found\n`, name);
    assert.equal(r.status, 127, name);
  }
  // Through ip netns exec too: execvp finds no such program.
  const r = run('ip netns add a\nip netns exec a toString');
  assert.equal(r.err, 'exec of "toString" failed: No such file or directory\n');
  assert.equal(r.status, 1);
});

test("a redirect to a path that cannot be opened: bash's message, status 1, the command does not run, earlier effects stay", () => {
  const session = new Session({ host: 'h', seed: 'h' });
  const r = run('ip link add br0 type bridge\nip link add br1 type bridge > /nonexistent/out', session);
  assert.equal(r.err, 'bash: line 2: /nonexistent/out: No such file or directory\n');
  assert.equal(r.status, 1);
  const links = run('ip -br link show type bridge', session).out;
  assert.match(links, /^br0 /m, 'the command before it took effect');
  assert.doesNotMatch(links, /^br1 /m, 'bash opens the file first: the command never ran');
  const dir = run('echo hi >> /tmp');
  assert.equal(dir.err, 'bash: line 1: /tmp: Is a directory\n');
  assert.equal(dir.status, 1);
  const ok = run('echo hi > /out.txt');
  assert.equal(new TextDecoder().decode(ok.files.get('/out.txt')), 'hi\n');
});

test('tcpdump -w to a path that cannot be written: its message and status 1, nothing else', () => {
  const r = run('ip link add br0 type bridge\nip link set br0 up\ntcpdump -i br0 -w /nonexistent/x.pcap');
  assert.equal(r.err, 'tcpdump: /nonexistent/x.pcap: No such file or directory\n');
  assert.equal(r.status, 1);
  const dir = run('ip link add br0 type bridge\nip link set br0 up\ntcpdump -i br0 -w /tmp');
  assert.equal(dir.err, 'tcpdump: /tmp: Is a directory\n');
});

test('sleep: coreutils intervals and messages; a huge one ends at the interrupt', () => {
  assert.deepEqual(run('sleep'), {
    status: 1,
    out: '',
    err: "sleep: missing operand\nTry 'sleep --help' for more information.\n",
    files: new Map(),
  });
  assert.equal(run('sleep -1').err, "sleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n");
  assert.equal(run('sleep 1x').err, "sleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n");
  const session = new Session({ host: 'h', seed: 'h' });
  const t0 = session.kernel.clock.now();
  assert.equal(run('sleep 1m 0.5 .5s', session).status, 0);
  assert.equal(session.kernel.clock.now() - t0, 61_000 + 1, 'a minute and a second, and the millisecond after a command');
  const interrupt = new AbortController();
  session.kernel.clock.schedule(10_000, () => interrupt.abort());
  let err = '';
  const status = session.run('sleep 4294967296\necho not reached', {
    stdout() {},
    stderr: (t) => (err += t),
    writeFile() {},
    readFile: () => undefined,
    signal: interrupt.signal,
  });
  assert.equal(status, 130);
  assert.ok(session.kernel.clock.now() - t0 < 80_000, 'it stopped at the interrupt');
});
