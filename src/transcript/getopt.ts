// Options as glibc's getopt(3) and getopt_long(3) read them, for the emulated tools that use
// them: grouped short flags (`-nq`), an argument attached or in the next word (`-c1`, `-c 1`,
// `-nc1`), long options with `--name=value` or `--name value`, any unique prefix of a long name
// (`--coun`), options after operands (GNU permutation: `ping 10.0.0.1 -c 1`; a spec starting with
// `+` stops at the first operand instead), `--` ending the options, and glibc's messages.
// The spec is getopt's optstring: a letter, then `:` when it takes an argument, `::` when the
// argument is optional (attached only: `-p5`, `--load=FILE`).
//
// Mirrors glibc posix/getopt.c (_getopt_internal_r, process_long_option).

export interface GetoptOption {
  /** The option letter, or the `key` of the long option given. */
  readonly opt: string;
  /** Its argument, when it takes one (an optional one only when given). */
  readonly arg?: string;
}

export type GetoptResult =
  | { readonly options: readonly GetoptOption[]; readonly operands: readonly string[] }
  | { readonly error: string; readonly opt: string };

/** One entry of getopt_long's `struct option` table. */
export interface LongOption {
  readonly name: string;
  readonly arg: 'none' | 'required' | 'optional';
  /** What the option is reported as: usually its short letter, else its name. */
  readonly key?: string;
}

/** Parses `args` (without the program name) against `spec`; `prog` prefixes glibc's messages. */
export function getopt(prog: string, args: readonly string[], spec: string): GetoptResult {
  return getoptLong(prog, args, spec, undefined);
}

type ArgMode = LongOption['arg'];

/** getopt_long(3): `spec` as for getopt, `longs` the long options in the tool's table order. Without
 * a table (plain getopt), `--name` is a group of short options, as in glibc. */
export function getoptLong(prog: string, args: readonly string[], spec: string, longs: readonly LongOption[] | undefined): GetoptResult {
  const scanner = new GetoptScanner(prog, args, spec, longs);
  const options: GetoptOption[] = [];
  for (let r = scanner.next(); r !== undefined; r = scanner.next()) {
    if ('error' in r) return { error: r.error, opt: r.opt };
    options.push(r);
  }
  return { options, operands: scanner.operands() };
}

/** What went wrong with one option: getopt returned `?` (`unknown`) or `:` (`missing`, only with a
 * spec starting with `:`, else `unknown` too). `error` is the message glibc prints when opterr is on. */
export interface GetoptError {
  readonly error: string;
  readonly opt: string;
  readonly kind: 'unknown' | 'missing';
}

/**
 * getopt_long(3) one call at a time, for tools that act between calls as C programs do: read
 * `argv[optind]` (conntrack's optional table name), or load more long options (conntrack's `-p tcp`).
 * `argv` is permuted in place the way glibc permutes it (operands moved after the options), so
 * `word(optind - 1)` is the word a tool names in its own messages.
 */
export class GetoptScanner {
  readonly argv: string[];
  /** glibc's optind, counted in `argv` (the program name is not in it: optind 1 in C is 0 here). */
  optind = 0;
  /** The long options; a tool may replace them between calls. */
  longs: readonly LongOption[] | undefined;
  private readonly shorts: Map<string, ArgMode>;
  /** `+`: the first operand ends the options; `-`: each operand is returned in place as option `\x01`. */
  private readonly inOrder: boolean;
  private readonly returnInOrder: boolean;
  private readonly colon: boolean;
  /** The rest of a group of short options being read (`nc1` after `-n`), '' between words. */
  private nextchar = '';
  private firstNonopt = 0;
  private lastNonopt = 0;

  constructor(
    private readonly prog: string,
    args: readonly string[],
    spec: string,
    longs: readonly LongOption[] | undefined,
  ) {
    this.argv = [...args];
    this.longs = longs;
    this.inOrder = spec.startsWith('+');
    this.returnInOrder = spec.startsWith('-');
    const body = this.inOrder || this.returnInOrder ? spec.slice(1) : spec;
    this.colon = body.startsWith(':');
    this.shorts = shortOptions(this.colon ? body.slice(1) : body);
  }

  /** `argv[i]` as C sees it: the program name before the first word. */
  word(i: number): string {
    return i < 0 ? this.prog : (this.argv[i] ?? '');
  }

  /** The operands, once next() has returned undefined. */
  operands(): string[] {
    return this.argv.slice(this.optind);
  }

  /** The next option, an error, or undefined at the end of the options (optind then at the operands). */
  next(): GetoptOption | GetoptError | undefined {
    const argv = this.argv;
    if (this.nextchar === '') {
      if (this.lastNonopt > this.optind) this.lastNonopt = this.optind;
      if (this.firstNonopt > this.optind) this.firstNonopt = this.optind;
      if (!this.inOrder && !this.returnInOrder) {
        if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
        else if (this.lastNonopt !== this.optind) this.firstNonopt = this.optind;
        while (this.optind < argv.length && isOperand(argv[this.optind]!)) this.optind++;
        this.lastNonopt = this.optind;
      }
      if (this.optind !== argv.length && argv[this.optind] === '--') {
        this.optind++;
        if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
        else if (this.firstNonopt === this.lastNonopt) this.firstNonopt = this.optind;
        this.lastNonopt = argv.length;
        this.optind = argv.length;
      }
      if (this.optind === argv.length) {
        if (this.firstNonopt !== this.lastNonopt) this.optind = this.firstNonopt;
        return undefined;
      }
      if (isOperand(argv[this.optind]!)) {
        if (this.returnInOrder) return { opt: OPERAND, arg: argv[this.optind++]! };
        return undefined; // in order (`+`): the first operand ends the options
      }
      if (this.longs && argv[this.optind]!.startsWith('--')) return this.longOption(argv[this.optind]!.slice(2));
      this.nextchar = argv[this.optind]!.slice(1);
    }
    const opt = this.nextchar[0]!;
    this.nextchar = this.nextchar.slice(1);
    if (this.nextchar === '') this.optind++;
    const mode = opt === ':' ? undefined : this.shorts.get(opt);
    if (mode === undefined) return { error: `${this.prog}: invalid option -- '${opt}'`, opt, kind: 'unknown' };
    if (mode === 'none') return { opt };
    const attached = this.nextchar;
    this.nextchar = '';
    if (attached !== '') {
      this.optind++;
      return { opt, arg: attached };
    }
    if (mode === 'optional') return { opt };
    if (this.optind === argv.length) {
      return { error: `${this.prog}: option requires an argument -- '${opt}'`, opt, kind: this.colon ? 'missing' : 'unknown' };
    }
    return { opt, arg: argv[this.optind++]! };
  }

  /** glibc's exchange(): moves the operands skipped so far after the options read since. */
  private exchange(): void {
    const { argv, firstNonopt: first, lastNonopt: last, optind } = this;
    const moved = [...argv.slice(last, optind), ...argv.slice(first, last)];
    argv.splice(first, optind - first, ...moved);
    this.firstNonopt += optind - last;
    this.lastNonopt = optind;
  }

  /** `text` is the word after `--`. */
  private longOption(text: string): GetoptOption | GetoptError {
    const longs = this.longs!;
    const prog = this.prog;
    this.optind++;
    const eq = text.indexOf('=');
    const name = eq < 0 ? text : text.slice(0, eq);
    let found = longs.find((l) => l.name === name);
    if (!found) {
      const prefixed = longs.filter((l) => l.name.startsWith(name));
      found = prefixed[0];
      // glibc: several prefix matches are ambiguous unless they all mean the same option.
      const differing = prefixed.filter((l) => l.arg !== found!.arg || (l.key ?? l.name) !== (found!.key ?? found!.name));
      if (differing.length > 0) {
        const names = prefixed.filter((l) => l === found || differing.includes(l)).map((l) => ` '--${l.name}'`);
        return { error: `${prog}: option '--${text}' is ambiguous; possibilities:${names.join('')}`, opt: name, kind: 'unknown' };
      }
    }
    if (!found) return { error: `${prog}: unrecognized option '--${text}'`, opt: name, kind: 'unknown' };
    const opt = found.key ?? found.name;
    if (eq >= 0) {
      if (found.arg === 'none') return { error: `${prog}: option '--${found.name}' doesn't allow an argument`, opt, kind: 'unknown' };
      return { opt, arg: text.slice(eq + 1) };
    }
    if (found.arg !== 'required') return { opt };
    if (this.optind === this.argv.length) {
      return { error: `${prog}: option '--${found.name}' requires an argument`, opt, kind: this.colon ? 'missing' : 'unknown' };
    }
    return { opt, arg: this.argv[this.optind++]! };
  }
}

/** What GetoptScanner returns for an operand with a spec starting with `-` (getopt's 1). */
export const OPERAND = '\x01';

/** glibc's NONOPTION_P: a word not starting with `-`, or `-` alone. */
function isOperand(word: string): boolean {
  return word.length < 2 || word[0] !== '-';
}

function shortOptions(spec: string): Map<string, ArgMode> {
  const modes = new Map<string, ArgMode>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === ':') continue;
    modes.set(c, spec[i + 1] !== ':' ? 'none' : spec[i + 2] === ':' ? 'optional' : 'required');
  }
  return modes;
}
