// A Rule as iptables 1.8.9 (nf_tables) prints it in iptables-save and `iptables -S`: the
// canonical form (`/32` added, `-m tcp` before tcp options, marks in hex, probabilities with 11
// decimals, MARK as --set-xmark, REJECT's default --reject-with, strings quoted like
// xtables_save_string).
import { formatIpv4 } from '../../../wire/index.js';
import { protocolName } from './rulespec-names.js';
import type { AddrMatch, Match, NatRange, PortRange, Rule, Target } from '../types.js';

/** Quotes a string unless it is only `[A-Za-z0-9_-]` (xtables_save_string), escaping `"`, `'`, `\`. */
export function saveString(s: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(s)) return s;
  return `"${s.replace(/["'\\]/g, (c) => `\\${c}`)}"`;
}

export const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** `%.11f` of a probability as glibc prints it (exact binary value, ties to even). */
export function probabilityText(p: number): string {
  const n = BigInt(Math.round(p * 0x80000000));
  const den = 0x80000000n;
  const scaled = n * 100000000000n;
  let q = scaled / den;
  const r2 = (scaled % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(12, '0');
  return `${digits.slice(0, -11)}.${digits.slice(-11)}`;
}

const inv = (invert: boolean | undefined): string => (invert ? '! ' : '');

function addr(flag: string, a: AddrMatch): string {
  return ` ${inv(a.invert)}${flag} ${formatIpv4(a.addr)}/${a.len}`;
}

export function portRange(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}:${r.to}`;
}

const TCP_FLAG_NAMES: readonly (readonly [string, number])[] = [
  ['FIN', 0x01],
  ['SYN', 0x02],
  ['RST', 0x04],
  ['PSH', 0x08],
  ['ACK', 0x10],
  ['URG', 0x20],
];

export function tcpFlagNames(v: number): string {
  if (v === 0) return 'NONE';
  return TCP_FLAG_NAMES.filter(([, b]) => v & b)
    .map(([n]) => n)
    .join(',');
}

function icmpTypeText(t: { type: number; code?: number }): string {
  if (t.type === 255 && t.code === undefined) return 'any';
  return t.code === undefined ? String(t.type) : `${t.type}/${t.code}`;
}

/** One `-m` module with its options, as iptables-save prints it (leading space included). */
export function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
    case 'sctp': {
      let s = ` -m ${m.kind}`;
      if (m.sport) s += ` ${inv(m.sport.invert)}--sport ${portRange(m.sport)}`;
      if (m.dport) s += ` ${inv(m.dport.invert)}--dport ${portRange(m.dport)}`;
      if (m.kind === 'tcp') {
        const f = m.tcpFlags ?? (m.syn ? { mask: 0x17, comp: 0x02, invert: m.syn.invert } : undefined);
        if (f) s += ` ${inv(f.invert)}--tcp-flags ${tcpFlagNames(f.mask)} ${tcpFlagNames(f.comp)}`;
      }
      return s;
    }
    case 'icmp':
      return ` -m icmp${m.icmpType ? ` ${inv(m.icmpType.invert)}--icmp-type ${icmpTypeText(m.icmpType)}` : ''}`;
    case 'comment':
      return ` -m comment --comment ${saveString(m.comment)}`;
    case 'mark':
    case 'connmark':
      return ` -m ${m.kind} ${inv(m.invert)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'statistic':
      return m.mode === 'random'
        ? ` -m statistic --mode random ${inv(m.invert)}--probability ${probabilityText(m.probability)}`
        : ` -m statistic --mode nth ${inv(m.invert)}--every ${m.every} --packet ${m.packet}`;
    case 'conntrack': {
      let s = ' -m conntrack';
      if (m.ctstate) s += ` ${inv(m.ctstate.invert)}--ctstate ${m.ctstate.states.join(',')}`;
      if (m.ctorigdst)
        s += ` ${inv(m.ctorigdst.invert)}--ctorigdst ${formatIpv4(m.ctorigdst.addr)}${m.ctorigdst.len === 32 ? '' : `/${m.ctorigdst.len}`}`;
      if (m.ctorigdstport) s += ` ${inv(m.ctorigdstport.invert)}--ctorigdstport ${portRange(m.ctorigdstport)}`;
      return s;
    }
    case 'state':
      return ` -m state ${inv(m.invert)}--state ${m.states.join(',')}`;
    case 'addrtype': {
      let s = ' -m addrtype';
      if (m.srcType) s += ` ${inv(m.srcType.invert)}--src-type ${m.srcType.type}`;
      if (m.dstType) s += ` ${inv(m.dstType.invert)}--dst-type ${m.dstType.type}`;
      if (m.limitIfaceIn) s += ' --limit-iface-in';
      if (m.limitIfaceOut) s += ' --limit-iface-out';
      return s;
    }
    case 'set':
      return ` -m set ${inv(m.invert)}--match-set ${m.name} ${m.flags.join(',')}`;
    case 'multiport':
      return ` -m multiport ${inv(m.invert)}--${m.which} ${m.ports.map(portRange).join(',')}`;
    case 'recent': {
      let s = ` -m recent ${inv(m.invert)}--${m.mode}`;
      if (m.seconds !== undefined) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += ' --reap';
      if (m.hitcount !== undefined) s += ` --hitcount ${m.hitcount}`;
      return `${s} --name ${m.name} --mask ${formatIpv4(m.mask ?? 0xffffffff)} --${m.side}`;
    }
    case 'physdev': {
      let s = ' -m physdev';
      if (m.physdevIn) s += ` ${inv(m.physdevIn.invert)}--physdev-in ${m.physdevIn.name}`;
      if (m.isIn) s += ` ${inv(m.isIn.invert)}--physdev-is-in`;
      if (m.physdevOut) s += ` ${inv(m.physdevOut.invert)}--physdev-out ${m.physdevOut.name}`;
      if (m.isOut) s += ` ${inv(m.isOut.invert)}--physdev-is-out`;
      if (m.isBridged) s += ` ${inv(m.isBridged.invert)}--physdev-is-bridged`;
      return s;
    }
  }
}

/** `1.2.3.4-1.2.3.9:80-90` as libxt_DNAT/SNAT print a range (empty parts left out). */
export function natRangeText(r: NatRange): string {
  let s = '';
  if (r.minAddr !== undefined) {
    s += formatIpv4(r.minAddr);
    if (r.maxAddr !== undefined && r.maxAddr !== r.minAddr) s += `-${formatIpv4(r.maxAddr)}`;
  }
  if (r.minPort !== undefined) {
    s += `:${r.minPort}`;
    if (r.maxPort !== undefined && r.maxPort !== r.minPort) s += `-${r.maxPort}`;
  }
  return s;
}

/** The target as iptables-save prints it (leading space included; empty for a rule without -j). */
export function saveTarget(t: Target): string {
  switch (t.kind) {
    case 'none':
      return '';
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return ` -j ${t.kind}`;
    case 'jump':
      return ` ${t.goto ? '-g' : '-j'} ${t.chain}`;
    case 'REJECT':
      return ` -j REJECT --reject-with ${t.rejectWith}`;
    case 'DNAT':
      return ` -j DNAT --to-destination ${natRangeText(t.to)}${t.random ? ' --random' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'SNAT':
      return ` -j SNAT --to-source ${natRangeText(t.to)}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'MASQUERADE': {
      const ports = t.toPorts ? ` --to-ports ${t.toPorts.from}${t.toPorts.to !== t.toPorts.from ? `-${t.toPorts.to}` : ''}` : '';
      return ` -j MASQUERADE${ports}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}`;
    }
    case 'MARK':
      return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'CONNMARK':
      return t.mode === 'set'
        ? ` -j CONNMARK --set-xmark ${hex(t.value)}/${hex(t.ctmask)}`
        : ` -j CONNMARK --${t.mode}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case 'CT':
      if (t.spelledNotrack) return ' -j NOTRACK';
      return ` -j CT${t.notrack ? ' --notrack' : ''}${t.zone !== undefined ? ` --zone ${t.zone}` : ''}`;
    case 'REDIRECT': {
      const ports = t.toPorts ? ` --to-ports ${t.toPorts.from}${t.toPorts.to !== t.toPorts.from ? `-${t.toPorts.to}` : ''}` : '';
      return ` -j REDIRECT${ports}${t.random ? ' --random' : ''}`;
    }
    case 'LOG':
      return ` -j LOG${t.prefix !== undefined ? ` --log-prefix ${saveString(t.prefix)}` : ''}${t.level !== undefined && t.level !== 4 ? ` --log-level ${t.level}` : ''}`;
  }
}

/**
 * A rule's specification as iptables-save prints it after `-A CHAIN` (leading space included):
 * addresses, interfaces, protocol, modules in order, then the target. `counters` inserts
 * `-c packets bytes` before the target, as `iptables -S -v` does.
 */
export function saveRule(r: Rule, counters?: { packets: number; bytes: number }): string {
  let s = '';
  if (r.src) s += addr('-s', r.src);
  if (r.dst) s += addr('-d', r.dst);
  if (r.inIface) s += ` ${inv(r.inIface.invert)}-i ${r.inIface.name}`;
  if (r.outIface) s += ` ${inv(r.outIface.invert)}-o ${r.outIface.name}`;
  if (r.protocol) s += ` ${inv(r.protocol.invert)}-p ${protocolName(r.protocol.proto)}`;
  for (const m of r.matches) s += saveMatch(m);
  if (counters) s += ` -c ${counters.packets} ${counters.bytes}`;
  return s + saveTarget(r.target);
}
