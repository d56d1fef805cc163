// BusyBox's nslookup on this machine (busybox 1.35, in its own network and mount namespace, with
// the pod's resolv.conf bound over /etc/resolv.conf) against a nameserver at 10.96.0.10 that
// answers as the cluster's CoreDNS does — the Service's A record, authoritative; an empty AAAA;
// NXDOMAIN for any other name — prints what the emulated busybox prints in a pod.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { realLabUnavailableReason } from '../reallab/index.js';
import { kindCluster, run, whoamiWeb } from './fixtures.js';

const NAMES = ['web.default.svc.cluster.local', 'web', 'kubernetes.default', 'nope.default.svc.cluster.local'];

const BOX = `apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: box
    image: busybox
    command: ["sleep", "3600"]
`;

/** A UDP nameserver with one A record; it marks itself ready once bound. */
const NAMESERVER = `import socket, struct, sys
name, address, ready = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('10.96.0.10', 53))
open(ready, 'w').close()
while True:
    q, peer = s.recvfrom(512)
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode())
        i += 1 + q[i]
    qtype = struct.unpack('>H', q[i + 1:i + 3])[0]
    found = '.'.join(labels).lower() == name
    answer = b'\\xc0\\x0c' + struct.pack('>HHIH', 1, 1, 5, 4) + socket.inet_aton(address) if found and qtype == 1 else b''
    flags = 0x8580 | (0 if found else 3)  # QR, AA, RD, RA; NXDOMAIN for a name it does not hold
    s.sendto(struct.pack('>HHHHHH', q[0] << 8 | q[1], flags, 1, 1 if answer else 0, 0, 0) + q[12:i + 5] + answer, peer)
`;

function missing(): string | undefined {
  const reason = realLabUnavailableReason();
  if (reason) return reason;
  for (const tool of ['busybox', 'python3'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  return undefined;
}

function realNslookup(resolvConf: string, address: string): { out: string; status: number }[] {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-busybox-'));
  try {
    writeFileSync(join(dir, 'resolv.conf'), resolvConf);
    writeFileSync(join(dir, 'ns.py'), NAMESERVER);
    // each name's output, then its exit status on a line of its own
    const script = `set -e
ip link set lo up
ip addr add 10.96.0.10/32 dev lo
mount --bind "$1/resolv.conf" /etc/resolv.conf
python3 "$1/ns.py" web.default.svc.cluster.local "$2" "$1/ready" &
while [ ! -e "$1/ready" ]; do sleep 0.05; done
set +e
shift 2
for name in "$@"; do busybox nslookup "$name"; echo "exit $?"; done
kill $!`;
    const r = spawnSync('unshare', ['-n', '-m', 'sh', '-c', script, 'sh', dir, address, ...NAMES], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    const parts = r.stdout.split(/^exit (\d+)\n/m);
    return NAMES.map((_, i) => ({ out: parts[2 * i]!, status: Number(parts[2 * i + 1]) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip = missing();
// CI installs busybox and runs as root: there the comparison must run, not skip
if (skip && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${skip} (KNETLAB_REQUIRE_REALLAB=1)`);

test('busybox nslookup prints what busybox 1.35 prints on this machine for an FQDN, a search walk and NXDOMAIN', { skip }, async () => {
  const lab = await kindCluster(1, `${whoamiWeb(1)}---\n${BOX}`);
  const svc = lab.kind.get('kind')!.cluster.store.get('services', 'default', 'web');
  const exec = (...cmd: string[]) => run(lab, {}, 'kubectl', 'exec', 'box', '--', ...cmd);
  const resolvConf = (await exec('cat', '/etc/resolv.conf')).out;
  assert.match(resolvConf, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local$/m);
  const real = realNslookup(resolvConf, (svc.spec as { clusterIP: string }).clusterIP);
  for (const [i, name] of NAMES.entries()) {
    const emulated = await exec('nslookup', name);
    assert.deepEqual({ name, out: emulated.out, status: emulated.status }, { name, ...real[i]! });
  }
});
