// IPv4 policy routing rules (net/core/fib_rules.c with net/ipv4/fib_rules.c): a namespace's
// ordered rule list, the priority a rule gets when none is given, which rule a delete removes,
// and the walk fib_rules_lookup() makes over the rules for a flow.
import type { Ipv4 } from '../wire/index.js';
import type { Errno } from './errors.js';
import { KernelError } from './errors.js';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_KERNEL } from './fib.js';
import type { Link } from './link.js';

/**
 * FR_ACT_*: what a matching rule does. iproute2 sends route type numbers (RTN_*) for the type
 * words, so any number up to 255 may be stored; the kernel treats the unknown ones as blackhole.
 */
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;

/** A port or uid range (struct fib_rule_port_range / fib_rule_uid_range), both ends included. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface FibRule {
  readonly pref: number;
  /** FR_ACT_*; 0 (unspecified) only in a delete request. */
  readonly action: number;
  /** The table of a lookup rule; 0 when the request named none (other actions, or a delete for any). */
  readonly table: number;
  /** FIB_RULE_INVERT (`not`). */
  readonly invert: boolean;
  readonly src: Ipv4;
  readonly srcLen: number;
  readonly dst: Ipv4;
  readonly dstLen: number;
  readonly tos: number;
  readonly mark: number;
  readonly markMask: number;
  /** Device names (`iif`, `oif`); '' for any. A rule names a device, which may not exist (yet). */
  readonly iif: string;
  readonly oif: string;
  /** The priority a `goto` jumps to. */
  readonly target: number;
  /** -1 when not set. */
  readonly suppressPrefixlen: number;
  readonly suppressIfgroup: number;
  readonly protocol: number;
  readonly ipproto: number;
  readonly sport?: Range;
  readonly dport?: Range;
  readonly uidrange?: Range;
  /** FRA_FLOW (`realms`), 0 when unset. */
  readonly realms: number;
}

/** What a lookup knows of a packet (struct flowi4): src 0 is "not chosen yet", as for an unbound socket. */
export interface Flow {
  readonly dst: Ipv4;
  readonly src?: Ipv4;
  /** The input device; locally generated packets come from loopback (LOOPBACK_IFINDEX). */
  readonly iif?: Link;
  readonly oif?: Link;
  readonly mark?: number;
  readonly tos?: number;
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
  readonly uid?: number;
}

const UID_MAX = 0xffffffff;

/** A rule with every selector unset: matches every flow and looks up `table`. */
export function ruleDefaults(pref: number, table: number): FibRule {
  return {
    pref,
    action: FR_ACT_TO_TBL,
    table,
    invert: false,
    src: 0,
    srcLen: 0,
    dst: 0,
    dstLen: 0,
    tos: 0,
    mark: 0,
    markMask: 0,
    iif: '',
    oif: '',
    target: 0,
    suppressPrefixlen: -1,
    suppressIfgroup: -1,
    protocol: 0,
    ipproto: 0,
    realms: 0,
  };
}

const inRange = (r: Range | undefined, v: number | undefined): boolean =>
  r === undefined || (v !== undefined && v >= r.start && v <= r.end);
const mask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const sameRange = (a: Range | undefined, b: Range | undefined): boolean => a?.start === b?.start && a?.end === b?.end;

/** fib_rule_match() with fib4_rule_match(): every selector set must hold; `not` inverts the answer. */
export function ruleMatches(r: FibRule, fl: Flow): boolean {
  const m =
    (r.iif === '' || r.iif === fl.iif?.name) &&
    (r.oif === '' || r.oif === fl.oif?.name) &&
    ((r.mark ^ (fl.mark ?? 0)) & r.markMask) === 0 &&
    inRange(r.uidrange, fl.uid ?? 0) &&
    (((fl.src ?? 0) ^ r.src) & mask(r.srcLen)) === 0 &&
    ((fl.dst ^ r.dst) & mask(r.dstLen)) === 0 &&
    (r.tos === 0 || r.tos === ((fl.tos ?? 0) & 0xfc)) &&
    (r.ipproto === 0 || r.ipproto === fl.proto) &&
    inRange(r.sport, fl.sport) &&
    inRange(r.dport, fl.dport);
  return r.invert ? !m : m;
}

/** The request fields a rule delete or a duplicate check compares (fib4_rule_compare: a prefix only when sent). */
function sameSelectors4(r: FibRule, q: FibRule): boolean {
  if (q.srcLen && (r.srcLen !== q.srcLen || r.src !== q.src)) return false;
  if (q.dstLen && (r.dstLen !== q.dstLen || r.dst !== q.dst)) return false;
  if (q.tos && r.tos !== q.tos) return false;
  if (q.realms && r.realms !== q.realms) return false;
  return true;
}

/** A new namespace's three rules (local, main, default): rules are never changed in place, so every namespace shares these. */
const DEFAULT_RULES: readonly FibRule[] = [
  { ...ruleDefaults(0, RT_TABLE_LOCAL), protocol: RTPROT_KERNEL },
  { ...ruleDefaults(32766, RT_TABLE_MAIN), protocol: RTPROT_KERNEL },
  { ...ruleDefaults(32767, RT_TABLE_DEFAULT), protocol: RTPROT_KERNEL },
];

export class FibRules {
  /** In priority order; rules of equal priority in the order they were added. */
  private list: FibRule[] = [...DEFAULT_RULES];
  /**
   * fib_has_custom_rules: set by the first rule added or deleted, never cleared. Until then the
   * local and main tables are one trie, so a lookup's table reads as main.
   */
  custom = false;

  rules(): readonly FibRule[] {
    return this.list;
  }

  /** fib_default_rule_pref(): one less than the second rule's priority (0 when that is 0 or missing). */
  defaultPref(): number {
    const second = this.list[1];
    return second && second.pref > 0 ? second.pref - 1 : 0;
  }

  /** The rule a `goto` lands on: the first of its target priority, if any (ctarget). */
  gotoTarget(r: FibRule): FibRule | undefined {
    return r.action === FR_ACT_GOTO ? this.list.find((x) => x.pref === r.target) : undefined;
  }

  /** Inserts after the last rule of priority <= its own (fib_newrule, once checked). */
  add(rule: FibRule): void {
    let at = this.list.length;
    for (let i = 0; i < this.list.length; i++) {
      if (this.list[i]!.pref > rule.pref) {
        at = i;
        break;
      }
    }
    this.list.splice(at, 0, rule);
    this.custom = true;
  }

  /** rule_exists(): every field equal, the prefixes and tos only when the new rule sets them. */
  isDuplicate(r: FibRule, q: FibRule): boolean {
    return (
      r.action === q.action &&
      r.table === q.table &&
      r.pref === q.pref &&
      r.iif === q.iif &&
      r.oif === q.oif &&
      r.mark === q.mark &&
      r.markMask === q.markMask &&
      r.suppressIfgroup === q.suppressIfgroup &&
      r.suppressPrefixlen === q.suppressPrefixlen &&
      r.ipproto === q.ipproto &&
      r.protocol === q.protocol &&
      sameRange(r.uidrange ?? FULL_UIDS, q.uidrange ?? FULL_UIDS) &&
      sameRange(r.sport, q.sport) &&
      sameRange(r.dport, q.dport) &&
      sameSelectors4(r, q)
    );
  }

  /**
   * fib_nl_delrule() through rule_find(): removes the first rule that has every field the request
   * sets (`q`'s zero and -1 fields are unset; its priority counts only when `userPref`). ENOENT when none.
   */
  delete(q: FibRule, userPref: boolean): FibRule {
    const i = this.list.findIndex(
      (r) =>
        (q.action === 0 || r.action === q.action) &&
        (q.table === 0 || r.table === q.table) &&
        (!userPref || r.pref === q.pref) &&
        (q.iif === '' || r.iif === q.iif) &&
        (q.oif === '' || r.oif === q.oif) &&
        (q.mark === 0 || r.mark === q.mark) &&
        (q.markMask === 0 || r.markMask === q.markMask) &&
        (q.suppressIfgroup === -1 || r.suppressIfgroup === q.suppressIfgroup) &&
        (q.suppressPrefixlen === -1 || r.suppressPrefixlen === q.suppressPrefixlen) &&
        (q.uidrange === undefined || sameRange(r.uidrange ?? FULL_UIDS, q.uidrange)) &&
        (q.ipproto === 0 || r.ipproto === q.ipproto) &&
        (q.protocol === 0 || r.protocol === q.protocol) &&
        (q.sport === undefined || sameRange(r.sport, q.sport)) &&
        (q.dport === undefined || sameRange(r.dport, q.dport)) &&
        sameSelectors4(r, q),
    );
    if (i < 0) throw new KernelError('ENOENT');
    const [gone] = this.list.splice(i, 1);
    this.custom = true;
    return gone!;
  }

  /**
   * fib_rules_lookup(): walks the rules in order; `tryTable` answers a lookup rule (undefined
   * for a miss, a throw route or a table that does not exist: the walk goes on, as on -EAGAIN).
   * A goto continues at its target (which must match too); unresolved ones are skipped. Other
   * actions end the walk with fib4_rule_action()'s errno.
   */
  lookup<T>(fl: Flow, tryTable: (table: number, rule: FibRule) => T | undefined): T | { readonly errno: Errno } {
    for (let i = 0; i < this.list.length; i++) {
      let r = this.list[i]!;
      if (!ruleMatches(r, fl)) continue;
      let jumped = true;
      while (r.action === FR_ACT_GOTO && jumped) {
        const t = this.gotoTarget(r);
        jumped = t !== undefined && ruleMatches(t, fl);
        if (t !== undefined) {
          i = this.list.indexOf(t);
          r = t;
        }
      }
      if (!jumped || r.action === FR_ACT_NOP) continue;
      if (r.action !== FR_ACT_TO_TBL)
        return { errno: r.action === FR_ACT_UNREACHABLE ? 'ENETUNREACH' : r.action === FR_ACT_PROHIBIT ? 'EACCES' : 'EINVAL' };
      const found = tryTable(r.table, r);
      if (found !== undefined) return found;
    }
    return { errno: 'ENETUNREACH' };
  }
}

const FULL_UIDS: Range = { start: 0, end: UID_MAX };
