// iptables-restore 1.8.9 (nf_tables) payloads: `*table` opens a block (flushing the table unless
// --noflush), `:CHAIN POLICY [p:b]` declares or flushes a chain, other lines are iptables command
// lines (quoted with "..."), `COMMIT` commits the block atomically. Lines are parsed as they are
// read (a syntax error stops at its line); the block's commands run at COMMIT in order, so a
// missing chain is reported at the command's line and a jump to a missing chain at the COMMIT
// line, as the real tool reports them. Blocks committed before a failing one stay applied.
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { checkChainName, parseCommand, type ParsedCommand } from './rulespec.js';
import { applyCommand, isTableName, type TableDraft } from './tables-draft.js';
import type { IptablesState } from './tables.js';
import type { Counters, TableName } from './types.js';

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

function runBlock(state: IptablesState, table: TableName, steps: readonly Step[], commitLine: number, opts: RestoreOptions): string {
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
  if (!opts.test) state.commit(d);
  else d.throwFailures();
  return out;
}

/** Applies a payload to `state` (see IptablesState.restore). */
export function restorePayload(state: IptablesState, text: string, opts: RestoreOptions): string {
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
        if (!skip) out += runBlock(state, table, steps, lineNo, opts);
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
      if (cmd.command === 'version') throw badArgument(words[0]!);
      steps.push({ kind: 'command', cmd: opts.counters && counters ? { ...cmd, counters } : cmd, line: lineNo });
    } catch (e) {
      if (e instanceof IptablesError && e.line === 0) throw e.at(lineNo);
      throw e;
    }
  }
  if (table !== undefined) throw plain(`COMMIT expected at line ${lineNo + 1}`);
  return out;
}
