// iptables-restore 1.8.9 (nf_tables) payloads: `*table` opens a block (flushing the table unless
// --noflush), `:CHAIN POLICY [p:b]` declares or flushes a chain, other lines are iptables command
// lines (quoted with "..."), `COMMIT` commits the block atomically. Lines are parsed as they are
// read (a syntax error stops at its line); the block's commands run at COMMIT in order, so a
// missing chain is reported at the command's line and a jump to a missing chain at the COMMIT
// line, as the real tool reports them. Blocks committed before a failing one stay applied.
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { checkChainName, parseCommand, type ParsedCommand } from './rulespec.js';
import { isTargetName } from './rulespec-target.js';
import { applyCommand, isTableName, type TableFacts, type TableTransaction } from '../table-transaction.js';
import type { Committed, IptablesState } from '../tables.js';
import type { Counters, Rule, Table, TableName } from '../types.js';
import { appendLinesDone, ownText, readAppendLine } from './append-line.js';

export interface RestoreOptions {
  /** --noflush: keep what the tables hold; `:CHAIN` lines flush only their chains. */
  readonly noflush?: boolean;
  /** -c: apply the `[packets:bytes]` counters of the payload. */
  readonly counters?: boolean;
  /** -T table: restore only this table's blocks. */
  readonly table?: TableName;
  /** --test: parse and check, commit nothing. */
  readonly test?: boolean;
}

/**
 * Splits a payload line into words as iptables-restore does: blanks separate words outside
 * double quotes; inside them a backslash escapes the next character and the closing quote ends
 * the word. Single quotes are ordinary characters. An unterminated quote runs to the end of the
 * line, newline included.
 */
export function splitRestoreLine(line: string): string[] {
  if (!line.includes('"')) return line.split(/[ \t\n]+/).filter((w) => w !== '');
  const words: string[] = [];
  let word = '';
  let started = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const ch = line.charCodeAt(i);
    if (ch === 34 /* " */) {
      // A quoted part: runs of plain characters are sliced whole, a backslash escapes the next one.
      started = true;
      i++;
      let from = i;
      for (;;) {
        if (i >= n) {
          word += line.slice(from, i);
          break;
        }
        const c = line.charCodeAt(i);
        if (c === 92 /* \ */) {
          word += line.slice(from, i);
          if (i + 1 < n) word += line[i + 1];
          i += 2;
          from = i;
        } else if (c === 34) {
          word += line.slice(from, i);
          words.push(word);
          word = '';
          started = false;
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (ch === 32 || ch === 9 || ch === 10) {
      if (started) words.push(word);
      word = '';
      started = false;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const c = line.charCodeAt(j);
      if (c === 34 || c === 32 || c === 9 || c === 10) break;
      j++;
    }
    word += line.slice(i, j);
    started = true;
    i = j;
  }
  if (started) words.push(word);
  return words;
}

const plain = (message: string): IptablesError => new IptablesError({ kind: 'plain', message });

function parseCounters(text: string | undefined): Counters | undefined {
  const m = /^\[(\d+):(\d+)\]$/.exec(text ?? '');
  return m ? { packets: Number(m[1]), bytes: Number(m[2]) } : undefined;
}

/** A block's committed result, and what it started from (for replaying it elsewhere). */
interface BlockRecord {
  readonly start: Table | undefined;
  readonly startFacts: TableFacts;
  readonly committed: Committed;
}

/**
 * One table block being read: its commands are applied to a draft as their lines are read (a
 * 150,000-line payload keeps no list of parsed lines); the first failure stops the applying and
 * is reported at COMMIT, after the whole block has been read (a syntax error further on wins, as
 * in the real tool, which parses the block before its batch reaches the kernel).
 */
class Block {
  readonly start: Table | undefined;
  readonly startFacts: TableFacts;
  readonly d: TableTransaction;
  out = '';
  private failure: { readonly e: IptablesError; readonly line: number } | undefined;

  constructor(
    private readonly state: IptablesState,
    readonly table: TableName,
    private readonly opts: RestoreOptions,
  ) {
    this.start = state.table(table);
    this.startFacts = state.factsOf(table);
    this.d = state.begin(table);
  }

  // Each step runs on the draft unless an earlier one failed; a failure is kept for COMMIT.

  private failed(e: unknown, line: number): void {
    if (e instanceof IptablesError) this.failure = { e, line };
    else throw e;
  }

  flush(line: number): void {
    if (this.failure) return;
    try {
      this.d.flushTable();
    } catch (e) {
      this.failed(e, line);
    }
  }

  /** `:name policy [p:b]`. */
  declare(name: string, policy: string, counters: Counters | undefined, line: number): void {
    if (this.failure) return;
    try {
      this.d.declare(name, policy, this.opts.counters ? counters : undefined);
    } catch (e) {
      this.failed(e, line);
    }
  }

  /** `-A chain rule` as the line reader read it (what applyCommand does with the parsed line). */
  append(chain: string, rule: Rule, line: number): void {
    if (this.failure) return;
    try {
      this.d.append(chain, rule, line);
    } catch (e) {
      this.failed(e, line);
    }
  }

  command(cmd: ParsedCommand, line: number): void {
    if (this.failure) return;
    const d = this.d;
    try {
      if (cmd.command === 'list' || cmd.command === 'listRules') {
        this.out += this.state.listing(cmd, d.view(), true);
        if (cmd.zero) d.zero(cmd.chain);
      } else applyCommand(d, cmd, line);
    } catch (e) {
      this.failed(e, line);
    }
  }

  commit(commitLine: number, records: BlockRecord[] | undefined): string {
    const f = this.failure;
    if (f) throw f.e.at(f.e.failure.kind === 'param' ? commitLine : f.line);
    if (this.opts.test) this.d.throwFailures();
    else {
      const committed = this.d.commit();
      records?.push({ start: this.start, startFacts: this.startFacts, committed });
    }
    return this.out;
  }
}

/**
 * Restores are memoised: nodes of one cluster restore the very same payloads (kube-proxy,
 * flanneld), and a payload's result depends only on its text, its options, the tables it
 * starts from (with --noflush) and which ipsets exist. A payload that succeeded is kept with
 * its committed blocks; restoring it again onto identical tables (the same shared Table
 * objects) replays them instead of parsing and checking every rule again.
 */
interface CachedRestore {
  readonly blocks: readonly BlockRecord[];
  readonly sets: readonly string[];
}
const CACHE = new Map<string, CachedRestore>();
const CACHE_SIZE = 8;

const sameFacts = (a: TableFacts, b: TableFacts): boolean =>
  a.order.length === b.order.length &&
  a.builtins.size === b.builtins.size &&
  a.order.every((n, i) => n === b.order[i]) &&
  [...a.builtins].every((n) => b.builtins.has(n));

function replay(state: IptablesState, hit: CachedRestore, noflush: boolean): boolean {
  if (state.setExists && !hit.sets.every((n) => state.setExists!(n))) return false;
  if (noflush) {
    // Each block must start from what it started from then (earlier blocks included).
    const now = new Map<TableName, { table: Table | undefined; facts: TableFacts }>();
    for (const b of hit.blocks) {
      const name = b.committed.name;
      const cur = now.get(name) ?? { table: state.table(name), facts: state.factsOf(name) };
      if (cur.table !== b.start || !sameFacts(cur.facts, b.startFacts)) return false;
      now.set(name, { table: b.committed.table, facts: b.committed.facts });
    }
  }
  for (const b of hit.blocks) state.adopt(b.committed);
  return true;
}

/** A command line of a payload as parsed: the command and the `[packets:bytes]` before it. */
interface ParsedLine {
  readonly cmd: ParsedCommand;
  readonly counters: Counters | undefined;
}

/**
 * Command lines parsed before, by table and text: every node's kube-proxy and kindnetd restore the
 * same lines that the in-place readers leave to the full parser (quoted comments, --random-fully,
 * MARK), which cost more than all the others. A parse depends only on the line and its table, but
 * for a line naming an ipset (whether the set exists): those are parsed each time, as are lines
 * the parser refuses. Parsed commands and their rules are immutable, shared as interned chains
 * share rules.
 */
const PARSED_LINES = new Map<string, ParsedLine>();
const PARSED_LINES_MAX = 1024;

function parsedLine(table: TableName, line: string, setExists: ((name: string) => boolean) | undefined): ParsedLine {
  const key = `${table} ${line}`;
  const known = PARSED_LINES.get(key);
  if (known) return known;
  const words = splitRestoreLine(line);
  let counters: Counters | undefined;
  if (words[0]?.startsWith('[')) {
    counters = parseCounters(words.shift());
    if (counters === undefined) throw badArgument(line.trim());
  }
  const cmd = parseCommand(words, { restore: true, table, ...(setExists ? { setExists } : {}) });
  if (cmd.command === 'version' || cmd.command === 'help') throw badArgument(words[0]!);
  const parsed = { cmd, counters };
  if (!cmd.rule?.matches.some((m) => m.kind === 'set')) {
    if (PARSED_LINES.size >= PARSED_LINES_MAX) PARSED_LINES.clear();
    PARSED_LINES.set(key, parsed);
  }
  return parsed;
}

/** Printable ASCII but the space: nothing /\s/ matches or trim() removes. */
const isWordChar = (c: number): boolean => c > 32 && c < 127;

/** Applies a payload to `state` (see IptablesState.restore). */
export function restorePayload(state: IptablesState, text: string, opts: RestoreOptions): string {
  const cacheable = !opts.counters && !opts.test;
  const key = `${opts.noflush ? 'noflush' : 'flush'} ${opts.table ?? '-'}\n${text}`;
  if (cacheable) {
    const hit = CACHE.get(key);
    if (hit && replay(state, hit, opts.noflush ?? false)) {
      CACHE.delete(key);
      CACHE.set(key, hit);
      return '';
    }
  }
  const r = new PayloadReader(state, text, opts, cacheable);
  r.read();
  if (r.records) {
    CACHE.set(key, { blocks: r.records, sets: [...r.sets] });
    if (CACHE.size > CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  }
  return r.out;
}

/**
 * One payload being read, line by line. The loop is small and reads `-A` lines of the common
 * shapes in place (append-line.ts); every other line goes to line(), a separate method, so what
 * the JIT learns from the rare lines (a table header, COMMIT) does not recompile the loop.
 */
class PayloadReader {
  /** Listings, -Z and -c counters make a payload's effect more than its tables: not memoised. */
  records: BlockRecord[] | undefined;
  readonly sets = new Set<string>();
  out = '';
  private table: TableName | undefined;
  private skip = false;
  private block: Block | undefined;
  private lineNo = 0;

  constructor(
    private readonly state: IptablesState,
    private readonly text: string,
    private readonly opts: RestoreOptions,
    cacheable: boolean,
  ) {
    this.records = cacheable ? [] : undefined;
  }

  read(): void {
    try {
      this.lines();
    } finally {
      appendLinesDone();
    }
  }

  private lines(): void {
    const text = this.text;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const start = pos;
      const end = nl < 0 ? text.length : nl;
      pos = nl < 0 ? text.length : nl + 1;
      const lineNo = ++this.lineNo;
      const block = this.block;
      if (block !== undefined) {
        const c = text.charCodeAt(start);
        if (c === 45 /* - */) {
          const read = readAppendLine(text, start, end, block.table, block.d);
          if (read.rule) {
            block.append(read.chain, read.rule, lineNo);
            continue;
          }
        } else if (c === 58 /* : */ && !this.opts.counters && this.declaration(block, start, end, lineNo)) continue;
      }
      this.line(start, end, nl >= 0);
    }
    if (this.table !== undefined) throw plain(`COMMIT expected at line ${this.lineNo + 1}`);
  }

  /**
   * `:NAME POLICY [p:b]` read in place when NAME and POLICY are printable words after single
   * spaces and NAME is one checkChainName accepts (the counters matter only under -c); false
   * leaves the line to line().
   */
  private declaration(block: Block, start: number, end: number, lineNo: number): boolean {
    const text = this.text;
    let i = start + 1;
    while (i < end && isWordChar(text.charCodeAt(i))) i++;
    const nameEnd = i;
    if (nameEnd === start + 1 || nameEnd - start - 1 > 28 || text.charCodeAt(start + 1) === 45 /* - */) return false;
    if (i >= end || text.charCodeAt(i) !== 32) return false;
    i++;
    const policyStart = i;
    while (i < end && isWordChar(text.charCodeAt(i))) i++;
    if (i === policyStart || (i < end && text.charCodeAt(i) !== 32)) return false;
    const name = ownText(text.slice(start + 1, nameEnd));
    if (isTargetName(name)) return false;
    block.declare(name, text.slice(policyStart, i), undefined, lineNo);
    return true;
  }

  /** Any line but those the loop reads in place: text[start, end), `newline` when one ends it. */
  private line(start: number, end: number, newline: boolean): void {
    const { state, opts, lineNo } = this;
    // The line without its newline; the full parser reads it with the newline (a quote left open runs over it).
    const bare = this.text.slice(start, end);
    try {
      if (bare === '' || bare.startsWith('#')) return;
      if (this.table === undefined && bare.startsWith('*')) {
        const name = bare.slice(1).trim();
        if (!isTableName(name)) throw paramError(`iptables-restore: line ${lineNo} table name '${name}' invalid`);
        this.table = name;
        this.skip = opts.table !== undefined && opts.table !== name;
        this.block = this.skip ? undefined : new Block(state, name, opts);
        if (!opts.noflush) this.block?.flush(lineNo);
        return;
      }
      if (this.table !== undefined && bare === 'COMMIT') {
        if (this.block) this.out += this.block.commit(lineNo, this.records);
        this.block = undefined;
        this.table = undefined;
        return;
      }
      const table = this.table;
      if (table === undefined) throw plain(`line ${lineNo} failed`);
      if (this.skip) return;
      const block = this.block!;
      if (bare.startsWith(':')) {
        const words = bare.slice(1).trim().split(/\s+/);
        const name = words[0] ?? '';
        if (name === '') throw paramError(`iptables-restore: line ${lineNo} chain name invalid`);
        checkChainName(name);
        if (words[1] === undefined) throw paramError(`iptables-restore: line ${lineNo} policy invalid`);
        block.declare(name, words[1], opts.counters ? parseCounters(words[2]) : undefined, lineNo);
        return;
      }
      const line = newline ? `${bare}\n` : bare;
      const { cmd, counters } = parsedLine(table, line, state.setExists);
      block.command(opts.counters && counters ? Object.assign({}, cmd, { counters }) : cmd, lineNo);
      if (cmd.command === 'list' || cmd.command === 'listRules' || cmd.command === 'zero' || cmd.zero || cmd.counters)
        this.records = undefined;
      for (const m of cmd.rule?.matches ?? []) if (m.kind === 'set') this.sets.add(m.name);
    } catch (e) {
      if (e instanceof IptablesError && e.line === 0) throw e.at(lineNo);
      throw e;
    }
  }
}
