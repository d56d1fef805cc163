// The iptables 1.8.9 command line: commands (-A/-I/-D/-R/-C/-N/-X/-F/-Z/-P/-E/-S/-L), their
// options, and the rule specification (-s/-d/-i/-o/-p, -m modules, -j/-g targets) parsed into a
// Rule (types.ts). Options may come in any order and short options may be bundled (`-nvL`), as
// getopt_long allows; a module's options exist once it is loaded (`-m`, or implicitly by `-p tcp`).
// Errors are IptablesErrors carrying the real tool's text (rulespec-error.ts).
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { mergeable, newMatch } from './rulespec-match.js';
import { protocolNumber } from './rulespec-names.js';
import { isTargetName, newTarget } from './rulespec-target.js';
import { notSupported, parseAddressMask } from './rulespec-values.js';
const COMMANDS = {
    A: 'append', C: 'check', D: 'delete', I: 'insert', R: 'replace', L: 'list', S: 'listRules',
    F: 'flush', Z: 'zero', N: 'newChain', X: 'deleteChain', P: 'policy', E: 'rename', V: 'version',
};
const LONG = {
    append: 'A', check: 'C', delete: 'D', insert: 'I', replace: 'R', list: 'L', 'list-rules': 'S', flush: 'F',
    zero: 'Z', 'new-chain': 'N', new: 'N', 'delete-chain': 'X', policy: 'P', 'rename-chain': 'E', version: 'V',
    table: 't', numeric: 'n', verbose: 'v', exact: 'x', 'line-numbers': '0', wait: 'w', 'wait-interval': 'W',
    source: 's', src: 's', destination: 'd', dst: 'd', protocol: 'p', 'in-interface': 'i', 'out-interface': 'o',
    jump: 'j', goto: 'g', match: 'm', 'set-counters': 'c', fragment: 'f', modprobe: 'M', ipv4: '4', help: 'h',
};
/** Short options that take an argument (the rest of a bundle, or the next word). */
const WITH_ARG = new Set(['A', 'C', 'D', 'I', 'R', 'N', 'P', 'E', 't', 's', 'd', 'p', 'i', 'o', 'j', 'g', 'm', 'c', 'W', 'M']);
/** Commands whose chain is optional (taken only from a following word that is not an option). */
const OPTIONAL_CHAIN = new Set(['L', 'S', 'F', 'Z', 'X']);
/** Options checked against the command: which of them each command refuses (`Illegal option`). */
const OPTION_NAMES = { n: '-n', s: '-s', d: '-d', p: '-p', j: '-j', v: '-v', x: '-x', i: '-i', o: '-o', '0': '--line-numbers', c: '-c', f: '-f' };
const ALL_BUT_V = 'nsdpjxio0cf';
const ILLEGAL = {
    insert: 'nx0', delete: 'nx0c', replace: 'nx0', append: 'nx0', check: 'nx0c', list: 'sdpjiocf',
    flush: ALL_BUT_V, zero: ALL_BUT_V, newChain: ALL_BUT_V, deleteChain: ALL_BUT_V, policy: 'nsdpjxio0f',
    rename: ALL_BUT_V, listRules: ALL_BUT_V, version: '',
};
const BUILTIN_IN_ONLY = new Set(['PREROUTING', 'INPUT']);
const BUILTIN_OUT_ONLY = new Set(['OUTPUT', 'POSTROUTING']);
class CommandParser {
    argv;
    opts;
    commands = [];
    table = 'filter';
    chain;
    rulenum;
    newName;
    policy;
    counters;
    used = new Set();
    srcText;
    dstText;
    inIface;
    outIface;
    protocol;
    matches = [];
    target;
    i = 0;
    invert = false;
    constructor(argv, opts) {
        this.argv = argv;
        this.opts = opts;
    }
    parse() {
        const argv = this.argv;
        while (this.i < argv.length) {
            const tok = argv[this.i++];
            if (tok === '!') {
                if (this.invert)
                    throw paramError('multiple consecutive ! not allowed');
                this.invert = true;
                continue;
            }
            if (tok.length < 2 || !tok.startsWith('-'))
                throw badArgument(tok);
            if (tok.startsWith('--')) {
                const eq = tok.indexOf('=');
                const name = tok.slice(2, eq < 0 ? undefined : eq);
                const inline = eq < 0 ? undefined : tok.slice(eq + 1);
                const letter = LONG[name];
                if (letter !== undefined)
                    this.option(letter, inline, tok);
                else
                    this.extOption(name, inline);
                continue;
            }
            for (let j = 1; j < tok.length; j++) {
                const c = tok[j];
                const rest = tok.slice(j + 1);
                if (WITH_ARG.has(c) || OPTIONAL_CHAIN.has(c) || c === 'w') {
                    this.option(c, rest === '' ? undefined : rest, `-${c}`);
                    break;
                }
                this.option(c, undefined, `-${c}`);
            }
        }
        if (this.invert)
            throw paramError("unexpected '!' flag");
        return this.finish();
    }
    /** The next word if it is not an option (how iptables takes optional arguments). */
    peek() {
        const next = this.argv[this.i];
        if (next === undefined || next.startsWith('-') || next === '!')
            return undefined;
        this.i++;
        return next;
    }
    required(inline, shown) {
        if (inline !== undefined)
            return inline;
        const next = this.argv[this.i];
        if (next === undefined)
            throw paramError(`option "${shown}" requires an argument`);
        this.i++;
        return next;
    }
    takeInvert(what) {
        const inv = this.invert;
        this.invert = false;
        if (inv && what !== '')
            throw paramError(what);
        return inv;
    }
    option(c, inline, shown) {
        const command = COMMANDS[c];
        if (command !== undefined)
            return this.command(c, inline, shown);
        switch (c) {
            case 't': {
                this.takeInvert('unexpected ! flag before --table');
                const t = this.required(inline, shown);
                if (this.opts.restore)
                    throw paramError('The -t option cannot be used in iptables-restore.\n');
                this.table = t;
                return;
            }
            case 'n':
            case 'v':
            case 'x':
            case '0':
            case 'f':
                this.takeInvert(c === 'f' ? '' : `cannot have ! before ${OPTION_NAMES[c]}`);
                if (c === 'f')
                    throw notSupported('Matching fragments (-f)');
                this.used.add(c);
                return;
            case 'w':
                this.takeInvert("unexpected '!' flag");
                if (inline === undefined)
                    this.peek();
                return;
            case 'W':
            case 'M':
                this.takeInvert("unexpected '!' flag");
                this.required(inline, shown);
                return;
            case '4':
                return;
            case 'h':
                throw notSupported('iptables --help');
            case 's':
            case 'd': {
                const invert = this.takeInvert('');
                const arg = this.required(inline, shown);
                if (this.used.has(c))
                    throw paramError(`multiple -${c} flags not allowed`);
                this.used.add(c);
                // Addresses are resolved after the whole line is read, as iptables does.
                if (c === 's')
                    this.srcText = { text: arg, invert };
                else
                    this.dstText = { text: arg, invert };
                return;
            }
            case 'i':
            case 'o': {
                const invert = this.takeInvert('');
                const name = this.required(inline, shown);
                if (this.used.has(c))
                    throw paramError(`multiple -${c} flags not allowed`);
                this.used.add(c);
                if (name.length > 15)
                    throw paramError(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`);
                const m = name === '+' && !invert ? undefined : { name, invert };
                if (c === 'i')
                    this.inIface = m;
                else
                    this.outIface = m;
                return;
            }
            case 'p': {
                const invert = this.takeInvert('');
                const arg = this.required(inline, shown);
                if (this.used.has('p'))
                    throw paramError('multiple -p flags not allowed');
                this.used.add('p');
                const proto = protocolNumber(arg);
                if (proto === undefined)
                    throw paramError(`unknown protocol "${arg}" specified`);
                this.protocol = proto === 0 && !invert ? undefined : { proto, invert };
                return;
            }
            case 'j':
            case 'g': {
                this.takeInvert(`cannot have ! before -${c}`);
                const name = this.required(inline, shown);
                if (this.used.has('j'))
                    throw paramError('multiple -j flags not allowed');
                this.used.add('j');
                this.target = newTarget(name, c === 'g');
                return;
            }
            case 'm': {
                this.takeInvert('unexpected ! flag before --match');
                this.matches.push(newMatch(this.required(inline, shown)));
                return;
            }
            case 'c': {
                this.takeInvert('cannot have ! before -c');
                const packets = inline ?? this.argv[this.i++];
                const bytes = this.argv[this.i];
                if (packets === undefined || bytes === undefined || bytes.startsWith('-') || bytes === '!')
                    throw paramError('-c requires packet and byte counter');
                this.i++;
                if (!/^\d+$/.test(packets))
                    throw paramError('-c packet counter not numeric');
                if (!/^\d+$/.test(bytes))
                    throw paramError('-c byte counter not numeric');
                this.used.add('c');
                this.counters = { packets: Number(packets), bytes: Number(bytes) };
                return;
            }
        }
        throw paramError(`unknown option "${shown}"`);
    }
    command(c, inline, shown) {
        this.takeInvert("unexpected '!' flag");
        for (const prev of this.commands) {
            const ok = (prev === 'L' || prev === 'S') ? c === 'Z' : prev === 'Z' ? c === 'L' || c === 'S' : false;
            if (!ok)
                throw paramError(`Cannot use -${c} with -${prev}`);
        }
        this.commands.push(c);
        const chain = OPTIONAL_CHAIN.has(c) ? (inline ?? this.peek()) : c === 'V' ? undefined : this.required(inline, shown);
        if (chain !== undefined)
            this.chain = chain;
        const rulenum = (word) => {
            if (word === undefined)
                return undefined;
            if (!/^\d+$/.test(word) || Number(word) < 1 || Number(word) > 0x7fffffff)
                throw paramError(`Invalid rule number \`${word}'`);
            return Number(word);
        };
        switch (c) {
            case 'D':
            case 'I':
                this.rulenum = rulenum(this.peek());
                break;
            case 'R': {
                const n = this.peek();
                if (n === undefined)
                    throw paramError('-R requires a rule number');
                this.rulenum = rulenum(n);
                break;
            }
            case 'L':
            case 'S':
            case 'Z':
                if (chain !== undefined)
                    this.rulenum = rulenum(this.peek()) ?? this.rulenum;
                break;
            case 'P':
                this.policy = this.peek();
                if (this.policy === undefined)
                    throw paramError('-P requires a chain and a policy');
                break;
            case 'E':
                this.newName = this.peek();
                if (this.newName === undefined)
                    throw paramError('-E requires old-chain-name and new-chain-name');
                break;
        }
    }
    extOption(name, inline) {
        const invert = this.takeInvert('');
        let found = this.findExt(name);
        if (!found && this.protocol) {
            const implicit = { 6: 'tcp', 17: 'udp', 1: 'icmp' }[this.protocol.proto];
            if (implicit && !this.matches.some((m) => m.name === implicit)) {
                this.matches.push(newMatch(implicit));
                found = this.findExt(name);
            }
        }
        if (!found)
            throw paramError(`unknown option "--${name}"`);
        const { ext, spec } = found;
        const args = [];
        if (spec.args >= 1)
            args.push(this.required(inline, `--${name}`));
        if (spec.args === 2) {
            const next = this.argv[this.i];
            if (next === undefined || next.startsWith('-') || next === '!') {
                if (spec.name === 'tcp-flags')
                    throw paramError('--tcp-flags requires two args.');
                throw paramError("You must specify `--match-set' with proper arguments");
            }
            this.i++;
            args.push(next);
        }
        ext.parse(spec.name, args, invert);
    }
    findExt(name) {
        // A module loaded twice (`-m mark … -m mark …`) takes its options into the latest copy.
        const exts = [...(this.target ? [this.target] : []), ...[...this.matches].reverse()];
        for (const ext of exts) {
            const spec = ext.options.find((o) => o.name === name || o.aliases?.includes(name));
            if (spec)
                return { ext, spec };
        }
        return undefined;
    }
    finish() {
        if (this.commands.length === 0)
            throw paramError('no command specified');
        const letter = this.commands.find((c) => c !== 'Z') ?? 'Z';
        const command = COMMANDS[letter];
        const table = this.opts.table ?? this.table;
        if (table === 'nat' && (this.policy === 'DROP' || this.target?.name === 'DROP')) {
            throw paramError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
        }
        // In iptables' order: the modules' own final checks, addresses, then the command's checks.
        const ctx = { protocol: this.protocol, ...(this.opts.setExists ? { setExists: this.opts.setExists } : {}) };
        const parsers = [];
        for (const m of this.matches) {
            const first = parsers.find((p) => mergeable(p, m));
            if (first)
                first.merge(m);
            else
                parsers.push(m);
        }
        const matches = parsers.map((m) => m.finish(ctx));
        const target = this.target ? this.target.finish(ctx) : { kind: 'none' };
        const addr = (a) => {
            if (!a)
                return undefined;
            const { addr: ip, len } = parseAddressMask(a.text);
            return len === 0 && !a.invert ? undefined : { addr: ip, len, invert: a.invert };
        };
        const src = addr(this.srcText);
        const dst = addr(this.dstText);
        const names = this.commands.map((c) => COMMANDS[c]);
        for (const o of this.used) {
            if (names.every((n) => ILLEGAL[n].includes(o)))
                throw paramError(`Illegal option \`${OPTION_NAMES[o]}' with this command`);
        }
        const chain = this.chain;
        if (chain !== undefined && chain.length > 28 && command !== 'list' && command !== 'listRules') {
            throw paramError(`chain name \`${chain}' too long (must be under 29 chars)`);
        }
        if (command === 'newChain')
            checkChainName(chain);
        let rule;
        if (['append', 'check', 'delete', 'insert', 'replace'].includes(command) && !(command === 'delete' && this.rulenum !== undefined)) {
            if (this.outIface && BUILTIN_IN_ONLY.has(chain))
                throw paramError(`Can't use -o with ${chain}\n`);
            if (this.inIface && BUILTIN_OUT_ONLY.has(chain))
                throw paramError(`Can't use -i with ${chain}\n`);
            rule = {
                ...(src ? { src } : {}),
                ...(dst ? { dst } : {}),
                ...(this.inIface ? { inIface: this.inIface } : {}),
                ...(this.outIface ? { outIface: this.outIface } : {}),
                ...(this.protocol ? { protocol: this.protocol } : {}),
                matches,
                target,
            };
        }
        else if (command === 'delete' && this.used.size > 0) {
            const bad = [...this.used].find((o) => o !== 'v');
            if (bad)
                throw paramError(`Illegal option \`${OPTION_NAMES[bad]}' with this command`);
        }
        return {
            command, zero: command !== 'zero' && this.commands.includes('Z'), table, chain,
            rulenum: this.rulenum, newName: this.newName, policy: this.policy, rule, counters: this.counters,
            numeric: this.used.has('n'), verbose: this.used.has('v'), exact: this.used.has('x'), lineNumbers: this.used.has('0'),
        };
    }
}
/** `-N`/`-E` names: iptables' checks, in its order. */
export function checkChainName(name) {
    if (name.startsWith('-'))
        throw paramError("chain name not allowed to start with `-'");
    if (isTargetName(name))
        throw paramError('chain name may not clash with target name');
    if (name.length > 28)
        throw paramError(`chain name \`${name}' too long (must be under 29 chars)`);
    if (/[\s]/.test(name) || name === '')
        throw paramError(`Invalid chain name \`${name}'`);
}
/** Parses an iptables command line (argv without the program name). Throws IptablesError. */
export function parseCommand(argv, opts = {}) {
    return new CommandParser(argv, opts).parse();
}
/**
 * Parses a bare rule specification (`-p tcp --dport 443 -j ACCEPT`) into a Rule, as
 * `iptables -A CHAIN <spec>` would. Throws IptablesError.
 */
export function parseRule(spec, opts = {}) {
    return parseCommand(['-A', 'KNETLAB', ...spec], opts).rule;
}
export { IptablesError };
//# sourceMappingURL=rulespec.js.map