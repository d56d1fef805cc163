// sysctl (procps-ng 4.0): read and write /proc/sys/net of the namespace the command runs in.
import { KernelError, sysctlPath } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { getoptLong, type LongOption } from '../../transcript/index.js';

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
      --dry-run        Print the key and values but do not write
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

/** `net/ipv4/conf/flannel.1/rp_filter` → `net.ipv4.conf.flannel/1.rp_filter`, as sysctl prints keys. */
export function dottedKey(path: string): string {
  return path.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

// procps-ng 4.0.2 sysctl.c: its getopt_long options. A usage error prints glibc's message, then
// the usage on stdout, and exits 0 (`case '?': Usage(stdout)`).
const SHORTOPTS = 'bneNwfp::qoxaAXr:Vdh';
const LONGOPTS: readonly LongOption[] = [
  { name: 'all', arg: 'none', key: 'a' },
  { name: 'deprecated', arg: 'none' },
  { name: 'dry-run', arg: 'none' },
  { name: 'binary', arg: 'none', key: 'b' },
  { name: 'ignore', arg: 'none', key: 'e' },
  { name: 'names', arg: 'none', key: 'N' },
  { name: 'values', arg: 'none', key: 'n' },
  { name: 'load', arg: 'optional', key: 'p' },
  { name: 'quiet', arg: 'none', key: 'q' },
  { name: 'write', arg: 'none', key: 'w' },
  { name: 'system', arg: 'none' },
  { name: 'pattern', arg: 'required', key: 'r' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'version', arg: 'none', key: 'V' },
];
const TRY_HELP = "Try `sysctl --help' for more information.\n";

export function sysctl(args: readonly string[], proc: Proc): number {
  if (args.length === 0) {
    proc.stderr(USAGE);
    return 1;
  }
  const parsed = getoptLong('sysctl', args, SHORTOPTS, LONGOPTS);
  if ('error' in parsed) {
    proc.stderr(`${parsed.error}\n`);
    proc.stdout(USAGE);
    return 0;
  }
  const flags = { values: false, newline: true, names: false, quiet: false, ignore: false, all: false, write: false };
  for (const { opt } of parsed.options) {
    switch (opt) {
      case 'b':
        flags.newline = false;
        flags.values = true;
        break;
      case 'n':
        flags.values = true;
        break;
      case 'e':
        flags.ignore = true;
        break;
      case 'N':
        flags.names = true;
        break;
      case 'w':
        flags.write = true;
        break;
      case 'q':
        flags.quiet = true;
        break;
      case 'o':
      case 'x':
        break;
      case 'a':
      case 'A':
      case 'X':
        flags.all = true;
        break;
      case 'V':
        proc.stdout('sysctl from procps-ng 4.0.2\n');
        return 0;
      case 'd':
      case 'h':
        proc.stdout(USAGE);
        return 0;
      default: {
        // -p/-f/--system read files, -r filters by a regular expression, --dry-run, --deprecated.
        const given = opt.length === 1 ? `-${opt}` : `--${opt}`;
        proc.stderr(`knetlab: sysctl ${given} is not emulated\n`);
        return 1;
      }
    }
  }
  const items = parsed.operands;
  const table = proc.ns.sysctl;
  const show = (path: string): void => {
    const value = table.get(path);
    if (flags.names) proc.stdout(`${dottedKey(path)}\n`);
    else if (flags.values) proc.stdout(flags.newline ? `${value}\n` : value);
    else proc.stdout(`${dottedKey(path)} = ${value}\n`);
  };
  if (flags.all) {
    for (const k of table.keysUnder('')) show(k);
    return 0;
  }
  if (items.length === 0) {
    proc.stderr(`sysctl: no variables specified\n${TRY_HELP}`);
    return 1;
  }
  if (flags.names && flags.quiet) {
    proc.stderr(`sysctl: options -N and -q cannot coexist\n${TRY_HELP}`);
    return 1;
  }
  let status = 0;
  for (const item of items) {
    const eq = item.indexOf('=');
    if (flags.write && eq < 0) {
      proc.stderr('sysctl: command line(0): invalid syntax, continuing...\n');
      status = 1;
      continue;
    }
    const key = eq < 0 ? item : item.slice(0, eq);
    const path = sysctlPath(key);
    if (eq >= 0) {
      const value = item.slice(eq + 1);
      try {
        table.set(path, value);
        // sysctl.c WriteSetting: -N prints the value it wrote, not the name.
        if (!flags.quiet)
          proc.stdout(
            flags.names ? `${value}\n` : !flags.values ? `${dottedKey(path)} = ${value}\n` : flags.newline ? `${value}\n` : value,
          );
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        if (e.errno === 'ENOENT') {
          if (!flags.ignore) proc.stderr(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
        } else {
          proc.stderr(`sysctl: setting key "${dottedKey(path)}": Invalid argument\n`);
        }
        status = flags.ignore && e.errno === 'ENOENT' ? status : 1;
      }
      continue;
    }
    if (table.has(path)) {
      show(path);
      continue;
    }
    const under = table.keysUnder(path);
    if (under.length) {
      for (const k of under) show(k);
      continue;
    }
    if (!flags.ignore) {
      proc.stderr(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
      status = 1;
    }
  }
  return status;
}
