// The iptables 1.8.9 command line: commands (-A/-I/-D/-R/-C/-N/-X/-F/-Z/-P/-E/-S/-L), their
// options, and the rule specification (-s/-d/-i/-o/-p, -m modules, -j/-g targets) parsed into a
// Rule (types.ts). It is read with getopt_long as iptables/xshared.c do_parse() reads it: the
// spec "-:…" (operands returned in place, errors not printed), short options bundled (`-nvL`),
// long options abbreviated to any unique prefix (`--app`, `--dp`) among the original options and
// those of every module loaded so far (`-m`, `-j`, or implicitly by `-p tcp`, which reloads on an
// unknown option and reruns getopt on it). Errors are IptablesErrors carrying the real tool's
// text (rulespec-error.ts).
import { GetoptScanner, OPERAND, type LongOption } from '../../../transcript/index.js';
import { badArgument, IptablesError, paramError } from './rulespec-error.js';
import { mergeable, newMatch, type ExtContext, type ExtParser, type MatchParser, type OptSpec } from './rulespec-match.js';
import { protocolNumber } from './rulespec-names.js';
import { isTargetName, newTarget } from './rulespec-target.js';
import { notSupported, parseAddressMask } from './rulespec-values.js';
import type { AddrMatch, Counters, IfaceMatch, Match, Rule, Target } from '../types.js';

export type CommandName =
  | 'append'
  | 'check'
  | 'delete'
  | 'insert'
  | 'replace'
  | 'list'
  | 'listRules'
  | 'flush'
  | 'zero'
  | 'newChain'
  | 'deleteChain'
  | 'policy'
  | 'rename'
  | 'version'
  | 'help';

/** One parsed iptables command line (or one iptables-restore rule line). */
export interface ParsedCommand {
  readonly command: CommandName;
  /** `-Z` given together with `-L` or `-S`: zero after listing. */
  readonly zero: boolean;
  /** `-t`, not yet checked against the known tables. */
  readonly table: string;
  readonly chain: string | undefined;
  readonly rulenum: number | undefined;
  /** `-E old new`: the new name. */
  readonly newName: string | undefined;
  /** `-P chain target`: the target. */
  readonly policy: string | undefined;
  /** The rule of -A/-C/-D/-I/-R. */
  readonly rule: Rule | undefined;
  /** `-c packets bytes`. */
  readonly counters: Counters | undefined;
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
  /** -h after -j with a verdict or chain: the standard target's help follows the usage. */
  readonly standardHelp?: boolean;
}

export interface ParseOptions {
  /** Parsing a line of an iptables-restore payload (`-t` is refused there). */
  readonly restore?: boolean;
  /** The table of the restore block the line belongs to. */
  readonly table?: string;
  /** Whether an ipset exists (`-m set`); absent: every set exists. */
  readonly setExists?: (name: string) => boolean;
}

const COMMANDS: Readonly<Record<string, CommandName>> = {
  A: 'append',
  C: 'check',
  D: 'delete',
  I: 'insert',
  R: 'replace',
  L: 'list',
  S: 'listRules',
  F: 'flush',
  Z: 'zero',
  N: 'newChain',
  X: 'deleteChain',
  P: 'policy',
  E: 'rename',
  V: 'version',
};

/** iptables' original_opts (iptables/xtables.c): has_arg 2 is an optional argument. */
const ORIGINAL_OPTS: readonly LongOption[] = (
  [
    ['append', 1, 'A'],
    ['delete', 1, 'D'],
    ['check', 1, 'C'],
    ['insert', 1, 'I'],
    ['replace', 1, 'R'],
    ['list', 2, 'L'],
    ['list-rules', 2, 'S'],
    ['flush', 2, 'F'],
    ['zero', 2, 'Z'],
    ['new-chain', 1, 'N'],
    ['delete-chain', 2, 'X'],
    ['rename-chain', 1, 'E'],
    ['policy', 1, 'P'],
    ['source', 1, 's'],
    ['destination', 1, 'd'],
    ['src', 1, 's'],
    ['dst', 1, 'd'],
    ['protocol', 1, 'p'],
    ['in-interface', 1, 'i'],
    ['jump', 1, 'j'],
    ['table', 1, 't'],
    ['match', 1, 'm'],
    ['numeric', 0, 'n'],
    ['out-interface', 1, 'o'],
    ['verbose', 0, 'v'],
    ['wait', 2, 'w'],
    ['wait-interval', 2, 'W'],
    ['exact', 0, 'x'],
    ['fragments', 0, 'f'],
    ['version', 0, 'V'],
    ['help', 2, 'h'],
    ['line-numbers', 0, '0'],
    ['modprobe', 1, 'M'],
    ['set-counters', 1, 'c'],
    ['goto', 1, 'g'],
    ['ipv4', 0, '4'],
    ['ipv6', 0, '6'],
  ] as const
).map(([name, arg, key]) => ({ name, arg: arg === 0 ? 'none' : arg === 1 ? 'required' : 'optional', key }));
/** IPT_OPTSTRING (iptables/xshared.h). */
const IPT_OPTSTRING = '-:A:C:D:E:F::I:L::M:N:P:VX::Z::c:d:i:j:o:p:s:t:R:S::W::46bfg:h::m:nvw::x';
/** The getopt key of a loaded module's option: this prefix and the option's index in exts(). */
const EXT_KEY = '\x02';

/** Commands whose chain is optional (taken only from a following word that is not an option). */
const OPTIONAL_CHAIN = new Set(['L', 'S', 'F', 'Z', 'X']);

/** Options checked against the command: which of them each command refuses (`Illegal option`). */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  n: '-n',
  s: '-s',
  d: '-d',
  p: '-p',
  j: '-j',
  v: '-v',
  x: '-x',
  i: '-i',
  o: '-o',
  '0': '--line-numbers',
  c: '-c',
  f: '-f',
};
const ALL_BUT_V = 'nsdpjxio0cf';
const ILLEGAL: Readonly<Record<CommandName, string>> = {
  insert: 'nx0',
  delete: 'nx0c',
  replace: 'nx0',
  append: 'nx0',
  check: 'nx0c',
  list: 'sdpjiocf',
  flush: ALL_BUT_V,
  zero: ALL_BUT_V,
  newChain: ALL_BUT_V,
  deleteChain: ALL_BUT_V,
  policy: 'nsdpjxio0f',
  rename: ALL_BUT_V,
  listRules: ALL_BUT_V,
  version: '',
  help: '',
};

const BUILTIN_IN_ONLY = new Set(['PREROUTING', 'INPUT']);
const BUILTIN_OUT_ONLY = new Set(['OUTPUT', 'POSTROUTING']);

/**
 * Lines of one shape parse alike: kube-proxy's 150,000-line payloads are a few dozen shapes with
 * different addresses, ports, comments and chain names. What getopt returns depends only on which
 * words are options (start with `-`, or are `!`) and on the modules loaded (`-m NAME`, `-p PROTO`,
 * `-j TARGET`), so a line whose other words are replaced by a placeholder is the key of what
 * getopt returned for it; a line with the same key runs the same option handlers on its own
 * words, skipping getopt (the handlers' checks and messages are the same code).
 */
interface Template {
  readonly events: readonly ParseEvent[];
  readonly trailing: boolean;
}
/** An option getopt returned (optind after it; `arg` a word index of the line, or text), or RELOAD: load_proto() ran. */
type ParseEvent = { readonly opt: string; readonly optind: number; readonly arg: number | string | undefined } | typeof RELOAD;
const RELOAD = 0;
const NO_ARGS: readonly string[] = [];
const NO_EXTS: readonly { ext: ExtParser<unknown>; spec: OptSpec }[] = [];
const TEMPLATES = new Map<string, Template>();
const TEMPLATE_LIMIT = 4096;
const SLOT = '\x01';

/** What the word after `w` may be the argument of: -p or -m (a module name), -j (a target or a chain), -g (a chain). */
const ARG_OF = new Map<string, 'module' | 'jump' | 'goto' | undefined>();

function argOf(w: string): 'module' | 'jump' | 'goto' | undefined {
  if (!w.startsWith('--')) return argOfWord(w);
  // Long options are few words over and over (--comment, --dport): each answered once.
  if (ARG_OF.has(w)) return ARG_OF.get(w);
  const a = argOfWord(w);
  if (ARG_OF.size < 1024) ARG_OF.set(w, a);
  return a;
}

function argOfWord(w: string): 'module' | 'jump' | 'goto' | undefined {
  let c: string | undefined;
  if (w.startsWith('--')) {
    if (w.includes('=') || w.length === 2) return undefined;
    const name = w.slice(2);
    c = ['protocol', 'match', 'jump', 'goto'].find((n) => n.startsWith(name))?.[0];
  } else c = w.length >= 2 ? w[w.length - 1] : undefined;
  return c === 'p' || c === 'm' ? 'module' : c === 'j' ? 'jump' : c === 'g' ? 'goto' : undefined;
}

function templateKey(argv: readonly string[], opts: ParseOptions): string {
  // Joined at once: a key grown word by word is a rope V8 flattens again at the lookup.
  const parts: string[] = new Array(argv.length + 1);
  parts[0] = `${opts.restore ? 'r' : '-'}${opts.table ?? ''}`;
  let prev: 'module' | 'jump' | 'goto' | undefined;
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i]!;
    const option = w.charCodeAt(0) === 45; /* - */
    // A jump to a chain (`-j KUBE-SVC-…`) loads no module: any chain name fits the same template.
    const literal = option || w === '!' || prev === 'module' || (prev === 'jump' && isTargetName(w));
    parts[i + 1] = literal ? w : SLOT;
    prev = option ? argOf(w) : undefined;
  }
  return parts.join('\x00');
}

class CommandParser {
  private readonly commands: string[] = [];
  private table = 'filter';
  private chain: string | undefined;
  private rulenum: number | undefined;
  private newName: string | undefined;
  private policy: string | undefined;
  private counters: Counters | undefined;
  private readonly used = new Set<string>();
  private srcText: { text: string; invert: boolean } | undefined;
  private dstText: { text: string; invert: boolean } | undefined;
  private inIface: IfaceMatch | undefined;
  private outIface: IfaceMatch | undefined;
  private protocol: { proto: number; invert: boolean } | undefined;
  private readonly matches: MatchParser[] = [];
  private target: ExtParser<Target> | undefined;
  private i = 0;
  private invert = false;
  private protoUsed = false;
  /** argv[optind - 1] when an option's argument has been read. */
  private word = '';

  constructor(
    private readonly argv: readonly string[],
    private readonly opts: ParseOptions,
  ) {}

  parse(): ParsedCommand {
    const key = templateKey(this.argv, this.opts);
    const tpl = TEMPLATES.get(key);
    if (tpl) return this.replay(tpl);
    const events: ParseEvent[] = [];
    const g = new GetoptScanner('iptables', this.argv, IPT_OPTSTRING, undefined);
    let longsFor: ExtParser<unknown> | undefined | null = null;
    let longsCount = -1;
    let exts: { ext: ExtParser<unknown>; spec: OptSpec }[] = [];
    for (;;) {
      // The long options change only when a module is loaded (a target, or one more match).
      if (longsFor !== this.target || longsCount !== this.matches.length) {
        longsFor = this.target;
        longsCount = this.matches.length;
        exts = this.exts();
        g.longs = [
          ...ORIGINAL_OPTS,
          ...exts.flatMap(({ spec }, n) =>
            [spec.name, ...(spec.aliases ?? [])].map(
              (name) => ({ name, arg: spec.args === 0 ? 'none' : 'required', key: `${EXT_KEY}${n}` }) as const,
            ),
          ),
        ];
      }
      const o = g.next();
      if (o === undefined) break;
      if ('error' in o) {
        // command_default(): an option no loaded module knows may belong to the protocol's module.
        if (this.loadProtocolMatch()) {
          events.push(RELOAD);
          g.optind--;
          continue;
        }
        const word = g.word(g.optind - 1);
        throw paramError(o.kind === 'missing' ? `option "${word}" requires an argument` : `unknown option "${word}"`);
      }
      // -V prints the version and -h the usage, exiting the moment they are read.
      if (o.opt === 'V') return this.exitCommand('version');
      if (o.opt === 'h') return this.help();
      // The argument as a word of the line (a value that differs from line to line) or as text
      // taken from an option word (`--dport=80`, `-ptcp`: the same on every line of the template).
      const whole = g.optind - 1 >= 0 && o.arg !== undefined && o.arg === this.argv[g.optind - 1] ? g.optind - 1 : -1;
      events.push({ opt: o.opt, optind: g.optind, arg: whole >= 0 ? whole : o.arg });
      this.step(o.opt, g.optind, o.arg, exts);
      g.optind = this.i;
    }
    const trailing = g.optind < this.argv.length;
    const out = this.finish(trailing);
    if (TEMPLATES.size >= TEMPLATE_LIMIT) TEMPLATES.clear();
    TEMPLATES.set(key, { events, trailing });
    return out;
  }

  /**
   * Runs what getopt returned once for a line of the same shape (see templateKey) on this line:
   * the same options at the same positions, their arguments read from this line's words.
   */
  private replay(tpl: Template): ParsedCommand {
    for (const e of tpl.events) {
      if (e === RELOAD) {
        this.loadProtocolMatch();
        continue;
      }
      const arg = typeof e.arg === 'number' ? this.argv[e.arg] : e.arg;
      if (e.opt.startsWith(EXT_KEY)) {
        // The option's module found by position, as exts() lists them, without building the list.
        this.i = e.optind;
        this.word = this.argv[e.optind - 1] ?? '';
        this.extOption(this.extAt(Number(e.opt.slice(1))), arg);
      } else this.step(e.opt, e.optind, arg, NO_EXTS);
    }
    return this.finish(tpl.trailing);
  }

  /** exts()[n]. */
  private extAt(n: number): { ext: ExtParser<unknown>; spec: OptSpec } {
    const t = this.target;
    if (t) {
      if (n < t.options.length) return { ext: t, spec: t.options[n]! };
      n -= t.options.length;
    }
    for (let i = this.matches.length - 1; i >= 0; i--) {
      const m = this.matches[i]!;
      if (n < m.options.length) return { ext: m, spec: m.options[n]! };
      n -= m.options.length;
    }
    throw new Error(`iptables parser: no loaded module has option ${n}`);
  }

  /** One option getopt returned, `optind` after it. */
  private step(opt: string, optind: number, arg: string | undefined, exts: readonly { ext: ExtParser<unknown>; spec: OptSpec }[]): void {
    if (opt === OPERAND) {
      if (arg !== '!') throw badArgument(arg!);
      if (this.invert) throw paramError('multiple consecutive ! not allowed');
      this.invert = true;
      this.i = optind;
      return;
    }
    this.i = optind;
    // -s, -d, -p, -i, -o and -j read argv[optind - 1], the whole word of `--src=X` or `-sX`.
    this.word = optind - 1 < 0 ? 'iptables' : (this.argv[optind - 1] ?? '');
    if (opt.startsWith(EXT_KEY)) this.extOption(exts[Number(opt.slice(1))]!, arg);
    else this.option(opt, arg);
  }

  /** The next word if it is not an option (how iptables takes optional arguments). */
  private peek(): string | undefined {
    const next = this.argv[this.i];
    if (next === undefined || next.startsWith('-') || next === '!') return undefined;
    this.i++;
    return next;
  }

  /** A required argument: getopt has always taken it (attached, after `=`, or the next word). */
  private required(arg: string | undefined): string {
    return arg!;
  }

  private takeInvert(what: string): boolean {
    const inv = this.invert;
    this.invert = false;
    if (inv && what !== '') throw paramError(what);
    return inv;
  }

  private option(c: string, inline: string | undefined): void {
    const command = COMMANDS[c];
    if (command !== undefined) return this.command(c, inline);
    switch (c) {
      case 't': {
        this.takeInvert('unexpected ! flag before --table');
        const t = this.required(inline);
        if (this.opts.restore) throw paramError('The -t option cannot be used in iptables-restore.\n');
        this.table = t;
        return;
      }
      case 'n':
      case 'v':
      case 'x':
      case '0':
      case 'f':
        this.takeInvert(c === 'f' ? '' : `cannot have ! before ${OPTION_NAMES[c]}`);
        if (c === 'f') throw notSupported('Matching fragments (-f)');
        this.used.add(c);
        return;
      case 'w':
        this.takeInvert("unexpected '!' flag");
        if (inline === undefined) this.peek();
        return;
      case 'W':
      case 'M':
        this.takeInvert("unexpected '!' flag");
        this.required(inline);
        return;
      case '4':
        return;
      case '6':
        throw new IptablesError({ kind: 'usage' });
      case 's':
      case 'd': {
        const invert = this.takeInvert('');
        const arg = this.word;
        if (this.used.has(c)) throw paramError(`multiple -${c} flags not allowed`);
        this.used.add(c);
        // Addresses are resolved after the whole line is read, as iptables does.
        if (c === 's') this.srcText = { text: arg, invert };
        else this.dstText = { text: arg, invert };
        return;
      }
      case 'i':
      case 'o': {
        if (inline === '') throw paramError('Empty interface is likely to be undesired');
        const invert = this.takeInvert('');
        const name = this.word;
        if (this.used.has(c)) throw paramError(`multiple -${c} flags not allowed`);
        this.used.add(c);
        if (name.length > 15) throw paramError(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`);
        const m = name === '+' && !invert ? undefined : { name, invert };
        if (c === 'i') this.inIface = m;
        else this.outIface = m;
        return;
      }
      case 'p': {
        const invert = this.takeInvert('');
        const arg = this.word.toLowerCase();
        if (this.used.has('p')) throw paramError('multiple -p flags not allowed');
        this.used.add('p');
        const proto = protocolNumber(arg);
        if (proto === undefined) throw paramError(`unknown protocol "${arg}" specified`);
        this.protocol = proto === 0 && !invert ? undefined : protocolMatch(proto, invert);
        return;
      }
      case 'j':
      case 'g': {
        this.takeInvert(`cannot have ! before -${c}`);
        const name = c === 'j' ? this.word : this.required(inline);
        if (this.used.has('j')) throw paramError('multiple -j flags not allowed');
        this.used.add('j');
        this.target = newTarget(name, c === 'g');
        return;
      }
      case 'm': {
        this.takeInvert('unexpected ! flag before --match');
        this.matches.push(newMatch(this.required(inline)));
        return;
      }
      case 'c': {
        this.takeInvert('cannot have ! before -c');
        // `-c PACKETS,BYTES` or `-c PACKETS BYTES`, each read by sscanf("%llu").
        const packets = inline!;
        const comma = packets.indexOf(',', 1);
        let bytes = comma >= 0 ? packets.slice(comma + 1) : undefined;
        if (bytes === undefined && this.argv[this.i] !== undefined && !/^[-!]/.test(this.argv[this.i]!)) bytes = this.argv[this.i++];
        if (bytes === undefined) throw paramError('-c requires packet and byte counter');
        const p = scanUnsigned(packets);
        if (p === undefined) throw paramError('-c packet counter not numeric');
        const b = scanUnsigned(bytes);
        if (b === undefined) throw paramError('-c byte counter not numeric');
        this.used.add('c');
        this.counters = { packets: p, bytes: b };
        return;
      }
    }
    // Letters in the option string that iptables does not handle (-b, -6): command_default()
    // finds no module for them and reports getopt's optarg, which is unset.
    throw paramError('Unknown arg "(null)"');
  }

  private command(c: string, inline: string | undefined): void {
    this.takeInvert("unexpected '!' flag");
    for (const prev of this.commands) {
      const ok = prev === 'L' || prev === 'S' ? c === 'Z' : prev === 'Z' ? c === 'L' || c === 'S' : false;
      if (!ok) throw paramError(`Cannot use -${c} with -${prev}`);
    }
    this.commands.push(c);
    const chain = OPTIONAL_CHAIN.has(c) ? (inline ?? this.peek()) : c === 'V' ? undefined : this.required(inline);
    if (chain !== undefined) this.chain = chain;
    switch (c) {
      case 'D':
      case 'I':
        this.rulenum = rulenum(this.peek());
        break;
      case 'R': {
        const n = this.peek();
        if (n === undefined) throw paramError('-R requires a rule number');
        this.rulenum = rulenum(n);
        break;
      }
      case 'L':
      case 'S':
      case 'Z':
        if (chain !== undefined) this.rulenum = rulenum(this.peek()) ?? this.rulenum;
        break;
      case 'P':
        this.policy = this.peek();
        if (this.policy === undefined) throw paramError('-P requires a chain and a policy');
        break;
      case 'E':
        this.newName = this.peek();
        if (this.newName === undefined) throw paramError('-E requires old-chain-name and new-chain-name');
        break;
    }
  }

  private extOption({ ext, spec }: { ext: ExtParser<unknown>; spec: OptSpec }, arg: string | undefined): void {
    const invert = this.takeInvert('');
    if (spec.args < 2) return ext.parse(spec.name, spec.args === 1 ? [arg!] : NO_ARGS, invert);
    const next = this.argv[this.i];
    if (next === undefined || next.startsWith('-') || next === '!') {
      if (spec.name === 'tcp-flags') throw paramError('--tcp-flags requires two args.');
      throw paramError("You must specify `--match-set' with proper arguments");
    }
    this.i++;
    ext.parse(spec.name, [arg!, next], invert);
  }

  /** The loaded modules' options in getopt's order: the target's, then the matches' newest first
   * (a module loaded twice, `-m mark … -m mark …`, takes its options into the latest copy). */
  private exts(): { ext: ExtParser<unknown>; spec: OptSpec }[] {
    const out: { ext: ExtParser<unknown>; spec: OptSpec }[] = [];
    const add = (ext: ExtParser<unknown>): void => {
      for (const spec of ext.options) out.push({ ext, spec });
    };
    if (this.target) add(this.target);
    for (let i = this.matches.length - 1; i >= 0; i--) add(this.matches[i]!);
    return out;
  }

  /** load_proto(): `-p tcp` loads the tcp match once, when an option is not otherwise known. */
  private loadProtocolMatch(): boolean {
    if (!this.protocol || this.protoUsed) return false;
    const implicit = ({ 6: 'tcp', 17: 'udp', 132: 'sctp', 1: 'icmp' } as Record<number, string>)[this.protocol.proto];
    if (!implicit || this.matches.some((m) => m.name === implicit)) return false;
    this.protoUsed = true;
    this.matches.push(newMatch(implicit));
    return true;
  }

  /** -h: xtables_printhelp() prints the usage, then the help of every loaded module (with `-p tcp`,
   * the tcp match's), which is not emulated. */
  private help(): ParsedCommand {
    const implicit = this.protocol !== undefined && [6, 17, 132, 1].includes(this.protocol.proto);
    const plainTarget =
      this.target === undefined || ['ACCEPT', 'DROP', 'RETURN'].includes(this.target.name) || this.target.options.length === 0;
    if (this.matches.length > 0 || implicit || !plainTarget) throw notSupported("A module's own help (iptables -m/-p/-j NAME -h)");
    return {
      ...this.exitCommand('help'),
      standardHelp: this.target !== undefined && ['ACCEPT', 'DROP', 'RETURN'].includes(this.target.name),
    };
  }

  private exitCommand(command: 'version' | 'help'): ParsedCommand {
    return {
      command,
      zero: false,
      table: this.opts.table ?? this.table,
      chain: undefined,
      rulenum: undefined,
      newName: undefined,
      policy: undefined,
      rule: undefined,
      counters: undefined,
      numeric: false,
      verbose: false,
      exact: false,
      lineNumbers: false,
    };
  }

  /** `trailing`: words left after `--`, which getopt does not return. */
  private finish(trailing: boolean): ParsedCommand {
    const table = this.opts.table ?? this.table;
    if (table === 'nat' && (this.policy === 'DROP' || this.target?.name === 'DROP')) {
      throw paramError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
    }
    // In iptables' order: the modules' own final checks, what is left of the line, addresses, then the command's checks.
    const ctx: ExtContext = this.opts.setExists ? { protocol: this.protocol, setExists: this.opts.setExists } : { protocol: this.protocol };
    const parsers: MatchParser[] = [];
    for (const m of this.matches) {
      let first: MatchParser | undefined;
      for (const p of parsers)
        if (mergeable(p, m)) {
          first = p;
          break;
        }
      if (first) first.merge!(m);
      else parsers.push(m);
    }
    // map() sizes the array exactly: a pushed-to array keeps room for 17, 150 bytes a rule.
    const matches: Match[] = parsers.map((m) => m.finish(ctx));
    const target: Target = this.target ? this.target.finish(ctx) : { kind: 'none' };
    if (trailing) throw paramError('unknown arguments found on commandline');
    if (this.commands.length === 0) throw paramError('no command specified');
    if (this.invert) throw paramError('nothing appropriate following !');
    const letter = this.commands.find((c) => c !== 'Z') ?? 'Z';
    const command = COMMANDS[letter]!;
    const addr = (a: { text: string; invert: boolean } | undefined): AddrMatch | undefined => {
      if (!a) return undefined;
      const { addr: ip, len } = parseAddressMask(a.text);
      return addrMatch(ip, len, a.invert);
    };
    const src = addr(this.srcText);
    const dst = addr(this.dstText);
    for (const o of this.used) {
      let illegal = true;
      for (const c of this.commands) if (!ILLEGAL[COMMANDS[c]!].includes(o)) illegal = false;
      if (illegal) throw paramError(`Illegal option \`${OPTION_NAMES[o]}' with this command`);
    }
    const chain = this.chain;
    if (chain !== undefined && chain.length > 28 && command !== 'list' && command !== 'listRules') {
      throw paramError(`chain name \`${chain}' too long (must be under 29 chars)`);
    }
    if (command === 'newChain') checkChainName(chain!);
    let rule: Rule | undefined;
    if (
      (command === 'append' || command === 'check' || command === 'delete' || command === 'insert' || command === 'replace') &&
      !(command === 'delete' && this.rulenum !== undefined)
    ) {
      if (this.outIface && BUILTIN_IN_ONLY.has(chain!)) throw paramError(`Can't use -o with ${chain}\n`);
      if (this.inIface && BUILTIN_OUT_ONLY.has(chain!)) throw paramError(`Can't use -i with ${chain}\n`);
      rule = newRule(src, dst, this.inIface, this.outIface, this.protocol, matches, target);
    } else if (command === 'delete' && this.used.size > 0) {
      const bad = [...this.used].find((o) => o !== 'v');
      if (bad) throw paramError(`Illegal option \`${OPTION_NAMES[bad]}' with this command`);
    }
    return {
      command,
      zero: command !== 'zero' && this.commands.includes('Z'),
      table,
      chain,
      rulenum: this.rulenum,
      newName: this.newName,
      policy: this.policy,
      rule,
      counters: this.counters,
      numeric: this.used.has('n'),
      verbose: this.used.has('v'),
      exact: this.used.has('x'),
      lineNumbers: this.used.has('0'),
    };
  }
}

/** `-s`/`-d` as a Rule holds it: absent when it matches every address. */
export function addrMatch(addr: number, len: number, invert: boolean): AddrMatch | undefined {
  return len === 0 && !invert ? undefined : { addr, len, invert };
}

export function protocolMatch(proto: number, invert: boolean): { proto: number; invert: boolean } {
  return { proto, invert };
}

/**
 * A Rule: every field present, absent ones undefined, so every rule has one layout (one V8 map).
 * Rules of five layouts (kube-proxy's: with -s, -d, -p or none of them) made the code reading
 * them compile, meet a new layout, deoptimize and compile again through a restore; the same
 * layout for all, 80 bytes a rule, made a 10,000-service restore ~10% cheaper than the saving
 * of leaving fields out.
 */
export function newRule(
  src: AddrMatch | undefined,
  dst: AddrMatch | undefined,
  inIface: IfaceMatch | undefined,
  outIface: IfaceMatch | undefined,
  protocol: { readonly proto: number; readonly invert: boolean } | undefined,
  matches: readonly Match[],
  target: Target,
): Rule {
  return { src, dst, inIface, outIface, protocol, matches, target };
}

/** A rule number word of -D/-I/-R/-L/-S/-Z. */
function rulenum(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (!/^\d+$/.test(word) || Number(word) < 1 || Number(word) > 0x7fffffff) throw paramError(`Invalid rule number \`${word}'`);
  return Number(word);
}

/** sscanf("%llu"): white space, a sign, then digits (a `-` wraps modulo 2^64); undefined without digits. */
function scanUnsigned(text: string): number | undefined {
  const m = /^\s*([+-]?)(\d+)/.exec(text);
  if (!m) return undefined;
  const max = (1n << 64n) - 1n;
  let v = BigInt(m[2]!);
  if (v > max) v = max;
  return Number(m[1] === '-' ? (max + 1n - v) & max : v);
}

/** `-N`/`-E` names: iptables' checks, in its order. */
export function checkChainName(name: string): void {
  if (name.startsWith('-')) throw paramError("chain name not allowed to start with `-'");
  if (isTargetName(name)) throw paramError('chain name may not clash with target name');
  if (name.length > 28) throw paramError(`chain name \`${name}' too long (must be under 29 chars)`);
  if (/[\s]/.test(name) || name === '') throw paramError(`Invalid chain name \`${name}'`);
}

/** Parses an iptables command line (argv without the program name). Throws IptablesError. */
export function parseCommand(argv: readonly string[], opts: ParseOptions = {}): ParsedCommand {
  return new CommandParser(argv, opts).parse();
}

/**
 * Parses a bare rule specification (`-p tcp --dport 443 -j ACCEPT`) into a Rule, as
 * `iptables -A CHAIN <spec>` would. Throws IptablesError.
 */
export function parseRule(spec: readonly string[], opts: ParseOptions = {}): Rule {
  return parseCommand(['-A', 'KNETLAB', ...spec], opts).rule!;
}

export { IptablesError };
