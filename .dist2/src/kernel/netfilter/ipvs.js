import { be32Word, jhash3words } from './jhash.js';
import { IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3, IPVS_SCHEDULERS, makeScheduler, } from './ipvs-sched.js';
export { IPVS_SCHEDULERS, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3 };
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
/** IP_VS_VERSION_CODE 1.2.1 and the connection table size (1 << CONFIG_IP_VS_TAB_BITS, 12). */
export const IPVS_VERSION = '1.2.1';
export const IPVS_CONN_TAB_SIZE = 4096;
/** IPVS_SVC_PERSISTENT_TIMEOUT: the persistence `-p` gives without a value, seconds. */
export const IPVS_DEFAULT_PERSISTENCE = 300;
export class IpvsError extends Error {
    code;
    constructor(code, detail = code) {
        super(`ipvs: ${detail}`);
        this.code = code;
        this.name = 'IpvsError';
    }
}
/** Packet and byte counters with the estimator's rates (struct ip_vs_stats). */
export class IpvsStats {
    clock;
    conns = 0;
    inpkts = 0;
    outpkts = 0;
    inbytes = 0;
    outbytes = 0;
    // Zero point of `ipvsadm -Z` (kstats0).
    zero = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
    // ip_vs_estimator: scaled averages and last values.
    est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
    last = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
    nextTick;
    constructor(clock) {
        this.clock = clock;
        this.nextTick = clock.now() + ESTIMATOR_PERIOD_MS;
    }
    /** Runs the 2-second estimation ticks that fell due (before counters change or are read). */
    tick() {
        const now = this.clock.now();
        let ticks = 0;
        while (this.nextTick <= now) {
            this.nextTick += ESTIMATOR_PERIOD_MS;
            // After a long quiet spell every average has decayed to zero; skip the rest.
            if (++ticks > 256) {
                this.nextTick = now - (now % ESTIMATOR_PERIOD_MS) + ESTIMATOR_PERIOD_MS;
                this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
                this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
                break;
            }
            const step = (avg, rate) => avg + Math.floor((rate - avg) / 4);
            this.est.cps = step(this.est.cps, (this.conns - this.last.conns) * 512);
            this.est.inpps = step(this.est.inpps, (this.inpkts - this.last.inpkts) * 512);
            this.est.outpps = step(this.est.outpps, (this.outpkts - this.last.outpkts) * 512);
            this.est.inbps = step(this.est.inbps, (this.inbytes - this.last.inbytes) * 16);
            this.est.outbps = step(this.est.outbps, (this.outbytes - this.last.outbytes) * 16);
            this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
        }
    }
    /** What `ipvsadm --stats` and `--rate` print (ip_vs_copy_stats + ip_vs_read_estimator). */
    snapshot() {
        this.tick();
        return {
            conns: this.conns - this.zero.conns,
            inpkts: this.inpkts - this.zero.inpkts,
            outpkts: this.outpkts - this.zero.outpkts,
            inbytes: this.inbytes - this.zero.inbytes,
            outbytes: this.outbytes - this.zero.outbytes,
            cps: Math.floor((this.est.cps + 0x1ff) / 1024),
            inpps: Math.floor((this.est.inpps + 0x1ff) / 1024),
            outpps: Math.floor((this.est.outpps + 0x1ff) / 1024),
            inbps: Math.floor((this.est.inbps + 0xf) / 32),
            outbps: Math.floor((this.est.outbps + 0xf) / 32),
        };
    }
    /** ip_vs_zero_stats(): counters restart from now, rates are zeroed. */
    reset() {
        this.tick();
        this.zero = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
        this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
        this.last = { ...this.zero };
    }
    countConn() {
        this.tick();
        this.conns++;
    }
    countIn(len) {
        this.tick();
        this.inpkts++;
        this.inbytes += len;
    }
    countOut(len) {
        this.tick();
        this.outpkts++;
        this.outbytes += len;
    }
}
const ESTIMATOR_PERIOD_MS = 2000;
/** A real server of a service (struct ip_vs_dest). */
export class IpvsDest {
    svc;
    addr;
    port;
    weight;
    lastWeight;
    forward;
    uThreshold;
    lThreshold;
    activeConns = 0;
    inactConns = 0;
    persistConns = 0;
    overloaded = false;
    available = true;
    stats;
    /** When it went to the trash (deleted but still referenced), for IP_VS_DEST_TRASH_PERIOD. */
    trashedAt;
    constructor(svc, addr, port, opts, clock) {
        this.svc = svc;
        this.addr = addr;
        this.port = port;
        this.weight = opts.weight ?? 1;
        this.lastWeight = this.weight;
        this.forward = opts.forward;
        this.uThreshold = opts.uThreshold ?? 0;
        this.lThreshold = opts.lThreshold ?? 0;
        this.stats = new IpvsStats(clock);
    }
    get totalConns() {
        return this.activeConns + this.inactConns;
    }
}
/** A virtual service (struct ip_vs_service). */
export class IpvsService {
    key;
    scheduler;
    schedName;
    persistent;
    /** Persistence timeout, seconds. */
    timeout;
    netmask;
    onePacket;
    schedFlags;
    /** Destinations in kernel list order: the most recently added first. */
    dests = [];
    stats;
    /** Deleted destinations kept while connections still use them (ip_vs_trash_get_dest). */
    trash = [];
    constructor(key, opts, clock) {
        this.key = key;
        this.schedName = opts.scheduler;
        this.persistent = opts.persistent !== undefined;
        this.timeout = opts.persistent ?? 0;
        this.netmask = opts.netmask ?? 0xffffffff;
        this.onePacket = opts.onePacket ?? false;
        this.schedFlags = opts.schedFlags ?? 0;
        this.stats = new IpvsStats(clock);
    }
    /** The destination `addr:port` of this service, if any. */
    dest(addr, port) {
        return this.dests.find((d) => d.addr === addr && d.port === port);
    }
}
/** The TCP state names in kernel index order (IP_VS_TCP_S_*). */
const TCP_STATES = ['NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK'];
const S = { NO: 0, ES: 1, SS: 2, SR: 3, FW: 4, TW: 5, CL: 6, CW: 7, LA: 8, LI: 9, SA: 10 };
/** tcp_state_active_table: SYN_SENT, SYN_RECV, ESTABLISHED and SYNACK count as active. */
const TCP_ACTIVE = new Set([S.ES, S.SS, S.SR, S.SA]);
/** tcp_timeouts[] in seconds, by state index. */
const TCP_TIMEOUTS_S = [2, 15 * 60, 2 * 60, 60, 2 * 60, 2 * 60, 10, 60, 30, 2 * 60, 120];
const UDP_TIMEOUT_S = 5 * 60;
/**
 * tcp_states[]: next state for [row][current state], rows INPUT syn/fin/ack/rst, OUTPUT
 * syn/fin/ack/rst, INPUT-ONLY syn/fin/ack/rst (the kernel's table, not the secure_tcp one).
 */
const { NO: sNO, ES: sES, SS: sSS, SR: sSR, FW: sFW, TW: sTW, CL: sCL, CW: sCW, LA: sLA, LI: sLI, SA: sSA } = S;
const TCP_STATE_TABLE = [
    /* INPUT */
    /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
    /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
    /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
    /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR],
    /* OUTPUT */
    /* syn */ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
    /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
    /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
    /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
    /* INPUT-ONLY */
    /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
    /* fin */ [sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW],
    /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
    /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];
/** IP_VS_DEST_TRASH_PERIOD. */
const DEST_TRASH_PERIOD_MS = 120 * 1000;
function svcKeyString(k) {
    return k.fwmark ? `f${k.fwmark}` : `${k.protocol}|${k.addr}|${k.port}`;
}
/** The connection's state name as /proc/net/ip_vs_conn (and ipvsadm -c) prints it. */
export function connStateName(c) {
    if (c.template)
        return c.assured ? 'ASSURED' : 'NONE';
    if (c.protocol === IPPROTO_UDP)
        return 'UDP';
    if (c.protocol === IPPROTO_TCP)
        return TCP_STATES[c.stateIndex] ?? 'NONE';
    return 'NONE';
}
/** IPVS in one network namespace (struct netns_ipvs). */
export class Ipvs {
    clock;
    services = new Map();
    /** Connections by <protocol, client, virtual> (the IN direction), templates apart. */
    inConns = new Map();
    /** Connections by <protocol, server, client> (the OUT direction of a reply). */
    outConns = new Map();
    templates = new Map();
    templateKey = new WeakMap();
    expiry = [];
    seq = 0;
    connRnd;
    netnsBits;
    /** Totals over all services (ipvs->tot_stats). */
    totalStats;
    sysctl = {
        expire_nodest_conn: 0,
        expire_quiescent_template: 0,
        conn_reuse_mode: 1,
        sloppy_tcp: 0,
        lblc_expiration: 24 * 60 * 60,
        lblcr_expiration: 24 * 60 * 60,
    };
    tcpTimeouts = [...TCP_TIMEOUTS_S];
    udpTimeout = UDP_TIMEOUT_S;
    /** Services in the kernel's hash-table order, for unsorted dumps. */
    svcOrder = [];
    constructor(clock, opts) {
        this.clock = clock;
        this.connRnd = opts.random() >>> 0;
        this.netnsBits = opts.random() >>> 0;
        this.totalStats = new IpvsStats(clock);
    }
    // ---- control (ip_vs_ctl.c) ----------------------------------------------------------------
    /** Services in the order the kernel dumps them (service hash table, then fwmark table). */
    /** How many virtual services exist (cheap: the packet path asks on every hook). */
    get serviceCount() {
        return this.services.size;
    }
    listServices() {
        this.expire();
        return [...this.svcOrder];
    }
    getService(key) {
        this.expire();
        return this.services.get(svcKeyString(key));
    }
    must(key) {
        const svc = this.getService(key);
        if (!svc)
            throw new IpvsError('ESRCH', 'no such service');
        return svc;
    }
    /** ip_vs_svc_hashkey(): the bucket of the kernel's 256-entry service table. */
    svcBucket(k) {
        if (k.fwmark)
            return (k.fwmark & 0xff) + 0x100;
        const porth = k.port;
        const ahash = (k.addr ^ (this.netnsBits >>> 8)) >>> 0;
        return (k.protocol ^ ahash ^ (porth >>> 8) ^ porth) & 0xff;
    }
    reorder() {
        // hlist_add_head in each bucket: newest first within a bucket.
        const withIndex = [...this.services.values()];
        this.svcOrder = withIndex
            .map((s, i) => ({ s, i, b: this.svcBucket(s.key) }))
            .sort((a, b) => a.b - b.b || b.i - a.i)
            .map((x) => x.s);
    }
    /** Equivalent to: `ipvsadm -A -t|-u|-f KEY -s SCHED [-p [T]] [-M MASK]`. */
    addService(key, opts) {
        const k = svcKeyString(key);
        if (this.services.has(k))
            throw new IpvsError('EEXIST', 'service exists');
        if (!IPVS_SCHEDULERS.includes(opts.scheduler) && opts.scheduler !== 'none') {
            throw new IpvsError('ENOENT', `scheduler ${opts.scheduler} not found`);
        }
        const svc = new IpvsService(key, opts, this.clock);
        svc.scheduler = opts.scheduler === 'none' ? undefined : makeScheduler(opts.scheduler, svc);
        this.configureScheduler(svc);
        this.services.set(k, svc);
        this.reorder();
        return svc;
    }
    /** Equivalent to: `ipvsadm -E ...`: a new scheduler is bound only when the name changes. */
    editService(key, opts) {
        if (!IPVS_SCHEDULERS.includes(opts.scheduler) && opts.scheduler !== 'none') {
            throw new IpvsError('ENOENT', `scheduler ${opts.scheduler} not found`);
        }
        const svc = this.must(key);
        if (opts.scheduler !== svc.schedName) {
            svc.schedName = opts.scheduler;
            svc.scheduler = opts.scheduler === 'none' ? undefined : makeScheduler(opts.scheduler, svc);
        }
        svc.persistent = opts.persistent !== undefined;
        svc.timeout = opts.persistent ?? 0;
        svc.netmask = opts.netmask ?? 0xffffffff;
        svc.onePacket = opts.onePacket ?? false;
        svc.schedFlags = opts.schedFlags ?? 0;
        this.configureScheduler(svc);
        return svc;
    }
    configureScheduler(svc) {
        const s = svc.scheduler;
        if (s && 'expiration' in s)
            s.expiration = (s.name === 'lblcr' ? this.sysctl.lblcr_expiration : this.sysctl.lblc_expiration) * 1000;
    }
    /** Equivalent to: `ipvsadm -D ...`. Its servers go to the trash with their connections. */
    deleteService(key) {
        const svc = this.must(key);
        for (const d of svc.dests)
            this.trashDest(svc, d);
        svc.dests = [];
        this.services.delete(svcKeyString(key));
        this.reorder();
    }
    /** Equivalent to: `ipvsadm -C`. */
    flush() {
        for (const svc of [...this.services.values()])
            this.deleteService(svc.key);
    }
    /** Equivalent to: `ipvsadm -Z [service]`. */
    zero(key) {
        const zeroSvc = (svc) => {
            for (const d of svc.dests)
                d.stats.reset();
            svc.stats.reset();
        };
        if (key) {
            zeroSvc(this.must(key));
            return;
        }
        for (const svc of this.services.values())
            zeroSvc(svc);
        this.totalStats.reset();
    }
    /** Equivalent to: `ipvsadm -a KEY -r ADDR:PORT [-m|-g|-i] [-w W]`. */
    addDest(key, opts) {
        const svc = this.must(key);
        this.checkDest(opts);
        if (svc.dest(opts.addr, opts.port))
            throw new IpvsError('EEXIST', 'destination exists');
        if (isMulticastOrBroadcast(opts.addr))
            throw new IpvsError('EINVAL', 'destination not unicast');
        const fromTrash = svc.trash.findIndex((d) => d.addr === opts.addr && d.port === opts.port);
        let dest;
        if (fromTrash >= 0) {
            dest = svc.trash.splice(fromTrash, 1)[0];
            dest.trashedAt = undefined;
            dest.available = true;
        }
        else {
            dest = new IpvsDest(svc, opts.addr, opts.port, opts, this.clock);
        }
        this.updateDest(dest, opts, true);
        svc.dests.unshift(dest);
        svc.scheduler?.changed?.(svc, 'add', dest, 0);
        return dest;
    }
    /** Equivalent to: `ipvsadm -e KEY -r ADDR:PORT ...`. */
    editDest(key, opts) {
        const svc = this.must(key);
        this.checkDest(opts);
        const dest = svc.dest(opts.addr, opts.port);
        if (!dest)
            throw new IpvsError('ENOENT', 'no such destination');
        this.updateDest(dest, opts, false);
        svc.scheduler?.changed?.(svc, 'upd', dest, svc.dests.indexOf(dest));
        return dest;
    }
    /** Equivalent to: `ipvsadm -d KEY -r ADDR:PORT`. */
    deleteDest(key, addr, port) {
        const svc = this.must(key);
        const dest = svc.dest(addr, port);
        if (!dest)
            throw new IpvsError('ENOENT', 'no such destination');
        const index = svc.dests.indexOf(dest);
        svc.dests.splice(index, 1);
        this.trashDest(svc, dest);
        svc.scheduler?.changed?.(svc, 'del', dest, index);
    }
    checkDest(opts) {
        if ((opts.weight ?? 1) < 0)
            throw new IpvsError('ERANGE', 'weight below zero');
        if ((opts.lThreshold ?? 0) > (opts.uThreshold ?? 0))
            throw new IpvsError('ERANGE', 'lower threshold above upper');
    }
    /** __ip_vs_update_dest(). */
    updateDest(dest, opts, add) {
        const weight = opts.weight ?? 1;
        if (add || weight !== 0)
            dest.lastWeight = weight;
        dest.weight = weight;
        dest.forward = opts.forward;
        const u = opts.uThreshold ?? 0;
        if (u === 0 || u > dest.uThreshold)
            dest.overloaded = false;
        dest.uThreshold = u;
        dest.lThreshold = opts.lThreshold ?? 0;
        dest.available = true;
    }
    trashDest(svc, dest) {
        dest.available = false;
        dest.trashedAt = this.clock.now();
        svc.trash.push(dest);
        if (this.sysctl.expire_nodest_conn) {
            for (const c of [...this.inConns.values(), ...this.templates.values()])
                if (c.dest === dest && c.nControl === 0)
                    this.drop(c);
        }
    }
    /** The connection timeouts `ipvsadm --timeout` shows and `--set` changes (seconds; 0 keeps). */
    timeouts() {
        return { tcp: this.tcpTimeouts[S.ES], tcpfin: this.tcpTimeouts[S.FW], udp: this.udpTimeout };
    }
    setTimeouts(t) {
        if (t.tcp)
            this.tcpTimeouts[S.ES] = t.tcp;
        if (t.tcpfin)
            this.tcpTimeouts[S.FW] = t.tcpfin;
        if (t.udp)
            this.udpTimeout = t.udp;
    }
    // ---- the packet path (ip_vs_core.c) ----------------------------------------------------------
    /** ip_vs_service_find(): fwmark first, then <protocol, VIP, port>, then the port-zero service. */
    findService(protocol, vaddr, vport, fwmark = 0) {
        if (fwmark) {
            const s = this.services.get(`f${fwmark}`);
            if (s)
                return s;
        }
        return this.services.get(`${protocol}|${vaddr}|${vport}`) ?? this.services.get(`${protocol}|${vaddr}|0`);
    }
    /**
     * A new flow to a virtual service (ip_vs_in without a connection): picks a real server with
     * the service's scheduler (through a persistence template if the service is persistent),
     * creates the connection, counts it and its first packet, and moves its state. Returns
     * undefined when no service matches, when TCP without SYN must not be scheduled, or when no
     * server is available (the caller then sends ICMP port unreachable if `findService` matched).
     */
    schedule(pkt) {
        this.expire();
        const svc = this.findService(pkt.protocol, pkt.dst, pkt.dport, pkt.fwmark ?? 0);
        if (!svc)
            return undefined;
        if (pkt.protocol === IPPROTO_TCP && (pkt.tcp?.rst || !(this.sysctl.sloppy_tcp || pkt.tcp?.syn)))
            return undefined;
        let conn;
        if (svc.persistent)
            conn = this.schedPersist(svc, pkt);
        else {
            if (!svc.key.fwmark && pkt.dport !== svc.key.port)
                return undefined;
            const dest = svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now());
            if (!dest)
                return undefined;
            conn = this.newConn(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, dest, dest.port || pkt.dport, false);
            this.connStats(conn, svc);
        }
        if (!conn)
            return undefined;
        this.inPacket(conn, pkt);
        // One-packet scheduling: a UDP "connection" lives for its first datagram only.
        if (svc.onePacket && pkt.protocol === IPPROTO_UDP)
            this.unlink(conn);
        return { dest: conn.dest, conn };
    }
    schedPacket(pkt) {
        return { src: pkt.src, dst: pkt.dst, sport: pkt.sport, protocol: pkt.protocol };
    }
    /** ip_vs_sched_persist(). */
    schedPersist(svc, pkt) {
        const snet = (pkt.src & svc.netmask) >>> 0;
        let protocol = pkt.protocol;
        let vaddr = pkt.dst;
        let vport = 0;
        if (pkt.dport === svc.key.port) {
            if (svc.key.port !== FTPPORT)
                vport = pkt.dport;
        }
        else if (svc.key.fwmark) {
            protocol = 0;
            vaddr = svc.key.fwmark;
        }
        const tkey = `${protocol}|${snet}|0|${vaddr}|${vport}`;
        let ct = this.templates.get(tkey);
        if (ct && !this.checkTemplate(ct, tkey))
            ct = undefined;
        let dest;
        if (!ct) {
            const d = svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now());
            if (!d)
                return undefined;
            dest = d;
            const dport = pkt.dport === svc.key.port && svc.key.port !== FTPPORT ? dest.port : 0;
            ct = this.newTemplate(protocol, snet, vaddr, vport, dest, dport, tkey);
            ct.timeout = svc.timeout * 1000;
        }
        else {
            dest = ct.dest;
        }
        let dport = pkt.dport;
        if (dport === svc.key.port && dest.port)
            dport = dest.port;
        const cp = this.newConn(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, dest, dport, false);
        cp.control = ct;
        ct.nControl++;
        this.rearm(ct);
        this.connStats(cp, svc);
        return cp;
    }
    /** ip_vs_check_template(): a template to an unavailable (or quiesced, with the sysctl) server is invalidated. */
    checkTemplate(ct, tkey) {
        const d = ct.dest;
        if (!d || !d.available || (this.sysctl.expire_quiescent_template && d.weight === 0)) {
            // The template is re-keyed with ports 0xffff so nothing finds it; it expires on its own.
            if (ct.vport !== 0xffff) {
                this.templates.delete(tkey);
                ct.dport = 0xffff;
                ct.vport = 0xffff;
                ct.cport = 0;
                const dead = `dead|${ct.seq}`;
                this.templates.set(dead, ct);
                this.templateKey.set(ct, dead);
            }
            return false;
        }
        return true;
    }
    newTemplate(protocol, caddr, vaddr, vport, dest, dport, tkey) {
        const ct = this.makeConn(protocol, caddr, 0, vaddr, vport, dest, dport, true);
        dest.persistConns++;
        this.templates.set(tkey, ct);
        this.templateKey.set(ct, tkey);
        this.rearm(ct);
        return ct;
    }
    makeConn(protocol, caddr, cport, vaddr, vport, dest, dport, template) {
        return {
            protocol, caddr, cport, vaddr, vport, daddr: dest.addr, dport, template, dest, forward: dest.forward,
            stateIndex: 0, assured: false, inactive: true, noOutput: dest.forward !== 'masq', control: undefined, nControl: 0,
            timeout: 3000, expires: 0, seq: this.seq++, inTable: true,
        };
    }
    /** ip_vs_conn_new() + ip_vs_bind_dest(): new connections start inactive with a 3 s timer. */
    newConn(protocol, caddr, cport, vaddr, vport, dest, dport, template) {
        const c = this.makeConn(protocol, caddr, cport, vaddr, vport, dest, dport, template);
        dest.inactConns++;
        if (dest.uThreshold !== 0 && dest.totalConns >= dest.uThreshold)
            dest.overloaded = true;
        this.inConns.set(inKey(protocol, caddr, cport, vaddr, vport), c);
        this.outConns.set(outKey(c), c);
        this.rearm(c);
        return c;
    }
    connStats(c, svc) {
        c.dest.stats.countConn();
        svc.stats.countConn();
        this.totalStats.countConn();
    }
    /**
     * The connection of a later packet: 'in' for the client's packets to VIP:port, 'out' for the
     * real server's replies (masq: from the server's address and port; other methods: from the
     * VIP). Templates are never returned.
     */
    lookup(t) {
        this.expire();
        const inHit = this.inConns.get(inKey(t.protocol, t.src, t.sport, t.dst, t.dport));
        if (inHit)
            return { conn: inHit, dir: 'in' };
        const outHit = this.outConns.get(`${t.protocol}|${t.src}|${t.sport}|${t.dst}|${t.dport}`);
        if (outHit)
            return { conn: outHit, dir: 'out' };
        return undefined;
    }
    /**
     * The IN hook for a packet that may belong to IPVS (ip_vs_in): an existing connection, or a
     * newly scheduled one. A SYN may reuse the tuple of a TIME_WAIT/CLOSE connection
     * (conn_reuse_mode) and is then scheduled anew; a connection whose server left is dropped
     * (expire_nodest_conn) or its packet is. Accounts the packet on the connection.
     */
    packetIn(pkt) {
        const hit = this.lookup(pkt);
        let c = hit && hit.dir === 'in' ? hit.conn : undefined;
        const syn = pkt.protocol === IPPROTO_TCP && pkt.tcp?.syn === true;
        if (c && this.sysctl.conn_reuse_mode && syn) {
            let resched = false;
            if (this.sysctl.expire_nodest_conn && c.dest && c.dest.weight === 0)
                resched = true;
            else if (!c.control && (c.stateIndex === S.TW || c.stateIndex === S.CL || (this.sysctl.conn_reuse_mode & 2 && c.stateIndex === S.FW && c.noOutput)))
                resched = true;
            if (resched) {
                if (c.nControl === 0)
                    this.drop(c);
                c = undefined;
            }
        }
        if (c && c.dest && !c.dest.available) {
            if (!this.sysctl.expire_nodest_conn)
                return { kind: 'drop' };
            this.drop(c);
            c = undefined;
        }
        if (c) {
            this.inPacket(c, pkt);
            return { kind: 'forward', conn: c, dest: c.dest, created: false };
        }
        const svc = this.findService(pkt.protocol, pkt.dst, pkt.dport, pkt.fwmark ?? 0);
        if (!svc)
            return { kind: 'pass' };
        if (pkt.protocol === IPPROTO_TCP && (pkt.tcp?.rst || !(this.sysctl.sloppy_tcp || pkt.tcp?.syn)))
            return { kind: 'pass' };
        const s = this.schedule(pkt);
        if (!s)
            return { kind: 'unreachable' };
        return { kind: 'forward', ...s, created: true };
    }
    /** Accounts a client-to-server packet of a connection (ip_vs_in_stats + state + timer). */
    inPacket(c, pkt) {
        this.countIn(c, pkt.len ?? 0);
        this.setState(c, c.noOutput ? 'input-only' : 'input', pkt);
        this.rearm(c);
    }
    /** Accounts a server-to-client packet of a connection (ip_vs_out_stats + state + timer). */
    outPacket(c, pkt) {
        const d = c.dest;
        if (d && d.available) {
            d.stats.countOut(pkt.len ?? 0);
            d.svc.stats.countOut(pkt.len ?? 0);
            this.totalStats.countOut(pkt.len ?? 0);
        }
        c.noOutput = false;
        this.setState(c, 'output', pkt);
        this.rearm(c);
    }
    countIn(c, len) {
        const d = c.dest;
        if (d && d.available) {
            d.stats.countIn(len);
            d.svc.stats.countIn(len);
            this.totalStats.countIn(len);
        }
    }
    /** tcp_state_transition() / udp_state_transition(). */
    setState(c, dir, pkt) {
        if (c.protocol === IPPROTO_UDP) {
            if (dir === 'output')
                this.assure(c);
            c.timeout = this.udpTimeout * 1000;
            return;
        }
        if (c.protocol !== IPPROTO_TCP)
            return;
        const f = pkt.tcp ?? {};
        const idx = f.rst ? 3 : f.syn ? 0 : f.fin ? 1 : f.ack ? 2 : -1;
        const off = dir === 'input' ? 0 : dir === 'output' ? 4 : 8;
        const next = idx < 0 ? S.CL : TCP_STATE_TABLE[off + idx][c.stateIndex];
        if (next !== c.stateIndex) {
            const d = c.dest;
            if (d) {
                if (!c.inactive && !TCP_ACTIVE.has(next)) {
                    d.activeConns--;
                    d.inactConns++;
                    c.inactive = true;
                }
                else if (c.inactive && TCP_ACTIVE.has(next)) {
                    d.activeConns++;
                    d.inactConns--;
                    c.inactive = false;
                }
            }
            if (next === S.ES)
                this.assure(c);
        }
        c.stateIndex = next;
        c.timeout = this.tcpTimeouts[next] * 1000;
    }
    /** ip_vs_control_assure_ct(): the persistence template becomes ASSURED. */
    assure(c) {
        if (c.control && c.control.template)
            c.control.assured = true;
    }
    // ---- expiry (ip_vs_conn_expire) --------------------------------------------------------------
    rearm(c) {
        c.expires = this.clock.now() + c.timeout;
        heapPush(this.expiry, { at: c.expires, conn: c });
    }
    /** Runs the connection timers that fell due. */
    expire() {
        const now = this.clock.now();
        for (;;) {
            const top = this.expiry[0];
            if (!top || top.at > now)
                break;
            heapPop(this.expiry);
            const c = top.conn;
            if (!c.inTable || c.expires !== top.at)
                continue;
            if (c.nControl > 0) {
                // "expire_later": a template still controlling connections lives on, 60 s at a time.
                c.timeout = 60_000;
                c.expires = top.at + c.timeout;
                heapPush(this.expiry, { at: c.expires, conn: c });
                continue;
            }
            this.unlink(c);
        }
        this.collectTrash(now);
    }
    /** Removes a connection now (expire_nodest_conn, conn reuse). */
    drop(c) {
        if (c.nControl > 0)
            return;
        this.unlink(c);
    }
    unlink(c) {
        c.inTable = false;
        if (c.template) {
            const k = this.templateKey.get(c);
            if (k !== undefined && this.templates.get(k) === c)
                this.templates.delete(k);
        }
        else {
            this.inConns.delete(inKey(c.protocol, c.caddr, c.cport, c.vaddr, c.vport));
            this.outConns.delete(outKey(c));
        }
        if (c.control) {
            c.control.nControl--;
            c.control = undefined;
        }
        const d = c.dest;
        if (!d)
            return;
        if (c.template)
            d.persistConns--;
        else if (c.inactive)
            d.inactConns--;
        else
            d.activeConns--;
        // ip_vs_unbind_dest(): the overload flag clears below the lower threshold (or 3/4 of the upper).
        if (d.lThreshold !== 0) {
            if (d.totalConns < d.lThreshold)
                d.overloaded = false;
        }
        else if (d.uThreshold !== 0) {
            if (d.totalConns * 4 < d.uThreshold * 3)
                d.overloaded = false;
        }
        else
            d.overloaded = false;
    }
    collectTrash(now) {
        for (const svc of this.services.values()) {
            for (let i = svc.trash.length - 1; i >= 0; i--) {
                const d = svc.trash[i];
                if (d.totalConns + d.persistConns === 0 && now - (d.trashedAt ?? now) >= DEST_TRASH_PERIOD_MS)
                    svc.trash.splice(i, 1);
            }
        }
    }
    /**
     * The connection table as /proc/net/ip_vs_conn lists it: by hash bucket of
     * <protocol, client address, client port> (jhash_3words with a per-boot random), newest first
     * within a bucket. Includes persistence templates.
     */
    connections() {
        this.expire();
        const all = [...this.inConns.values(), ...this.templates.values()];
        const bucket = (c) => ((jhash3words(be32Word(c.caddr), ((c.cport >>> 8) | ((c.cport & 0xff) << 8)) >>> 0, c.protocol, this.connRnd) ^ (this.netnsBits >>> 8)) >>> 0) & (IPVS_CONN_TAB_SIZE - 1);
        return all.map((c) => ({ c, b: bucket(c) })).sort((x, y) => x.b - y.b || y.c.seq - x.c.seq).map((x) => x.c);
    }
    /** Seconds until a connection expires, as /proc prints it. */
    remaining(c) {
        return Math.max(0, Math.floor((c.expires - this.clock.now()) / 1000));
    }
}
const FTPPORT = 21;
function inKey(protocol, caddr, cport, vaddr, vport) {
    return `${protocol}|${caddr}|${cport}|${vaddr}|${vport}`;
}
/** ip_vs_conn_out_get(): replies come from the server (masq) or from the VIP (other methods). */
function outKey(c) {
    const [saddr, sport] = c.forward === 'masq' ? [c.daddr, c.dport] : [c.vaddr, c.vport];
    return `${c.protocol}|${saddr}|${sport}|${c.caddr}|${c.cport}`;
}
function isMulticastOrBroadcast(addr) {
    return addr >>> 28 === 0xe || addr === 0xffffffff || addr === 0;
}
function heapPush(h, e) {
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
        const p = (i - 1) >> 1;
        if (h[p].at <= h[i].at)
            break;
        [h[p], h[i]] = [h[i], h[p]];
        i = p;
    }
}
function heapPop(h) {
    const last = h.pop();
    if (!h.length || !last)
        return;
    h[0] = last;
    let i = 0;
    for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l].at < h[m].at)
            m = l;
        if (r < h.length && h[r].at < h[m].at)
            m = r;
        if (m === i)
            break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
    }
}
// ---- per-namespace accessor -------------------------------------------------------------------
const instances = new WeakMap();
/** The IPVS instance of a network namespace, created on first use (randoms from the world's Rng). */
export function ipvsOf(ns) {
    let v = instances.get(ns);
    if (!v) {
        const rng = ns.kernel.rng;
        v = new Ipvs(ns.kernel.clock, { random: () => rng.u32() });
        instances.set(ns, v);
    }
    return v;
}
//# sourceMappingURL=ipvs.js.map