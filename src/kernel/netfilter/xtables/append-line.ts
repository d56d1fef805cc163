// A direct reader for the `-A CHAIN …` lines iptables-restore payloads are mostly made of
// (kube-proxy's 150,000-line payloads are a handful of shapes: comment, tcp/udp with a port,
// addresses, random statistic, a jump, DNAT). It reads the line in place, once, and builds the
// Rule with the same constructors the full parser (rulespec.ts) uses, without getopt, word
// arrays, per-module parser objects or a string per option word (only the values a rule keeps
// are sliced out). Anything else — another option or module, a second use of one, an
// odd word, quoting with escapes, a value it does not read itself — makes it give up, and the
// full parser reads the line: so every error, and every rule it does not know, comes from there.
import { parseIpv4Span } from '../../../wire/index.js';
import type { AddrMatch, Match, Rule, Target } from '../types.js';
import { addrMatch, newRule, protocolMatch } from './rulespec.js';
import { commentMatch, portRange, portsMatch, randomStatistic, statisticProbability } from './rulespec-match.js';
import { isTargetName, jumpTarget, natRange, natTarget, parseNatRange, verdictTarget } from './rulespec-target.js';

/** What readAppendLine read: the chain and the rule of `-A chain rule`. */
export interface AppendLine {
  chain: string;
  rule: Rule | undefined;
}

/**
 * `s` as a string of its own, not a view into the text it was cut from. V8 makes a cut of 13
 * characters or more a slice that keeps its whole parent alive, so one chain name kept from a
 * kube-proxy payload would keep all its megabytes; a shorter cut is a copy already.
 */
export function ownText(s: string): string {
  // JSON.parse makes one flat string: ` ${s}`.slice(1) made a slice of a fresh copy, two objects
  // (80 bytes for a KUBE-SEP- name) where one of 48 does. Parsing `"s"` skips the stringify of a
  // round trip (a third of the time): it reads back exactly `s` or throws (a `"` in `s` ends the
  // literal before the closing one), unless `s` has a backslash, an escape to JSON.
  if (s.length < 13) return s;
  if (s.indexOf('\\') < 0) {
    try {
      return JSON.parse(`"${s}"`) as string;
    } catch {
      // a quote or a control character: the round trip escapes them
    }
  }
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Chain names as a table holds them (TableTransaction.chainName); undefined: no such chain. */
export interface ChainNames {
  chainName(name: string, asTarget: boolean): string | undefined;
  /** A guess at the chain a run of lines after one on `name` appends to (TableTransaction.chainAfter). */
  chainAfter(name: string): string | undefined;
}

const TCP = 6;
const UDP = 17;
/** Longest chain name iptables takes (`chain name … too long (must be under 29 chars)`). */
const MAX_CHAIN = 28;

const COMMENT = 0;
const PORTS = 1;
const STATISTIC = 2;

/**
 * Parts many rules have alike, made once: a Rule and its parts are never changed once made, and
 * 150,000 rules hold 160,000 fewer objects for the garbage collector to copy and keep.
 */
const TCP_PROTOCOL = protocolMatch(TCP, false);
const UDP_PROTOCOL = protocolMatch(UDP, false);
const TCP_MATCH = portsMatch('tcp', undefined, undefined, undefined);
const UDP_MATCH = portsMatch('udp', undefined, undefined, undefined);
const NO_MATCHES: readonly Match[] = [];
type JumpTarget = Extract<Target, { kind: 'jump' }>;

const SRC = 0;
const DST = 1;
const PROBABILITY = 2;
/** The key of `lastPorts` (see match()). */
const PORTS_KEY = 3;
/** The keys of `lastAddr`'s source and destination (the packed address × 2 + invert). */
const ADDR_KEY = 4;
/** Jump targets kept for reuse (see jumps). */
const JUMPS = 6;

const BANG = 33;
const DASH = 45;
const QUOTE = 34;

/** One line's words and options as read so far (one object, reset per line). */
class RuleReader {
  private t = '';
  private pos = 0;
  private end = 0;
  /** The current word: t[ws, we), without its quotes. */
  private ws = 0;
  private we = 0;
  /**
   * -s and -d (address × 64 + prefix length, -1 when absent) and --probability (-1 when absent):
   * numbers that are not small integers live in a Float64Array, as a field that goes from a
   * small integer to a double changes the reader's layout and deoptimizes every method.
   */
  private readonly num = new Float64Array(6);
  private srcInvert = false;
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
  private target: Target | undefined;
  private nat = false;
  /** A service's rules carry one comment: one string for a run of them. */
  private lastComment = '';
  private natStart = -1;
  private natEnd = -1;
  /**
   * Parts made for earlier lines, given again to rules that have the same (a Rule and its parts
   * are never changed once made): kube-proxy's `-m tcp --dport 80` and `! -s CLUSTER-CIDR` on a
   * service's rules, its few probabilities, the `-m tcp` alone of every DNAT line, its jumps
   * to KUBE-MARK-MASQ. A 10,000-service payload's rules hold ~170,000 fewer objects for the
   * garbage collector to copy.
   */
  private lastPorts: Match | undefined;
  private readonly lastAddr: (AddrMatch | undefined)[] = [undefined, undefined];
  private lastCommentMatch: Match | undefined;
  /** The last jump targets made or reused, most recent first. */
  private readonly jumps: JumpTarget[] = [];
  private readonly stats = new Map<number, Match>();
  /** One-match lists by their match (the match a shared part, so the list can be too). */
  private readonly singles = new Map<Match, readonly Match[]>();
  /** The table's chain names, for the chain and jump words (see ChainNames). */
  names: ChainNames | undefined;

  /**
   * Where the next tab, double quote and backslash of the text are, at or after the reading
   * position (-1: none left). Words are found with indexOf (native, fast before the JIT has
   * compiled the reader too), and a word with one of these in it goes to the full parser.
   */
  private tab = -1;
  private quote = -1;
  private backslash = -1;
  /** Where those were last looked for: a new text, or an earlier line, looks again. */
  private lookedFrom = -1;

  /** Lets go of the payload (the reader outlives it; a later payload's first line looks anew). */
  forget(): void {
    this.t = '';
  }

  start(text: string, start: number, end: number): void {
    if (text !== this.t || start < this.lookedFrom) {
      this.t = text;
      this.tab = text.indexOf('\t', start);
      this.quote = text.indexOf('"', start);
      this.backslash = text.indexOf('\\', start);
    }
    this.lookedFrom = start;
    this.pos = start;
    this.end = end;
  }

  /** The first `ch` at or after `from`, given the last one found (`at`). */
  private seek(at: number, ch: string, from: number): number {
    return at >= 0 && at < from ? this.t.indexOf(ch, from) : at;
  }

  /** Whether t[from, to) holds a tab. */
  private tabIn(from: number, to: number): boolean {
    this.tab = this.seek(this.tab, '\t', from);
    return this.tab >= 0 && this.tab < to;
  }

  private quoteIn(from: number, to: number): boolean {
    this.quote = this.seek(this.quote, '"', from);
    return this.quote >= 0 && this.quote < to;
  }

  private backslashIn(from: number, to: number): boolean {
    this.backslash = this.seek(this.backslash, '\\', from);
    return this.backslash >= 0 && this.backslash < to;
  }

  /**
   * Moves to the next word: 1, or 0 at the end of the line, or -1 for a word this reader does
   * not take (a tab, a quote with an escape, an empty quoted word, a quote inside or right
   * after a word).
   */
  next(): number {
    const t = this.t;
    const n = this.end;
    let i = this.pos;
    while (i < n && t.charCodeAt(i) === 32) i++;
    if (i >= n) {
      this.pos = i;
      return 0;
    }
    if (t.charCodeAt(i) === QUOTE) {
      const close = t.indexOf('"', i + 1);
      if (close < 0 || close >= n || close === i + 1 || this.backslashIn(i + 1, close)) return -1;
      this.ws = i + 1;
      this.we = close;
      this.pos = close + 1;
      return this.pos < n && t.charCodeAt(this.pos) !== 32 ? -1 : 1;
    }
    let e = t.indexOf(' ', i);
    if (e < 0 || e > n) e = n;
    if (this.tabIn(i, e) || this.quoteIn(i, e)) return -1;
    this.ws = i;
    this.we = e;
    this.pos = e;
    return 1;
  }

  /** Whether the current word is `lit`. */
  is(lit: string): boolean {
    return this.we - this.ws === lit.length && this.t.startsWith(lit, this.ws);
  }

  /** The current word, as a string of its own: rules keep their words for good (ownText). */
  word(): string {
    return ownText(this.t.slice(this.ws, this.we));
  }

  /** The current word: `last` when it is the same text, else a new string. */
  wordLike(last: string): string {
    return this.is(last) ? last : this.word();
  }

  /** The current word, a chain's name: the table's own string for it when it has the chain. */
  chainWord(asTarget: boolean): string {
    const names = this.names;
    return (names === undefined ? undefined : names.chainName(this.t.slice(this.ws, this.we), asTarget)) ?? this.word();
  }

  /** The current word as a port (1 to 5 digits, at most 65535), or -1. */
  private port(from: number, to: number): number {
    if (to <= from || to - from > 5) return -1;
    let v = 0;
    for (let i = from; i < to; i++) {
      const c = this.t.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v <= 65535 ? v : -1;
  }

  /**
   * `-s`/`-d` `a.b.c.d[/len]` as parseAddressMask reads it (four parts only here): the masked
   * address × 64 + the prefix length (no object per address), or -1.
   */
  private addressMask(): number {
    let slash = this.ws;
    while (slash < this.we && this.t.charCodeAt(slash) !== 47 /* / */) slash++;
    const addr = parseIpv4Span(this.t, this.ws, slash);
    if (addr < 0) return -1;
    let len = 32;
    if (slash < this.we) {
      len = this.we - slash - 1 <= 2 ? this.port(slash + 1, this.we) : -1;
      if (len < 0 || len > 32) return -1;
    }
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return ((addr & mask) >>> 0) * 64 + len;
  }

  private reset(): void {
    this.num[SRC] = -1;
    this.num[DST] = -1;
    this.proto = 0;
    this.nMatches = 0;
    this.loaded = 0;
    this.comment = undefined;
    this.sport = -1;
    this.dport = -1;
    this.random = false;
    this.num[PROBABILITY] = -1;
    this.target = undefined;
    this.nat = false;
    this.natStart = -1;
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
    const t = this.t;
    let invert = false;
    for (let got = this.next(); got !== 0; got = this.next()) {
      if (got < 0) return undefined;
      const len = this.we - this.ws;
      const c0 = t.charCodeAt(this.ws);
      if (len === 1 && c0 === BANG) {
        if (invert) return undefined;
        invert = true;
        continue;
      }
      if (c0 !== DASH || len < 2) return undefined;
      // The option's letter (`-m`), or 0 for a long option (`--dport`) told apart below.
      const letter = len === 2 ? t.charCodeAt(this.ws + 1) : 0;
      let long = 0;
      if (letter === 0) {
        if (this.is('--comment')) long = 1;
        else if (this.is('--dport')) long = 2;
        else if (this.is('--sport')) long = 3;
        else if (this.is('--mode')) long = 4;
        else if (this.is('--probability')) long = 5;
        else if (this.is('--to-destination')) long = 6;
        else return undefined;
      }
      // Only -s, -d, --sport and --dport may be inverted here.
      if (invert && letter !== 115 /* s */ && letter !== 100 /* d */ && long !== 2 && long !== 3) return undefined;
      // Every option read here takes one argument; one that looks like an option or `!` is left to getopt.
      if (this.next() !== 1) return undefined;
      const a0 = t.charCodeAt(this.ws);
      if (a0 === DASH || (a0 === BANG && this.we - this.ws === 1)) return undefined;
      if (!this.option(letter, long, invert, table)) return undefined;
      invert = false;
    }
    return invert ? undefined : this.build();
  }

  /** One option and its argument (the current word); false when the full parser must read the line. */
  private option(letter: number, long: number, invert: boolean, table: string): boolean {
    switch (letter) {
      case 109 /* m */:
        if (this.is('comment')) return this.load(COMMENT);
        if (this.is('tcp') || this.is('udp')) {
          this.portsKind = this.is('tcp') ? 'tcp' : 'udp';
          return this.load(PORTS);
        }
        return this.is('statistic') && this.load(STATISTIC);
      case 112 /* p */:
        if (this.proto !== 0) return false;
        this.proto = this.is('tcp') ? TCP : this.is('udp') ? UDP : 0;
        return this.proto !== 0;
      case 115 /* s */:
      case 100 /* d */:
        {
          if (this.num[letter === 115 ? SRC : DST]! >= 0) return false;
          const packed = this.addressMask();
          if (packed < 0) return false;
          if (letter === 115) {
            this.num[SRC] = packed;
            this.srcInvert = invert;
          } else {
            this.num[DST] = packed;
            this.dstInvert = invert;
          }
          return true;
        }
      case 106 /* j */:
        {
          if (this.target !== undefined || this.nat) return false;
          if (this.is('DNAT')) return (this.nat = true);
          // Jumps to one chain recur among a few others (a service's rules jump to KUBE-MARK-MASQ
          // and to each endpoint's chain): the same target object.
          const jumps = this.jumps;
          for (let i = 0; i < jumps.length; i++) {
            const j = jumps[i]!;
            if (!this.is(j.chain)) continue;
            for (let k = i; k > 0; k--) jumps[k] = jumps[k - 1]!;
            jumps[0] = j;
            this.target = j;
            return true;
          }
          const name = this.chainWord(true);
          if (name === 'ACCEPT' || name === 'RETURN' || (name === 'DROP' && table !== 'nat')) this.target = verdictTarget(name);
          else if (isTargetName(name)) return false;
          else {
            const j = jumpTarget(name, false) as JumpTarget;
            if (jumps.length < JUMPS) jumps.push(j);
            for (let k = jumps.length - 1; k > 0; k--) jumps[k] = jumps[k - 1]!;
            jumps[0] = j;
            this.target = j;
          }
          return true;
        }
      case 0:
        break;
      default:
        return false;
    }
    switch (long) {
      case 1:
        if (!this.has(COMMENT) || this.comment !== undefined) return false;
        this.comment = this.lastComment = this.wordLike(this.lastComment);
        return true;
      case 2:
      case 3: {
        const p = this.port(this.ws, this.we);
        if (!this.has(PORTS) || p < 0) return false;
        if (long === 2) {
          if (this.dport >= 0) return false;
          this.dport = p;
          this.dportInvert = invert;
        } else {
          if (this.sport >= 0) return false;
          this.sport = p;
          this.sportInvert = invert;
        }
        return true;
      }
      case 4:
        if (!this.has(STATISTIC) || this.random || !this.is('random')) return false;
        this.random = true;
        return true;
      case 5: {
        if (!this.has(STATISTIC) || this.num[PROBABILITY]! >= 0) return false;
        const p = statisticProbability(this.t.slice(this.ws, this.we));
        if (p === undefined) return false;
        this.num[PROBABILITY] = p;
        return true;
      }
      default:
        if (!this.nat || this.natStart >= 0) return false;
        this.natStart = this.ws;
        this.natEnd = this.we;
        return true;
    }
  }

  /** `--to-destination`: `a.b.c.d[:port]` read here, other forms by parseNatRange. */
  private natTo(protocol: { readonly proto: number; readonly invert: boolean } | undefined): Target | undefined {
    const from = this.natStart;
    const to = this.natEnd;
    let colon = from;
    while (colon < to && this.t.charCodeAt(colon) !== 58 /* : */) colon++;
    const addr = parseIpv4Span(this.t, from, colon);
    const port = colon < to ? this.port(colon + 1, to) : -1;
    // A port needs -p tcp or udp (parseNatRange's "Need TCP, UDP, SCTP or DCCP" otherwise).
    if (colon < to && protocol === undefined) return undefined;
    if (addr >= 0 && (colon === to || port >= 0)) {
      const range = port >= 0 ? natRange(addr, addr, port, port) : natRange(addr, addr, undefined, undefined);
      return natTarget('DNAT', range, false, false, false);
    }
    try {
      return natTarget('DNAT', parseNatRange(this.t.slice(from, to), { protocol }), false, false, false);
    } catch {
      return undefined;
    }
  }

  /** The rule, once the whole line is read and every module has what it needs. */
  private build(): Rule | undefined {
    if (this.has(COMMENT) && this.comment === undefined) return undefined;
    if (this.has(STATISTIC) && (!this.random || this.num[PROBABILITY]! < 0)) return undefined;
    if (this.has(PORTS) && this.proto !== (this.portsKind === 'tcp' ? TCP : UDP)) return undefined;
    const protocol = this.proto === TCP ? TCP_PROTOCOL : this.proto === UDP ? UDP_PROTOCOL : undefined;
    let target = this.target;
    if (this.nat) {
      if (this.natStart < 0) return undefined;
      target = this.natTo(protocol);
    }
    if (target === undefined) return undefined;
    // An array literal: packed and sized exactly, as the full parser's.
    const n = this.nMatches;
    const o = this.order;
    const matches: readonly Match[] =
      n === 0
        ? NO_MATCHES
        : n === 1
          ? this.single(this.match(o[0]!))
          : n === 2
            ? [this.match(o[0]!), this.match(o[1]!)]
            : [this.match(o[0]!), this.match(o[1]!), this.match(o[2]!)];
    return newRule(this.addr(SRC, this.srcInvert), this.addr(DST, this.dstInvert), undefined, undefined, protocol, matches, target);
  }

  private addr(which: number, invert: boolean): AddrMatch | undefined {
    const packed = this.num[which]!;
    if (packed < 0) return undefined;
    const key = packed * 2 + (invert ? 1 : 0);
    const last = this.lastAddr[which];
    if (last !== undefined && key === this.num[ADDR_KEY + which]) return last;
    const a = addrMatch(Math.floor(packed / 64), packed % 64, invert);
    if (a !== undefined) {
      this.lastAddr[which] = a;
      this.num[ADDR_KEY + which] = key;
    }
    return a;
  }

  /** A one-match list: the same list for the same (shared) match. */
  private single(m: Match): readonly Match[] {
    let list = this.singles.get(m);
    if (list === undefined) {
      if (this.singles.size >= 64) this.singles.clear();
      list = [m];
      this.singles.set(m, list);
    }
    return list;
  }

  private match(module: number): Match {
    if (module === COMMENT) {
      const last = this.lastCommentMatch;
      if (last !== undefined && (last as { comment: string }).comment === this.comment) return last;
      return (this.lastCommentMatch = commentMatch(this.comment!));
    }
    if (module === STATISTIC) {
      const p = this.num[PROBABILITY]!;
      let m = this.stats.get(p);
      if (m === undefined) {
        if (this.stats.size >= 64) this.stats.clear();
        m = randomStatistic(p, false);
        this.stats.set(p, m);
      }
      return m;
    }
    if (this.sport < 0 && this.dport < 0) return this.portsKind === 'tcp' ? TCP_MATCH : UDP_MATCH;
    // kind, then each port + 1 (0: none) and its inversion: one number a ports match.
    const key =
      ((this.portsKind === 'tcp' ? 0 : 1) * 131072 + (this.sport + 1) * 2 + (this.sportInvert ? 1 : 0)) * 131072 +
      (this.dport + 1) * 2 +
      (this.dportInvert ? 1 : 0);
    if (key === this.num[PORTS_KEY] && this.lastPorts !== undefined) return this.lastPorts;
    this.num[PORTS_KEY] = key;
    return (this.lastPorts = portsMatch(
      this.portsKind,
      this.sport >= 0 ? portRange(this.sport, this.sport, this.sportInvert) : undefined,
      this.dport >= 0 ? portRange(this.dport, this.dport, this.dportInvert) : undefined,
      undefined,
    ));
  }
}

const reader = new RuleReader();
/** Runs of lines append to one chain: its name as one string (no copy per line, and the draft's lookups find its hash computed). */
let lastChain = '';
const out: AppendLine = { chain: '', rule: undefined };

/** Called when a payload has been read: the reader would otherwise hold its text until the next one. */
export function appendLinesDone(): void {
  reader.forget();
}

/**
 * Reads `-A CHAIN rule` at text[start, end) (one line, without its newline) of an
 * iptables-restore block of `table`. The result is reused by the next call; its rule is
 * undefined when the line is not one this reader takes.
 */
export function readAppendLine(text: string, start: number, end: number, table: string, names?: ChainNames): AppendLine {
  out.rule = undefined;
  const r = reader;
  r.start(text, start, end);
  if (r.next() !== 1 || !r.is('-A') || r.next() !== 1) return out;
  // The names only for this line: the reader outlives the restore, the transaction must not.
  r.names = names;
  let chain = lastChain;
  if (!r.is(chain)) {
    const next = names === undefined ? undefined : names.chainAfter(chain);
    chain = next !== undefined && r.is(next) ? next : r.chainWord(false);
  }
  lastChain = chain;
  const rule = chain.length > MAX_CHAIN || chain.charCodeAt(0) === DASH || chain === '!' ? undefined : r.read(table);
  r.names = undefined;
  if (rule) {
    out.chain = chain;
    out.rule = rule;
  }
  return out;
}

/**
 * The JIT compiles the reader once it is hot, from the branches it has seen run: a shape first
 * met later (a kube-proxy payload's DNAT lines come after 40,000 other lines) makes it drop that
 * code and compile it again, 50-100 ms of CPU each time. One line of each shape read here, their
 * rules dropped, has every branch seen before.
 */
for (const line of [
  '-A KUBE-SVC-X -m comment --comment "a b" -m tcp -p tcp -d 10.96.0.1/32 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
  '-A KUBE-SEP-X -m comment --comment a -s 10.244.0.2 -j KUBE-MARK-MASQ',
  '-A KUBE-SEP-X -m comment --comment a -m udp -p udp --sport 53 -j DNAT --to-destination 10.244.0.2:53',
  '-A KUBE-SEP-X -m tcp -p tcp -j DNAT --to-destination 10.244.0.2-10.244.0.3:80',
  '-A KUBE-SVC-X -m comment --comment a -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-X',
  '-A KUBE-FORWARD -j ACCEPT',
  '-A KUBE-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT',
]) {
  // Twice: the second time takes the paths that reuse the parts the first made.
  readAppendLine(line, 0, line.length, 'nat');
  readAppendLine(line, 0, line.length, 'nat');
}
