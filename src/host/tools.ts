// The host interface carried out with a node's own tools: iproute2 (one command, or one
// `ip -batch -` per batch), `ip -j` read back into records, sysctl, iptables-restore/-save,
// ipset and ipvsadm. Both backends speak exactly these requests; they differ only in the
// kernel that answers (the emulated one in-process, or real namespaces on Linux), so one
// renderer and one parser serve both and a difference in answers is a difference in kernels.
import {
  HostError,
  NotSupported,
  type ListenSpec,
  type QueueHandle,
  type QueuedConnection,
  type TunHandle,
  type UdpHandle,
  type AddrRecord,
  type BridgePortChange,
  type ConntrackFilter,
  type ConntrackRecord,
  type ConntrackTuple,
  type FdbRecord,
  type FdbSpec,
  type HostNetwork,
  type IptablesEnsureStep,
  type IpvsDest,
  type IpvsService,
  type IpvsServiceRecord,
  type LinkChange,
  type LinkRecord,
  type LinkSpec,
  type NeighRecord,
  type NeighSpec,
  type NetHandle,
  type ProcessHandle,
  type ProcessResult,
  type RouteGetRecord,
  type RouteRecord,
  type RouteSpec,
} from './network.js';
import {
  IPTABLES_TABLES,
  IPVS_SCHEDULERS,
  ROUTE_TABLES,
  documentText,
  ifName,
  iptablesChain,
  ipv4,
  nameOrNumber,
  netnsName,
  ipvsSchedFlags,
  oneOf,
  ruleWord,
  sysctlKey,
  sysctlValue,
  uint,
} from './validate.js';
import { errnoOfToolMessage } from './errno.js';
import {
  addrAddRequest,
  addrDelRequest,
  batchText,
  bridgeLinkSetRequest,
  fdbRequest,
  linkAddRequest,
  linkDelRequest,
  linkSetRequest,
  neighDelRequest,
  neighRequest,
  opt,
  routeRequest,
  U32,
  type Request,
  type Tool,
} from './render.js';

/** Drops iproute2's `Command failed -:N` trailer; the tool's message is what the user needs. */
function toolMessage(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l !== '' && !/^Command failed /.test(l))
    .join('; ');
}

export abstract class ToolsHost implements HostNetwork {
  abstract readonly backend: 'sim' | 'linux';
  private readonly handles = new Map<string | undefined, ToolsNetHandle>();

  /** Runs one program on the node (in its own namespace) and returns what it printed. */
  abstract run(argv: readonly string[], stdin?: string): ProcessResult;
  abstract processStart(sandbox: string, argv: readonly string[]): ProcessHandle;
  abstract sandboxAdd(name: string, opts: { readonly hostname: string }): void;
  abstract sandboxDel(name: string): void;
  abstract close(): void;

  /** A backend that runs real programs has no emulated server sockets to offer. */
  listen(_sandbox: string | undefined, spec: ListenSpec): ProcessHandle {
    throw new NotSupported(
      'emulated server sockets',
      `listen ${spec.proto} ${spec.port}`,
      "only the sim backend runs knetlab's servers in-process",
    );
  }

  /** Runs a command that must succeed; returns its stdout, throws HostError with the tool's words. */
  exec(what: string, argv: readonly string[], stdin?: string): string {
    const r = this.run(argv, stdin);
    if (r.status !== 0)
      throw this.refine(
        new HostError(
          `Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`,
          argv.join(' '),
          r.status,
          errnoOfToolMessage(r.stderr),
        ),
      );
    return r.stdout;
  }

  /** Turns a tool's refusal into what it means on this backend (e.g. NotSupported for a missing driver). */
  refine(e: HostError): HostError {
    return e;
  }

  netnsAdd(name: string): void {
    const what = `add netns "${name}"`;
    this.exec(what, ['ip', 'netns', 'add', netnsName(what, 'name', name)]);
  }

  netnsDel(name: string): void {
    const what = `delete netns "${name}"`;
    this.exec(what, ['ip', 'netns', 'del', netnsName(what, 'name', name)]);
    this.handles.delete(name);
  }

  netnsList(): string[] {
    return this.exec('list netns', ['ip', 'netns', 'list'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]!)
      .sort();
  }

  at(netns?: string): NetHandle {
    let h = this.handles.get(netns);
    if (!h) {
      // checked once, when first opened: a name refused never gets a handle
      if (netns !== undefined) netnsName(`open netns "${netns}"`, 'name', netns);
      this.handles.set(netns, (h = this.openHandle(netns)));
    }
    return h;
  }

  /** A handle on one namespace; a backend that reaches its kernel otherwise makes its own. */
  protected openHandle(netns: string | undefined): ToolsNetHandle {
    return new ToolsNetHandle(this, netns);
  }

  /** Reads the namespace's links; a backend whose kernel reports link state late waits for it here. */
  readLinks(h: ToolsNetHandle): LinkRecord[] {
    return (JSON.parse(h.show('list links', 'ip', ['-d', 'link', 'show'])) as IpLink[]).map(linkRecord);
  }

  /** Whether the backend has IPVS; a backend without it throws NotSupported here. */
  requireIpvs(_command: string): void {}
}

/** A namespace of a ToolsHost: renders each operation as the tool's words. */
/** `iptables -N` for iptablesEnsureChain, its input checked (both backends check the same). */
export function ensureChainArgs(table: string, chain: string): { what: string; words: string[] } {
  const what = `ensure iptables chain "${chain}" in table "${table}"`;
  return { what, words: ['iptables', '-w', '-t', oneOf(what, 'table', table, IPTABLES_TABLES), '-N', iptablesChain(what, chain)] };
}

/** `iptables -S` for iptablesChainExists, its input checked (both backends check the same). */
export function chainExistsArgs(table: string, chain: string): { what: string; words: string[] } {
  const what = `look for iptables chain "${chain}" in table "${table}"`;
  return { what, words: ['iptables', '-w', '-t', oneOf(what, 'table', table, IPTABLES_TABLES), '-S', iptablesChain(what, chain)] };
}

/** `iptables -C` and `-I` for iptablesEnsureRule, its input checked (both backends check the same). */
export function ensureRuleArgs(table: string, chain: string, rule: readonly string[]): { what: string; check: string[]; insert: string[] } {
  const what = `ensure an iptables rule in chain "${chain}" of table "${table}"`;
  const head = ['iptables', '-w', '-t', oneOf(what, 'table', table, IPTABLES_TABLES)];
  const words = [iptablesChain(what, chain), ...rule.map((w) => ruleWord(what, w))];
  return { what, check: [...head, '-C', ...words], insert: [...head, '-I', ...words] };
}

export class ToolsNetHandle implements NetHandle {
  private queue: Request[] | undefined;

  constructor(
    private readonly host: ToolsHost,
    readonly netns: string | undefined,
  ) {}

  private nsArgs(): string[] {
    return this.netns === undefined ? [] : ['-n', this.netns];
  }

  /** Other programs run in the namespace through `ip netns exec`. */
  private inNs(argv: readonly string[]): string[] {
    return this.netns === undefined ? [...argv] : ['ip', 'netns', 'exec', this.netns, ...argv];
  }

  private send(q: Request): void {
    if (this.queue) this.queue.push(q);
    else this.host.exec(q.what, [q.tool, ...this.nsArgs(), ...q.words]);
  }

  /** `ip -j …` / `bridge -j …` in this namespace: the JSON text. */
  show(what: string, tool: Tool, words: readonly string[]): string {
    return this.host.exec(what, [tool, ...this.nsArgs(), '-j', ...words]) || '[]';
  }

  /** A process of this program cannot hold a node's TUN device through the tools. */
  tunOpen(name: string, _onPacket: (packet: Uint8Array) => void): TunHandle {
    throw new NotSupported(
      'a TUN device held by the caller',
      `open /dev/net/tun ${name}`,
      'the tools backend drives the node through iproute2 and iptables only',
    );
  }

  /** NFQUEUE needs a netlink socket this program does not open. */
  nfqueueBind(queue: number, _verdict: (p: QueuedConnection) => boolean): QueueHandle {
    throw new NotSupported(
      'NFQUEUE (a userspace packet verdict)',
      `nft add rule inet kindnet-network-policies postrouting queue num ${queue} bypass`,
      'the tools backend drives the node through iproute2 and iptables only',
    );
  }

  udpBind(addr: string, port: number, _onDatagram: (from: string, port: number, data: Uint8Array) => void): UdpHandle {
    throw new NotSupported(
      'a UDP socket in the node',
      `bind ${addr}:${port}`,
      'the tools backend drives the node through iproute2 and iptables only',
    );
  }

  batch(build: () => void): void {
    if (this.queue) return build();
    const queue: Request[] = (this.queue = []);
    try {
      build();
    } finally {
      this.queue = undefined;
    }
    // Consecutive requests to one tool go as one batch, in order.
    for (let i = 0; i < queue.length; ) {
      const tool = queue[i]!.tool;
      let j = i;
      while (j < queue.length && queue[j]!.tool === tool) j++;
      const group = queue.slice(i, j);
      const argv = [tool, ...this.nsArgs(), '-batch', '-'];
      const r = this.host.run(argv, batchText(group));
      if (r.status !== 0) {
        const line = Number(/Command failed -:(\d+)/.exec(r.stderr)?.[1] ?? 1);
        const failed = group[line - 1] ?? group[0]!;
        throw this.host.refine(
          new HostError(
            `Cannot ${failed.what}: ${toolMessage(r.stderr)}`,
            `${tool} ${[...this.nsArgs(), ...failed.words].join(' ')}`,
            r.status,
            errnoOfToolMessage(r.stderr),
          ),
        );
      }
      i = j;
    }
  }

  // ---- links ---------------------------------------------------------------------------------

  linkAdd(spec: LinkSpec): void {
    this.send(linkAddRequest(spec));
  }

  linkDel(name: string): void {
    this.send(linkDelRequest(name));
  }

  linkSet(name: string, c: LinkChange): void {
    this.send(linkSetRequest(name, c));
  }

  linkList(): LinkRecord[] {
    return this.host.readLinks(this);
  }

  linkGet(name: string): LinkRecord | undefined {
    ifName(`read link "${name}"`, 'name', name);
    return this.linkList().find((l) => l.name === name);
  }

  // ---- addresses -----------------------------------------------------------------------------

  addrAdd(dev: string, cidr: string, opts: { readonly broadcast?: string } = {}): void {
    this.send(addrAddRequest(dev, cidr, opts.broadcast));
  }

  addrDel(dev: string, cidr: string): void {
    this.send(addrDelRequest(dev, cidr));
  }

  addrList(): AddrRecord[] {
    const links = JSON.parse(this.show('list addresses', 'ip', ['-4', 'addr', 'show'])) as IpLink[];
    return links.flatMap((l) =>
      (l.addr_info ?? [])
        .filter((a) => a.family === 'inet')
        .map((a) => ({
          dev: l.ifname,
          local: a.local,
          prefixLen: a.prefixlen,
          scope: a.scope,
          ...(a.broadcast ? { broadcast: a.broadcast } : {}),
        })),
    );
  }

  // ---- routes --------------------------------------------------------------------------------

  private route(verb: 'add' | 'replace' | 'del', r: RouteSpec): void {
    this.send(routeRequest(verb, r));
  }

  routeAdd(r: RouteSpec): void {
    this.route('add', r);
  }

  routeReplace(r: RouteSpec): void {
    this.route('replace', r);
  }

  routeDel(r: RouteSpec): void {
    this.route('del', r);
  }

  routeList(table: string | number = 'main'): RouteRecord[] {
    const what = `list routes of table ${table}`;
    const routes = JSON.parse(
      this.show(what, 'ip', ['-4', 'route', 'show', 'table', nameOrNumber(what, 'table', table, ROUTE_TABLES, U32)]),
    ) as IpRoute[];
    return routes.map((r) => ({
      table: r.table ?? String(table),
      type: r.type ?? 'unicast',
      dst: r.dst,
      ...(r.gateway ? { via: r.gateway } : {}),
      ...(r.dev ? { dev: r.dev } : {}),
      proto: r.protocol ?? 'boot',
      scope: r.scope ?? 'global',
      ...(r.prefsrc ? { src: r.prefsrc } : {}),
      ...(r.metric !== undefined ? { metric: r.metric } : {}),
      flags: r.flags ?? [],
    }));
  }

  routeGet(dst: string, opts: { readonly src?: string; readonly oif?: string } = {}): RouteGetRecord {
    const what = `get the route to "${dst}"`;
    const words = [
      'route',
      'get',
      ipv4(what, 'dst', dst),
      ...opt('from', opts.src, (v) => ipv4(what, 'src', v)),
      ...opt('oif', opts.oif, (v) => ifName(what, 'oif', v)),
    ];
    const [r] = JSON.parse(this.show(what, 'ip', words)) as IpRouteGet[];
    return {
      type: r!.type ?? 'unicast',
      dst: r!.dst,
      ...(r!.gateway ? { via: r!.gateway } : {}),
      dev: r!.dev,
      ...(r!.prefsrc ? { src: r!.prefsrc } : {}),
    };
  }

  // ---- neighbours and fdb --------------------------------------------------------------------

  private neigh(verb: 'add' | 'replace', n: NeighSpec): void {
    this.send(neighRequest(verb, n));
  }

  neighAdd(n: NeighSpec): void {
    this.neigh('add', n);
  }

  neighReplace(n: NeighSpec): void {
    this.neigh('replace', n);
  }

  neighDel(dst: string, dev: string): void {
    this.send(neighDelRequest(dst, dev));
  }

  neighList(): NeighRecord[] {
    const entries = JSON.parse(this.show('list neighbours', 'ip', ['-4', 'neigh', 'show'])) as IpNeigh[];
    return entries.map((n) => ({ dst: n.dst, dev: n.dev, ...(n.lladdr ? { lladdr: n.lladdr } : {}), state: n.state ?? [] }));
  }

  private fdb(verb: 'append' | 'del', f: FdbSpec): void {
    this.send(fdbRequest(verb, f));
  }

  fdbAppend(f: FdbSpec): void {
    this.fdb('append', f);
  }

  fdbDel(f: FdbSpec): void {
    this.fdb('del', f);
  }

  bridgeLinkSet(port: string, c: BridgePortChange): void {
    this.send(bridgeLinkSetRequest(port, c));
  }

  fdbList(dev?: string): FdbRecord[] {
    const what = 'list fdb entries';
    const entries = JSON.parse(
      this.show(what, 'bridge', ['fdb', 'show', ...opt('dev', dev, (v) => ifName(what, 'dev', v))]),
    ) as BridgeFdb[];
    return entries.map((e) => ({
      // Filtered by device, bridge leaves the device out of each entry.
      mac: e.mac,
      dev: e.ifname ?? dev!,
      ...(e.master ? { master: e.master } : {}),
      ...(e.dst ? { dst: e.dst } : {}),
      self: (e.flags ?? []).includes('self'),
      state: e.state ?? '',
    }));
  }

  // ---- sysctl, iptables, ipset, ipvs ---------------------------------------------------------

  sysctlGet(key: string): string {
    const what = `read sysctl "${key}"`;
    return this.host.exec(what, this.inNs(['sysctl', '-n', sysctlKey(what, key)])).trimEnd();
  }

  sysctlSet(key: string, value: string): void {
    const what = `set sysctl "${key}" to "${value}"`;
    this.host.exec(what, this.inNs(['sysctl', '-q', '-w', `${sysctlKey(what, key)}=${sysctlValue(what, value)}`]));
  }

  conntrackList(): ConntrackRecord[] {
    return parseConntrackList(this.host.exec('list conntrack entries', this.inNs(['conntrack', '-L'])));
  }

  conntrackDelete(f: ConntrackFilter): number {
    const what = `delete ${f.protocol} conntrack entries`;
    const argv = this.inNs([
      'conntrack',
      '-D',
      '-p',
      oneOf(what, 'protocol', f.protocol, ['tcp', 'udp', 'sctp'] as const),
      ...opt('--orig-dst', f.origDst, (v) => ipv4(what, 'origDst', v)),
      ...opt('--orig-port-dst', f.origDstPort, (v) => uint(what, 'origDstPort', v, 0, 0xffff)),
      ...opt('--reply-src', f.replySrc, (v) => ipv4(what, 'replySrc', v)),
    ]);
    // conntrack exits 1 when nothing matched; its count says which case this is.
    const r = this.host.run(argv);
    const n = /(\d+) flow entries have been deleted/.exec(r.stderr);
    if (!n)
      throw this.host.refine(
        new HostError(
          `Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`,
          argv.join(' '),
          r.status,
          errnoOfToolMessage(r.stderr),
        ),
      );
    return Number(n[1]);
  }

  iptablesRestore(table: string, text: string, opts: { readonly noflush?: boolean } = {}): void {
    const what = `restore iptables table "${table}"`;
    oneOf(what, 'table', table, IPTABLES_TABLES);
    documentText(what, text);
    const tables = [...text.matchAll(/^\*(\S+)/gm)].map((m) => m[1]!);
    if (tables.length !== 1 || tables[0] !== table) {
      throw new HostError(
        `Cannot ${what}: the text must hold exactly one "*${table}" block, it holds ${tables.length ? tables.map((t) => `"*${t}"`).join(', ') : 'none'}`,
        'iptables-restore',
        0,
      );
    }
    this.host.exec(what, this.inNs(['iptables-restore', ...(opts.noflush ? ['--noflush'] : [])]), text);
  }

  iptablesSave(table: string): string {
    const what = `save iptables table "${table}"`;
    return this.host.exec(what, this.inNs(['iptables-save', '-t', oneOf(what, 'table', table, IPTABLES_TABLES)]));
  }

  iptablesChainExists(table: string, chain: string): boolean {
    const { what, words } = chainExistsArgs(table, chain);
    const argv = this.inNs(words);
    // iptables 1.8.9 (nf_tables) exits 1 for a missing chain ("chain `X' in table `T' is incompatible").
    const r = this.host.run(argv);
    if (r.status === 0 || r.status === 1) return r.status === 0;
    throw this.host.refine(
      new HostError(`Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`, argv.join(' '), r.status),
    );
  }

  iptablesEnsureChain(table: string, chain: string): boolean {
    const { what, words } = ensureChainArgs(table, chain);
    const argv = this.inNs(words);
    // iptables exits 1 with "Chain already exists." for a chain that is there.
    const r = this.host.run(argv);
    if (r.status === 1 && r.stderr.includes('Chain already exists')) return true;
    if (r.status !== 0)
      throw this.host.refine(
        new HostError(`Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`, argv.join(' '), r.status),
      );
    return false;
  }

  iptablesEnsureRule(table: string, chain: string, rule: readonly string[]): boolean {
    const { what, check, insert } = ensureRuleArgs(table, chain, rule);
    // -C exits 1 when no such rule is there (and for a missing chain, which -I then reports).
    const r = this.host.run(this.inNs(check));
    if (r.status === 0) return true;
    if (r.status !== 1) {
      throw this.host.refine(
        new HostError(`Cannot ${what}: ${toolMessage(r.stderr) || `exit status ${r.status}`}`, check.join(' '), r.status),
      );
    }
    this.host.exec(what, this.inNs(insert));
    return false;
  }

  iptablesEnsureAll(table: string, steps: readonly IptablesEnsureStep[]): boolean[] {
    return steps.map((s) =>
      s.rule === undefined ? this.iptablesEnsureChain(table, s.chain) : this.iptablesEnsureRule(table, s.chain, s.rule),
    );
  }

  ipsetRestore(text: string): void {
    this.host.exec('restore ipsets', this.inNs(['ipset', 'restore']), documentText('restore ipsets', text));
  }

  ipsetSave(): string {
    return this.host.exec('save ipsets', this.inNs(['ipset', 'save']));
  }

  private ipvsadm(what: string, args: readonly string[]): string {
    const argv = this.inNs(['ipvsadm', ...args]);
    this.host.requireIpvs(argv.join(' '));
    return this.host.exec(what, argv);
  }

  private static service(what: string, s: IpvsService): string[] {
    const protocol = oneOf(what, 'protocol', s.protocol, ['tcp', 'udp'] as const);
    return [protocol === 'udp' ? '-u' : '-t', `${ipv4(what, 'address', s.address)}:${uint(what, 'port', s.port, 0, 0xffff)}`];
  }

  ipvsServiceAdd(s: IpvsService): void {
    const what = `add IPVS service ${s.protocol} ${s.address}:${s.port}`;
    this.ipvsadm(what, [
      '-A',
      ...ToolsNetHandle.service(what, s),
      '-s',
      oneOf(what, 'scheduler', s.scheduler ?? 'rr', IPVS_SCHEDULERS),
      ...opt('-p', s.persistence, (v) => uint(what, 'persistence', v, 1, 86400 * 31)),
      ...opt('-b', s.schedFlags, (v) => ipvsSchedFlags(what, s.scheduler ?? 'rr', v)),
    ]);
  }

  ipvsServiceDel(s: IpvsService): void {
    const what = `delete IPVS service ${s.protocol} ${s.address}:${s.port}`;
    this.ipvsadm(what, ['-D', ...ToolsNetHandle.service(what, s)]);
  }

  ipvsDestAdd(s: IpvsService, d: IpvsDest): void {
    const what = `add IPVS destination ${d.address}:${d.port} to ${s.address}:${s.port}`;
    this.ipvsadm(what, [
      '-a',
      ...ToolsNetHandle.service(what, s),
      '-r',
      `${ipv4(what, 'address', d.address)}:${uint(what, 'port', d.port, 0, 0xffff)}`,
      '-m',
      '-w',
      uint(what, 'weight', d.weight ?? 1, 0, 0xffff),
    ]);
  }

  ipvsDestDel(s: IpvsService, d: IpvsDest): void {
    const what = `delete IPVS destination ${d.address}:${d.port} from ${s.address}:${s.port}`;
    this.ipvsadm(what, [
      '-d',
      ...ToolsNetHandle.service(what, s),
      '-r',
      `${ipv4(what, 'address', d.address)}:${uint(what, 'port', d.port, 0, 0xffff)}`,
    ]);
  }

  ipvsList(): IpvsServiceRecord[] {
    return parseIpvsSave(this.ipvsadm('list IPVS services', ['-S', '-n']));
  }
}

/** `conntrack -L` lines (`udp 17 29 src=A dst=B sport=P dport=Q [UNREPLIED] src=B dst=A sport=Q dport=P mark=0 use=1`) as records. */
export function parseConntrackList(text: string): ConntrackRecord[] {
  const protocols = new Set(['tcp', 'udp', 'sctp', 'icmp']);
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const words = line.trim().split(/\s+/);
      const tuples: Record<string, string>[] = [];
      for (const w of words) {
        const eq = w.indexOf('=');
        if (eq < 0) continue;
        const key = w.slice(0, eq);
        if (key === 'src') tuples.push({});
        if (tuples.length > 0 && tuples.length <= 2) tuples[tuples.length - 1]![key] = w.slice(eq + 1);
      }
      const tuple = (t: Record<string, string> | undefined): ConntrackTuple => ({
        src: t?.src ?? '',
        dst: t?.dst ?? '',
        sport: Number(t?.sport ?? 0),
        dport: Number(t?.dport ?? 0),
      });
      const name = words[0] ?? '';
      return {
        protocol: (protocols.has(name) ? name : 'other') as ConntrackRecord['protocol'],
        original: tuple(tuples[0]),
        reply: tuple(tuples[1]),
      };
    });
}

/** `ipvsadm -S -n` lines (`-A -t VIP:PORT -s SCHED`, `-a -t VIP:PORT -r RIP:PORT -m -w W`) as records. */
export function parseIpvsSave(text: string): IpvsServiceRecord[] {
  const services = new Map<
    string,
    {
      protocol: 'tcp' | 'udp';
      address: string;
      port: number;
      scheduler: string;
      persistence?: number;
      schedFlags?: string[];
      dests: Required<IpvsDest>[];
    }
  >();
  const hostPort = (s: string): [string, number] => {
    const i = s.lastIndexOf(':');
    return [s.slice(0, i), Number(s.slice(i + 1))];
  };
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    const proto = w[1] === '-u' ? 'udp' : 'tcp';
    const key = `${proto} ${w[2]}`;
    const flag = (f: string) => w[w.indexOf(f) + 1];
    if (w[0] === '-A') {
      const [address, port] = hostPort(w[2]!);
      const persistence = w.includes('-p') ? Number(flag('-p')) : undefined;
      services.set(key, {
        protocol: proto,
        address,
        port,
        scheduler: flag('-s') ?? 'wlc',
        ...(persistence !== undefined ? { persistence } : {}),
        ...(w.includes('-b') ? { schedFlags: flag('-b')!.split(',') } : {}),
        dests: [],
      });
    } else if (w[0] === '-a') {
      const [address, port] = hostPort(flag('-r')!);
      services.get(key)?.dests.push({ address, port, weight: Number(flag('-w') ?? 1) });
    }
  }
  return [...services.values()];
}

// ---- `ip -j` shapes (only the fields read) ----------------------------------------------------

interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  link_type: string;
  address?: string;
  master?: string;
  link?: string | null;
  link_index?: number;
  link_netnsid?: number;
  linkinfo?: {
    info_kind?: string;
    info_data?: { id?: number; local?: string; link?: string; port?: number; learning?: boolean };
    info_slave_kind?: string;
    info_slave_data?: { hairpin?: boolean; learning?: boolean; flood?: boolean };
  };
  addr_info?: { family: string; local: string; prefixlen: number; scope: string; broadcast?: string }[];
}

interface IpRoute {
  type?: string;
  dst: string;
  gateway?: string;
  dev?: string;
  table?: string;
  protocol?: string;
  scope?: string;
  prefsrc?: string;
  metric?: number;
  flags?: string[];
}

interface IpRouteGet {
  type?: string;
  dst: string;
  gateway?: string;
  dev: string;
  prefsrc?: string;
}

interface IpNeigh {
  dst: string;
  dev: string;
  lladdr?: string;
  state?: string[];
}

interface BridgeFdb {
  mac: string;
  ifname?: string;
  master?: string;
  dst?: string;
  flags?: string[];
  state?: string;
}

function linkRecord(l: IpLink): LinkRecord {
  const kind = l.linkinfo?.info_kind ?? (l.link_type === 'loopback' ? 'loopback' : l.link_type);
  const vx = kind === 'vxlan' ? l.linkinfo?.info_data : undefined;
  const port = l.linkinfo?.info_slave_kind === 'bridge' ? l.linkinfo.info_slave_data : undefined;
  return {
    ifindex: l.ifindex,
    name: l.ifname,
    kind,
    flags: l.flags,
    mtu: l.mtu,
    operstate: l.operstate,
    mac: l.address ?? '',
    ...(l.master ? { master: l.master } : {}),
    ...(typeof l.link === 'string' ? { link: l.link } : {}),
    ...(l.link_index !== undefined ? { linkIndex: l.link_index } : {}),
    ...(l.link_netnsid !== undefined ? { linkNetnsId: l.link_netnsid } : {}),
    ...(vx
      ? {
          vxlan: {
            vni: vx.id ?? 0,
            ...(vx.local ? { local: vx.local } : {}),
            ...(vx.link ? { dev: vx.link } : {}),
            port: vx.port ?? 0,
            learning: vx.learning ?? true,
          },
        }
      : {}),
    ...(port ? { bridgePort: { hairpin: port.hairpin ?? false, learning: port.learning ?? true, flood: port.flood ?? true } } : {}),
  };
}

/** Whether the kernel has caught up with a link's flags (linkwatch updates operstate late on Linux). */
export function linkSettled(l: LinkRecord): boolean {
  const up = l.flags.includes('UP');
  const lower = l.flags.includes('LOWER_UP');
  const s = l.operstate;
  return !((up && lower && (s === 'DOWN' || s === 'LOWERLAYERDOWN')) || (up && !lower && s === 'UP') || (!up && s === 'UP'));
}
