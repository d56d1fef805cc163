// The `ipset` command (ipset v7.17, protocol 7) over the namespace's emulated registry:
// create|add|del|test|destroy|list|save|restore|flush|rename|swap|version, the global options
// -exist/-!, -output plain|save|xml, -quiet, -sorted, -name, -terse and -file, the one-letter
// command aliases, and the tool's messages and exit statuses (1 for errors the kernel or the
// element parser reports, 2 for command-line misuse, with "Try `ipset help'…").
// `restore` reads the file given with -file (or as its argument), otherwise standard input.
import {
  IpsetError,
  ipsetOf,
  isIpsetType,
  type IpSet,
  type IpsetAdtSpec,
  type IpsetCreateOptions,
  type IpsetErrorCode,
  type IpsetMember,
  type IpsetRegistry,
  type IpsetTypeName,
} from '../../kernel/netfilter/index.js';
import type { Command } from '../proc.js';
import { formatElem, parseElem, parseNumber, ParseError, testedElem } from './elem.js';
import { DEFAULT_HELP, SUPPORTED_TYPES } from './help.js';

/** Every set type the installed tool knows (its help lists them), emulated or not. */
const KNOWN_TYPES = [...new Set([...SUPPORTED_TYPES.matchAll(/^ {4}(\S+)/gm)].map((m) => m[1]!))];

const VERSION = 'v7.17';
const PREFIX = `ipset ${VERSION}: `;
const TRY = "Try `ipset help' for more information.";

type Cmd = 'create' | 'add' | 'del' | 'test' | 'destroy' | 'list' | 'save' | 'restore' | 'flush' | 'rename' | 'swap' | 'help' | 'version';

/** ipset_commands[] in its order (lib/ipset.c): a command is any prefix of one of its names, the
 * first command in this order winning (`d` is del, `des` destroy, `re` restore). */
const COMMANDS: ReadonlyArray<readonly [Cmd | 'quit', readonly string[], 'two' | 'optional' | 'none']> = [
  ['create', ['create', 'new', '-N'], 'two'],
  ['add', ['add', '-A'], 'two'],
  ['del', ['del', '-D'], 'two'],
  ['test', ['test', '-T'], 'two'],
  ['destroy', ['destroy', 'x', '-X'], 'optional'],
  ['list', ['list', '-L'], 'optional'],
  ['save', ['save', '-S'], 'optional'],
  ['restore', ['restore', '-R'], 'none'],
  ['flush', ['flush', '-F'], 'optional'],
  ['rename', ['rename', 'e', '-E'], 'two'],
  ['swap', ['swap', 'w', '-W'], 'two'],
  ['help', ['help', '-h', '-H'], 'optional'],
  ['version', ['version', '-v', '-V'], 'none'],
  ['quit', ['quit'], 'none'],
];

/** ipset_match_cmd(): the command a word names; two leading dashes are ignored (`--add`). */
function commandOf(word: string): (typeof COMMANDS)[number] | undefined {
  const skip = word.startsWith('--') ? 2 : 0;
  if (word.length <= skip || word === '-') return undefined;
  const w = word.slice(skip);
  return COMMANDS.find(([, names]) => names.some((n) => n.startsWith(w)));
}

/** An error the tool reports: message, exit status, and whether the "Try" hint follows. */
class Failure extends Error {
  constructor(
    message: string,
    readonly status: 1 | 2 = 1,
    readonly hint = false,
  ) {
    super(message);
  }
}

const usage = (m: string): Failure => new Failure(m, 2, true);

/** `ipset test` found nothing: the sentence goes out without the tool's prefix, status 1. */
class TestMiss extends Failure {}

type Output = 'plain' | 'save' | 'xml';

interface Env {
  exist: boolean;
  quiet: boolean;
  /** -output, when given. */
  output: Output | undefined;
  sorted: boolean;
  name: boolean;
  terse: boolean;
  file: string | undefined;
}

/** The kernel's answer as ipset prints it for a command (lib/errcode.c + the type modules). */
function kernelMessage(cmd: Cmd, code: IpsetErrorCode): string {
  switch (code) {
    case 'ENOENT':
      return 'The set with the given name does not exist';
    case 'EXIST_SETNAME2':
      return cmd === 'rename'
        ? 'Set cannot be renamed: a set with the new name already exists'
        : 'Set cannot be created: set with the same name already exists';
    case 'EXIST':
      if (cmd === 'create') return 'Set cannot be created: set with the same name already exists';
      return cmd === 'del'
        ? "Element cannot be deleted from the set: it's not added"
        : "Element cannot be added to the set: it's already added";
    case 'BUSY':
      return 'Set cannot be destroyed: it is in use by a kernel component';
    case 'REFERENCED':
      return 'Set cannot be renamed: it is in use by another system';
    case 'TYPE_MISMATCH':
      return 'The sets cannot be swapped: their type does not match';
    case 'INVALID_CIDR':
      return 'The value of the CIDR parameter of the IP address is invalid';
    case 'HASH_FULL':
      return 'Hash is full, cannot add more elements';
    case 'HASH_ELEM':
      return 'Null-valued element, cannot be stored in a hash type of set';
    case 'HASH_RANGE':
      return 'Invalid range, covers the whole address space';
    case 'INVALID_PROTO':
      return 'Invalid protocol specified';
    case 'MISSING_PROTO':
      return 'Protocol missing, but must be specified';
    case 'BITMAP_RANGE':
      return 'Element is out of the range of the set';
    case 'BITMAP_RANGE_SIZE':
      return 'The range you specified exceeds the size limit of the set type';
    case 'TIMEOUT':
      return 'Timeout cannot be used: set was created without timeout support';
    case 'COMMENT':
      return 'Comment cannot be used: set was created without comment support';
    case 'COUNTER':
      return 'Packet/byte counters cannot be used: set was created without counter support';
    case 'MAX_SETS':
      return 'Kernel error received: maximal number of sets reached, cannot create more.';
    case 'EINVAL':
      return 'Kernel error received: Invalid argument';
  }
}

/** Runs one parsed command line against the registry; returns what it printed to stdout. */
class Session {
  out = '';
  /** Informational stderr (the test command's "Warning: … is in set …"). */
  err = '';
  constructor(private readonly reg: IpsetRegistry) {}

  /** Takes the global options out of the words, wherever they are, as ipset_parse_argv() does:
   * one option at a time in ipset_envopts[] order, each matched exactly (`--exist` as `-exist`). */
  static env(words: readonly string[], restore: boolean): { env: Env; rest: string[] } {
    const env: Env = { exist: false, quiet: false, output: undefined, sorted: false, name: false, terse: false, file: undefined };
    const rest = [...words];
    for (const [names, arg] of ENVOPTS) {
      for (let i = 0; i < rest.length; ) {
        const w = rest[i]!;
        if (!names.includes(w.startsWith('--') ? w.slice(1) : w)) {
          i++;
          continue;
        }
        rest.splice(i, 1);
        const name = names[0]!;
        if (!arg) {
          if (name === '-!') env.exist = true;
          else if (name === '-q') env.quiet = true;
          else if (name === '-s') env.sorted = true;
          else if (name === '-n') env.name = true;
          else if (name === '-t') env.terse = true;
          continue;
        }
        const v = rest[i];
        if (v === undefined) throw usage(`Missing mandatory argument to option ${name}`);
        rest.splice(i, 1);
        if (name === '-o') {
          if (v !== 'plain' && v !== 'save' && v !== 'xml') throw new Failure(`Syntax error: unknown output mode '${v}'`);
          env.output = v;
        } else {
          if (restore) throw new Failure('Error in line: Unknown argument -file');
          env.file = v;
        }
      }
    }
    return { env, rest };
  }

  run(cmd: Cmd, args: string[], env: Env): void {
    const reg = this.reg;
    const need = (n: number, what = 'mandatory'): string => {
      const v = args[n];
      if (v === undefined) throw usage(`Missing ${n === 0 ? '' : 'second '}${what} argument to command ${cmd}`);
      return v;
    };
    switch (cmd) {
      case 'version':
        this.out += `ipset ${VERSION}, protocol version: 7\n`;
        return;
      case 'create': {
        const name = need(0);
        checkName(name);
        const type = need(1);
        if (!isIpsetType(type)) throw new Failure(`Syntax error: typename '${type}' is unknown`);
        const opts = parseCreateOptions(type, args.slice(2));
        this.kernel(cmd, () => reg.create(name, type, opts, env.exist));
        return;
      }
      case 'add':
      case 'del':
      case 'test': {
        const name = need(0);
        const set = this.kernel(cmd, () => {
          const s = reg.get(name);
          if (!s) throw new IpsetError('ENOENT');
          return s;
        });
        const elemText = args[1];
        if (elemText === undefined) throw usage(`Missing second mandatory argument to command ${cmd}`);
        const spec = { ...parseElem(set.type, elemText), ...parseAdtOptions(cmd, set, args.slice(2)) };
        if (cmd === 'test') {
          const hit = this.kernel(cmd, () => reg.test(name, spec));
          const shown = formatElem(set.type, testedElem(set.type, spec));
          if (hit) {
            this.err += `Warning: ${shown} is in set ${name}.\n`;
            return;
          }
          throw new TestMiss(`${shown} is NOT in set ${name}.`);
        }
        this.kernel(cmd, () => (cmd === 'add' ? reg.add(name, spec, env.exist) : reg.del(name, spec, env.exist)));
        return;
      }
      case 'destroy':
      case 'flush': {
        if (args.length > 1) throw usage(`Unknown argument ${args[1]}`);
        const name = args[0];
        this.kernel(cmd, () => (cmd === 'destroy' ? reg.destroy(name) : reg.flush(name)));
        return;
      }
      case 'rename':
      case 'swap': {
        const from = need(0);
        const to = need(1);
        if (args.length > 2) throw usage(`Unknown argument ${args[2]}`);
        if (cmd === 'rename') checkName(to);
        this.kernel(cmd, () => (cmd === 'rename' ? reg.rename(from, to) : reg.swap(from, to)));
        return;
      }
      case 'list':
      case 'save': {
        if (args.length > 1) throw usage(`Unknown argument ${args[1]}`);
        const name = args[0];
        const sets =
          name === undefined
            ? reg.sets()
            : [
                this.kernel(cmd, () => {
                  const s = reg.get(name);
                  if (!s) throw new IpsetError('ENOENT');
                  return s;
                }),
              ];
        const output: Output = env.output ?? (cmd === 'save' ? 'save' : 'plain');
        this.out += render(sets, output, env);
        return;
      }
      case 'help': {
        // The usage text, then (unless -quiet) the set types, or the named type's own help.
        this.out += DEFAULT_HELP;
        const type = args[0];
        if (env.quiet) return;
        if (type === undefined) {
          this.out += SUPPORTED_TYPES;
          return;
        }
        if (!isIpsetType(type) && !KNOWN_TYPES.includes(type)) throw usage(`Unknown settype: \`${type}'`);
        throw new Failure(`knetlab: ipset help ${type} is not emulated`, 2);
      }
      case 'restore':
        throw new Failure('restore handled by the caller');
    }
  }

  kernel<T>(cmd: Cmd, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof IpsetError) throw new Failure(kernelMessage(cmd, e.code));
      throw e;
    }
  }
}

function checkName(name: string): void {
  if (name.length > 31) throw new Failure(`Syntax error: setname '${name}' is longer than 31 characters`);
}

const HASH_CREATE_OPTS = ['family', 'hashsize', 'maxelem', 'timeout', 'counters', 'comment', 'bucketsize', 'initval'];

function parseCreateOptions(type: IpsetTypeName, words: readonly string[]): IpsetCreateOptions {
  const o: { -readonly [K in keyof IpsetCreateOptions]: IpsetCreateOptions[K] } = {};
  const isBitmap = type === 'bitmap:port';
  const allowed = isBitmap ? ['range', 'timeout', 'counters', 'comment'] : HASH_CREATE_OPTS;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!allowed.includes(w)) throw usage(`Unknown argument: \`${w}'`);
    if (w === 'counters' || w === 'comment') {
      o[w] = true;
      continue;
    }
    const v = words[++i];
    if (v === undefined) throw usage(`Missing mandatory argument of option \`${w}'`);
    switch (w) {
      case 'family':
        if (v === 'inet' || v === 'ipv4') break;
        if (v === 'inet6' || v === 'ipv6') throw new Failure('knetlab: ipset family inet6 is not emulated');
        throw new Failure(`Syntax error: unknown inet family ${v}`);
      case 'hashsize':
        o.hashsize = parseNumber(v, 0, 0xffffffff);
        break;
      case 'maxelem':
        o.maxelem = parseNumber(v, 0, 0xffffffff);
        break;
      case 'timeout':
        o.timeout = parseNumber(v, 0, 2147483);
        break;
      case 'bucketsize':
        o.bucketsize = parseNumber(v, 0, 255);
        break;
      case 'initval': {
        const n = /^0[xX][0-9a-fA-F]+$/.test(v) ? parseInt(v, 16) : /^[0-9]+$/.test(v) ? Number(v) : NaN;
        if (!(n >= 0 && n <= 0xffffffff)) throw new Failure(`Syntax error: '${v}' is invalid as number`);
        o.initval = n;
        break;
      }
      case 'range': {
        const dash = v.indexOf('-');
        if (dash < 0) throw usage("Mandatory option `to' is missing");
        const from = portInRange(v.slice(0, dash));
        const to = portInRange(v.slice(dash + 1));
        o.range = { from, to };
        break;
      }
    }
  }
  if (isBitmap && !o.range) throw usage("Mandatory option `range' is missing");
  return o;
}

function portInRange(text: string): number {
  try {
    return parseNumber(text, 0, 65535);
  } catch (e) {
    throw new Failure(`${(e as Error).message}\nSyntax error: 'tcp' is invalid as number\ncannot parse '${text}' as a tcp port`);
  }
}

/** The per-element options after the element: timeout, packets, bytes, comment, nomatch. */
function parseAdtOptions(
  cmd: Cmd,
  set: IpSet,
  words: readonly string[],
): Partial<{ -readonly [K in keyof IpsetAdtSpec]: IpsetAdtSpec[K] }> {
  const o: Partial<{ -readonly [K in keyof IpsetAdtSpec]: IpsetAdtSpec[K] }> = {};
  const nets = set.type === 'hash:net' || set.type === 'hash:ip,port,net';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'nomatch' && nets) {
      o.nomatch = true;
      continue;
    }
    const known = cmd === 'add' && (w === 'timeout' || w === 'packets' || w === 'bytes' || w === 'comment');
    if (!known) throw usage(`Unknown argument: \`${w}'`);
    const v = words[++i];
    if (v === undefined) throw usage(`Missing mandatory argument of option \`${w}'`);
    if (w === 'timeout') o.timeout = parseNumber(v, 0, 2147483);
    else if (w === 'packets') o.packets = parseNumber(v, 0, Number.MAX_SAFE_INTEGER);
    else if (w === 'bytes') o.bytes = parseNumber(v, 0, Number.MAX_SAFE_INTEGER);
    else o.comment = v;
  }
  return o;
}

// ---- output ---------------------------------------------------------------------------------

function hex8(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function headerWords(set: IpSet): string {
  const h = set.header();
  const parts: string[] = [];
  if (h.range) parts.push(`range ${h.range.from}-${h.range.to}`);
  else parts.push(`family inet hashsize ${h.hashsize} maxelem ${h.maxelem}`);
  if (h.timeout !== undefined) parts.push(`timeout ${h.timeout}`);
  if (h.counters) parts.push('counters');
  if (h.comment) parts.push('comment');
  if (!h.range) parts.push(`bucketsize ${h.bucketsize} initval ${hex8(h.initval!)}`);
  return parts.join(' ');
}

function memberExt(set: IpSet, m: IpsetMember): string {
  let s = '';
  if (m.nomatch) s += ' nomatch';
  if (m.timeout !== undefined) s += ` timeout ${m.timeout}`;
  if (m.packets !== undefined) s += ` packets ${m.packets} bytes ${m.bytes}`;
  if (m.comment !== undefined) s += ` comment "${m.comment}"`;
  void set;
  return s;
}

function sortedMembers(set: IpSet, env: Env): IpsetMember[] {
  const ms = set.members();
  if (!env.sorted || set.isBitmap) return ms;
  return [...ms].sort(
    (a, b) =>
      a.elem.ip - b.elem.ip ||
      a.elem.proto - b.elem.proto ||
      a.elem.port - b.elem.port ||
      a.elem.ip2 - b.elem.ip2 ||
      a.elem.cidr - b.elem.cidr,
  );
}

function xmlExt(m: IpsetMember): string {
  let s = '';
  if (m.nomatch) s += '<nomatch/>';
  if (m.timeout !== undefined) s += `<timeout>${m.timeout}</timeout>`;
  if (m.packets !== undefined) s += `<packets>${m.packets}</packets><bytes>${m.bytes}</bytes>`;
  if (m.comment !== undefined) s += `<comment>"${m.comment}"</comment>`;
  return s;
}

/** `ipset list|save` output for the given sets. */
function render(sets: readonly IpSet[], output: Output, env: Env): string {
  let out = '';
  if (output === 'save') {
    for (const set of sets) {
      out += `create ${set.name} ${set.type} ${headerWords(set)}\n`;
      for (const m of sortedMembers(set, env)) out += `add ${set.name} ${formatElem(set.type, m.elem)}${memberExt(set, m)}\n`;
    }
    return out;
  }
  if (output === 'xml') {
    out += '<ipsets>\n';
    for (const set of sets) {
      if (env.name) {
        out += `<ipset name="${set.name}"/>\n`;
        continue;
      }
      const h = set.header();
      out += `<ipset name="${set.name}">\n<type>${set.type}</type>\n<revision>${h.revision}</revision>\n<header>`;
      if (h.range) out += `<range>${h.range.from}-${h.range.to}</range>`;
      else out += `<family>inet</family><hashsize>${h.hashsize}</hashsize><maxelem>${h.maxelem}</maxelem>`;
      if (h.timeout !== undefined) out += `<timeout>${h.timeout}</timeout>`;
      if (h.counters) out += '<counters/>';
      if (h.comment) out += '<comment/>';
      if (!h.range) out += `<bucketsize>${h.bucketsize}</bucketsize><initval>${hex8(h.initval!)}</initval>`;
      out += `\n<memsize>${h.memsize}</memsize>\n<references>${h.references}</references>\n<numentries>${h.entries}</numentries>\n</header>\n`;
      if (!env.terse) {
        out += '<members>\n';
        for (const m of sortedMembers(set, env)) out += `<member><elem>${formatElem(set.type, m.elem)}</elem>${xmlExt(m)}</member>\n`;
        out += '</members>\n';
      }
      out += '</ipset>\n';
    }
    return `${out}</ipsets>\n`;
  }
  if (env.name) return sets.map((s) => `${s.name}\n`).join('');
  const blocks = sets.map((set) => {
    const h = set.header();
    let b = `Name: ${set.name}\nType: ${set.type}\nRevision: ${h.revision}\nHeader: ${headerWords(set)}\nSize in memory: ${h.memsize}\nReferences: ${h.references}\nNumber of entries: ${h.entries}\n`;
    if (!env.terse) {
      b += 'Members:\n';
      for (const m of sortedMembers(set, env)) b += `${formatElem(set.type, m.elem)}${memberExt(set, m)}\n`;
    }
    return b;
  });
  return blocks.join('\n');
}

// ---- entry points ---------------------------------------------------------------------------

/** ipset_envopts[] in its order: names, and whether a value follows. */
const ENVOPTS: ReadonlyArray<readonly [readonly string[], boolean]> = [
  [['-o', '-output'], true],
  [['-s', '-sorted'], false],
  [['-q', '-quiet'], false],
  [['-r', '-resolve'], false],
  [['-!', '-exist'], false],
  [['-n', '-name'], false],
  [['-t', '-terse'], false],
  [['-f', '-file'], true],
];

/** Parses and runs one command line (argv without "ipset"); throws Failure. */
function runLine(session: Session, words: readonly string[], inRestore: boolean): { env: Env; cmd: Cmd | undefined; args: string[] } {
  const { env, rest } = Session.env(words, inRestore);
  const first = rest[0];
  if (first === undefined) throw usage('No command specified.');
  const found = commandOf(first);
  if (!found) {
    if (first === '-') throw new Failure('knetlab: ipset interactive mode (ipset -) is not emulated', 2);
    throw usage(`No command specified: unknown argument ${first}`);
  }
  const [cmd, names, arity] = found;
  if (inRestore && (cmd === 'restore' || cmd === 'version' || cmd === 'help'))
    throw usage(`Command \`${names[0]}' is invalid in restore mode.`);
  const args = rest.slice(1);
  if (arity === 'two' && args.length < 1) throw usage(`Missing mandatory argument to command ${names[0]}`);
  if (arity === 'two' && args.length < 2) throw usage(`Missing second mandatory argument to command ${names[0]}`);
  if (cmd === 'quit') return { env, cmd: undefined, args };
  if (cmd === 'restore' && args.length > 0) throw usage(`Unknown argument ${args[0]}`);
  if (cmd !== 'restore') session.run(cmd, args, env);
  return { env, cmd, args };
}

/** Splits a restore line into words (blanks; "…" keeps a comment together). */
function restoreWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) words.push(m[1] ?? m[2]!);
  return words;
}

/** The ipset command, emulating ipset v7.17 on the process's network namespace. */
export const ipset: Command = (args, proc) => {
  const reg = ipsetOf(proc.ns);
  const session = new Session(reg);
  let quiet = args.some((w) => ['-q', '-quiet'].includes(w.startsWith('--') ? w.slice(1) : w));
  const flush = (): void => {
    proc.stdout(session.out);
    if (!quiet) proc.stderr(session.err);
    session.out = session.err = '';
  };
  const fail = (f: Failure, line?: number): number => {
    flush();
    if (!quiet) {
      const head = f instanceof TestMiss ? '' : PREFIX;
      proc.stderr(`${head}${line !== undefined ? `Error in line ${line}: ` : ''}${f.message}\n${f.hint ? `${TRY}\n` : ''}`);
    }
    return f.status;
  };
  try {
    const { env, cmd } = runLine(session, args, false);
    quiet = env.quiet;
    if (cmd === 'restore') {
      const file = env.file;
      const data = file === undefined ? (proc.stdin ?? new Uint8Array(0)) : proc.readFile(file);
      // ipset 7.17 gives up silently when the file cannot be opened (exit status 255).
      if (data === undefined) return 255;
      const lines = new TextDecoder().decode(data).split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '' || line.startsWith('#')) continue;
        if (line === 'COMMIT') continue;
        try {
          const words = restoreWords(line);
          runLine(session, env.exist ? [...words, '-exist'] : words, true);
        } catch (e) {
          if (e instanceof Failure) return fail(e, i + 1);
          if (e instanceof ParseError) return fail(new Failure(e.message), i + 1);
          throw e;
        }
      }
    }
    flush();
    return 0;
  } catch (e) {
    if (e instanceof Failure) return fail(e);
    if (e instanceof ParseError) return fail(new Failure(e.message));
    throw e;
  }
};
