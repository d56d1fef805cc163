// A shell's own command line (`sh -ec SCRIPT`, `bash -xc SCRIPT NAME ARG…`, `bash -euo pipefail -c
// …`, `sh script.sh ARG`), read as bash 5.2, dash 0.5.12 (Debian's /bin/sh) and BusyBox 1.35's ash
// read theirs: options first, then -c's command string, $0 and the positional parameters — or a
// script file and its arguments, or the script on stdin. Errors are the shells' own words.

/** Which program a shell name runs: bash, Debian's dash, or BusyBox's ash (Alpine and busybox images). */
export type ShellProgram = 'bash' | 'dash' | 'ash';

export interface ShellArgs {
  /** `set -o` names to turn on before the script runs (the ones the emulated shell has; see OPTION). */
  readonly options: readonly string[];
  /** -c's command string; undefined when the script is `file` or stdin. */
  readonly command?: string;
  /** The script file operand (without -c). */
  readonly file?: string;
  /** $0. */
  readonly name: string;
  readonly positional: readonly string[];
}

export interface ShellArgsError {
  readonly status: number;
  readonly stderr: string;
}

/** Letters each shell takes besides -c, -o (and bash's -O): all accepted, those in OPTION take effect. */
const LETTERS: Readonly<Record<ShellProgram, string>> = {
  bash: 'abefhiklmnprstuvxBCDEHPT',
  dash: 'abefilmnpsuvxCEIV',
  ash: 'abefilmnsuvxCEI',
};

/** `-o` names each shell knows (bash's `set -o` list; dash 0.5.12 has no pipefail). */
const NAMES: Readonly<Record<ShellProgram, ReadonlySet<string>>> = {
  bash: new Set(
    'allexport braceexpand emacs errexit errtrace functrace hashall histexpand history ignoreeof interactive-comments keyword monitor noclobber noexec noglob nolog notify nounset onecmd physical pipefail posix privileged verbose vi xtrace'.split(
      ' ',
    ),
  ),
  dash: new Set(
    'errexit noglob ignoreeof interactive monitor noexec stdin xtrace verbose vi emacs noclobber allexport notify nounset nolog debug privileged'.split(
      ' ',
    ),
  ),
  ash: new Set(
    'allexport errexit noglob ignoreeof interactive monitor noexec stdin xtrace verbose vi emacs noclobber notify nounset nolog debug pipefail'.split(
      ' ',
    ),
  ),
};

/**
 * The options that change what a script does, as the emulated shell (just-bash) has them; the
 * others (interactive, login, job control, history, restricted; verbose, which just-bash would
 * apply to -c's string as bash does not) are accepted and have no effect. Coarse: just-bash's
 * xtrace quotes words as bash does, where dash prints them bare.
 */
const OPTION: Readonly<Record<string, string>> = {
  a: 'allexport',
  e: 'errexit',
  f: 'noglob',
  n: 'noexec',
  u: 'nounset',
  x: 'xtrace',
  C: 'noclobber',
};
const EFFECTIVE_NAMES = new Set([...Object.values(OPTION), 'pipefail', 'posix']);

/** bash's long options (before any short one); --rcfile and --init-file take a file. */
const BASH_LONG = new Set([
  '--debug',
  '--debugger',
  '--dump-po-strings',
  '--dump-strings',
  '--help',
  '--init-file',
  '--login',
  '--noediting',
  '--noprofile',
  '--norc',
  '--posix',
  '--pretty-print',
  '--rcfile',
  '--restricted',
  '--verbose',
  '--version',
]);

const BASH_USAGE = `Usage:\tbash [GNU long option] [option] ...
\tbash [GNU long option] [option] script-file ...
GNU long options:
${[...BASH_LONG].map((o) => `\t${o}\n`).join('')}Shell options:
\t-ilrsD or -c command or -O shopt_option\t\t(invocation only)
\t-abefhkmnptuvxBCEHPT or -o option
`;

/** The program behind a shell's name in an image whose /bin/sh is `sh` (dash on Debian, ash on BusyBox). */
export function shellProgram(argv0: string, sh: 'dash' | 'ash'): ShellProgram {
  const base = argv0.slice(argv0.lastIndexOf('/') + 1);
  return base === 'bash' ? 'bash' : base === 'ash' ? 'ash' : sh;
}

/** Reads a shell's argv (argv[0] its name as typed) as `program` reads it. */
export function readShellArgs(argv: readonly string[], program: ShellProgram): ShellArgs | ShellArgsError {
  const argv0 = argv[0]!;
  // BusyBox names itself by its applet; bash and dash by the name they were run as
  const me = program === 'ash' ? argv0.slice(argv0.lastIndexOf('/') + 1) : argv0;
  const options: string[] = [];
  const on = (name: string) => {
    if (EFFECTIVE_NAMES.has(name) && !options.includes(name)) options.push(name);
  };
  const off = (name: string) => {
    const at = options.indexOf(name);
    if (at >= 0) options.splice(at, 1);
  };
  let i = 1;
  if (program === 'bash') {
    for (; i < argv.length && argv[i]!.startsWith('--') && argv[i] !== '--'; i++) {
      const long = argv[i]!;
      if (!BASH_LONG.has(long)) return { status: 2, stderr: `${me}: ${long}: invalid option\n${BASH_USAGE}` };
      if (long === '--posix') on('posix');
      if (long === '--rcfile' || long === '--init-file') i++;
    }
  }
  let command = false;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--' || word === '-') {
      i++;
      break;
    }
    if (word.length < 2 || (word[0] !== '-' && word[0] !== '+')) break;
    const set = word[0] === '-';
    for (const letter of word.slice(1)) {
      if (letter === 'c') command = true;
      else if (letter === 'o' || (letter === 'O' && program === 'bash')) {
        const name = argv[++i];
        if (name === undefined)
          return { status: 2, stderr: `knetlab: ${me} -${letter} without a name (a listing of the options) is not emulated\n` };
        if (letter === 'O') continue; // shopt names: accepted, no effect here
        if (!NAMES[program].has(name)) return invalidName(program, me, name);
        if (set) on(name);
        else off(name);
      } else if (LETTERS[program].includes(letter)) {
        const name = OPTION[letter];
        if (name !== undefined) {
          if (set) on(name);
          else off(name);
        }
      } else return invalidLetter(program, me, `${word[0]}${letter}`);
    }
  }
  const operands = argv.slice(i);
  if (command) {
    if (operands.length === 0) {
      const stderr =
        program === 'bash'
          ? `${me}: -c: option requires an argument\n`
          : program === 'dash'
            ? `${me}: 0: -c requires an argument\n`
            : `${me}: -c requires an argument\n`;
      return { status: 2, stderr };
    }
    return { options, command: operands[0]!, name: operands[1] ?? argv0, positional: operands.slice(2) };
  }
  if (operands.length > 0) return { options, file: operands[0]!, name: operands[0]!, positional: operands.slice(1) };
  return { options, name: argv0, positional: [] };
}

function invalidLetter(program: ShellProgram, me: string, option: string): ShellArgsError {
  if (program === 'bash') return { status: 2, stderr: `${me}: ${option}: invalid option\n${BASH_USAGE}` };
  if (program === 'dash') return { status: 2, stderr: `${me}: 0: Illegal option ${option}\n` };
  return { status: 2, stderr: `${me}: illegal option ${option}\n` };
}

function invalidName(program: ShellProgram, me: string, name: string): ShellArgsError {
  if (program === 'bash') return { status: 2, stderr: `${me}: ${me}: ${name}: invalid option name\n` };
  if (program === 'dash') return { status: 2, stderr: `${me}: 0: Illegal option -o ${name}\n` };
  // BusyBox 1.35 says so and exits 0 without running anything
  return { status: 0, stderr: `${me}: illegal option -o ${name}\n` };
}

/** A script file the shell could not open, in its words (bash 127, the others 2). */
export function cannotOpen(program: ShellProgram, me: string, file: string): ShellArgsError {
  if (program === 'bash') return { status: 127, stderr: `${me}: ${file}: No such file or directory\n` };
  if (program === 'dash') return { status: 2, stderr: `${me}: 0: cannot open ${file}: No such file\n` };
  return { status: 2, stderr: `${me.slice(me.lastIndexOf('/') + 1)}: can't open '${file}': No such file or directory\n` };
}
