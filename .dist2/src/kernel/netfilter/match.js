// Rule matching: ipt_do_table's ip_packet_match plus each xt match's callback.
import { inPrefix } from '../../wire/index.js';
import { cached } from './cache.js';
/**
 * Whether a rule matches (ip_packet_match, then each match in order). Interpreted straight from
 * the immutable rule: with hundreds of thousands of rules, per-rule compiled closures cost more
 * memory, and so more cache misses, than they save.
 */
export function ruleMatches(rule, c, env) {
    const { src, dst, inIface, outIface, protocol } = rule;
    if (src && inPrefix(c.p.src, src.addr, src.len) === src.invert)
        return false;
    if (dst && inPrefix(c.p.dst, dst.addr, dst.len) === dst.invert)
        return false;
    if (inIface && !ifaceMatches(inIface, c.inDev))
        return false;
    if (outIface && !ifaceMatches(outIface, c.outDev))
        return false;
    if (protocol && protocol.proto !== 0 && (c.p.protocol === protocol.proto) === protocol.invert)
        return false;
    for (const m of rule.matches)
        if (!matchOne(m, c, env))
            return false;
    return true;
}
function ifaceMatches(m, dev) {
    const name = dev?.name ?? '';
    const hit = m.name.endsWith('+') ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
    return hit !== m.invert;
}
function inRange(r, port) {
    return port >= r.from && port <= r.to;
}
/** `-m statistic --mode nth`: the packet counter of each such match. */
const NTH = Symbol('nth');
function matchOne(m, c, env) {
    switch (m.kind) {
        case 'comment':
            return true;
        case 'tcp':
        case 'udp': {
            const l4 = c.p.payload;
            if (l4.kind !== m.kind)
                return false;
            if (m.sport && inRange(m.sport, l4.srcPort) === m.sport.invert)
                return false;
            if (m.dport && inRange(m.dport, l4.dstPort) === m.dport.invert)
                return false;
            if (m.kind === 'tcp' && l4.kind === 'tcp') {
                if (m.tcpFlags && ((l4.flags & m.tcpFlags.mask) === m.tcpFlags.comp) === m.tcpFlags.invert)
                    return false;
                if (m.syn && ((l4.flags & 0x17) === 0x02) === m.syn.invert)
                    return false;
            }
            return true;
        }
        case 'icmp': {
            const l4 = c.p.payload;
            if (l4.kind !== 'icmp')
                return false;
            if (!m.icmpType)
                return true;
            const hit = l4.type === m.icmpType.type && (m.icmpType.code === undefined || l4.code === m.icmpType.code);
            return hit !== m.icmpType.invert;
        }
        case 'mark':
            return (((c.mark & m.mask) >>> 0) === (m.value >>> 0)) !== m.invert;
        case 'statistic': {
            if (m.mode === 'random')
                return (env.rng.float() < m.probability) !== m.invert;
            const state = cached(m, NTH, () => ({ count: m.packet }));
            const hit = state.count === 0;
            state.count = state.count + 1 >= m.every ? 0 : state.count + 1;
            return hit !== m.invert;
        }
        case 'conntrack': {
            if (m.ctstate) {
                const st = ctStates(c);
                if (m.ctstate.states.some((s) => st.includes(s)) === m.ctstate.invert)
                    return false;
            }
            if (m.ctorigdst) {
                const od = c.ct?.conn.original.dst;
                if (od === undefined || inPrefix(od, m.ctorigdst.addr, m.ctorigdst.len) === m.ctorigdst.invert)
                    return false;
            }
            if (m.ctorigdstport) {
                const op = c.ct?.conn.original.dport;
                if (op === undefined || inRange(m.ctorigdstport, op) === m.ctorigdstport.invert)
                    return false;
            }
            return true;
        }
        case 'state':
            return m.states.some((s) => ctStates(c).includes(s)) !== m.invert;
        case 'addrtype': {
            if (m.srcType) {
                const t = env.addrType(c, c.p.src, m.limitIfaceIn ? c.inDev : undefined);
                if ((t === m.srcType.type) === m.srcType.invert)
                    return false;
            }
            if (m.dstType) {
                const t = env.addrType(c, c.p.dst, m.limitIfaceOut ? c.outDev : m.limitIfaceIn ? c.inDev : undefined);
                if ((t === m.dstType.type) === m.dstType.invert)
                    return false;
            }
            return true;
        }
        case 'set':
            return env.setMatch(m.name, m.flags, c) !== m.invert;
        case 'multiport': {
            const l4 = c.p.payload;
            if (l4.kind !== 'tcp' && l4.kind !== 'udp')
                return false;
            const hit = m.ports.some((r) => (m.which !== 'dports' && inRange(r, l4.srcPort)) || (m.which !== 'sports' && inRange(r, l4.dstPort)));
            return hit !== m.invert;
        }
        case 'recent':
            return env.recent(m, c) !== m.invert;
        case 'physdev': {
            // xt_physdev: only a frame on a bridge's path has physical devices at all.
            const ph = c.phys;
            if (!ph) {
                // Not on a bridge's path: it matches only if every option used is inverted.
                return [m.physdevIn, m.physdevOut, m.isIn, m.isOut, m.isBridged].every((o) => o === undefined || o.invert);
            }
            if (m.physdevIn && !ifaceMatches(m.physdevIn, ph.in))
                return false;
            if (m.physdevOut && !ifaceMatches(m.physdevOut, ph.out))
                return false;
            if (m.isIn && m.isIn.invert)
                return false;
            if (m.isOut && (ph.out !== undefined) === m.isOut.invert)
                return false;
            if (m.isBridged && (ph.out !== undefined) === m.isBridged.invert)
                return false;
            return true;
        }
    }
}
/** The states `-m conntrack --ctstate` tests: the ctinfo plus SNAT/DNAT when NAT applied. */
function ctStates(c) {
    if (!c.ct)
        return ['UNTRACKED'];
    const st = [c.ct.info];
    if (c.ct.conn.srcNat)
        st.push('SNAT');
    if (c.ct.conn.dstNat)
        st.push('DNAT');
    return st;
}
//# sourceMappingURL=match.js.map