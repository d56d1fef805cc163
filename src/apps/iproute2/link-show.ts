// How `ip link show` / `ip addr show` print a device (iproute2 6.1 ipaddress.c print_linkinfo and
// the kinds' print_opt): the header line, the link/ether line, `-d` details, `-s` statistics and
// the `-br` form. Pure functions of kernel state writing into a Printer.
import { Bridge, Ipip, Tun, Vxlan, type Host, type Link, type Netns } from '../../kernel/index.js';
import { formatIpv4 } from '../../wire/index.js';
import {
  allmultiOf,
  bridgeIdText,
  broadcastMac,
  driverLimits,
  linkFlags,
  llType,
  operstateOf,
  peerOf,
  portCostOf,
  portNoOf,
  portStateOf,
  qdiscOf,
  vxlanGroup,
  vxlanRemote,
} from './facts.js';
import { raw } from './json.js';
import type { Printer } from './print.js';

/** The context a listing runs in: the namespace it looks from, and the options that shape it. */
export interface LinkView {
  readonly ns: Netns;
  readonly host: Host;
  readonly details: boolean;
  readonly stats: number;
  /** -4 / -6 / -0: an address family filter changes what the link part shows. */
  readonly family: 'inet' | 'inet6' | 'link' | undefined;
  /** `ip link` (true) or `ip addr` (false): only `ip link` prints `mode DEFAULT` and statistics. */
  readonly doLink: boolean;
}

/** ll_index_to_name() in the listing's namespace: a device name, or `ifN`. */
function indexName(ns: Netns, ifindex: number): string {
  return ns.linkByIndex(ifindex)?.name ?? `if${ifindex}`;
}

/** How the device's IFLA_LINK shows: `veth1@veth0` (same netns) or `eth0@if7`, and M-DOWN. */
export function nameAndLink(
  link: Link,
  v: LinkView,
): { text: string; key?: 'link' | 'link_index'; value?: string | number; peerDown: boolean } {
  const p = peerOf(link);
  if (p) {
    // The AF_INET6 link dump carries IFLA_LINK but not IFLA_LINK_NETNSID: iproute2 then names the
    // index in its own namespace.
    if (p.sameNetns || v.family === 'inet6') {
      const local = v.ns.linkByIndex(p.peer.ifindex);
      const name = p.sameNetns ? p.peer.name : indexName(v.ns, p.peer.ifindex);
      const peerDown = p.sameNetns ? !p.peer.adminUp : local !== undefined && !local.adminUp;
      return { text: `${link.name}@${name}`, key: 'link', value: name, peerDown };
    }
    return { text: `${link.name}@if${p.peer.ifindex}`, key: 'link_index', value: p.peer.ifindex, peerDown: false };
  }
  if (link instanceof Ipip && link.underlay) {
    return { text: `${link.name}@${link.underlay.name}`, key: 'link', value: link.underlay.name, peerDown: !link.underlay.adminUp };
  }
  if (link instanceof Ipip) return { text: `${link.name}@NONE`, peerDown: false };
  return { text: link.name, peerDown: false };
}

/** The id the listing's namespace uses for `other` (allocated on first use, as rtnl_fill_link_netnsid does). */
export function linkNetnsid(link: Link, v: LinkView): number | undefined {
  const p = peerOf(link);
  if (!p || p.sameNetns) return undefined;
  return v.ns.nsidOf(p.peer.netns);
}

/** get_name_from_nsid(): the /run/netns name whose id in the listing's namespace is `id`. */
export function nameOfNsid(v: { ns: Netns; host: Host }, id: number): string | undefined {
  for (const name of v.host.netnsNames()) {
    const other = v.host.netns(name);
    if (other && other !== v.ns && v.ns.peekNsid(other) === id) return name;
  }
  return undefined;
}

function printFlags(p: Printer, flags: readonly string[]): void {
  p.openArray('flags', '<');
  for (const f of flags) p.js(undefined, f);
  p.fp(flags.join(','));
  p.closeArray('> ');
}

/** The link part of a listing, up to and including its final newline (print_linkinfo). */
export function printLink(p: Printer, link: Link, v: LinkView): void {
  const nl = nameAndLink(link, v);
  p.any('ifindex', link.ifindex, `${link.ifindex}: `);
  if (nl.key) p.js(nl.key, nl.value!);
  p.any('ifname', link.name, `${nl.text}: `);
  printFlags(p, linkFlags(link, nl.peerDown));
  p.any('mtu', link.mtu, `mtu ${link.mtu} `);
  const inet6 = v.family === 'inet6';
  if (!inet6) p.any('qdisc', qdiscOf(link), `qdisc ${qdiscOf(link)} `);
  if (link.master && !inet6) p.any('master', link.master.name, `master ${link.master.name} `);
  p.any('operstate', operstateOf(link), `state ${operstateOf(link)} `);
  if (v.doLink) p.any('linkmode', 'DEFAULT', 'mode DEFAULT ');
  if (!inet6) p.any('group', 'default', 'group default ');
  p.any('txqlen', link.txQueueLen, `qlen ${link.txQueueLen}`);
  if (v.family === undefined || v.family === 'link' || v.details) {
    p.nl();
    p.any('link_type', llType(link), `    link/${llType(link)} `);
    if (link instanceof Ipip) {
      p.any('address', formatIpv4(link.local), formatIpv4(link.local));
      if (link.remote) {
        p.fp(' peer ');
        p.js('link_pointtopoint', true);
      } else p.fp(' brd ');
      p.any('broadcast', formatIpv4(link.remote), formatIpv4(link.remote));
    } else if (link.kind !== 'tun') {
      p.any('address', link.mac, link.mac);
      p.fp(' brd ');
      p.any('broadcast', broadcastMac(link), broadcastMac(link));
    }
  }
  if (!inet6) {
    const id = linkNetnsid(link, v);
    if (id !== undefined) {
      if (p.json) p.js('link_netnsid', id);
      else {
        const name = nameOfNsid(v, id);
        p.fp(name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${id}`);
      }
    }
  }
  if (v.details) printDetails(p, link, v);
  if ((v.doLink || v.details) && link.ifalias !== '') {
    p.nl();
    p.fp('    ');
    p.any('ifalias', link.ifalias, `alias ${link.ifalias}`);
  }
  if (v.doLink && v.stats > 0) {
    p.nl();
    printStats(p, link, v.stats);
  }
  p.fp('\n');
}

function printDetails(p: Printer, link: Link, v: LinkView): void {
  const lim = driverLimits(link);
  p.any('promiscuity', link.promiscuity, ` promiscuity ${link.promiscuity} `);
  p.any('allmulti', allmultiOf(link), ` allmulti ${allmultiOf(link)} `);
  p.any('min_mtu', lim.minMtu, `minmtu ${lim.minMtu} `);
  p.any('max_mtu', lim.maxMtu, `maxmtu ${lim.maxMtu} `);
  const slave = link.master instanceof Bridge ? link.master : undefined;
  if (link.kind !== 'loopback' || slave) {
    p.openObject('linkinfo');
    if (link.kind !== 'loopback') {
      p.nl();
      p.any('info_kind', link.kind, `    ${link.kind} `);
      if (link instanceof Bridge) dataObject(p, () => printBridgeData(p, link));
      else if (link instanceof Vxlan) dataObject(p, () => printVxlanData(p, link, v));
      else if (link instanceof Ipip) dataObject(p, () => printIpipData(p, link, v));
      else if (link instanceof Tun) dataObject(p, () => printTunData(p, link));
    }
    if (slave) {
      p.nl();
      p.any('info_slave_kind', 'bridge', '    bridge_slave ');
      p.openObject('info_slave_data');
      printBridgeSlaveData(p, slave, link);
      p.closeObject();
    }
    p.closeObject();
  }
  // print_af_spec() runs for `ip link` only: `ip -d addr` prints no addrgenmode (recorded: scenario flannel-node)
  const genMode = link instanceof Tun && link.addrGenRandom ? 'random' : 'eui64';
  if (v.doLink) p.any('inet6_addr_gen_mode', genMode, `addrgenmode ${genMode} `);
  p.any('num_tx_queues', lim.txq, `numtxqueues ${lim.txq} `);
  p.any('num_rx_queues', lim.rxq, `numrxqueues ${lim.rxq} `);
  p.any('gso_max_size', 65536, 'gso_max_size 65536 ');
  p.any('gso_max_segs', 65535, 'gso_max_segs 65535 ');
  p.any('tso_max_size', lim.tsoMaxSize, `tso_max_size ${lim.tsoMaxSize} `);
  p.any('tso_max_segs', 65535, 'tso_max_segs 65535 ');
  p.any('gro_max_size', 65536, 'gro_max_size 65536 ');
}

/** print_tun(): IFF_TUN, IFF_NO_PI, no vnet header, not persistent, no owner (as flanneld opens flannel0). */
function printTunData(p: Printer, tun: Tun): void {
  p.any('type', 'tun', 'type tun ');
  p.any('pi', false, 'pi off ');
  p.any('vnet_hdr', false, 'vnet_hdr off ');
  p.any('persist', tun.persist, `persist ${tun.persist ? 'on' : 'off'} `);
}

function dataObject(p: Printer, body: () => void): void {
  p.openObject('info_data');
  body();
  p.closeObject();
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

/** A timer as iproute2 prints it: `%7.2f` in text, `%.2f` in JSON. */
function timer(p: Printer, key: string, textKey: string, seconds: number): void {
  p.any(key, raw(seconds.toFixed(2)), `${textKey} ${seconds.toFixed(2).padStart(7)} `);
}

/** bridge_print_opt() as this machine's kernel fills it (no VLAN or multicast-stats attributes). */
function printBridgeData(p: Printer, br: Bridge): void {
  const id = bridgeIdText(br);
  const num = (key: string, textKey: string, n: number) => p.any(key, n, `${textKey} ${n} `);
  num('forward_delay', 'forward_delay', br.forwardDelay);
  num('hello_time', 'hello_time', br.helloTime);
  num('max_age', 'max_age', br.maxAge);
  num('ageing_time', 'ageing_time', Math.round(br.ageingTime / 10));
  num('stp_state', 'stp_state', br.stpState);
  num('priority', 'priority', br.priority);
  num('vlan_filtering', 'vlan_filtering', br.vlanFiltering);
  p.any('bridge_id', id, `bridge_id ${id} `);
  p.any('root_id', id, `designated_root ${id} `);
  num('root_port', 'root_port', 0);
  num('root_path_cost', 'root_path_cost', 0);
  num('topology_change', 'topology_change', 0);
  num('topology_change_detected', 'topology_change_detected', 0);
  timer(p, 'hello_timer', 'hello_timer', 0);
  timer(p, 'tcn_timer', 'tcn_timer', 0);
  timer(p, 'topology_change_timer', 'topology_change_timer', 0);
  timer(p, 'gc_timer', 'gc_timer', gcTimer(br));
  p.any('group_fwd_mask', '0', 'group_fwd_mask 0 ');
  p.any('group_addr', '01:80:c2:00:00:00', 'group_address 01:80:c2:00:00:00 ');
  num('mcast_snooping', 'mcast_snooping', 1);
  num('no_linklocal_learn', 'no_linklocal_learn', 0);
  num('mcast_vlan_snooping', 'mcast_vlan_snooping', 0);
  num('mcast_router', 'mcast_router', 1);
  num('mcast_query_use_ifaddr', 'mcast_query_use_ifaddr', 0);
  num('mcast_querier', 'mcast_querier', 0);
  num('mcast_hash_elasticity', 'mcast_hash_elasticity', 16);
  num('mcast_hash_max', 'mcast_hash_max', 4096);
  num('mcast_last_member_cnt', 'mcast_last_member_count', 2);
  num('mcast_startup_query_cnt', 'mcast_startup_query_count', 2);
  num('mcast_last_member_intvl', 'mcast_last_member_interval', 100);
  num('mcast_membership_intvl', 'mcast_membership_interval', 26000);
  num('mcast_querier_intvl', 'mcast_querier_interval', 25500);
  num('mcast_query_intvl', 'mcast_query_interval', 12500);
  num('mcast_query_response_intvl', 'mcast_query_response_interval', 1000);
  num('mcast_startup_query_intvl', 'mcast_startup_query_interval', 3124);
  num('mcast_stats_enabled', 'mcast_stats_enabled', 0);
  num('mcast_igmp_version', 'mcast_igmp_version', 2);
  num('mcast_mld_version', 'mcast_mld_version', 1);
  num('nf_call_iptables', 'nf_call_iptables', 0);
  num('nf_call_ip6tables', 'nf_call_ip6tables', 0);
  num('nf_call_arptables', 'nf_call_arptables', 0);
}

/** The bridge's garbage-collection timer: runs unless the bridge was stopped; counts down from the ageing time. */
function gcTimer(br: Bridge): number {
  if (!br.adminUp && qdiscOf(br) !== 'noop') return 0;
  const period = br.ageingTime / 1000;
  const elapsed = (br.netns.kernel.clock.now() / 1000) % period;
  return Math.max(0, period - elapsed - 0.01);
}

function printBridgeSlaveData(p: Printer, br: Bridge, dev: Link): void {
  const port = br.portOf(dev)!;
  const no = portNoOf(br, dev);
  const portId = 0x8000 | no;
  const id = bridgeIdText(br);
  const bool = (key: string, textKey: string, b: boolean) => p.any(key, b, `${textKey} ${onOff(b)} `);
  p.any('state', portStateOf(br, dev), `state ${portStateOf(br, dev)} `);
  p.any('priority', 32, 'priority 32 ');
  p.any('cost', portCostOf(dev), `cost ${portCostOf(dev)} `);
  bool('hairpin', 'hairpin', port.hairpin);
  bool('guard', 'guard', false);
  bool('root_block', 'root_block', false);
  bool('fastleave', 'fastleave', false);
  bool('learning', 'learning', port.learning);
  bool('flood', 'flood', port.flood);
  p.any('id', `0x${portId.toString(16)}`, `port_id 0x${portId.toString(16)} `);
  p.any('no', `0x${no.toString(16)}`, `port_no 0x${no.toString(16)} `);
  p.any('designated_port', portId, `designated_port ${portId} `);
  p.any('designated_cost', 0, 'designated_cost 0 ');
  p.any('bridge_id', id, `designated_bridge ${id} `);
  p.any('root_id', id, `designated_root ${id} `);
  timer(p, 'hold_timer', 'hold_timer', 0);
  timer(p, 'message_age_timer', 'message_age_timer', 0);
  timer(p, 'forward_delay_timer', 'forward_delay_timer', 0);
  p.any('topology_change_ack', 0, 'topology_change_ack 0 ');
  p.any('config_pending', 0, 'config_pending 0 ');
  bool('proxy_arp', 'proxy_arp', false);
  bool('proxy_arp_wifi', 'proxy_arp_wifi', false);
  p.any('multicast_router', 1, 'mcast_router 1 ');
  p.fp('mcast_fast_leave off ');
  bool('mcast_flood', 'mcast_flood', true);
  bool('bcast_flood', 'bcast_flood', true);
  bool('mcast_to_unicast', 'mcast_to_unicast', false);
  bool('neigh_suppress', 'neigh_suppress', false);
  p.any('group_fwd_mask', '0', 'group_fwd_mask 0 ');
  p.any('group_fwd_mask_str', '0x0', 'group_fwd_mask_str 0x0 ');
  bool('vlan_tunnel', 'vlan_tunnel', false);
  bool('isolated', 'isolated', false);
  bool('locked', 'locked', false);
}

/** vxlan_print_opt(). */
function printVxlanData(p: Printer, x: Vxlan, v: LinkView): void {
  p.any('id', x.vni, `id ${x.vni} `);
  const group = vxlanGroup(x);
  const remote = vxlanRemote(x);
  if (group !== undefined) p.any('group', formatIpv4(group), `group ${formatIpv4(group)} `);
  else if (remote !== undefined) p.any('remote', formatIpv4(remote), `remote ${formatIpv4(remote)} `);
  if (x.local !== undefined && x.local !== 0) p.any('local', formatIpv4(x.local), `local ${formatIpv4(x.local)} `);
  if (x.underlay) {
    const name = x.underlay.netns === v.ns ? x.underlay.name : indexName(v.ns, x.underlay.ifindex);
    p.any('link', name, `dev ${name} `);
  }
  if (p.json) {
    p.openObject('port_range');
    p.js('low', x.srcPortMin);
    p.js('high', x.srcPortMax);
    p.closeObject();
  } else p.fp(`srcport ${x.srcPortMin} ${x.srcPortMax} `);
  p.any('port', x.dstPort, `dstport ${x.dstPort} `);
  p.js('learning', x.learning);
  if (!x.learning) p.fp('nolearning ');
  if (x.tos) {
    if (p.json) p.js('tos', `0x${x.tos.toString(16)}`);
    else p.fp(x.tos === 1 ? 'tos inherit ' : `tos 0x${x.tos.toString(16)} `);
  }
  if (p.json || x.ttl) p.any('ttl', x.ttl, `ttl ${x.ttl} `);
  else p.fp('ttl auto ');
  p.js('df', 'unset');
  p.any('ageing', x.ageing, x.ageing === 0 ? 'ageing none ' : `ageing ${x.ageing} `);
  p.js('udp_csum', x.udpCsum);
  p.fp(x.udpCsum ? 'udpcsum ' : 'noudpcsum ');
  p.js('udp_zero_csum6_tx', false);
  p.fp('noudp6zerocsumtx ');
  p.js('udp_zero_csum6_rx', false);
  p.fp('noudp6zerocsumrx ');
}

/** iptunnel_print_opt() for ipip. */
function printIpipData(p: Printer, t: Ipip, v: LinkView): void {
  p.any('proto', 'ipip', 'ipip ');
  const endpoint = (key: string, a: number) => {
    const s = a ? formatIpv4(a) : 'any';
    p.any(key, s, `${key} ${s} `);
  };
  endpoint('remote', t.remote);
  endpoint('local', t.local);
  if (t.underlay) {
    const name = t.underlay.netns === v.ns ? t.underlay.name : indexName(v.ns, t.underlay.ifindex);
    p.any('link', name, `dev ${name} `);
  }
  if (p.json || t.ttl) p.any('ttl', t.ttl, `ttl ${t.ttl} `);
  else p.fp('ttl inherit ');
  p.any('pmtudisc', t.pmtudisc, t.pmtudisc ? 'pmtudisc ' : 'nopmtudisc ');
}

// ---- statistics (-s) -----------------------------------------------------------------------

interface Stats64 {
  rx: Record<string, number>;
  tx: Record<string, number>;
}

function stats64(link: Link): Stats64 {
  const s = link.stats;
  return {
    rx: { bytes: s.rxBytes, packets: s.rxPackets, errors: 0, dropped: s.rxDropped, missed: 0, mcast: 0 },
    tx: { bytes: s.txBytes, packets: s.txPackets, errors: 0, dropped: s.txDropped, carrier: 0, collsns: 0 },
  };
}

/** __print_link_stats(): the RX/TX tables with columns sized to their widest number. */
export function printStats(p: Printer, link: Link, level: number): void {
  const s = stats64(link);
  if (p.json) {
    p.openObject('stats64');
    p.openObject('rx');
    for (const [k, n] of [
      ['bytes', s.rx.bytes],
      ['packets', s.rx.packets],
      ['errors', 0],
      ['dropped', s.rx.dropped],
      ['over_errors', 0],
      ['multicast', 0],
    ] as const)
      p.js(k, n!);
    if (level > 1) for (const k of ['length_errors', 'crc_errors', 'frame_errors', 'fifo_errors', 'missed_errors']) p.js(k, 0);
    p.closeObject();
    p.openObject('tx');
    for (const [k, n] of [
      ['bytes', s.tx.bytes],
      ['packets', s.tx.packets],
      ['errors', 0],
      ['dropped', s.tx.dropped],
      ['carrier_errors', 0],
      ['collisions', 0],
    ] as const)
      p.js(k, n!);
    if (level > 1) for (const k of ['aborted_errors', 'fifo_errors', 'window_errors', 'heartbeat_errors', 'carrier_changes']) p.js(k, 0);
    p.closeObject();
    p.closeObject();
    return;
  }
  const cols = ['*X errors:', 'packets', 'errors', 'dropped', 'heartbt', 'overrun', 'compressed', 'otherhost'].map((c) => c.length);
  const size = (vals: number[]) => vals.forEach((n, i) => (cols[i] = Math.max(cols[i]!, String(n).length)));
  const rx = Object.values(s.rx);
  const tx = Object.values(s.tx);
  size(rx);
  size(tx);
  const col = (i: number, t: string) => t.padStart(cols[i]!);
  const num = (i: number, n: number) => `${String(n).padStart(cols[i]!)} `;
  const nl = p.opts.oneline ? '\\' : '\n';
  let out = `    RX: ${'bytes'.padStart(cols[0]! - 4)} ${col(1, 'packets')} ${col(2, 'errors')} ${col(3, 'dropped')} ${col(4, 'missed')} ${col(5, 'mcast')} ${''.padStart(cols[6]!)}${nl}`;
  out += `    ${rx.map((n, i) => num(i, n)).join('')}`;
  if (level > 1) {
    out += `${nl}    RX errors:${''.padStart(cols[0]! - 10)} ${col(1, 'length')} ${col(2, 'crc')} ${col(3, 'frame')} ${col(4, 'fifo')} ${col(5, 'overrun')}${nl}`;
    out += `${''.padStart(cols[0]! + 5)}${[0, 0, 0, 0, 0].map((n, i) => num(i + 1, n)).join('')}`;
  }
  out += nl;
  out += `    TX: ${'bytes'.padStart(cols[0]! - 4)} ${col(1, 'packets')} ${col(2, 'errors')} ${col(3, 'dropped')} ${col(4, 'carrier')} ${col(5, 'collsns')} ${''.padStart(cols[6]!)}${nl}`;
  out += `    ${tx.map((n, i) => num(i, n)).join('')}`;
  if (level > 1) {
    out += `${nl}    TX errors:${''.padStart(cols[0]! - 10)} ${col(1, 'aborted')} ${col(2, 'fifo')} ${col(3, 'window')} ${col(4, 'heartbt')} ${col(5, 'transns')}${nl}`;
    out += `${''.padStart(cols[0]! + 5)}${[0, 0, 0, 0, 0].map((n, i) => num(i + 1, n)).join('')}`;
  }
  p.fp(out);
}

// ---- brief (-br) ---------------------------------------------------------------------------

/** The first columns of `-br`: `%-16s %-14s ` (name@link, state). */
export function printBriefHead(p: Printer, link: Link, v: LinkView): void {
  const nl = nameAndLink(link, v);
  if (nl.key) p.js(nl.key, nl.value!);
  p.any('ifname', link.name, `${nl.text.padEnd(16)} `);
  p.any('operstate', operstateOf(link), `${operstateOf(link).padEnd(14)} `);
}

/** `ip -br link`: name, state, address, flags. */
export function printLinkBrief(p: Printer, link: Link, v: LinkView): void {
  printBriefHead(p, link, v);
  const addr = link instanceof Ipip ? formatIpv4(link.local) : link.mac;
  p.any('address', addr, `${addr} `);
  printFlags(p, linkFlags(link, nameAndLink(link, v).peerDown));
  p.fp('\n');
}
