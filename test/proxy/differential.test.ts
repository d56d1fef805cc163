// The rendered payload restored by the REAL iptables-restore (a real lab host: network
// namespaces of this machine, iptables 1.8.9 nf_tables) and by the emulated one leaves the same
// `iptables-save` of nat and filter. CI is root and must not skip it.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimHost, type HostNetwork, type NetHandle } from '../../src/host/index.js';
import { DEFAULT_CONFIG, renderFirstSync, splitTables } from '../../src/proxy/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';
import { FAKE_CONFIG, FAKE_NODE, loadObjects } from './harness.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/upstream');

/** iptables-save without its timestamped comment lines. */
const saved = (root: NetHandle, table: string): string => root.iptablesSave(table).split('\n').filter((l) => !l.startsWith('#')).join('\n');

function restoreAndSave(h: HostNetwork, payload: string): string {
  try {
    const root = h.at();
    for (const [table, text] of splitTables(payload)) root.iptablesRestore(table, text, { noflush: true });
    return `${saved(root, 'filter')}${saved(root, 'nat')}`;
  } finally {
    h.close();
  }
}

const cases = [
  { name: 'every service type and policy (upstream overall test), host defaults', file: 'overall', config: FAKE_CONFIG, caps: { randomFully: true, nfacct: false } },
  { name: 'every service type and policy, no cluster CIDR, no localhost NodePorts', file: 'overall', config: { ...DEFAULT_CONFIG, localhostNodePorts: false }, caps: { randomFully: false, nfacct: false } },
];

for (const c of cases) {
  test(`kube-proxy payload restores alike on the real and the emulated iptables: ${c.name}`, { skip: unavailable ?? false }, () => {
    const { payload } = renderFirstSync({ objects: loadObjects(join(DIR, `${c.file}.yaml`)), config: c.config, node: FAKE_NODE, caps: c.caps });
    const linux = restoreAndSave(new LinuxHost(), payload);
    const sim = restoreAndSave(new SimHost(), payload);
    assert.ok(linux.includes('KUBE-SVC-'), 'the real iptables took the payload');
    const diff = unifiedDiff(linux, sim, { from: 'linux', to: 'sim' });
    assert.ok(diff === '', `the emulated iptables differs from the real one:\n${diff}`);
  });
}
