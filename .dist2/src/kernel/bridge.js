// A Linux bridge (net/bridge): ports, a learning forwarding database with ageing, flooding,
// hairpin, and delivery up to the bridge device's own stack. STP is off, as kind's and CNI
// bridges run, so a port forwards as soon as it is up.
import { isMulticastMac } from '../wire/index.js';
import { KernelError } from './errors.js';
import { Link } from './link.js';
import { netifReceive } from './rx.js';
import { trace } from './trace.js';
import { devXmit } from './xmit.js';
import { nfHook } from './netfilter.js';
import { withData } from './skb.js';
/** BR_DEFAULT_AGEING_TIME: 300 s. */
export const BRIDGE_AGEING_MS = 300_000;
export class Bridge extends Link {
    kind = 'bridge';
    ports = [];
    fdb = new Map();
    ageingTime = BRIDGE_AGEING_MS;
    stpState = 0;
    /** Centiseconds, as `ip -d link` prints: forward_delay 1500, hello_time 200, max_age 2000. */
    forwardDelay = 1500;
    helloTime = 200;
    maxAge = 2000;
    priority = 32768;
    vlanFiltering = 0;
    /** Whether a port was ever added: from then on carrier follows the ports (br_port_carrier_check). */
    hadPorts = false;
    /** A new bridge has carrier; once it has had ports, only while one of them forwards. */
    get carrier() {
        return this.hadPorts ? this.ports.some((p) => p.dev.operational) : true;
    }
    /** Until its first port a bridge never signalled carrier, so it reads UNKNOWN; then UP or DOWN. */
    get signalsCarrier() {
        return this.hadPorts;
    }
    portOf(dev) {
        return this.ports.find((p) => p.dev === dev);
    }
    /** br_add_if(): `ip link set DEV master BRIDGE`. */
    addPort(dev) {
        if (dev === this || dev.kind === 'loopback' || !dev.hasEthernetHeader)
            throw new KernelError('EINVAL');
        if (dev.master) {
            if (dev.master === this)
                return;
            throw new KernelError('EBUSY');
        }
        dev.master = this;
        this.hadPorts = true;
        this.ports.push({ dev, hairpin: false, learning: true, flood: true });
        dev.rxHandler = (skb) => this.handleFrame(dev, skb);
        dev.promiscuity++;
        this.recalculateMac();
    }
    /** br_del_if(): `ip link set DEV nomaster`, or the port being deleted. */
    removePort(dev) {
        const i = this.ports.findIndex((p) => p.dev === dev);
        if (i < 0)
            return;
        this.ports.splice(i, 1);
        dev.master = undefined;
        dev.rxHandler = undefined;
        dev.promiscuity--;
        for (const [mac, e] of this.fdb)
            if (e.port === dev)
                this.fdb.delete(mac);
        this.recalculateMac();
    }
    /**
     * br_stp_recalculate_bridge_id(): unless the user set the bridge's address, it takes the
     * numerically lowest port address.
     */
    recalculateMac() {
        if (this.macSetByUser)
            return;
        // Without ports the bridge id, and so the address, falls back to all zeros.
        this.mac = this.ports.map((p) => p.dev.mac).sort()[0] ?? '00:00:00:00:00:00';
    }
    /** A port's address changed: the bridge may adopt it. */
    portAddressChanged() {
        this.recalculateMac();
    }
    /**
     * The forwarding database as `bridge fdb show` lists it: local entries of ports and the
     * bridge, then learned and static ones; aged entries are gone.
     */
    entries() {
        const now = this.netns.kernel.clock.now();
        const out = [];
        for (const p of this.ports)
            out.push({ mac: p.dev.mac, port: p.dev, local: true, static: true, updated: 0 });
        out.push({ mac: this.mac, port: this, local: true, static: true, updated: 0 });
        for (const e of this.fdb.values())
            if (e.static || now - e.updated < this.ageingTime)
                out.push(e);
        return out;
    }
    /**
     * br_fdb_delete_by_port(): a port that stops forwarding (it or the bridge went down) loses
     * its learned entries; static ones stay.
     */
    forgetLearned(port) {
        for (const [mac, e] of this.fdb)
            if (!e.static && (port === undefined || e.port === port))
                this.fdb.delete(mac);
    }
    /**
     * `bridge fdb add MAC dev PORT master [permanent|static|dynamic]`: `permanent` (the default)
     * is a local entry — frames to it go up to the bridge; `static` forwards to the port and never
     * ages; `dynamic` forwards and ages like a learned entry.
     */
    fdbAdd(mac, port, replace, state = 'permanent') {
        if (!this.portOf(port))
            throw new KernelError('EINVAL');
        if (this.fdb.has(mac) && !replace)
            throw new KernelError('EEXIST');
        this.fdb.set(mac, { mac, port, local: state === 'permanent', static: state !== 'dynamic', updated: this.netns.kernel.clock.now() });
    }
    fdbDel(mac) {
        if (!this.fdb.delete(mac))
            throw new KernelError('ENOENT');
    }
    /** The port that owns `mac` (or the bridge for a local address), if the entry is live. */
    lookup(mac) {
        if (mac === this.mac)
            return { mac, port: this, local: true, static: true, updated: 0 };
        for (const p of this.ports)
            if (p.dev.mac === mac)
                return { mac, port: p.dev, local: true, static: true, updated: 0 };
        const e = this.fdb.get(mac);
        if (!e)
            return undefined;
        if (!e.static && this.netns.kernel.clock.now() - e.updated >= this.ageingTime) {
            this.fdb.delete(mac);
            return undefined;
        }
        return e;
    }
    learn(port, mac) {
        if (!port.learning || isMulticastMac(mac) || this.lookup(mac)?.local)
            return;
        const now = this.netns.kernel.clock.now();
        const e = this.fdb.get(mac);
        if (e?.static)
            return;
        if (e && e.port === port.dev)
            e.updated = now;
        else
            this.fdb.set(mac, { mac, port: port.dev, local: false, static: false, updated: now });
    }
    /** br_handle_frame() → br_handle_frame_finish(): a frame arrived on a port. */
    handleFrame(dev, skb) {
        const port = this.portOf(dev);
        if (!this.adminUp)
            return true;
        const f = skb.data;
        this.learn(port, f.src);
        if (isMulticastMac(f.dst)) {
            trace(skb, this.netns, this, 'bridge', () => `${f.dst} is broadcast/multicast: flood and deliver to ${this.name}`);
            this.flood(skb, port);
            this.deliverLocal(skb);
            return true;
        }
        const e = this.lookup(f.dst);
        if (e?.local) {
            trace(skb, this.netns, this, 'bridge', () => `${f.dst} is local: deliver to ${this.name}`);
            this.deliverLocal(skb);
        }
        else if (e) {
            if (e.port === dev && !port.hairpin) {
                trace(skb, this.netns, this, 'drop', () => `${f.dst} is behind the ingress port ${dev.name} (no hairpin)`);
                return true;
            }
            trace(skb, this.netns, this, 'bridge', () => `fdb: ${f.dst} is behind ${e.port.name}`);
            const out = this.netfilter(skb, dev, e.port);
            if (out)
                devXmit(e.port, out);
        }
        else {
            trace(skb, this.netns, this, 'bridge', () => `${f.dst} unknown: flood`);
            this.flood(skb, port);
        }
        return true;
    }
    /**
     * br_netfilter: with net.bridge.bridge-nf-call-iptables on, an IPv4 frame the bridge forwards
     * passes PREROUTING, FORWARD and POSTROUTING as if routed (in and out device: the bridge; the
     * ports are what -m physdev sees), so conntrack and NAT see bridged flows too. Coarse: a DNAT
     * on this path rewrites the packet but does not re-route it, and floods skip the hooks.
     */
    netfilter(skb, inPort, outPort) {
        const f = skb.data;
        if (f.payload.kind !== 'ipv4' || this.netns.sysctl.get('net/bridge/bridge-nf-call-iptables') === '0')
            return skb;
        const phys = { in: inPort, out: outPort };
        let ip = withData(skb, f.payload);
        ip = nfHook(this.netns, 'PREROUTING', ip, this, undefined, { in: inPort });
        if (ip)
            ip = nfHook(this.netns, 'FORWARD', ip, this, this, phys);
        if (ip)
            ip = nfHook(this.netns, 'POSTROUTING', ip, undefined, this, phys);
        return ip && withData(ip, { ...f, payload: ip.data });
    }
    deliverLocal(skb) {
        // The frame re-enters the stack on the bridge device (br_pass_frame_up → netif_receive_skb).
        netifReceive(this, skb);
    }
    flood(skb, from) {
        for (const p of this.ports) {
            if (p === from && !p.hairpin)
                continue;
            if (!p.flood || !p.dev.operational)
                continue;
            devXmit(p.dev, skb);
        }
    }
    /** br_dev_xmit(): the host sends through the bridge device. */
    transmit(skb) {
        const f = skb.data;
        if (isMulticastMac(f.dst)) {
            this.flood(skb, undefined);
            return;
        }
        const e = this.lookup(f.dst);
        if (e && !e.local) {
            trace(skb, this.netns, this, 'bridge', () => `fdb: ${f.dst} is behind ${e.port.name}`);
            devXmit(e.port, skb);
        }
        else if (!e) {
            trace(skb, this.netns, this, 'bridge', () => `${f.dst} unknown: flood`);
            this.flood(skb, undefined);
        }
    }
}
//# sourceMappingURL=bridge.js.map