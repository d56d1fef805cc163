// The `bridge` command (iproute2 6.1 bridge/): `fdb add|append|replace|del|show` and
// `link show`, over the kernel's bridges and vxlan forwarding tables.
import { Bridge, Vxlan } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { Args, GlobalOptions, addrArg, duparg, duparg2, fail, invarg, matches } from './args.js';
import { DEFAULT_OPTIONS, netnsOption, printerFor, type IpOptions } from './ctx.js';
import { kernelFail, rtnl } from './errors.js';
import { printBridgePort } from './bridge-link-show.js';
import { dumpFdb, printFdb } from './fdb-show.js';
import { runBatch } from './batch.js';
import { runCommand } from './ip.js';

const BRIDGE_USAGE = [
  'Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }',
  '       bridge [ -force ] -batch filename',
  'where  OBJECT := { link | fdb | mdb | vlan | monitor }',
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |',
  '                    -o[neline] | -t[imestamp] | -n[etns] name |',
  '                    -c[ompressvlans] -color -p[retty] -j[son] }',
];

const FDB_USAGE = [
  'Usage: bridge fdb { add | append | del | replace } ADDR dev DEV',
  '              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]',
  '              [ sticky ] [ local | static | dynamic ] [ vlan VID ]',
  '              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }',
  '\t       [ via DEV ] [ src_vni VNI ]',
  '       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]',
  '              [ state STATE ] [ dynamic ] ]',
  '       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV',
  '              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]',
];

const LINK_USAGE = [
  'Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]',
  '                               [ guard {on | off} ]',
  '                               [ hairpin {on | off} ]',
  '                               [ fastleave {on | off} ]',
  '\t\t\t\t[ root_block {on | off} ]',
  '\t\t\t\t[ learning {on | off} ]',
  '\t\t\t\t[ learning_sync {on | off} ]',
  '\t\t\t\t[ flood {on | off} ]',
  '\t\t\t\t[ mcast_flood {on | off} ]',
  '\t\t\t\t[ bcast_flood {on | off} ]',
  '\t\t\t\t[ mcast_to_unicast {on | off} ]',
  '\t\t\t\t[ neigh_suppress {on | off} ]',
  '\t\t\t\t[ vlan_tunnel {on | off} ]',
  '\t\t\t\t[ isolated {on | off} ]',
  '\t\t\t\t[ locked {on | off} ]',
  '                               [ hwmode {vepa | veb} ]',
  '                               [ backup_port DEVICE ] [ nobackup_port ]',
  '                               [ self ] [ master ]',
  '       bridge link show [dev DEV]',
];

interface BridgeCtx {
  readonly proc: Proc;
  readonly ns: Proc['ns'];
  readonly o: IpOptions;
}

/** Runs `bridge ARGS`. */
export function bridge(args: readonly string[], proc: Proc): number {
  return runCommand(proc, () => bridgeMain(args, proc), 255);
}

function bridgeMain(args: readonly string[], proc: Proc): number {
  const o: IpOptions = { ...DEFAULT_OPTIONS };
  let ns = proc.ns;
  let batch: string | undefined;
  let force = false;
  const opts = new GlobalOptions(args);
  for (let opt = opts.next(); opt !== undefined; opt = opts.next()) {
    if (matches(opt, '-help')) fail(255, ...BRIDGE_USAGE);
    else if (matches(opt, '-Version')) {
      proc.stdout('bridge utility, 6.1.0\n');
      return 0;
    } else if (matches(opt, '-stats')) o.stats++;
    else if (matches(opt, '-details')) o.details = true;
    else if (matches(opt, '-oneline')) o.oneline = true;
    else if (matches(opt, '-timestamp')) continue;
    else if (matches(opt, '-family')) opts.value();
    else if (opt === '-4' || opt === '-6') continue;
    else if (matches(opt, '-netns')) ns = netnsOption(proc, opts.value());
    else if (matches(opt.split('=')[0]!, '-color')) continue;
    else if (matches(opt, '-compressvlans')) continue;
    else if (matches(opt, '-force')) force = true;
    else if (matches(opt, '-json')) o.json = true;
    else if (matches(opt, '-pretty')) o.pretty = true;
    else if (matches(opt, '-batch')) {
      batch = opts.value();
      if (batch === undefined) fail(255, ...BRIDGE_USAGE);
    } else fail(255, `Option "${opt}" is unknown, try "bridge help".`);
  }
  const ctx: BridgeCtx = { proc, ns, o };
  if (batch !== undefined) return runBatch(proc, batch, force, (line) => runCommand(proc, () => bridgeObject(ctx, line), 255));
  const rest = opts.rest();
  if (rest.length === 0) fail(255, ...BRIDGE_USAGE);
  return bridgeObject(ctx, rest);
}

function bridgeObject(ctx: BridgeCtx, [object, ...argv]: readonly string[]): number {
  if (object === undefined) return fail(255, ...BRIDGE_USAGE);
  if (matches(object, 'link')) return doLink(ctx, argv);
  if (matches(object, 'fdb')) return doFdb(ctx, argv);
  if (matches(object, 'mdb') || matches(object, 'vlan') || matches(object, 'monitor'))
    fail(1, `knetlab: "bridge ${object}" is not emulated`);
  if (matches(object, 'help')) fail(255, ...BRIDGE_USAGE);
  return fail(255, `Object "${object}" is unknown, try "bridge help".`);
}

// ---- fdb -----------------------------------------------------------------------------------

function doFdb(ctx: BridgeCtx, argv: readonly string[]): number {
  if (argv.length === 0) return fdbShow(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return fdbModify(ctx, rest, 'add');
  if (matches(cmd, 'append')) return fdbModify(ctx, rest, 'append');
  if (matches(cmd, 'replace')) return fdbModify(ctx, rest, 'replace');
  if (matches(cmd, 'delete')) return fdbModify(ctx, rest, 'del');
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return fdbShow(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...FDB_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "bridge fdb help".`);
}

function fdbShow(ctx: BridgeCtx, argv: readonly string[]): number {
  const a = new Args(argv);
  let brName: string | undefined;
  let devName: string | undefined;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'dev' || w === 'brport') {
      const d = a.next();
      if (devName !== undefined) duparg('dev', d);
      devName = d;
    } else if (w === 'br') {
      const b = a.next();
      if (brName !== undefined) duparg('br', b);
      brName = b;
    } else if (w === 'vlan' || w === 'state') {
      a.next();
      fail(1, `knetlab: "bridge fdb show ${w}" is not emulated`);
    } else if (w === 'dynamic') fail(1, 'knetlab: "bridge fdb show dynamic" is not emulated');
    else {
      if (matches(w, 'help')) fail(255, ...FDB_USAGE);
      devName ??= w;
    }
  }
  let br: Bridge | undefined;
  if (brName !== undefined) {
    const l = ctx.ns.linkByName(brName) ?? fail(255, `Cannot find bridge device "${brName}"`);
    if (!(l instanceof Bridge)) return printEmpty(ctx);
    br = l;
  }
  const dev = devName !== undefined ? (ctx.ns.linkByName(devName) ?? fail(255, `Cannot find device "${devName}"`)) : undefined;
  const p = printerFor(ctx.o);
  p.begin();
  for (const e of dumpFdb(ctx.ns, { br, dev })) printFdb(p, e, dev === undefined);
  ctx.proc.stdout(p.end());
  return 0;
}

function printEmpty(ctx: BridgeCtx): number {
  const p = printerFor(ctx.o);
  p.begin();
  ctx.proc.stdout(p.end());
  return 0;
}

function fdbModify(ctx: BridgeCtx, argv: readonly string[], mode: 'add' | 'append' | 'replace' | 'del'): number {
  const a = new Args(argv);
  let devName: string | undefined;
  let mac: string | undefined;
  let dst: number | undefined;
  let self = false;
  let master = false;
  let state: 'permanent' | 'static' | 'dynamic' | undefined;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'dev') devName = a.next();
    else if (w === 'dst') {
      const t = a.next();
      if (dst !== undefined) duparg2('dst', t);
      if (t.includes(':')) fail(1, `knetlab: IPv6 VTEPs are not emulated ("${t}")`);
      dst = addrArg(t);
    } else if (w === 'port' || w === 'vni' || w === 'src_vni' || w === 'via' || w === 'nhid' || w === 'vlan') {
      const t = a.next();
      if (w === 'port' && !/^\d+$/.test(t)) invarg('invalid port\n', t);
      fail(1, `knetlab: "bridge fdb ... ${w}" is not emulated`);
    } else if (w === 'self') self = true;
    else if (matches(w, 'master')) master = true;
    else if (matches(w, 'router') || matches(w, 'use') || matches(w, 'extern_learn') || matches(w, 'sticky')) continue;
    else if (matches(w, 'local') || matches(w, 'permanent')) state = 'permanent';
    else if (matches(w, 'temp') || matches(w, 'static')) state = 'static';
    else if (matches(w, 'dynamic')) state = 'dynamic';
    else {
      let t = w;
      if (t === 'to') t = a.next();
      if (matches(t, 'help')) fail(255, ...FDB_USAGE);
      if (mac !== undefined) duparg2('to', t);
      mac = t;
    }
  }
  if (devName === undefined || mac === undefined) fail(255, 'Device and address are required arguments.');
  if (!self && !master) self = true;
  const parts = mac!.split(':');
  if (parts.length !== 6 || !parts.every((x) => /^[0-9a-fA-F]{1,2}$/.test(x))) fail(255, `Invalid mac address ${mac}`);
  const lladdr = parts.map((x) => x.toLowerCase().padStart(2, '0')).join(':');
  const dev = ctx.ns.linkByName(devName!) ?? fail(255, `Cannot find device "${devName}"`);
  // rtnl_fdb_add/del: the bridge (NTF_MASTER) and the device itself (NTF_SELF).
  if (master) {
    const br = dev.master instanceof Bridge ? dev.master : kernelFail('EINVAL', undefined, 255);
    if (mode === 'del') rtnl(() => br.fdbDel(lladdr), {}, 255);
    else {
      rtnl(() => br.fdbAdd(lladdr, dev, mode !== 'add', state), {}, 255);
    }
  }
  if (self) {
    if (dev instanceof Vxlan) {
      if (mode === 'del') rtnl(() => dev.fdbDel(lladdr, dst), {}, 255);
      else {
        if (dst === undefined) kernelFail('EINVAL', undefined, 255);
        rtnl(() => dev.fdbUpdate(lladdr, dst!, mode as 'add' | 'append' | 'replace'), {}, 255);
      }
    } else if (!master) {
      fail(255, `knetlab: "bridge fdb ${mode} ... self" on a ${dev.kind} device (its unicast address list) is not emulated`);
    }
  }
  return 0;
}

// ---- link ----------------------------------------------------------------------------------

function doLink(ctx: BridgeCtx, argv: readonly string[]): number {
  if (argv.length === 0) return linkShow(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'set') || matches(cmd, 'change')) return linkSet(ctx, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return linkShow(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...LINK_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "bridge link help".`);
}

function linkShow(ctx: BridgeCtx, argv: readonly string[]): number {
  const a = new Args(argv);
  let devName: string | undefined;
  for (; a.more; a.shift()) {
    if (a.cur === 'dev') {
      const d = a.next();
      if (devName !== undefined) duparg('dev', d);
      devName = d;
    } else if (a.cur === 'master') a.next();
  }
  const dev = devName !== undefined ? (ctx.ns.linkByName(devName) ?? fail(255, `Cannot find device "${devName}"`)) : undefined;
  const p = printerFor(ctx.o);
  p.begin();
  for (const l of ctx.ns.links()) {
    if (dev && l !== dev) continue;
    if (!(l.master instanceof Bridge)) continue;
    printBridgePort(p, l, l.master, { ns: ctx.ns, details: ctx.o.details });
  }
  ctx.proc.stdout(p.end());
  return 0;
}

/** `bridge link set dev PORT hairpin|learning|flood on|off`. */
function linkSet(ctx: BridgeCtx, argv: readonly string[]): number {
  const a = new Args(argv);
  let devName: string | undefined;
  const changes: ['hairpin' | 'learning' | 'flood', boolean][] = [];
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'dev') devName = a.next();
    else if (w === 'hairpin' || w === 'learning' || w === 'flood') {
      const v = a.next();
      if (v !== 'on' && v !== 'off') fail(255, `Error: argument of "${w}" must be "on" or "off", not "${v}"`);
      changes.push([w, v === 'on']);
    } else if (
      [
        'cost',
        'priority',
        'state',
        'guard',
        'fastleave',
        'root_block',
        'learning_sync',
        'mcast_flood',
        'bcast_flood',
        'mcast_to_unicast',
        'neigh_suppress',
        'vlan_tunnel',
        'isolated',
        'locked',
        'hwmode',
        'backup_port',
      ].includes(w)
    ) {
      a.next();
      fail(1, `knetlab: "bridge link set ${w}" is not emulated`);
    } else if (w === 'self' || w === 'master' || w === 'nobackup_port') continue;
    else fail(255, ...LINK_USAGE);
  }
  if (devName === undefined) fail(255, 'Device is a required argument.');
  const dev = ctx.ns.linkByName(devName!) ?? fail(255, `Cannot find device "${devName}"`);
  const port = dev.master instanceof Bridge ? dev.master.portOf(dev) : undefined;
  if (!port) kernelFail('EOPNOTSUPP', undefined, 255);
  for (const [k, v] of changes) port![k] = v;
  return 0;
}
