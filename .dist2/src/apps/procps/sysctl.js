// sysctl (procps-ng 4.0): read and write /proc/sys/net of the namespace the command runs in.
import { KernelError, sysctlPath } from '../../kernel/index.js';
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
export function dottedKey(path) {
    return path.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}
export function sysctl(args, proc) {
    const flags = { values: false, names: false, quiet: false, ignore: false, all: false, write: false };
    const items = [];
    for (const a of args) {
        if (/^-[a-zA-Z]+$/.test(a)) {
            for (const f of a.slice(1)) {
                if (f === 'n')
                    flags.values = true;
                else if (f === 'N')
                    flags.names = true;
                else if (f === 'q')
                    flags.quiet = true;
                else if (f === 'e')
                    flags.ignore = true;
                else if (f === 'a' || f === 'A' || f === 'X')
                    flags.all = true;
                else if (f === 'w')
                    flags.write = true;
                else if (f === 'o' || f === 'x')
                    continue;
                else {
                    proc.stderr(`sysctl: invalid option -- '${f}'\n${USAGE}`);
                    return 1;
                }
            }
        }
        else if (a === '--values')
            flags.values = true;
        else if (a === '--quiet')
            flags.quiet = true;
        else if (a === '--all')
            flags.all = true;
        else if (a === '--write')
            flags.write = true;
        else
            items.push(a);
    }
    const table = proc.ns.sysctl;
    const show = (path) => {
        const value = table.get(path);
        if (flags.names)
            proc.stdout(`${dottedKey(path)}\n`);
        else if (flags.values)
            proc.stdout(`${value}\n`);
        else
            proc.stdout(`${dottedKey(path)} = ${value}\n`);
    };
    if (flags.all) {
        for (const k of table.keysUnder(''))
            show(k);
        return 0;
    }
    if (items.length === 0) {
        proc.stderr(USAGE);
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
                if (!flags.quiet)
                    proc.stdout(flags.values ? `${value}\n` : `${dottedKey(path)} = ${value}\n`);
            }
            catch (e) {
                if (!(e instanceof KernelError))
                    throw e;
                if (e.errno === 'ENOENT') {
                    if (!flags.ignore)
                        proc.stderr(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
                }
                else {
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
            for (const k of under)
                show(k);
            continue;
        }
        if (!flags.ignore) {
            proc.stderr(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
            status = 1;
        }
    }
    return status;
}
//# sourceMappingURL=sysctl.js.map