// The host interface carried out with a node's own tools: iproute2 (one command, or one
// `ip -batch -` per batch), `ip -j` read back into records, sysctl, iptables-restore/-save,
// ipset and ipvsadm. Both backends speak exactly these requests; they differ only in the
// kernel that answers (the emulated one in-process, or real namespaces on Linux), so one
// renderer and one parser serve both and a difference in answers is a difference in kernels.
import { HostError, } from './network.js';
import { IPTABLES_TABLES, IPVS_SCHEDULERS, LINK_KINDS, NEIGH_STATES, ROUTE_PROTOS, ROUTE_SCOPES, ROUTE_TABLES, ROUTE_TYPES, documentText, ifName, ipv4, ipv4Prefix, mac, nameOrNumber, netnsName, oneOf, routeDst, sysctlKey, sysctlValue, uint, } from './validate.js';
/** Optional `KEY VALUE` words; `check` validates the value (see validate.ts). */
function opt(key, value, check) {
    return value === undefined ? [] : [key, check(value)];
}
const U32 = 0xffff_ffff;
/** Drops iproute2's `Command failed -:N` trailer; the tool's message is what the user needs. */
function toolMessage(stderr) {
    return stderr.split('\n').filter((l) => l !== '' && !/^Command failed /.test(l)).join('; ');
}
export class ToolsHost {
    handles = new Map();
    /** Runs a command that must succeed; returns its stdout, throws HostError with the tool's words. */
    exec(what, argv, stdin) {
        const r = this.run(argv, stdin);
        if (r.status !== 0)
            throw this.refine(new HostError(`Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`, argv.join(' '), r.status));
        return r.stdout;
    }
    /** Turns a tool's refusal into what it means on this backend (e.g. NotSupported for a missing driver). */
    refine(e) {
        return e;
    }
    netnsAdd(name) {
        const what = `add netns "${name}"`;
        this.exec(what, ['ip', 'netns', 'add', netnsName(what, 'name', name)]);
    }
    netnsDel(name) {
        const what = `delete netns "${name}"`;
        this.exec(what, ['ip', 'netns', 'del', netnsName(what, 'name', name)]);
        this.handles.delete(name);
    }
    netnsList() {
        return this.exec('list netns', ['ip', 'netns', 'list']).split('\n').filter(Boolean).map((l) => l.split(' ')[0]).sort();
    }
    at(netns) {
        if (netns !== undefined)
            netnsName(`open netns "${netns}"`, 'name', netns);
        let h = this.handles.get(netns);
        if (!h)
            this.handles.set(netns, (h = new ToolsNetHandle(this, netns)));
        return h;
    }
    /** Reads the namespace's links; a backend whose kernel reports link state late waits for it here. */
    readLinks(h) {
        return JSON.parse(h.show('list links', 'ip', ['-d', 'link', 'show'])).map(linkRecord);
    }
    /** Whether the backend has IPVS; a backend without it throws NotSupported here. */
    requireIpvs(_command) { }
}
/** A namespace of a ToolsHost: renders each operation as the tool's words. */
export class ToolsNetHandle {
    host;
    netns;
    queue;
    constructor(host, netns) {
        this.host = host;
        this.netns = netns;
    }
    nsArgs() {
        return this.netns === undefined ? [] : ['-n', this.netns];
    }
    /** Other programs run in the namespace through `ip netns exec`. */
    inNs(argv) {
        return this.netns === undefined ? [...argv] : ['ip', 'netns', 'exec', this.netns, ...argv];
    }
    request(tool, words, what) {
        if (this.queue)
            this.queue.push({ tool, words, what });
        else
            this.host.exec(what, [tool, ...this.nsArgs(), ...words]);
    }
    /** `ip -j …` / `bridge -j …` in this namespace: the JSON text. */
    show(what, tool, words) {
        return this.host.exec(what, [tool, ...this.nsArgs(), '-j', ...words]) || '[]';
    }
    batch(build) {
        if (this.queue)
            return build();
        const queue = (this.queue = []);
        try {
            build();
        }
        finally {
            this.queue = undefined;
        }
        // Consecutive requests to one tool go as one batch, in order.
        for (let i = 0; i < queue.length;) {
            const tool = queue[i].tool;
            let j = i;
            while (j < queue.length && queue[j].tool === tool)
                j++;
            const group = queue.slice(i, j);
            const argv = [tool, ...this.nsArgs(), '-batch', '-'];
            const r = this.host.run(argv, group.map((q) => `${q.words.join(' ')}\n`).join(''));
            if (r.status !== 0) {
                const line = Number(/Command failed -:(\d+)/.exec(r.stderr)?.[1] ?? 1);
                const failed = group[line - 1] ?? group[0];
                throw this.host.refine(new HostError(`Cannot ${failed.what}: ${toolMessage(r.stderr)}`, `${tool} ${[...this.nsArgs(), ...failed.words].join(' ')}`, r.status));
            }
            i = j;
        }
    }
    // ---- links ---------------------------------------------------------------------------------
    linkAdd(spec) {
        const what = `add link "${spec.name}"`;
        const words = [
            'link', 'add', ifName(what, 'name', spec.name), ...opt('mtu', spec.mtu, (v) => uint(what, 'mtu', v, 0, U32)),
            ...opt('address', spec.mac, (v) => mac(what, 'mac', v)), 'type', oneOf(what, 'kind', spec.kind, LINK_KINDS),
        ];
        switch (spec.kind) {
            case 'veth':
                words.push('peer', 'name', ifName(what, 'peer', spec.peer), ...opt('netns', spec.peerNetns, (v) => netnsName(what, 'peerNetns', v)));
                break;
            case 'vxlan':
                words.push('id', uint(what, 'vni', spec.vni, 0, 0xff_ffff), ...opt('local', spec.local, (v) => ipv4(what, 'local', v)), ...opt('dev', spec.dev, (v) => ifName(what, 'dev', v)), 'dstport', uint(what, 'dstPort', spec.dstPort ?? 8472, 0, 0xffff));
                if (spec.learning === false)
                    words.push('nolearning');
                break;
            case 'ipip':
                words.push(...opt('local', spec.local, (v) => ipv4(what, 'local', v)), ...opt('remote', spec.remote, (v) => ipv4(what, 'remote', v)), ...opt('dev', spec.dev, (v) => ifName(what, 'dev', v)));
                break;
        }
        this.request('ip', words, what);
    }
    linkDel(name) {
        const what = `delete link "${name}"`;
        this.request('ip', ['link', 'del', ifName(what, 'name', name)], what);
    }
    linkSet(name, c) {
        const what = `set link "${name}"`;
        const words = ['link', 'set', 'dev', ifName(what, 'name', name)];
        if (c.master === null)
            words.push('nomaster');
        else
            words.push(...opt('master', c.master, (v) => ifName(what, 'master', v)));
        words.push(...opt('mtu', c.mtu, (v) => uint(what, 'mtu', v, 0, U32)), ...opt('address', c.mac, (v) => mac(what, 'mac', v)), ...opt('netns', c.netns, (v) => netnsName(what, 'netns', v)), ...opt('name', c.name, (v) => ifName(what, 'new name', v)));
        if (c.up !== undefined)
            words.push(c.up ? 'up' : 'down');
        this.request('ip', words, what);
    }
    linkList() {
        return this.host.readLinks(this);
    }
    // ---- addresses -----------------------------------------------------------------------------
    addrAdd(dev, cidr) {
        const what = `add address "${cidr}" to "${dev}"`;
        this.request('ip', ['addr', 'add', ipv4Prefix(what, 'address', cidr, true), 'dev', ifName(what, 'dev', dev)], what);
    }
    addrDel(dev, cidr) {
        const what = `delete address "${cidr}" from "${dev}"`;
        this.request('ip', ['addr', 'del', ipv4Prefix(what, 'address', cidr, true), 'dev', ifName(what, 'dev', dev)], what);
    }
    addrList() {
        const links = JSON.parse(this.show('list addresses', 'ip', ['-4', 'addr', 'show']));
        return links.flatMap((l) => (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => ({
            dev: l.ifname, local: a.local, prefixLen: a.prefixlen, scope: a.scope, ...(a.broadcast ? { broadcast: a.broadcast } : {}),
        })));
    }
    // ---- routes --------------------------------------------------------------------------------
    route(verb, r) {
        const what = `${verb === 'del' ? 'delete' : verb} route "${r.dst}"`;
        const words = ['route', verb];
        const type = r.type === undefined ? 'unicast' : oneOf(what, 'type', r.type, ROUTE_TYPES);
        if (type !== 'unicast')
            words.push(type);
        words.push(routeDst(what, r.dst), ...opt('via', r.via, (v) => ipv4(what, 'via', v)), ...opt('dev', r.dev, (v) => ifName(what, 'dev', v)));
        if (r.onlink)
            words.push('onlink');
        words.push(...opt('proto', r.proto, (v) => nameOrNumber(what, 'proto', v, ROUTE_PROTOS, 0xff)), ...opt('table', r.table, (v) => nameOrNumber(what, 'table', v, ROUTE_TABLES, U32)), ...opt('src', r.src, (v) => ipv4(what, 'src', v)), ...opt('metric', r.metric, (v) => uint(what, 'metric', v, 0, U32)), ...opt('scope', r.scope, (v) => oneOf(what, 'scope', v, ROUTE_SCOPES)));
        this.request('ip', words, what);
    }
    routeAdd(r) {
        this.route('add', r);
    }
    routeReplace(r) {
        this.route('replace', r);
    }
    routeDel(r) {
        this.route('del', r);
    }
    routeList(table = 'main') {
        const what = `list routes of table ${table}`;
        const routes = JSON.parse(this.show(what, 'ip', ['-4', 'route', 'show', 'table', nameOrNumber(what, 'table', table, ROUTE_TABLES, U32)]));
        return routes.map((r) => ({
            table: r.table ?? String(table),
            type: r.type ?? 'unicast',
            dst: r.dst,
            ...(r.gateway ? { via: r.gateway } : {}),
            ...(r.dev ? { dev: r.dev } : {}),
            proto: r.protocol ?? 'boot',
            scope: r.scope ?? 'global',
            ...(r.prefsrc ? { src: r.prefsrc } : {}),
            ...(r.metric !== undefined ? { metric: r.metric } : {}),
            flags: r.flags ?? [],
        }));
    }
    // ---- neighbours and fdb --------------------------------------------------------------------
    neigh(verb, n) {
        const what = `${verb} neighbour "${n.dst}" on "${n.dev}"`;
        this.request('ip', [
            'neigh', verb, ipv4(what, 'dst', n.dst), 'lladdr', mac(what, 'lladdr', n.lladdr), 'dev', ifName(what, 'dev', n.dev),
            'nud', oneOf(what, 'state', n.state ?? 'permanent', NEIGH_STATES),
        ], what);
    }
    neighAdd(n) {
        this.neigh('add', n);
    }
    neighReplace(n) {
        this.neigh('replace', n);
    }
    neighDel(dst, dev) {
        const what = `delete neighbour "${dst}" on "${dev}"`;
        this.request('ip', ['neigh', 'del', ipv4(what, 'dst', dst), 'dev', ifName(what, 'dev', dev)], what);
    }
    neighList() {
        const entries = JSON.parse(this.show('list neighbours', 'ip', ['-4', 'neigh', 'show']));
        return entries.map((n) => ({ dst: n.dst, dev: n.dev, ...(n.lladdr ? { lladdr: n.lladdr } : {}), state: n.state ?? [] }));
    }
    fdb(verb, f) {
        const what = `${verb === 'del' ? 'delete' : verb} fdb entry "${f.mac}" on "${f.dev}"`;
        const words = ['fdb', verb, mac(what, 'mac', f.mac), 'dev', ifName(what, 'dev', f.dev), ...opt('dst', f.dst, (v) => ipv4(what, 'dst', v))];
        words.push(...(f.master ? ['master'] : ['self']));
        if (verb !== 'del')
            words.push(f.master ? 'static' : 'permanent');
        this.request('bridge', words, what);
    }
    fdbAppend(f) {
        this.fdb('append', f);
    }
    fdbDel(f) {
        this.fdb('del', f);
    }
    fdbList(dev) {
        const what = 'list fdb entries';
        const entries = JSON.parse(this.show(what, 'bridge', ['fdb', 'show', ...opt('dev', dev, (v) => ifName(what, 'dev', v))]));
        return entries.map((e) => ({
            // Filtered by device, bridge leaves the device out of each entry.
            mac: e.mac, dev: e.ifname ?? dev, ...(e.master ? { master: e.master } : {}), ...(e.dst ? { dst: e.dst } : {}),
            self: (e.flags ?? []).includes('self'), state: e.state ?? '',
        }));
    }
    // ---- sysctl, iptables, ipset, ipvs ---------------------------------------------------------
    sysctlGet(key) {
        const what = `read sysctl "${key}"`;
        return this.host.exec(what, this.inNs(['sysctl', '-n', sysctlKey(what, key)])).trimEnd();
    }
    sysctlSet(key, value) {
        const what = `set sysctl "${key}" to "${value}"`;
        this.host.exec(what, this.inNs(['sysctl', '-q', '-w', `${sysctlKey(what, key)}=${sysctlValue(what, value)}`]));
    }
    iptablesRestore(table, text, opts = {}) {
        const what = `restore iptables table "${table}"`;
        oneOf(what, 'table', table, IPTABLES_TABLES);
        documentText(what, text);
        const tables = [...text.matchAll(/^\*(\S+)/gm)].map((m) => m[1]);
        if (tables.length !== 1 || tables[0] !== table) {
            throw new HostError(`Cannot ${what}: the text must hold exactly one "*${table}" block, it holds ${tables.length ? tables.map((t) => `"*${t}"`).join(', ') : 'none'}`, 'iptables-restore', 0);
        }
        this.host.exec(what, this.inNs(['iptables-restore', ...(opts.noflush ? ['--noflush'] : [])]), text);
    }
    iptablesSave(table) {
        const what = `save iptables table "${table}"`;
        return this.host.exec(what, this.inNs(['iptables-save', '-t', oneOf(what, 'table', table, IPTABLES_TABLES)]));
    }
    ipsetRestore(text) {
        this.host.exec('restore ipsets', this.inNs(['ipset', 'restore']), documentText('restore ipsets', text));
    }
    ipsetSave() {
        return this.host.exec('save ipsets', this.inNs(['ipset', 'save']));
    }
    ipvsadm(what, args) {
        const argv = this.inNs(['ipvsadm', ...args]);
        this.host.requireIpvs(argv.join(' '));
        return this.host.exec(what, argv);
    }
    static service(what, s) {
        const protocol = oneOf(what, 'protocol', s.protocol, ['tcp', 'udp']);
        return [protocol === 'udp' ? '-u' : '-t', `${ipv4(what, 'address', s.address)}:${uint(what, 'port', s.port, 0, 0xffff)}`];
    }
    ipvsServiceAdd(s) {
        const what = `add IPVS service ${s.protocol} ${s.address}:${s.port}`;
        this.ipvsadm(what, ['-A', ...ToolsNetHandle.service(what, s), '-s', oneOf(what, 'scheduler', s.scheduler ?? 'rr', IPVS_SCHEDULERS)]);
    }
    ipvsServiceDel(s) {
        const what = `delete IPVS service ${s.protocol} ${s.address}:${s.port}`;
        this.ipvsadm(what, ['-D', ...ToolsNetHandle.service(what, s)]);
    }
    ipvsDestAdd(s, d) {
        const what = `add IPVS destination ${d.address}:${d.port} to ${s.address}:${s.port}`;
        this.ipvsadm(what, [
            '-a', ...ToolsNetHandle.service(what, s), '-r', `${ipv4(what, 'address', d.address)}:${uint(what, 'port', d.port, 0, 0xffff)}`,
            '-m', '-w', uint(what, 'weight', d.weight ?? 1, 0, 0xffff),
        ]);
    }
    ipvsDestDel(s, d) {
        const what = `delete IPVS destination ${d.address}:${d.port} from ${s.address}:${s.port}`;
        this.ipvsadm(what, ['-d', ...ToolsNetHandle.service(what, s), '-r', `${ipv4(what, 'address', d.address)}:${uint(what, 'port', d.port, 0, 0xffff)}`]);
    }
    ipvsList() {
        return parseIpvsSave(this.ipvsadm('list IPVS services', ['-S', '-n']));
    }
}
/** `ipvsadm -S -n` lines (`-A -t VIP:PORT -s SCHED`, `-a -t VIP:PORT -r RIP:PORT -m -w W`) as records. */
export function parseIpvsSave(text) {
    const services = new Map();
    const hostPort = (s) => {
        const i = s.lastIndexOf(':');
        return [s.slice(0, i), Number(s.slice(i + 1))];
    };
    for (const line of text.split('\n')) {
        const w = line.trim().split(/\s+/);
        const proto = w[1] === '-u' ? 'udp' : 'tcp';
        const key = `${proto} ${w[2]}`;
        const flag = (f) => w[w.indexOf(f) + 1];
        if (w[0] === '-A') {
            const [address, port] = hostPort(w[2]);
            services.set(key, { protocol: proto, address, port, scheduler: flag('-s') ?? 'wlc', dests: [] });
        }
        else if (w[0] === '-a') {
            const [address, port] = hostPort(flag('-r'));
            services.get(key)?.dests.push({ address, port, weight: Number(flag('-w') ?? 1) });
        }
    }
    return [...services.values()];
}
function linkRecord(l) {
    const kind = l.linkinfo?.info_kind ?? (l.link_type === 'loopback' ? 'loopback' : l.link_type);
    const vx = kind === 'vxlan' ? l.linkinfo?.info_data : undefined;
    return {
        ifindex: l.ifindex,
        name: l.ifname,
        kind,
        flags: l.flags,
        mtu: l.mtu,
        operstate: l.operstate,
        mac: l.address ?? '',
        ...(l.master ? { master: l.master } : {}),
        ...(typeof l.link === 'string' ? { link: l.link } : {}),
        ...(l.link_index !== undefined ? { linkIndex: l.link_index } : {}),
        ...(l.link_netnsid !== undefined ? { linkNetnsId: l.link_netnsid } : {}),
        ...(vx
            ? { vxlan: { vni: vx.id ?? 0, ...(vx.local ? { local: vx.local } : {}), ...(vx.link ? { dev: vx.link } : {}), port: vx.port ?? 0, learning: vx.learning ?? true } }
            : {}),
    };
}
/** Whether the kernel has caught up with a link's flags (linkwatch updates operstate late on Linux). */
export function linkSettled(l) {
    const up = l.flags.includes('UP');
    const lower = l.flags.includes('LOWER_UP');
    const s = l.operstate;
    return !((up && lower && (s === 'DOWN' || s === 'LOWERLAYERDOWN')) || (up && !lower && s === 'UP') || (!up && s === 'UP'));
}
//# sourceMappingURL=tools.js.map