// The shell inside a node or a container: just-bash (a simulated bash: pipes, redirections, $?,
// &&/||, $(...), loops, here-documents, and its grep/awk/sed/jq/... text tools) over the node's
// files, with knetlab's emulated network tools registered as its commands, each running on the
// node's own kernel. Which commands exist is the image's business: just-bash finds a command by
// its file in $PATH, as bash does, so a tool the image lacks is `command not found`.
import { Bash, defineCommand, getCommandNames, type CustomCommand } from 'just-bash/browser';
import { NodeShellFs, type Files, type ProcNet, type SysctlTable } from './files.js';
import { EPOCH_MS } from './engine.js';
import { chown, ls, tree } from './coreutils.js';
import { cSort } from '../shell/sort.js';
import { stdinOption } from '../shell/text-tools.js';
import { byteKind, textOfBytes } from '../shell/bytes.js';
import { DEBIAN_PACKAGES } from '../kind/index.js';
import { LogFs, STREAM_TO_LOG } from './log-stream.js';
import { NOUNSET_DEFAULTS } from './nounset-defaults.js';
import { PACE_LOOPS, PACE_TRACE, paceCommand } from './pacing.js';
import { cannotOpen, readShellArgs, shellProgram, type ShellProgram } from './shell-args.js';

/** What one tool run printed. */
export interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An emulated tool: argv without its name, what was piped in. */
export type Tool = (args: readonly string[], stdin: string) => ToolResult | Promise<ToolResult>;

export interface ContainerShell {
  readonly files: Files;
  readonly sysctl?: SysctlTable;
  /** The container's /proc/net, when it has a network namespace of its own to show. */
  readonly procNet?: ProcNet;
  readonly hostname: string;
  /** The container's environment (docker inspect Config.Env, plus docker exec -e). */
  readonly env: Readonly<Record<string, string>>;
  /** Emulated tools by name; they override just-bash's command of the same name. */
  readonly tools: Readonly<Record<string, Tool>>;
  /** Virtual time now (ms since the lab's epoch), for `date`. */
  now(): number;
  /** Lets virtual time pass (sleep). */
  sleep(ms: number): Promise<void>;
  readonly signal?: AbortSignal;
  /** The program the image's /bin/sh is: dash (Debian; the default) or BusyBox's ash (Alpine, busybox). */
  readonly sh?: 'dash' | 'ash';
  /** Set for a container's main script: its output as it is written (log-stream.ts), the container's log. */
  readonly log?: (text: string) => void;
}

const JUST_BASH = new Set<string>(getCommandNames());

/** Whether a command name is implemented (by us or by just-bash). */
export function implemented(name: string, tools: Readonly<Record<string, Tool>>): boolean {
  return Object.hasOwn(tools, name) || JUST_BASH.has(name);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** coreutils date in UTC on the lab's clock: the default format, and +FORMAT with the common fields. */
function date(args: readonly string[], nowMs: number): ToolResult {
  const d = new Date(EPOCH_MS + nowMs);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const fields: Record<string, string> = {
    a: DAYS[d.getUTCDay()]!,
    b: MONTHS[d.getUTCMonth()]!,
    d: p2(d.getUTCDate()),
    e: String(d.getUTCDate()).padStart(2, ' '),
    H: p2(d.getUTCHours()),
    M: p2(d.getUTCMinutes()),
    S: p2(d.getUTCSeconds()),
    Y: String(d.getUTCFullYear()),
    m: p2(d.getUTCMonth() + 1),
    s: String(Math.floor(d.getTime() / 1000)),
    Z: 'UTC',
    z: '+0000',
    T: `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    F: `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    '%': '%',
    N: String(d.getUTCMilliseconds() * 1_000_000).padStart(9, '0'),
  };
  const fmt = args.find((a) => a.startsWith('+'));
  const other = args.find((a) => !a.startsWith('+') && a !== '-u' && a !== '--utc');
  if (other !== undefined) return { status: 1, stdout: '', stderr: `date: invalid date '${other}'\n` };
  const text = (fmt ? fmt.slice(1) : '%a %b %e %T %Z %Y').replace(/%(.)/g, (m, c: string) => fields[c] ?? m);
  return { status: 0, stdout: `${text}\n`, stderr: '' };
}

/** How just-bash holds $0, $1…, $#, $@ and $* (runShell): shell parameters, not the environment. */
const POSITIONAL = /^(\d+|[#@*])$/;

/**
 * coreutils env/printenv without operands: the process's environment, in the order the runtime
 * gave it (then what the shell exported); just-bash's own would list the shell's variables
 * (IFS, OSTYPE, SHELLOPTS…). `direct`: run by exec itself, not from a shell, so no PWD.
 */
function environ(c: ContainerShell, exported: Readonly<Record<string, string>>, direct: boolean): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(c.env)) if (Object.hasOwn(exported, k)) out.push([k, exported[k]!]);
  for (const [k, v] of Object.entries(exported))
    if (!Object.hasOwn(c.env, k) && k !== 'OLDPWD' && !(direct && k === 'PWD') && !POSITIONAL.test(k)) out.push([k, v]);
  return out;
}

/** Builds the just-bash environment of one `docker exec`. */
export function containerBash(c: ContainerShell, imageCommands: readonly string[], direct = false): Bash {
  const commands: CustomCommand[] = [];
  for (const [name, tool] of Object.entries(c.tools)) {
    commands.push(
      defineCommand(name, async (args, ctx) => {
        // stdin is a latin1-shaped byte string at run time (just-bash encoding.ts ByteString).
        const r = await tool(args, textOfBytes(ctx.stdin as unknown as string));
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status, stdoutKind: byteKind(r.stdout) };
      }),
    );
  }
  commands.push(
    defineCommand('date', async (args) => {
      const r = date(args, c.now());
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
    }),
  );
  commands.push(defineCommand('hostname', async () => ({ stdout: `${c.hostname}\n`, stderr: '', exitCode: 0 })));
  for (const name of ['sh', 'bash', 'ash']) if (!Object.hasOwn(c.tools, name)) commands.push(nestedShell(name, c.sh ?? 'dash'));
  const list = (exported: Record<string, string> | undefined) =>
    environ(c, exported ?? {}, direct)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
  commands.push(
    defineCommand('env', async (args, ctx) =>
      args.length === 0 ? { stdout: list(ctx.exportedEnv), stderr: '', exitCode: 0 } : await ctx.origCommand!(args),
    ),
  );
  commands.push(
    defineCommand('printenv', async (args, ctx) => {
      if (args.length === 0) return { stdout: list(ctx.exportedEnv), stderr: '', exitCode: 0 };
      if (args.some((a) => a.startsWith('-'))) return await ctx.origCommand!(args);
      const env = ctx.exportedEnv ?? {};
      const found = args.filter((a) => Object.hasOwn(env, a));
      // printenv NAME…: each value; status 1 when one is not set
      return { stdout: found.map((a) => `${env[a]}\n`).join(''), stderr: '', exitCode: found.length === args.length ? 0 : 1 };
    }),
  );
  const tty = c.env.TERM !== undefined;
  const now = () => new Date(EPOCH_MS + c.now());
  commands.push(defineCommand('ls', async (args, ctx) => (await ls(args, ctx.fs, ctx.cwd, now(), tty)) ?? (await ctx.origCommand!(args))));
  commands.push(defineCommand('tree', async (args, ctx) => (await tree(args, ctx.fs, ctx.cwd)) ?? (await ctx.origCommand!(args))));
  commands.push(cSort);
  if (imageCommands.includes('chown')) commands.push(defineCommand('chown', async (args, ctx) => chown(args, ctx.fs, ctx.cwd)));
  for (const name of ['apt', 'apt-get']) commands.push(defineCommand(name, async (args) => apt(c.files, name, args)));
  // A command the image has but nobody implements says so, rather than running its placeholder.
  for (const name of [...imageCommands, ...Object.values(DEBIAN_PACKAGES).flat()]) {
    if (implemented(name, c.tools) || name === 'date' || commands.some((x) => x.name === name)) continue;
    commands.push(defineCommand(name, async () => ({ stdout: '', stderr: `knetlab: ${name} is not emulated yet\n`, exitCode: 127 })));
  }
  const fsArgs: ConstructorParameters<typeof NodeShellFs> = [c.files, c.sysctl, () => new Date(EPOCH_MS + c.now()), EPOCH_MS, c.procNet];
  const logFs = c.log ? new LogFs(fsArgs, c.log) : undefined;
  // what the script wrote is in its log before time passes
  const sleep = (ms: number) => {
    logFs?.flush();
    return c.sleep(ms);
  };
  if (c.log)
    commands.push(
      ...idleCommands(sleep),
      paceCommand(() => c.now(), sleep),
    );
  const bash = new Bash({
    fs: logFs ?? new NodeShellFs(...fsArgs),
    cwd: '/',
    // bash sets HOSTNAME only when the environment has none (set_if_not)
    env: { ...c.env, ...(c.env.HOSTNAME === undefined ? { HOSTNAME: c.hostname } : {}) },
    customCommands: commands,
    sleep,
    // Monkey-patching globals would reach every other command the lab server runs at the same time.
    defenseInDepth: false,
    processInfo: { pid: 1, ppid: 0, uid: 0, gid: 0 },
    ...(c.log ? { executionLimits: SCRIPT_LIMITS } : {}),
  });
  bash.registerTransformPlugin(NOUNSET_DEFAULTS);
  if (c.log) {
    bash.registerTransformPlugin(PACE_LOOPS);
    bash.registerTransformPlugin(STREAM_TO_LOG);
  }
  return bash;
}

/**
 * A container's main script runs as long as the container: no wall-clock deadline (just-bash's
 * default hour would also hold a real timer) and no count of commands or loop passes, since a
 * loop that never sleeps takes virtual time too (pacing.ts) and so no longer holds the lab.
 */
const SCRIPT_LIMITS = {
  maxExecutionTimeMs: Number.POSITIVE_INFINITY,
  maxCommandCount: Number.POSITIVE_INFINITY,
  maxLoopIterations: Number.POSITIVE_INFINITY,
};

/**
 * What keeps a container up for good (`sleep infinity`, `tail -f /dev/null`): in its main script
 * they wait until the container is stopped (just-bash's own refuse `infinity` and `-f`).
 */
function idleCommands(sleep: (ms: number) => Promise<void>): CustomCommand[] {
  const forever = async () => {
    await sleep(Number.POSITIVE_INFINITY);
    return { stdout: '', stderr: '', exitCode: 143 };
  };
  return [
    defineCommand('sleep', async (args, ctx) => (args.some((a) => /^inf(inity)?$/.test(a)) ? forever() : await ctx.origCommand!(args))),
    defineCommand('tail', async (args, ctx) =>
      args.some((a) => /^(-[a-zA-Z]*[fF][a-zA-Z]*|--follow(=.*)?)$/.test(a)) ? forever() : await ctx.origCommand!(args),
    ),
  ];
}

/**
 * apt/apt-get update|install: a package is the commands it brings (DEBIAN_PACKAGES), put in
 * /usr/bin; apt's own progress lines are cut to what does not depend on a mirror.
 */
function apt(files: Files, name: string, args: readonly string[]): { stdout: string; stderr: string; exitCode: number } {
  const words = args.filter((a) => !a.startsWith('-'));
  const [verb, ...pkgs] = words;
  if (verb === 'update')
    return { stdout: 'Reading package lists...\n', stderr: 'knetlab: apt update: the package lists are built into knetlab\n', exitCode: 0 };
  if (verb !== 'install')
    return { stdout: '', stderr: `knetlab: ${name} ${verb ?? ''}: only update and install are emulated\n`, exitCode: 100 };
  let stdout = 'Reading package lists...\nBuilding dependency tree...\nReading state information...\n';
  const unknown = pkgs.find((p) => !Object.hasOwn(DEBIAN_PACKAGES, p));
  // apt-pkg's message for a name no source lists; nothing is installed then.
  if (unknown !== undefined) return { stdout, stderr: `E: Unable to locate package ${unknown}\n`, exitCode: 100 };
  for (const p of pkgs)
    for (const cmd of DEBIAN_PACKAGES[p]!)
      files.write(`/usr/bin/${cmd}`, `\x7fELF knetlab placeholder for ${cmd} (${p})\n`, { mode: 0o755 });
  stdout += `knetlab: installed ${pkgs.join(' ')} (their commands only)\n`;
  return { stdout, stderr: '', exitCode: 0 };
}

/**
 * A shell names the line in a script's errors (bash: `bash: line 1: foo: command not found`,
 * dash: `sh: 1: foo: not found`; BusyBox's ash only in a script file), where just-bash prints the
 * interactive form (as bash does when its stderr is not a pipe); dash and ash say `parameter not
 * set` where bash says `unbound variable`.
 * Rewritten for one-line scripts, whose line is known, and for ash's -c, which names none.
 */
export function scriptErrors(stderr: string, program: ShellProgram, label: string, script: string, file: boolean): string {
  const oneLine = !script.trim().includes('\n');
  const at = (line: string, say: string) => {
    if (program === 'ash' && !file) return `${label}: ${say}`;
    if (!oneLine) return line;
    return program === 'bash' ? `${label}: line 1: ${say}` : program === 'dash' ? `${label}: 1: ${say}` : `${label}: line 1: ${say}`;
  };
  return stderr
    .replace(/^bash: ([^\s:]+): command not found$/gm, (line, cmd: string) =>
      at(line, program === 'bash' ? `${cmd}: command not found` : `${cmd}: not found`),
    )
    .replace(/^bash: ([^\s:]+): unbound variable$/gm, (line, v: string) =>
      at(line, program === 'bash' ? `${v}: unbound variable` : `${v}: parameter not set`),
    );
}

export interface ShellRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

/** A shell's command line made ready to run in just-bash: the text, $0 and $1…, its errors' words. */
interface Invocation {
  /** The script, after a first line turning its options on (by their fixed names). */
  readonly text: string;
  /** $0 and $1… as just-bash's own `bash` sets them (variables named 0, 1, #, @, *). */
  readonly env: Readonly<Record<string, string>>;
  /** The script was read from stdin, which the script then does not get. */
  readonly fromStdin: boolean;
  errors(stderr: string): string;
  status(exitCode: number, stderr: string): number;
}

/**
 * Reads `argv` (`sh -ec SCRIPT`, `bash -c SCRIPT NAME ARG…`, `sh FILE`, or a script on `stdin`) as
 * the program that name is in this image reads it; a refusal is the shell's own.
 */
async function invocation(
  argv: readonly string[],
  sh: 'dash' | 'ash',
  stdin: string | undefined,
  readFile: (path: string) => Promise<string | undefined>,
): Promise<Invocation | ShellRun> {
  const program = shellProgram(argv[0]!, sh);
  const args = readShellArgs(argv, program);
  if (!('options' in args)) return { stdout: '', stderr: args.stderr, status: args.status };
  let script = args.command ?? stdin ?? '';
  if (args.file !== undefined) {
    const text = await readFile(args.file);
    if (text === undefined) return { stdout: '', ...cannotOpen(program, argv[0]!, args.file) };
    script = text;
  }
  // errors name the shell as it was run (BusyBox's ash by its applet), or the script file
  const label = args.file ?? (program === 'ash' ? argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1) : argv[0]!);
  const env: Record<string, string> = {
    0: args.name,
    '#': String(args.positional.length),
    '@': args.positional.join(' '),
    '*': args.positional.join(' '),
  };
  args.positional.forEach((a, i) => {
    env[String(i + 1)] = a;
  });
  // on the script's first line, so that the line numbers of its errors stay its own
  const set = args.options.length ? `set${args.options.map((o) => ` -o ${o}`).join('')}; ` : '';
  return {
    text: `${set}${script}`,
    env,
    fromStdin: args.command === undefined && args.file === undefined,
    errors: (t) => scriptErrors(t, program, label, script, args.file !== undefined),
    // a shell stopped by set -u exits 127 (bash) or 2 (dash, ash), where just-bash exits 1
    status: (exitCode, stderr) =>
      exitCode === 1 && /^bash: [^\s:]+: unbound variable\n$/.test(stderr.slice(stderr.lastIndexOf('\n', stderr.length - 2) + 1))
        ? program === 'bash'
          ? 127
          : 2
        : exitCode,
  };
}

/** Runs a shell's argv (see invocation) in the container: `docker exec`, `kubectl exec`, a container's command. */
export async function runShell(
  c: ContainerShell,
  imageCommands: readonly string[],
  argv: readonly string[],
  stdin?: string,
): Promise<ShellRun> {
  // relative to the working directory, which is / for exec and the runtime
  const readFile = async (file: string) => {
    const path = file.startsWith('/') ? file : `/${file}`;
    const data = c.files.stat(path)?.type === 'file' ? c.files.read(path) : undefined;
    return data && new TextDecoder().decode(data);
  };
  const run = await invocation(argv, c.sh ?? 'dash', stdin, readFile);
  if (!('text' in run)) return run;
  const log = c.log;
  const bash = containerBash(log ? { ...c, log: (t) => log(run.errors(t)) } : c, imageCommands);
  const r = await bash.exec(run.text, {
    rawScript: true,
    env: run.env,
    ...(stdin !== undefined && !run.fromStdin ? stdinOption(stdin) : {}),
    ...(c.signal ? { signal: c.signal } : {}),
  });
  if (bash.fs instanceof LogFs) bash.fs.flush();
  return {
    stdout: r.stdout,
    stderr: run.errors(log ? r.stderr.replace(PACE_TRACE, '') : r.stderr),
    status: run.status(r.exitCode, r.stderr),
  };
}

/** A shell run from the script (`sh -c …`, `bash -xc …`, `sh FILE`): its command line read as runShell reads it. */
function nestedShell(name: string, sh: 'dash' | 'ash'): CustomCommand {
  return defineCommand(name, async (args, ctx) => {
    const readFile = async (file: string) => {
      try {
        return await ctx.fs.readFile(ctx.fs.resolvePath(ctx.cwd, file));
      } catch {
        return undefined;
      }
    };
    const stdin = textOfBytes(ctx.stdin as unknown as string);
    const run = await invocation([name, ...args], sh, stdin, readFile);
    if (!('text' in run)) return { stdout: run.stdout, stderr: run.stderr, exitCode: run.status };
    const r = await ctx.exec!(run.text, {
      env: { ...ctx.exportedEnv, ...run.env },
      cwd: ctx.cwd,
      ...(run.fromStdin ? {} : { stdin: ctx.stdin as unknown as string, stdinKind: 'bytes' as const }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { stdout: r.stdout, stderr: run.errors(r.stderr), exitCode: run.status(r.exitCode, r.stderr) };
  });
}

/** Runs one command with its argv as given (no shell parsing): `docker exec NODE ip -c route`. */
export async function runArgv(
  c: ContainerShell,
  imageCommands: readonly string[],
  argv: readonly string[],
  stdin?: string,
): Promise<ShellRun> {
  const bash = containerBash(c, imageCommands, true);
  // The name was checked against the files in $PATH; the arguments bypass parsing entirely.
  const r = await bash.exec(argv[0]!, {
    args: [...argv.slice(1)],
    ...(stdin === undefined ? {} : stdinOption(stdin)),
    ...(c.signal ? { signal: c.signal } : {}),
  });
  // a container's main command (`kubectl run --restart=Never bb --image=busybox -- echo hi`) wrote
  // into its log's buffer, as a script does: what it wrote is the container's log
  if (bash.fs instanceof LogFs) bash.fs.flush();
  return { stdout: r.stdout, stderr: r.stderr, status: r.exitCode };
}

/** Shells by the names a command line gives them; `-c SCRIPT` runs the script. */
export const SHELLS = new Set([
  'bash',
  'sh',
  'zsh',
  'ash',
  '/bin/bash',
  '/bin/sh',
  '/bin/zsh',
  '/bin/ash',
  '/usr/bin/bash',
  '/usr/bin/sh',
  '/usr/bin/zsh',
]);
/** Where the runtime looks an executable up (the images' PATH). */
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * Runs `argv` in the container as the runtime's exec does (`docker exec`, `kubectl exec`): a shell
 * with `-c` runs its script (without, its script on stdin); another program is looked up in $PATH
 * (or taken as a path) first. Undefined when the executable is not found there: the caller says so
 * in its own words.
 */
export async function execArgv(
  c: ContainerShell,
  imageCommands: readonly string[],
  argv: readonly string[],
  stdin?: string,
): Promise<ShellRun | undefined> {
  const name = argv[0]!;
  const base = name.slice(name.lastIndexOf('/') + 1);
  const inPath = PATH_DIRS.some((d) => c.files.stat(`${d}/${base}`)?.type === 'file');
  // The images' files hold their commands in /usr/bin, where Debian's /bin and /sbin link (usrmerge)
  // and Alpine's BusyBox links are: `/bin/sh` is found as its name in $PATH is.
  const found = name.includes('/')
    ? c.files.stat(name)?.type === 'file' || (PATH_DIRS.includes(name.slice(0, -base.length - 1)) && inPath)
    : inPath;
  if (!found || !/^[A-Za-z0-9_.+-]+$/.test(base)) return undefined;
  if (SHELLS.has(name)) return runShell(c, imageCommands, argv, stdin);
  if (!(implemented(base, c.tools) || c.files.stat(name.includes('/') ? name : `/usr/bin/${name}`))) return undefined;
  return runArgv(c, imageCommands, [base, ...argv.slice(1)], stdin);
}
