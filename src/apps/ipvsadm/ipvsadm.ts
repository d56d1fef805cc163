// The `ipvsadm` command (ipvsadm v1.31, 2019/12/24) over the namespace's emulated IPVS:
// -A/-E/-D, -a/-e/-d, -C, -Z, -L/-l with -n, -c, --stats, --rate, --thresholds,
// --persistent-conn, --exact, --nosort, --timeout, --daemon, -S/--save and --set, parsed the way
// popt parses them (the first option must be a command), checked against ipvsadm's table of
// legal command/option combinations, and printed with ipvsadm's formats (ipvsadm.c:
// print_title, print_service_entry, print_conn, list_timeout) and libipvs' messages
// (ipvs_strerror). Errors from the kernel exit with status 255 (main returns -1), usage errors
// with 2, a missing service in a listing with 1. Lists are sorted with ipvsadm's comparators,
// whose 32-bit address differences wrap, through a glibc-style merge sort.
// Not emulated: -R/--restore (no stdin), the sync daemon, IPv6, --pe, tunnel types other than ipip.
import { formatIpv4 } from '../../wire/index.js';
import {
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPVS_CONN_TAB_SIZE,
  IPVS_DEFAULT_PERSISTENCE,
  IPVS_VERSION,
  IP_VS_SVC_F_SCHED1,
  IP_VS_SVC_F_SCHED2,
  IP_VS_SVC_F_SCHED3,
  IpvsError,
  connStateName,
  ipvsOf,
  type Ipvs,
  type IpvsDest,
  type IpvsErrno,
  type IpvsForward,
  type IpvsService,
  type IpvsServiceKey,
} from '../../kernel/netfilter/index.js';
import { inetAton } from '../ipset/elem.js';
import { serviceName, servicePort } from '../ipset/netdb.js';
import type { Command } from '../proc.js';
import { ToolExit } from '../exit.js';

const VERSION_LINE = 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)';
const MAX_TIMEOUT = 86400 * 31;
const DEF_SCHED = 'wlc';

type Cmd =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'flush'
  | 'list'
  | 'add-server'
  | 'delete-server'
  | 'edit-server'
  | 'set'
  | 'start-daemon'
  | 'stop-daemon'
  | 'restore'
  | 'save'
  | 'zero';

const OPTNAMES = [
  'numeric',
  'connection',
  'service-address',
  'scheduler',
  'persistent',
  'netmask',
  'real-server',
  'forwarding-method',
  'weight',
  'u-threshold',
  'l-threshold',
  'mcast-interface',
  'timeout',
  'daemon',
  'stats',
  'rate',
  'thresholds',
  'persistent-conn',
  'nosort',
  'syncid',
  'exact',
  'ops',
  'pe',
  'sched-flags',
  'mcast-group',
  'mcast-port',
  'mcast-ttl',
  'sync-maxlen',
  'tun-info',
  'tun-type',
  'tun-port',
  'tun-nocsum',
  'tun-csum',
  'tun-remcsum',
] as const;
type Opt = (typeof OPTNAMES)[number];

/** commands_v_options[][]: '+' compulsory, 'x' illegal, '1' exclusive, ' ' optional (ipvsadm.c). */
const TABLE: Readonly<Record<Cmd, string>> = {
  'add-service': 'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'edit-service': 'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  flush: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  list: ' 11xxxxxxxxx11       xxxxxxx xxxxx',
  'add-server': 'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  'delete-server': 'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'edit-server': 'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  set: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'start-daemon': 'xxxxxxxxxxx xxxxxxx xxxx    xxxxxx',
  'stop-daemon': 'xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx',
  restore: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  save: ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  zero: 'xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
};

/** fail(err, msg): the message and a newline on stderr, then exit(err). */
const fail = (status: number, msg: string): ToolExit => new ToolExit(status, `${msg}\n`);
const tryHelp = (): ToolExit => new ToolExit(255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");

/** popt's option table for ipvsadm: long name, short letter, argument kind, tag. */
interface PoptOpt {
  readonly long: string;
  readonly short?: string;
  readonly arg: 'none' | 'string' | 'optional';
  readonly tag: string;
}

const POPT: readonly PoptOpt[] = [
  { long: 'add-service', short: 'A', arg: 'none', tag: 'A' },
  { long: 'edit-service', short: 'E', arg: 'none', tag: 'E' },
  { long: 'delete-service', short: 'D', arg: 'none', tag: 'D' },
  { long: 'clear', short: 'C', arg: 'none', tag: 'C' },
  { long: 'list', short: 'L', arg: 'none', tag: 'L' },
  { long: 'list', short: 'l', arg: 'none', tag: 'l' },
  { long: 'zero', short: 'Z', arg: 'none', tag: 'Z' },
  { long: 'add-server', short: 'a', arg: 'none', tag: 'a' },
  { long: 'edit-server', short: 'e', arg: 'none', tag: 'e' },
  { long: 'delete-server', short: 'd', arg: 'none', tag: 'd' },
  { long: 'set', arg: 'none', tag: 'set' },
  { long: 'help', short: 'h', arg: 'none', tag: 'h' },
  { long: 'version', short: 'v', arg: 'none', tag: 'v' },
  { long: 'restore', short: 'R', arg: 'none', tag: 'R' },
  { long: 'save', short: 'S', arg: 'none', tag: 'S' },
  { long: 'start-daemon', arg: 'string', tag: 'start-daemon' },
  { long: 'stop-daemon', arg: 'string', tag: 'stop-daemon' },
  { long: 'tcp-service', short: 't', arg: 'string', tag: 't' },
  { long: 'udp-service', short: 'u', arg: 'string', tag: 'u' },
  { long: 'sctp-service', arg: 'string', tag: 'sctp' },
  { long: 'fwmark-service', short: 'f', arg: 'string', tag: 'f' },
  { long: 'scheduler', short: 's', arg: 'string', tag: 's' },
  { long: 'persistent', short: 'p', arg: 'optional', tag: 'p' },
  { long: 'netmask', short: 'M', arg: 'string', tag: 'M' },
  { long: 'real-server', short: 'r', arg: 'string', tag: 'r' },
  { long: 'masquerading', short: 'm', arg: 'none', tag: 'm' },
  { long: 'ipip', short: 'i', arg: 'none', tag: 'i' },
  { long: 'gatewaying', short: 'g', arg: 'none', tag: 'g' },
  { long: 'weight', short: 'w', arg: 'string', tag: 'w' },
  { long: 'u-threshold', short: 'x', arg: 'string', tag: 'x' },
  { long: 'l-threshold', short: 'y', arg: 'string', tag: 'y' },
  { long: 'numeric', short: 'n', arg: 'none', tag: 'n' },
  { long: 'connection', short: 'c', arg: 'none', tag: 'c' },
  { long: 'mcast-interface', arg: 'string', tag: 'mcast-interface' },
  { long: 'syncid', arg: 'string', tag: 'syncid' },
  { long: 'timeout', arg: 'none', tag: 'timeout' },
  { long: 'daemon', arg: 'none', tag: 'daemon' },
  { long: 'stats', arg: 'none', tag: 'stats' },
  { long: 'rate', arg: 'none', tag: 'rate' },
  { long: 'thresholds', arg: 'none', tag: 'thresholds' },
  { long: 'persistent-conn', arg: 'none', tag: 'persistent-conn' },
  { long: 'nosort', arg: 'none', tag: 'nosort' },
  { long: 'sort', arg: 'none', tag: 'sort' },
  { long: 'exact', short: 'X', arg: 'none', tag: 'X' },
  { long: 'ipv6', short: '6', arg: 'none', tag: '6' },
  { long: 'ops', short: 'o', arg: 'none', tag: 'o' },
  { long: 'pe', arg: 'string', tag: 'pe' },
  { long: 'sched-flags', short: 'b', arg: 'string', tag: 'b' },
  { long: 'mcast-group', arg: 'string', tag: 'mcast-group' },
  { long: 'mcast-port', arg: 'string', tag: 'mcast-port' },
  { long: 'mcast-ttl', arg: 'string', tag: 'mcast-ttl' },
  { long: 'sync-maxlen', arg: 'string', tag: 'sync-maxlen' },
  { long: 'tun-info', arg: 'none', tag: 'tun-info' },
  { long: 'tun-type', arg: 'string', tag: 'tun-type' },
  { long: 'tun-port', arg: 'string', tag: 'tun-port' },
  { long: 'tun-nocsum', arg: 'none', tag: 'tun-nocsum' },
  { long: 'tun-csum', arg: 'none', tag: 'tun-csum' },
  { long: 'tun-remcsum', arg: 'none', tag: 'tun-remcsum' },
];

type Parsed = { tag: string; arg: string | undefined; raw: string } | { error: string } | { leftover: string };

/** A small popt: short clusters (-Ln), attached or separate arguments, --long[=value]. */
function* popt(argv: readonly string[]): Generator<Parsed> {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const o = POPT.find((p) => p.long === name);
      if (!o) {
        yield { error: `${a}: unknown option` };
        return;
      }
      let arg: string | undefined = eq < 0 ? undefined : a.slice(eq + 1);
      if (o.arg === 'string' && arg === undefined) {
        arg = argv[++i];
        if (arg === undefined) {
          yield { error: `${a}: missing argument` };
          return;
        }
      } else if (o.arg === 'optional' && arg === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) {
        arg = argv[++i];
      }
      yield { tag: o.tag, arg, raw: `--${name}` };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const o = POPT.find((p) => p.short === a[k]);
        if (!o) {
          yield { error: `-${a[k]}: unknown option` };
          return;
        }
        if (o.arg === 'none') {
          yield { tag: o.tag, arg: undefined, raw: `-${a[k]}` };
          continue;
        }
        let arg: string | undefined = a.slice(k + 1);
        if (arg === '') {
          arg = undefined;
          if (o.arg === 'string') {
            arg = argv[++i];
            if (arg === undefined) {
              yield { error: `-${a[k]}: missing argument` };
              return;
            }
          } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) {
            arg = argv[++i];
          }
        }
        yield { tag: o.tag, arg, raw: `-${a[k]}` };
        break;
      }
      continue;
    }
    yield { leftover: a };
  }
}

interface SvcArg {
  fwmark: number;
  protocol: number;
  addr: number;
  port: number;
}

interface CommandEntry {
  cmd: Cmd | undefined;
  svc: SvcArg & { sched: string; persistent: boolean; timeout: number; netmask: number; onePacket: boolean; flags: number };
  dest: { addr: number; port: number; weight: number; forward: IpvsForward; u: number; l: number };
  options: Set<Opt>;
  numeric: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
  timeouts?: [number, number, number];
}

function setOption(ce: CommandEntry, o: Opt): void {
  if (ce.options.has(o)) throw fail(2, `multiple '${o}' options specified`);
  ce.options.add(o);
}

function setCommand(ce: CommandEntry, c: Cmd): void {
  if (ce.cmd !== undefined) throw fail(2, 'multiple commands specified');
  ce.cmd = c;
}

function stringToNumber(s: string, min: number, max: number): number {
  if (!/^[+-]?[0-9]+$/.test(s.trim()) || /^\s/.test(s)) return -1;
  const n = Number(s);
  return n >= min && n <= max ? n : -1;
}

/** A number in 0..max, or ipvsadm's `illegal WHAT specified`. */
function boundedNumber(s: string, max: number, what: string): number {
  const n = stringToNumber(s, 0, max);
  if (n < 0) throw fail(2, `illegal ${what} specified`);
  return n;
}

/** parse_service(): host[:port] (dotted quad; a name does not resolve here), port by number or service name. */
function parseService(buf: string, protocol: number): { addr: number; port?: number } | undefined {
  if (/^[0-9]*$/.test(buf)) return undefined;
  if (buf.startsWith('[') || /^[0-9a-fA-F:]+:[0-9a-fA-F:]*:/.test(buf)) return undefined;
  const colon = buf.lastIndexOf(':');
  const host = colon < 0 ? buf : buf.slice(0, colon);
  const addr = host === 'localhost' ? 0x7f000001 : inetAton(host);
  if (addr === undefined) return undefined;
  if (colon < 0) return { addr };
  const p = buf.slice(colon + 1);
  let port = stringToNumber(p, 0, 65535);
  if (port < 0) {
    const proto = protocol === IPPROTO_UDP ? 'udp' : protocol === 132 ? 'sctp' : 'tcp';
    port = servicePort(p, proto) ?? -1;
  }
  if (port < 0) return undefined;
  return { addr, port };
}

function parseTimeout(buf: string | undefined, min: number, max: number): number {
  if (buf === undefined) return IPVS_DEFAULT_PERSISTENCE;
  const n = stringToNumber(buf, min, max);
  if (n < 0) throw fail(2, `invalid timeout value \`${buf}' specified`);
  return n;
}

function parseSchedFlags(sched: string, arg: string): number {
  const s = sched || DEF_SCHED;
  let flags = 0;
  for (const flag of arg.split(',').filter((f) => f !== '')) {
    if (flag === 'flag-1') flags |= IP_VS_SVC_F_SCHED1;
    else if (flag === 'flag-2') flags |= IP_VS_SVC_F_SCHED2;
    else if (flag === 'flag-3') flags |= IP_VS_SVC_F_SCHED3;
    else if (flag === 'sh-fallback' || flag === 'sh-port' || flag === 'mh-fallback' || flag === 'mh-port') {
      flags |= flag.endsWith('fallback') ? IP_VS_SVC_F_SCHED1 : IP_VS_SVC_F_SCHED2;
      if (s !== flag.slice(0, 2)) throw fail(2, `incompatible scheduler flag \`${flag}'`);
    } else throw fail(2, `invalid scheduler flag \`${flag}'`);
  }
  return flags;
}

function parseOptions(argv: readonly string[]): CommandEntry {
  const ce: CommandEntry = {
    cmd: undefined,
    svc: {
      fwmark: 0,
      protocol: 0,
      addr: 0,
      port: 0,
      sched: '',
      persistent: false,
      timeout: 0,
      netmask: 0xffffffff,
      onePacket: false,
      flags: 0,
    },
    dest: { addr: 0, port: 0, weight: 1, forward: 'route', u: 0, l: 0 },
    options: new Set(),
    numeric: false,
    stats: false,
    rate: false,
    thresholds: false,
    persistentConn: false,
    nosort: false,
    exact: false,
    tunInfo: false,
  };
  const it = popt(argv);
  const leftovers: string[] = [];
  // popt hands non-option words back later; the first *option* must be a command.
  let first = it.next();
  while (!first.done && 'leftover' in first.value) {
    leftovers.push(first.value.leftover);
    first = it.next();
  }
  if (first.done || !('tag' in first.value)) throw tryHelp();
  switch (first.value.tag) {
    case 'A':
      setCommand(ce, 'add-service');
      break;
    case 'E':
      setCommand(ce, 'edit-service');
      break;
    case 'D':
      setCommand(ce, 'delete-service');
      break;
    case 'a':
      setCommand(ce, 'add-server');
      break;
    case 'e':
      setCommand(ce, 'edit-server');
      break;
    case 'd':
      setCommand(ce, 'delete-server');
      break;
    case 'C':
      setCommand(ce, 'flush');
      break;
    case 'L':
    case 'l':
      setCommand(ce, 'list');
      break;
    case 'Z':
      setCommand(ce, 'zero');
      break;
    case 'set':
      setCommand(ce, 'set');
      break;
    case 'R':
      setCommand(ce, 'restore');
      break;
    case 'S':
      setCommand(ce, 'save');
      break;
    case 'h':
      throw new ToolExit(0, usageText(), true);
    case 'v':
      throw new ToolExit(0, `${VERSION_LINE}\n`, true);
    case 'start-daemon':
    case 'stop-daemon':
      throw fail(2, 'knetlab: the IPVS connection sync daemon is not emulated');
    default:
      throw tryHelp();
  }
  let schedFlagsArg: string | undefined;
  for (const p of it) {
    if ('error' in p) throw new ToolExit(255, `${p.error}\n`);
    if ('leftover' in p) {
      leftovers.push(p.leftover);
      continue;
    }
    const arg = p.arg;
    switch (p.tag) {
      case 't':
      case 'u':
      case 'sctp': {
        setOption(ce, 'service-address');
        ce.svc.protocol = p.tag === 't' ? IPPROTO_TCP : p.tag === 'u' ? IPPROTO_UDP : 132;
        const s = parseService(arg!, ce.svc.protocol);
        if (!s) throw fail(2, 'illegal virtual server address[:port] specified');
        ce.svc.addr = s.addr;
        if (s.port !== undefined) ce.svc.port = s.port;
        break;
      }
      case 'f': {
        setOption(ce, 'service-address');
        const n = /^[0-9]+$/.test(arg!) ? Number(arg) : NaN;
        if (!(n > 0 && n <= 0xffffffff)) throw fail(2, `invalid fwmark value \`${arg}' specified`);
        ce.svc.protocol = IPPROTO_TCP;
        ce.svc.fwmark = n;
        break;
      }
      case 's':
        setOption(ce, 'scheduler');
        ce.svc.sched = arg!.slice(0, 15);
        break;
      case 'p':
        setOption(ce, 'persistent');
        ce.svc.persistent = true;
        ce.svc.timeout = parseTimeout(arg, 1, MAX_TIMEOUT);
        break;
      case 'M': {
        setOption(ce, 'netmask');
        const m = inetAton(arg!);
        if (m === undefined) throw fail(2, 'illegal virtual server persistent mask specified');
        ce.svc.netmask = m;
        break;
      }
      case 'r': {
        setOption(ce, 'real-server');
        const s = parseService(arg!, ce.svc.protocol);
        if (!s) throw fail(2, 'illegal real server address[:port] specified');
        ce.dest.addr = s.addr;
        ce.dest.port = s.port ?? ce.svc.port;
        break;
      }
      case 'i':
        setOption(ce, 'forwarding-method');
        ce.dest.forward = 'tunnel';
        break;
      case 'g':
        setOption(ce, 'forwarding-method');
        ce.dest.forward = 'route';
        break;
      case 'm':
        setOption(ce, 'forwarding-method');
        ce.dest.forward = 'masq';
        break;
      case 'w':
        setOption(ce, 'weight');
        ce.dest.weight = boundedNumber(arg!, 65535, 'weight');
        break;
      case 'x':
        setOption(ce, 'u-threshold');
        ce.dest.u = boundedNumber(arg!, 2147483647, 'u_threshold');
        break;
      case 'y':
        setOption(ce, 'l-threshold');
        ce.dest.l = boundedNumber(arg!, 2147483647, 'l_threshold');
        break;
      case 'c':
        setOption(ce, 'connection');
        break;
      case 'n':
        setOption(ce, 'numeric');
        ce.numeric = true;
        break;
      case 'timeout':
        setOption(ce, 'timeout');
        break;
      case 'daemon':
        setOption(ce, 'daemon');
        break;
      case 'stats':
        setOption(ce, 'stats');
        ce.stats = true;
        break;
      case 'rate':
        setOption(ce, 'rate');
        ce.rate = true;
        break;
      case 'thresholds':
        setOption(ce, 'thresholds');
        ce.thresholds = true;
        break;
      case 'persistent-conn':
        setOption(ce, 'persistent-conn');
        ce.persistentConn = true;
        break;
      case 'nosort':
        setOption(ce, 'nosort');
        ce.nosort = true;
        break;
      case 'sort':
        break;
      case 'X':
        setOption(ce, 'exact');
        ce.exact = true;
        break;
      case 'o':
        setOption(ce, 'ops');
        ce.svc.onePacket = true;
        break;
      case 'b':
        setOption(ce, 'sched-flags');
        schedFlagsArg = arg;
        break;
      case 'tun-info':
        setOption(ce, 'tun-info');
        ce.tunInfo = true;
        break;
      case '6':
        throw fail(2, ce.svc.fwmark ? 'knetlab: IPv6 IPVS services are not emulated' : '-6 used before -f\n');
      case 'pe':
        throw fail(2, 'knetlab: IPVS persistence engines (--pe) are not emulated');
      case 'syncid':
      case 'mcast-interface':
      case 'mcast-group':
      case 'mcast-port':
      case 'mcast-ttl':
      case 'sync-maxlen':
        setOption(ce, p.tag === 'syncid' ? 'syncid' : p.tag === 'mcast-interface' ? 'mcast-interface' : (p.tag as Opt));
        break;
      case 'tun-type':
      case 'tun-port':
      case 'tun-nocsum':
      case 'tun-csum':
      case 'tun-remcsum':
        throw fail(2, `knetlab: --${p.tag} is not emulated (ipip tunnels only)`);
      default:
        // A command option after the command (or -h/-v): ipvsadm's option switch rejects it.
        throw fail(2, `invalid option \`${p.raw}'`);
    }
  }
  if (ce.cmd === 'set') {
    if (leftovers.length < 3) throw fail(2, '--set option requires 3 timeout values');
    ce.timeouts = [
      parseTimeout(leftovers[0], 0, MAX_TIMEOUT),
      parseTimeout(leftovers[1], 0, MAX_TIMEOUT),
      parseTimeout(leftovers[2], 0, MAX_TIMEOUT),
    ];
    leftovers.splice(0, 3);
  }
  if (leftovers.length) throw fail(2, `unexpected argument ${leftovers[0]}`);
  if (schedFlagsArg !== undefined) ce.svc.flags = parseSchedFlags(ce.svc.sched, schedFlagsArg);
  return ce;
}

/** generic_opt_check(). */
function optCheck(ce: CommandEntry): void {
  const cmd = ce.cmd!;
  const row = TABLE[cmd];
  let last = -1;
  for (let j = 0; j < OPTNAMES.length; j++) {
    const has = ce.options.has(OPTNAMES[j]!);
    const rule = row[j];
    if (!has) {
      if (rule === '+') throw fail(2, `You need to supply the '${OPTNAMES[j]}' option for the '${cmd}' command`);
      continue;
    }
    if (rule === 'x') throw fail(2, `Illegal '${OPTNAMES[j]}' option with the '${cmd}' command`);
    if (rule === '1') {
      if (last < 0) last = j;
      else throw fail(2, `The option '${OPTNAMES[j]}' conflicts with the '${OPTNAMES[last]}' option in the '${cmd}' command`);
    }
  }
}

/** ipvs_strerror() for the command that failed. */
function strerror(cmd: Cmd, code: IpvsErrno): string {
  switch (code) {
    case 'EEXIST':
      return cmd === 'add-service' ? 'Service already exists' : cmd === 'add-server' ? 'Destination already exists' : 'File exists';
    case 'ENOENT':
      if (cmd === 'add-service' || cmd === 'edit-service') return 'Scheduler or persistence engine not found';
      return cmd === 'edit-server' || cmd === 'delete-server' ? 'No such destination' : 'No such file or directory';
    case 'ESRCH':
      return cmd === 'add-server' || cmd === 'edit-server' || cmd === 'delete-server' ? 'Service not defined' : 'No such service';
    case 'EINVAL':
      return 'Invalid operation.  Possibly wrong module version, address not unicast, ...';
    case 'ERANGE':
      return 'Numerical result out of range';
  }
}

// ---- output ---------------------------------------------------------------------------------

interface Fmt {
  numeric: boolean;
  rule: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
}

const pad = (s: string, w: number): string => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function protoName(p: number): string {
  return p === IPPROTO_TCP ? 'TCP' : p === IPPROTO_UDP ? 'UDP' : p === 132 ? 'SCTP' : '?';
}

function portName(port: number, proto: number, numeric: boolean): string {
  if (!numeric) {
    const sp = proto === IPPROTO_TCP ? 'tcp' : proto === IPPROTO_UDP ? 'udp' : proto === 132 ? 'sctp' : undefined;
    const n = sp ? serviceName(port, sp) : undefined;
    if (n) return n;
  }
  return String(port);
}

/** addrport_to_anyname(): numeric with -n; otherwise port names (reverse DNS answers nothing here but localhost). */
function addrPort(addr: number, port: number, proto: number, numeric: boolean): string {
  const host = !numeric && addr === 0x7f000001 ? 'localhost' : formatIpv4(addr);
  return `${host}:${portName(port, proto, numeric)}`;
}

/** print_largenum(). */
function largenum(i: number, exact: boolean): string {
  if (exact) {
    const s = String(i);
    return lpad(s, s.length <= 8 ? 9 : s.length + 1);
  }
  if (i < 100000000) return lpad(String(i), 9);
  if (i < 1000000000) return `${lpad(String(Math.floor(i / 1000)), 8)}K`;
  if (i < 100000000000) return `${lpad(String(Math.floor(i / 1000000)), 8)}M`;
  if (i < 100000000000000) return `${lpad(String(Math.floor(i / 1000000000)), 8)}G`;
  return `${lpad(String(Math.floor(i / 1000000000000)), 8)}T`;
}

function schedFlagsText(svc: IpvsService): string {
  const f = svc.schedFlags;
  const out: string[] = [];
  if (svc.schedName === 'sh' || svc.schedName === 'mh') {
    if (f & IP_VS_SVC_F_SCHED1) out.push(`${svc.schedName}-fallback`);
    if (f & IP_VS_SVC_F_SCHED2) out.push(`${svc.schedName}-port`);
  } else {
    if (f & IP_VS_SVC_F_SCHED1) out.push('flag-1');
    if (f & IP_VS_SVC_F_SCHED2) out.push('flag-2');
    if (f & IP_VS_SVC_F_SCHED3) out.push('flag-3');
  }
  return out.join(',');
}

function titleText(f: Fmt): string {
  const head = pad('Prot LocalAddress:Port', 33);
  if (f.stats)
    return `${head} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((s) => lpad(s, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.rate) return `${head} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((s) => lpad(s, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.thresholds)
    return `${head} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((s) => pad(s, 10)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.persistentConn)
    return `${head} ${pad('Weight', 9)} ${pad('PersistConn', 11)} ${pad('ActiveConn', 10)} ${pad('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  if (f.tunInfo)
    return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
  if (!f.rule) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  return '';
}

const FWD_NAME: Readonly<Record<IpvsForward, string>> = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' };
const FWD_SWITCH: Readonly<Record<IpvsForward, string>> = { masq: '-m', local: '-g', tunnel: '-i', route: '-g' };

function maskText(m: number): string {
  return formatIpv4(m);
}

/** print_service_entry(). */
function serviceText(svc: IpvsService, f: Fmt): string {
  const k = svc.key;
  let name: string;
  if (k.fwmark) name = f.rule ? `-f ${k.fwmark}` : `FWM  ${k.fwmark}`;
  else {
    const vname = addrPort(k.addr, k.port, k.protocol, f.numeric);
    name = f.rule
      ? `${k.protocol === IPPROTO_TCP ? '-t' : k.protocol === IPPROTO_UDP ? '-u' : '--sctp-service'} ${vname}`
      : `${pad(protoName(k.protocol), 4)} ${vname}`.slice(0, 33);
  }
  let out = '';
  const st = svc.stats.snapshot();
  if (f.rule) {
    out += `-A ${name} -s ${svc.schedName}`;
    if (svc.persistent) {
      out += ` -p ${svc.timeout}`;
      if (svc.netmask !== 0xffffffff) out += ` -M ${maskText(svc.netmask)}`;
    }
    if (svc.onePacket) out += ' -o';
    if (svc.schedFlags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)) out += ` -b ${schedFlagsText(svc)}`;
  } else if (f.stats) {
    out += pad(name, 33) + [st.conns, st.inpkts, st.outpkts, st.inbytes, st.outbytes].map((n) => largenum(n, f.exact)).join('');
  } else if (f.rate) {
    out += pad(name, 33) + [st.cps, st.inpps, st.outpps, st.inbps, st.outbps].map((n) => largenum(n, f.exact)).join('');
  } else {
    out += `${name} ${svc.schedName}`;
    if (svc.schedFlags & (IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 | IP_VS_SVC_F_SCHED3)) out += ` (${schedFlagsText(svc)})`;
    if (svc.persistent) {
      out += ` persistent ${svc.timeout}`;
      if (svc.netmask !== 0xffffffff) out += ` mask ${maskText(svc.netmask)}`;
    }
    if (svc.onePacket) out += ' ops';
  }
  out += '\n';
  const dests = f.nosort ? svc.dests : msort(svc.dests, cmpDests);
  for (const d of dests) {
    let dname = addrPort(d.addr, d.port, k.protocol, f.numeric);
    if (!f.rule) dname = dname.slice(0, 28);
    const ds = d.stats.snapshot();
    if (f.rule)
      out += `-a ${name} -r ${dname} ${FWD_SWITCH[d.forward]} -w ${d.weight}${d.forward === 'tunnel' ? ' --tun-type ipip' : ''}\n`;
    else if (f.stats)
      out += `  -> ${pad(dname, 28)}${[ds.conns, ds.inpkts, ds.outpkts, ds.inbytes, ds.outbytes].map((n) => largenum(n, f.exact)).join('')}\n`;
    else if (f.rate)
      out += `  -> ${pad(dname, 28)} ${lpad(String(ds.cps), 8)} ${lpad(String(ds.inpps), 8)} ${lpad(String(ds.outpps), 8)}${largenum(ds.inbps, f.exact)}${largenum(ds.outbps, f.exact)}\n`;
    else if (f.thresholds)
      out += `  -> ${pad(dname, 28)} ${pad(String(d.uThreshold), 10)} ${pad(String(d.lThreshold), 10)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else if (f.persistentConn)
      out += `  -> ${pad(dname, 28)} ${pad(String(d.weight), 9)} ${pad(String(d.persistConns), 11)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else if (f.tunInfo)
      out += `  -> ${pad(dname, 28)} ${pad(FWD_NAME[d.forward], 7)} ${pad(d.forward === 'tunnel' ? 'ipip' : 'n/a', 13)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else
      out += `  -> ${pad(dname, 28)} ${pad(FWD_NAME[d.forward], 7)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
  }
  return out;
}

/** int32 of an unsigned difference, as `int r = a - b` leaves it in C. */
const diff32 = (a: number, b: number): number => (a - b) | 0;

/** ipvs_cmp_services(). */
function cmpServices(a: IpvsService, b: IpvsService): number {
  return diff32(a.key.fwmark, b.key.fwmark) || a.key.protocol - b.key.protocol || diff32(a.key.addr, b.key.addr) || a.key.port - b.key.port;
}

/** ipvs_cmp_dests(). */
function cmpDests(a: IpvsDest, b: IpvsDest): number {
  return diff32(a.addr, b.addr) || a.port - b.port;
}

/** glibc's qsort (msort: top-down merge, left element first on ties). */
function msort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const n1 = items.length >> 1;
  const left = msort(items.slice(0, n1), cmp);
  const right = msort(items.slice(n1), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(cmp(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  return out.concat(left.slice(i), right.slice(j));
}

function listAll(ipvs: Ipvs, f: Fmt): string {
  let out = f.rule ? '' : `IP Virtual Server version ${IPVS_VERSION} (size=${IPVS_CONN_TAB_SIZE})\n`;
  const services = f.nosort ? ipvs.listServices() : msort(ipvs.listServices(), cmpServices);
  out += titleText(f);
  for (const s of services) out += serviceText(s, f);
  return out;
}

/** list_conn(): /proc/net/ip_vs_conn through print_conn(). */
function listConn(ipvs: Ipvs, f: Fmt): string {
  let out = 'IPVS connection entries\n';
  out += f.persistentConn
    ? `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} ${pad('destination', 18)} ${pad('pe name', 16)} pe_data\n`
    : `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} destination\n`;
  for (const c of ipvs.connections()) {
    const proto =
      c.protocol === IPPROTO_TCP
        ? 'TCP'
        : c.protocol === IPPROTO_UDP
          ? 'UDP'
          : c.protocol === 132
            ? 'SCTP'
            : c.protocol === 0
              ? 'IP'
              : `IP_${c.protocol}`;
    const p = proto === 'TCP' ? IPPROTO_TCP : proto === 'UDP' ? IPPROTO_UDP : proto === 'SCTP' ? 132 : 0;
    const secs = ipvs.remaining(c);
    const expire = `${String(Math.floor(secs / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
    const cname = addrPort(c.caddr, c.cport, p, f.numeric);
    const vname = addrPort(c.vaddr, c.vport, p, f.numeric);
    const dname = addrPort(c.daddr, c.dport, p, f.numeric);
    out += `${pad(proto, 3)} ${pad(expire, 6)} ${pad(connStateName(c), 11)} ${pad(cname, 18)} ${pad(vname, 18)} ${dname}\n`;
  }
  return out;
}

function usageText(): string {
  return `${VERSION_LINE}
Usage:
  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
  ipvsadm -D virtual-service
  ipvsadm -C
  ipvsadm -R
  ipvsadm -S [-n]
  ipvsadm -a|e virtual-service -r server-address [options]
  ipvsadm -d virtual-service -r server-address
  ipvsadm -L|l [virtual-service] [options]
  ipvsadm -Z [virtual-service]
  ipvsadm --set tcp tcpfin udp
  ipvsadm --start-daemon {master|backup} [daemon-options]
  ipvsadm --stop-daemon {master|backup}
  ipvsadm -h

`;
}

// ---- the command ----------------------------------------------------------------------------

function keyOf(ce: CommandEntry): IpvsServiceKey {
  return ce.svc.fwmark
    ? { fwmark: ce.svc.fwmark, protocol: IPPROTO_TCP, addr: 0, port: 0 }
    : { fwmark: 0, protocol: ce.svc.protocol, addr: ce.svc.addr, port: ce.svc.port };
}

function run(ipvs: Ipvs, argv: readonly string[]): string {
  if (argv.length === 0) return listAll(ipvs, fmtOf(undefined));
  const ce = parseOptions(argv);
  optCheck(ce);
  const cmd = ce.cmd!;
  if (cmd === 'add-service' || cmd === 'edit-service') {
    if (!ce.svc.fwmark && !ce.svc.port && !ce.svc.persistent) throw fail(2, 'Zero port specified for non-persistent service');
    if (ce.svc.onePacket && !ce.svc.fwmark && ce.svc.protocol !== IPPROTO_UDP)
      throw fail(2, 'One-Packet Scheduling is only for UDP virtual services');
    if (!ce.svc.sched) ce.svc.sched = DEF_SCHED;
  }
  if ((cmd === 'add-server' || cmd === 'edit-server') && !ce.svc.fwmark && (ce.dest.forward === 'tunnel' || ce.dest.forward === 'route')) {
    ce.dest.port = ce.svc.port;
  }
  const f = fmtOf(ce);
  const kernel = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof IpvsError) throw new ToolExit(255, `${strerror(cmd, e.code)}\n`);
      throw e;
    }
  };
  const svcOpts = (): Parameters<Ipvs['addService']>[1] => ({
    scheduler: ce.svc.sched,
    ...(ce.svc.persistent ? { persistent: ce.svc.timeout } : {}),
    netmask: ce.svc.netmask,
    onePacket: ce.svc.onePacket,
    schedFlags: ce.svc.flags,
  });
  const destOpts = (): Parameters<Ipvs['addDest']>[1] => ({
    addr: ce.dest.addr,
    port: ce.dest.port,
    weight: ce.dest.weight,
    forward: ce.dest.forward,
    uThreshold: ce.dest.u,
    lThreshold: ce.dest.l,
  });
  switch (cmd) {
    case 'list': {
      if (
        (ce.options.has('connection') || ce.options.has('timeout') || ce.options.has('daemon')) &&
        (ce.stats || ce.rate || ce.thresholds)
      ) {
        throw fail(2, 'options conflicts in the list command');
      }
      if ((ce.options.has('timeout') || ce.options.has('daemon')) && ce.persistentConn)
        throw fail(2, 'options conflicts in the list command');
      if (ce.options.has('connection')) return listConn(ipvs, f);
      if (ce.options.has('service-address')) {
        const svc = ipvs.getService(keyOf(ce));
        if (!svc) throw new ToolExit(1, 'No such service\n');
        return titleText(f) + serviceText(svc, f);
      }
      if (ce.options.has('timeout')) {
        const t = ipvs.timeouts();
        return `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
      }
      if (ce.options.has('daemon')) return '';
      return listAll(ipvs, f);
    }
    case 'save':
      return listAll(ipvs, { ...f, rule: true });
    case 'restore':
      throw fail(2, 'knetlab: ipvsadm -R reads rules from stdin, which emulated commands do not have');
    case 'flush':
      ipvs.flush();
      return '';
    case 'add-service':
      kernel(() => ipvs.addService(keyOf(ce), svcOpts()));
      return '';
    case 'edit-service':
      kernel(() => ipvs.editService(keyOf(ce), svcOpts()));
      return '';
    case 'delete-service':
      kernel(() => ipvs.deleteService(keyOf(ce)));
      return '';
    case 'zero':
      kernel(() => ipvs.zero(ce.options.has('service-address') ? keyOf(ce) : undefined));
      return '';
    case 'add-server':
      kernel(() => ipvs.addDest(keyOf(ce), destOpts()));
      return '';
    case 'edit-server':
      kernel(() => ipvs.editDest(keyOf(ce), destOpts()));
      return '';
    case 'delete-server':
      kernel(() => ipvs.deleteDest(keyOf(ce), ce.dest.addr, ce.dest.port));
      return '';
    case 'set':
      ipvs.setTimeouts({ tcp: ce.timeouts![0], tcpfin: ce.timeouts![1], udp: ce.timeouts![2] });
      return '';
    default:
      throw fail(2, `knetlab: ipvsadm ${cmd} is not emulated`);
  }
}

function fmtOf(ce: CommandEntry | undefined): Fmt {
  return {
    numeric: ce?.numeric ?? false,
    rule: false,
    stats: ce?.stats ?? false,
    rate: ce?.rate ?? false,
    thresholds: ce?.thresholds ?? false,
    persistentConn: ce?.persistentConn ?? false,
    nosort: ce?.nosort ?? false,
    exact: ce?.exact ?? false,
    tunInfo: ce?.tunInfo ?? false,
  };
}

/** The ipvsadm command, emulating ipvsadm v1.31 on the process's network namespace. */
export const ipvsadm: Command = (args, proc) => {
  const ipvs = ipvsOf(proc.ns);
  try {
    proc.stdout(run(ipvs, args));
    return 0;
  } catch (e) {
    if (!(e instanceof ToolExit)) throw e;
    return e.report(proc);
  }
};
