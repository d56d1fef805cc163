// The `ip` command (iproute2 6.1 ip.c): global options, `-n NS`, and the objects by prefix
// (`ip a`, `ip r`, `ip n`, `ip l`), in iproute2's table order so abbreviations resolve the same.
import { KernelError } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { ipAddr } from './addr.js';
import { Exit, GlobalOptions, fail, matches } from './args.js';
import { runBatch } from './batch.js';
import { DEFAULT_OPTIONS, netnsOption, type Ctx, type IpOptions } from './ctx.js';
import { kernelMessage } from './errors.js';
import { ipLink } from './link.js';
import { ipNeigh } from './neigh.js';
import { ipNetns } from './netns.js';
import { ipRoute } from './route.js';
import { ipRule } from './rule.js';
import { ipTuntap } from './tuntap.js';

export const IP_USAGE = [
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }',
  '       ip [ -force ] -batch filename',
  'where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |',
  '                   link | macsec | maddress | monitor | mptcp | mroute | mrule |',
  '                   neighbor | neighbour | netconf | netns | nexthop | ntable |',
  '                   ntbl | route | rule | sr | tap | tcpmetrics |',
  '                   token | tunnel | tuntap | vrf | xfrm }',
  '       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |',
  '                    -h[uman-readable] | -iec | -j[son] | -p[retty] |',
  '                    -f[amily] { inet | inet6 | mpls | bridge | link } |',
  '                    -4 | -6 | -M | -B | -0 |',
  '                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |',
  '                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |',
  '                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |',
  '                    -c[olor]}',
];

type Handler = (ctx: Ctx, argv: readonly string[]) => number;

const notEmulated =
  (object: string): Handler =>
  () =>
    fail(1, `knetlab: "ip ${object}" is not emulated`);

/** ip.c's object table, in its order (first prefix match wins). */
const OBJECTS: readonly [string, Handler][] = [
  ['address', ipAddr],
  ['addrlabel', notEmulated('addrlabel')],
  ['maddress', notEmulated('maddress')],
  ['route', ipRoute],
  ['rule', ipRule],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', notEmulated('ntable')],
  ['ntbl', notEmulated('ntbl')],
  ['link', ipLink],
  ['l2tp', notEmulated('l2tp')],
  ['fou', notEmulated('fou')],
  ['ila', notEmulated('ila')],
  ['macsec', notEmulated('macsec')],
  ['tunnel', notEmulated('tunnel')],
  ['tunl', notEmulated('tunl')],
  ['tuntap', ipTuntap],
  ['tap', notEmulated('tap')],
  ['token', notEmulated('token')],
  ['tcpmetrics', notEmulated('tcpmetrics')],
  ['tcp_metrics', notEmulated('tcp_metrics')],
  ['monitor', notEmulated('monitor')],
  ['xfrm', notEmulated('xfrm')],
  ['mroute', notEmulated('mroute')],
  ['mrule', notEmulated('mrule')],
  ['netns', ipNetns],
  ['netconf', notEmulated('netconf')],
  ['vrf', notEmulated('vrf')],
  ['sr', notEmulated('sr')],
  ['nexthop', notEmulated('nexthop')],
  ['mptcp', notEmulated('mptcp')],
  ['ioam', notEmulated('ioam')],
  ['help', () => fail(255, ...IP_USAGE)],
  ['stats', notEmulated('stats')],
];

const FAMILIES: Record<string, IpOptions['family'] | 'unsupported'> = {
  inet: 'inet',
  inet6: 'inet6',
  link: 'link',
  bridge: 'unsupported',
  mpls: 'unsupported',
};

/** Runs `ip ARGS` in `proc`'s namespace. */
export function ip(args: readonly string[], proc: Proc): number {
  return runCommand(proc, () => ipMain(args, proc));
}

/**
 * Prints an Exit's message on stderr and returns its status. A kernel error no check caught
 * prints as netlink's answer (exit 2); other errors are bugs and propagate.
 */
export function runCommand(proc: Proc, body: () => number, kernelStatus = 2): number {
  try {
    return body();
  } catch (e) {
    const exit = e instanceof KernelError ? new Exit(kernelStatus, [kernelMessage(e)]) : e;
    if (exit instanceof Exit) return exit.report(proc);
    throw e;
  }
}

function ipMain(args: readonly string[], proc: Proc): number {
  const o: IpOptions = { ...DEFAULT_OPTIONS };
  let ns = proc.ns;
  let batch: string | undefined;
  let force = false;
  const opts = new GlobalOptions(args);
  for (let opt = opts.next(); opt !== undefined; opt = opts.next()) {
    if (matches(opt, '-loops')) opts.value();
    else if (matches(opt, '-family')) {
      const f = opts.value();
      if (f === undefined) fail(255, 'Command line is not complete. Try option "help"');
      const fam = FAMILIES[f!];
      if (fam === undefined) fail(255, `Error: argument "${f}" is wrong: invalid protocol family`);
      if (fam === 'unsupported') fail(1, `knetlab: the ${f} family is not emulated`);
      o.family = fam as IpOptions['family'];
    } else if (opt === '-4') o.family = 'inet';
    else if (opt === '-6') o.family = 'inet6';
    else if (opt === '-0') o.family = 'link';
    else if (opt === '-M' || opt === '-B') fail(1, `knetlab: the ${opt === '-M' ? 'mpls' : 'bridge'} family is not emulated`);
    else if (matches(opt, '-human') || matches(opt, '-human-readable') || matches(opt, '-iec')) continue;
    else if (matches(opt, '-stats') || matches(opt, '-statistics')) o.stats++;
    else if (matches(opt, '-details')) o.details = true;
    else if (matches(opt, '-resolve')) continue;
    else if (matches(opt, '-oneline')) o.oneline = true;
    else if (matches(opt, '-timestamp') || matches(opt, '-tshort')) continue;
    else if (matches(opt, '-Version')) {
      proc.stdout('ip utility, iproute2-6.1.0, libbpf 1.1.2\n');
      return 0;
    } else if (matches(opt, '-force')) force = true;
    else if (matches(opt, '-batch')) {
      batch = opts.value();
      if (batch === undefined) fail(255, ...IP_USAGE);
    } else if (matches(opt, '-brief')) o.brief = true;
    else if (matches(opt, '-json')) o.json = true;
    else if (matches(opt, '-pretty')) o.pretty = true;
    else if (matches(opt, '-rcvbuf')) opts.value();
    else if (matches(opt.split('=')[0]!, '-color')) continue;
    else if (matches(opt, '-help')) fail(255, ...IP_USAGE);
    else if (matches(opt, '-netns')) ns = netnsOption(proc, opts.value());
    else if (matches(opt, '-Numeric')) continue;
    else if (matches(opt, '-all')) o.all = true;
    else if (opt === '-echo') continue;
    else fail(255, `Option "${opt}" is unknown, try "ip -help".`);
  }
  // `-p` alone implies nothing; iproute2 pretty-prints only JSON.
  const ctx: Ctx = { proc, host: proc.host, ns, o };
  if (batch !== undefined) return runBatch(proc, batch, force, (line) => runCommand(proc, () => ipObject(ctx, line)));
  const rest = opts.rest();
  if (rest.length === 0) fail(255, ...IP_USAGE);
  return ipObject(ctx, rest);
}

function ipObject(ctx: Ctx, [object, ...argv]: readonly string[]): number {
  if (object === undefined) return fail(255, ...IP_USAGE);
  for (const [name, handler] of OBJECTS) if (matches(object, name)) return handler(ctx, argv);
  return fail(1, `Object "${object}" is unknown, try "ip help".`);
}
