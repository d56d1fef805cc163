// ping's long runs: interruptible (the signal stops it at a virtual time and it prints its
// statistics, as iputils does on SIGINT), its 16-bit sequence wraps and goes on, and grouped
// short options parse as getopt does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getopt } from '../../../src/transcript/getopt.js';
import { Session } from '../../../src/shell/session.js';

function run(
  script: string,
  signal?: AbortSignal,
  session = new Session({ host: 'h', seed: 'h' }),
): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = session.run(script, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    writeFile() {},
    readFile: () => undefined,
    ...(signal ? { signal } : {}),
  });
  return { status, out, err };
}

test('ping -c 1000000 stops at the interrupt, prints its statistics, and the script stops there (130)', () => {
  const session = new Session({ host: 'h', seed: 'h' });
  run('ip link set lo up', undefined, session);
  const interrupt = new AbortController();
  // Ctrl-C after 5.5 s of virtual time.
  session.kernel.clock.schedule(5500, () => interrupt.abort());
  const r = run('ping -c 1000000 127.0.0.1\necho not reached', interrupt.signal, session);
  assert.equal(r.status, 130);
  assert.equal((r.out.match(/bytes from 127\.0\.0\.1/g) ?? []).length, 6);
  assert.match(r.out, /\n--- 127\.0\.0\.1 ping statistics ---\n6 packets transmitted, 6 received, 0% packet loss, time 5000ms\n/);
  assert.doesNotMatch(r.out, /not reached/);
});

test('ping -w 1000000 is interruptible too', () => {
  const session = new Session({ host: 'h', seed: 'h' });
  run('ip link set lo up', undefined, session);
  const interrupt = new AbortController();
  session.kernel.clock.schedule(2500, () => interrupt.abort());
  const r = run('ping -w 1000000 127.0.0.1', interrupt.signal, session);
  assert.match(r.out, /3 packets transmitted, 3 received/);
});

test("ping's 16-bit sequence number wraps after 65535 and the replies go on", () => {
  const r = run('ip link set lo up\nping -c 65540 -i 0.001 127.0.0.1');
  assert.equal(r.status, 0);
  assert.match(r.out, /icmp_seq=65535 ttl=64/);
  assert.match(r.out, /icmp_seq=0 ttl=64 [^\n]*\n[^\n]*icmp_seq=1 ttl=64/);
  assert.match(r.out, /65540 packets transmitted, 65540 received, 0% packet loss/);
});

test('ping -c 1e50 and -s out of range: iputils messages, no exception', () => {
  assert.deepEqual(run('ping -c 1e50 127.0.0.1'), { status: 1, out: '', err: "ping: invalid argument: '1e50'\n" });
  assert.deepEqual(run('ping -c1 -s -1 127.0.0.1'), {
    status: 1,
    out: '',
    err: "ping: invalid argument: '-1': out of range: 0 <= value <= 2147483647\n",
  });
  assert.deepEqual(run('ping -c1 -s 5000000000 127.0.0.1'), {
    status: 1,
    out: '',
    err: "ping: invalid argument: '5000000000': out of range: 0 <= value <= 2147483647\n",
  });
  const huge = run('ip link set lo up\nping -c1 -W1 -s 2147483647 127.0.0.1');
  assert.match(huge.out, /1 packets transmitted, 0 received, 100% packet loss/);
});

test('getopt() (short options only): grouped flags, attached and separate arguments, permutation, -- and the two glibc errors', () => {
  assert.deepEqual(getopt('ping', ['-nc1', '10.0.0.1', '-q'], 'c:nq'), {
    options: [{ opt: 'n' }, { opt: 'c', arg: '1' }, { opt: 'q' }],
    operands: ['10.0.0.1'],
  });
  assert.deepEqual(getopt('ping', ['-qc', '2', '--', '-x'], 'c:q'), { options: [{ opt: 'q' }, { opt: 'c', arg: '2' }], operands: ['-x'] });
  assert.deepEqual(getopt('ping', ['-', 'a'], 'c:'), { options: [], operands: ['-', 'a'] });
  assert.deepEqual(getopt('ping', ['-nx'], 'n'), { error: "ping: invalid option -- 'x'", opt: 'x' });
  assert.deepEqual(getopt('ping', ['-nc'], 'c:n'), { error: "ping: option requires an argument -- 'c'", opt: 'c' });
  assert.deepEqual(getopt('ping', ['--count'], 'c:'), { error: "ping: invalid option -- '-'", opt: '-' });
});

test("a name on a host with no resolv.conf: glibc asks 127.0.0.1:53, is refused at once, and ping says EAI_AGAIN in glibc's words (exit 2)", () => {
  const session = new Session({ host: 'h', seed: 'h' });
  run('ip link set lo up', undefined, session);
  const t0 = session.kernel.clock.now();
  const r = run('ping -c 1 somename', undefined, session);
  assert.deepEqual(r, { status: 2, out: '', err: 'ping: somename: Temporary failure in name resolution\n' });
  assert.ok(session.kernel.clock.now() - t0 < 100, 'no resolver timeout');
});
