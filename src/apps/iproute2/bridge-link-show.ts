// How `bridge link show` prints a bridge port (iproute2 bridge/link.c print_linkinfo and
// print_protinfo): name@peer looked up in the listing's own namespace, flags, port state, and
// the `-d` line of port options.
import type { Bridge, Link, Netns } from '../../kernel/index.js';
import { linkFlags, portCostOf, portStateOf } from './facts.js';
import type { Printer } from './print.js';

/** bridge/link.c print_linkinfo() for a port. */
export function printBridgePort(p: Printer, l: Link, br: Bridge, v: { ns: Netns; details: boolean }): void {
  const port = br.portOf(l)!;
  p.openObject();
  p.any('ifindex', l.ifindex, `${l.ifindex}: `);
  // IFLA_LINK is looked up in bridge's own namespace, whatever namespace the peer is in; br_fill_ifinfo()
  // sends it only when the peer's index differs from the port's own (a peer elsewhere may share it).
  const veth = (l as { peer?: Link }).peer;
  const peer = veth && veth.ifindex !== l.ifindex ? veth : undefined;
  let name = l.name;
  if (peer) {
    const local = v.ns.linkByIndex(peer.ifindex);
    const peerName = local?.name ?? `if${peer.ifindex}`;
    p.js('link', peerName);
    name = `${l.name}@${peerName}`;
  }
  p.any('ifname', l.name, `${name}: `);
  // M-DOWN: the device the peer index names here is down (an unknown index counts as up).
  const named = peer ? v.ns.linkByIndex(peer.ifindex) : undefined;
  const flags = linkFlags(l, named !== undefined && !named.adminUp);
  p.openArray('flags', '<');
  for (const f of flags) p.js(undefined, f);
  p.fp(flags.join(','));
  p.closeArray('> ');
  p.any('mtu', l.mtu, `mtu ${l.mtu} `);
  p.any('master', br.name, `master ${br.name} `);
  const state = portStateOf(br, l);
  p.any('state', state, `state ${state} `);
  p.any('priority', 32, 'priority 32 ');
  p.any('cost', portCostOf(l), `cost ${portCostOf(l)} `);
  if (v.details) {
    p.nl();
    const onoff = (k: string, b: boolean) => p.any(k, b, `${k} ${b ? 'on' : 'off'} `);
    p.fp('    ');
    onoff('hairpin', port.hairpin);
    onoff('guard', false);
    onoff('root_block', false);
    onoff('fastleave', false);
    onoff('learning', port.learning);
    onoff('flood', port.flood);
    onoff('mcast_flood', true);
    onoff('bcast_flood', true);
    p.any('mcast_router', 1, 'mcast_router 1 ');
    onoff('mcast_to_unicast', false);
    onoff('neigh_suppress', false);
    onoff('vlan_tunnel', false);
    onoff('isolated', false);
    onoff('locked', false);
  }
  p.fp('\n');
  p.closeObject();
}
