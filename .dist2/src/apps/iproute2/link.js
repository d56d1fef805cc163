// `ip link add|set|delete|show`: iproute2's iplink_parse() word for word, then the kernel's
// rtnl_newlink/do_setlink checks made before anything changes, then one application in
// do_setlink's order (netns, address, mtu, name, flags, master, txqueuelen).
import { Bridge, Vxlan, linkAdd, linkDel, linkSetDown, linkSetMac, linkSetMaster, linkSetNetns, linkSetUp, } from '../../kernel/index.js';
import { isMulticastMac } from '../../wire/index.js';
import { Args, duparg, duparg2, fail, invarg, macArg, matches, parseNumber, validIfname } from './args.js';
import { kernelFail, rtnl } from './errors.js';
import { driverLimits } from './facts.js';
import { parseBridgeArgs, parseIpipArgs, parseVxlanArgs } from './link-kinds.js';
import { listLinks } from './list.js';
const LINK_USAGE = [
    'Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME',
    '\t\t    [ txqueuelen PACKETS ]',
    '\t\t    [ address LLADDR ]',
    '\t\t    [ broadcast LLADDR ]',
    '\t\t    [ mtu MTU ] [index IDX ]',
    '\t\t    [ numtxqueues QUEUE_COUNT ]',
    '\t\t    [ numrxqueues QUEUE_COUNT ]',
    '\t\t    type TYPE [ ARGS ]',
    '',
    '       ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]',
    '',
    '       ip link set { DEVICE | dev DEVICE | group DEVGROUP }',
    '\t\t\t[ { up | down } ]',
    '\t\t\t[ type TYPE ARGS ]',
    '\t\t[ arp { on | off } ]',
    '\t\t[ address LLADDR ]',
    '\t\t[ name NEWNAME ]',
    '\t\t[ mtu MTU ]',
    '\t\t[ netns { PID | NAME } ]',
    '\t\t[ master DEVICE ][ nomaster ]',
    '',
    '       ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]',
    '',
    'TYPE := { bridge | dummy | ipip | veth | vxlan }',
];
/** iplink_parse(): generic device attributes, up to `type KIND`. */
export function parseLinkRequest(argv) {
    const r = { devIsName: false, typeArgs: [] };
    const a = new Args(argv);
    for (; a.more; a.shift()) {
        const w = a.cur;
        if (w === 'up')
            r.up = true;
        else if (w === 'down')
            r.up = false;
        else if (w === 'name') {
            const n = a.next();
            if (r.name !== undefined)
                duparg('name', n);
            if (!validIfname(n))
                invarg('"name" not a valid ifname', n);
            r.name = n;
            if (r.dev === undefined)
                (r.dev = n), (r.devIsName = true);
        }
        else if (matches(w, 'link'))
            r.link = a.next();
        else if (matches(w, 'address'))
            r.mac = macArg(a.next());
        else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
            const t = a.next();
            if (r.txqlen !== undefined)
                duparg('txqueuelen', t);
            const n = parseNumber(t);
            if (n === undefined || n < -0x80000000 || n > 0x7fffffff)
                invarg('Invalid "txqueuelen" value\n', t);
            // get_integer() takes a negative number; the kernel stores it as unsigned.
            r.txqlen = n >>> 0;
        }
        else if (w === 'mtu') {
            const t = a.next();
            if (r.mtu !== undefined)
                duparg('mtu', t);
            const n = parseNumber(t);
            if (n === undefined || n > 0x7fffffff)
                invarg('Invalid "mtu" value\n', t);
            r.mtu = n;
        }
        else if (w === 'netns') {
            const t = a.next();
            if (r.netns !== undefined)
                duparg('netns', t);
            r.netns = t;
        }
        else if (matches(w, 'master'))
            r.master = a.next();
        else if (matches(w, 'nomaster'))
            r.master = null;
        else if (matches(w, 'type')) {
            r.type = a.next();
            a.shift();
            r.typeArgs = a.rest();
            break;
        }
        else if (w === 'arp' || w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'carrier' || w === 'trailers') {
            const v = a.next();
            if (v !== 'on' && v !== 'off')
                fail(255, `Error: argument of "${w}" must be "on" or "off", not "${v}"`);
        }
        else if (w === 'group') {
            const g = a.next();
            if (g !== 'default' && g !== '0')
                invarg('Invalid "group" value\n', g);
        }
        else {
            if (matches(w, 'help'))
                fail(255, ...LINK_USAGE);
            let dev = w;
            if (w === 'dev')
                dev = a.next();
            if (r.dev !== undefined && !r.devIsName)
                duparg2('dev', dev);
            if (r.dev !== undefined && r.devIsName && r.dev !== dev)
                duparg2('dev', dev);
            if (dev.length === 0 || dev.length >= 128 || /[\s/:]/.test(dev))
                invarg('"dev" not a valid ifname', dev);
            r.dev = dev;
            r.devIsName = false;
        }
    }
    return r;
}
/** netns_get_fd() then get_integer(): a /run/netns name or a PID. */
function resolveNetns(ctx, ref) {
    const named = ctx.host.netns(ref);
    if (named)
        return named;
    if (parseNumber(ref) === undefined)
        invarg('Invalid "netns" value\n', ref);
    // PID 1 is the host's init; knetlab runs no other processes (find_get_pid fails: ESRCH).
    return ctx.host.resolve(String(parseNumber(ref))) ?? fail(2, 'RTNETLINK answers: No such process');
}
function findDev(ns, name, status = 1) {
    return ns.linkByName(name) ?? fail(status, `Cannot find device "${name}"`);
}
/** dev_validate_mtu(), with its extended-ack texts. */
function checkMtu(link, mtu) {
    const lim = driverLimits(link);
    if (mtu < lim.minMtu)
        kernelFail('EINVAL', 'mtu less than device minimum');
    if (lim.maxMtu > 0 && mtu > lim.maxMtu)
        kernelFail('EINVAL', 'mtu greater than device maximum');
}
/** eth_prepare_mac_addr_change(): a device address must be unicast. */
function checkMac(mac) {
    if (isMulticastMac(mac) || mac === '00:00:00:00:00:00')
        kernelFail('EADDRNOTAVAIL');
}
function nextFreeName(ns, prefix, skip) {
    for (let i = 0;; i++) {
        const n = `${prefix}${i}`;
        if (!ns.linkByName(n) && n !== skip)
            return n;
    }
}
/** `ip link add`. */
function linkAddCmd(ctx, argv) {
    const r = parseLinkRequest(argv);
    if (r.type === undefined)
        fail(1, 'Not enough information: "type" argument is required');
    const kind = r.type;
    const warnings = [];
    const target = r.netns !== undefined ? resolveNetns(ctx, r.netns) : ctx.ns;
    const master = typeof r.master === 'string' ? ctx.ns.linkByName(r.master) ?? invarg('Device does not exist\n', r.master) : undefined;
    if (r.link !== undefined)
        findDev(ctx.ns, r.link);
    let spec;
    let peer;
    switch (kind) {
        case 'veth': {
            if (r.typeArgs.length > 0) {
                if (r.typeArgs[0] !== 'peer') {
                    ctx.proc.stdout("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
                    return 1;
                }
                peer = parseLinkRequest(r.typeArgs.slice(1));
                if (peer.type !== undefined)
                    duparg('type', peer.type);
            }
            const peerNs = peer?.netns !== undefined ? resolveNetns(ctx, peer.netns) : target;
            spec = { kind: 'veth', peerName: peer?.name ?? peer?.dev, peerNetns: peerNs, peerMac: peer?.mac };
            break;
        }
        case 'bridge':
            applyBridgeArgs(undefined, parseBridgeArgs(r.typeArgs));
            spec = { kind: 'bridge' };
            break;
        case 'dummy':
            spec = { kind: 'dummy' };
            break;
        case 'vxlan': {
            const x = parseVxlanArgs(r.typeArgs, true, warnings);
            const underlay = x.dev !== undefined ? findDev(ctx.ns, x.dev, 255) : undefined;
            if (x.vni === undefined)
                kernelFail('EINVAL', 'Required attributes not provided to perform the operation');
            // vxlan_config_validate(): one device per VNI and port in a namespace.
            const port = x.dstPort ?? 8472;
            if (target.links().some((l) => l instanceof Vxlan && l.vni === x.vni && l.dstPort === port)) {
                kernelFail('EEXIST', 'A VXLAN device with the specified VNI already exists');
            }
            spec = {
                kind: 'vxlan', vni: x.vni, local: x.local, underlay, dstPort: x.dstPort, learning: x.learning, ttl: x.ttl, tos: x.tos,
                udpCsum: x.udpCsum, srcPortMin: x.srcPort?.[0], srcPortMax: x.srcPort?.[1], ageing: x.ageing,
            };
            if (x.remote !== undefined || x.group !== undefined)
                spec.remote = x.remote ?? x.group;
            break;
        }
        case 'ipip': {
            const t = parseIpipArgs(r.typeArgs);
            const underlay = t.dev !== undefined ? findDev(ctx.ns, t.dev, 1) : undefined;
            spec = { kind: 'ipip', local: t.local, remote: t.remote, underlay, ttl: t.ttl };
            if (t.pmtudisc === false)
                spec.pmtudisc = false;
            break;
        }
        default:
            return kernelFail('EOPNOTSUPP', 'Unknown device type');
    }
    // rtnl_newlink(): an existing name fails first (NLM_F_EXCL).
    const defaultPrefix = kind === 'bridge' ? 'bridge' : kind;
    let name = r.name ?? r.dev;
    // A name too long for IFNAMSIZ fails the kernel's attribute policy.
    if (name !== undefined && !validIfname(name))
        kernelFail('EINVAL', 'Attribute failed policy validation');
    if (name !== undefined && target.linkByName(name))
        kernelFail('EEXIST');
    if (spec.kind === 'veth') {
        const peerName = spec.peerName ?? nextFreeName(spec.peerNetns ?? target, 'veth');
        if (name === undefined)
            name = nextFreeName(target, 'veth', spec.peerNetns === target || !spec.peerNetns ? peerName : undefined);
        if ((spec.peerNetns ?? target).linkByName(peerName) || ((spec.peerNetns ?? target) === target && peerName === name))
            kernelFail('EEXIST');
        spec = { ...spec, peerName };
        if (peer?.mac !== undefined)
            checkMac(peer.mac);
        if (peer?.mtu !== undefined)
            checkMtu({ kind: 'veth' }, peer.mtu);
    }
    name ??= nextFreeName(target, defaultPrefix);
    if (r.mac !== undefined)
        checkMac(r.mac);
    if (r.mtu !== undefined)
        checkMtu({ kind: spec.kind }, r.mtu);
    if (master && !(master instanceof Bridge))
        kernelFail('EOPNOTSUPP');
    for (const w of warnings)
        ctx.proc.stderr(`${w}\n`);
    const link = rtnl(() => linkAdd(target, name, spec, { mtu: r.mtu, mac: r.mac, txQueueLen: r.txqlen }));
    if (spec.kind === 'vxlan' && spec.remote !== undefined) {
        const remote = spec.remote;
        const v = link;
        v.remote = remote;
        v.fdbUpdate('00:00:00:00:00:00', remote, 'add');
    }
    if (spec.kind === 'ipip' && spec.pmtudisc === false)
        link.pmtudisc = false;
    if (spec.kind === 'bridge')
        applyBridgeArgs(link, parseBridgeArgs(r.typeArgs));
    if (peer && spec.kind === 'veth') {
        const p = link.peer;
        if (peer.mtu !== undefined)
            p.mtu = peer.mtu;
        if (peer.txqlen !== undefined)
            p.txQueueLen = peer.txqlen;
        if (peer.up)
            linkSetUp(p);
    }
    if (master)
        rtnl(() => linkSetMaster(link, master));
    if (r.up)
        linkSetUp(link);
    return 0;
}
function applyBridgeArgs(br, b) {
    if (!br)
        return;
    if (b.forwardDelay !== undefined)
        br.forwardDelay = b.forwardDelay;
    if (b.helloTime !== undefined)
        br.helloTime = b.helloTime;
    if (b.maxAge !== undefined)
        br.maxAge = b.maxAge;
    if (b.ageingTime !== undefined)
        br.ageingTime = b.ageingTime * 10;
    if (b.stpState !== undefined)
        br.stpState = b.stpState;
    if (b.priority !== undefined)
        br.priority = b.priority;
    if (b.vlanFiltering !== undefined)
        br.vlanFiltering = b.vlanFiltering;
}
/** `ip link set`: every check first, then do_setlink's order. */
function linkSetCmd(ctx, argv) {
    const r = parseLinkRequest(argv);
    if (r.dev === undefined)
        fail(255, 'Not enough information: "dev" argument is required.');
    const ns = ctx.ns;
    const master = typeof r.master === 'string' ? ns.linkByName(r.master) ?? invarg('Device does not exist\n', r.master) : r.master;
    const target = r.netns !== undefined ? resolveNetns(ctx, r.netns) : undefined;
    const link = findDev(ns, r.dev);
    const newName = r.name !== undefined && r.name !== r.dev ? r.name : undefined;
    let bridgeArgs;
    if (r.type !== undefined) {
        if (r.type !== link.kind && !(r.type === 'bridge_slave' && link.master))
            kernelFail('EOPNOTSUPP');
        if (r.type === 'bridge')
            bridgeArgs = parseBridgeArgs(r.typeArgs);
    }
    // Checks, in the order do_setlink would fail.
    const finalNs = target ?? ns;
    if (target && target !== ns) {
        if (link.kind === 'loopback' || link.kind === 'bridge')
            kernelFail('EINVAL');
        if (target.linkByName(newName ?? link.name))
            kernelFail('EEXIST');
    }
    if (r.mac !== undefined)
        checkMac(r.mac);
    if (r.mtu !== undefined)
        checkMtu(link, r.mtu);
    if (newName !== undefined && finalNs.linkByName(newName))
        kernelFail('EEXIST');
    if (master !== undefined && master !== null) {
        if (!(master instanceof Bridge))
            kernelFail('EOPNOTSUPP');
        if (master === link || link.kind === 'loopback' || !link.hasEthernetHeader)
            kernelFail('EINVAL');
        if (finalNs !== master.netns)
            kernelFail('ENODEV');
        if (link.master && link.master !== master)
            kernelFail('EBUSY');
    }
    // Application. The rename is the one step the kernel may still refuse, so unless the device
    // also moves it goes first: a refusal then leaves everything as it was.
    const moving = target !== undefined && target !== ns;
    if (newName !== undefined && !moving)
        rtnl(() => link.netns.rename(link, newName));
    if (moving)
        rtnl(() => linkSetNetns(link, target));
    if (r.mac !== undefined)
        rtnl(() => linkSetMac(link, r.mac));
    if (r.mtu !== undefined)
        link.mtu = r.mtu;
    if (newName !== undefined && moving)
        rtnl(() => link.netns.rename(link, newName));
    if (r.up === true)
        linkSetUp(link);
    if (r.up === false)
        linkSetDown(link);
    if (master !== undefined)
        rtnl(() => linkSetMaster(link, master ?? undefined));
    if (r.txqlen !== undefined)
        link.txQueueLen = r.txqlen;
    if (bridgeArgs)
        applyBridgeArgs(link, bridgeArgs);
    return 0;
}
/** `ip link delete`. */
function linkDelCmd(ctx, argv) {
    const r = parseLinkRequest(argv);
    if (r.dev === undefined)
        fail(255, 'Not enough information: "dev" argument is required.');
    const link = findDev(ctx.ns, r.dev);
    if (r.type !== undefined && r.type !== link.kind)
        kernelFail('EOPNOTSUPP');
    rtnl(() => linkDel(link));
    return 0;
}
/** do_iplink(). */
export function ipLink(ctx, argv) {
    if (argv.length === 0)
        return listLinks(ctx, [], true);
    const [cmd, ...rest] = argv;
    if (matches(cmd, 'add'))
        return linkAddCmd(ctx, rest);
    if (matches(cmd, 'set') || matches(cmd, 'change'))
        return linkSetCmd(ctx, rest);
    if (matches(cmd, 'replace'))
        return linkSetCmd(ctx, rest);
    if (matches(cmd, 'delete'))
        return linkDelCmd(ctx, rest);
    if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list'))
        return listLinks(ctx, rest, true);
    if (matches(cmd, 'help'))
        fail(255, ...LINK_USAGE);
    return fail(255, `Command "${cmd}" is unknown, try "ip link help".`);
}
//# sourceMappingURL=link.js.map