// iptables-restore 1.8.9 (nf_tables): `iptables-restore [-n|--noflush] [-c] [-w [secs]] [-W usecs]
// [-T table] [-t|--test] [FILE]`. The payload comes from FILE (read with proc.readFile) or,
// without one, from standard input (empty when the caller gave none).
import { IPTABLES_VERSION, iptablesOf, isTableName } from '../../kernel/netfilter/index.js';
import { reportError } from './iptables.js';
const LONG = {
    noflush: 'n', counters: 'c', verbose: 'v', test: 't', table: 'T', wait: 'w', 'wait-interval': 'W', modprobe: 'M', version: 'V', help: 'h',
};
export function iptablesRestore(args, proc) {
    const opts = {};
    let onlyTable;
    const files = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const flags = [];
        if (a.startsWith('--')) {
            const eq = a.indexOf('=');
            const o = LONG[a.slice(2, eq < 0 ? undefined : eq)];
            if (o === undefined) {
                proc.stderr(`iptables-restore: unrecognized option '${a}'\nTry \`iptables-restore -h' for more information.\n`);
                return 1;
            }
            flags.push([o, eq < 0 ? undefined : a.slice(eq + 1)]);
        }
        else if (a.startsWith('-') && a.length > 1) {
            for (let j = 1; j < a.length; j++) {
                const c = a[j];
                if ('TWM'.includes(c) || c === 'w') {
                    flags.push([c, a.length > j + 1 ? a.slice(j + 1) : undefined]);
                    break;
                }
                flags.push([c, undefined]);
            }
        }
        else {
            files.push(a);
            continue;
        }
        for (const [o, inline] of flags) {
            switch (o) {
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
                    break;
                case 'T':
                case 'W':
                case 'M': {
                    const v = inline ?? args[++i];
                    if (v === undefined) {
                        proc.stderr(`iptables-restore: option requires an argument -- '${o}'\nTry \`iptables-restore -h' for more information.\n`);
                        return 1;
                    }
                    if (o === 'T')
                        onlyTable = v;
                    break;
                }
                case 'w':
                    // -w takes the next word as its (ignored) wait time whenever it is not an option.
                    if (inline === undefined && args[i + 1] !== undefined && !args[i + 1].startsWith('-'))
                        i++;
                    break;
                case 'V':
                    proc.stdout(`iptables-restore ${IPTABLES_VERSION}\n`);
                    return 0;
                default:
                    proc.stderr(`iptables-restore: invalid option -- '${o}'\nTry \`iptables-restore -h' for more information.\n`);
                    return 1;
            }
        }
    }
    if (files.length > 1) {
        proc.stderr('Unknown arguments found on commandline\n');
        return 1;
    }
    let text = new TextDecoder().decode(proc.stdin ?? new Uint8Array(0));
    if (files.length === 1) {
        const data = proc.readFile(files[0]);
        if (data === undefined) {
            proc.stderr(`Can't open ${files[0]}: No such file or directory\n`);
            return 1;
        }
        text = new TextDecoder().decode(data);
    }
    if (onlyTable !== undefined) {
        // A -T table that names no known table matches no block: nothing is restored.
        if (!isTableName(onlyTable))
            return 0;
        opts.table = onlyTable;
    }
    try {
        proc.stdout(iptablesOf(proc.ns).restore(text, opts));
        return 0;
    }
    catch (e) {
        return reportError(e, 'iptables-restore', proc);
    }
}
//# sourceMappingURL=restore.js.map