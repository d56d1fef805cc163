import { Args, addrArg, duparg, duparg2, fail, invarg, macArg, matches, parsePrefixArg } from './args.js';
import { printerFor } from './ctx.js';
import { kernelFail, rtnl } from './errors.js';
import { inetRecord, ipv6Neighbours, printNeigh } from './neigh-show.js';
const NEIGH_USAGE = [
    'Usage: ip neigh { add | del | change | replace }',
    '                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }',
    '                [ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO ]',
    '',
    '       ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]',
    '                                 [ vrf NAME ] [ nomaster ]',
    '       ip neigh get { ADDR | proxy ADDR } dev DEV',
    '',
    'STATE := { delay | failed | incomplete | noarp | none |',
    '           permanent | probe | reachable | stale }',
];
/** NUD_* bits, in print_neigh_state's order. */
const NUD_BITS = [
    ['INCOMPLETE', 0x01], ['REACHABLE', 0x02], ['STALE', 0x04], ['DELAY', 0x08], ['PROBE', 0x10], ['FAILED', 0x20], ['NOARP', 0x40], ['PERMANENT', 0x80],
];
const nudBit = (s) => NUD_BITS.find(([n]) => n === s)?.[1] ?? 0;
/** nud_state_a2n(). */
function nudState(text) {
    const t = text.toUpperCase();
    if (t === 'NONE')
        return 'NONE';
    return NUD_BITS.find(([n]) => n === t)?.[0];
}
function parseNeighRequest(argv) {
    const r = { state: 'PERMANENT' };
    const a = new Args(argv);
    for (; a.more; a.shift()) {
        const w = a.cur;
        if (matches(w, 'lladdr')) {
            const t = a.next();
            if (r.lladdr !== undefined)
                duparg('lladdr', t);
            r.lladdr = t;
        }
        else if (w === 'nud') {
            const t = a.next();
            const s = nudState(t);
            if (s === undefined)
                invarg('nud state is bad', t);
            r.state = s;
        }
        else if (matches(w, 'proxy'))
            fail(1, 'knetlab: proxy neighbour entries are not emulated');
        else if (w === 'router' || matches(w, 'extern_learn'))
            continue;
        else if (w === 'dev')
            r.dev = a.next();
        else if (matches(w, 'protocol'))
            a.next();
        else {
            let t = w;
            if (t === 'to')
                t = a.next();
            if (matches(t, 'help'))
                fail(255, ...NEIGH_USAGE);
            if (r.dst !== undefined)
                duparg2('to', t);
            if (t.includes(':'))
                fail(1, `knetlab: IPv6 neighbours are not emulated ("${t}")`);
            r.dst = addrArg(t);
        }
    }
    return r;
}
function neighModify(ctx, argv, mode) {
    const r = parseNeighRequest(argv);
    if (r.dev === undefined || r.dst === undefined)
        fail(255, 'Device and destination are required arguments.');
    const lladdr = r.lladdr !== undefined && r.lladdr !== 'null' ? macArg(r.lladdr) : undefined;
    const dev = ctx.ns.linkByName(r.dev) ?? fail(1, `Cannot find device "${r.dev}"`);
    const table = ctx.ns.neigh;
    const existing = table.get(dev, r.dst);
    if (mode === 'del') {
        if (!existing)
            kernelFail('ENOENT');
        rtnl(() => table.delete(dev, r.dst));
        return 0;
    }
    if (existing && mode === 'add')
        kernelFail('EEXIST');
    if (!existing && mode === 'change')
        kernelFail('ENOENT');
    const needsLladdr = r.state === 'PERMANENT' || r.state === 'NOARP' || r.state === 'REACHABLE' || r.state === 'STALE';
    if (lladdr === undefined && needsLladdr && !existing?.lladdr && !dev.noarp && dev.kind !== 'loopback') {
        kernelFail('EINVAL', 'No link layer address given');
    }
    rtnl(() => table.update(dev, r.dst, lladdr, r.state, { admin: true, create: true }));
    return 0;
}
function parseNeighFilter(ctx, argv, flush) {
    const f = { state: flush ? ~(0x80 | 0x40) : 0xff & ~0x40 };
    const a = new Args(argv);
    let stateGiven = false;
    let devName;
    for (; a.more; a.shift()) {
        const w = a.cur;
        if (w === 'dev')
            devName = a.next();
        else if (w === 'master' || w === 'vrf') {
            a.next();
            fail(1, `knetlab: "ip neigh ${w}" is not emulated`);
        }
        else if (w === 'unused' || w === 'nomaster')
            continue;
        else if (w === 'nud') {
            const t = a.next();
            if (!stateGiven)
                (stateGiven = true), (f.state = 0);
            let bits;
            const s = nudState(t);
            if (s === undefined) {
                if (t !== 'all')
                    invarg('nud state is bad', t);
                bits = ~0;
                if (flush)
                    bits &= ~0x40;
            }
            else
                bits = nudBit(s);
            if (bits === 0)
                bits = 0x100;
            f.state |= bits;
        }
        else if (w === 'proxy')
            fail(1, 'knetlab: proxy neighbour entries are not emulated');
        else if (matches(w, 'protocol'))
            a.next();
        else {
            let t = w;
            if (t === 'to')
                t = a.next();
            if (matches(t, 'help'))
                fail(255, ...NEIGH_USAGE);
            if (t.includes(':'))
                fail(1, `knetlab: IPv6 neighbours are not emulated ("${t}")`);
            f.prefix = parsePrefixArg(t) ?? fail(255, `Error: argument "${t}" is wrong: to value is invalid`, '');
        }
    }
    if (devName !== undefined)
        f.dev = ctx.ns.linkByName(devName) ?? fail(1, `Cannot find device "${devName}"`);
    return f;
}
function neighMatches(n, f) {
    if (f.dev && n.dev !== f.dev)
        return false;
    const bit = nudBit(n.state);
    if (bit === 0 ? !(f.state & 0x100) : !(f.state & bit))
        return false;
    if (f.prefix && f.prefix.len > 0) {
        const mask = f.prefix.len === 32 ? 0xffffffff : ((0xffffffff << (32 - f.prefix.len)) >>> 0);
        if (((n.ip ^ f.prefix.addr) & mask) >>> 0 !== 0)
            return false;
    }
    return true;
}
function neighShow(ctx, argv) {
    const f = parseNeighFilter(ctx, argv, false);
    const p = printerFor(ctx.o);
    p.begin();
    const mode = { showDev: !f.dev, stats: ctx.o.stats > 0 };
    // The dump walks arp_tbl, then nd_tbl.
    if (ctx.o.family !== 'inet6' && ctx.o.family !== 'link') {
        for (const n of ctx.ns.neigh.list())
            if (neighMatches(n, f))
                printNeigh(p, inetRecord(ctx.ns, n), mode);
    }
    if (ctx.o.family !== 'inet' && ctx.o.family !== 'link' && !f.prefix && f.state & 0x40) {
        for (const r of ipv6Neighbours(ctx.ns))
            if (!f.dev || r.dev === f.dev)
                printNeigh(p, r, mode);
    }
    ctx.proc.stdout(p.end());
    return 0;
}
function neighFlush(ctx, argv) {
    if (argv.length === 0)
        fail(1, 'Flush requires arguments.');
    const f = parseNeighFilter(ctx, argv, true);
    ctx.ns.neigh.flushWhere((n) => neighMatches(n, f));
    return 0;
}
function neighGet(ctx, argv) {
    const a = new Args(argv);
    let dst;
    let devName;
    for (; a.more; a.shift()) {
        const w = a.cur;
        if (w === 'dev')
            devName = a.next();
        else if (matches(w, 'proxy'))
            fail(1, 'knetlab: proxy neighbour entries are not emulated');
        else {
            let t = w;
            if (t === 'to')
                t = a.next();
            if (matches(t, 'help'))
                fail(255, ...NEIGH_USAGE);
            if (dst !== undefined)
                duparg2('to', t);
            dst = addrArg(t);
        }
    }
    if (devName === undefined || dst === undefined)
        fail(1, 'Device and address are required arguments.');
    const dev = ctx.ns.linkByName(devName) ?? fail(1, `Cannot find device "${devName}"`);
    const n = ctx.ns.neigh.get(dev, dst) ?? kernelFail('ENOENT', 'Neighbour entry not found');
    // ipneigh_get() prints without opening a JSON document: `-j` is ignored.
    const p = printerFor({ ...ctx.o, json: false });
    printNeigh(p, inetRecord(ctx.ns, n), { showDev: true, stats: ctx.o.stats > 0 });
    ctx.proc.stdout(p.end());
    return 0;
}
/** do_ipneigh(). */
export function ipNeigh(ctx, argv) {
    if (argv.length === 0)
        return neighShow(ctx, []);
    const [cmd, ...rest] = argv;
    if (matches(cmd, 'add'))
        return neighModify(ctx, rest, 'add');
    if (matches(cmd, 'change') || cmd === 'chg')
        return neighModify(ctx, rest, 'change');
    if (matches(cmd, 'replace'))
        return neighModify(ctx, rest, 'replace');
    if (matches(cmd, 'delete'))
        return neighModify(ctx, rest, 'del');
    if (matches(cmd, 'get'))
        return neighGet(ctx, rest);
    if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list'))
        return neighShow(ctx, rest);
    if (matches(cmd, 'flush'))
        return neighFlush(ctx, rest);
    if (matches(cmd, 'help'))
        fail(255, ...NEIGH_USAGE);
    return fail(255, `Command "${cmd}" is unknown, try "ip neigh help".`);
}
//# sourceMappingURL=neigh.js.map