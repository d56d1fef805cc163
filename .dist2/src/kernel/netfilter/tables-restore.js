// iptables-restore 1.8.9 (nf_tables) payloads: `*table` opens a block (flushing the table unless
// --noflush), `:CHAIN POLICY [p:b]` declares or flushes a chain, other lines are iptables command
// lines (quoted with "..."), `COMMIT` commits the block atomically. Lines are parsed as they are
// read (a syntax error stops at its line); the block's commands run at COMMIT in order, so a
// missing chain is reported at the command's line and a jump to a missing chain at the COMMIT
// line, as the real tool reports them. Blocks committed before a failing one stay applied.
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { checkChainName, parseCommand } from './rulespec.js';
import { applyCommand, isTableName } from './tables-draft.js';
/**
 * Splits a payload line into words as iptables-restore does: blanks separate words outside
 * double quotes; inside them a backslash escapes the next character and the closing quote ends
 * the word. Single quotes are ordinary characters. An unterminated quote runs to the end of the
 * line, newline included.
 */
export function splitRestoreLine(line) {
    if (!line.includes('"'))
        return line.split(/[ \t\n]+/).filter((w) => w !== '');
    const words = [];
    let word = '';
    let started = false;
    let quoted = false;
    let escaped = false;
    for (const ch of line) {
        if (quoted) {
            if (escaped) {
                word += ch;
                escaped = false;
            }
            else if (ch === '\\')
                escaped = true;
            else if (ch === '"') {
                words.push(word);
                word = '';
                started = false;
                quoted = false;
            }
            else
                word += ch;
        }
        else if (ch === '"') {
            quoted = true;
            started = true;
        }
        else if (ch === ' ' || ch === '\t' || ch === '\n') {
            if (started)
                words.push(word);
            word = '';
            started = false;
        }
        else {
            word += ch;
            started = true;
        }
    }
    if (started)
        words.push(word);
    return words;
}
const plain = (message) => new IptablesError({ kind: 'plain', message });
function parseCounters(text) {
    const m = /^\[(\d+):(\d+)\]$/.exec(text ?? '');
    return m ? { packets: Number(m[1]), bytes: Number(m[2]) } : undefined;
}
function runBlock(state, table, steps, commitLine, opts, records) {
    const start = state.table(table);
    const startFacts = state.factsOf(table);
    const d = state.draft(table);
    let out = '';
    for (const s of steps) {
        try {
            if (s.kind === 'flush')
                d.flushTable();
            else if (s.kind === 'declare')
                d.declare(s.name, s.policy, opts.counters ? s.counters : undefined);
            else if (s.cmd.command === 'list' || s.cmd.command === 'listRules') {
                out += state.listing(s.cmd, d.view(), true);
                if (s.cmd.zero)
                    d.zero(s.cmd.chain);
            }
            else
                applyCommand(d, s.cmd, s.line);
        }
        catch (e) {
            if (e instanceof IptablesError)
                throw e.at(e.failure.kind === 'param' ? commitLine : s.line);
            throw e;
        }
    }
    if (opts.test)
        d.throwFailures();
    else {
        const committed = state.commit(d);
        records?.push({ start, startFacts, committed });
    }
    return out;
}
const CACHE = new Map();
const CACHE_SIZE = 8;
const sameFacts = (a, b) => a.order.length === b.order.length && a.builtins.size === b.builtins.size && a.order.every((n, i) => n === b.order[i]) && [...a.builtins].every((n) => b.builtins.has(n));
function replay(state, hit, noflush) {
    if (state.setExists && !hit.sets.every((n) => state.setExists(n)))
        return false;
    if (noflush) {
        // Each block must start from what it started from then (earlier blocks included).
        const now = new Map();
        for (const b of hit.blocks) {
            const name = b.committed.name;
            const cur = now.get(name) ?? { table: state.table(name), facts: state.factsOf(name) };
            if (cur.table !== b.start || !sameFacts(cur.facts, b.startFacts))
                return false;
            now.set(name, { table: b.committed.table, facts: b.committed.facts });
        }
    }
    for (const b of hit.blocks)
        state.adopt(b.committed);
    return true;
}
/** Applies a payload to `state` (see IptablesState.restore). */
export function restorePayload(state, text, opts) {
    const cacheable = !opts.counters && !opts.test;
    const key = `${opts.noflush ? 'noflush' : 'flush'} ${opts.table ?? '-'}\n${text}`;
    if (cacheable) {
        const hit = CACHE.get(key);
        if (hit && replay(state, hit, opts.noflush ?? false)) {
            CACHE.delete(key);
            CACHE.set(key, hit);
            return '';
        }
    }
    // Listings, -Z and -c counters make a payload's effect more than its tables: not memoised.
    let records = cacheable ? [] : undefined;
    const sets = new Set();
    let out = '';
    let table;
    let skip = false;
    let steps = [];
    let lineNo = 0;
    let pos = 0;
    const setExists = state.setExists;
    while (pos < text.length) {
        const nl = text.indexOf('\n', pos);
        const line = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
        pos = nl < 0 ? text.length : nl + 1;
        lineNo++;
        const bare = line.endsWith('\n') ? line.slice(0, -1) : line;
        try {
            if (bare === '' || bare.startsWith('#'))
                continue;
            if (table === undefined && bare.startsWith('*')) {
                const name = bare.slice(1).trim();
                if (!isTableName(name))
                    throw paramError(`iptables-restore: line ${lineNo} table name '${name}' invalid`);
                table = name;
                skip = opts.table !== undefined && opts.table !== name;
                steps = opts.noflush ? [] : [{ kind: 'flush', line: lineNo }];
                continue;
            }
            if (table !== undefined && bare === 'COMMIT') {
                if (!skip)
                    out += runBlock(state, table, steps, lineNo, opts, records);
                table = undefined;
                continue;
            }
            if (table === undefined)
                throw plain(`line ${lineNo} failed`);
            if (skip)
                continue;
            if (bare.startsWith(':')) {
                const words = bare.slice(1).trim().split(/\s+/);
                const name = words[0] ?? '';
                if (name === '')
                    throw paramError(`iptables-restore: line ${lineNo} chain name invalid`);
                checkChainName(name);
                if (words[1] === undefined)
                    throw paramError(`iptables-restore: line ${lineNo} policy invalid`);
                steps.push({ kind: 'declare', name, policy: words[1], counters: parseCounters(words[2]), line: lineNo });
                continue;
            }
            const words = splitRestoreLine(line);
            let counters;
            if (words[0]?.startsWith('[')) {
                counters = parseCounters(words.shift());
                if (counters === undefined)
                    throw badArgument(line.trim());
            }
            const cmd = parseCommand(words, { restore: true, table, ...(setExists ? { setExists } : {}) });
            if (cmd.command === 'version')
                throw badArgument(words[0]);
            steps.push({ kind: 'command', cmd: opts.counters && counters ? { ...cmd, counters } : cmd, line: lineNo });
            if (cmd.command === 'list' || cmd.command === 'listRules' || cmd.command === 'zero' || cmd.zero || cmd.counters)
                records = undefined;
            for (const m of cmd.rule?.matches ?? [])
                if (m.kind === 'set')
                    sets.add(m.name);
        }
        catch (e) {
            if (e instanceof IptablesError && e.line === 0)
                throw e.at(lineNo);
            throw e;
        }
    }
    if (table !== undefined)
        throw plain(`COMMIT expected at line ${lineNo + 1}`);
    if (records) {
        CACHE.set(key, { blocks: records, sets: [...sets] });
        if (CACHE.size > CACHE_SIZE)
            CACHE.delete(CACHE.keys().next().value);
    }
    return out;
}
//# sourceMappingURL=tables-restore.js.map