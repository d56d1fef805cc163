// conntrack's command line (conntrack-tools 1.4.7, src/conntrack.c do_parse): getopt_long with
// glibc's messages turned off (opterr = 0, a spec starting with `:`), the tool's own texts
// ("unknown option `-x'", "option `-p' requires an argument"), the optional table name after a
// command (`-L expect`, read from the next word, never from an attached `-Lexpect`), the options a
// protocol brings once `-p` names it (extensions/libct_proto_{tcp,udp,udplite,icmp}.c), and the
// command/option compatibility matrix checked after parsing (generic_opt_check).
import { GetoptScanner, type LongOption } from '../../transcript/index.js';
import { parseIpv6 } from '../../wire/index.js';
import { OPTS, OPT_MATRIX, PROTO_HANDLERS, type CommandName, type OptName, type ProtoHandler } from './tables.js';
import { inetAton, strtol, strtoul, strtoulEnd } from './numbers.js';
import { protocolNumber } from '../ipset/netdb.js';

export type Table = 'conntrack' | 'expect' | 'dying' | 'unconfirmed';

/** An address filter: IPv4 with an optional prefix (only -s/-d take one), or any IPv6 one, which
 * the IPv4-only emulated table never holds. */
export type AddrFilter = { readonly v4: number; readonly mask: number } | { readonly v6: true };

/** What the command line asks for, parsed and checked. */
export interface ConntrackArgs {
  /** Undefined when no command was given (the tool then prints its usage). */
  readonly command: CommandName | undefined;
  readonly table: Table;
  readonly options: ReadonlySet<OptName>;
  readonly proto?: number;
  readonly family?: 'ipv4' | 'ipv6';
  readonly src?: AddrFilter;
  readonly dst?: AddrFilter;
  readonly replySrc?: AddrFilter;
  readonly replyDst?: AddrFilter;
  /** The protocol's options by their name in its table (`sport`, `state`, `icmp-type`...). */
  readonly l4: ReadonlyMap<string, number | string>;
  readonly timeout?: number;
  /** --status: the bits to compare (`mask`) and their wanted values. */
  readonly status?: { readonly value: number; readonly mask: number };
  readonly mark?: { readonly value: number; readonly mask: number };
  readonly zone?: number;
  readonly secmark?: number;
  readonly nat: { readonly src?: NatFilter; readonly dst?: NatFilter };
  readonly output: ReadonlySet<string>;
  /** Warnings the real tool prints on stderr while parsing (deprecated -a, SRC_NAT status). */
  readonly warnings: readonly string[];
}

export interface NatFilter {
  readonly addr?: number;
  readonly v6?: true;
  readonly port?: number;
}

/** A parse failure: the message after the `conntrack v1.4.7 (conntrack-tools): ` prefix, and
 * whether the tool adds its "Try `conntrack -h'" line (exit 2) or not (exit 1). */
export interface ConntrackArgsError {
  readonly error: string;
  readonly tryHelp: boolean;
  /** Lines printed before the message (libnetfilter_conntrack's own complaints). */
  readonly before?: string;
}

const ORIGINAL_OPTS: readonly LongOption[] = [
  { name: 'dump', arg: 'optional', key: 'L' },
  { name: 'create', arg: 'optional', key: 'I' },
  { name: 'add', arg: 'optional', key: 'A' },
  { name: 'delete', arg: 'optional', key: 'D' },
  { name: 'update', arg: 'optional', key: 'U' },
  { name: 'get', arg: 'optional', key: 'G' },
  { name: 'flush', arg: 'optional', key: 'F' },
  { name: 'event', arg: 'optional', key: 'E' },
  { name: 'counter', arg: 'optional', key: 'C' },
  { name: 'stats', arg: 'none', key: 'S' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'orig-src', arg: 'required', key: 's' },
  { name: 'src', arg: 'required', key: 's' },
  { name: 'orig-dst', arg: 'required', key: 'd' },
  { name: 'dst', arg: 'required', key: 'd' },
  { name: 'reply-src', arg: 'required', key: 'r' },
  { name: 'reply-dst', arg: 'required', key: 'q' },
  { name: 'protonum', arg: 'required', key: 'p' },
  { name: 'timeout', arg: 'required', key: 't' },
  { name: 'status', arg: 'required', key: 'u' },
  { name: 'zero', arg: 'none', key: 'z' },
  { name: 'event-mask', arg: 'required', key: 'e' },
  { name: 'tuple-src', arg: 'required', key: '[' },
  { name: 'tuple-dst', arg: 'required', key: ']' },
  { name: 'mask-src', arg: 'required', key: '{' },
  { name: 'mask-dst', arg: 'required', key: '}' },
  { name: 'nat-range', arg: 'required', key: 'a' },
  { name: 'mark', arg: 'required', key: 'm' },
  { name: 'secmark', arg: 'required', key: 'c' },
  { name: 'id', arg: 'optional', key: 'i' },
  { name: 'family', arg: 'required', key: 'f' },
  { name: 'src-nat', arg: 'optional', key: 'n' },
  { name: 'dst-nat', arg: 'optional', key: 'g' },
  { name: 'output', arg: 'required', key: 'o' },
  { name: 'buffer-size', arg: 'required', key: 'b' },
  { name: 'any-nat', arg: 'optional', key: 'j' },
  { name: 'zone', arg: 'required', key: 'w' },
  { name: 'label', arg: 'required', key: 'l' },
  { name: 'label-add', arg: 'required', key: '<' },
  { name: 'label-del', arg: 'optional', key: '>' },
  { name: 'orig-zone', arg: 'required', key: '(' },
  { name: 'reply-zone', arg: 'required', key: ')' },
];
const GETOPT_SPEC = ':L::I::U::D::G::E::F::A::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):';

const COMMAND_LETTERS: Record<string, CommandName> = {
  L: 'list',
  I: 'create',
  A: 'add',
  D: 'delete',
  U: 'update',
  G: 'get',
  F: 'flush',
  E: 'event',
  C: 'count',
  S: 'stats',
  V: 'version',
  h: 'help',
};
/** The expectation-table command each conntrack command becomes with `expect` (none: "Can't do"). */
const EXPECT_COMMAND: Partial<Record<CommandName, CommandName>> = {
  list: 'exp-list',
  create: 'exp-create',
  delete: 'exp-delete',
  get: 'exp-get',
  flush: 'exp-flush',
  event: 'exp-event',
  count: 'exp-count',
  stats: 'exp-stats',
  version: 'version',
  help: 'help',
};
const STATUS_WORDS: readonly [string, number][] = [
  ['ASSURED', 1 << 2],
  ['SEEN_REPLY', 1 << 1],
  ['UNSET', 0],
  ['FIXED_TIMEOUT', 1 << 10],
  ['EXPECTED', 1 << 0],
  ['OFFLOAD', 1 << 14],
  ['HW_OFFLOAD', 1 << 15],
];
const EVENT_WORDS: readonly [string, number][] = [
  ['ALL', 7],
  ['NEW', 1],
  ['UPDATES', 2],
  ['DESTROY', 4],
];
const OUTPUT_WORDS: readonly [string, number][] = [
  ['xml', 1],
  ['extended', 2],
  ['timestamp', 4],
  ['id', 8],
  ['ktimestamp', 16],
  ['labels', 32],
  ['userspace', 0],
  ['save', 64],
];
export const SEEN_REPLY = 1 << 1;

class ParseError extends Error {
  constructor(
    readonly error: string,
    readonly tryHelp = true,
    readonly before?: string,
  ) {
    super(error);
  }
}

/** Parses conntrack's argv (without the program name) as do_parse() does. */
export function parseConntrackArgs(args: readonly string[]): ConntrackArgs | ConntrackArgsError {
  try {
    return parse(args);
  } catch (e) {
    if (e instanceof ParseError) return { error: e.error, tryHelp: e.tryHelp, ...(e.before !== undefined ? { before: e.before } : {}) };
    throw e;
  }
}

function parse(args: readonly string[]): ConntrackArgs {
  const g = new GetoptScanner('conntrack', args, GETOPT_SPEC, ORIGINAL_OPTS);
  const options = new Set<OptName>();
  const l4 = new Map<string, number | string>();
  const warnings: string[] = [];
  const output = new Set<string>();
  const nat: { src?: NatFilter; dst?: NatFilter } = {};
  const r: {
    command?: CommandName;
    table: Table;
    proto?: number;
    family?: 'ipv4' | 'ipv6';
    src?: AddrFilter;
    dst?: AddrFilter;
    replySrc?: AddrFilter;
    replyDst?: AddrFilter;
    timeout?: number;
    status?: { value: number; mask: number };
    mark?: { value: number; mask: number };
    zone?: number;
    secmark?: number;
  } = { table: 'conntrack' };
  let handler: ProtoHandler | undefined;
  /** get_optional_arg(): an attached argument is dropped; else the next word unless it starts with - or !. */
  const optionalWord = (attached: string | undefined): string | undefined => {
    if (attached !== undefined) return undefined;
    const w = g.argv[g.optind];
    if (w === undefined || w.startsWith('-') || w.startsWith('!')) return undefined;
    g.optind++;
    return w;
  };
  const setFamily = (f: 'ipv4' | 'ipv6') => {
    if (r.family === undefined) r.family = f;
    else if (r.family !== f) throw new ParseError('mismatched address family');
  };
  for (let o = g.next(); o !== undefined; o = g.next()) {
    if ('error' in o) {
      const word = g.word(g.optind - 1);
      throw new ParseError(o.kind === 'missing' ? `option \`${word}' requires an argument` : `unknown option \`${word}'`);
    }
    const arg = o.arg ?? '';
    const letter = o.opt;
    const cmd = COMMAND_LETTERS[letter];
    if (cmd !== undefined) {
      const table = tableName(optionalWord(o.arg));
      let chosen: CommandName | undefined = cmd;
      if (table === 'dying' || table === 'unconfirmed') {
        if (cmd !== 'list') throw new ParseError("Can't do that command with tables `dying' and `unconfirmed'");
      } else if (table === 'expect') {
        chosen = EXPECT_COMMAND[cmd];
        if (chosen === undefined) throw new ParseError(`Can't do --${longName(letter)} on expectations`);
      }
      if (r.command !== undefined) throw new ParseError('Invalid commands combination');
      r.command = chosen;
      r.table = table;
      continue;
    }
    switch (letter) {
      case 's':
      case 'd':
      case 'r':
      case 'q':
      case '[':
      case ']':
      case '{':
      case '}': {
        const a = address(letter, arg, setFamily);
        const name = ADDRESS_OPTS[letter]!;
        options.add(name);
        if (a.prefixed) options.add(letter === 's' || letter === '[' ? 'mask-src' : 'mask-dst');
        if (letter === 's') r.src = a.filter;
        else if (letter === 'd') r.dst = a.filter;
        else if (letter === 'r') r.replySrc = a.filter;
        else if (letter === 'q') r.replyDst = a.filter;
        break;
      }
      case 'p': {
        options.add('protonum');
        const found = findProto(arg);
        if (found === undefined) throw new ParseError(`\`${arg}' unsupported protocol`);
        handler = found.handler;
        r.proto = found.proto;
        g.longs = [...(g.longs ?? []), ...handler.opts.map((opt) => ({ ...opt, key: `${handler!.name}:${opt.key}` }))];
        break;
      }
      case 't':
        options.add('timeout');
        r.timeout = Number(BigInt.asUintN(32, strtol(arg, 10)));
        break;
      case 'u':
        options.add('status');
        r.status = statusMask(arg, warnings);
        break;
      case 'e':
        options.add('event-mask');
        parameterWords(arg, EVENT_WORDS, warnings);
        break;
      case 'o': {
        options.add('output');
        const bits = parameterWords(arg, OUTPUT_WORDS, warnings, output);
        if (bits & 64 && bits & ~64) throw new ParseError('cannot combine save output with any other output type, use -o save only', false);
        break;
      }
      case 'z':
        options.add('zero');
        break;
      case 'n':
      case 'g':
      case 'j': {
        const name = letter === 'n' ? 'src-nat' : letter === 'g' ? 'dst-nat' : 'any-nat';
        options.add(name);
        const word = optionalWord(o.arg);
        const f = word === undefined ? {} : natFilter(letter, word, setFamily);
        if (letter !== 'g') nat.src = f;
        if (letter !== 'n') nat.dst = f;
        break;
      }
      case 'w':
      case '(':
      case ')':
        options.add(letter === 'w' ? 'zone' : letter === '(' ? 'orig-zone' : 'reply-zone');
        if (letter === 'w') r.zone = Number(BigInt.asUintN(16, strtoul(arg)));
        break;
      case 'i':
      case 'c':
        options.add(letter === 'i' ? 'id' : 'secmark');
        if (letter === 'c') r.secmark = Number(BigInt.asUintN(32, strtoul(arg)));
        break;
      case 'm': {
        options.add('mark');
        // parse_u32_mask(): strtoul's value up to where it stops; a mask only right after it.
        const [full, end] = strtoulEnd(arg);
        const value = Number(BigInt.asUintN(32, full));
        const mask = arg[end] === '/' ? Number(BigInt.asUintN(32, strtoul(arg.slice(end + 1)))) : 0xffffffff;
        r.mark = { value, mask };
        break;
      }
      case 'l':
      case '<':
      case '>': {
        options.add(letter === 'l' ? 'label' : letter === '<' ? 'label-add' : 'label-del');
        if (options.has('label-add') && options.has('label-del'))
          throw new ParseError('cannot use --label-add and --label-del at the same time', false);
        const word = letter === '>' ? (optionalWord(o.arg) ?? o.arg) : arg;
        if (word === undefined) break;
        // No /etc/xtables/connlabel.conf in a lab: every name is unknown.
        throw new ParseError(`unknown label '${word.split(',')[0]}'`, true, 'nfct_labelmap_new: No such file or directory\n');
      }
      case 'a':
        warnings.push(`WARNING: ignoring -${letter}, deprecated option.\n`);
        break;
      case 'f':
        options.add('family');
        if (arg.startsWith('ipv4')) setFamily('ipv4');
        else if (arg.startsWith('ipv6')) setFamily('ipv6');
        else throw new ParseError(`\`${arg}' unsupported protocol`);
        break;
      case 'b':
        options.add('buffer-size');
        break;
      default: {
        // A protocol's option. Only the protocol named last parses options, and it reads an earlier
        // protocol's option as its own option of the same number (the offsets differ by 256 and the
        // number is a char): after `-p tcp -p udp`, tcp's --state is udp's --tuple-port-src.
        const key = letter.split(':')[1];
        const flag = handler?.flags[Number(key) - 1];
        if (handler === undefined || flag === undefined) break;
        if (flag === 'state') {
          if (!handler.states!.includes(arg) && !(handler.name === 'tcp' && arg === 'LISTEN'))
            throw new ParseError(`${handler.stateError} \`${arg}'`);
          l4.set(flag, arg);
        } else if (flag === 'role') {
          if (arg !== 'client' && arg !== 'server') throw new ParseError(`Unknown DCCP role \`${arg}'`);
          l4.set(flag, arg);
        } else {
          const bits = /^icmp(v6)?-(type|code)$/.test(flag) ? 8 : flag.endsWith('vtag') ? 32 : 16;
          l4.set(flag, Number(BigInt.asUintN(bits, bits === 32 ? strtoul(arg) : strtol(arg, 10))));
        }
      }
    }
  }
  if (options.has('any-nat') && (options.has('src-nat') || options.has('dst-nat'))) {
    throw new ParseError("cannot specify `--src-nat' or `--dst-nat' with `--any-nat'");
  }
  checkOptions(r.command, options);
  if (r.command !== 'help' && handler?.matrix) checkProtoOptions(r.command, handler, l4);
  return { ...r, command: r.command, options, l4, nat, output, warnings };
}

const ADDRESS_OPTS: Record<string, OptName> = {
  s: 'src',
  d: 'dst',
  r: 'reply-src',
  q: 'reply-dst',
  '[': 'tuple-src',
  ']': 'tuple-dst',
  '{': 'mask-src',
  '}': 'mask-dst',
};

function longName(letter: string): string {
  return ORIGINAL_OPTS.find((o) => o.key === letter)?.name ?? 'unknown';
}

/** check_type(): a prefix of a table name (the empty word is `expect`, as strncmp reads it). */
function tableName(word: string | undefined): Table {
  if (word === undefined) return 'conntrack';
  for (const t of ['expect', 'conntrack', 'dying', 'unconfirmed'] as const) if (t.startsWith(word)) return t;
  throw new ParseError(`unknown type \`${word}'`);
}

/** findproto(): a handler's name (any case), a name from /etc/protocols, or a number up to 255. */
function findProto(text: string): { handler: ProtoHandler; proto: number } | undefined {
  const lower = text.toLowerCase();
  const named = PROTO_HANDLERS.find((h) => h.name === lower);
  if (named) return { handler: named, proto: named.proto };
  const known = protocolNumber(text);
  if (known !== undefined) return { handler: UNKNOWN, proto: known };
  if (!/^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(text)) return undefined;
  const n = strtoul(text);
  if (n > 255n) return undefined;
  const proto = Number(n);
  return { handler: PROTO_HANDLERS.find((h) => h.proto === proto) ?? UNKNOWN, proto };
}

const UNKNOWN: ProtoHandler = { name: 'unknown', proto: 0, opts: [], flags: [] };

interface Address {
  readonly filter: AddrFilter;
  /** A prefix shorter than the address's length was given: the tool adds --mask-src/--mask-dst. */
  readonly prefixed: boolean;
}

/** parse_addr() and nfct_parse_addr_from_opt(): only -s/-d (and the expectation tuple) take a prefix. */
function address(letter: string, text: string, setFamily: (f: 'ipv4' | 'ipv6') => void): Address {
  // The tool copies the word into a 46-byte buffer first (INET6_ADDRSTRLEN).
  const buf = text.slice(0, 45);
  const slash = buf.indexOf('/');
  let prefix = -1;
  if (slash >= 0) {
    const m = /^\s*[+-]?\d+/.exec(buf.slice(slash + 1));
    const n = m ? Number(BigInt.asIntN(32, strtol(buf.slice(slash + 1), 10))) : 0;
    prefix = m && m[0].length === buf.length - slash - 1 && n >= 0 ? n : -2;
  }
  const host = slash >= 0 ? buf.slice(0, slash) : buf;
  const v4 = inetAton(host);
  const v6 = v4 === undefined ? parseIpv6(host) : undefined;
  if (v4 === undefined && v6 === undefined) throw new ParseError(`Invalid IP address \`${text}'`);
  setFamily(v4 !== undefined ? 'ipv4' : 'ipv6');
  if (prefix > (v4 !== undefined ? 32 : 128)) prefix = -2;
  const takesMask = 'sd[]'.includes(letter);
  if (prefix !== -1 && !takesMask) throw new ParseError(`CIDR notation unavailable for \`--${longName(letter)}'`);
  if (prefix === -2) throw new ParseError('Invalid netmask');
  if (v4 === undefined) return { filter: { v6: true }, prefixed: prefix !== -1 && prefix !== 128 };
  const len = prefix === -1 ? 32 : prefix;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { filter: { v4, mask }, prefixed: prefix !== -1 && prefix !== 32 };
}

/** The address (and port) a --src-nat/--dst-nat/--any-nat word names (split_address_and_port). */
function natFilter(letter: string, word: string, setFamily: (f: 'ipv4' | 'ipv6') => void): NatFilter {
  let host = word;
  let port: string | undefined;
  const open = word.indexOf('[');
  if (open >= 0) {
    const close = word.indexOf(']', open + 1);
    if (close === open + 1) throw new ParseError('No IPv6 address specified');
    if (close < 0) throw new ParseError("No closing ']' around IPv6 address");
    const colon = word.indexOf(':', close);
    if (colon >= 0) {
      host = word.slice(open + 1, close);
      port = word.slice(colon + 1);
    }
  } else {
    const colon = word.indexOf(':');
    if (colon >= 0 && !word.includes(':', colon + 1)) {
      host = word.slice(0, colon);
      port = word.slice(colon + 1);
    }
  }
  if (port !== undefined) {
    if (port === '') throw new ParseError("No port specified after `:'");
    if (!/^\d+$/.test(port) || Number(port) > 65535) throw new ParseError(`Invalid port \`${port}'`);
  }
  const a = address(letter, host, setFamily);
  const p = port !== undefined ? { port: Number(port) } : {};
  return 'v4' in a.filter ? { addr: a.filter.v4, ...p } : { v6: true, ...p };
}

/** do_parse_parameter(): a case-insensitive prefix of a word (SRC_NAT/DST_NAT are tried first and ignored). */
function parameterWord(word: string, table: readonly [string, number][], warnings: string[]): number | undefined {
  const up = word.toUpperCase();
  for (const nat of ['SRC_NAT', 'DST_NAT']) {
    if (nat.startsWith(up)) {
      warnings.push(`WARNING: ignoring ${nat}, use --${nat === 'SRC_NAT' ? 'src' : 'dst'}-nat instead\n`);
      return 0;
    }
  }
  return table.find(([name]) => name.toUpperCase().startsWith(up))?.[1];
}

/** parse_parameter(): comma-separated words; the message quotes the rest of the list from the bad word. */
function parameterWords(text: string, table: readonly [string, number][], warnings: string[], names?: Set<string>): number {
  let bits = 0;
  let rest = text;
  for (;;) {
    const comma = rest.indexOf(',');
    const word = comma < 0 ? rest : rest.slice(0, comma);
    const v = word === '' ? undefined : parameterWord(word, table, warnings);
    if (v === undefined) throw new ParseError(`Bad parameter \`${rest}'`);
    bits |= v;
    const name = table.find(([n]) => n.toUpperCase().startsWith(word.toUpperCase()))?.[0];
    if (names && name !== undefined && v !== 0) names.add(name);
    if (comma < 0) return bits;
    rest = rest.slice(comma + 1);
  }
}

/** parse_parameter_mask(): status words, `!WORD` to require a bit clear, `UNREPLIED` for !SEEN_REPLY. */
function statusMask(text: string, warnings: string[]): { value: number; mask: number } {
  let value = 0;
  let mask = 0;
  let rest = text;
  for (;;) {
    const comma = rest.indexOf(',');
    if (comma === 0) throw new ParseError(`Bad parameter \`${rest}'`);
    const negated = rest.startsWith('!');
    if (negated) rest = rest.slice(1);
    const end = rest.indexOf(',');
    if (end === 0) throw new ParseError(`Bad parameter \`${rest}'`);
    const word = end < 0 ? rest : rest.slice(0, end);
    if (!negated && rest.startsWith('UNREPLIED')) {
      mask |= SEEN_REPLY;
    } else {
      const v = word === '' ? undefined : parameterWord(word, STATUS_WORDS, warnings);
      if (v === undefined) throw new ParseError(`Bad parameter \`${rest}'`);
      if (negated) mask |= v;
      else value |= v;
    }
    if (end < 0) break;
    rest = rest.slice(end + 1);
  }
  return { value, mask: mask === 0 ? value : mask };
}

/** generic_opt_check() over the main matrix, then the address pairs a create or get needs. */
function checkOptions(command: CommandName | undefined, options: ReadonlySet<OptName>): void {
  // With no command the tool indexes past its matrix; what it reads there forbids every option.
  const row = command === undefined ? undefined : OPT_MATRIX[command];
  let special = false;
  OPTS.forEach((name, i) => {
    const rule = row?.[i] ?? '0';
    if (!options.has(name) && rule === '1') throw new ParseError(`You need to supply the \`--${name}' option for this command`);
    if (options.has(name) && rule === '0') throw new ParseError(`Illegal option \`--${name}' with this command`);
    if (rule === '3') special = true;
  });
  if (!special) return;
  const orig = options.has('src') && options.has('dst');
  const reply = options.has('reply-src') && options.has('reply-dst');
  if (orig || reply) return;
  const partialOrig = options.has('src') || options.has('dst');
  const partialReply = options.has('reply-src') || options.has('reply-dst');
  if (!partialOrig && partialReply) throw new ParseError("you have to specify `--reply-src' and `--reply-dst'");
  throw new ParseError("you have to specify `--src' and `--dst'");
}

/** The protocol's final_check(): its own matrix, then the port pairs. */
function checkProtoOptions(command: CommandName | undefined, handler: ProtoHandler, l4: ReadonlyMap<string, number | string>): void {
  const row = command === undefined ? undefined : handler.matrix?.[command];
  let special = false;
  handler.flags.forEach((name, i) => {
    const rule = row?.[i] ?? '0';
    if (!l4.has(name) && rule === '1') throw new ParseError(`You need to supply the \`--${name}' option for this command`);
    if (l4.has(name) && rule === '0') throw new ParseError(`Illegal option \`--${name}' with this command`);
    if (rule === '3') special = true;
  });
  const pairs = handler.pairs;
  if (!special || pairs === undefined) return;
  const has = (names: readonly [string, string]) => l4.has(names[0]) && l4.has(names[1]);
  const some = (names: readonly [string, string]) => l4.has(names[0]) || l4.has(names[1]);
  if (has(pairs.orig) || has(pairs.reply)) return;
  if (!some(pairs.orig) && some(pairs.reply)) throw new ParseError(pairs.replyMessage);
  throw new ParseError(pairs.origMessage);
}
