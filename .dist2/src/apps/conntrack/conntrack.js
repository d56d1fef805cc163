// conntrack (conntrack-tools 1.4.7): list, delete, flush and count the namespace's tracked
// connections, in the tool's own line format.
import { formatIpv4, parseIpv4 } from '../../wire/index.js';
import { conntrackOf, protoName } from '../../kernel/index.js';
const PREFIX = 'conntrack v1.4.7 (conntrack-tools)';
function tupleText(t) {
    const ends = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
    if (t.proto === 6 || t.proto === 17)
        return `${ends} sport=${t.sport} dport=${t.dport}`;
    if (t.proto === 1)
        return `${ends} type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport}`;
    return ends;
}
/** One line of `conntrack -L`, e.g. `tcp      6 119 TIME_WAIT src=… [ASSURED] mark=0 use=1`. */
export function conntrackLine(c, secondsLeft, extended) {
    const proto = protoName(c.original.proto);
    let s = `${extended ? 'ipv4     2 ' : ''}${proto.padEnd(8)} ${c.original.proto} ${secondsLeft} `;
    if (c.tcpState)
        s += `${c.tcpState} `;
    s += tupleText(c.original) + ' ';
    if (!c.seenReply)
        s += '[UNREPLIED] ';
    s += tupleText(c.reply) + ' ';
    if (c.assured)
        s += '[ASSURED] ';
    return `${s}mark=${c.mark} use=1`;
}
const PROTOS = { tcp: 6, udp: 17, icmp: 1 };
export function conntrack(args, proc) {
    let command;
    let extended = false;
    const f = {};
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const value = () => args[++i] ?? '';
        switch (a) {
            case '-L':
            case '--dump':
                command = 'list';
                break;
            case '-D':
            case '--delete':
                command = 'delete';
                break;
            case '-F':
            case '--flush':
                command = 'flush';
                break;
            case '-C':
            case '--count':
                command = 'count';
                break;
            case '-n':
            case '-z': break;
            case '-o':
                extended = value().split(',').includes('extended');
                break;
            case '-p':
            case '--proto': {
                const v = value();
                const p = PROTOS[v] ?? Number(v);
                if (!Number.isInteger(p)) {
                    proc.stderr(`${PREFIX}: unknown protocol \`${v}'\n`);
                    return 2;
                }
                f.proto = p;
                break;
            }
            case '-s':
            case '--src':
            case '--orig-src':
            case '-d':
            case '--dst':
            case '--orig-dst': {
                const v = value();
                const ip = parseIpv4(v);
                if (ip === undefined) {
                    proc.stderr(`${PREFIX}: Bad parameter \`${v}'\n`);
                    return 2;
                }
                if (a === '-s' || a === '--src' || a === '--orig-src')
                    f.src = ip;
                else
                    f.dst = ip;
                break;
            }
            case '--sport':
            case '--orig-port-src':
                f.sport = Number(value());
                break;
            case '--dport':
            case '--orig-port-dst':
                f.dport = Number(value());
                break;
            default:
                proc.stderr(`${PREFIX}: unknown option \`${a}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
                return 2;
        }
    }
    const table = conntrackOf(proc.ns);
    if (command === undefined) {
        proc.stderr(`${PREFIX}: no command specified\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
        return 2;
    }
    if (command === 'flush') {
        table.flush();
        proc.stderr(`${PREFIX}: connection tracking table has been emptied.\n`);
        return 0;
    }
    const hits = table.list().filter((c) => (f.proto === undefined || c.original.proto === f.proto)
        && (f.src === undefined || c.original.src === f.src) && (f.dst === undefined || c.original.dst === f.dst)
        && (f.sport === undefined || c.original.sport === f.sport) && (f.dport === undefined || c.original.dport === f.dport));
    if (command === 'count') {
        proc.stdout(`${table.list().length}\n`);
        return 0;
    }
    let out = '';
    for (const c of hits) {
        out += `${conntrackLine(c, table.secondsLeft(c), extended)}\n`;
        if (command === 'delete')
            table.remove(c);
    }
    proc.stdout(out);
    proc.stderr(`${PREFIX}: ${hits.length} flow entries have been ${command === 'delete' ? 'deleted' : 'shown'}.\n`);
    return command === 'delete' && hits.length === 0 ? 1 : 0;
}
//# sourceMappingURL=conntrack.js.map