// A Rule as `iptables -L [-n] [-v] [-x] [--line-numbers]` 1.8.9 (nf_tables) prints it: the
// fixed columns (num, pkts, bytes, target, prot, opt, in, out, source, destination), then
// `[goto]`, each module's text and the target's text (`tcp dpt:443 /* x */ to:10.1.2.3:6443`).
import { formatIpv4 } from '../../../wire/index.js';
import { hostName, icmpName, LOG_LEVELS, networkName, protocolName, serviceName } from './rulespec-names.js';
import { hex, natRangeText, probabilityText, tcpFlagNames } from './rulespec-save.js';
import type { AddrMatch, Counters, IfaceMatch, Match, PortRange, Rule, Target } from '../types.js';

export interface ListFormat {
  /** -n: numbers instead of names. */
  readonly numeric: boolean;
  /** -v: counters and interfaces. */
  readonly verbose: boolean;
  /** -x: exact counters. */
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

/** xtables_print_num() without -x: `99999`, then `123K`, `10M`, `100G`, `1000T`. */
export function shortNumber(n: number): string {
  if (n <= 99999) return String(n);
  for (const unit of ['K', 'M', 'G', 'T']) {
    n = Math.floor((n + 500) / 1000);
    if (n <= 9999 || unit === 'T') return `${n}${unit}`;
  }
  return String(n);
}

/** The column header line under `Chain X (...)`. */
export function listHeader(f: ListFormat): string {
  let s = f.lineNumbers ? 'num  ' : '';
  if (f.verbose) s += f.exact ? '    pkts      bytes ' : ' pkts bytes ';
  s += 'target     prot opt ';
  if (f.verbose) s += 'in     out     ';
  return `${s}source               destination         `;
}

function addrText(a: AddrMatch | undefined, numeric: boolean): string {
  if (!a) return numeric ? '0.0.0.0/0' : 'anywhere';
  if (a.len === 32) return (numeric ? undefined : hostName(a.addr)) ?? formatIpv4(a.addr);
  if (!numeric && a.addr === 0 && a.len === 0) return 'anywhere';
  return `${(numeric ? undefined : networkName(a.addr)) ?? formatIpv4(a.addr)}/${a.len}`;
}

function ifaceText(i: IfaceMatch | undefined, numeric: boolean): string {
  if (!i) return numeric ? '*' : 'any';
  return `${i.invert ? '!' : ''}${i.name}`;
}

const pad = (s: string, n: number): string => s.padEnd(n);

function ports(label: string, r: (PortRange & { invert: boolean }) | undefined, proto: number, numeric: boolean): string {
  if (!r) return '';
  const name = (p: number): string => (numeric ? String(p) : serviceName(p, proto));
  const bang = r.invert ? '!' : '';
  return r.from === r.to ? ` ${label}:${bang}${name(r.from)}` : ` ${label}s:${bang}${name(r.from)}:${name(r.to)}`;
}

/** One module as `-L` prints it (no leading space). `proto` is the rule's -p, for service names. */
export function listMatch(m: Match, proto: number, numeric: boolean): string {
  const bang = (inv: boolean): string => (inv ? '! ' : '');
  switch (m.kind) {
    case 'tcp':
    case 'udp':
    case 'sctp': {
      const p = m.kind === 'tcp' ? 6 : m.kind === 'udp' ? 17 : 132;
      let s = `${m.kind}${ports('spt', m.sport, p, numeric)}${ports('dpt', m.dport, p, numeric)}`;
      if (m.kind === 'tcp') {
        const f = m.tcpFlags ?? (m.syn ? { mask: 0x17, comp: 0x02, invert: m.syn.invert } : undefined);
        if (f) {
          const t = (v: number): string => (numeric ? `0x${v.toString(16).toUpperCase().padStart(2, '0')}` : tcpFlagNames(v));
          s += ` flags:${f.invert ? '!' : ''}${t(f.mask)}/${t(f.comp)}`;
        }
      }
      return s;
    }
    case 'icmp': {
      const t = m.icmpType;
      if (!t) return 'icmp';
      const range = { type: t.type, codeMin: t.code ?? 0, codeMax: t.code ?? 255 };
      const name = numeric ? undefined : icmpName(range);
      if (name) return `icmp ${t.invert ? '!' : ''}${name}`;
      return `icmp${t.invert ? ' !' : ''}type ${t.type}${t.code !== undefined ? ` code ${t.code}` : ''}`;
    }
    case 'comment':
      return `/* ${m.comment} */`;
    case 'mark':
      return `mark match ${bang(m.invert)}${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'connmark':
      // libxt_connmark prints " connmark match ", then "!" or nothing, then " value[/mask]".
      return `connmark match ${m.invert ? '!' : ''} ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'statistic':
      return m.mode === 'random'
        ? `statistic mode random ${bang(m.invert)}probability ${probabilityText(m.probability)}`
        : `statistic mode nth ${bang(m.invert)}every ${m.every}${m.packet ? ` packet ${m.packet}` : ''}`;
    case 'conntrack': {
      const parts: string[] = [];
      if (m.ctstate) parts.push(`${bang(m.ctstate.invert)}ctstate ${m.ctstate.states.join(',')}`);
      if (m.ctorigdst)
        parts.push(
          `${bang(m.ctorigdst.invert)}ctorigdst ${formatIpv4(m.ctorigdst.addr)}${m.ctorigdst.len === 32 ? '' : `/${m.ctorigdst.len}`}`,
        );
      if (m.ctorigdstport) {
        const r = m.ctorigdstport;
        parts.push(`${bang(r.invert)}ctorigdstport ${r.from === r.to ? r.from : `${r.from}:${r.to}`}`);
      }
      return parts.join(' ');
    }
    case 'state':
      return `${bang(m.invert)}state ${m.states.join(',')}`;
    case 'addrtype': {
      let s = 'ADDRTYPE match';
      if (m.srcType) s += ` src-type ${m.srcType.invert ? '!' : ''}${m.srcType.type}`;
      if (m.dstType) s += ` dst-type ${m.dstType.invert ? '!' : ''}${m.dstType.type}`;
      if (m.limitIfaceIn) s += ' limit-in';
      if (m.limitIfaceOut) s += ' limit-out';
      return s;
    }
    case 'set':
      return `${bang(m.invert)}match-set ${m.name} ${m.flags.join(',')}`;
    case 'multiport': {
      const name = (p: number): string => (numeric ? String(p) : serviceName(p, proto));
      const list = m.ports.map((r) => (r.from === r.to ? name(r.from) : `${name(r.from)}:${name(r.to)}`)).join(',');
      return `multiport ${m.which} ${m.invert ? ' !' : ''}${list}`;
    }
    case 'recent': {
      const mode = { set: 'SET', rcheck: 'CHECK', update: 'UPDATE', remove: 'REMOVE' }[m.mode];
      let s = `${bang(m.invert)}recent: ${mode}`;
      if (m.seconds !== undefined) s += ` seconds: ${m.seconds}`;
      if (m.reap) s += ' reap';
      if (m.hitcount !== undefined) s += ` hit_count: ${m.hitcount}`;
      return `${s} name: ${m.name} side: ${m.side === 'rsource' ? 'source' : 'dest'} mask: ${formatIpv4(m.mask ?? 0xffffffff)}`;
    }
    case 'physdev': {
      let s = 'PHYSDEV match';
      if (m.physdevIn) s += ` ${bang(m.physdevIn.invert)}--physdev-in ${m.physdevIn.name}`;
      if (m.isIn) s += ` ${bang(m.isIn.invert)}--physdev-is-in`;
      if (m.physdevOut) s += ` ${bang(m.physdevOut.invert)}--physdev-out ${m.physdevOut.name}`;
      if (m.isOut) s += ` ${bang(m.isOut.invert)}--physdev-is-out`;
      if (m.isBridged) s += ` ${bang(m.isBridged.invert)}--physdev-is-bridged`;
      return s;
    }
  }
}

/** libxt_MARK's print of `--set-xmark value/mask` in the shortest form that says the same. */
function markText(value: number, mask: number): string {
  if (value === 0) return `MARK and ${hex(~mask >>> 0)}`;
  if (value === mask) return `MARK or ${hex(value)}`;
  if (mask === 0xffffffff) return `MARK set ${hex(value)}`;
  if (mask === 0) return `MARK xor ${hex(value)}`;
  return `MARK xset ${hex(value)}/${hex(mask)}`;
}

/** libxt_CONNMARK's print (revision 1), in its order of cases. */
function connmarkText(t: Extract<Target, { kind: 'CONNMARK' }>): string {
  if (t.mode === 'set') {
    if (t.value === 0) return `CONNMARK and ${hex(~t.ctmask >>> 0)}`;
    if (t.value === t.ctmask) return `CONNMARK or ${hex(t.value)}`;
    if (t.ctmask === 0) return `CONNMARK xor ${hex(t.value)}`;
    if (t.ctmask === 0xffffffff) return `CONNMARK set ${hex(t.value)}`;
    return `CONNMARK xset ${hex(t.value)}/${hex(t.ctmask)}`;
  }
  const all = t.nfmask === 0xffffffff && t.ctmask === 0xffffffff;
  if (all) return `CONNMARK ${t.mode}`;
  if (t.nfmask === t.ctmask) return `CONNMARK ${t.mode} mask ${hex(t.nfmask)}`;
  return t.mode === 'save'
    ? `CONNMARK save nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`
    : `CONNMARK restore ctmask ${hex(t.ctmask)} nfmask ~${hex(t.nfmask)}`;
}

/** The target's own text after the modules (no leading space; empty when it has none). */
export function listTarget(t: Target, numeric: boolean): string {
  switch (t.kind) {
    case 'REJECT':
      return `reject-with ${t.rejectWith}`;
    case 'DNAT':
    case 'SNAT':
      return [
        `to:${natRangeText(t.to)}`,
        t.random ? 'random' : '',
        t.kind === 'SNAT' && t.randomFully ? 'random-fully' : '',
        t.persistent ? 'persistent' : '',
      ]
        .filter(Boolean)
        .join(' ');
    case 'MASQUERADE': {
      const ports = t.toPorts ? `masq ports: ${t.toPorts.from}${t.toPorts.to !== t.toPorts.from ? `-${t.toPorts.to}` : ''}` : '';
      return [ports, t.random ? 'random' : '', t.randomFully ? 'random-fully' : ''].filter(Boolean).join(' ');
    }
    case 'MARK':
      return markText(t.value, t.mask);
    case 'CONNMARK':
      return connmarkText(t);
    case 'CT':
      if (t.spelledNotrack) return 'NOTRACK';
      return ['CT', t.notrack ? 'notrack' : '', t.zone !== undefined ? `zone ${t.zone}` : ''].filter(Boolean).join(' ');
    case 'REDIRECT': {
      const ports = t.toPorts ? `redir ports ${t.toPorts.from}${t.toPorts.to !== t.toPorts.from ? `-${t.toPorts.to}` : ''}` : '';
      return [ports, t.random ? 'random' : ''].filter(Boolean).join(' ');
    }
    case 'LOG': {
      const level = t.level ?? 4;
      const prefix = t.prefix !== undefined ? ` prefix "${t.prefix}"` : '';
      return numeric ? `LOG flags 0 level ${level}${prefix}` : `LOG level ${LOG_LEVELS[level]}${prefix}`;
    }
    default:
      return '';
  }
}

/** The name in the target column. */
export function targetName(t: Target): string {
  return t.kind === 'jump' ? t.chain : t.kind === 'none' ? '' : t.kind;
}

/** One rule line of `iptables -L` (without the newline). `num` is its 1-based position. */
export function listRule(r: Rule, f: ListFormat, num: number, c: Counters): string {
  let s = f.lineNumbers ? `${pad(String(num), 4)} ` : '';
  if (f.verbose)
    s += f.exact
      ? `${String(c.packets).padStart(8)} ${String(c.bytes).padStart(8)} `
      : `${shortNumber(c.packets).padStart(5)} ${shortNumber(c.bytes).padStart(5)} `;
  s += `${pad(targetName(r.target), 9)} `;
  const proto = r.protocol?.proto ?? 0;
  s += `${r.protocol?.invert ? '!' : ' '}${pad(f.numeric ? String(proto) : protocolName(proto), 5)}-- `;
  if (f.verbose) s += ` ${pad(ifaceText(r.inIface, f.numeric), 6)} ${pad(ifaceText(r.outIface, f.numeric), 6)} `;
  s += `${r.src?.invert ? '!' : ' '}${pad(addrText(r.src, f.numeric), 19)} `;
  s += `${r.dst?.invert ? '!' : ' '}${pad(addrText(r.dst, f.numeric), 19)} `;
  if (r.target.kind === 'jump' && r.target.goto) s += '[goto] ';
  for (const m of r.matches) s += ` ${listMatch(m, proto, f.numeric)}`;
  const t = listTarget(r.target, f.numeric);
  if (t) s += ` ${t}`;
  return s;
}

/**
 * `Chain X (policy ACCEPT)`, `(policy DROP 5 packets, 300 bytes)` with -v, or `(2 references)`;
 * undefined references print as iptables does for a chain the kernel does not have yet.
 */
export function chainLine(name: string, policy: string | undefined, references: number | undefined, f: ListFormat, c: Counters): string {
  if (policy === undefined) return `Chain ${name} (${references === undefined ? 'ERROR obtaining refs' : `${references} references`})`;
  if (!f.verbose) return `Chain ${name} (policy ${policy})`;
  const n = (v: number): string => (f.exact ? String(v) : shortNumber(v));
  return `Chain ${name} (policy ${policy} ${n(c.packets)} packets, ${n(c.bytes)} bytes)`;
}

/**
 * The line `iptables -v -A/-I/-R/-D/-C` prints for the rule it is given (print_firewall without
 * the table layout): `ACCEPT  tcp opt -- in * out *  10.0.0.0/8  -> 0.0.0.0/0   tcp dpt:80`.
 */
export function verboseRule(r: Rule): string {
  const proto = r.protocol?.proto ?? 0;
  const addr = (a: AddrMatch | undefined): string => addrText(a, true);
  let s = `${targetName(r.target)} ${r.protocol?.invert ? '!' : ' '}${protocolName(proto)} opt -- `;
  s += `in ${ifaceText(r.inIface, true)} out ${ifaceText(r.outIface, true)} `;
  s += `${r.src?.invert ? '!' : ' '}${addr(r.src)} ${r.dst?.invert ? '!' : ' '}-> ${addr(r.dst)}  `;
  if (r.target.kind === 'jump' && r.target.goto) s += '[goto] ';
  for (const m of r.matches) s += ` ${listMatch(m, proto, true)}`;
  const t = listTarget(r.target, true);
  return t ? `${s} ${t}` : s;
}
