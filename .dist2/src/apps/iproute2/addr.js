// `ip addr add|change|replace|del|flush|show` (iproute2 ipaddress.c ipaddr_modify and the lister).
import { defaultBroadcast, KernelError } from '../../kernel/index.js';
import { Args, duparg, duparg2, fail, invarg, matches, parseU32, prefixArg, addrArg } from './args.js';
import { kernelFail, rtnl } from './errors.js';
import { addrsOfLink } from './addr-show.js';
import { addrMatches, listLinks, parseListArgs } from './list.js';
import { scopeNumber } from './names.js';
const ADDR_USAGE = [
    'Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]',
    '                                                      [ CONFFLAG-LIST ]',
    '       ip address del IFADDR dev IFNAME [mngtmpaddr]',
    '       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]',
    '                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]',
    '       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]',
    '                         [ nomaster ]',
    '                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]',
    '                         [ label LABEL ] [up] [ vrf NAME ] ]',
    '       ip address {showdump|restore}',
    'IFADDR := PREFIX | ADDR peer PREFIX',
    '          [ broadcast ADDR ] [ anycast ADDR ]',
    '          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]',
    'SCOPE-ID := [ host | link | global | NUMBER ]',
    'FLAG-LIST := [ FLAG-LIST ] FLAG',
    'FLAG  := [ permanent | dynamic | secondary | primary |',
    '           [-]tentative | [-]deprecated | [-]dadfailed | temporary |',
    '           CONFFLAG-LIST ]',
    'CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG',
    'CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]',
    'LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]',
    'LFT := forever | SECONDS',
];
function parseAddrRequest(argv) {
    const r = { noprefixroute: false };
    const a = new Args(argv);
    let brdSeen = false;
    for (; a.more; a.shift()) {
        const w = a.cur;
        if (w === 'peer' || w === 'remote') {
            a.next();
            fail(1, 'knetlab: point-to-point addresses (peer) are not emulated');
        }
        else if (matches(w, 'broadcast') || w === 'brd') {
            const t = a.next();
            if (brdSeen)
                duparg('broadcast', t);
            brdSeen = true;
            r.broadcast = t === '+' ? '+' : t === '-' ? '-' : addrArg(t);
        }
        else if (w === 'anycast') {
            a.next();
            fail(1, 'knetlab: anycast addresses are not emulated');
        }
        else if (w === 'valid_lft' || w === 'preferred_lft') {
            const t = a.next();
            if (t !== 'forever' && parseU32(t) === undefined)
                invarg(`${w} value`, t);
        }
        else if (w === 'label')
            r.label = a.next();
        else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
            const t = a.next();
            const n = parseU32(t);
            if (n === undefined)
                invarg('"metric" value is invalid\n', t);
            r.metric = n;
        }
        else if (matches(w, 'scope')) {
            const t = a.next();
            const n = scopeNumber(t);
            if (n === undefined)
                invarg('invalid scope value.', t);
            r.scope = n;
        }
        else if (w === 'dev')
            r.dev = a.next();
        else if (w === 'noprefixroute')
            r.noprefixroute = true;
        else if (w === 'home' || w === 'nodad' || w === 'mngtmpaddr' || w === 'autojoin')
            continue;
        else {
            let t = w;
            if (w === 'local')
                t = a.next();
            if (matches(t, 'help'))
                fail(255, ...ADDR_USAGE);
            if (r.local !== undefined)
                duparg2('local', t);
            if (t.includes(':'))
                fail(1, `knetlab: IPv6 addresses are not emulated ("${t}")`);
            r.local = prefixArg(t);
            r.localArg = t;
        }
    }
    return r;
}
/** ipaddr_modify(): add (create, exclusive), change/replace, delete. */
function addrModify(ctx, argv, mode) {
    const r = parseAddrRequest(argv);
    if (r.dev === undefined)
        fail(1, 'Not enough information: "dev" argument is required.');
    const dev = ctx.ns.linkByName(r.dev) ?? fail(1, `Cannot find device "${r.dev}"`);
    if (mode === 'del')
        return addrDel(ctx, dev, r);
    if (r.local === undefined)
        kernelFail('EINVAL', 'ipv4: Local address is not supplied');
    const local = r.local;
    let broadcast;
    if (typeof r.broadcast === 'number')
        broadcast = r.broadcast;
    else if (r.broadcast !== undefined && local.len <= 30) {
        broadcast = r.broadcast === '+' ? defaultBroadcast(local.addr, local.len) : (local.addr & (local.len === 0 ? 0 : (0xffffffff << (32 - local.len)))) >>> 0;
    }
    const scope = r.scope ?? (local.addr >>> 24 === 127 ? 254 : 0);
    const existing = ctx.ns.addrsOf(dev).find((x) => x.local === local.addr && x.prefixLen === local.len);
    if (existing && mode === 'add')
        kernelFail('EEXIST', 'ipv4: Address already assigned');
    // inet_rtm_newaddr() on an existing address changes only its metric (and lifetimes).
    const spec = existing
        ? { ...existing, metric: r.metric ?? 0 }
        : { dev, local: local.addr, prefixLen: local.len, broadcast, scope, label: r.label ?? dev.name, noprefixroute: r.noprefixroute, metric: r.metric ?? 0 };
    rtnl(() => ctx.ns.addrAdd(spec, mode !== 'add'), { EEXIST: 'ipv4: Address already assigned' });
    return 0;
}
function addrDel(ctx, dev, r) {
    if (r.local && !r.local.explicitLen) {
        ctx.proc.stderr('Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
            `         Explicitly specify the prefix length (${r.localArg}/32) to avoid this warning.\n` +
            '         This special behaviour is likely to disappear in further releases,\n' +
            '         fix your scripts!\n');
    }
    const candidates = ctx.ns.addrsOf(dev).filter((a) => (r.local === undefined || a.local === r.local.addr) &&
        (r.label === undefined || a.label === r.label) &&
        (r.local === undefined || !r.local.explicitLen || a.prefixLen === r.local.len));
    const target = candidates[0] ?? kernelFail('EADDRNOTAVAIL', 'ipv4: Address not found');
    rtnl(() => ctx.ns.addrDel(dev, target.local, target.prefixLen), { EADDRNOTAVAIL: 'ipv4: Address not found' });
    return 0;
}
/** `ip addr flush`: deletes what `ip addr show` with the same filters would list, until none is left. */
function addrFlush(ctx, argv) {
    if (argv.length === 0)
        fail(1, 'Flush requires arguments.');
    const f = parseListArgs(argv);
    const ns = ctx.ns;
    let links = ns.links();
    if (f.dev !== undefined) {
        const l = ns.linkByName(f.dev);
        if (!l)
            fail(1, `Device "${f.dev}" does not exist.`);
        links = [l];
    }
    for (const link of links) {
        if (f.up && !link.adminUp)
            continue;
        for (;;) {
            const victim = addrsOfLink(ns, link).find((a) => addrMatches(a, f, ctx.o.family));
            if (!victim)
                break;
            if (victim.family === 'inet6') {
                // The link-local (or ::1) address goes; addrconf adds it again on the next up.
                link.ipv6LinkLocal = false;
                continue;
            }
            try {
                ns.addrDel(link, victim.local4, victim.prefixLen);
            }
            catch (e) {
                if (!(e instanceof KernelError))
                    throw e;
                break;
            }
        }
    }
    return 0;
}
/** do_ipaddr(). */
export function ipAddr(ctx, argv) {
    if (argv.length === 0)
        return listLinks(ctx, [], false);
    const [cmd, ...rest] = argv;
    if (matches(cmd, 'add'))
        return addrModify(ctx, rest, 'add');
    if (matches(cmd, 'change') || cmd === 'chg')
        return addrModify(ctx, rest, 'change');
    if (matches(cmd, 'replace'))
        return addrModify(ctx, rest, 'replace');
    if (matches(cmd, 'delete'))
        return addrModify(ctx, rest, 'del');
    if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst'))
        return listLinks(ctx, rest, false);
    if (matches(cmd, 'flush'))
        return addrFlush(ctx, rest);
    if (matches(cmd, 'help'))
        fail(255, ...ADDR_USAGE);
    return fail(255, `Command "${cmd}" is unknown, try "ip address help".`);
}
//# sourceMappingURL=addr.js.map