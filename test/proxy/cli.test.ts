// `knetlab kube-proxy render` end to end: the built command line, its defaults and flags, and
// bad input named by field and value with exit status 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const OVERALL = join(ROOT, 'test/proxy/upstream/overall.yaml');
const dir = mkdtempSync(join(tmpdir(), 'knetlab-kube-proxy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function render(args: string[], input?: string): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(process.execPath, [MAIN, 'kube-proxy', 'render', ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

test('render prints the payload: host defaults are --random-fully on, nfacct off, the mark spelled 0x00004000', () => {
  const r = render(['-f', OVERALL, '--hostname', 'test-node', '--node-ip', '192.168.0.2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\*filter\n:KUBE-NODEPORTS - \[0:0\]\n/);
  assert.ok(r.stdout.includes('-j MASQUERADE --random-fully\n'));
  assert.ok(r.stdout.includes('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n'));
  assert.ok(!r.stdout.includes('nfacct'));
  const flags = render(['-f', '-', '--hostname', 'test-node', '--node-ip', '192.168.0.2', '--no-random-fully', '--nfacct'], '---\n' + '\n');
  assert.equal(flags.status, 0, flags.stderr);
  assert.ok(flags.stdout.includes('-j MASQUERADE\nCOMMIT\n') && flags.stdout.includes('--nfacct-name ct_state_invalid_dropped_pkts'));
});

test('--config and --addr: nodePortAddresses picks the node addresses they list', () => {
  const config = file(
    'proxy.yaml',
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nnodePortAddresses: [172.18.0.0/16]\n',
  );
  const r = render([
    '-f',
    OVERALL,
    '--config',
    config,
    '--hostname',
    'kind-worker',
    '--node-ip',
    '172.18.0.3',
    '--addr',
    'eth0=172.18.0.3/16',
    '--addr',
    'eth1=10.0.9.1/24',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(
    r.stdout.includes('"kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 172.18.0.3 -j KUBE-NODEPORTS\n'),
  );
  assert.ok(r.stdout.includes('! -s 10.244.0.0/16 -j KUBE-MARK-MASQ'));
  assert.ok(!r.stdout.includes('KUBE-FIREWALL -m comment'), 'no loopback in nodePortAddresses: no localhost NodePorts');
});

test('--config conntrack.tcpBeLiberal: no INVALID drop in KUBE-FORWARD', () => {
  const config = file(
    'liberal.yaml',
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nconntrack: {tcpBeLiberal: true}\n',
  );
  const r = render(['-f', OVERALL, '--config', config, '--hostname', 'test-node', '--node-ip', '192.168.0.2']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules"') && !r.stdout.includes('INVALID'));
});

test('bad input: the field and the value are named, exit status 2, nothing on stdout', () => {
  const cases: [string[], RegExp][] = [
    [
      [
        '-f',
        file(
          'svc.yaml',
          'apiVersion: v1\nkind: Service\nmetadata: {namespace: ns1, name: web}\nspec: {clusterIP: 10.96.0.300, ports: [{port: 80, protocol: TCP}]}\n',
        ),
        '--hostname',
        'n',
        '--node-ip',
        '10.0.0.1',
      ],
      /^knetlab kube-proxy render: Service ns1\/web: spec\.clusterIP: Invalid value: "10\.96\.0\.300": must be a valid IP address\n$/,
    ],
    [
      [
        '-f',
        file(
          'proto.yaml',
          'apiVersion: v1\nkind: Service\nmetadata: {namespace: ns1, name: web}\nspec: {clusterIP: 10.96.0.3, ports: [{port: 80, protocol: ICMP}]}\n',
        ),
        '--hostname',
        'n',
        '--node-ip',
        '10.0.0.1',
      ],
      /spec\.ports\[0\]\.protocol: Invalid value: "ICMP": supported values: "SCTP", "TCP", "UDP"/,
    ],
    [
      [
        '-f',
        file(
          'eps.yaml',
          'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {namespace: ns1, name: web-1}\naddressType: IPv4\n',
        ),
        '--hostname',
        'n',
        '--node-ip',
        '10.0.0.1',
      ],
      /EndpointSlice ns1\/web-1: metadata\.labels\["kubernetes\.io\/service-name"\]: Required value/,
    ],
    [
      [
        '-f',
        OVERALL,
        '--config',
        file('bad.yaml', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\niptables: {masqueradeBit: 32}\n'),
        '--hostname',
        'n',
        '--node-ip',
        '10.0.0.1',
      ],
      /KubeProxyConfiguration: iptables\.masqueradeBit: Invalid value: 32: must be within the range \[0, 31\]/,
    ],
    [
      [
        '-f',
        OVERALL,
        '--config',
        file('ipvs.yaml', 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n'),
        '--hostname',
        'n',
        '--node-ip',
        '10.0.0.1',
      ],
      /KubeProxyConfiguration: mode: Invalid value: "ipvs": knetlab renders iptables mode only/,
    ],
    [
      ['-f', OVERALL, '--hostname', 'n', '--node-ip', '10.0.0.1', '--addr', 'eth0/x=10.0.0.1/24'],
      /--addr: invalid value "eth0\/x=10\.0\.0\.1\/24"/,
    ],
    [['-f', OVERALL, '--hostname', 'Bad_Node', '--node-ip', '10.0.0.1'], /--hostname: invalid node name "Bad_Node"/],
    [['-f', OVERALL, '--hostname', 'n'], /give the node IP with --node-ip IP/],
    [
      ['-f', join(dir, 'missing.yaml'), '--hostname', 'n', '--node-ip', '10.0.0.1'],
      /cannot read ".*missing\.yaml": No such file or directory/,
    ],
    [['-f', file('broken.yaml', 'kind: [\n'), '--hostname', 'n', '--node-ip', '10.0.0.1'], /broken\.yaml: /],
    [['-f', OVERALL, '--hostname', 'n', '--node-ip', '10.0.0.1', '--frobnicate'], /unknown option "--frobnicate"/],
  ];
  for (const [args, want] of cases) {
    const r = render(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, want);
  }
});
