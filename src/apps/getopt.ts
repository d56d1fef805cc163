// Short options as glibc's getopt(3) reads them, for the emulated tools that use it: grouped
// flags (`-nq`), an argument attached or in the next word (`-c1`, `-c 1`, `-nc1`), options after
// operands (GNU permutation: `ping 10.0.0.1 -c 1`), `--` ending the options, and glibc's two
// messages. The spec is getopt's optstring: a letter, followed by `:` when it takes an argument.
//
// Used by: ping.

export interface GetoptOption {
  /** The option letter. */
  readonly opt: string;
  /** Its argument, for a letter the spec marks with `:`. */
  readonly arg?: string;
}

export type GetoptResult =
  | { readonly options: readonly GetoptOption[]; readonly operands: readonly string[] }
  | { readonly error: string; readonly opt: string };

/** Parses `args` (without the program name) against `spec`; `prog` prefixes glibc's messages. */
export function getopt(prog: string, args: readonly string[], spec: string): GetoptResult {
  const takesArg = new Map<string, boolean>();
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] === ':') continue;
    takesArg.set(spec[i]!, spec[i + 1] === ':');
  }
  const options: GetoptOption[] = [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (word.length < 2 || word[0] !== '-') {
      operands.push(word);
      continue;
    }
    for (let j = 1; j < word.length; j++) {
      const opt = word[j]!;
      const wants = takesArg.get(opt);
      if (wants === undefined || opt === ':') return { error: `${prog}: invalid option -- '${opt}'`, opt };
      if (!wants) {
        options.push({ opt });
        continue;
      }
      if (j + 1 < word.length) options.push({ opt, arg: word.slice(j + 1) });
      else if (i + 1 < args.length) options.push({ opt, arg: args[++i]! });
      else return { error: `${prog}: option requires an argument -- '${opt}'`, opt };
      break;
    }
  }
  return { options, operands };
}
