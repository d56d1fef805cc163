// iptables-save 1.8.9 (nf_tables): `iptables-save [-t table] [-c] [-f file]`.
import { IPTABLES_VERSION, iptablesOf, isTableName } from '../../kernel/netfilter/index.js';
const LONG = { table: 't', counters: 'c', file: 'f', modprobe: 'M', version: 'V', help: 'h' };
export function iptablesSave(args, proc) {
    let table;
    let counters = false;
    let file;
    const words = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        let opt;
        let inline;
        if (a.startsWith('--')) {
            const eq = a.indexOf('=');
            opt = LONG[a.slice(2, eq < 0 ? undefined : eq)];
            if (eq >= 0)
                inline = a.slice(eq + 1);
            if (opt === undefined) {
                proc.stderr(`iptables-save: unrecognized option '${a}'\nLook at manual page \`iptables-save.8' for more information.\n`);
                return 1;
            }
        }
        else if (a.startsWith('-') && a.length > 1) {
            opt = a[1];
            if (a.length > 2)
                inline = a.slice(2);
        }
        else {
            words.push(a);
            continue;
        }
        const value = () => inline ?? args[++i];
        switch (opt) {
            case 't':
                table = value();
                break;
            case 'c':
                counters = true;
                break;
            case 'f':
                file = value();
                break;
            case 'M':
                value();
                break;
            case 'V':
                proc.stdout(`iptables-save ${IPTABLES_VERSION}\n`);
                return 0;
            default:
                proc.stderr(`iptables-save: invalid option -- '${opt}'\nLook at manual page \`iptables-save.8' for more information.\n`);
                return 1;
        }
    }
    if (words.length) {
        proc.stderr('Unknown arguments found on commandline\n');
        return 1;
    }
    if (table !== undefined && !isTableName(table)) {
        proc.stderr(table === 'security' ? 'The security table is not supported by knetlab\n' : `Table \`${table}' does not exist\n`);
        return 1;
    }
    const text = iptablesOf(proc.ns).save({ ...(table ? { table: table } : {}), counters });
    if (file !== undefined)
        proc.writeFile(file, new TextEncoder().encode(text));
    else
        proc.stdout(text);
    return 0;
}
//# sourceMappingURL=save.js.map