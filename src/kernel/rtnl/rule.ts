// Rule requests as the kernel answers them (fib_newrule / fib_delrule in net/core/fib_rules.c:
// fib_nl2rule's checks with their extack texts, rule_exists, fib4_rule_configure).
import { KernelError } from '../errors.js';
import type { Netns } from '../netns.js';
import { FR_ACT_GOTO, FR_ACT_TO_TBL, type FibRule, type Range } from '../rules.js';

/** An RTM_NEWRULE / RTM_DELRULE message: `rule` holds what was sent (zero, '' and -1 for unset), `pref` whether FRA_PRIORITY was. */
export interface RuleMsg {
  readonly rule: FibRule;
  readonly userPref: boolean;
  /** FRA_GOTO was sent. */
  readonly hasGoto: boolean;
}

const portRangeValid = (r: Range | undefined): boolean =>
  r === undefined || (r.start !== 0 && r.end !== 0 && r.end < 0xffff && r.start <= r.end);

/** fib_nl2rule(): the checks a request meets before it is added or looked for; fills the default priority. */
function nl2rule(ns: Netns, m: RuleMsg): FibRule {
  let rule = m.rule;
  if (!m.userPref) rule = Object.assign({}, rule, { pref: ns.rules.defaultPref() });
  if (m.hasGoto) {
    if (rule.action !== FR_ACT_GOTO) throw new KernelError('EINVAL', 'Unexpected goto');
    if (rule.target <= rule.pref) throw new KernelError('EINVAL', 'Backward goto not supported');
  } else if (rule.action === FR_ACT_GOTO) throw new KernelError('EINVAL', 'Missing goto target for action goto');
  if (rule.uidrange !== undefined && rule.uidrange.start > rule.uidrange.end) throw new KernelError('EINVAL', 'Invalid uid range');
  if (!portRangeValid(rule.sport)) throw new KernelError('EINVAL', 'Invalid sport range');
  if (!portRangeValid(rule.dport)) throw new KernelError('EINVAL', 'Invalid dport range');
  return rule;
}

/**
 * fib_newrule(): `ip rule add` (NLM_F_EXCL: a duplicate is EEXIST). A lookup rule without a table
 * gets a new empty one (fib_empty_table: the lowest unused id from 1).
 */
export function newRule(ns: Netns, m: RuleMsg): FibRule {
  let rule = nl2rule(ns, m);
  if (ns.rules.rules().some((r) => ns.rules.isDuplicate(r, rule))) throw new KernelError('EEXIST');
  // fib4_rule_configure()
  if (rule.tos & 0x03) throw new KernelError('EINVAL', 'Invalid dsfield (tos): ECN bits must be 0');
  if (rule.tos & ~0x1e) throw new KernelError('EINVAL', 'Invalid tos');
  if (rule.table === 0 && rule.action === FR_ACT_TO_TBL) {
    let id = 1;
    while (ns.tables.has(id)) id++;
    ns.table(id); // empty, made with the others' watch
    rule = Object.assign({}, rule, { table: id });
  }
  ns.rules.add(rule);
  return rule;
}

/** fib_delrule(): `ip rule del`, the first rule matching what was sent; ENOENT when none. */
export function delRule(ns: Netns, m: RuleMsg): FibRule {
  return ns.rules.delete(nl2rule(ns, m), m.userPref);
}
