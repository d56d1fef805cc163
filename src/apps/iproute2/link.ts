// `ip link add|set|delete|show`: iproute2's iplink_parse() word for word, then the kernel's
// rtnl_newlink/do_setlink checks made before anything changes, then one application in
// do_setlink's order (netns, address, mtu, name, flags, master, txqueuelen).
import { Bridge, delLink, linkSetUp, newLink, setLink, type Link, type LinkSpec, type Netns } from '../../kernel/index.js';
import type { Mac } from '../../wire/index.js';
import { Args, duparg, duparg2, fail, invarg, macArg, matches, parseNumber, validIfname } from './args.js';
import type { Ctx } from './ctx.js';
import { kernelFail, rtnl } from './errors.js';
import { parseBridgeArgs, parseIpipArgs, parseVxlanArgs, type BridgeArgs } from './link-kinds.js';
import { listLinks } from './list.js';

const LINK_USAGE = [
  'Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME',
  '\t\t    [ txqueuelen PACKETS ]',
  '\t\t    [ address LLADDR ]',
  '\t\t    [ broadcast LLADDR ]',
  '\t\t    [ mtu MTU ] [index IDX ]',
  '\t\t    [ numtxqueues QUEUE_COUNT ]',
  '\t\t    [ numrxqueues QUEUE_COUNT ]',
  '\t\t    type TYPE [ ARGS ]',
  '',
  '       ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]',
  '',
  '       ip link set { DEVICE | dev DEVICE | group DEVGROUP }',
  '\t\t\t[ { up | down } ]',
  '\t\t\t[ type TYPE ARGS ]',
  '\t\t[ arp { on | off } ]',
  '\t\t[ address LLADDR ]',
  '\t\t[ name NEWNAME ]',
  '\t\t[ mtu MTU ]',
  '\t\t[ netns { PID | NAME } ]',
  '\t\t[ master DEVICE ][ nomaster ]',
  '',
  '       ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]',
  '',
  'TYPE := { bridge | dummy | ipip | veth | vxlan }',
];

/** What one iplink_parse() run collected. */
export interface LinkRequest {
  dev?: string;
  /** Set when `dev` came from `name NAME` (iplink_parse's `dev = name`). */
  devIsName: boolean;
  name?: string;
  up?: boolean;
  mtu?: number;
  mac?: Mac;
  txqlen?: number;
  alias?: string;
  promisc?: boolean;
  netns?: string;
  /** null: `nomaster`. */
  master?: string | null;
  link?: string;
  type?: string;
  typeArgs: string[];
}

/** iplink_parse(): generic device attributes, up to `type KIND`. */
export function parseLinkRequest(argv: readonly string[]): LinkRequest {
  const r: LinkRequest = { devIsName: false, typeArgs: [] };
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'up') r.up = true;
    else if (w === 'down') r.up = false;
    else if (w === 'name') {
      const n = a.next();
      if (r.name !== undefined) duparg('name', n);
      if (!validIfname(n)) invarg('"name" not a valid ifname', n);
      r.name = n;
      if (r.dev === undefined) (r.dev = n), (r.devIsName = true);
    } else if (matches(w, 'link')) r.link = a.next();
    else if (matches(w, 'address')) r.mac = macArg(a.next());
    else if (matches(w, 'txqueuelen') || w === 'qlen' || matches(w, 'txqlen')) {
      const t = a.next();
      if (r.txqlen !== undefined) duparg('txqueuelen', t);
      const n = parseNumber(t);
      if (n === undefined || n < -0x80000000 || n > 0x7fffffff) invarg('Invalid "txqueuelen" value\n', t);
      // get_integer() takes a negative number; the kernel stores it as unsigned.
      r.txqlen = n! >>> 0;
    } else if (w === 'mtu') {
      const t = a.next();
      if (r.mtu !== undefined) duparg('mtu', t);
      const n = parseNumber(t);
      if (n === undefined || n > 0x7fffffff) invarg('Invalid "mtu" value\n', t);
      r.mtu = n;
    } else if (w === 'netns') {
      const t = a.next();
      if (r.netns !== undefined) duparg('netns', t);
      r.netns = t;
    } else if (matches(w, 'master')) r.master = a.next();
    else if (matches(w, 'nomaster')) r.master = null;
    else if (matches(w, 'type')) {
      r.type = a.next();
      a.shift();
      r.typeArgs = a.rest();
      break;
    } else if (matches(w, 'alias')) {
      const t = a.next();
      if (new TextEncoder().encode(t).length >= 256) invarg('alias too long\n', t);
      r.alias = t;
    } else if (w === 'arp' || w === 'multicast' || w === 'allmulticast' || w === 'promisc' || w === 'carrier' || w === 'trailers') {
      const v = a.next();
      if (v !== 'on' && v !== 'off') fail(255, `Error: argument of "${w}" must be "on" or "off", not "${v}"`);
      if (w === 'promisc') r.promisc = v === 'on';
    } else if (w === 'group') {
      const g = a.next();
      if (g !== 'default' && g !== '0') invarg('Invalid "group" value\n', g);
    } else {
      if (matches(w, 'help')) fail(255, ...LINK_USAGE);
      let dev = w;
      if (w === 'dev') dev = a.next();
      if (r.dev !== undefined && !r.devIsName) duparg2('dev', dev);
      if (r.dev !== undefined && r.devIsName && r.dev !== dev) duparg2('dev', dev);
      if (dev.length === 0 || dev.length >= 128 || /[\s/:]/.test(dev)) invarg('"dev" not a valid ifname', dev);
      r.dev = dev;
      r.devIsName = false;
    }
  }
  return r;
}

/** netns_get_fd() then get_integer(): a /run/netns name or a PID. */
function resolveNetns(ctx: Ctx, ref: string): Netns {
  const named = ctx.host.netns(ref);
  if (named) return named;
  if (parseNumber(ref) === undefined) invarg('Invalid "netns" value\n', ref);
  // PID 1 is the host's init; knetlab runs no other processes (find_get_pid fails: ESRCH).
  return ctx.host.resolve(String(parseNumber(ref))) ?? fail(2, 'RTNETLINK answers: No such process');
}

function findDev(ns: Netns, name: string, status = 1): Link {
  return ns.linkByName(name) ?? fail(status, `Cannot find device "${name}"`);
}

/** `ip link add`. */
function linkAddCmd(ctx: Ctx, argv: readonly string[]): number {
  const r = parseLinkRequest(argv);
  if (r.type === undefined) fail(1, 'Not enough information: "type" argument is required');
  const kind = r.type!;
  const warnings: string[] = [];
  const target = r.netns !== undefined ? resolveNetns(ctx, r.netns) : ctx.ns;
  const master = typeof r.master === 'string' ? (ctx.ns.linkByName(r.master) ?? invarg('Device does not exist\n', r.master)) : undefined;
  if (r.link !== undefined) findDev(ctx.ns, r.link);
  let spec: LinkSpec;
  let peer: LinkRequest | undefined;
  switch (kind) {
    case 'veth': {
      if (r.typeArgs.length > 0) {
        if (r.typeArgs[0] !== 'peer') {
          ctx.proc.stdout("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
          return 1;
        }
        peer = parseLinkRequest(r.typeArgs.slice(1));
        if (peer.type !== undefined) duparg('type', peer.type);
      }
      spec = { kind: 'veth' };
      break;
    }
    case 'bridge':
      applyBridgeArgs(undefined, parseBridgeArgs(r.typeArgs));
      spec = { kind: 'bridge' };
      break;
    case 'dummy':
      spec = { kind: 'dummy' };
      break;
    case 'vxlan': {
      const x = parseVxlanArgs(r.typeArgs, true, warnings);
      const underlay = x.dev !== undefined ? findDev(ctx.ns, x.dev, 255) : undefined;
      if (x.vni === undefined) kernelFail('EINVAL', 'Required attributes not provided to perform the operation');
      spec = {
        kind: 'vxlan',
        vni: x.vni!,
        local: x.local,
        remote: x.remote ?? x.group,
        underlay,
        dstPort: x.dstPort,
        learning: x.learning,
        ttl: x.ttl,
        tos: x.tos,
        udpCsum: x.udpCsum,
        srcPortMin: x.srcPort?.[0],
        srcPortMax: x.srcPort?.[1],
        ageing: x.ageing,
      };
      break;
    }
    case 'ipip': {
      const t = parseIpipArgs(r.typeArgs);
      const underlay = t.dev !== undefined ? findDev(ctx.ns, t.dev, 1) : undefined;
      spec = { kind: 'ipip', local: t.local, remote: t.remote, underlay, ttl: t.ttl, pmtudisc: t.pmtudisc === false ? false : undefined };
      break;
    }
    default:
      return kernelFail('EOPNOTSUPP', 'Unknown device type');
  }
  const peerNs = peer?.netns !== undefined ? resolveNetns(ctx, peer.netns) : undefined;
  const link = rtnl(() =>
    newLink(
      target,
      {
        name: r.name ?? r.dev,
        spec,
        mtu: r.mtu,
        mac: r.mac,
        txQueueLen: r.txqlen,
        master,
        peer:
          spec.kind === 'veth'
            ? { name: peer?.name ?? peer?.dev, netns: peerNs, mac: peer?.mac, mtu: peer?.mtu, txQueueLen: peer?.txqlen, up: peer?.up }
            : undefined,
      },
      ctx.ns,
    ),
  );
  for (const w of warnings) ctx.proc.stderr(`${w}\n`);
  if (spec.kind === 'bridge') applyBridgeArgs(link as Bridge, parseBridgeArgs(r.typeArgs));
  if (r.up) linkSetUp(link);
  return 0;
}

function applyBridgeArgs(br: Bridge | undefined, b: BridgeArgs): void {
  if (!br) return;
  if (b.forwardDelay !== undefined) br.forwardDelay = b.forwardDelay;
  if (b.helloTime !== undefined) br.helloTime = b.helloTime;
  if (b.maxAge !== undefined) br.maxAge = b.maxAge;
  if (b.ageingTime !== undefined) br.ageingTime = b.ageingTime * 10;
  if (b.stpState !== undefined) br.stpState = b.stpState;
  if (b.priority !== undefined) br.priority = b.priority;
  if (b.vlanFiltering !== undefined) br.vlanFiltering = b.vlanFiltering;
}

/** `ip link set`: every check first, then do_setlink's order. */
function linkSetCmd(ctx: Ctx, argv: readonly string[]): number {
  const r = parseLinkRequest(argv);
  if (r.dev === undefined) fail(255, 'Not enough information: "dev" argument is required.');
  const ns = ctx.ns;
  const master = typeof r.master === 'string' ? (ns.linkByName(r.master) ?? invarg('Device does not exist\n', r.master)) : r.master;
  const target = r.netns !== undefined ? resolveNetns(ctx, r.netns) : undefined;
  const link = findDev(ns, r.dev!);
  const bridgeArgs = r.type === 'bridge' && link.kind === 'bridge' ? parseBridgeArgs(r.typeArgs) : undefined;
  rtnl(() =>
    setLink(link, {
      kind: r.type,
      netns: target,
      name: r.name,
      mac: r.mac,
      mtu: r.mtu,
      up: r.up,
      master,
      txQueueLen: r.txqlen,
      alias: r.alias,
      promisc: r.promisc,
    }),
  );
  if (bridgeArgs) applyBridgeArgs(link as Bridge, bridgeArgs);
  return 0;
}

/** `ip link delete`. */
function linkDelCmd(ctx: Ctx, argv: readonly string[]): number {
  const r = parseLinkRequest(argv);
  if (r.dev === undefined) fail(255, 'Not enough information: "dev" argument is required.');
  const link = findDev(ctx.ns, r.dev!);
  rtnl(() => delLink(link, r.type));
  return 0;
}

/** do_iplink(). */
export function ipLink(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) return listLinks(ctx, [], true);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return linkAddCmd(ctx, rest);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return linkSetCmd(ctx, rest);
  if (matches(cmd, 'replace')) return linkSetCmd(ctx, rest);
  if (matches(cmd, 'delete')) return linkDelCmd(ctx, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return listLinks(ctx, rest, true);
  if (matches(cmd, 'help')) fail(255, ...LINK_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "ip link help".`);
}
