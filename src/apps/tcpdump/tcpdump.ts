// tcpdump (4.99) over knetlab's capture taps. The emulated kernel records every frame each device
// sends or receives. Run in the background (`tcpdump … & …; wait`), tcpdump prints what the
// device carried from its start until `wait`; in the foreground, what the device has carried so
// far — a capture that was always running. `-r FILE` prints a saved capture.
import { emitFrame, emitIpv4, LINKTYPE_ETHERNET, LINKTYPE_RAW, parseFrame, parseIpv4Packet, PcapWriter, readPcap, WireError, type EthernetFrame, type Ipv4Packet } from '../../wire/index.js';
import { FileError, type Proc } from '../proc.js';
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
}

function parseArgs(args: readonly string[]): Args | string {
  const a: Args = { opts: { linkHeader: false, verbose: 0 }, filter: [] };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (!w.startsWith('-') || w === '-') {
      a.filter.push(...args.slice(i));
      break;
    }
    // Bundled single-letter flags (-nn, -nnv, -vvi eth0, -ni eth0).
    const letters = w.slice(1);
    for (let j = 0; j < letters.length; j++) {
      const f = letters[j]!;
      const value = (): string | undefined => (j + 1 < letters.length ? letters.slice(j + 1) : args[++i]);
      switch (f) {
        case 'n': case 'l': case 'S': case 'U': case 'p': break;
        case 'e': a.opts.linkHeader = true; break;
        case 'v': a.opts.verbose++; break;
        case 'i': a.iface = value(); j = letters.length; break;
        case 'w': a.write = value(); j = letters.length; break;
        case 'r': a.read = value(); j = letters.length; break;
        case 'c': {
          const v = value();
          j = letters.length;
          const n = Number(v);
          if (!Number.isInteger(n) || n <= 0) return `tcpdump: invalid packet count ${v}`;
          a.count = n;
          break;
        }
        case 's': value(); j = letters.length; break;
        case 'T': {
          const v = value();
          j = letters.length;
          if (v !== 'vxlan') return `tcpdump: unknown packet type \`${v}'`;
          a.opts.packetType = 'vxlan';
          break;
        }
        case 'Q': {
          const v = value();
          j = letters.length;
          if (v !== 'in' && v !== 'out' && v !== 'inout') return `tcpdump: unknown capture direction '${v}'`;
          if (v !== 'inout') a.direction = v;
          break;
        }
        default:
          return `tcpdump: invalid option -- '${f}'`;
      }
    }
  }
  return a;
}

export function tcpdump(args: readonly string[], proc: Proc): number {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    proc.stderr(`${a}\n`);
    return 1;
  }
  let filter;
  try {
    filter = compileFilter(a.filter);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    proc.stderr(`tcpdump: ${e.message}\n`);
    return 1;
  }
  const opts: TcpdumpOptions = a.opts;
  if (a.read !== undefined) return readFile(a.read, opts, filter, proc);

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
  const linkType = dev.hasEthernetHeader ? LINKTYPE_ETHERNET : LINKTYPE_RAW;
  const listening = `listening on ${name}, link-type ${linkTypeName(linkType)}, snapshot length 262144 bytes`;
  const since = proc.since ?? -Infinity;
  let seen = ns.kernel.captures.of(dev).filter((c) => c.t >= since && (a.direction === undefined || c.dir === a.direction) && filter(c.data));
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
  proc.stderr(`${seen.length} packet${seen.length === 1 ? '' : 's'} captured\n${seen.length} packet${seen.length === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`);
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

function readFile(path: string, opts: TcpdumpOptions, filter: Filter, proc: Proc): number {
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
