// Chain traversal (ipt_do_table): first match wins, jumps push a return point, goto does not,
// RETURN pops, a built-in chain's end applies its policy. Hot chains are indexed by exact
// destination address, so a lookup in KUBE-SERVICES with 100,000 rules visits only the rules
// for the packet's destination plus those that match any destination — in their original order.
import { ipLength } from '../xmit.js';
import { cached } from './cache.js';
import { ruleMatches } from './match.js';
const INDEX = Symbol('index');
/** The chain's destination index (cached on the immutable chain, see cache.ts). */
function indexOf(chain) {
    return cached(chain, INDEX, (c) => {
        const byDst = new Map();
        const wild = [];
        c.rules.forEach((r, i) => {
            if (r.dst && r.dst.len === 32 && !r.dst.invert) {
                const list = byDst.get(r.dst.addr);
                if (list)
                    list.push(i);
                else
                    byDst.set(r.dst.addr, [i]);
            }
            else {
                wild.push(i);
            }
        });
        return { byDst, wild };
    });
}
/** The positions of `chain` that can match a packet to `dst`, ascending (first-match order kept). */
function candidates(chain, dst) {
    const ix = indexOf(chain);
    if (ix.byDst.size === 0)
        return ix.wild;
    const exact = ix.byDst.get(dst);
    if (!exact)
        return ix.wild;
    if (ix.wild.length === 0)
        return exact;
    const out = [];
    let i = 0;
    let j = 0;
    while (i < exact.length || j < ix.wild.length) {
        if (j >= ix.wild.length || (i < exact.length && exact[i] < ix.wild[j]))
            out.push(exact[i++]);
        else
            out.push(ix.wild[j++]);
    }
    return out;
}
/**
 * Runs one table's built-in chain on a packet. MARK and LOG act and continue; the NAT targets
 * end traversal with the binding to make. Returns accept when the policy (or a RETURN from the
 * built-in chain) lets it through.
 */
export function runChain(rs, tableName, hook, ctx, env, trace) {
    const table = rs.table(tableName);
    const start = table?.chains.get(hook);
    if (!table || !start)
        return { kind: 'accept' };
    const bytes = ipLength(ctx.p);
    const stack = [];
    let chain = start;
    let list = candidates(chain, ctx.p.dst);
    let at = 0;
    for (let guard = 0; guard < 1_000_000; guard++) {
        if (at >= list.length) {
            // The end of a user chain returns; the end of the built-in chain applies its policy.
            const back = stack.pop();
            if (back) {
                ({ chain, list, at } = back);
                continue;
            }
            // iptables-nft counts policy hits only on built-in chains an iptables-restore declared.
            const policy = chain.policy ?? 'ACCEPT';
            if (rs.countsPolicy(tableName, chain.name)) {
                const pc = rs.policyCounters(tableName, chain.name);
                pc.packets++;
                pc.bytes += bytes;
            }
            trace(() => `${tableName} ${chain.name}: policy ${policy}`);
            return policy === 'ACCEPT' ? { kind: 'accept' } : { kind: 'drop', reason: `${tableName} ${chain.name} policy DROP` };
        }
        const rule = chain.rules[list[at]];
        at++;
        if (!ruleMatches(rule, ctx, env))
            continue;
        const c = rs.counters(rule);
        c.packets++;
        c.bytes += bytes;
        const name = chain.name;
        trace(() => `${tableName} ${rs.describe(name, rule)}`);
        const t = rule.target;
        switch (t.kind) {
            case 'none':
            case 'LOG':
                continue;
            case 'MARK':
                ctx.mark = ((ctx.mark & ~t.mask) ^ t.value) >>> 0;
                continue;
            case 'ACCEPT':
                return { kind: 'accept' };
            case 'DROP':
                return { kind: 'drop', reason: `${tableName} ${rs.describe(name, rule)}` };
            case 'REJECT':
                return { kind: 'reject', target: t };
            case 'DNAT':
            case 'SNAT':
            case 'MASQUERADE':
                return { kind: 'nat', target: t };
            case 'RETURN': {
                // RETURN pops a return point; from the built-in chain itself it means "apply the policy".
                const back = stack.pop();
                if (back)
                    ({ chain, list, at } = back);
                else
                    at = list.length;
                continue;
            }
            case 'jump': {
                const next = table.chains.get(t.chain);
                if (!next)
                    return { kind: 'drop', reason: `jump to missing chain ${t.chain}` };
                if (!t.goto)
                    stack.push({ chain, list, at });
                chain = next;
                list = candidates(chain, ctx.p.dst);
                at = 0;
                continue;
            }
        }
    }
    return { kind: 'drop', reason: `${tableName} ${hook}: rule loop` };
}
//# sourceMappingURL=eval.js.map