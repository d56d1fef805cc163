// The kernel's checks of a rule, as nf_tables (with the xt compat layer) makes them when a
// batch is committed: which tables a target or match may be used in, and which hooks it may run
// at (xt_check_target/xt_check_match hook masks, enforced through jumps from the base chains).
import type { BuiltinChain, Rule, TableName } from './types.js';

export const HOOK_BITS: Readonly<Record<BuiltinChain, number>> = { PREROUTING: 1, INPUT: 2, FORWARD: 4, OUTPUT: 8, POSTROUTING: 16 };
export const ALL_HOOKS = 31;

/** The hooks a rule may run at (xt_check_target/match hook masks), all when unrestricted. */
export function allowedHooks(r: Rule): number {
  let h = ALL_HOOKS;
  const t = r.target;
  if (t.kind === 'DNAT') h &= HOOK_BITS.PREROUTING | HOOK_BITS.OUTPUT;
  else if (t.kind === 'SNAT') h &= HOOK_BITS.POSTROUTING | HOOK_BITS.INPUT;
  else if (t.kind === 'MASQUERADE') h &= HOOK_BITS.POSTROUTING;
  else if (t.kind === 'REDIRECT') h &= HOOK_BITS.PREROUTING | HOOK_BITS.OUTPUT;
  else if (t.kind === 'REJECT') h &= HOOK_BITS.INPUT | HOOK_BITS.FORWARD | HOOK_BITS.OUTPUT;
  const ms = r.matches;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.kind !== 'addrtype') continue;
    if (m.limitIfaceIn) h &= HOOK_BITS.PREROUTING | HOOK_BITS.INPUT | HOOK_BITS.FORWARD;
    if (m.limitIfaceOut) h &= HOOK_BITS.POSTROUTING | HOOK_BITS.OUTPUT | HOOK_BITS.FORWARD;
  }
  return h;
}

/** The table a rule is valid in regardless of hooks (nat targets in nat, REJECT in filter, ...). */
export function validInTable(table: TableName, r: Rule): boolean {
  const t = r.target;
  if ((t.kind === 'DNAT' || t.kind === 'SNAT' || t.kind === 'MASQUERADE' || t.kind === 'REDIRECT') && table !== 'nat') return false;
  if (t.kind === 'CT' && table !== 'raw') return false;
  if (t.kind === 'REJECT') {
    if (table !== 'filter') return false;
    if (t.rejectWith === 'tcp-reset' && (r.protocol?.proto !== 6 || r.protocol.invert)) return false;
  }
  const ms = r.matches;
  for (let i = 0; i < ms.length; i++) if (ms[i]!.kind === 'icmp' && (r.protocol?.proto !== 1 || r.protocol.invert)) return false;
  // `! -s 0.0.0.0/0` matches nothing; iptables-nft cannot express it and the kernel refuses it.
  if ((r.src?.invert && r.src.len === 0) || (r.dst?.invert && r.dst.len === 0)) return false;
  return true;
}
