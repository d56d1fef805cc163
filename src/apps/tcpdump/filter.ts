// A small pcap-filter(7) subset for tcpdump expressions: protocol names (arp, ip, icmp, udp, tcp),
// `[src|dst] host A`, `[src|dst] net A/N`, `[src|dst] port N`, `icmp[icmptype|icmpcode] (==|!=) V`,
// joined by and/&&, or/||, not/! and parentheses. Applied to the outermost headers, as BPF is.
import { inPrefix, parsePrefix, parseIpv4, type EthernetFrame, type Ipv4Packet } from '../../wire/index.js';

export type Filter = (data: EthernetFrame | Ipv4Packet) => boolean;

export class FilterError extends Error {}

/** The ICMP type names pcap-filter(7) knows. */
const ICMP_NAMES: Record<string, number> = {
  'icmp-echoreply': 0,
  'icmp-unreach': 3,
  'icmp-sourcequench': 4,
  'icmp-redirect': 5,
  'icmp-echo': 8,
  'icmp-routeradvert': 9,
  'icmp-routersolicit': 10,
  'icmp-timxceed': 11,
  'icmp-paramprob': 12,
};

export function compileFilter(words: readonly string[]): Filter {
  if (words.length === 0) return () => true;
  // tcpdump joins its arguments into one expression, so quoting is free.
  const tokens = words
    .join(' ')
    .split(/\s+|([()])/)
    .filter((t): t is string => t !== undefined && t !== '');
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  const primary = (): Filter => {
    const t = next();
    if (t === undefined) throw new FilterError('syntax error');
    if (t === '(') {
      const f = orExpr();
      if (next() !== ')') throw new FilterError('syntax error');
      return f;
    }
    if (t === 'not' || t === '!') {
      const f = primary();
      return (d) => !f(d);
    }
    let dir: 'src' | 'dst' | undefined;
    let word = t;
    if (word === 'src' || word === 'dst') {
      dir = word;
      word = next() ?? '';
    }
    const field = /^icmp\[(icmptype|icmpcode)\]$/.exec(word);
    if (field) {
      const op = next();
      const raw = next() ?? '';
      const value = ICMP_NAMES[raw] ?? Number(raw);
      if ((op !== '==' && op !== '=' && op !== '!=') || !Number.isInteger(value)) throw new FilterError('syntax error');
      return (d) => {
        const m = ip(d)?.payload;
        if (m?.kind !== 'icmp') return false;
        return ((field[1] === 'icmptype' ? m.type : m.code) === value) === (op !== '!=');
      };
    }
    switch (word) {
      case 'arp':
        return (d) => d.kind === 'eth' && d.payload.kind === 'arp';
      case 'ip':
        return (d) => ip(d) !== undefined;
      case 'icmp':
        return (d) => ip(d)?.payload.kind === 'icmp';
      case 'udp':
        return (d) => ip(d)?.payload.kind === 'udp';
      case 'tcp':
        return (d) => ip(d)?.payload.kind === 'tcp';
      case 'host': {
        const a = parseIpv4(next() ?? '');
        if (a === undefined) throw new FilterError(`invalid host address`);
        return (d) => matchAddr(d, dir, (x) => x === a);
      }
      case 'net': {
        const p = parsePrefix(next() ?? '');
        if (!p) throw new FilterError('invalid network');
        return (d) => matchAddr(d, dir, (x) => inPrefix(x, p.addr, p.len));
      }
      case 'port': {
        const n = Number(next());
        if (!Number.isInteger(n)) throw new FilterError('illegal port number');
        return (d) => {
          const l4 = ip(d)?.payload;
          if (!l4 || (l4.kind !== 'udp' && l4.kind !== 'tcp')) return false;
          return dir === 'src' ? l4.srcPort === n : dir === 'dst' ? l4.dstPort === n : l4.srcPort === n || l4.dstPort === n;
        };
      }
      default: {
        const a = parseIpv4(word);
        if (a !== undefined) return (d) => matchAddr(d, dir, (x) => x === a);
        throw new FilterError(`syntax error in filter expression: unknown word "${word}"`);
      }
    }
  };
  // pcap-filter lets a protocol qualify the next primitive ("udp port 8472"): that reads as "and".
  const continues = (t: string | undefined): boolean =>
    t === 'and' || t === '&&' || (t !== undefined && t !== 'or' && t !== '||' && t !== ')');
  const andExpr = (): Filter => {
    let f = primary();
    while (continues(peek())) {
      if (peek() === 'and' || peek() === '&&') next();
      const g = primary();
      const h = f;
      f = (d) => h(d) && g(d);
    }
    return f;
  };
  const orExpr = (): Filter => {
    let f = andExpr();
    while (peek() === 'or' || peek() === '||') {
      next();
      const g = andExpr();
      const h = f;
      f = (d) => h(d) || g(d);
    }
    return f;
  };
  const f = orExpr();
  if (i !== tokens.length) throw new FilterError('syntax error');
  return f;
}

function ip(d: EthernetFrame | Ipv4Packet): Ipv4Packet | undefined {
  if (d.kind === 'ipv4') return d;
  return d.payload.kind === 'ipv4' ? d.payload : undefined;
}

function matchAddr(d: EthernetFrame | Ipv4Packet, dir: 'src' | 'dst' | undefined, ok: (a: number) => boolean): boolean {
  const p = ip(d);
  if (p) return dir === 'src' ? ok(p.src) : dir === 'dst' ? ok(p.dst) : ok(p.src) || ok(p.dst);
  if (d.kind === 'eth' && d.payload.kind === 'arp') {
    const a = d.payload;
    return dir === 'src' ? ok(a.senderIp) : dir === 'dst' ? ok(a.targetIp) : ok(a.senderIp) || ok(a.targetIp);
  }
  return false;
}
