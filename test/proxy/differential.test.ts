// The rendered payload restored by the REAL iptables-restore (a real lab host: network
// namespaces of this machine, iptables 1.8.9 nf_tables) and by the emulated one leaves the same
// `iptables-save` of nat and filter. CI is root and must not skip it.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimHost, type HostNetwork, type NetHandle } from '../../src/host/index.js';
import {
  DEFAULT_CONFIG,
  IptablesProxier,
  jumpRestoreText,
  proxyConfig,
  renderFirstSync,
  splitTables,
  type NodeFacts,
} from '../../src/proxy/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';
import { checkJumps, FAKE_CONFIG, FAKE_NODE, loadObjects } from './harness.js';
import { UPSTREAM_CASES } from './upstream-cases.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1')
  throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy');
const KIND_NODE: NodeFacts = {
  hostname: 'kind-worker',
  nodeIP: '172.18.0.3',
  addresses: [
    { iface: 'lo', cidr: '127.0.0.1/8' },
    { iface: 'eth0', cidr: '172.18.0.3/16' },
  ],
};

/** iptables-save without its timestamped comment lines. */
const saved = (root: NetHandle, table: string): string =>
  root
    .iptablesSave(table)
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');

function restoreAndSave(h: HostNetwork, payload: string): string {
  try {
    const root = h.at();
    // kube-proxy's own order: the jump rules (EnsureChain, EnsureRule), then the payload.
    for (const table of ['filter', 'nat'] as const) root.iptablesRestore(table, jumpRestoreText(table), { noflush: true });
    for (const [table, text] of splitTables(payload)) root.iptablesRestore(table, text, { noflush: true });
    return `${saved(root, 'filter')}${saved(root, 'nat')}`;
  } finally {
    h.close();
  }
}

const cases = [
  {
    name: 'every service type and policy (upstream overall test), host defaults',
    file: 'upstream/overall',
    config: FAKE_CONFIG,
    node: FAKE_NODE,
    caps: { randomFully: true, nfacct: false },
  },
  {
    name: 'every service type and policy, no cluster CIDR, no localhost NodePorts',
    file: 'upstream/overall',
    config: { ...DEFAULT_CONFIG, localhostNodePorts: false },
    node: FAKE_NODE,
    caps: { randomFully: false, nfacct: false },
  },
  {
    name: 'zero-padded addresses written canonically (upstream TestBadIPs), conntrack tcpBeLiberal',
    file: 'upstream/bad-ips',
    config: { ...FAKE_CONFIG, conntrackTCPBeLiberal: true },
    node: FAKE_NODE,
    caps: { randomFully: true, nfacct: false },
  },
  {
    name: 'ports, protocols, traffic policies, terminating endpoints, affinity (kind config)',
    file: 'testdata/policies',
    config: proxyConfig(loadObjects(join(DIR, 'testdata/kind-kube-proxy.yaml'))[0]),
    node: KIND_NODE,
    caps: { randomFully: true, nfacct: false },
  },
];

// And every payload of upstream's own whole-payload tests, rendered with their settings (but no
// nfacct match: this host has no such counters, and real iptables refuses a rule naming a missing one).
for (const u of UPSTREAM_CASES) {
  const caps = { ...u.caps, nfacct: false };
  cases.push({ name: `${u.test} (${u.expected})`, file: `upstream/${u.objects}`, config: u.config, node: u.node, caps });
}

for (const c of cases) {
  test(`kube-proxy payload restores alike on the real and the emulated iptables: ${c.name}`, { skip: unavailable ?? false }, () => {
    const { payload } = renderFirstSync({
      objects: loadObjects(join(DIR, `${c.file}.yaml`)),
      config: c.config,
      node: c.node,
      caps: c.caps,
    });
    checkJumps(payload);
    const linux = restoreAndSave(new LinuxHost(), payload);
    const sim = restoreAndSave(new SimHost(), payload);
    assert.ok(linux.includes('"kubernetes service traffic requiring SNAT" -j MASQUERADE'), 'the real iptables took the payload');
    assert.ok(linux.includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'), 'and the jump rules');
    const diff = unifiedDiff(linux, sim, { from: 'linux', to: 'sim' });
    assert.ok(diff === '', `the emulated iptables differs from the real one:\n${diff}`);
  });
}

test('a partial sync (a Service deleted, an endpoint changed) restores alike on the real and the emulated iptables, -X included', {
  skip: unavailable ?? false,
}, () => {
  const syncs = (): string[] => {
    const p = new IptablesProxier(FAKE_NODE, FAKE_CONFIG, { randomFully: true, nfacct: false });
    for (const o of loadObjects(join(DIR, 'upstream/overall.yaml')) as { kind: string; metadata: { namespace: string; name: string } }[]) {
      if (o.kind === 'Service') p.upsertService(o);
      else p.upsertEndpointSlice(o);
    }
    const first = p.sync().payload;
    p.deleteService('ns2', 'svc2');
    p.upsertEndpointSlice({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace: 'ns4', name: 'svc4-1', labels: { 'kubernetes.io/service-name': 'svc4' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.180.0.4'] }, { addresses: ['10.180.0.6'] }],
      ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
    });
    const second = p.sync();
    assert.ok(!second.full && second.payload.includes('\n-X '));
    return [first, second.payload];
  };
  const run = (h: HostNetwork): string => {
    try {
      const root = h.at();
      for (const payload of syncs()) for (const [table, text] of splitTables(payload)) root.iptablesRestore(table, text, { noflush: true });
      return `${saved(root, 'filter')}${saved(root, 'nat')}`;
    } finally {
      h.close();
    }
  };
  const linux = run(new LinuxHost());
  const sim = run(new SimHost());
  assert.ok(!linux.includes('KUBE-SVC-GNZBNJ2PO5MGZ6GT') && linux.includes('10.180.0.6:80'), 'the real kernel took the partial sync');
  const diff = unifiedDiff(linux, sim, { from: 'linux', to: 'sim' });
  assert.ok(diff === '', `the emulated iptables differs from the real one:\n${diff}`);
});
