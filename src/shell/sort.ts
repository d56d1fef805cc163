// GNU sort in the C locale, as kind's nodes and the images run it (no LANG set): lines compare byte
// by byte (`*filter` before `-A` before `:INPUT` before `COMMIT`, upper case before lower).
// just-bash's sort collates with the JavaScript engine's locale instead, so its order differs
// wherever punctuation or case decides. The common options are ours (-n -r -u -f -b -s -k -t);
// anything else (-h -V -M -g -R -c -m -o -z …) is left to just-bash's (undefined).
import { defineCommand, type CustomCommand } from 'just-bash/browser';
import { textOfBytes } from './bytes.js';

interface KeySpec {
  readonly startField: number;
  readonly startChar: number;
  /** 0: to the end of the line. */
  readonly endField: number;
  /** 0: to the end of the end field. */
  readonly endChar: number;
  readonly opts: Opts;
}

interface Opts {
  numeric: boolean;
  reverse: boolean;
  fold: boolean;
  blanks: boolean;
}

export interface SortPlan {
  readonly keys: readonly KeySpec[];
  readonly global: Opts;
  readonly unique: boolean;
  readonly stable: boolean;
  readonly separator: string | undefined;
  /** File operands ('-' or none: standard input). */
  readonly files: readonly string[];
}

const LONG: Readonly<Record<string, string>> = {
  '--numeric-sort': 'n',
  '--reverse': 'r',
  '--unique': 'u',
  '--ignore-case': 'f',
  '--ignore-leading-blanks': 'b',
  '--stable': 's',
};

/** `F[.C][opts]` of -k: undefined when it is not one. */
function position(text: string, end: boolean): { field: number; char: number; opts: string } | undefined {
  const m = /^(\d+)(?:\.(\d+))?([bfnr]*)$/.exec(text);
  if (!m || Number(m[1]) === 0 || (!end && m[2] !== undefined && Number(m[2]) === 0)) return undefined;
  return { field: Number(m[1]), char: m[2] === undefined ? (end ? 0 : 1) : Number(m[2]), opts: m[3]! };
}

/** Reads sort's arguments; undefined when an option is one this module leaves to just-bash. */
export function sortPlan(args: readonly string[]): SortPlan | undefined {
  const global: Opts = { numeric: false, reverse: false, fold: false, blanks: false };
  const keyTexts: string[] = [];
  const files: string[] = [];
  let unique = false;
  let stable = false;
  let separator: string | undefined;
  const flag = (c: string): boolean => {
    if (c === 'n') global.numeric = true;
    else if (c === 'r') global.reverse = true;
    else if (c === 'f') global.fold = true;
    else if (c === 'b') global.blanks = true;
    else if (c === 'u') unique = true;
    else if (c === 's') stable = true;
    else return false;
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, value] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (Object.hasOwn(LONG, name) && value === undefined) flag(LONG[name]!);
      else if (name === '--key') keyTexts.push(value ?? args[++i] ?? '');
      else if (name === '--field-separator') separator = value ?? args[++i];
      else return undefined;
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'k' || c === 't') {
        const value = j + 1 < a.length ? a.slice(j + 1) : args[++i];
        if (value === undefined) return undefined;
        if (c === 'k') keyTexts.push(value);
        else separator = value;
        break;
      }
      if (!flag(c)) return undefined;
    }
  }
  if (separator !== undefined && separator.length !== 1) return undefined;
  const keys: KeySpec[] = [];
  for (const k of keyTexts) {
    const [s, e] = k.split(',');
    const start = position(s ?? '', false);
    const end = e === undefined ? { field: 0, char: 0, opts: '' } : position(e, true);
    if (!start || !end) return undefined;
    const own = start.opts + end.opts;
    // a key with options of its own takes none of the global ones
    const opts: Opts = own
      ? { numeric: own.includes('n'), reverse: own.includes('r'), fold: own.includes('f'), blanks: own.includes('b') }
      : { ...global };
    keys.push({ startField: start.field, startChar: start.char, endField: end.field, endChar: end.char, opts });
  }
  return { keys, global, unique, stable, separator, files };
}

const isBlank = (c: string) => c === ' ' || c === '\t';

/** Where each field starts: after a -t separator, or (by default) where a run of blanks begins. */
function fieldStarts(line: string, separator: string | undefined): number[] {
  const starts = [0];
  for (let i = 0; i < line.length; i++) {
    if (separator !== undefined) {
      if (line[i] === separator) starts.push(i + 1);
    } else if (i > 0 && isBlank(line[i]!) && !isBlank(line[i - 1]!)) starts.push(i);
  }
  return starts;
}

/** The text of key `k` in `line` (GNU's begfield/limfield). */
function keyText(line: string, k: KeySpec, separator: string | undefined): string {
  const starts = fieldStarts(line, separator);
  const fieldEnd = (f: number) => (f < starts.length ? (starts[f] ?? line.length) - (separator !== undefined ? 1 : 0) : line.length);
  let from = k.startField - 1 < starts.length ? starts[k.startField - 1]! : line.length;
  if (k.opts.blanks) while (from < line.length && isBlank(line[from]!)) from++;
  from = Math.min(from + k.startChar - 1, fieldEnd(k.startField));
  let to = line.length;
  if (k.endField > 0) {
    if (k.endChar === 0) to = fieldEnd(k.endField);
    else {
      let s = k.endField - 1 < starts.length ? starts[k.endField - 1]! : line.length;
      if (k.opts.blanks) while (s < line.length && isBlank(line[s]!)) s++;
      to = Math.min(s + k.endChar, fieldEnd(k.endField));
    }
  }
  return to > from ? line.slice(from, to) : '';
}

/** -n: leading blanks, an optional minus, digits with an optional fraction; anything else is 0. */
function numberOf(text: string): number {
  const m = /^[ \t]*(-?(?:\d+(?:\.\d*)?|\.\d+))/.exec(text);
  return m ? Number(m[1]) : 0;
}

function compare(a: string, b: string, o: Opts): number {
  let r: number;
  if (o.numeric) r = Math.sign(numberOf(a) - numberOf(b));
  else {
    if (o.blanks) [a, b] = [a.trimStart(), b.trimStart()];
    if (o.fold) [a, b] = [a.toUpperCase(), b.toUpperCase()];
    r = a < b ? -1 : a > b ? 1 : 0;
  }
  return o.reverse ? -r : r;
}

/** Sorts `lines` as GNU sort does in the C locale under `plan`. */
export function sortLines(lines: readonly string[], plan: SortPlan): string[] {
  const keys: readonly KeySpec[] = plan.keys.length
    ? plan.keys
    : [{ startField: 1, startChar: 1, endField: 0, endChar: 0, opts: plan.global }];
  const byKeys = (a: string, b: string): number => {
    for (const k of keys) {
      const r = compare(keyText(a, k, plan.separator), keyText(b, k, plan.separator), k.opts);
      if (r !== 0) return r;
    }
    return 0;
  };
  // the last resort: whole lines byte by byte (reversed under a global -r), unless -s or -u
  const lastResort = !plan.stable && !plan.unique;
  const sorted = lines
    .map((line, i) => ({ line, i }))
    .sort((x, y) => {
      const r = byKeys(x.line, y.line);
      if (r !== 0) return r;
      if (lastResort && x.line !== y.line) return (x.line < y.line ? -1 : 1) * (plan.global.reverse ? -1 : 1);
      return x.i - y.i;
    })
    .map((x) => x.line);
  if (!plan.unique) return sorted;
  return sorted.filter((line, i) => i === 0 || byKeys(sorted[i - 1]!, line) !== 0);
}

/** sort's whole output for `text` (its lines, newline-terminated). */
export function sortText(text: string, plan: SortPlan): string {
  if (text === '') return '';
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  return `${sortLines(lines, plan).join('\n')}\n`;
}

/** `sort` for a just-bash shell: ours in the C locale, just-bash's for the options we leave to it. */
export const cSort: CustomCommand = defineCommand('sort', async (args, ctx) => {
  const plan = sortPlan(args);
  if (!plan) return await ctx.origCommand!(args);
  let input = '';
  for (const f of plan.files.length ? plan.files : ['-']) {
    if (f === '-') {
      input += textOfBytes((ctx.stdin as unknown as string) ?? '');
      continue;
    }
    try {
      input += await ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, f));
    } catch {
      return { stdout: '', stderr: `sort: cannot read: ${f}: No such file or directory\n`, exitCode: 2 };
    }
  }
  return { stdout: sortText(input, plan), stderr: '', exitCode: 0 };
});
