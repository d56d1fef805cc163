// A direct reader for the `-A CHAIN …` lines iptables-restore payloads are mostly made of
// (kube-proxy's 150,000-line payloads are a handful of shapes: comment, tcp/udp with a port,
// addresses, random statistic, a jump, DNAT). It reads the line once and builds the Rule with
// the same constructors the full parser (rulespec.ts) uses, without getopt, word arrays or
// per-module parser objects. Anything else — another option or module, a second use of one, an
// odd word, quoting with escapes, a value it does not read itself — makes it give up, and the
// full parser reads the line: so every error, and every rule it does not know, comes from there.
import type { Match, Rule, Target } from '../types.js';
import { addrMatch, newRule, protocolMatch } from './rulespec.js';
import { commentMatch, portRange, portsMatch, randomStatistic, statisticProbability } from './rulespec-match.js';
import { isTargetName, jumpTarget, natTarget, parseNatRange, verdictTarget } from './rulespec-target.js';
import { parseAddress } from './rulespec-values.js';

/** What readAppendLine read: the chain and the rule of `-A chain rule`. */
export interface AppendLine {
  chain: string;
  rule: Rule | undefined;
}

const TCP = 6;
const UDP = 17;
/** Longest chain name iptables takes (`chain name … too long (must be under 29 chars)`). */
const MAX_CHAIN = 28;

/** The line's words, read one at a time (double-quoted words without escapes only). */
class Words {
  private text = '';
  private pos = 0;

  reset(text: string): void {
    this.text = text;
    this.pos = 0;
  }

  /** The next word; undefined at the end of the line, null for a word this reader does not take. */
  next(): string | undefined | null {
    const t = this.text;
    const n = t.length;
    let i = this.pos;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10) break;
      i++;
    }
    if (i >= n) {
      this.pos = i;
      return undefined;
    }
    let w: string | null;
    if (t.charCodeAt(i) === 34 /* " */) {
      const close = t.indexOf('"', i + 1);
      if (close < 0) w = null;
      else {
        w = t.slice(i + 1, close);
        i = close + 1;
        // An escape, an empty word or a word that goes on after the quote: the full reader's.
        if (w === '' || w.includes('\\') || (i < n && !isBlank(t.charCodeAt(i)))) w = null;
      }
    } else {
      const from = i;
      while (i < n) {
        const c = t.charCodeAt(i);
        if (c === 32 || c === 9 || c === 10) break;
        if (c === 34) return null;
        i++;
      }
      w = t.slice(from, i);
    }
    this.pos = i;
    return w;
  }
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10;

/** A port number as parsePort reads digits (0-65535), or -1. */
function portNumber(w: string): number {
  const n = w.length;
  if (n === 0 || n > 5) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v <= 65535 ? v : -1;
}

/**
 * `-s`/`-d` text `a.b.c.d[/len]` as parseAddressMask reads it: the masked address × 64 + the
 * prefix length (no object per address), or -1.
 */
function addressMask(w: string): number {
  if (w.includes(',')) return -1;
  const slash = w.indexOf('/');
  const addr = parseAddress(slash < 0 ? w : w.slice(0, slash));
  if (addr === undefined) return -1;
  let len = 32;
  if (slash >= 0) {
    const m = w.slice(slash + 1);
    len = m.length <= 2 ? portNumber(m) : -1;
    if (len < 0 || len > 32) return -1;
  }
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((addr & mask) >>> 0) * 64 + len;
}

const COMMENT = 0;
const PORTS = 1;
const STATISTIC = 2;

/** One line's options as read so far (one object, reset per line). */
class RuleReader {
  readonly words = new Words();
  private src = -1;
  private srcInvert = false;
  private dst = -1;
  private dstInvert = false;
  private proto = 0;
  /** The modules (COMMENT, PORTS, STATISTIC) in the order of their -m words; each once. */
  private readonly order = [0, 0, 0];
  private nMatches = 0;
  private loaded = 0;
  private comment: string | undefined;
  private portsKind: 'tcp' | 'udp' = 'tcp';
  private sport = -1;
  private sportInvert = false;
  private dport = -1;
  private dportInvert = false;
  private random = false;
  private probability = -1;
  private target: Target | undefined;
  private nat = false;
  private natText: string | undefined;

  private reset(): void {
    this.src = -1;
    this.dst = -1;
    this.proto = 0;
    this.nMatches = 0;
    this.loaded = 0;
    this.comment = undefined;
    this.sport = -1;
    this.dport = -1;
    this.random = false;
    this.probability = -1;
    this.target = undefined;
    this.nat = false;
    this.natText = undefined;
  }

  private load(module: number): boolean {
    if (this.loaded & (1 << module)) return false;
    this.loaded |= 1 << module;
    this.order[this.nMatches++] = module;
    return true;
  }

  private has(module: number): boolean {
    return (this.loaded & (1 << module)) !== 0;
  }

  /** The rule of the line's remaining words, or undefined when the full parser must read it. */
  read(table: string): Rule | undefined {
    this.reset();
    const words = this.words;
    let invert = false;
    for (let w = words.next(); w !== undefined; w = words.next()) {
      if (w === null) return undefined;
      if (w === '!') {
        if (invert) return undefined;
        invert = true;
        continue;
      }
      const arg = words.next();
      // Every option read here takes one argument; one that looks like an option or `!` is left to getopt.
      if (!arg || arg.charCodeAt(0) === 45 || arg === '!') return undefined;
      // Only -s, -d, --sport and --dport may be inverted here.
      if (invert && w !== '-s' && w !== '-d' && w !== '--sport' && w !== '--dport') return undefined;
      switch (w) {
        case '-m':
          if (
            !(arg === 'comment'
              ? this.load(COMMENT)
              : arg === 'tcp' || arg === 'udp'
                ? this.load(PORTS)
                : arg === 'statistic' && this.load(STATISTIC))
          )
            return undefined;
          if (arg === 'tcp' || arg === 'udp') this.portsKind = arg;
          break;
        case '-p':
          if (this.proto !== 0) return undefined;
          if (arg === 'tcp') this.proto = TCP;
          else if (arg === 'udp') this.proto = UDP;
          else return undefined;
          break;
        case '-s':
        case '-d': {
          if ((w === '-s' ? this.src : this.dst) >= 0) return undefined;
          const packed = addressMask(arg);
          if (packed < 0) return undefined;
          if (w === '-s') {
            this.src = packed;
            this.srcInvert = invert;
          } else {
            this.dst = packed;
            this.dstInvert = invert;
          }
          break;
        }
        case '--comment':
          if (!this.has(COMMENT) || this.comment !== undefined) return undefined;
          this.comment = arg;
          break;
        case '--dport':
        case '--sport': {
          const p = portNumber(arg);
          if (!this.has(PORTS) || p < 0) return undefined;
          if (w === '--dport') {
            if (this.dport >= 0) return undefined;
            this.dport = p;
            this.dportInvert = invert;
          } else {
            if (this.sport >= 0) return undefined;
            this.sport = p;
            this.sportInvert = invert;
          }
          break;
        }
        case '--mode':
          if (!this.has(STATISTIC) || this.random || arg !== 'random') return undefined;
          this.random = true;
          break;
        case '--probability': {
          if (!this.has(STATISTIC) || this.probability >= 0) return undefined;
          const p = statisticProbability(arg);
          if (p === undefined) return undefined;
          this.probability = p;
          break;
        }
        case '-j':
          if (this.target !== undefined || this.nat) return undefined;
          if (arg === 'DNAT') this.nat = true;
          else if (arg === 'ACCEPT' || arg === 'RETURN' || (arg === 'DROP' && table !== 'nat')) this.target = verdictTarget(arg);
          else if (isTargetName(arg)) return undefined;
          else this.target = jumpTarget(arg, false);
          break;
        case '--to-destination':
          if (!this.nat || this.natText !== undefined) return undefined;
          this.natText = arg;
          break;
        default:
          return undefined;
      }
      invert = false;
    }
    return invert ? undefined : this.build();
  }

  /** The rule, once the whole line is read and every module has what it needs. */
  private build(): Rule | undefined {
    if (this.has(COMMENT) && this.comment === undefined) return undefined;
    if (this.has(STATISTIC) && (!this.random || this.probability < 0)) return undefined;
    if (this.has(PORTS) && this.proto !== (this.portsKind === 'tcp' ? TCP : UDP)) return undefined;
    const protocol = this.proto !== 0 ? protocolMatch(this.proto, false) : undefined;
    let target = this.target;
    if (this.nat) {
      if (this.natText === undefined) return undefined;
      try {
        target = natTarget('DNAT', parseNatRange(this.natText, { protocol }), false, false, false);
      } catch {
        return undefined;
      }
    }
    if (target === undefined) return undefined;
    // An array literal: packed and sized exactly, as the full parser's.
    const n = this.nMatches;
    const o = this.order;
    const matches: readonly Match[] =
      n === 0
        ? []
        : n === 1
          ? [this.match(o[0]!)]
          : n === 2
            ? [this.match(o[0]!), this.match(o[1]!)]
            : [this.match(o[0]!), this.match(o[1]!), this.match(o[2]!)];
    return newRule(
      this.src >= 0 ? addrMatch(Math.floor(this.src / 64), this.src % 64, this.srcInvert) : undefined,
      this.dst >= 0 ? addrMatch(Math.floor(this.dst / 64), this.dst % 64, this.dstInvert) : undefined,
      undefined,
      undefined,
      protocol,
      matches,
      target,
    );
  }

  private match(module: number): Match {
    if (module === COMMENT) return commentMatch(this.comment!);
    if (module === STATISTIC) return randomStatistic(this.probability, false);
    return portsMatch(
      this.portsKind,
      this.sport >= 0 ? portRange(this.sport, this.sport, this.sportInvert) : undefined,
      this.dport >= 0 ? portRange(this.dport, this.dport, this.dportInvert) : undefined,
      undefined,
    );
  }
}

const reader = new RuleReader();
const out: AppendLine = { chain: '', rule: undefined };

/**
 * Reads `-A CHAIN rule` (the line without its newline) of an iptables-restore block of `table`.
 * The result is reused by the next call; its rule is undefined when the line is not one this
 * reader takes.
 */
export function readAppendLine(line: string, table: string): AppendLine {
  out.rule = undefined;
  const words = reader.words;
  words.reset(line);
  if (words.next() !== '-A') return out;
  const chain = words.next();
  if (!chain || chain.length > MAX_CHAIN || chain.charCodeAt(0) === 45 /* - */ || chain === '!') return out;
  const rule = reader.read(table);
  if (rule) {
    out.chain = chain;
    out.rule = rule;
  }
  return out;
}
