// flanneld's iptables traffic manager (flannel pkg/trafficmngr/iptables/iptables.go): the masquerade
// rules in nat FLANNEL-POSTRTG and the forward rules in filter FLANNEL-FWD, each rule a chain plus
// its rulespec as flannel passes it to iptables. Applying (ipTablesBootstrap) deletes a rule that is
// already there and appends it again, in one `iptables-restore --noflush`, so the order is exact;
// ensure (every --iptables-resync seconds) does that again only when some rule is missing.
import type { NetHandle } from '../host/index.js';
import { formatCidr } from './flannel-config.js';
import type { Prefix } from '../wire/index.js';

export interface FlannelRule {
  readonly table: 'nat' | 'filter';
  readonly chain: string;
  readonly spec: readonly string[];
}

/** trafficmngr.KubeProxyMark: what kube-proxy marks for masquerade, left to kube-proxy. */
const KUBE_PROXY_MARK = '0x4000/0x4000';
const MASQ = ['-m', 'comment', '--comment', 'flanneld masq'];
const FWD = ['-m', 'comment', '--comment', 'flanneld forward'];

/** masqRules(): `network` the cluster network, `lease` this node's subnet (network address form). */
export function masqRules(network: Prefix, lease: Prefix, randomFully: boolean): FlannelRule[] {
  const c = formatCidr(network);
  const p = formatCidr(lease);
  const masq = randomFully ? ['-j', 'MASQUERADE', '--random-fully'] : ['-j', 'MASQUERADE'];
  const r = (chain: string, spec: string[]): FlannelRule => ({ table: 'nat', chain, spec });
  return [
    r('POSTROUTING', [...MASQ, '-j', 'FLANNEL-POSTRTG']),
    r('FLANNEL-POSTRTG', ['-m', 'mark', '--mark', KUBE_PROXY_MARK, ...MASQ, '-j', 'RETURN']),
    r('FLANNEL-POSTRTG', ['-s', p, '-d', c, ...MASQ, '-j', 'RETURN']),
    r('FLANNEL-POSTRTG', ['-s', c, '-d', p, ...MASQ, '-j', 'RETURN']),
    r('FLANNEL-POSTRTG', ['!', '-s', c, '-d', p, ...MASQ, '-j', 'RETURN']),
    r('FLANNEL-POSTRTG', ['-s', c, '!', '-d', '224.0.0.0/4', ...MASQ, ...masq]),
    r('FLANNEL-POSTRTG', ['!', '-s', c, '-d', c, ...MASQ, ...masq]),
  ];
}

/** forwardRules(): traffic from or to the cluster network is accepted whatever FORWARD's policy. */
export function forwardRules(network: Prefix): FlannelRule[] {
  const c = formatCidr(network);
  return [
    { table: 'filter', chain: 'FORWARD', spec: [...FWD, '-j', 'FLANNEL-FWD'] },
    { table: 'filter', chain: 'FLANNEL-FWD', spec: ['-s', c, ...FWD, '-j', 'ACCEPT'] },
    { table: 'filter', chain: 'FLANNEL-FWD', spec: ['-d', c, ...FWD, '-j', 'ACCEPT'] },
  ];
}

const quote = (a: string): string => (/^[A-Za-z0-9_.,:/!-]+$/.test(a) ? a : `"${a}"`);

/** A rule as iptables-save prints it: `-A CHAIN spec`, which is also how restore takes it. */
export const ruleLine = (r: FlannelRule): string => `-A ${r.chain} ${r.spec.map(quote).join(' ')}`;

/** The flannel chain a rule lives in or jumps to (FLANNEL-POSTRTG / FLANNEL-FWD). */
const flannelChain = (r: FlannelRule): string => (r.chain.startsWith('FLANNEL-') ? r.chain : r.spec[r.spec.length - 1]!);

function saved(root: NetHandle, table: string): { lines: Set<string>; chains: Set<string> } {
  const lines = new Set(root.iptablesSave(table).split('\n'));
  const chains = new Set([...lines].flatMap((l) => (l.startsWith(':') ? [l.slice(1, l.indexOf(' '))] : [])));
  return { lines, chains };
}

/** CreateIP4Chain: ClearChain — the chain is made, or flushed when it exists. */
export function clearChain(root: NetHandle, table: 'nat' | 'filter', chain: string): void {
  root.iptablesRestore(table, `*${table}\n:${chain} - [0:0]\nCOMMIT\n`, { noflush: true });
}

/** ipTablesBootstrap(): per table, `-D` of each rule present then `-A` of every rule, applied at once. */
export function bootstrapRules(root: NetHandle, rules: readonly FlannelRule[]): void {
  for (const table of ['nat', 'filter'] as const) {
    const mine = rules.filter((r) => r.table === table);
    if (mine.length === 0) continue;
    const { lines, chains } = saved(root, table);
    const out = [`*${table}`];
    for (const c of new Set(mine.map(flannelChain))) if (!chains.has(c)) out.push(`:${c} - [0:0]`);
    for (const r of mine) {
      const line = ruleLine(r);
      if (lines.has(line)) out.push(`-D${line.slice(2)}`);
      out.push(line);
    }
    out.push('COMMIT', '');
    root.iptablesRestore(table, out.join('\n'), { noflush: true });
  }
}

/** ipTablesRulesExist(): every rule's flannel chain exists and the rule is in it. */
export function rulesExist(root: NetHandle, rules: readonly FlannelRule[]): boolean {
  const cache = new Map<string, ReturnType<typeof saved>>();
  return rules.every((r) => {
    const s = cache.get(r.table) ?? saved(root, r.table);
    cache.set(r.table, s);
    return s.chains.has(flannelChain(r)) && s.lines.has(ruleLine(r));
  });
}

/** teardownIPTables(): `-D` of each rule that is present (the old network's or lease's rules). */
export function teardownRules(root: NetHandle, rules: readonly FlannelRule[]): void {
  for (const table of ['nat', 'filter'] as const) {
    const { lines } = saved(root, table);
    const dels = rules.filter((r) => r.table === table && lines.has(ruleLine(r))).map((r) => `-D${ruleLine(r).slice(2)}`);
    if (dels.length === 0) continue;
    root.iptablesRestore(table, [`*${table}`, ...dels, 'COMMIT', ''].join('\n'), { noflush: true });
  }
}
