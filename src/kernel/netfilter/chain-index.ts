// What a lookup reads of an immutable chain, packed once and shared by every namespace holding
// the chain: each rule's IP header tests, its commonest matches and the kind of its target in a
// chain-wide Int32Array (PRE ints a rule), and an index of the rules by exact destination. A
// lookup reads one contiguous block instead of walking each rule's objects, and a rule whose
// tests are all packed (EXACT) and whose target is a jump, ACCEPT or RETURN is decided without
// touching its objects at all.
import { cached } from './cache.js';
import type { Chain, Rule } from './types.js';

export const PRE = 8;
export const HAS_SRC = 1;
export const SRC_INV = 2;
export const HAS_DST = 4;
export const DST_INV = 8;
export const HAS_PROTO = 16;
export const PROTO_INV = 32;
/** A tcp or udp match with at most a plain --dport (kind in slot 5's high bits, ports in slot 6). */
export const HAS_L4 = 64;
/** Nothing else to test (besides comments and a final `-m statistic --mode random`). */
export const EXACT = 128;
/** A final `-m statistic --mode random`: the draw passes when rng.u32() <= slot 7 (unsigned). */
export const HAS_STAT = 256;
/** A statistic whose probability is 0 (or not a number): no draw passes. */
export const STAT_NEVER = 1 << 15;
/** The target's kind, in the flags' bits from TARGET_SHIFT (OTHER: read the rule's target). */
export const TARGET_SHIFT = 9;
export const TARGET_OTHER = 0;
export const TARGET_JUMP = 1;
export const TARGET_GOTO = 2;
export const TARGET_ACCEPT = 3;
export const TARGET_RETURN = 4;

const maskOf = (len: number): number => (len === 0 ? 0 : (~0 << (32 - len)) | 0);

function targetCode(r: Rule): number {
  const t = r.target;
  switch (t.kind) {
    case 'jump':
      return t.goto ? TARGET_GOTO : TARGET_JUMP;
    case 'ACCEPT':
      return TARGET_ACCEPT;
    case 'RETURN':
      return TARGET_RETURN;
    default:
      return TARGET_OTHER;
  }
}

/**
 * The largest 32-bit draw u for which u / 2^32 < p (the statistic match's test with
 * Rng.float()), so a lookup compares integers and reads no second array: u < p·2^32 exactly
 * (scaling by a power of two is exact), and for an integer u that is u <= ceil(p·2^32) - 1.
 */
export function drawLimit(p: number): number {
  return Math.min(Math.ceil(p * 0x1_0000_0000) - 1, 0xffff_ffff);
}

/** Packs rule `i` into `pre`; see PRE. */
function pack(r: Rule, pre: Int32Array, i: number): void {
  const o = i * PRE;
  let fl = 0;
  if (r.src) {
    const m = maskOf(r.src.len);
    fl |= HAS_SRC | (r.src.invert ? SRC_INV : 0);
    pre[o + 1] = r.src.addr & m;
    pre[o + 2] = m;
  }
  if (r.dst) {
    const m = maskOf(r.dst.len);
    fl |= HAS_DST | (r.dst.invert ? DST_INV : 0);
    pre[o + 3] = r.dst.addr & m;
    pre[o + 4] = m;
  }
  if (r.protocol && r.protocol.proto !== 0) {
    fl |= HAS_PROTO | (r.protocol.invert ? PROTO_INV : 0);
    pre[o + 5] = r.protocol.proto;
  }
  let exact = r.inIface === undefined && r.outIface === undefined;
  const ms = r.matches;
  for (let k = 0; k < ms.length; k++) {
    const m = ms[k]!;
    if (m.kind === 'comment') continue;
    if (
      (m.kind === 'tcp' || m.kind === 'udp') &&
      !(fl & HAS_L4) &&
      !m.sport &&
      (m.kind === 'udp' || (!m.tcpFlags && !m.syn)) &&
      (!m.dport || !m.dport.invert)
    ) {
      fl |= HAS_L4;
      pre[o + 5] = pre[o + 5]! | ((m.kind === 'tcp' ? 6 : 17) << 16);
      pre[o + 6] = m.dport ? m.dport.from | (m.dport.to << 16) : 0xffff << 16;
      continue;
    }
    // The draw stays where it was: only a last match may be a packed statistic.
    if (m.kind === 'statistic' && m.mode === 'random' && !m.invert && ms.slice(k + 1).every((x) => x.kind === 'comment')) {
      fl |= HAS_STAT | (m.probability > 0 ? 0 : STAT_NEVER);
      pre[o + 7] = m.probability > 0 ? drawLimit(m.probability) | 0 : 0;
      continue;
    }
    exact = false;
  }
  pre[o] = fl | (exact ? EXACT : 0) | (targetCode(r) << TARGET_SHIFT);
}

export interface ChainIndex {
  /**
   * Rules with an exact (/32, not inverted) destination, by that address, in an open-addressed
   * table of SLOT ints a slot (one read finds a destination, where a Map took two): the address,
   * then for one rule its position, for several the start of their ascending positions in
   * `dstRules`, then their count (0: an empty slot). Undefined when no rule has one.
   */
  readonly dsts: Int32Array | undefined;
  readonly dstRules: Int32Array;
  /** Positions of every other rule (ascending). */
  readonly wild: readonly number[];
  /** Every rule's packed tests (see PRE). */
  readonly pre: Int32Array;
}

/** Ints a slot: address, position or start, count, and one spare (table-links.ts's HINT). */
export const SLOT = 4;
const EMPTY = new Int32Array(0);

/** The slot of `dst` in `dsts` (its first int), or -1. */
export function dstSlot(dsts: Int32Array, dst: number): number {
  const mask = dsts.length / SLOT - 1;
  for (let h = Math.imul(dst, 0x9e3779b1) & mask; ; h = (h + 1) & mask) {
    const s = h * SLOT;
    if (dsts[s + 2] === 0) return -1;
    if (dsts[s] === (dst | 0)) return s;
  }
}

function dstTable(byDst: Map<number, number[]>): { dsts: Int32Array; dstRules: Int32Array } {
  let slots = 4;
  while (slots < 2 * byDst.size) slots *= 2;
  const dsts = new Int32Array(slots * SLOT);
  const rules: number[] = [];
  for (const [dst, at] of byDst) {
    let h = Math.imul(dst, 0x9e3779b1) & (slots - 1);
    while (dsts[h * SLOT + 2] !== 0) h = (h + 1) & (slots - 1);
    const s = h * SLOT;
    dsts[s] = dst | 0;
    dsts[s + 1] = at.length === 1 ? at[0]! : rules.length;
    dsts[s + 2] = at.length;
    if (at.length > 1) rules.push(...at);
  }
  return { dsts, dstRules: rules.length ? Int32Array.from(rules) : EMPTY };
}

const INDEX = Symbol('index');
/** Chains shorter than this are not indexed by destination. */
export const INDEXED = 16;
/** RANGES[n]: the positions 0..n-1, shared by every short chain. */
export const RANGES: readonly (readonly number[])[] = Array.from({ length: INDEXED }, (_, n) => Array.from({ length: n }, (_, i) => i));
export const NONE: readonly number[] = [];

/** The chain's packed tests and destination index (cached on the immutable chain, see cache.ts). */
export function indexOf(chain: Chain): ChainIndex {
  return cached(chain, INDEX, (c) => {
    const rules = c.rules;
    let table: { dsts: Int32Array; dstRules: Int32Array } | undefined;
    let wild: readonly number[];
    if (rules.length < INDEXED) {
      // A short chain is walked whole (its packed tests are one read): no table to look in.
      wild = RANGES[rules.length]!;
    } else {
      const map = new Map<number, number[]>();
      const rest: number[] = [];
      for (let i = 0; i < rules.length; i++) {
        const d = rules[i]!.dst;
        if (d && d.len === 32 && !d.invert) {
          const had = map.get(d.addr);
          if (had === undefined) map.set(d.addr, [i]);
          else had.push(i);
        } else {
          rest.push(i);
        }
      }
      if (map.size) table = dstTable(map);
      wild = rest.length === 0 ? NONE : rest;
    }
    const pre = new Int32Array(rules.length * PRE);
    for (let i = 0; i < rules.length; i++) pack(rules[i]!, pre, i);
    return { dsts: table?.dsts, dstRules: table?.dstRules ?? EMPTY, wild: wild.length ? wild : NONE, pre };
  });
}
