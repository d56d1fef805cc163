// The iptables side of the reference plugins (containernetworking/plugins pkg/utils and
// pkg/ip/ipmasq_iptables_linux.go): chain names `CNI-` + hex of sha512(name + id), cut to
// iptables' 28 characters, the `name: "<net>" id: "<container>"` comment, and go-iptables'
// AppendUnique/Delete made as iptables-restore --noflush text, so a rule already there is not
// added twice and one already gone is not an error.
import { sha512 } from '@noble/hashes/sha2.js';
import type { NetHandle } from '../host/index.js';

const utf8 = new TextEncoder();
const MAX_CHAIN = 28;

/** utils.MustFormatHashWithPrefix(28, "CNI-" + prefix, name + id). */
export function cniChainName(name: string, id: string, prefix = ''): string {
  const hex = [...sha512(utf8.encode(name + id))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `CNI-${prefix}${hex}`.slice(0, MAX_CHAIN);
}

/** utils.FormatComment: Go's %q of the network name and the container id. */
export function cniComment(name: string, id: string): string {
  return `name: ${JSON.stringify(name)} id: ${JSON.stringify(id)}`;
}

/** A comment as iptables-save quotes it (and iptables-restore reads it back). */
export function quoteComment(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The chains and rules of one table as `iptables-save` lists them. */
export class SavedTable {
  readonly chains = new Set<string>();
  readonly rules = new Set<string>();

  constructor(text: string) {
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) this.chains.add(line.slice(1).split(' ')[0]!);
      else if (line.startsWith('-A ')) this.rules.add(line);
    }
  }
}

/** One `iptables-restore --noflush` of table `table`: lines run in order, nothing when there is nothing to do. */
export function restoreLines(h: NetHandle, table: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  h.iptablesRestore(table, `*${table}\n${lines.join('\n')}\nCOMMIT\n`, { noflush: true });
}

/**
 * ip.SetupIPMasq for each address: chain CNI-… accepting traffic to the pod's own subnet and
 * masquerading the rest (multicast spared), jumped to from POSTROUTING for the pod's address.
 * `ips` are the pod's CIDRs as `10.244.1.2/24`.
 */
export function setupIpMasq(h: NetHandle, ips: readonly string[], network: string, containerId: string): void {
  const chain = cniChainName(network, containerId);
  const comment = quoteComment(cniComment(network, containerId));
  const saved = new SavedTable(h.iptablesSave('nat'));
  const lines: string[] = [];
  if (!saved.chains.has(chain)) lines.push(`:${chain} - [0:0]`);
  const want = (rule: string) => {
    if (!saved.rules.has(rule) && !lines.includes(rule)) lines.push(rule);
  };
  for (const cidr of ips) {
    const [addr, len] = cidr.split('/') as [string, string];
    want(`-A ${chain} -d ${networkOf(addr, Number(len))}/${len} -m comment --comment ${comment} -j ACCEPT`);
    want(`-A ${chain} ! -d 224.0.0.0/4 -m comment --comment ${comment} -j MASQUERADE`);
    want(`-A POSTROUTING -s ${addr}/32 -m comment --comment ${comment} -j ${chain}`);
  }
  restoreLines(h, 'nat', lines);
}

/** ip.TeardownIPMasq: the POSTROUTING jumps (both the address and the old CIDR form), then the chain flushed and deleted. */
export function teardownIpMasq(h: NetHandle, ips: readonly string[], network: string, containerId: string): void {
  const chain = cniChainName(network, containerId);
  const comment = quoteComment(cniComment(network, containerId));
  const saved = new SavedTable(h.iptablesSave('nat'));
  const lines: string[] = [];
  for (const cidr of ips) {
    const [addr, len] = cidr.split('/') as [string, string];
    for (const src of [`${addr}/32`, `${networkOf(addr, Number(len))}/${len}`]) {
      const rule = `-A POSTROUTING -s ${src} -m comment --comment ${comment} -j ${chain}`;
      if (saved.rules.has(rule)) lines.push(rule.replace(/^-A /, '-D '));
    }
  }
  if (saved.chains.has(chain)) lines.push(`-F ${chain}`, `-X ${chain}`);
  restoreLines(h, 'nat', lines);
}

/** The network address of `addr/len` (iptables prints a masked prefix). */
export function networkOf(addr: string, len: number): string {
  const n = addr.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  const m = (n & mask) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 255).join('.');
}
