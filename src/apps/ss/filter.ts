// ss's filter expression (iproute2 6.1 misc/ssfilter.y, reduced): `sport`/`dport` comparisons
// with a port (`:80`, `:http`, `:*`), `src`/`dst` with an address, prefix and optional port, joined
// by `and`/`&&` (or nothing), `or`/`||`, negated by `not`/`!`, grouped by parentheses. The words of
// the command line are one text, split at blanks and around parentheses as ssfilter's lexer does.
import { inPrefix, parseIpv4, type Ipv4 } from '../../wire/index.js';
import { servicePort } from './services.js';

/** One socket as the filter sees it. */
export interface FilterSocket {
  readonly local: Ipv4;
  readonly lport: number;
  readonly remote: Ipv4;
  readonly rport: number;
}

export type SocketFilter = (s: FilterSocket) => boolean;

/** A filter ss cannot read: its message (stderr) and ss's exit status. */
export class FilterError extends Error {
  constructor(readonly text: string) {
    super(text);
    this.name = 'FilterError';
  }
}

const COMPARE: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '==': (a, b) => a === b,
  eq: (a, b) => a === b,
  '!=': (a, b) => a !== b,
  ne: (a, b) => a !== b,
  '>=': (a, b) => a >= b,
  ge: (a, b) => a >= b,
  geq: (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  le: (a, b) => a <= b,
  leq: (a, b) => a <= b,
  '>': (a, b) => a > b,
  gt: (a, b) => a > b,
  '<': (a, b) => a < b,
  lt: (a, b) => a < b,
};

/** Parses the filter words; `protos` are the tables shown, for service names. Undefined when there is no expression. */
export function parseFilter(words: readonly string[], protos: readonly ('tcp' | 'udp')[]): SocketFilter | undefined {
  const tokens = words
    .join(' ')
    .replace(/([()])/g, ' $1 ')
    .split(/\s+/)
    .filter((t) => t !== '');
  if (tokens.length === 0) return undefined;
  let i = 0;
  const peek = () => tokens[i];
  const take = () => tokens[i++];

  const port = (word: string | undefined): number | undefined => {
    if (word === undefined) throw new FilterError('Cannot parse dst/src address.\n');
    const p = word.startsWith(':') ? word.slice(1) : word;
    if (p === '*' || p === '') return undefined;
    if (/^\d+$/.test(p)) return Number(p);
    for (const proto of protos) {
      const n = servicePort(p, proto);
      if (n !== undefined) return n;
    }
    throw new FilterError(`Error: "${p}" does not look like a port.\nCannot parse dst/src address.\n`);
  };

  const hostCond = (word: string | undefined, remote: boolean): SocketFilter => {
    if (word === undefined) throw new FilterError('Cannot parse dst/src address.\n');
    const colon = word.lastIndexOf(':');
    const addrText = colon >= 0 ? word.slice(0, colon) : word;
    const p = colon >= 0 ? port(word.slice(colon)) : undefined;
    let prefix: { net: Ipv4; len: number } | undefined;
    if (addrText !== '' && addrText !== '*') {
      const [a, l] = addrText.split('/');
      const net = parseIpv4(a ?? '');
      const len = l === undefined ? 32 : Number(l);
      if (net === undefined || !/^\d*$/.test(l ?? '') || len > 32)
        throw new FilterError(`Error: an inet prefix is expected rather than "${addrText}".\nCannot parse dst/src address.\n`);
      prefix = { net, len };
    }
    return (s) => {
      const addr = remote ? s.remote : s.local;
      const sp = remote ? s.rport : s.lport;
      if (p !== undefined && sp !== p) return false;
      return !prefix || inPrefix(addr, prefix.net, prefix.len);
    };
  };

  const primary = (): SocketFilter => {
    const t = take();
    if (t === '(') {
      const f = orExpr();
      if (take() !== ')') throw new FilterError('Cannot parse dst/src address.\n');
      return f;
    }
    if (t === '!' || t === 'not') {
      const f = primary();
      return (s) => !f(s);
    }
    if (t === 'sport' || t === 'dport') {
      let op = '==';
      if (peek() !== undefined && Object.hasOwn(COMPARE, peek()!)) op = take()!;
      const p = port(take());
      const cmp = COMPARE[op]!;
      return (s) => p === undefined || cmp(t === 'sport' ? s.lport : s.rport, p);
    }
    if (t === 'src' || t === 'dst') {
      if (peek() === '=' || peek() === '==' || peek() === 'eq') take();
      return hostCond(take(), t === 'dst');
    }
    throw new FilterError('Cannot parse dst/src address.\n');
  };

  const andExpr = (): SocketFilter => {
    let f = primary();
    for (;;) {
      const t = peek();
      if (t === undefined || t === ')' || t === 'or' || t === '||') return f;
      if (t === 'and' || t === '&&') take();
      const g = primary();
      const prev = f;
      f = (s) => prev(s) && g(s);
    }
  };

  const orExpr = (): SocketFilter => {
    let f = andExpr();
    while (peek() === 'or' || peek() === '||') {
      take();
      const g = andExpr();
      const prev = f;
      f = (s) => prev(s) || g(s);
    }
    return f;
  };

  const f = orExpr();
  if (i < tokens.length) throw new FilterError('Cannot parse dst/src address.\n');
  return f;
}
