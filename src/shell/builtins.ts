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

/** `sleep N`: lets N seconds of virtual time pass (timers fire: ARP entries go STALE, FDB entries age). */
export const sleep: Command = (args, proc) => {
  const seconds = Number(args[0]);
  if (args.length !== 1 || !(seconds >= 0)) {
    proc.stderr(`sleep: invalid time interval '${args[0] ?? ''}'\nTry 'sleep --help' for more information.\n`);
    return 1;
  }
  proc.ns.kernel.clock.advance(seconds * 1000);
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
