// Rule sets identical across namespaces are stored once: a committed Chain is interned by its
// canonical text (table, name, policy, rules as iptables-save prints them) and a committed Table
// by the identity of its chains, so two nodes restoring the same kube-proxy payload hold the same
// Chain and Table objects — and share whatever an evaluator caches per Chain. Pools hold weak
// references: a rule set no namespace uses any more is collected.
import { cached } from './cache.js';
import { saveRule } from './rulespec-save.js';
const TEXT = Symbol('ruleText');
const CHAIN_ID = Symbol('chainId');
/** A rule's specification as iptables-save prints it (cached on the Rule object). */
export function ruleText(rule) {
    return cached(rule, TEXT, (r) => flat(saveRule(r)));
}
/**
 * A string built piece by piece is a rope of cons strings; reading one character makes V8
 * flatten it in place, so a string cached for good does not keep its pieces alive.
 */
function flat(s) {
    s.charCodeAt(0);
    return s;
}
function chainId(c) {
    return c[CHAIN_ID];
}
class WeakPool {
    refs = new Map();
    registry = new FinalizationRegistry((key) => {
        if (this.refs.get(key)?.deref() === undefined)
            this.refs.delete(key);
    });
    get(key) {
        return this.refs.get(key)?.deref();
    }
    add(key, value) {
        this.refs.set(key, new WeakRef(value));
        this.registry.register(value, key);
    }
}
const chains = new WeakPool();
const tables = new WeakPool();
let nextChainId = 1;
/** The canonical text of a chain, built flat with join (repeated `+=` would keep a rope of cons strings alive). */
function chainKey(table, c) {
    return [table, c.name, c.policy ?? '-', ...c.rules.map(ruleText)].join('\n');
}
/**
 * The shared Chain equal to `c` (same table, name, policy and rule texts), registering `c` when
 * there is none. The shared chain's rules correspond to `c`'s by position.
 */
export function internChain(table, c) {
    if (chainId(c) !== undefined)
        return c;
    const key = chainKey(table, c);
    const shared = chains.get(key);
    if (shared)
        return shared;
    chains.add(key, c);
    cached(c, CHAIN_ID, () => nextChainId++);
    return c;
}
/** The shared Table made of exactly these (interned) chains, registering `t` when there is none. */
export function internTable(t) {
    let key = t.name;
    for (const c of t.chains.values()) {
        const id = chainId(c);
        if (id === undefined)
            throw new Error(`internTable: chain ${c.name} of ${t.name} is not interned`);
        key += `,${id}`;
    }
    const shared = tables.get(key);
    if (shared)
        return shared;
    tables.add(key, t);
    return t;
}
//# sourceMappingURL=tables-intern.js.map