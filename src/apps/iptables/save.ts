// iptables-save 1.8.9 (nf_tables): `iptables-save [-t table] [-c] [-f file]`.
import { IPTABLES_VERSION, iptablesOf, isTableName, type TableName } from '../../kernel/netfilter/index.js';
import { GetoptScanner, type LongOption } from '../../transcript/index.js';
import { FileError, type Proc } from '../proc.js';

// ipt_save_options and ipt_save_optstring (iptables/xtables-save.c); glibc prints the option errors.
const SAVE_OPTIONS: readonly LongOption[] = [
  { name: 'counters', arg: 'none', key: 'c' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'dump', arg: 'none', key: 'd' },
  { name: 'table', arg: 'required', key: 't' },
  { name: 'modprobe', arg: 'required', key: 'M' },
  { name: 'file', arg: 'required', key: 'f' },
];

export function iptablesSave(args: readonly string[], proc: Proc): number {
  let table: string | undefined;
  let counters = false;
  let file: string | undefined;
  const g = new GetoptScanner('iptables-save', args, 'bcdt:M:f:V', SAVE_OPTIONS);
  for (let o = g.next(); o !== undefined; o = g.next()) {
    if ('error' in o) {
      proc.stderr(`${o.error}\nLook at manual page \`iptables-save.8' for more information.\n`);
      return 1;
    }
    switch (o.opt) {
      case 'b':
        proc.stderr('-b/--binary option is not implemented\n');
        break;
      case 'c':
        counters = true;
        break;
      case 't':
        table = o.arg;
        break;
      case 'f':
        // The file is opened (and truncated) the moment the option is read.
        file = o.arg!;
        try {
          proc.writeFile(file, new Uint8Array(0));
        } catch (e) {
          if (!(e instanceof FileError)) throw e;
          proc.stderr(`Failed to open file, error: ${e.reason}\n`);
          return 1;
        }
        break;
      case 'V':
        proc.stdout(`iptables-save ${IPTABLES_VERSION}\n`);
        return 0;
    }
  }
  if (g.operands().length) {
    proc.stderr('Unknown arguments found on commandline\n');
    return 1;
  }
  if (table !== undefined && !isTableName(table)) {
    proc.stderr(table === 'security' ? 'The security table is not supported by knetlab\n' : `Table \`${table}' does not exist\n`);
    return 1;
  }
  const text = iptablesOf(proc.ns).save({ ...(table ? { table: table as TableName } : {}), counters });
  if (file !== undefined) proc.writeFile(file, new TextEncoder().encode(text));
  else proc.stdout(text);
  return 0;
}
