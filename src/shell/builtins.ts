// The small utilities scripts lean on: cat (of /proc/sys and saved files), echo, hostname,
// sleep (which advances virtual time, so neighbour and FDB timers run), true and false.
import { KernelError, sysctlPath } from '../kernel/index.js';
import { FileError, type Command, type Proc } from '../apps/proc.js';

const PROC_SYS = '/proc/sys/';

export const echo: Command = (args, proc) => {
  let words = [...args];
  let newline = true;
  if (words[0] === '-n') {
    newline = false;
    words = words.slice(1);
  }
  proc.stdout(words.join(' ') + (newline ? '\n' : ''));
  return 0;
};

export const cat: Command = (args, proc) => {
  let status = 0;
  for (const path of args) {
    const text = readText(path, proc);
    if (typeof text === 'string') proc.stdout(text);
    else {
      proc.stderr(`cat: ${path}: ${text.error}\n`);
      status = 1;
    }
  }
  return status;
};

function readText(path: string, proc: Proc): string | { error: string } {
  if (path.startsWith(PROC_SYS)) {
    const key = sysctlPath(path);
    if (proc.ns.sysctl.has(key)) return `${proc.ns.sysctl.get(key)}\n`;
    return proc.ns.sysctl.keysUnder(key).length ? { error: 'Is a directory' } : { error: 'No such file or directory' };
  }
  const data = proc.readFile(path);
  return data ? new TextDecoder().decode(data) : { error: 'No such file or directory' };
}

const SLEEP_HELP = "Try 'sleep --help' for more information.\n";
const SLEEP_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * `sleep NUMBER[SUFFIX]...` (coreutils: the intervals add up; s, m, h, d; `inf`): lets that much
 * virtual time pass, so timers run (ARP entries go STALE, FDB entries age). It steps at most a
 * second at a time and ends at an interrupt (status 130, as a sleep killed by SIGINT).
 */
export const sleep: Command = (args, proc) => {
  if (args.length === 0) {
    proc.stderr(`sleep: missing operand\n${SLEEP_HELP}`);
    return 1;
  }
  let seconds = 0;
  for (const a of args) {
    if (/^-./.test(a)) {
      proc.stderr(`sleep: invalid option -- '${a[1]}'\n${SLEEP_HELP}`);
      return 1;
    }
    const m = /^\+?((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|inf(?:inity)?)([smhd]?)$/i.exec(a);
    if (!m) {
      proc.stderr(`sleep: invalid time interval '${a}'\n${SLEEP_HELP}`);
      return 1;
    }
    seconds += (/^inf/i.test(m[1]!) ? Infinity : Number(m[1])) * SLEEP_UNIT[m[2]!.toLowerCase()]!;
  }
  const clock = proc.ns.kernel.clock;
  const until = clock.now() + seconds * 1000;
  while (clock.now() < until) {
    if (proc.signal?.aborted) return 130;
    clock.runUntil(Math.min(until, clock.now() + 1000, clock.nextAt() ?? Infinity));
  }
  return 0;
};

/** `hostname` with no arguments: the UTS namespace's name (setting it is not emulated). */
export const hostname: Command = (args, proc) => {
  if (args.length > 0) {
    proc.stderr('knetlab: only "hostname" without arguments is emulated\n');
    return 1;
  }
  proc.stdout(`${proc.hostname ?? proc.host.name}\n`);
  return 0;
};

export const trueCmd: Command = () => 0;
export const falseCmd: Command = () => 1;

/**
 * Writes shell-redirected output to a path: /proc/sys keys go to the namespace's sysctls (as
 * `echo 1 > /proc/sys/net/ipv4/ip_forward` does), /dev/null swallows, anything else is a file.
 * Returns an error message in bash's words, or undefined.
 */
export function writeRedirect(path: string, text: string, append: boolean, proc: Proc, line: number): string | undefined {
  if (path === '/dev/null') return undefined;
  if (path.startsWith(PROC_SYS)) {
    const key = sysctlPath(path);
    if (!proc.ns.sysctl.has(key)) return `bash: line ${line}: ${path}: No such file or directory`;
    try {
      proc.ns.sysctl.set(key, text.trim());
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      return `bash: line ${line}: echo: write error: Invalid argument`;
    }
    return undefined;
  }
  const before = append ? proc.readFile(path) ?? new Uint8Array(0) : new Uint8Array(0);
  const added = new TextEncoder().encode(text);
  const all = new Uint8Array(before.length + added.length);
  all.set(before);
  all.set(added, before.length);
  return write(path, all, proc, line);
}

/** Opens a redirect's file as bash does before the command runs: `>` truncates, `>>` keeps. Returns bash's error, or undefined. */
export function openRedirect(path: string, append: boolean, proc: Proc, line: number): string | undefined {
  if (path === '/dev/null' || path.startsWith(PROC_SYS)) return undefined;
  return write(path, append ? proc.readFile(path) ?? new Uint8Array(0) : new Uint8Array(0), proc, line);
}

function write(path: string, data: Uint8Array, proc: Proc, line: number): string | undefined {
  try {
    proc.writeFile(path, data);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    return `bash: line ${line}: ${path}: ${e.reason}`;
  }
  return undefined;
}
