// The rendered payload restored by the REAL iptables-restore (a real lab host: network
// namespaces of this machine, iptables 1.8.9 nf_tables) and by the emulated one leaves the same
// `iptables-save` of nat and filter. CI is root and must not skip it.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimHost, type HostNetwork, type NetHandle } from '../../src/host/index.js';
import { DEFAULT_CONFIG, jumpRestoreText, proxyConfig, renderFirstSync, splitTables, type NodeFacts } from '../../src/proxy/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';
import { FAKE_CONFIG, FAKE_NODE, loadObjects } from './harness.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy');
const KIND_NODE: NodeFacts = { hostname: 'kind-worker', nodeIP: '172.18.0.3', addresses: [{ iface: 'lo', cidr: '127.0.0.1/8' }, { iface: 'eth0', cidr: '172.18.0.3/16' }] };

/** iptables-save without its timestamped comment lines. */
const saved = (root: NetHandle, table: string): string => root.iptablesSave(table).split('\n').filter((l) => !l.startsWith('#')).join('\n');

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
  { name: 'every service type and policy (upstream overall test), host defaults', file: 'upstream/overall', config: FAKE_CONFIG, node: FAKE_NODE, caps: { randomFully: true, nfacct: false } },
  { name: 'every service type and policy, no cluster CIDR, no localhost NodePorts', file: 'upstream/overall', config: { ...DEFAULT_CONFIG, localhostNodePorts: false }, node: FAKE_NODE, caps: { randomFully: false, nfacct: false } },
  { name: 'ports, protocols, traffic policies, terminating endpoints, affinity (kind config)', file: 'testdata/policies', config: proxyConfig(loadObjects(join(DIR, 'testdata/kind-kube-proxy.yaml'))[0]), node: KIND_NODE, caps: { randomFully: true, nfacct: false } },
];

for (const c of cases) {
  test(`kube-proxy payload restores alike on the real and the emulated iptables: ${c.name}`, { skip: unavailable ?? false }, () => {
    const { payload } = renderFirstSync({ objects: loadObjects(join(DIR, `${c.file}.yaml`)), config: c.config, node: c.node, caps: c.caps });
    const linux = restoreAndSave(new LinuxHost(), payload);
    const sim = restoreAndSave(new SimHost(), payload);
    assert.ok(linux.includes('KUBE-SVC-'), 'the real iptables took the payload');
    assert.ok(linux.includes('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'), 'and the jump rules');
    const diff = unifiedDiff(linux, sim, { from: 'linux', to: 'sim' });
    assert.ok(diff === '', `the emulated iptables differs from the real one:\n${diff}`);
  });
}
