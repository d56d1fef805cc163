// The `type KIND ARGS` part of `ip link add|set` for the kinds knetlab's kernel has: each kind's
// arguments as iproute2's link_util parse_opt reads them, with its error texts. Pure parsing.
import type { Ipv4 } from '../../wire/index.js';
import { Args, addrArg, fail, invarg, parseNumber } from './args.js';

export const VXLAN_USAGE = [
  'Usage: ... vxlan id VNI',
  '\t\t[ { group | remote } IP_ADDRESS ]',
  '\t\t[ local ADDR ]',
  '\t\t[ ttl TTL ]',
  '\t\t[ tos TOS ]',
  '\t\t[ df DF ]',
  '\t\t[ flowlabel LABEL ]',
  '\t\t[ dev PHYS_DEV ]',
  '\t\t[ dstport PORT ]',
  '\t\t[ srcport MIN MAX ]',
  '\t\t[ [no]learning ]',
  '\t\t[ [no]proxy ]',
  '\t\t[ [no]rsc ]',
  '\t\t[ [no]l2miss ]',
  '\t\t[ [no]l3miss ]',
  '\t\t[ ageing SECONDS ]',
  '\t\t[ maxaddress NUMBER ]',
  '\t\t[ [no]udpcsum ]',
  '\t\t[ [no]udp6zerocsumtx ]',
  '\t\t[ [no]udp6zerocsumrx ]',
  '\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]',
  '\t\t[ [no]external ] [ gbp ] [ gpe ]',
  '\t\t[ [no]vnifilter ]',
  '',
  'Where:\tVNI\t:= 0-16777215',
  '\tADDR\t:= { IP_ADDRESS | any }',
  '\tTOS\t:= { NUMBER | inherit }',
  '\tTTL\t:= { 1..255 | auto | inherit }',
  '\tDF\t:= { unset | set | inherit }',
  '\tLABEL := 0-1048575',
];

export interface VxlanArgs {
  vni?: number;
  remote?: Ipv4;
  group?: Ipv4;
  local?: Ipv4;
  dev?: string;
  ttl?: number;
  tos?: number;
  ageing?: number;
  dstPort?: number;
  srcPort?: [number, number];
  learning?: boolean;
  udpCsum?: boolean;
}

/** vxlan_parse_opt(). `warnings` receives the stderr lines printed on success (the dstport notice). */
export function parseVxlanArgs(argv: readonly string[], creating: boolean, warnings: string[]): VxlanArgs {
  const r: VxlanArgs = {};
  const a = new Args(argv);
  const u = (text: string, max: number): number | undefined => {
    const n = parseNumber(text);
    return n !== undefined && n >= 0 && n <= max ? n : undefined;
  };
  let dstportSet = false;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'id' || w === 'vni') {
      const t = a.next();
      const n = u(t, 0xffffffff);
      if (n === undefined || n >= 1 << 24) invarg('invalid id', t);
      r.vni = n;
    } else if (w === 'group' || w === 'remote') {
      const t = a.next();
      const ip = addrArg(t);
      const multicast = ip >>> 28 === 0xe;
      if (w === 'group') {
        if (!multicast) invarg('invalid group address', t);
        r.group = ip;
      } else {
        if (multicast) invarg('invalid remote address', t);
        r.remote = ip;
      }
    } else if (w === 'local') {
      const t = a.next();
      if (t !== 'any') r.local = addrArg(t);
    } else if (w === 'dev') r.dev = a.next();
    else if (w === 'ttl' || w === 'hoplimit') {
      const t = a.next();
      if (t === 'inherit' || t === 'auto') r.ttl = 0;
      else {
        const n = u(t, 255);
        if (n === undefined) invarg('invalid TTL', t);
        r.ttl = n;
      }
    } else if (w === 'tos' || w === 'dsfield') {
      const t = a.next();
      if (t === 'inherit') r.tos = 1;
      else {
        const n = /^(0x)?[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN;
        if (!(n >= 0 && n <= 255)) invarg('bad TOS value', t);
        r.tos = n;
      }
    } else if (w === 'ageing') {
      const t = a.next();
      if (t === 'none') r.ageing = 0;
      else {
        const n = u(t, 0xffffffff);
        if (n === undefined) invarg('ageing', t);
        r.ageing = n;
      }
    } else if (w === 'dstport') {
      const t = a.next();
      const n = u(t, 0xffff);
      if (n === undefined) invarg('dstport', t);
      r.dstPort = n;
      dstportSet = true;
    } else if (w === 'srcport' || w === 'port') {
      const lo = a.next();
      const min = u(lo, 0xffff);
      if (min === undefined) invarg('min port', lo);
      const hi = a.next();
      const max = u(hi, 0xffff);
      if (max === undefined) invarg('max port', hi);
      r.srcPort = [min!, max!];
    } else if (w === 'nolearning') r.learning = false;
    else if (w === 'learning') r.learning = true;
    else if (w === 'noudpcsum') r.udpCsum = false;
    else if (w === 'udpcsum') r.udpCsum = true;
    else if (
      [
        'noproxy',
        'norsc',
        'nol2miss',
        'nol3miss',
        'noudp6zerocsumtx',
        'noudp6zerocsumrx',
        'noremcsumtx',
        'noremcsumrx',
        'noexternal',
        'novnifilter',
      ].includes(w)
    )
      continue;
    else if (w === 'maxaddress' || w === 'flowlabel' || w === 'label' || w === 'df') {
      a.next();
      fail(2, 'Error: knetlab does not emulate this vxlan option.');
    } else if (
      [
        'proxy',
        'rsc',
        'l2miss',
        'l3miss',
        'udp6zerocsumtx',
        'udp6zerocsumrx',
        'remcsumtx',
        'remcsumrx',
        'external',
        'gbp',
        'gpe',
        'vnifilter',
      ].includes(w)
    ) {
      fail(2, `Error: knetlab does not emulate the vxlan option "${w}".`);
    } else if (w === 'help') fail(255, ...VXLAN_USAGE);
    else fail(1, `vxlan: unknown command "${w}"?`, ...VXLAN_USAGE);
  }
  if (creating && !dstportSet) {
    warnings.push(
      'vxlan: destination port not specified',
      'Will use Linux kernel default (non-standard value)',
      "Use 'dstport 4789' to get the IANA assigned value",
      "Use 'dstport 0' to get default and quiet this message",
    );
  }
  // `dstport 0` asks for the kernel default.
  if (r.dstPort === 0) delete r.dstPort;
  return r;
}

export interface BridgeArgs {
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  stpState?: number;
  priority?: number;
  vlanFiltering?: number;
}

const BRIDGE_USAGE = [
  'Usage: ... bridge [ fdb_flush ]',
  '\t\t  [ forward_delay FORWARD_DELAY ]',
  '\t\t  [ hello_time HELLO_TIME ]',
  '\t\t  [ max_age MAX_AGE ]',
  '\t\t  [ ageing_time AGEING_TIME ]',
  '\t\t  [ stp_state STP_STATE ]',
  '\t\t  [ priority PRIORITY ]',
  '\t\t  [ vlan_filtering VLAN_FILTERING ]',
];

/** bridge_parse_opt() for the options knetlab's bridge keeps. */
export function parseBridgeArgs(argv: readonly string[]): BridgeArgs {
  const r: BridgeArgs = {};
  const a = new Args(argv);
  const keys: Record<string, [keyof BridgeArgs, string]> = {
    forward_delay: ['forwardDelay', 'Invalid forward_delay value'],
    hello_time: ['helloTime', 'Invalid hello_time value'],
    max_age: ['maxAge', 'Invalid max_age value'],
    ageing_time: ['ageingTime', 'Invalid ageing_time value'],
    stp_state: ['stpState', 'Invalid stp_state value'],
    priority: ['priority', 'Invalid priority value'],
    vlan_filtering: ['vlanFiltering', 'Invalid vlan_filtering value'],
  };
  for (; a.more; a.shift()) {
    const k = keys[a.cur];
    if (!k) {
      if (a.cur === 'help') fail(255, ...BRIDGE_USAGE);
      fail(1, `bridge: unknown command "${a.cur}"?`, ...BRIDGE_USAGE);
    }
    const t = a.next();
    const n = parseNumber(t);
    if (n === undefined || n < 0) invarg(k![1], t);
    r[k![0]] = n;
  }
  return r;
}

export interface IpipArgs {
  remote?: Ipv4;
  local?: Ipv4;
  dev?: string;
  ttl?: number;
  pmtudisc?: boolean;
}

/** iptunnel_parse_opt() for ipip. */
export function parseIpipArgs(argv: readonly string[]): IpipArgs {
  const r: IpipArgs = {};
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'remote') {
      const t = a.next();
      r.remote = t === 'any' ? 0 : addrArg(t);
    } else if (w === 'local') {
      const t = a.next();
      r.local = t === 'any' ? 0 : addrArg(t);
    } else if (w === 'dev') r.dev = a.next();
    else if (w === 'ttl' || w === 'hoplimit' || w === 'hlim') {
      const t = a.next();
      if (t === 'inherit') r.ttl = 0;
      else {
        const n = parseNumber(t);
        if (n === undefined || n > 255) invarg('invalid TTL\n', t);
        r.ttl = n;
      }
    } else if (w === 'pmtudisc') r.pmtudisc = true;
    else if (w === 'nopmtudisc') r.pmtudisc = false;
    else if (w === 'mode') {
      const m = a.next();
      if (m !== 'ipip' && m !== 'ip4ip4' && m !== 'any') invarg('Cannot guess tunnel mode.', m);
    } else fail(1, `ipip: unknown tunnel parameter "${w}"`);
  }
  return r;
}
