// Argument handling as iproute2 does it: abbreviations by prefix (`matches()`), NEXT_ARG's
// "Command line is not complete", and the exact texts and exit statuses of its parse errors.
// Nothing here touches the kernel: commands parse everything first, then apply once.
import { parseIpv4, parseMac, type Ipv4, type Mac } from '../../wire/index.js';
import { ToolExit } from '../exit.js';

/** Ends the command with `lines` on stderr and exit status `status`. */
export class Exit extends ToolExit {
  constructor(status: number, lines: readonly string[]) {
    super(status, lines.map((l) => `${l}\n`).join(''));
  }
}

export const fail = (status: number, ...lines: string[]): never => {
  throw new Exit(status, lines);
};

/** iproute2's global option loop (ip.c and bridge.c main()): `-x` and `--x` alike, up to `--` or the first word that is not an option. */
export class GlobalOptions {
  private i = -1;

  constructor(private readonly args: readonly string[]) {}

  /** The next option (`--x` read as `-x`), or undefined where the options end. */
  next(): string | undefined {
    const opt = this.args[++this.i];
    if (opt === undefined || !opt.startsWith('-')) return undefined;
    if (opt === '--') {
      this.i++;
      return undefined;
    }
    return opt.startsWith('--') ? opt.slice(1) : opt;
  }

  /** The option's argument (NEXT_ARG); undefined when there is none. */
  value(): string | undefined {
    return this.args[++this.i];
  }

  /** What follows the options. */
  rest(): readonly string[] {
    return this.args.slice(this.i);
  }
}

/** iproute2 matches() (lib/utils.c, inverted there): `word` is a non-empty prefix of `keyword`. */
export function matches(word: string, keyword: string): boolean {
  return word !== '' && keyword.startsWith(word);
}

/** invarg(): `Error: argument "ARG" is wrong: MSG`, exit 255. A message ending in "\n" leaves a blank line, as the real one does. */
export function invarg(msg: string, arg: string): never {
  return fail(255, ...`Error: argument "${arg}" is wrong: ${msg}`.split('\n'));
}

export function duparg(key: string, arg: string): never {
  return fail(255, `Error: duplicate "${key}": "${arg}" is the second value.`);
}

export function duparg2(key: string, arg: string): never {
  return fail(255, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

export function incomplete(): never {
  return fail(255, 'Command line is not complete. Try option "help"');
}

/** A cursor over argv, with NEXT_ARG() semantics. */
export class Args {
  private i = 0;
  constructor(private readonly argv: readonly string[]) {}

  get more(): boolean {
    return this.i < this.argv.length;
  }

  /** The current word (the caller checked `more`). */
  get cur(): string {
    return this.argv[this.i]!;
  }

  peek(offset = 1): string | undefined {
    return this.argv[this.i + offset];
  }

  /** Moves past the current word. */
  shift(): void {
    this.i++;
  }

  /** NEXT_ARG(): the next word, or "Command line is not complete". */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) incomplete();
    return this.argv[this.i]!;
  }

  rest(): string[] {
    return this.argv.slice(this.i);
  }
}

/** get_unsigned()/get_integer() in base 0: decimal, 0x hex or 0 octal, the whole word. */
export function parseNumber(text: string): number | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^[+]?0[xX]([0-9a-fA-F]+)$/.exec(text))) return parseInt(m[1]!, 16);
  if ((m = /^[+]?0([0-7]*)$/.exec(text))) return m[1] === '' ? 0 : parseInt(m[1]!, 8);
  if ((m = /^([+-]?[1-9][0-9]*)$/.exec(text))) return Number(m[1]);
  return undefined;
}

export function parseU32(text: string): number | undefined {
  const n = parseNumber(text);
  return n !== undefined && n >= 0 && n <= 0xffffffff ? n : undefined;
}

export interface Prefix {
  readonly addr: Ipv4;
  readonly len: number;
  /** Whether a length was written (`10.0.0.1` vs `10.0.0.1/32`). */
  readonly explicitLen: boolean;
}

/**
 * get_prefix() for IPv4: `A.B.C.D[/LEN]`, `default`/`any`/`all` (0/0). iproute2 also accepts
 * short forms (`10/8`, `10.1`), filling missing octets with zeros.
 */
export function parsePrefixArg(text: string): Prefix | undefined {
  if (text === 'default' || text === 'any' || text === 'all') return { addr: 0, len: 0, explicitLen: true };
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseInetLoose(addrText);
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, len: 32, explicitLen: false };
  const lenText = text.slice(slash + 1);
  if (/^\d{1,2}$/.test(lenText) && Number(lenText) <= 32) return { addr, len: Number(lenText), explicitLen: true };
  // A dotted netmask (`/255.255.255.0`) is accepted when contiguous.
  const mask = parseIpv4(lenText);
  if (mask === undefined) return undefined;
  const len = maskLen(mask);
  return len === undefined ? undefined : { addr, len, explicitLen: true };
}

function maskLen(mask: number): number | undefined {
  let len = 0;
  while (len < 32 && mask & (0x80000000 >>> len)) len++;
  return (mask << len) >>> 0 === 0 || len === 32 ? len : undefined;
}

/** inet_pton() plus iproute2's short forms for prefixes: 1 to 4 decimal octets. */
function parseInetLoose(text: string): Ipv4 | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const p = parts[k];
    if (p === undefined) {
      v *= 256;
      continue;
    }
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return v >>> 0;
}

/** get_prefix() with iproute2's error: `Error: any valid prefix is expected rather than "X".` (exit 1). */
export function prefixArg(text: string): Prefix {
  return parsePrefixArg(text) ?? fail(1, `Error: any valid prefix is expected rather than "${text}".`);
}

/** get_addr() for IPv4 (a full dotted quad): `Error: any valid address is expected rather than "X".` (exit 1). */
export function addrArg(text: string): Ipv4 {
  const a = text === 'any' || text === 'default' || text === 'all' ? 0 : parseIpv4(text);
  return a ?? fail(1, `Error: any valid address is expected rather than "${text}".`);
}

/** Like addrArg but returns undefined instead of failing. */
export function inetAddr(text: string): Ipv4 | undefined {
  return parseIpv4(text);
}

/** ll_addr_a2n(): a 6-byte MAC; `"X" is invalid lladdr.` or a length complaint (exit 1). */
export function macArg(text: string): Mac {
  const parts = text.split(':');
  if (!parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) fail(1, `"${text}" is invalid lladdr.`);
  if (parts.length !== 6) fail(1, `Invalid address length ${parts.length} - must be 6 bytes`);
  return parseMac(text)!;
}

/** check_ifname(): non-empty, shorter than IFNAMSIZ, no '/', ':' or whitespace. */
export function validIfname(name: string): boolean {
  return name.length > 0 && name.length < 16 && !/[\s/:]/.test(name) && name !== '.' && name !== '..';
}
