// The `-j` targets knetlab's iptables reads (standard verdicts, REJECT, DNAT, SNAT, MASQUERADE,
// MARK, LOG, user chains) and how their options become a Target (types.ts), with libxt_*'s
// error texts. Rendering is in rulespec-save.ts and rulespec-list.ts.
import { paramError } from './rulespec-error.js';
import { Ext } from './rulespec-match.js';
import { logLevelNumber } from './rulespec-names.js';
import { notSupported, parseAddress, parseMarkMask } from './rulespec-values.js';
const opt = (name, args, aliases) => ({ name, args, invert: false, ...(aliases ? { aliases } : {}) });
const REJECT_TYPES = [
    ['icmp-net-unreachable', 'net-unreach'], ['icmp-host-unreachable', 'host-unreach'],
    ['icmp-proto-unreachable', 'proto-unreach'], ['icmp-port-unreachable', 'port-unreach'],
    ['icmp-net-prohibited', 'net-prohib'], ['icmp-host-prohibited', 'host-prohib'],
    ['tcp-reset', 'tcp-rst'], ['icmp-admin-prohibited', 'admin-prohib'],
];
class RejectExt extends Ext {
    name = 'REJECT';
    options = [opt('reject-with', 1)];
    with = 'icmp-port-unreachable';
    take(_o, args) {
        const hit = REJECT_TYPES.find(([a, b]) => a === args[0] || b === args[0]);
        if (!hit)
            throw paramError(`unknown reject type "${args[0]}"`);
        this.with = hit[0];
    }
    finish() {
        return { kind: 'REJECT', rejectWith: this.with };
    }
}
const PORT_PROTOS = [6, 17, 33, 132];
const needPorts = () => paramError('Need TCP, UDP, SCTP or DCCP with port specification');
/** `[ip[-ip]][:port[-port]]` as libxt_DNAT/SNAT read `--to-destination`/`--to-source`. */
function parseNatRange(text, ctx) {
    const colon = text.indexOf(':');
    const ipPart = colon < 0 ? text : text.slice(0, colon);
    let range = {};
    if (colon >= 0) {
        const p = ctx.protocol;
        if (!p || p.invert || !PORT_PROTOS.includes(p.proto))
            throw needPorts();
        const portText = text.slice(colon + 1);
        const dash = portText.indexOf('-');
        const port = (s) => {
            if (!/^\d+$/.test(s) || Number(s) > 65535)
                throw paramError(`Port \`${s}' not valid`);
            return Number(s);
        };
        const min = port(dash < 0 ? portText : portText.slice(0, dash));
        const max = dash < 0 ? min : port(portText.slice(dash + 1));
        if (max < min)
            throw paramError(`Port range \`${portText.slice(dash + 1)}' funky`);
        range = { minPort: min, maxPort: max };
    }
    if (ipPart !== '') {
        const dash = ipPart.indexOf('-');
        const ip = (s) => {
            const a = /^\d+\.\d+\.\d+\.\d+$/.test(s) ? parseAddress(s) : undefined;
            if (a === undefined)
                throw paramError(`Bad IP address "${s}"`);
            return a;
        };
        const min = ip(dash < 0 ? ipPart : ipPart.slice(0, dash));
        const max = dash < 0 ? min : ip(ipPart.slice(dash + 1));
        range = { minAddr: min, maxAddr: max, ...range };
    }
    return range;
}
class NatExt extends Ext {
    name;
    options;
    text;
    constructor(name) {
        super();
        this.name = name;
        this.options = [opt(name === 'DNAT' ? 'to-destination' : 'to-source', 1), opt('random', 0), opt('persistent', 0), ...(name === 'SNAT' ? [opt('random-fully', 0)] : [])];
    }
    take(o, args) {
        if (o === 'to-destination' || o === 'to-source')
            this.text = args[0];
    }
    finish(ctx) {
        const toOpt = this.name === 'DNAT' ? 'to-destination' : 'to-source';
        if (this.text === undefined)
            throw this.required(toOpt);
        const to = parseNatRange(this.text, ctx);
        const flags = {
            ...(this.seen.has('random') ? { random: true } : {}),
            ...(this.seen.has('random-fully') ? { randomFully: true } : {}),
            ...(this.seen.has('persistent') ? { persistent: true } : {}),
        };
        return this.name === 'DNAT' ? { kind: 'DNAT', to, ...flags } : { kind: 'SNAT', to, ...flags };
    }
}
class MasqueradeExt extends Ext {
    name = 'MASQUERADE';
    options = [opt('to-ports', 1), opt('random', 0), opt('random-fully', 0)];
    ports;
    take(o, args) {
        if (o === 'to-ports')
            this.ports = args[0];
    }
    finish(ctx) {
        let toPorts;
        if (this.ports !== undefined) {
            const p = ctx.protocol;
            if (!p || p.invert || !PORT_PROTOS.includes(p.proto))
                throw needPorts();
            const [a, b] = this.ports.split('-');
            const num = (s) => {
                if (!/^\d+$/.test(s) || Number(s) > 65535)
                    throw paramError(`Port \`${s}' not valid`);
                return Number(s);
            };
            const from = num(a);
            const to = b === undefined ? from : num(b);
            if (to < from)
                throw paramError(`Port range \`${b}' funky`);
            toPorts = { from, to };
        }
        return {
            kind: 'MASQUERADE',
            ...(toPorts ? { toPorts } : {}),
            ...(this.seen.has('random') ? { random: true } : {}),
            ...(this.seen.has('random-fully') ? { randomFully: true } : {}),
        };
    }
}
const MARK_OPS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'];
/** libxt_MARK: every form is stored as `--set-xmark value/mask` (new = (old & ~mask) ^ value). */
class MarkTargetExt extends Ext {
    name = 'MARK';
    options = MARK_OPS.map((o) => opt(o, 1));
    mark;
    take(o, args) {
        for (const other of MARK_OPS)
            if (other !== o)
                this.exclusive(other, o);
        if (o === 'set-xmark' || o === 'set-mark') {
            const { value, mask } = parseMarkMask('MARK', o, args[0]);
            this.mark = { value, mask: o === 'set-mark' ? (mask | value) >>> 0 : mask };
            return;
        }
        const { value: bits } = parseMarkMask('MARK', o, args[0]);
        if (o === 'and-mark')
            this.mark = { value: 0, mask: ~bits >>> 0 };
        else if (o === 'or-mark')
            this.mark = { value: bits, mask: bits };
        else
            this.mark = { value: bits, mask: 0 };
    }
    finish() {
        if (!this.mark)
            throw paramError('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
        return { kind: 'MARK', op: 'set-xmark', value: this.mark.value, mask: this.mark.mask };
    }
}
class LogExt extends Ext {
    name = 'LOG';
    options = [opt('log-level', 1), opt('log-prefix', 1), opt('log-tcp-sequence', 0), opt('log-tcp-options', 0), opt('log-ip-options', 0), opt('log-uid', 0), opt('log-macdecode', 0)];
    level;
    prefix;
    take(o, args) {
        if (o === 'log-level') {
            const n = logLevelNumber(args[0]);
            if (n === undefined)
                throw paramError(`log level "${args[0]}" unknown\n`);
            this.level = n;
        }
        else if (o === 'log-prefix') {
            if (args[0] === '')
                throw paramError('Argument must have a minimum length of 1 characters\n');
            this.prefix = args[0];
        }
        else
            throw notSupported(`The LOG option --${o}`);
    }
    finish() {
        return { kind: 'LOG', ...(this.prefix !== undefined ? { prefix: this.prefix } : {}), ...(this.level !== undefined ? { level: this.level } : {}) };
    }
}
/** A target with no options of its own (ACCEPT, DROP, RETURN, a chain). */
class PlainTarget {
    name;
    target;
    options = [];
    constructor(name, target) {
        this.name = name;
        this.target = target;
    }
    parse() { }
    finish() {
        return this.target;
    }
}
/** Real iptables targets knetlab does not emulate: named so the error says so. */
const UNSUPPORTED_TARGETS = new Set(['QUEUE', 'CT', 'NOTRACK', 'TCPMSS', 'NFQUEUE', 'NFLOG', 'TPROXY', 'CONNMARK', 'TRACE', 'SET', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'NETMAP', 'REDIRECT', 'AUDIT', 'CHECKSUM', 'CLUSTERIP', 'HMARK', 'IDLETIMER', 'LED', 'RATEEST', 'SECMARK', 'CONNSECMARK', 'SYNPROXY', 'TEE', 'ECN', 'ULOG']);
/** Target names a user chain may not take (`chain name may not clash with target name`). */
export function isTargetName(name) {
    return ['ACCEPT', 'DROP', 'RETURN', 'QUEUE', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'MARK', 'LOG'].includes(name) || UNSUPPORTED_TARGETS.has(name);
}
/** The parser for `-j name` (`goto` for `-g`): a target extension, a verdict, or a jump to a chain. */
export function newTarget(name, goto) {
    if (!goto) {
        switch (name) {
            case 'ACCEPT':
            case 'DROP':
            case 'RETURN':
                return new PlainTarget(name, { kind: name });
            case 'REJECT':
                return new RejectExt();
            case 'DNAT':
            case 'SNAT':
                return new NatExt(name);
            case 'MASQUERADE':
                return new MasqueradeExt();
            case 'MARK':
                return new MarkTargetExt();
            case 'LOG':
                return new LogExt();
        }
        if (UNSUPPORTED_TARGETS.has(name))
            throw notSupported(`The target \`${name}'`);
    }
    return new PlainTarget(name, { kind: 'jump', chain: name, goto });
}
//# sourceMappingURL=rulespec-target.js.map