// nc (OpenBSD netcat, Debian 1.219) on the emulated TCP against the real one on this machine: in
// a real network namespace and an emulated one alike — lo up, 10.0.0.1/24 on it, a blackhole
// route, an iptables rule dropping what goes to 10.0.0.7, `python3 -m http.server 8080` — every
// command line prints the same (stdout, then stderr) with the same exit status.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { realLabUnavailableReason } from '../../../src/reallab/index.js';
import { Session } from '../../../src/shell/session.js';

const SETUP = [
  'ip link set lo up',
  'ip addr add 10.0.0.1/24 dev lo',
  'ip route add blackhole 10.1.0.0/16',
  'iptables -A OUTPUT -d 10.0.0.7 -j DROP',
];

const COMMANDS = [
  'nc -zv 127.0.0.1 8080',
  'nc -z 127.0.0.1 8080',
  'nc -zv 127.0.0.1 8081',
  'nc -z 127.0.0.1 8081',
  'nc -zv localhost 8080',
  'nc -zv localhost 8081',
  'nc -zvn 127.0.0.1 8080',
  'nc -zv 127.0.0.1 8079-8081',
  'nc -zv 127.0.0.1 8081-8079',
  'nc -zv 127.0.0.1 8080 8081',
  'nc -zv 127.0.0.1 http',
  // connect() to 0.0.0.0 goes to the local host, as kubelet's probe of a 0.0.0.0-bound daemon does
  'nc -zv 0.0.0.0 8080',
  'nc -zv 0.0.0.0 8081',
  'nc -zv 10.0.0.1 8080',
  'nc -zv 10.0.0.9 80',
  'nc -zv -w 1 10.0.0.7 80',
  'nc -zv 10.1.0.1 80',
  'nc -zv 127.0.0.1',
  'nc -zv 127.0.0.1 abc',
  'nc -zv 127.0.0.1 99999',
  'nc -zv 127.0.0.1 0',
  'nc -zv 127.0.0.1 5-x',
  'nc -zv -w abc 127.0.0.1 1',
  'nc -l -z 1',
  'nc -y',
  'nc -w',
  'nc',
  'nc -h',
];

/** Why the comparison cannot run here; `required` when CI (root, the packages installed) must not skip it. */
function missing(): string | undefined {
  const reason = realLabUnavailableReason();
  if (reason) return required(reason);
  for (const tool of ['nc', 'python3', 'iptables'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return required(`${tool} is not installed`);
  const help = spawnSync('nc', ['-h'], { encoding: 'utf8' }).stderr;
  if (!help.startsWith('OpenBSD netcat (Debian patchlevel 1.219'))
    return 'nc here is not OpenBSD netcat 1.219 (apt install netcat-openbsd)';
  return undefined;
}

/** CI installs the tools and runs as root: there a missing one fails the suite rather than skipping (another version of the tool still skips). */
function required(reason: string): string {
  if (process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${reason} (KNETLAB_REQUIRE_REALLAB=1)`);
  return reason;
}

function realOutputs(): { out: string; status: number }[] {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-nc-'));
  try {
    writeFileSync(join(dir, 'commands'), `${COMMANDS.join('\n')}\n`);
    const script = `set -e
${SETUP.join('\n')}
cd "$1"
python3 -m http.server 8080 >/dev/null 2>&1 &
while ! nc -z 127.0.0.1 8080; do sleep 0.05; done
set +e
while read -r line; do
  eval "$line" >"$1/out" 2>"$1/err" </dev/null; status=$?
  cat "$1/out" "$1/err"; echo "exit $status"
done <"$1/commands"
kill $!`;
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', dir], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const parts = r.stdout.split(/^exit (\d+)\n/m);
    return COMMANDS.map((_, i) => ({ out: parts[2 * i]!, status: Number(parts[2 * i + 1]) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(session: Session, script: string): { status: number; out: string } {
  let out = '';
  let err = '';
  const status = session.run(script, { stdout: (t) => (out += t), stderr: (t) => (err += t), writeFile() {}, readFile: () => undefined });
  return { status, out: out + err };
}

function emulated(): Session {
  const session = new Session({ host: 'h', seed: 'h' });
  const r = run(session, [...SETUP, 'python3 -m http.server 8080'].join('\n'));
  assert.equal(r.status, 0, r.out);
  return session;
}

test('nc prints what OpenBSD netcat 1.219 prints in a real namespace: port checks, failures, usage errors', { skip: missing() }, () => {
  const real = realOutputs();
  const session = emulated();
  COMMANDS.forEach((command, i) => {
    assert.deepEqual(run(session, command), { status: real[i]!.status, out: real[i]!.out }, command);
  });
});

test('nc sends its stdin and prints the reply until the peer closes; -N half-closes after stdin', () => {
  const session = emulated();
  const get = session.exec(['nc', '127.0.0.1', '8080'], 'GET / HTTP/1.0\r\n\r\n');
  assert.equal(get.status, 0);
  assert.match(get.stdout, /^HTTP\/1\.0 200 OK\r\nServer: SimpleHTTP/);
  assert.equal(get.stderr, '');
  const half = session.exec(['nc', '-N', '127.0.0.1', '8080'], 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(half.status, 0);
  assert.match(half.stdout, /^HTTP\/1\.0 404 File not found\r\n/);
});

test('a peer that keeps the connection open and silent: nc stops after -w of idle time, or says knetlab stopped it', () => {
  const session = new Session({ host: 'h', seed: 'h' });
  run(session, 'ip link set lo up\nnginx');
  const start = session.kernel.clock.now();
  const timed = session.exec(['nc', '-w', '3', '127.0.0.1', '80'], 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.equal(timed.status, 0);
  assert.match(timed.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(timed.stderr, '');
  assert.ok(session.kernel.clock.now() - start >= 3000);
  const open = session.exec(['nc', '127.0.0.1', '80'], 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  assert.match(open.stderr, /^knetlab: nc would wait until interrupted; stopped after 30 s with nothing to read\n$/);
});
