// docker/cli's command-line parsing (spf13/cobra + pflag): long flags with `=` or a separate value,
// grouped short flags (`-it`), flags among the arguments unless the command stops at its first
// argument (exec, run), `--` ends the flags. Errors in docker/cli's words (cli/cobra.go
// FlagErrorFunc, cli/required.go, vendor/github.com/spf13/pflag/errors.go), exit status 125.

export interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  /** Takes a value (`--format X`); repeatable ones collect every value. */
  readonly value?: boolean;
}

export interface CommandSpec {
  /** The command path: `docker ps`, `docker network inspect`. */
  readonly path: string;
  /** cobra's Use after the command name: `[OPTIONS] CONTAINER [CONTAINER...]`. */
  readonly use: string;
  readonly flags: readonly FlagSpec[];
  /** pflag SetInterspersed(false): the first argument ends the flags (exec, run). */
  readonly stopAtArg?: boolean;
  readonly minArgs?: number;
  readonly maxArgs?: number;
  /** cobra.ExactArgs: its own message. */
  readonly exactArgs?: number;
}

export interface Parsed {
  readonly flags: ReadonlyMap<string, readonly string[]>;
  readonly args: readonly string[];
}

export class UsageError extends Error {}

function usage(spec: CommandSpec): string {
  return `Usage:  ${spec.path} ${spec.use}`;
}

/** FlagErrorFunc: the error, the usage line, where to look. */
function flagError(spec: CommandSpec, err: string): UsageError {
  return new UsageError(`${err}\n\n${usage(spec)}\n\nRun '${spec.path} --help' for more information`);
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export function parseFlags(spec: CommandSpec, argv: readonly string[]): Parsed {
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  const set = (f: FlagSpec, v: string) => flags.set(f.long, [...(flags.get(f.long) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const f = spec.flags.find((x) => x.long === name);
      if (!f) throw flagError(spec, `unknown flag: --${name}`);
      if (f.value) {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw flagError(spec, `flag needs an argument: --${name}`);
        set(f, v);
      } else set(f, eq >= 0 ? a.slice(eq + 1) : 'true');
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const f = spec.flags.find((x) => x.short === c);
        if (!f) throw flagError(spec, `unknown shorthand flag: '${c}' in ${a}`);
        if (f.value) {
          const rest = a.slice(j + 1);
          const v = rest !== '' ? rest.replace(/^=/, '') : argv[++i];
          if (v === undefined) throw flagError(spec, `flag needs an argument: '${c}' in -${c}`);
          set(f, v);
          break;
        }
        set(f, 'true');
      }
      continue;
    }
    if (spec.stopAtArg) {
      args.push(...argv.slice(i));
      break;
    }
    args.push(a);
  }
  const n = args.length;
  if (spec.exactArgs !== undefined && n !== spec.exactArgs) {
    throw new UsageError(
      `docker: '${spec.path}' requires ${spec.exactArgs} ${plural(spec.exactArgs, 'argument')}\n\n${usage(spec)}\n\nRun '${spec.path} --help' for more information`,
    );
  }
  if (spec.minArgs !== undefined && n < spec.minArgs) {
    throw new UsageError(
      `docker: '${spec.path}' requires at least ${spec.minArgs} ${plural(spec.minArgs, 'argument')}\n\n${usage(spec)}\n\nSee '${spec.path} --help' for more information`,
    );
  }
  if (spec.maxArgs !== undefined && n > spec.maxArgs) {
    throw new UsageError(
      `docker: '${spec.path}' requires at most ${spec.maxArgs} ${plural(spec.maxArgs, 'argument')}\n\n${usage(spec)}\n\nRun '${spec.path} --help' for more information`,
    );
  }
  return { flags, args };
}

export const has = (p: Parsed, long: string) => p.flags.has(long) && p.flags.get(long)!.at(-1) !== 'false';
export const last = (p: Parsed, long: string) => p.flags.get(long)?.at(-1);
export const all = (p: Parsed, long: string) => p.flags.get(long) ?? [];
