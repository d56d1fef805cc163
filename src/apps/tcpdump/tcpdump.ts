// tcpdump (4.99) over knetlab's capture taps. The emulated kernel records every frame each device
// sends or receives. Run in the background (`tcpdump … & …; wait`), tcpdump prints what the
// device carried from its start until `wait`; in the foreground, what the device has carried so
// far — a capture that was always running. `-r FILE` prints a saved capture.
import {
  emitFrame,
  emitIpv4,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  parseFrame,
  parseIpv4Packet,
  PcapWriter,
  readPcap,
  WireError,
  type EthernetFrame,
  type Ipv4Packet,
} from '../../wire/index.js';
import { FileError, type Proc } from '../proc.js';
import { getoptLong, type LongOption } from '../../transcript/index.js';
import { compileFilter, FilterError, type Filter } from './filter.js';
import { formatTimestamp, linkTypeName, TcpdumpPrinter, type TcpdumpOptions } from './format.js';

interface Args {
  iface?: string;
  write?: string;
  read?: string;
  count?: number;
  opts: { linkHeader: boolean; verbose: number; packetType?: 'vxlan' };
  filter: string[];
  direction?: 'in' | 'out';
  /** -h or --version: print this and exit 0. */
  print?: string;
}

// tcpdump 4.99.3 as Debian 12 builds it (libpcap 1.10.3, OpenSSL): its getopt_long options
// (tcpdump.c SHORTOPTS and longopts[]), its version and usage texts.
const SHORTOPTS = 'aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#';
const LONGOPTS: readonly LongOption[] = [
  { name: 'buffer-size', arg: 'required', key: 'B' },
  { name: 'list-interfaces', arg: 'none', key: 'D' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'interface', arg: 'required', key: 'i' },
  { name: 'monitor-mode', arg: 'none', key: 'I' },
  { name: 'time-stamp-type', arg: 'required', key: 'j' },
  { name: 'list-time-stamp-types', arg: 'none', key: 'J' },
  { name: 'micro', arg: 'none' },
  { name: 'nano', arg: 'none' },
  { name: 'time-stamp-precision', arg: 'required' },
  { name: 'dont-verify-checksums', arg: 'none', key: 'K' },
  { name: 'list-data-link-types', arg: 'none', key: 'L' },
  { name: 'no-optimize', arg: 'none', key: 'O' },
  { name: 'no-promiscuous-mode', arg: 'none', key: 'p' },
  { name: 'direction', arg: 'required', key: 'Q' },
  { name: 'snapshot-length', arg: 'required', key: 's' },
  { name: 'absolute-tcp-sequence-numbers', arg: 'none', key: 'S' },
  { name: 'packet-buffered', arg: 'none', key: 'U' },
  { name: 'linktype', arg: 'required', key: 'y' },
  { name: 'immediate-mode', arg: 'none' },
  { name: 'relinquish-privileges', arg: 'required', key: 'Z' },
  { name: 'count', arg: 'none' },
  { name: 'fp-type', arg: 'none' },
  { name: 'number', arg: 'none', key: '#' },
  { name: 'print', arg: 'none' },
  { name: 'version', arg: 'none' },
];
const VERSION = 'tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nOpenSSL 3.0.19 27 Jan 2026\n';
const USAGE = `${VERSION}Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;
/** -T's packet types (tcpdump.c); knetlab decodes only vxlan. */
const PACKET_TYPES = [
  'vat',
  'wb',
  'rpc',
  'rtp',
  'rtcp',
  'snmp',
  'cnfp',
  'tftp',
  'aodv',
  'carp',
  'radius',
  'zmtp1',
  'vxlan',
  'pgm',
  'pgm_zmtp1',
  'lmp',
  'resp',
  'ptp',
  'someip',
  'domain',
];
/** Options that change nothing knetlab prints: no name resolution, promiscuity, buffering or optimiser here. */
const NO_EFFECT = new Set(['a', 'l', 'n', 'N', 'O', 'p', 'U', 'K', 'immediate-mode']);
const MAXIMUM_SNAPLEN = 262144;

/** A usage error: what tcpdump prints on stderr; it exits 1. */
type Failure = { error: string };

const LONG_MAX = 2n ** 63n - 1n;

/** C's atoi(): leading blanks, a sign, digits; strtol's long clamped, then cut to an int. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) return 0;
  const v = BigInt(m[1]!);
  const long = v > LONG_MAX ? LONG_MAX : v < -LONG_MAX - 1n ? -LONG_MAX - 1n : v;
  return Number(BigInt.asIntN(32, long));
}

/** strtol(text, &end, 0) that must use the whole text; undefined otherwise. */
function strtolWhole(text: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!m) return undefined;
  const digits = m[2]!;
  const v = /^0[xX]/.test(digits)
    ? Number.parseInt(digits.slice(2), 16)
    : digits.length > 1 && digits[0] === '0'
      ? Number.parseInt(digits, 8)
      : Number(digits);
  return m[1] === '-' ? -v : v;
}

function parseArgs(args: readonly string[]): Args | Failure {
  const parsed = getoptLong('tcpdump', args, SHORTOPTS, LONGOPTS);
  if ('error' in parsed) return { error: `${parsed.error}\n${USAGE}` };
  const a: Args = { opts: { linkHeader: false, verbose: 0 }, filter: [...parsed.operands] };
  for (const { opt, arg = '' } of parsed.options) {
    switch (opt) {
      case 'e':
        a.opts.linkHeader = true;
        break;
      case 'v':
        a.opts.verbose++;
        break;
      case 'i':
        a.iface = arg;
        break;
      case 'w':
        a.write = arg;
        break;
      case 'r':
        a.read = arg;
        break;
      case 'h':
        return { ...a, print: USAGE };
      case 'version':
        return { ...a, print: VERSION };
      case 'c':
        a.count = atoi(arg);
        if (a.count <= 0) return { error: `tcpdump: invalid packet count ${arg}\n` };
        break;
      case 's': {
        const n = strtolWhole(arg);
        if (n === undefined || n < 0 || n > MAXIMUM_SNAPLEN)
          return { error: `tcpdump: invalid snaplen ${arg} (must be >= 0 and <= ${MAXIMUM_SNAPLEN})\n` };
        break;
      }
      case 'T': {
        const type = arg.toLowerCase();
        if (!PACKET_TYPES.includes(type)) return { error: `tcpdump: unknown packet type \`${arg}'\n` };
        if (type !== 'vxlan') return { error: `knetlab: tcpdump -T ${arg} is not emulated (only vxlan)\n` };
        a.opts.packetType = 'vxlan';
        break;
      }
      case 'Q': {
        const dir = arg.toLowerCase();
        if (dir !== 'in' && dir !== 'out' && dir !== 'inout') return { error: `tcpdump: unknown capture direction \`${arg}'\n` };
        if (dir !== 'inout') a.direction = dir;
        break;
      }
      // Y is in the option string, but this build has no parser debugging: usage, as for an unknown option.
      case 'Y':
        return { error: USAGE };
      default:
        if (!NO_EFFECT.has(opt)) return { error: `knetlab: tcpdump ${opt.length === 1 ? '-' : '--'}${opt} is not emulated\n` };
    }
  }
  return a;
}

/** Whether the real tcpdump would run until interrupted: it captures live (no -r) with no -c, and its arguments parse. */
export function capturesUntilInterrupted(args: readonly string[]): boolean {
  const a = parseArgs(args);
  return !('error' in a) && a.print === undefined && a.count === undefined && a.read === undefined;
}

export function tcpdump(args: readonly string[], proc: Proc): number {
  const a = parseArgs(args);
  if ('error' in a) {
    proc.stderr(a.error);
    return 1;
  }
  if (a.print !== undefined) {
    proc.stdout(a.print);
    return 0;
  }
  const opts: TcpdumpOptions = a.opts;
  if (a.read !== undefined) return readFile(a.read, opts, a.filter, proc);

  const ns = proc.ns;
  const name = a.iface ?? ns.links().find((l) => l.kind !== 'loopback' && l.adminUp)?.name;
  if (name === undefined) {
    proc.stderr('tcpdump: no suitable device found\n');
    return 1;
  }
  if (name === 'any') {
    proc.stderr('tcpdump: knetlab captures per device; the Linux "any" pseudo-device (LINUX_SLL2) is not emulated\n');
    return 1;
  }
  const dev = ns.linkByName(name);
  if (!dev) {
    proc.stderr(`tcpdump: ${name}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
    return 1;
  }
  // tcpdump compiles its filter once the device is open.
  const filter = compile(a.filter, proc);
  if (!filter) return 1;
  const linkType = dev.hasEthernetHeader ? LINKTYPE_ETHERNET : LINKTYPE_RAW;
  const listening = `listening on ${name}, link-type ${linkTypeName(linkType)}, snapshot length 262144 bytes`;
  const since = proc.since ?? -Infinity;
  let seen = ns.kernel.captures
    .of(dev)
    .filter((c) => c.t >= since && (a.direction === undefined || c.dir === a.direction) && filter(c.data));
  if (a.count !== undefined) seen = seen.slice(0, a.count);
  const bytes = (c: (typeof seen)[number]): Uint8Array => (c.data.kind === 'eth' ? emitFrame(c.data) : emitIpv4(c.data));

  if (a.write !== undefined) {
    // tcpdump opens the savefile before it listens.
    const failed = openSavefile(a.write, proc);
    if (failed) return failed;
    proc.stderr(`tcpdump: ${listening}\n`);
    const w = new PcapWriter(linkType);
    for (const c of seen) w.add(c.t, bytes(c));
    proc.writeFile(a.write, w.toBytes());
  } else {
    // tcpdump.c: the "verbose output suppressed" hint ends with a newline; with -v the program
    // name prefixes the listening line instead.
    proc.stderr(opts.verbose === 0 ? 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n' : 'tcpdump: ');
    proc.stderr(`${listening}\n`);
    const printer = new TcpdumpPrinter(linkType, opts);
    let out = '';
    for (const c of seen) out += `${formatTimestamp(c.t)} ${printer.format(bytes(c))}\n`;
    proc.stdout(out);
  }
  proc.stderr(
    `${seen.length} packet${seen.length === 1 ? '' : 's'} captured\n${seen.length} packet${seen.length === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`,
  );
  return 0;
}

function openSavefile(path: string, proc: Proc): number {
  try {
    proc.writeFile(path, new Uint8Array(0));
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    proc.stderr(`tcpdump: ${path}: ${e.reason}\n`);
    return 1;
  }
  return 0;
}

/** The filter expression compiled, or tcpdump's message printed and undefined. */
function compile(words: readonly string[], proc: Proc): Filter | undefined {
  try {
    return compileFilter(words);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    proc.stderr(`tcpdump: ${e.message}\n`);
    return undefined;
  }
}

function readFile(path: string, opts: TcpdumpOptions, words: readonly string[], proc: Proc): number {
  const data = proc.readFile(path);
  if (!data) {
    proc.stderr(`tcpdump: ${path}: No such file or directory\n`);
    return 1;
  }
  let file;
  try {
    file = readPcap(data);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    proc.stderr(`tcpdump: bad dump file format\n`);
    return 1;
  }
  const filter = compile(words, proc);
  if (!filter) return 1;
  proc.stderr(`reading from file ${path}, link-type ${linkTypeName(file.linkType)}, snapshot length ${file.snaplen}\n`);
  const printer = new TcpdumpPrinter(file.linkType, opts);
  let out = '';
  for (const r of file.records) {
    if (!filter(decoded(file.linkType, r.bytes))) continue;
    out += `${formatTimestamp(r.timeMs)} ${printer.format(r.bytes, r.origLen)}\n`;
  }
  proc.stdout(out);
  return 0;
}

/** A saved packet as the filter sees it; bytes that do not decode match only the empty filter. */
function decoded(linkType: number, bytes: Uint8Array): EthernetFrame | Ipv4Packet {
  try {
    return linkType === LINKTYPE_RAW ? parseIpv4Packet(bytes) : parseFrame(bytes);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    return { kind: 'eth', dst: '00:00:00:00:00:00', src: '00:00:00:00:00:00', etherType: 0, payload: { kind: 'raw', bytes } };
  }
}
