// The `-j` targets knetlab's iptables reads (standard verdicts, REJECT, DNAT, SNAT, MASQUERADE,
// REDIRECT, MARK, CONNMARK, CT/NOTRACK, LOG, user chains) and how their options become a Target (types.ts), with libxt_*'s
// error texts. Rendering is in rulespec-save.ts and rulespec-list.ts.
import { paramError } from './rulespec-error.js';
import { Ext, type ExtContext, type ExtParser, type OptSpec } from './rulespec-match.js';
import { logLevelNumber } from './rulespec-names.js';
import { notSupported, parseAddress, parseMarkMask } from './rulespec-values.js';
import type { NatRange, Target } from '../types.js';

const opt = (name: string, args: 0 | 1, aliases?: readonly string[]): OptSpec => ({
  name,
  args,
  invert: false,
  ...(aliases ? { aliases } : {}),
});

type RejectWith = Extract<Target, { kind: 'REJECT' }>['rejectWith'];
const REJECT_TYPES: readonly (readonly [RejectWith, string])[] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

const REJECT_EXT_OPTIONS: readonly OptSpec[] = [opt('reject-with', 1)];

class RejectExt extends Ext<Target> {
  readonly name = 'REJECT';
  readonly options = REJECT_EXT_OPTIONS;
  private with: RejectWith = 'icmp-port-unreachable';

  protected take(_o: string, args: readonly string[]): void {
    const hit = REJECT_TYPES.find(([a, b]) => a === args[0] || b === args[0]);
    if (!hit) throw paramError(`unknown reject type "${args[0]}"`);
    this.with = hit[0];
  }

  finish(): Target {
    return { kind: 'REJECT', rejectWith: this.with };
  }
}

const PORT_PROTOS = [6, 17, 33, 132];
const needPorts = (): Error => paramError('Need TCP, UDP, SCTP or DCCP with port specification');

/** `[ip[-ip]][:port[-port]]` as libxt_DNAT/SNAT read `--to-destination`/`--to-source`. */
export function parseNatRange(text: string, ctx: ExtContext): NatRange {
  const colon = text.indexOf(':');
  const ipPart = colon < 0 ? text : text.slice(0, colon);
  let minPort: number | undefined;
  let maxPort: number | undefined;
  if (colon >= 0) {
    const p = ctx.protocol;
    if (!p || p.invert || !PORT_PROTOS.includes(p.proto)) throw needPorts();
    const portText = text.slice(colon + 1);
    const dash = portText.indexOf('-');
    const port = (s: string): number => {
      if (!/^\d+$/.test(s) || Number(s) > 65535) throw paramError(`Port \`${s}' not valid`);
      return Number(s);
    };
    const min = port(dash < 0 ? portText : portText.slice(0, dash));
    const max = dash < 0 ? min : port(portText.slice(dash + 1));
    if (max < min) throw paramError(`Port range \`${portText.slice(dash + 1)}' funky`);
    minPort = min;
    maxPort = max;
  }
  if (ipPart !== '') {
    const dash = ipPart.indexOf('-');
    const ip = (s: string): number => {
      const a = /^\d+\.\d+\.\d+\.\d+$/.test(s) ? parseAddress(s) : undefined;
      if (a === undefined) throw paramError(`Bad IP address "${s}"`);
      return a;
    };
    const min = ip(dash < 0 ? ipPart : ipPart.slice(0, dash));
    const max = dash < 0 ? min : ip(ipPart.slice(dash + 1));
    return natRange(min, max, minPort, maxPort);
  }
  return natRange(undefined, undefined, minPort, maxPort);
}

/** A NAT range with the parts given, in the order of NatRange's fields. */
export function natRange(
  minAddr: number | undefined,
  maxAddr: number | undefined,
  minPort: number | undefined,
  maxPort: number | undefined,
): NatRange {
  const r: { minAddr?: number; maxAddr?: number; minPort?: number; maxPort?: number } = {};
  if (minAddr !== undefined) r.minAddr = minAddr;
  if (maxAddr !== undefined) r.maxAddr = maxAddr;
  if (minPort !== undefined) r.minPort = minPort;
  if (maxPort !== undefined) r.maxPort = maxPort;
  return r;
}

const NAT_OPTIONS: Readonly<Record<'DNAT' | 'SNAT', readonly OptSpec[]>> = {
  DNAT: [opt('to-destination', 1), opt('random', 0), opt('persistent', 0)],
  SNAT: [opt('to-source', 1), opt('random', 0), opt('persistent', 0), opt('random-fully', 0)],
};

class NatExt extends Ext<Target> {
  readonly options: readonly OptSpec[];
  private text: string | undefined;

  constructor(readonly name: 'DNAT' | 'SNAT') {
    super();
    this.options = NAT_OPTIONS[name];
  }

  protected take(o: string, args: readonly string[]): void {
    if (o === 'to-destination' || o === 'to-source') this.text = args[0]!;
  }

  finish(ctx: ExtContext): Target {
    const toOpt = this.name === 'DNAT' ? 'to-destination' : 'to-source';
    if (this.text === undefined) throw this.required(toOpt);
    const to = parseNatRange(this.text, ctx);
    return natTarget(this.name, to, this.given('random'), this.given('random-fully'), this.given('persistent'));
  }
}

/** A DNAT or SNAT target with the flags given, in the order iptables-save prints them. */
export function natTarget(kind: 'DNAT' | 'SNAT', to: NatRange, random: boolean, randomFully: boolean, persistent: boolean): Target {
  const t: { kind: 'DNAT' | 'SNAT'; to: NatRange; random?: boolean; randomFully?: boolean; persistent?: boolean } = { kind, to };
  if (random) t.random = true;
  if (randomFully) t.randomFully = true;
  if (persistent) t.persistent = true;
  return t as Target;
}

const MASQUERADE_EXT_OPTIONS: readonly OptSpec[] = [opt('to-ports', 1), opt('random', 0), opt('random-fully', 0)];

class MasqueradeExt extends Ext<Target> {
  readonly name = 'MASQUERADE';
  readonly options = MASQUERADE_EXT_OPTIONS;
  private ports: string | undefined;

  protected take(o: string, args: readonly string[]): void {
    if (o === 'to-ports') this.ports = args[0]!;
  }

  finish(ctx: ExtContext): Target {
    const toPorts = this.ports === undefined ? undefined : parsePortRange(this.ports, ctx);
    return {
      kind: 'MASQUERADE',
      ...(toPorts ? { toPorts } : {}),
      ...(this.given('random') ? { random: true } : {}),
      ...(this.given('random-fully') ? { randomFully: true } : {}),
    };
  }
}

const MARK_OPS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'] as const;

/** libxt_MARK: every form is stored as `--set-xmark value/mask` (new = (old & ~mask) ^ value). */
const MARK_TARGET_EXT_OPTIONS: readonly OptSpec[] = MARK_OPS.map((o) => opt(o, 1));

class MarkTargetExt extends Ext<Target> {
  readonly name = 'MARK';
  readonly options = MARK_TARGET_EXT_OPTIONS;
  private mark: { value: number; mask: number } | undefined;

  protected take(o: string, args: readonly string[]): void {
    for (const other of MARK_OPS) if (other !== o) this.exclusive(other, o);
    if (o === 'set-xmark' || o === 'set-mark') {
      const { value, mask } = parseMarkMask('MARK', o, args[0]!);
      this.mark = { value, mask: o === 'set-mark' ? (mask | value) >>> 0 : mask };
      return;
    }
    const { value: bits } = parseMarkMask('MARK', o, args[0]!);
    if (o === 'and-mark') this.mark = { value: 0, mask: ~bits >>> 0 };
    else if (o === 'or-mark') this.mark = { value: bits, mask: bits };
    else this.mark = { value: bits, mask: 0 };
  }

  finish(): Target {
    if (!this.mark) throw paramError('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
    return { kind: 'MARK', op: 'set-xmark', value: this.mark.value, mask: this.mark.mask };
  }
}

const CONNMARK_SET_OPS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'] as const;
const CONNMARK_OPS = [...CONNMARK_SET_OPS, 'save-mark', 'restore-mark'] as const;

/** libxt_CONNMARK (revision 1): one operation, masks for save and restore (default all ones). */
const CONNMARK_TARGET_EXT_OPTIONS: readonly OptSpec[] = [
  ...CONNMARK_OPS.map((o) => opt(o, o === 'save-mark' || o === 'restore-mark' ? 0 : 1)),
  opt('ctmask', 1),
  opt('nfmask', 1),
  opt('mask', 1),
];

class ConnmarkTargetExt extends Ext<Target> {
  readonly name = 'CONNMARK';
  readonly options = CONNMARK_TARGET_EXT_OPTIONS;
  private set: { value: number; ctmask: number } | undefined;
  private mode: 'save' | 'restore' | undefined;
  private ctmask = 0xffffffff;
  private nfmask = 0xffffffff;

  protected take(o: string, args: readonly string[]): void {
    if ((CONNMARK_OPS as readonly string[]).includes(o)) for (const other of CONNMARK_OPS) if (other !== o) this.exclusive(other, o);
    const bits = (): number => parseMarkMask('CONNMARK', o, args[0]!).value;
    switch (o) {
      case 'set-xmark':
      case 'set-mark': {
        const { value, mask } = parseMarkMask('CONNMARK', o, args[0]!);
        this.set = { value, ctmask: o === 'set-mark' ? (mask | value) >>> 0 : mask };
        return;
      }
      case 'and-mark':
        this.set = { value: 0, ctmask: ~bits() >>> 0 };
        return;
      case 'or-mark': {
        const b = bits();
        this.set = { value: b, ctmask: b };
        return;
      }
      case 'xor-mark':
        this.set = { value: bits(), ctmask: 0 };
        return;
      case 'save-mark':
        this.mode = 'save';
        return;
      case 'restore-mark':
        this.mode = 'restore';
        return;
      case 'ctmask':
        this.ctmask = bits();
        return;
      case 'nfmask':
        this.nfmask = bits();
        return;
      case 'mask':
        this.ctmask = this.nfmask = bits();
    }
  }

  finish(): Target {
    if (this.set) return { kind: 'CONNMARK', mode: 'set', value: this.set.value, ctmask: this.set.ctmask };
    if (!this.mode) throw paramError('CONNMARK target: No operation specified');
    return { kind: 'CONNMARK', mode: this.mode, nfmask: this.nfmask, ctmask: this.ctmask };
  }
}

/** libxt_CT: `--notrack` and `--zone`; the helper and timeout options need modules knetlab lacks. */
const CT_TARGET_EXT_OPTIONS: readonly OptSpec[] = [
  opt('notrack', 0),
  opt('zone', 1),
  opt('helper', 1),
  opt('ctevents', 1),
  opt('expevents', 1),
  opt('timeout', 1),
  opt('zone-orig', 1),
  opt('zone-reply', 1),
];

class CtTargetExt extends Ext<Target> {
  readonly name = 'CT';
  readonly options = CT_TARGET_EXT_OPTIONS;
  private zone: number | undefined;

  protected take(o: string, args: readonly string[]): void {
    if (o === 'notrack') return;
    if (o === 'zone') {
      if (!/^\d+$/.test(args[0]!) || Number(args[0]) > 65535)
        throw paramError(`CT: bad integer value for option "--zone", or out of range.\n`);
      this.zone = Number(args[0]);
      return;
    }
    throw notSupported(`The CT option --${o}`);
  }

  finish(): Target {
    return { kind: 'CT', notrack: this.given('notrack'), ...(this.zone !== undefined ? { zone: this.zone } : {}) };
  }
}

/** libxt_REDIRECT: `--to-ports port[-port]` (needs -p tcp/udp/sctp/dccp) and `--random`. */
const REDIRECT_EXT_OPTIONS: readonly OptSpec[] = [opt('to-ports', 1), opt('random', 0)];

class RedirectExt extends Ext<Target> {
  readonly name = 'REDIRECT';
  readonly options = REDIRECT_EXT_OPTIONS;
  private ports: string | undefined;

  protected take(o: string, args: readonly string[]): void {
    if (o === 'to-ports') this.ports = args[0]!;
  }

  finish(ctx: ExtContext): Target {
    const toPorts = this.ports === undefined ? undefined : parsePortRange(this.ports, ctx);
    return { kind: 'REDIRECT', ...(toPorts ? { toPorts } : {}), ...(this.given('random') ? { random: true } : {}) };
  }
}

/** `port[-port]` as libxt_MASQUERADE and libxt_REDIRECT read `--to-ports`. */
function parsePortRange(text: string, ctx: ExtContext): { from: number; to: number } {
  const p = ctx.protocol;
  if (!p || p.invert || !PORT_PROTOS.includes(p.proto)) throw needPorts();
  const [a, b] = text.split('-');
  const num = (s: string): number => {
    if (!/^\d+$/.test(s) || Number(s) > 65535) throw paramError(`Port \`${s}' not valid`);
    return Number(s);
  };
  const from = num(a!);
  const to = b === undefined ? from : num(b);
  if (to < from) throw paramError(`Port range \`${b}' funky`);
  return { from, to };
}

const LOG_EXT_OPTIONS: readonly OptSpec[] = [
  opt('log-level', 1),
  opt('log-prefix', 1),
  opt('log-tcp-sequence', 0),
  opt('log-tcp-options', 0),
  opt('log-ip-options', 0),
  opt('log-uid', 0),
  opt('log-macdecode', 0),
];

class LogExt extends Ext<Target> {
  readonly name = 'LOG';
  readonly options = LOG_EXT_OPTIONS;
  private level: number | undefined;
  private prefix: string | undefined;

  protected take(o: string, args: readonly string[]): void {
    if (o === 'log-level') {
      const n = logLevelNumber(args[0]!);
      if (n === undefined) throw paramError(`log level "${args[0]}" unknown\n`);
      this.level = n;
    } else if (o === 'log-prefix') {
      if (args[0] === '') throw paramError('Argument must have a minimum length of 1 characters\n');
      this.prefix = args[0]!;
    } else throw notSupported(`The LOG option --${o}`);
  }

  finish(): Target {
    return {
      kind: 'LOG',
      ...(this.prefix !== undefined ? { prefix: this.prefix } : {}),
      ...(this.level !== undefined ? { level: this.level } : {}),
    };
  }
}

/** A target with no options of its own (ACCEPT, DROP, RETURN, a chain). */
class PlainTarget implements ExtParser<Target> {
  readonly options: readonly OptSpec[] = [];
  constructor(
    readonly name: string,
    private readonly target: Target,
  ) {}
  parse(): void {}
  finish(): Target {
    return this.target;
  }
}

/** Real iptables targets knetlab does not emulate: named so the error says so. */
const UNSUPPORTED_TARGETS = new Set([
  'QUEUE',
  'TCPMSS',
  'NFQUEUE',
  'NFLOG',
  'TPROXY',
  'TRACE',
  'SET',
  'CLASSIFY',
  'DSCP',
  'TOS',
  'TTL',
  'NETMAP',
  'AUDIT',
  'CHECKSUM',
  'CLUSTERIP',
  'HMARK',
  'IDLETIMER',
  'LED',
  'RATEEST',
  'SECMARK',
  'CONNSECMARK',
  'SYNPROXY',
  'TEE',
  'ECN',
  'ULOG',
]);

const TARGET_NAMES = new Set([
  'ACCEPT',
  'DROP',
  'RETURN',
  'QUEUE',
  'REJECT',
  'DNAT',
  'SNAT',
  'MASQUERADE',
  'MARK',
  'LOG',
  'CONNMARK',
  'CT',
  'NOTRACK',
  'REDIRECT',
  ...UNSUPPORTED_TARGETS,
]);

/** Target names a user chain may not take (`chain name may not clash with target name`). */
export function isTargetName(name: string): boolean {
  return TARGET_NAMES.has(name);
}

/** The parser for `-j name` (`goto` for `-g`): a target extension, a verdict, or a jump to a chain. */
export function newTarget(name: string, goto: boolean): ExtParser<Target> {
  if (!goto) {
    switch (name) {
      case 'ACCEPT':
      case 'DROP':
      case 'RETURN':
        return new PlainTarget(name, verdictTarget(name));
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
      case 'CONNMARK':
        return new ConnmarkTargetExt();
      case 'CT':
        return new CtTargetExt();
      case 'NOTRACK':
        return new PlainTarget(name, { kind: 'CT', notrack: true, spelledNotrack: true });
      case 'REDIRECT':
        return new RedirectExt();
    }
    if (UNSUPPORTED_TARGETS.has(name)) throw notSupported(`The target \`${name}'`);
  }
  return new PlainTarget(name, jumpTarget(name, goto));
}

export function verdictTarget(kind: 'ACCEPT' | 'DROP' | 'RETURN'): Target {
  return { kind };
}

export function jumpTarget(chain: string, goto: boolean): Target {
  return { kind: 'jump', chain, goto };
}
