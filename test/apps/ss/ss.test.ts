// ss on the emulated kernel's sockets. The same socket set — two TCP listeners (one on every
// address with backlog 5, one on 127.0.0.1 with 511), three bound UDP ports (one on 127.0.0.11 only), an established loopback
// connection and a TIME-WAIT left by a server that closed first — is built in a real network
// namespace on this machine and in an emulated one, and ss prints the same in both: the header
// byte for byte, and the same lines (real ss lists sockets in the kernel's hash order, which
// changes with every namespace, so the lines are compared as a set). Standard error follows
// standard output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tcpOf, type TcpConn } from '../../../src/kernel/index.js';
import { realLabUnavailableReason } from '../../../src/reallab/index.js';
import { Session } from '../../../src/shell/session.js';
import { parseIpv4 } from '../../../src/wire/index.js';

const COMMANDS = [
  'ss -tln',
  'ss -ltn',
  'ss -tan',
  'ss -uan',
  'ss -uln',
  'ss -tuln',
  'ss -tuan',
  'ss -ta',
  'ss -ua',
  'ss -t',
  'ss -tn',
  'ss -n',
  'ss -4ln',
  'ss -Htan',
  'ss -t state listening',
  'ss -tn state established',
  'ss -tan exclude listening',
  'ss -tan sport = :8080',
  'ss -tan dport = :8081',
  "ss -tan '( sport = :http-alt or dport = :8081 )'",
  'ss -tan src 127.0.0.1',
  'ss -uan sport gt :6000',
  'ss -6tln',
  'ss -tlnp',
  'ss -4tlnp',
];

const REAL_SOCKETS = `import os, socket, sys, time
def listener(addr, port, backlog):
    s = socket.socket()
    s.bind((addr, port))
    s.listen(backlog)
    return s
l1 = listener('0.0.0.0', 8080, 5)
l2 = listener('127.0.0.1', 8081, 511)
# what Go's net.Listen makes of a wildcard address: AF_INET6 on [::], V6ONLY off
l3 = socket.socket(socket.AF_INET6)
l3.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
l3.bind(('::', 9090))
l3.listen(4096)
# one port on two addresses is two listeners; the wildcard on a port with one is refused
l4 = listener('127.0.0.2', 8081, 7)
try:
    listener('0.0.0.0', 8081, 1)
    sys.exit('bound 0.0.0.0:8081 beside 127.0.0.1:8081')
except OSError as e:
    if e.errno != 98: raise
udp = []
for port in (5353, 8472):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(('0.0.0.0', port))
    udp.append(u)
# bound to one address, as Docker's embedded DNS binds 127.0.0.11
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(('127.0.0.11', 5300))
udp.append(u)
def connect(sport, dport, l):
    c = socket.socket()
    c.bind(('127.0.0.1', sport))
    c.connect(('127.0.0.1', dport))
    return c, l.accept()[0]
c1, a1 = connect(40000, 8080, l1)
c2, a2 = connect(40001, 8081, l2)
a2.close()
c2.recv(1)
c2.close()
time.sleep(0.2)
with open(sys.argv[1], 'w') as f:
    f.write(str(os.getpid()))
time.sleep(60)
`;

/** Why the comparison cannot run here; `required` when CI (root, the packages installed) must not skip it. */
function missing(): string | undefined {
  const reason = realLabUnavailableReason();
  if (reason) return required(reason);
  for (const tool of ['ss', 'python3'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return required(`${tool} is not installed`);
  const version = spawnSync('ss', ['-V'], { encoding: 'utf8' }).stdout;
  if (!version.includes('iproute2-6.1')) return `ss here is ${version.trim()}, the emulation is iproute2 6.1's`;
  return undefined;
}

/** CI installs the tools and runs as root: there a missing one fails the suite rather than skipping (another version of the tool still skips). */
function required(reason: string): string {
  if (process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${reason} (KNETLAB_REQUIRE_REALLAB=1)`);
  return reason;
}

/** The listeners' descriptors in REAL_SOCKETS: python3 opens them in order from fd 3. */
const LISTENER_FDS = { 8080: 3, 8081: 4, 9090: 5, 8082: 6 } as const;

function realOutputs(): { outputs: { out: string; status: number }[]; pid: number } {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-ss-'));
  try {
    writeFileSync(join(dir, 'sockets.py'), REAL_SOCKETS);
    writeFileSync(join(dir, 'commands'), `${COMMANDS.join('\n')}\n`);
    const script = `set -e
ip link set lo up
python3 "$1/sockets.py" "$1/ready" &
while [ ! -s "$1/ready" ]; do sleep 0.05; done
cat "$1/ready"; echo
set +e
while read -r line; do
  eval "$line" >"$1/out" 2>"$1/err"; status=$?
  # this machine's kernel lacks some socket tables' diag modules (vsock, tipc...): ss says so per table
  cat "$1/out"; grep -v '^RTNETLINK answers: Invalid argument$' "$1/err"; echo "exit $status"
done <"$1/commands"
kill $!`;
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', dir], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const eol = r.stdout.indexOf('\n');
    const pidLine = r.stdout.slice(0, eol);
    const parts = r.stdout.slice(eol + 1).split(/^exit (\d+)\n/m);
    return { outputs: COMMANDS.map((_, i) => ({ out: parts[2 * i]!, status: Number(parts[2 * i + 1]) })), pid: Number(pidLine) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(session: Session, script: string): { status: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = session.run(script, { stdout: (t) => (out += t), stderr: (t) => (err += t), writeFile() {}, readFile: () => undefined });
  return { status, out, err };
}

/** The socket set of REAL_SOCKETS, on the emulated kernel (its listeners held by python3 as PID `pid`). */
function emulated(pid = 4242): Session {
  const session = new Session({ host: 'h', seed: 'h' });
  run(session, 'ip link set lo up');
  const ns = session.host.root;
  const tcp = tcpOf(ns);
  const loopback = parseIpv4('127.0.0.1')!;
  const accepted: TcpConn[] = [];
  const owner = (port: keyof typeof LISTENER_FDS) => () => ({ comm: 'python3', pid, fd: LISTENER_FDS[port] });
  tcp.listen(8080, 0, (c) => (accepted.push(c), {}), { backlog: 5, owner: owner(8080) });
  tcp.listen(8081, loopback, (c) => (accepted.push(c), {}), { backlog: 511, owner: owner(8081) });
  tcp.listen(9090, 0, () => ({}), { backlog: 4096, dualStack: true, owner: owner(9090) });
  tcp.listen(8081, parseIpv4('127.0.0.2')!, () => ({}), { backlog: 7, owner: owner(8082) });
  assert.throws(
    () => tcp.listen(8081, 0, () => ({}), 1),
    (e: Error & { errno?: string }) => e.errno === 'EADDRINUSE',
  );
  for (const port of [5353, 8472, 5300]) ns.udpHandlers.set(port, () => {});
  ns.udpBoundAddrs.set(5300, parseIpv4('127.0.0.11')!);
  tcp.connect(loopback, 8080, { sport: 40000 }, {});
  tcp.connect(loopback, 8081, { sport: 40001 }, { onEnd: (c) => c.close() });
  session.kernel.clock.advance(10);
  accepted[1]!.close();
  session.kernel.clock.advance(10);
  return session;
}

/** The header as it is, then the socket lines in order. */
function comparable(out: string): { header: string; lines: string[] } {
  const [header = '', ...lines] = out.split(/(?<=\n)/);
  return { header, lines: lines.sort() };
}

test('ss prints what iproute2 6.1 prints in a real namespace with the same sockets, columns and widths alike', { skip: missing() }, () => {
  const { outputs: real, pid } = realOutputs();
  const session = emulated(pid);
  COMMANDS.forEach((command, i) => {
    const mine = run(session, command);
    assert.equal(mine.status, real[i]!.status, command);
    const headed = !command.includes('-H');
    const want = headed ? comparable(real[i]!.out) : { header: '', lines: real[i]!.out.split(/(?<=\n)/).sort() };
    const got = headed ? comparable(mine.out + mine.err) : { header: '', lines: (mine.out + mine.err).split(/(?<=\n)/).sort() };
    assert.deepEqual(got, want, command);
  });
});

test('ss -p names the holder a listener records and nothing for sockets that record none', () => {
  const session = emulated();
  const p = run(session, 'ss -tlnp').out;
  assert.match(p, /127\.0\.0\.1:8081 +0\.0\.0\.0:\* +users:\(\("python3",pid=4242,fd=4\)\)\n/);
  assert.match(p, / +\*:9090 +\*:\* +users:\(\("python3",pid=4242,fd=5\)\)\n/);
  const conns = run(session, 'ss -tnp').out;
  assert.equal(conns, run(session, 'ss -tn').out);
});

test('ss drops the State column for one state and the Netid column for one table, as its main() does', () => {
  const session = emulated();
  const oneState = run(session, 'ss -tn state listening').out;
  assert.match(oneState, /^Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n/);
  assert.match(run(session, 'ss -tuln').out, /^Netid State  Recv-Q/);
  assert.match(run(session, 'ss -tln').out, /^State  Recv-Q/);
});

test("python3 -m http.server listens with socketserver's backlog of 5, nginx with 511", () => {
  const session = new Session({ host: 'h', seed: 'h' });
  run(session, 'python3 -m http.server 8000');
  assert.equal(
    run(session, 'ss -tln').out,
    'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0      5            0.0.0.0:8000      0.0.0.0:*          \n',
  );
  const nginx = new Session({ host: 'n', seed: 'n' });
  run(nginx, 'nginx');
  assert.match(run(nginx, 'ss -tln').out, /\nLISTEN 0 {6}511 {4}/);
});

test('ss refuses what it cannot read with its own messages and statuses', () => {
  const session = new Session({ host: 'h', seed: 'h' });
  const bad = run(session, 'ss -k');
  assert.equal(bad.status, 255);
  assert.match(bad.err, /^ss: invalid option -- 'k'\nUsage: ss \[ OPTIONS \]\n/);
  assert.deepEqual(run(session, 'ss -tn state bogus'), { status: 255, out: '', err: 'ss: wrong state name: bogus\n' });
  const port = run(session, 'ss -tn dport = :bogus');
  assert.deepEqual(port, { status: 1, out: '', err: 'Error: "bogus" does not look like a port.\nCannot parse dst/src address.\n' });
  const summary = run(session, 'ss -s');
  assert.equal(summary.status, 1);
  assert.match(summary.err, /^knetlab: ss -s is not emulated/);
});
