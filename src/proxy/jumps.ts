// The rules kube-proxy adds outside its restore payload, one `iptables -I` each on a full sync
// (proxier.go iptablesJumpChains and iptablesKubeletJumpChains: EnsureChain + EnsureRule
// Prepend), and the empty canary chain its monitor watches in mangle, nat and filter.
// Static wiring kept as a declarative table (STYLE 5).

export interface JumpRule {
  readonly table: 'filter' | 'nat';
  /** The built-in chain that jumps. */
  readonly from: string;
  /** kube-proxy's chain it jumps to. */
  readonly to: string;
  /** The rule's arguments after the chain name, as `iptables -I FROM` takes them. */
  readonly args: readonly string[];
}

const jump = (table: JumpRule['table'], to: string, from: string, comment: string, extra: string[] = []): JumpRule => ({
  table,
  from,
  to,
  args: [...extra, ...(comment ? ['-m', 'comment', '--comment', comment] : []), '-j', to],
});
const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

/** In upstream's order; each is inserted at the head of its chain, so the last one ends up first. */
export const JUMP_RULES: readonly JumpRule[] = [
  jump('filter', 'KUBE-EXTERNAL-SERVICES', 'INPUT', 'kubernetes externally-visible service portals', NEW),
  jump('filter', 'KUBE-EXTERNAL-SERVICES', 'FORWARD', 'kubernetes externally-visible service portals', NEW),
  jump('filter', 'KUBE-NODEPORTS', 'INPUT', 'kubernetes health check service ports'),
  jump('filter', 'KUBE-SERVICES', 'FORWARD', 'kubernetes service portals', NEW),
  jump('filter', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals', NEW),
  jump('filter', 'KUBE-FORWARD', 'FORWARD', 'kubernetes forwarding rules'),
  jump('filter', 'KUBE-PROXY-FIREWALL', 'INPUT', 'kubernetes load balancer firewall', NEW),
  jump('filter', 'KUBE-PROXY-FIREWALL', 'OUTPUT', 'kubernetes load balancer firewall', NEW),
  jump('filter', 'KUBE-PROXY-FIREWALL', 'FORWARD', 'kubernetes load balancer firewall', NEW),
  jump('nat', 'KUBE-SERVICES', 'OUTPUT', 'kubernetes service portals'),
  jump('nat', 'KUBE-SERVICES', 'PREROUTING', 'kubernetes service portals'),
  jump('nat', 'KUBE-POSTROUTING', 'POSTROUTING', 'kubernetes postrouting rules'),
  jump('filter', 'KUBE-FIREWALL', 'INPUT', ''),
  jump('filter', 'KUBE-FIREWALL', 'OUTPUT', ''),
];

export const CANARY_CHAIN = 'KUBE-PROXY-CANARY';
export const CANARY_TABLES = ['mangle', 'nat', 'filter'] as const;

/**
 * The jump rules of one table as an iptables-restore block for a `--noflush` restore, applied
 * before the payload as kube-proxy's EnsureChain/EnsureRule calls are: each `-I` goes to the
 * head of its chain in upstream's order, and kube-proxy's chains are declared (new, so empty).
 */
export function jumpRestoreText(table: JumpRule['table']): string {
  const rules = JUMP_RULES.filter((j) => j.table === table);
  const chains = [...new Set(rules.map((j) => j.to))];
  const quote = (a: string): string => (/^[A-Za-z0-9_.,:/!-]+$/.test(a) ? a : `"${a}"`);
  return [
    `*${table}`,
    ...chains.map((c) => `:${c} - [0:0]`),
    ...rules.map((j) => `-I ${j.from} ${j.args.map(quote).join(' ')}`),
    'COMMIT',
    '',
  ].join('\n');
}
