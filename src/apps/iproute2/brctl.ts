// bridge-utils 1.7 `brctl`: show, showmacs, addbr, delbr, addif, delif, stp, setageing and the
// other setters, over the kernel's bridges (as its sysfs and ioctl calls see them).
import { Bridge, KernelError, STRERROR, linkAdd, linkDel, linkSetMaster, type Link, type Netns } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { Exit } from './args.js';
import { bridgeIdBrctl, portNoOf } from './facts.js';

const COMMANDS: readonly [string, string, number][] = [
  ['addbr', '<bridge>\t\tadd bridge', 1],
  ['delbr', '<bridge>\t\tdelete bridge', 1],
  ['addif', '<bridge> <device>\tadd interface to bridge', 2],
  ['delif', '<bridge> <device>\tdelete interface from bridge', 2],
  ['hairpin', '<bridge> <port> {on|off}\tturn hairpin on/off', 3],
  ['setageing', '<bridge> <time>\t\tset ageing time', 2],
  ['setbridgeprio', '<bridge> <prio>\t\tset bridge priority', 2],
  ['setfd', '<bridge> <time>\t\tset bridge forward delay', 2],
  ['sethello', '<bridge> <time>\t\tset hello time', 2],
  ['setmaxage', '<bridge> <time>\t\tset max message age', 2],
  ['setpathcost', '<bridge> <port> <cost>\tset path cost', 3],
  ['setportprio', '<bridge> <port> <prio>\tset port priority', 3],
  ['show', '[ <bridge> ]\t\tshow a list of bridges', 0],
  ['showmacs', '<bridge>\t\tshow a list of mac addrs', 1],
  ['showstp', '<bridge>\t\tshow bridge stp info', 1],
  ['stp', '<bridge> {on|off}\tturn stp on/off', 2],
];

function usage(): string {
  return `Usage: brctl [commands]\ncommands:\n${COMMANDS.map(([c, help]) => `\t${c.padEnd(10)}\t${help}\n`).join('')}`;
}

const bridgesOf = (ns: Netns): Bridge[] =>
  ns
    .links()
    .filter((l): l is Bridge => l instanceof Bridge)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function showBridge(br: Bridge): string {
  const ports = br.ports.map((p) => p.dev.name).sort();
  return `${br.name}\t\t${bridgeIdBrctl(br)}\t${br.stpState ? 'yes' : 'no'}\t\t${ports.join('\n\t\t\t\t\t\t\t')}\n`;
}

/** Runs `brctl ARGS`. */
export function brctl(args: readonly string[], proc: Proc): number {
  try {
    return brctlMain(args, proc);
  } catch (e) {
    const exit = e instanceof KernelError ? new Exit(1, [`brctl: ${STRERROR[e.errno]}`]) : e;
    if (exit instanceof Exit) return exit.report(proc);
    throw e;
  }
}

const err = (msg: string): never => {
  throw new Exit(1, [msg]);
};

function brctlMain(args: readonly string[], proc: Proc): number {
  const [cmd, ...rest] = args;
  if (cmd === undefined) {
    proc.stdout(usage());
    return 1;
  }
  const entry = COMMANDS.find(([c]) => c === cmd);
  if (!entry) {
    proc.stderr(`never heard of command [${cmd}]\n`);
    proc.stdout(usage());
    return 1;
  }
  const [, help, nargs] = entry;
  if (rest.length < nargs) {
    proc.stdout(`Incorrect number of arguments for command\nUsage: brctl ${cmd} ${help}\n`);
    return 1;
  }
  const ns = proc.ns;
  const bridgeNamed = (name: string): Bridge => {
    const l = ns.linkByName(name);
    if (!(l instanceof Bridge)) err(`bridge ${name} does not exist!`);
    return l as Bridge;
  };
  switch (cmd) {
    case 'show': {
      const header = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';
      let out = '';
      // With no bridge at all, bridge-utils prints nothing, not even the header.
      if (rest.length === 0) for (const br of bridgesOf(ns)) out += (out === '' ? header : '') + showBridge(br);
      else out = header;
      for (const name of rest) {
        const l = ns.linkByName(name);
        if (!l) err(`bridge ${name} does not exist!`);
        if (!(l instanceof Bridge)) err(`device ${name} is not a bridge!`);
        out += showBridge(l as Bridge);
      }
      proc.stdout(out);
      return 0;
    }
    case 'showmacs': {
      const br = bridgeNamed(rest[0]!);
      const now = ns.kernel.clock.now();
      const rows = br
        .entries()
        .filter((e) => e.port !== br)
        .map((e) => ({ e, no: portNoOf(br, e.port) }))
        .sort((a, b) => (a.e.mac < b.e.mac ? -1 : a.e.mac > b.e.mac ? 1 : 0));
      let out = 'port no\tmac addr\t\tis local?\tageing timer\n';
      for (const { e, no } of rows) {
        const age = e.local || e.static ? 0 : Math.max(0, now - e.updated) / 1000;
        out += `${String(no).padStart(3)}\t${e.mac}\t${e.local ? 'yes' : 'no'}\t\t${age.toFixed(2).padStart(7)}\n`;
      }
      proc.stdout(out);
      return 0;
    }
    case 'addbr': {
      const name = rest[0]!;
      if (ns.linkByName(name)) err(`device ${name} already exists; can't create bridge with the same name`);
      linkAdd(ns, name, { kind: 'bridge' });
      return 0;
    }
    case 'delbr': {
      const name = rest[0]!;
      const l = ns.linkByName(name);
      if (!l) err(`bridge ${name} doesn't exist; can't delete it`);
      if (!(l instanceof Bridge)) err(`can't delete bridge ${name}: Operation not permitted`);
      if (l!.adminUp) err(`bridge ${name} is still up; can't delete it`);
      linkDel(l!);
      return 0;
    }
    case 'addif':
    case 'delif': {
      const [brName, ifName] = rest as [string, string];
      const dev: Link = ns.linkByName(ifName) ?? err(`interface ${ifName} does not exist!`);
      const br = bridgeNamed(brName);
      if (cmd === 'addif') {
        if (dev.master) err(`device ${ifName} is already a member of a bridge; can't add it to bridge ${brName}.`);
        if (dev === br || dev.kind === 'loopback' || !dev.hasEthernetHeader)
          err(`can't add ${ifName} to bridge ${brName}: Invalid argument`);
        linkSetMaster(dev, br);
      } else {
        if (dev.master !== br) err(`device ${ifName} is not a port of ${brName}`);
        linkSetMaster(dev, undefined);
      }
      return 0;
    }
    case 'stp': {
      const br = bridgeNamed(rest[0]!);
      const v = rest[1]!;
      br.stpState = v === 'on' || v === 'yes' || v === '1' ? 1 : 0;
      return 0;
    }
    case 'hairpin': {
      const br = bridgeNamed(rest[0]!);
      const port = br.ports.find((p) => p.dev.name === rest[1]) ?? err(`interface ${rest[1]} is not a port of ${rest[0]}`);
      port.hairpin = rest[2] === 'on';
      return 0;
    }
    case 'setageing':
    case 'setfd':
    case 'sethello':
    case 'setmaxage': {
      const br = bridgeNamed(rest[0]!);
      const secs = Number(rest[1]);
      if (!Number.isFinite(secs)) err(`bad ${cmd === 'setageing' ? 'ageing time' : 'time'} value`);
      const cs = Math.round(secs * 100);
      if (cmd === 'setageing') br.ageingTime = cs * 10;
      else if (cmd === 'setfd') br.forwardDelay = cs;
      else if (cmd === 'sethello') br.helloTime = cs;
      else br.maxAge = cs;
      return 0;
    }
    case 'setbridgeprio': {
      const br = bridgeNamed(rest[0]!);
      br.priority = Number(rest[1]) & 0xffff;
      return 0;
    }
    default:
      return err(`knetlab: "brctl ${cmd}" is not emulated`);
  }
}
