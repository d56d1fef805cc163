// A working copy of one table while a command or an iptables-restore block applies to it
// (copy, apply, commit on success — the committed Table is never touched). Each operation makes
// the checks iptables makes in user space (they throw at once: "iptables: Chain already exists.")
// and those the kernel makes when the batch is committed (collected: "RULE_APPEND failed
// (Invalid argument)"): targets allowed only in some tables and hooks, jumps to built-in chains,
// loops reachable from a hook, deleting a chain that is referenced or not empty.
import { BAD_RULE, ENOENT_CHAIN, errnoError, IptablesError, paramError } from './rulespec-error.js';
import { allowedHooks, HOOK_BITS, validInTable } from './tables-checks.js';
import { internChain, internTable, ruleText } from './tables-intern.js';
import { TABLE_CHAINS } from './types.js';
const jumpOf = (r) => (r.target.kind === 'jump' ? r.target.chain : undefined);
export const NO_FACTS = { builtins: new Set(), order: [], countedPolicies: new Set() };
export class TableDraft {
    name;
    base;
    chains = new Map();
    builtins;
    countedPolicies;
    /** User chains in creation order (a Set keeps insertion order). */
    order;
    /** Whether the table exists in the kernel (iptables-save prints only those). */
    exists;
    chainSetChanged = false;
    refs;
    hooks;
    failures = [];
    /** Rules this draft added (their counters start at zero). */
    added = [];
    counters = { rules: new Map(), policies: new Map(), moves: [], flushed: false };
    constructor(name, base, facts = NO_FACTS) {
        this.name = name;
        this.base = base;
        this.exists = base !== undefined;
        this.builtins = new Set(facts.builtins);
        this.countedPolicies = new Set(facts.countedPolicies);
        this.order = new Set(facts.order);
        if (base && this.order.size !== base.chains.size - TABLE_CHAINS[name].length) {
            for (const n of base.chains.keys())
                if (!this.isBuiltin(n))
                    this.order.add(n);
        }
        if (base)
            for (const c of base.chains.values())
                this.chains.set(c.name, { name: c.name, policy: c.policy, rules: c.rules, owned: false, base: c, changed: false });
        else
            this.resetBuiltins();
    }
    resetBuiltins() {
        for (const b of TABLE_CHAINS[this.name])
            this.chains.set(b, { name: b, policy: 'ACCEPT', rules: [], owned: true, base: undefined, changed: true });
    }
    isBuiltin(name) {
        return TABLE_CHAINS[this.name].includes(name);
    }
    has(name) {
        return this.chains.has(name);
    }
    get(name) {
        const c = this.chains.get(name);
        if (!c)
            throw errnoError(ENOENT_CHAIN);
        return c;
    }
    /** A chain nf_tables has: a user chain, or a built-in chain something has created. */
    kernelChain(name) {
        const c = this.get(name);
        if (this.isBuiltin(name) && !this.builtins.has(name))
            throw errnoError(ENOENT_CHAIN);
        return c;
    }
    /** The facts to keep with the committed table. */
    facts() {
        return { builtins: new Set(this.builtins), order: [...this.order], countedPolicies: new Set(this.countedPolicies) };
    }
    writable(name) {
        const c = this.get(name);
        if (!c.owned) {
            c.rules = [...c.rules];
            c.owned = true;
        }
        c.changed = true;
        return c;
    }
    /** Jump references per chain (computed on first use, then kept up to date). */
    refMap() {
        if (!this.refs) {
            this.refs = new Map();
            for (const c of this.chains.values())
                for (const r of c.rules)
                    this.countRef(r, 1);
        }
        return this.refs;
    }
    countRef(r, d) {
        const j = jumpOf(r);
        if (j === undefined)
            return;
        if (d < 0)
            this.hooks = undefined;
        if (this.refs)
            this.refs.set(j, (this.refs.get(j) ?? 0) + d);
    }
    references(name) {
        return this.refMap().get(name) ?? 0;
    }
    /** The hooks each chain is reached from (recomputed after deletions, grown on additions). */
    hookMap() {
        if (!this.hooks) {
            const hooks = new Map();
            for (const b of TABLE_CHAINS[this.name]) {
                const bit = HOOK_BITS[b];
                const stack = [b];
                while (stack.length) {
                    const n = stack.pop();
                    const h = hooks.get(n) ?? 0;
                    if (h & bit)
                        continue;
                    hooks.set(n, h | bit);
                    for (const r of this.chains.get(n)?.rules ?? []) {
                        const j = jumpOf(r);
                        if (j !== undefined)
                            stack.push(j);
                    }
                }
            }
            this.hooks = hooks;
        }
        return this.hooks;
    }
    fail(op, err, object, line) {
        this.failures.push({ op, err, object, line });
        return false;
    }
    /** The kernel's checks for adding `r` to `chain`; records a failure and returns false when refused. */
    kernelCheck(chain, r, op, line) {
        const what = `rule in chain ${chain}`;
        if (!validInTable(this.name, r))
            return this.fail(op, 'Invalid argument', what, line);
        const hooks = this.hookMap();
        const h = hooks.get(chain) ?? 0;
        if (h & ~allowedHooks(r))
            return this.fail(op, 'Invalid argument', what, line);
        const j = jumpOf(r);
        if (j === undefined)
            return true;
        if (this.isBuiltin(j))
            return this.fail(op, 'Operation not supported', what, line);
        // Loops are refused only once a hook reaches them (nft_chain_validate runs from base chains).
        if (h === 0)
            return true;
        // Everything reachable from the jump's target now runs at the chain's hooks too.
        const state = new Map();
        const visit = (name) => {
            if (name === chain)
                return 'Too many links';
            const s = state.get(name);
            if (s === 'open')
                return 'Too many links';
            if (s === 'done')
                return undefined;
            state.set(name, 'open');
            for (const rule of this.chains.get(name)?.rules ?? []) {
                if (h & ~allowedHooks(rule))
                    return 'Invalid argument';
                const next = jumpOf(rule);
                if (next !== undefined) {
                    const bad = visit(next);
                    if (bad)
                        return bad;
                }
            }
            state.set(name, 'done');
            return undefined;
        };
        const bad = visit(j);
        if (bad)
            return this.fail(op, bad, what, line);
        for (const name of state.keys())
            hooks.set(name, (hooks.get(name) ?? 0) | h);
        return true;
    }
    /** iptables checks a jump's chain when it reads the rule: `Chain 'X' does not exist`. */
    checkJump(r) {
        const j = jumpOf(r);
        if (j !== undefined && !this.chains.has(j))
            throw paramError(`Chain '${j}' does not exist`);
    }
    addRule(chain, index, r, op, line, counters) {
        this.checkJump(r);
        const c = this.writable(chain);
        if (!this.kernelCheck(chain, r, op, line))
            return;
        c.rules.splice(index, 0, r);
        this.added.push(r);
        this.countRef(r, 1);
        this.exists = true;
        if (this.isBuiltin(chain))
            this.builtins.add(chain);
        if (counters)
            this.counters.rules.set(r, { ...counters });
    }
    /** Equivalent to: `iptables -A chain rule`. */
    append(chain, r, line = 0, counters) {
        const len = this.get(chain).rules.length;
        this.addRule(chain, len, r, 'RULE_APPEND', line, counters);
    }
    /** Equivalent to: `iptables -I chain [num] rule` (num is 1-based). */
    insert(chain, num, r, line = 0, counters) {
        this.checkJump(r);
        if (num > this.get(chain).rules.length + 1)
            throw errnoError('Index of insertion too big.');
        this.addRule(chain, num - 1, r, 'RULE_INSERT', line, counters);
    }
    /** Equivalent to: `iptables -R chain num rule`. */
    replace(chain, num, r, line = 0, counters) {
        this.checkJump(r);
        if (num > this.kernelChain(chain).rules.length)
            throw errnoError('Index of replacement too big.');
        this.removeAt(chain, num - 1);
        this.addRule(chain, num - 1, r, 'RULE_REPLACE', line, counters);
    }
    removeAt(chain, index) {
        const c = this.writable(chain);
        const [old] = c.rules.splice(index, 1);
        this.countRef(old, -1);
    }
    /** The 0-based position of the first rule equal to `r` (same iptables-save text), or -1. */
    find(chain, r) {
        const text = ruleText(r);
        return this.get(chain).rules.findIndex((x) => ruleText(x) === text);
    }
    /** Equivalent to: `iptables -D chain rule`. */
    deleteRule(chain, r) {
        this.checkJump(r);
        const i = this.find(chain, r);
        if (i < 0)
            throw errnoError(BAD_RULE);
        this.removeAt(chain, i);
    }
    /** Equivalent to: `iptables -D chain num`. */
    deleteNum(chain, num) {
        if (num > this.kernelChain(chain).rules.length)
            throw errnoError('Index of deletion too big.');
        this.removeAt(chain, num - 1);
    }
    /** Equivalent to: `iptables -C chain rule`: throws unless such a rule exists. */
    check(chain, r) {
        this.checkJump(r);
        if (this.find(chain, r) < 0)
            throw errnoError(BAD_RULE);
    }
    /** Equivalent to: `iptables -N name`. */
    newChain(name) {
        if (this.chains.has(name))
            throw errnoError('Chain already exists.');
        this.chains.set(name, { name, policy: undefined, rules: [], owned: true, base: undefined, changed: true });
        this.order.add(name);
        this.chainSetChanged = true;
        this.exists = true;
    }
    /** An iptables-restore `:name policy [p:b]` line: creates the chain or flushes it; sets a built-in's policy. */
    declare(name, policy, counters) {
        this.exists = true;
        if (this.isBuiltin(name)) {
            if (policy !== 'ACCEPT' && policy !== 'DROP')
                throw errnoError('Bad policy name.');
            this.writable(name).policy = policy;
            this.builtins.add(name);
            this.countedPolicies.add(name);
            if (counters)
                this.counters.policies.set(name, { ...counters });
            return;
        }
        if (this.chains.has(name))
            this.flush(name);
        else
            this.newChain(name);
    }
    /** Equivalent to: `iptables -X [name]` (without a name: every user chain). */
    deleteChain(name, line = 0) {
        const names = name !== undefined ? [this.get(name).name] : [...this.order].filter((n) => this.chains.has(n));
        for (const n of names) {
            const c = this.chains.get(n);
            if (this.isBuiltin(n) || c.rules.length > 0 || this.references(n) > 0) {
                this.fail('CHAIN_DEL', 'Device or resource busy', `chain ${n}`, line);
                return;
            }
        }
        for (const n of names)
            this.chains.delete(n);
        for (const n of names)
            this.order.delete(n);
        if (names.length)
            this.chainSetChanged = true;
    }
    /** Equivalent to: `iptables -F [chain]`. */
    flush(chain) {
        const names = chain !== undefined ? [this.get(chain).name] : [...this.chains.keys()];
        for (const n of names) {
            const c = this.chains.get(n);
            if (c.rules.length === 0)
                continue;
            for (const r of c.rules)
                this.countRef(r, -1);
            c.rules = [];
            c.owned = true;
            c.changed = true;
        }
    }
    /** Equivalent to: `iptables -Z [chain [num]]`. */
    zero(chain, num) {
        if (num !== undefined) {
            const c = this.chains.get(chain);
            if (!c || (this.isBuiltin(chain) && !this.builtins.has(chain)))
                throw errnoError(BAD_RULE);
            const r = c.rules[num - 1];
            if (r)
                this.counters.rules.set(r, { packets: 0, bytes: 0 });
            return;
        }
        const names = chain !== undefined ? [this.kernelChain(chain).name] : [...this.chains.keys()];
        for (const n of names) {
            const c = this.chains.get(n);
            for (const r of c.rules)
                this.counters.rules.set(r, { packets: 0, bytes: 0 });
            if (c.policy !== undefined)
                this.counters.policies.set(n, { packets: 0, bytes: 0 });
        }
    }
    /** Equivalent to: `iptables -P chain policy`. */
    setPolicy(chain, policy, counters) {
        if (!this.isBuiltin(chain))
            throw errnoError('Bad built-in chain name.');
        if (policy !== 'ACCEPT' && policy !== 'DROP')
            throw errnoError('Bad policy name.');
        this.writable(chain).policy = policy;
        this.exists = true;
        this.builtins.add(chain);
        if (counters)
            this.counters.policies.set(chain, { ...counters });
    }
    /** Equivalent to: `iptables -E old new`; jumps to the chain follow it, as in nf_tables. */
    rename(from, to) {
        const c = this.get(from);
        if (this.chains.has(to))
            throw errnoError('File exists.');
        // nf_tables renames a base chain too, leaving iptables unable to tell what it is: not emulated.
        if (this.isBuiltin(from))
            return;
        this.chains.delete(from);
        this.order = new Set([...this.order].map((n) => (n === from ? to : n)));
        this.chains.set(to, { name: to, policy: c.policy, rules: c.rules, owned: c.owned, base: undefined, changed: true });
        this.chainSetChanged = true;
        for (const w of this.chains.values()) {
            if (!w.rules.some((r) => jumpOf(r) === from))
                continue;
            const wc = this.writable(w.name);
            wc.rules = wc.rules.map((r) => {
                if (jumpOf(r) !== from || r.target.kind !== 'jump')
                    return r;
                const moved = { ...r, target: { ...r.target, chain: to } };
                this.counters.moves.push([r, moved]);
                return moved;
            });
        }
        this.refs = undefined;
        this.hooks = undefined;
    }
    /** iptables-restore without --noflush: the table starts empty (nf_tables deletes it). */
    flushTable() {
        this.chains.clear();
        this.resetBuiltins();
        this.builtins.clear();
        this.countedPolicies.clear();
        this.order = new Set();
        this.exists = false;
        this.chainSetChanged = true;
        this.refs = new Map();
        this.hooks = undefined;
        this.counters.rules.clear();
        this.counters.policies.clear();
        this.counters.flushed = true;
    }
    /** The draft as it stands, as a (not interned) Table: what a listing inside a restore shows. */
    view() {
        const builtins = TABLE_CHAINS[this.name];
        const names = [...builtins, ...[...this.chains.keys()].filter((n) => !builtins.includes(n)).sort()];
        return { name: this.name, chains: new Map(names.map((n) => [n, { name: n, policy: this.chains.get(n).policy, rules: [...this.chains.get(n).rules] }])) };
    }
    /** Rules of a chain as they stand in the draft. */
    rulesOf(chain) {
        return this.get(chain).rules;
    }
    /** Throws the collected kernel refusals, if any (the batch is then dropped whole). */
    throwFailures() {
        if (this.failures.length)
            throw new IptablesError({ kind: 'netlink', failures: this.failures });
    }
    /**
     * The committed form: the new Table (interned: identical rule sets share objects), or
     * undefined when the table does not exist; `replaced` and `fresh` tell counters where to go.
     */
    build() {
        const replaced = [];
        if (!this.exists)
            return { table: undefined, replaced, fresh: [] };
        const builtins = TABLE_CHAINS[this.name];
        const names = this.chainSetChanged || !this.base
            ? [...builtins, ...[...this.chains.keys()].filter((n) => !builtins.includes(n)).sort()]
            : [...this.base.chains.keys()];
        const chains = new Map();
        let same = this.base !== undefined && names.length === this.base.chains.size;
        for (const n of names) {
            const w = this.chains.get(n);
            let c;
            if (!w.changed && w.base)
                c = w.base;
            else {
                const fresh = { name: n, policy: w.policy, rules: w.rules };
                c = internChain(this.name, fresh);
                if (c !== fresh)
                    c.rules.forEach((r, i) => replaced.push([w.rules[i], r]));
            }
            if (same && this.base.chains.get(n) !== c)
                same = false;
            chains.set(n, c);
        }
        const shared = new Map(replaced);
        const fresh = this.added.map((r) => shared.get(r) ?? r);
        if (same)
            return { table: this.base, replaced, fresh };
        return { table: internTable({ name: this.name, chains }), replaced, fresh };
    }
}
const empties = new Map();
/** A table that does not exist, as iptables lists it: its built-in chains, empty, policy ACCEPT. */
export function emptyTable(name) {
    let t = empties.get(name);
    if (!t) {
        const d = new TableDraft(name, undefined);
        d.exists = true;
        t = d.build().table;
        empties.set(name, t);
    }
    return t;
}
export const TABLE_NAMES = ['raw', 'mangle', 'nat', 'filter'];
export function isTableName(name) {
    return TABLE_NAMES.includes(name);
}
/** One command of an iptables command line or restore line, applied to a draft. */
export function applyCommand(d, cmd, line) {
    const chain = cmd.chain;
    switch (cmd.command) {
        case 'append':
            return d.append(chain, cmd.rule, line, cmd.counters);
        case 'insert':
            return d.insert(chain, cmd.rulenum ?? 1, cmd.rule, line, cmd.counters);
        case 'replace':
            return d.replace(chain, cmd.rulenum, cmd.rule, line, cmd.counters);
        case 'delete':
            return cmd.rulenum !== undefined ? d.deleteNum(chain, cmd.rulenum) : d.deleteRule(chain, cmd.rule);
        case 'check':
            return d.check(chain, cmd.rule);
        case 'newChain':
            return d.newChain(chain);
        case 'deleteChain':
            return d.deleteChain(cmd.chain, line);
        case 'flush':
            return d.flush(cmd.chain);
        case 'zero':
            return d.zero(cmd.chain, cmd.rulenum);
        case 'policy':
            return d.setPolicy(chain, cmd.policy, cmd.counters);
        case 'rename':
            if (!d.has(chain))
                throw new IptablesError({ kind: 'errno', message: ENOENT_CHAIN });
            return d.rename(chain, cmd.newName);
        case 'list':
        case 'listRules':
        case 'version':
            return;
    }
}
//# sourceMappingURL=tables-draft.js.map