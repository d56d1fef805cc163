// Shared by the kube-proxy tests: upstream's fake proxier node (proxier_test.go NewFakeProxier)
// and the checks every rendered payload gets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_CONFIG, renderFirstSync, type HostCapabilities, type NodeFacts, type ProxyConfig } from '../../src/proxy/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';

/** NewFakeProxier's node: test-node, 192.168.0.2, lo and eth0 as the fake network interfacer lists them. */
export const FAKE_NODE: NodeFacts = {
  hostname: 'test-node',
  nodeIP: '192.168.0.2',
  addresses: [
    { iface: 'lo', cidr: '127.0.0.1/8' },
    { iface: 'eth0', cidr: '192.168.0.2/24' },
    { iface: 'eth0', cidr: '192.168.1.2/24' },
    { iface: 'eth0', cidr: '192.168.99.11/24' },
  ],
};
/** NewFakeProxier: pod CIDR 10.0.0.0/8 for local detection, localhost NodePorts on. */
export const FAKE_CONFIG: ProxyConfig = { ...DEFAULT_CONFIG, clusterCIDRs: [{ addr: 0x0a000000, len: 8, text: '10.0.0.0/8' }] };
/** The fake iptables has no --random-fully; the fake proxier's nfacct counters all exist. */
export const FAKE_CAPS: HostCapabilities = { randomFully: false, nfacct: true };

export function loadObjects(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
    if (d.errors.length) throw d.errors[0];
    return d.toJS();
  });
}

/**
 * Renders as upstream's fake proxier would. Its mark is the literal "0x4000" where kube-proxy
 * proper formats 1<<14 with %#08x ("0x00004000"), so the payload is compared with that one
 * spelling changed; everything else is byte for byte.
 */
export function renderLikeUpstreamTests(
  objects: unknown[],
  config: ProxyConfig = FAKE_CONFIG,
  caps: HostCapabilities = FAKE_CAPS,
  node: NodeFacts = FAKE_NODE,
): string {
  const { payload } = renderFirstSync({ objects, config, node, caps });
  checkJumps(payload);
  return payload.replaceAll('0x00004000', '0x4000');
}

export function assertSameText(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  assert.fail(`${what} differs from upstream's expectation:\n${unifiedDiff(expected, actual, { from: 'upstream', to: 'knetlab' })}`);
}

const TARGETS = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE']);

/**
 * upstream's checkIPTablesRuleJumps (STYLE 6): every jump and every -A names a chain the payload
 * creates, no jumped-to chain is empty (KUBE-NODEPORTS excepted), no created chain is unused
 * (the top-level ones excepted).
 */
export function checkJumps(payload: string): void {
  const topLevel = new Set([
    'KUBE-SERVICES',
    'KUBE-EXTERNAL-SERVICES',
    'KUBE-NODEPORTS',
    'KUBE-POSTROUTING',
    'KUBE-FORWARD',
    'KUBE-MARK-MASQ',
    'KUBE-PROXY-FIREWALL',
    'KUBE-FIREWALL',
  ]);
  for (const block of payload.split(/(?<=^COMMIT\n)/m).filter((b) => b.trim())) {
    const lines = block.split('\n');
    const table = lines[0]!.slice(1);
    const all = (re: RegExp) =>
      new Set(
        lines.flatMap((l) => {
          const m = re.exec(l);
          return m ? [m[1]!] : [];
        }),
      );
    const created = all(/^:(\S+)/);
    for (const x of all(/^-X (\S+)/)) created.delete(x);
    const filled = all(/^-A (\S+)/);
    const jumped = new Set(lines.flatMap((l) => [...l.matchAll(/-j (\S+)/g)].map((m) => m[1]!)).filter((t) => !TARGETS.has(t)));
    const missing = [...jumped, ...filled].filter((c) => !created.has(c));
    assert.deepEqual(missing, [], `chains in ${table} are used but were not created`);
    const empty = [...jumped].filter((c) => !filled.has(c) && c !== 'KUBE-NODEPORTS');
    assert.deepEqual(empty, [], `chains in ${table} are jumped to but have no rules`);
    const extra = [...created].filter((c) => !jumped.has(c) && !topLevel.has(c));
    assert.deepEqual(extra, [], `chains in ${table} are created but not used`);
  }
}
