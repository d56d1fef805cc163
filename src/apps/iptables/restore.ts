// iptables-restore 1.8.9 (nf_tables): `iptables-restore [-n|--noflush] [-c] [-w [secs]] [-W usecs]
// [-T table] [-t|--test] [FILE]`. The payload comes from FILE (read with proc.readFile) or,
// without one, from standard input (empty when the caller gave none).
import { IPTABLES_VERSION, iptablesOf, isTableName, type RestoreOptions, type TableName } from '../../kernel/netfilter/index.js';
import { GetoptScanner, type LongOption } from '../../transcript/index.js';
import type { Proc } from '../proc.js';
import { reportError } from './iptables.js';

// options[] and the optstring of iptables/xtables-restore.c; glibc prints the option errors.
const RESTORE_OPTIONS: readonly LongOption[] = [
  { name: 'counters', arg: 'none', key: 'c' },
  { name: 'verbose', arg: 'none', key: 'v' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'test', arg: 'none', key: 't' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'noflush', arg: 'none', key: 'n' },
  { name: 'modprobe', arg: 'required', key: 'M' },
  { name: 'table', arg: 'required', key: 'T' },
  { name: 'ipv4', arg: 'none', key: '4' },
  { name: 'ipv6', arg: 'none', key: '6' },
  { name: 'wait', arg: 'optional', key: 'w' },
  { name: 'wait-interval', arg: 'optional', key: 'W' },
];
const USAGE = `Usage: iptables-restore [-c] [-v] [-V] [-t] [-h] [-n] [-T table] [-M command] [-4] [-6] [file]
\t   [ --counters ]
\t   [ --verbose ]
\t   [ --version]
\t   [ --test ]
\t   [ --help ]
\t   [ --noflush ]
\t   [ --table=<TABLE> ]
\t   [ --modprobe=<command> ]
\t   [ --ipv4 ]
\t   [ --ipv6 ]
`;

export function iptablesRestore(args: readonly string[], proc: Proc): number {
  const opts: { noflush?: boolean; counters?: boolean; test?: boolean; table?: TableName } = {};
  let onlyTable: string | undefined;
  const g = new GetoptScanner('iptables-restore', args, 'bcvVthnM:T:wW', RESTORE_OPTIONS);
  for (let o = g.next(); o !== undefined; o = g.next()) {
    const fail = (text: string): number => {
      proc.stderr(`${text}Try \`iptables-restore -h' for more information.\n`);
      return 1;
    };
    if ('error' in o) return fail(`${o.error}\n`);
    switch (o.opt) {
      case 'b':
        proc.stderr('-b/--binary option is not implemented\n');
        break;
      case 'n':
        opts.noflush = true;
        break;
      case 'c':
        opts.counters = true;
        break;
      case 't':
        opts.test = true;
        break;
      case 'v':
      case 'M':
        break;
      case 'T':
        onlyTable = o.arg;
        break;
      case 'w':
      case 'W': {
        // Ignored, but a wait time in the next word is skipped (xs_has_arg).
        const next = g.argv[g.optind];
        if (o.arg === undefined && next !== undefined && !next.startsWith('-') && !next.startsWith('!')) g.optind++;
        break;
      }
      case 'V':
        proc.stdout(`iptables-restore ${IPTABLES_VERSION}\n`);
        return 0;
      case 'h':
        proc.stderr(USAGE);
        return 0;
      default:
        // --ipv4 and --ipv6 have no short letter in the option string: getopt returns them, the switch does not know them.
        return fail('');
    }
  }
  const files = g.operands();
  if (files.length > 1) {
    proc.stderr('Unknown arguments found on commandline\n');
    return 1;
  }
  let text = new TextDecoder().decode(proc.stdin ?? new Uint8Array(0));
  if (files.length === 1) {
    const data = proc.readFile(files[0]!);
    if (data === undefined) {
      proc.stderr(`Can't open ${files[0]}: No such file or directory\n`);
      return 1;
    }
    text = new TextDecoder().decode(data);
  }
  if (onlyTable !== undefined) {
    // A -T table that names no known table matches no block: nothing is restored.
    if (!isTableName(onlyTable)) return 0;
    opts.table = onlyTable;
  }
  try {
    proc.stdout(iptablesOf(proc.ns).restore(text, opts as RestoreOptions));
    return 0;
  } catch (e) {
    return reportError(e, 'iptables-restore', proc);
  }
}
