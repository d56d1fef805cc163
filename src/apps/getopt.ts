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
  const inOrder = spec.startsWith('+');
  const shorts = shortOptions(inOrder ? spec.slice(1) : spec);
  const options: GetoptOption[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (word.length < 2 || word[0] !== '-') {
      if (inOrder) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(word);
      continue;
    }
    if (longs && word.startsWith('--')) {
      const r = longOption(prog, word.slice(2), longs, () => (i + 1 < args.length ? args[++i] : undefined));
      if ('error' in r) return r;
      options.push(r);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const opt = word[j]!;
      const mode = shorts.get(opt);
      if (mode === undefined) return { error: `${prog}: invalid option -- '${opt}'`, opt };
      if (mode === 'none') {
        options.push({ opt });
        continue;
      }
      if (j + 1 < word.length) options.push({ opt, arg: word.slice(j + 1) });
      else if (mode === 'optional') options.push({ opt });
      else if (i + 1 < args.length) options.push({ opt, arg: args[++i]! });
      else return { error: `${prog}: option requires an argument -- '${opt}'`, opt };
      break;
    }
  }
  return { options, operands };
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

/** `text` is the word after `--`; `next` takes the following word for a required argument. */
function longOption(prog: string, text: string, longs: readonly LongOption[], next: () => string | undefined): GetoptOption | { error: string; opt: string } {
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
      return { error: `${prog}: option '--${text}' is ambiguous; possibilities:${names.join('')}`, opt: name };
    }
  }
  if (!found) return { error: `${prog}: unrecognized option '--${text}'`, opt: name };
  const opt = found.key ?? found.name;
  if (eq >= 0) {
    if (found.arg === 'none') return { error: `${prog}: option '--${found.name}' doesn't allow an argument`, opt };
    return { opt, arg: text.slice(eq + 1) };
  }
  if (found.arg !== 'required') return { opt };
  const arg = next();
  if (arg === undefined) return { error: `${prog}: option '--${found.name}' requires an argument`, opt };
  return { opt, arg };
}
