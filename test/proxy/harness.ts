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

/**
 * The normalisation upstream's assertIPTablesRulesEqual applies to kube-proxy's payload before
 * comparing it with the expected text (proxier_test.go sortIPTablesRules): tables by name; in each,
 * the chain lines and the rules grouped by chain, chains ordered KUBE-NODEPORTS, KUBE-SERVICES,
 * other KUBE-* by name, then the rest by name; the rules of KUBE-NODEPORTS and KUBE-SERVICES
 * stably sorted by the service name their comment starts with (up to a space or a colon; rules
 * without a comment keep their place), the nat KUBE-SERVICES "must be the last rule" jump last;
 * `-X` lines after the rules. knetlab writes its payload in this order already, so the golden
 * tests check both that it is a fixed point of this sort and that it equals upstream's text.
 */
export function sortLikeUpstream(payload: string): string {
  const tables = payload
    .split(/(?<=^COMMIT\n)/m)
    .filter((b) => b.trim())
    .map((block) => {
      const lines = block.split('\n').filter((l) => l !== '');
      const name = lines[0]!.slice(1);
      const chains: string[] = [];
      const rules = new Map<string, string[]>();
      const deleted: string[] = [];
      for (const l of lines.slice(1, -1)) {
        if (l.startsWith(':')) {
          const c = l.slice(1).split(' ')[0]!;
          chains.push(c);
          rules.set(c, []);
        } else if (l.startsWith('-X ')) deleted.push(l.slice(3));
        else rules.get(l.split(' ')[1]!)!.push(l);
      }
      chains.sort(upstreamChainOrder);
      for (const c of ['KUBE-NODEPORTS', 'KUBE-SERVICES']) {
        const r = rules.get(c);
        if (r) rules.set(c, stableSort(r, byServiceName(name === 'nat' && c === 'KUBE-SERVICES')));
      }
      const out = [
        `*${name}`,
        ...chains.map((c) => `:${c} - [0:0]`),
        ...chains.flatMap((c) => rules.get(c)!),
        ...deleted.sort(upstreamChainOrder).map((c) => `-X ${c}`),
        'COMMIT',
      ];
      return { name, text: `${out.join('\n')}\n` };
    });
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return tables.map((t) => t.text).join('');
}

function upstreamChainOrder(a: string, b: string): number {
  const rank = (c: string) => (c === 'KUBE-NODEPORTS' ? 0 : c === 'KUBE-SERVICES' ? 1 : c.startsWith('KUBE-') ? 2 : 3);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The service name a rule's comment starts with, or undefined for a rule without a comment. */
function commentService(rule: string): string | undefined {
  const m = / -m comment --comment ("[^"]*"|\S+)/.exec(rule);
  if (!m) return undefined;
  const text = m[1]!.replace(/^"(.*)"$/, '$1');
  const cut = text.search(/[ :]/);
  return cut < 0 ? text : text.slice(0, cut);
}

/** upstream's "less" for the two sorted chains: by comment service name, the NodePort jump last. */
function byServiceName(lastRuleLast: boolean): (a: string, b: string) => boolean {
  return (a, b) => {
    if (lastRuleLast && a.includes('must be the last rule')) return false;
    if (lastRuleLast && b.includes('must be the last rule')) return true;
    const x = commentService(a);
    const y = commentService(b);
    return x !== undefined && y !== undefined && x < y;
  };
}

/** Go's sort.SliceStable with a "less" function (a stable insertion sort, as Go's is for small runs). */
function stableSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  const out = [...items];
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j]!, out[j - 1]!); j--) [out[j - 1], out[j]] = [out[j]!, out[j - 1]!];
  }
  return out;
}

/**
 * A payload against upstream's expected text as upstream's assertIPTablesRulesEqual compares it
 * (after sortLikeUpstream), and knetlab's own order against that sort.
 */
export function assertLikeUpstream(actual: string, expected: string, what: string): void {
  assertSameText(sortLikeUpstream(actual), expected, what);
  assertSameText(actual, sortLikeUpstream(actual), `${what} (knetlab's own order, against upstream's sort of it)`);
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
