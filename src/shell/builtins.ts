// The small utilities scripts lean on: cat (of /proc/sys, /proc/net and saved files), echo, hostname,
// sleep (which advances virtual time, so neighbour and FDB timers run), true and false.
import { KernelError, PROC_NET_FILES, procNetFile, sysctlPath } from '../kernel/index.js';
import { FileError, type Command, type Proc } from '../apps/proc.js';
import { getoptLong, type LongOption } from '../transcript/index.js';

const PROC_SYS = '/proc/sys/';
const PROC_NET = '/proc/net/';

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
  // the namespace's own /proc/net, never the machine's
  if (path === PROC_NET.slice(0, -1)) return { error: 'Is a directory' };
  if (path.startsWith(PROC_NET)) {
    const text = procNetFile(proc.ns, path.slice(PROC_NET.length));
    return text ?? { error: `No such file or directory (knetlab emulates ${PROC_NET_FILES.map((n) => PROC_NET + n).join(', ')})` };
  }
  if (path.startsWith(PROC_SYS)) {
    const key = sysctlPath(path);
    if (proc.ns.sysctl.has(key)) return `${proc.ns.sysctl.get(key)}\n`;
    return proc.ns.sysctl.keysUnder(key).length ? { error: 'Is a directory' } : { error: 'No such file or directory' };
  }
  const data = proc.readFile(path);
  return data ? new TextDecoder().decode(data) : { error: 'No such file or directory' };
}

const SLEEP_TRY = "Try 'sleep --help' for more information.\n";
const SLEEP_UNIT: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
// coreutils 9.1 sleep: getopt_long with only --help and --version (parse_gnu_standard_options_only).
const SLEEP_LONGOPTS: readonly LongOption[] = [
  { name: 'help', arg: 'none' },
  { name: 'version', arg: 'none' },
];
const SLEEP_USAGE = `Usage: sleep NUMBER[SUFFIX]...
  or:  sleep OPTION
Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
integer.  Given two or more arguments, pause for the amount of time
specified by the sum of their values.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/sleep>
or available locally via: info '(coreutils) sleep invocation'
`;
const SLEEP_VERSION = `sleep (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jim Meyering and Paul Eggert.
`;

/**
 * `sleep NUMBER[SUFFIX]...` (coreutils: the intervals add up; s, m, h, d; `inf`): lets that much
 * virtual time pass, so timers run (ARP entries go STALE, FDB entries age). It steps at most a
 * second at a time and ends at an interrupt (status 130, as a sleep killed by SIGINT).
 */
export const sleep: Command = (args, proc) => {
  // coreutils counts words, not operands: `sleep --` sleeps for no time.
  if (args.length === 0) {
    proc.stderr(`sleep: missing operand\n${SLEEP_TRY}`);
    return 1;
  }
  const parsed = getoptLong('sleep', args, '', SLEEP_LONGOPTS);
  if ('error' in parsed) {
    proc.stderr(`${parsed.error}\n${SLEEP_TRY}`);
    return 1;
  }
  const first = parsed.options[0];
  if (first) {
    proc.stdout(first.opt === 'help' ? SLEEP_USAGE : SLEEP_VERSION);
    return 0;
  }
  let seconds = 0;
  let ok = true;
  for (const a of parsed.operands) {
    const m = /^\+?((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|inf(?:inity)?)([smhd]?)$/i.exec(a);
    if (!m) {
      // Every bad interval is named, then one hint.
      proc.stderr(`sleep: invalid time interval '${a}'\n`);
      ok = false;
      continue;
    }
    seconds += (/^inf/i.test(m[1]!) ? Infinity : Number(m[1])) * SLEEP_UNIT[m[2]!.toLowerCase()]!;
  }
  if (!ok) {
    proc.stderr(SLEEP_TRY);
    return 1;
  }
  const clock = proc.ns.kernel.clock;
  const until = clock.now() + seconds * 1000;
  while (clock.now() < until) {
    if (proc.signal?.aborted) return 130;
    clock.runUntil(Math.min(until, clock.now() + 1000, clock.nextAt() ?? Infinity));
  }
  return 0;
};

// hostname 3.23 (Debian): getopt_long; its usage ends the program with 255, after an unknown
// option as after --help (on stdout), and after extra operands (on stderr).
const HOSTNAME_SHORTOPTS = 'aAbdfF:h?iIsVy';
const HOSTNAME_LONGOPTS: readonly LongOption[] = [
  { name: 'domain', arg: 'none', key: 'd' },
  { name: 'boot', arg: 'none', key: 'b' },
  { name: 'file', arg: 'required', key: 'F' },
  { name: 'fqdn', arg: 'none', key: 'f' },
  { name: 'all-fqdns', arg: 'none', key: 'A' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'long', arg: 'none', key: 'f' },
  { name: 'short', arg: 'none', key: 's' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'alias', arg: 'none', key: 'a' },
  { name: 'ip-address', arg: 'none', key: 'i' },
  { name: 'all-ip-addresses', arg: 'none', key: 'I' },
  { name: 'nis', arg: 'none', key: 'y' },
  { name: 'yp', arg: 'none', key: 'y' },
];
const HOSTNAME_USAGE = `Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
`;

/** `hostname` and `hostname -s`: the UTS namespace's name (setting it and name lookups are not emulated). */
export const hostname: Command = (args, proc) => {
  const parsed = getoptLong('hostname', args, HOSTNAME_SHORTOPTS, HOSTNAME_LONGOPTS);
  if ('error' in parsed) proc.stderr(`${parsed.error}\n`);
  const opts = 'error' in parsed ? [] : parsed.options.map((o) => o.opt);
  if ('error' in parsed || opts.includes('h') || opts.includes('?')) {
    proc.stdout(HOSTNAME_USAGE);
    return 255;
  }
  if (opts.includes('V')) {
    proc.stdout('hostname 3.23\n');
    return 0;
  }
  const name = proc.hostname ?? proc.host.name;
  const display = opts.filter((o) => o !== 'b' && o !== 'F');
  if (parsed.operands.length > 1) {
    proc.stderr(HOSTNAME_USAGE);
    return 255;
  }
  if (display.length === 0 && opts.length === 0 && parsed.operands.length === 0) {
    proc.stdout(`${name}\n`);
    return 0;
  }
  if (display.length === 1 && display[0] === 's' && opts.length === 1) {
    proc.stdout(`${name.split('.')[0]}\n`);
    return 0;
  }
  proc.stderr('knetlab: only "hostname" and "hostname -s" are emulated (no setting, no name lookups)\n');
  return 1;
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
  const before = append ? (proc.readFile(path) ?? new Uint8Array(0)) : new Uint8Array(0);
  const added = new TextEncoder().encode(text);
  const all = new Uint8Array(before.length + added.length);
  all.set(before);
  all.set(added, before.length);
  return write(path, all, proc, line);
}

/** Opens a redirect's file as bash does before the command runs: `>` truncates, `>>` keeps. Returns bash's error, or undefined. */
export function openRedirect(path: string, append: boolean, proc: Proc, line: number): string | undefined {
  if (path === '/dev/null' || path.startsWith(PROC_SYS)) return undefined;
  return write(path, append ? (proc.readFile(path) ?? new Uint8Array(0)) : new Uint8Array(0), proc, line);
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
