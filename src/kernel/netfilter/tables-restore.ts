// iptables-restore 1.8.9 (nf_tables) payloads: `*table` opens a block (flushing the table unless
// --noflush), `:CHAIN POLICY [p:b]` declares or flushes a chain, other lines are iptables command
// lines (quoted with "..."), `COMMIT` commits the block atomically. Lines are parsed as they are
// read (a syntax error stops at its line); the block's commands run at COMMIT in order, so a
// missing chain is reported at the command's line and a jump to a missing chain at the COMMIT
// line, as the real tool reports them. Blocks committed before a failing one stay applied.
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { checkChainName, parseCommand, type ParsedCommand } from './rulespec.js';
import { applyCommand, isTableName, type TableDraft, type TableFacts } from './tables-draft.js';
import type { Committed, IptablesState } from './tables.js';
import type { Counters, Table, TableName } from './types.js';

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
  let quoted = false;
  let escaped = false;
  for (const ch of line) {
    if (quoted) {
      if (escaped) {
        word += ch;
        escaped = false;
      } else if (ch === '\\') escaped = true;
      else if (ch === '"') {
        words.push(word);
        word = '';
        started = false;
        quoted = false;
      } else word += ch;
    } else if (ch === '"') {
      quoted = true;
      started = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

type Step =
  | { readonly kind: 'flush'; readonly line: number }
  | { readonly kind: 'declare'; readonly name: string; readonly policy: string; readonly counters: Counters | undefined; readonly line: number }
  | { readonly kind: 'command'; readonly cmd: ParsedCommand; readonly line: number };

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

function runBlock(state: IptablesState, table: TableName, steps: readonly Step[], commitLine: number, opts: RestoreOptions, records: BlockRecord[] | undefined): string {
  const start = state.table(table);
  const startFacts = state.factsOf(table);
  const d: TableDraft = state.draft(table);
  let out = '';
  for (const s of steps) {
    try {
      if (s.kind === 'flush') d.flushTable();
      else if (s.kind === 'declare') d.declare(s.name, s.policy, opts.counters ? s.counters : undefined);
      else if (s.cmd.command === 'list' || s.cmd.command === 'listRules') {
        out += state.listing(s.cmd, d.view(), true);
        if (s.cmd.zero) d.zero(s.cmd.chain);
      } else applyCommand(d, s.cmd, s.line);
    } catch (e) {
      if (e instanceof IptablesError) throw e.at(e.failure.kind === 'param' ? commitLine : s.line);
      throw e;
    }
  }
  if (opts.test) d.throwFailures();
  else {
    const committed = state.commit(d);
    records?.push({ start, startFacts, committed });
  }
  return out;
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
  a.order.length === b.order.length && a.builtins.size === b.builtins.size && a.order.every((n, i) => n === b.order[i]) && [...a.builtins].every((n) => b.builtins.has(n));

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
  // Listings, -Z and -c counters make a payload's effect more than its tables: not memoised.
  let records: BlockRecord[] | undefined = cacheable ? [] : undefined;
  const sets = new Set<string>();
  let out = '';
  let table: TableName | undefined;
  let skip = false;
  let steps: Step[] = [];
  let lineNo = 0;
  let pos = 0;
  const setExists = state.setExists;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const line = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
    pos = nl < 0 ? text.length : nl + 1;
    lineNo++;
    const bare = line.endsWith('\n') ? line.slice(0, -1) : line;
    try {
      if (bare === '' || bare.startsWith('#')) continue;
      if (table === undefined && bare.startsWith('*')) {
        const name = bare.slice(1).trim();
        if (!isTableName(name)) throw paramError(`iptables-restore: line ${lineNo} table name '${name}' invalid`);
        table = name;
        skip = opts.table !== undefined && opts.table !== name;
        steps = opts.noflush ? [] : [{ kind: 'flush', line: lineNo }];
        continue;
      }
      if (table !== undefined && bare === 'COMMIT') {
        if (!skip) out += runBlock(state, table, steps, lineNo, opts, records);
        table = undefined;
        continue;
      }
      if (table === undefined) throw plain(`line ${lineNo} failed`);
      if (skip) continue;
      if (bare.startsWith(':')) {
        const words = bare.slice(1).trim().split(/\s+/);
        const name = words[0] ?? '';
        if (name === '') throw paramError(`iptables-restore: line ${lineNo} chain name invalid`);
        checkChainName(name);
        if (words[1] === undefined) throw paramError(`iptables-restore: line ${lineNo} policy invalid`);
        steps.push({ kind: 'declare', name, policy: words[1], counters: parseCounters(words[2]), line: lineNo });
        continue;
      }
      const words = splitRestoreLine(line);
      let counters: Counters | undefined;
      if (words[0]?.startsWith('[')) {
        counters = parseCounters(words.shift());
        if (counters === undefined) throw badArgument(line.trim());
      }
      const cmd = parseCommand(words, { restore: true, table, ...(setExists ? { setExists } : {}) });
      if (cmd.command === 'version' || cmd.command === 'help') throw badArgument(words[0]!);
      steps.push({ kind: 'command', cmd: opts.counters && counters ? { ...cmd, counters } : cmd, line: lineNo });
      if (cmd.command === 'list' || cmd.command === 'listRules' || cmd.command === 'zero' || cmd.zero || cmd.counters) records = undefined;
      for (const m of cmd.rule?.matches ?? []) if (m.kind === 'set') sets.add(m.name);
    } catch (e) {
      if (e instanceof IptablesError && e.line === 0) throw e.at(lineNo);
      throw e;
    }
  }
  if (table !== undefined) throw plain(`COMMIT expected at line ${lineNo + 1}`);
  if (records) {
    CACHE.set(key, { blocks: records, sets: [...sets] });
    if (CACHE.size > CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  }
  return out;
}
