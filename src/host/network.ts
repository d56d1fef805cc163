// The host interface: the one way components (CNI plugins, kube-proxy, flanneld, calico,
// MetalLB) configure a node, as the real ones do through netlink, iptables-restore and ipset.
// Operations are named after iproute2 (vishvananda/netlink's habit); every doc comment names
// the command it equals. Records are what `ip -j` prints, typed and IPv4-only.

/** A device to create. Equivalent to: `ip link add NAME [mtu N] [address MAC] type KIND …`. */
export type LinkSpec = { readonly name: string; readonly mtu?: number; readonly mac?: string } & (
  | { readonly kind: 'veth'; readonly peer: string; readonly peerNetns?: string }
  | { readonly kind: 'bridge' }
  | { readonly kind: 'dummy' }
  | {
      readonly kind: 'vxlan';
      readonly vni: number;
      readonly local?: string;
      readonly dev?: string;
      readonly dstPort?: number;
      readonly learning?: boolean;
    }
  | { readonly kind: 'ipip'; readonly local?: string; readonly remote?: string; readonly dev?: string }
);

/** Changes to a device. Equivalent to: `ip link set DEV [up|down] [master BR|nomaster] [mtu N] [address MAC] [netns NS] [name NEW] [promisc on|off]`. */
export interface LinkChange {
  readonly up?: boolean;
  /** IFF_PROMISC (`promisc on|off`). */
  readonly promisc?: boolean;
  /** A bridge to enslave to; null releases (`nomaster`). */
  readonly master?: string | null;
  readonly mtu?: number;
  readonly mac?: string;
  readonly netns?: string;
  readonly name?: string;
}

export type RouteType = 'unicast' | 'local' | 'blackhole' | 'unreachable' | 'prohibit';

/** A route. Equivalent to: `ip route add|replace|del [TYPE] DST [via GW] [dev DEV] [onlink] [proto P] [table T] [src S] [metric M] [scope S]`. */
export interface RouteSpec {
  /** `default` or a prefix in CIDR notation. */
  readonly dst: string;
  readonly type?: RouteType;
  readonly via?: string;
  readonly dev?: string;
  readonly onlink?: boolean;
  /** `boot` (what the kernel records when none is given), `static`, `kernel`, or a number. */
  readonly proto?: string | number;
  /** `main` (the default), `local`, or a table id. */
  readonly table?: string | number;
  readonly src?: string;
  readonly metric?: number;
  readonly scope?: 'global' | 'link' | 'host';
}

/** A neighbour entry. Equivalent to: `ip neigh add|replace DST lladdr MAC dev DEV nud STATE`. */
export interface NeighSpec {
  readonly dst: string;
  readonly dev: string;
  readonly lladdr: string;
  /** Default `permanent`. */
  readonly state?: 'permanent' | 'noarp' | 'reachable' | 'stale';
}

/** A forwarding entry. Equivalent to: `bridge fdb append|add|del MAC dev DEV [dst IP] (self|master) [permanent|static]`. */
export interface FdbSpec {
  readonly mac: string;
  readonly dev: string;
  /** For a vxlan device: the remote VTEP. */
  readonly dst?: string;
  /** In the master bridge's table (`master static`) rather than the device's own (`self permanent`). */
  readonly master?: boolean;
}

/** A bridge port's flags to change (`bridge link set dev PORT …`). */
export interface BridgePortChange {
  /** Frames may leave by the port they came in on (IFLA_BRPORT_MODE). */
  readonly hairpin?: boolean;
  /** The bridge learns source MACs arriving on the port (IFLA_BRPORT_LEARNING; on by default). */
  readonly learning?: boolean;
  /** Frames to unknown unicast MACs are flooded out of the port (IFLA_BRPORT_UNICAST_FLOOD; on by default). */
  readonly flood?: boolean;
}

/** A bridge port's flags as `ip -d link` shows them (info_slave_data). */
export interface BridgePortRecord {
  readonly hairpin: boolean;
  readonly learning: boolean;
  readonly flood: boolean;
}

export interface LinkRecord {
  readonly ifindex: number;
  readonly name: string;
  /** `loopback`, `veth`, `bridge`, `vxlan`, `dummy`, `ipip`… (linkinfo's kind). */
  readonly kind: string;
  readonly flags: readonly string[];
  readonly mtu: number;
  readonly operstate: string;
  readonly mac: string;
  readonly master?: string;
  /** A veth's peer: by name when it is in this namespace, else by ifindex and netnsid. */
  readonly link?: string;
  readonly linkIndex?: number;
  readonly linkNetnsId?: number;
  readonly vxlan?: {
    readonly vni: number;
    readonly local?: string;
    readonly dev?: string;
    readonly port: number;
    readonly learning: boolean;
  };
  /** The device's flags as a port of its master bridge. */
  readonly bridgePort?: BridgePortRecord;
}

export interface AddrRecord {
  readonly dev: string;
  readonly local: string;
  readonly prefixLen: number;
  readonly scope: string;
  readonly broadcast?: string;
}

export interface RouteRecord {
  readonly table: string;
  readonly type: string;
  readonly dst: string;
  readonly via?: string;
  readonly dev?: string;
  readonly proto: string;
  readonly scope: string;
  readonly src?: string;
  readonly metric?: number;
  /** `onlink`, `linkdown`… */
  readonly flags: readonly string[];
}

/** What `ip -j route get` answers. */
export interface RouteGetRecord {
  /** `unicast`, `local` or `broadcast`. */
  readonly type: string;
  readonly dst: string;
  readonly via?: string;
  readonly dev: string;
  /** The source address the kernel picks (absent when `from` was given). */
  readonly src?: string;
}

export interface NeighRecord {
  readonly dst: string;
  readonly dev: string;
  readonly lladdr?: string;
  readonly state: readonly string[];
}

export interface FdbRecord {
  readonly mac: string;
  readonly dev: string;
  readonly master?: string;
  readonly dst?: string;
  readonly self: boolean;
  readonly state: string;
}

/** An IPVS virtual service (`ipvsadm -A -t|-u ADDR:PORT -s SCHED`). */
export interface IpvsService {
  readonly protocol: 'tcp' | 'udp';
  readonly address: string;
  readonly port: number;
  readonly scheduler?: string;
  /** `-p SECONDS` (1 to 31 days, as ipvsadm takes it): a client sticks to its real server this long (kube-proxy's ClientIP affinity); absent = not persistent. */
  readonly persistence?: number;
  /** `-b FLAG,...`: the scheduler's flags (`sh-fallback`, `sh-port` with sh; `mh-fallback`, `mh-port` with mh; `flag-1`..`flag-3`); absent = none. */
  readonly schedFlags?: readonly string[];
}

/** A real server behind a virtual service (`ipvsadm -a … -r ADDR:PORT -m -w W`); forwarding is masq. */
export interface IpvsDest {
  readonly address: string;
  readonly port: number;
  readonly weight?: number;
}

export interface IpvsServiceRecord extends Required<Omit<IpvsService, 'persistence' | 'schedFlags'>> {
  readonly persistence?: number;
  readonly schedFlags?: readonly string[];
  readonly dests: readonly Required<IpvsDest>[];
}

/** One direction of a tracked connection (addresses dotted, ports 0 for protocols without them). */
export interface ConntrackTuple {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

/** A conntrack entry as `conntrack -L` lists it (netlink's ConntrackFlow: protocol, both tuples). */
export interface ConntrackRecord {
  readonly protocol: 'tcp' | 'udp' | 'sctp' | 'icmp' | 'other';
  readonly original: ConntrackTuple;
  readonly reply: ConntrackTuple;
}

/** Which entries `conntrack -D` deletes: all of the given fields must match (`-p`, `--orig-dst`, `--orig-port-dst`, `--reply-src`). */
export interface ConntrackFilter {
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly origDst?: string;
  readonly origDstPort?: number;
  readonly replySrc?: string;
}

/** One network namespace of the node, as a netlink handle opened in it (netlink.NewHandleAt). */
/** One step of iptablesEnsureAll: EnsureChain of `chain`, or with `rule` EnsureRule (Prepend) of it there. */
export interface IptablesEnsureStep {
  readonly chain: string;
  readonly rule?: readonly string[];
}

export interface NetHandle {
  /** The namespace's name on the node; undefined for the node's own. */
  readonly netns: string | undefined;

  /** Equivalent to: `ip link add …` (see LinkSpec). */
  linkAdd(spec: LinkSpec): void;
  /** Equivalent to: `ip link del DEV`. */
  linkDel(name: string): void;
  /** Equivalent to: `ip link set DEV …` (see LinkChange). */
  linkSet(name: string, change: LinkChange): void;
  /** Equivalent to: `ip -j -d link show`. */
  linkList(): LinkRecord[];
  /** Equivalent to: `ip -j -d link show dev NAME`; undefined when there is no such device. */
  linkGet(name: string): LinkRecord | undefined;

  /** Equivalent to: `ip addr add CIDR [brd BROADCAST] dev DEV` (netlink sends no broadcast unless given). */
  addrAdd(dev: string, cidr: string, opts?: { readonly broadcast?: string }): void;
  /** Equivalent to: `ip addr del CIDR dev DEV`. */
  addrDel(dev: string, cidr: string): void;
  /** Equivalent to: `ip -j -4 addr show`. */
  addrList(): AddrRecord[];

  /** Equivalent to: `ip route add …`. */
  routeAdd(route: RouteSpec): void;
  /** Equivalent to: `ip route replace …`. */
  routeReplace(route: RouteSpec): void;
  /** Equivalent to: `ip route del …`. */
  routeDel(route: RouteSpec): void;
  /** Equivalent to: `ip -j -4 route show table TABLE` (default main). */
  routeList(table?: string | number): RouteRecord[];
  /** Equivalent to: `ip -j route get DST [from SRC] [oif DEV]`: the path the kernel would take. */
  routeGet(dst: string, opts?: { readonly src?: string; readonly oif?: string }): RouteGetRecord;

  /** Equivalent to: `ip neigh add …`. */
  neighAdd(neigh: NeighSpec): void;
  /** Equivalent to: `ip neigh replace …`. */
  neighReplace(neigh: NeighSpec): void;
  /** Equivalent to: `ip neigh del DST dev DEV`. */
  neighDel(dst: string, dev: string): void;
  /** Equivalent to: `ip -j -4 neigh show`. */
  neighList(): NeighRecord[];

  /** Equivalent to: `bridge fdb append …` (see FdbSpec). */
  fdbAppend(entry: FdbSpec): void;
  /** Equivalent to: `bridge fdb del …`. */
  fdbDel(entry: FdbSpec): void;
  /** Equivalent to: `bridge -j fdb show [dev DEV]`. */
  fdbList(dev?: string): FdbRecord[];

  /** Equivalent to: `bridge link set dev PORT [hairpin on|off] [learning on|off] [flood on|off]` (a bridge port's flags, netlink's IFLA_BRPORT_*). */
  bridgeLinkSet(port: string, change: BridgePortChange): void;

  /**
   * Runs the link, address, route, neighbour and fdb operations `build` makes as one batch
   * (`ip -batch -`, `bridge -batch -`): render the whole set, apply it once. The first failing
   * operation ends the batch and is thrown.
   */
  batch(build: () => void): void;

  /** Equivalent to: `sysctl -n KEY` (KEY dotted, as `net.ipv4.ip_forward`). */
  sysctlGet(key: string): string;
  /** Equivalent to: `sysctl -w KEY=VALUE`. */
  sysctlSet(key: string, value: string): void;

  /** Equivalent to: `iptables-restore [--noflush] -T TABLE` fed `text` (a whole `*TABLE … COMMIT` block). */
  iptablesRestore(table: string, text: string, opts?: { readonly noflush?: boolean }): void;
  /** Equivalent to: `iptables-save -t TABLE`. */
  iptablesSave(table: string): string;
  /**
   * Equivalent to: `iptables -t TABLE -S CHAIN` succeeding (utiliptables' ChainExists, what the
   * kubelet's and kube-proxy's canary monitors run): a look at one chain, not a whole table.
   */
  iptablesChainExists(table: string, chain: string): boolean;
  /**
   * Equivalent to: `iptables -t TABLE -N CHAIN`, a chain already there being no error (what
   * kube-proxy's EnsureChain runs). Returns whether the chain was there.
   */
  iptablesEnsureChain(table: string, chain: string): boolean;
  /**
   * Equivalent to: `iptables -t TABLE -C CHAIN RULE… || iptables -t TABLE -I CHAIN RULE…` (what
   * kube-proxy's EnsureRule with Prepend runs), RULE being the words after the chain name.
   * Returns whether the rule was there; a missing chain is an error.
   */
  iptablesEnsureRule(table: string, chain: string, rule: readonly string[]): boolean;
  /**
   * Equivalent to: iptablesEnsureChain (a step without `rule`) and iptablesEnsureRule (with it) for
   * each step in order, all in `table`; returns whether each was there. What kube-proxy's and the
   * kubelet's sync loops run back to back; a backend may apply them as one change.
   */
  iptablesEnsureAll(table: string, steps: readonly IptablesEnsureStep[]): boolean[];

  /** Equivalent to: `ipset restore` fed `text`. */
  ipsetRestore(text: string): void;
  /** Equivalent to: `ipset save`. */
  ipsetSave(): string;

  /** Equivalent to: `conntrack -L` (IPv4). */
  conntrackList(): ConntrackRecord[];
  /** Equivalent to: `conntrack -D -p P [--orig-dst A] [--orig-port-dst N] [--reply-src A]`; returns how many entries went (0 is no error). */
  conntrackDelete(filter: ConntrackFilter): number;
  /** Equivalent to: `ipvsadm -A …`. */
  ipvsServiceAdd(service: IpvsService): void;
  /** Equivalent to: `ipvsadm -D …`. */
  ipvsServiceDel(service: IpvsService): void;
  /** Equivalent to: `ipvsadm -a … -m`. */
  ipvsDestAdd(service: IpvsService, dest: IpvsDest): void;
  /** Equivalent to: `ipvsadm -d …`. */
  ipvsDestDel(service: IpvsService, dest: IpvsDest): void;
  /** Equivalent to: `ipvsadm -S -n`. */
  ipvsList(): IpvsServiceRecord[];

  /**
   * A TUN device held by the caller (IFF_TUN | IFF_NO_PI, not persistent): `onPacket` gets every
   * IPv4 packet the node sends through it; `write` hands one to the node as received on it.
   * NAME may hold `%d` (the first free number). Equivalent to: open("/dev/net/tun") + ioctl(TUNSETIFF).
   */
  tunOpen(name: string, onPacket: (packet: Uint8Array) => void): TunHandle;
  /** A UDP socket bound to ADDR:PORT. Equivalent to: socket(AF_INET, SOCK_DGRAM) + bind(ADDR:PORT). */
  udpBind(addr: string, port: number, onDatagram: (from: string, port: number, data: Uint8Array) => void): UdpHandle;
  /**
   * A userspace verdict on every new connection this namespace sends out (forwarded or its own)
   * or receives other than by `lo`, and on every DNS query (UDP to port 53) coming in: `verdict`
   * sees the packet (after DNAT; before SNAT on the way out) and accepts (true) or drops it;
   * established and related packets pass without it. Equivalent to: kube-network-policies'
   * nftables chains — hook postrouting priority srcnat - 5 with `ct state established,related
   * accept` then `queue num QUEUE bypass`; hook input priority srcnat + 1 with `iifname "lo"
   * accept` then `ct state new queue …`; hook prerouting priority dstnat + 5 with `udp dport != 53
   * accept` then `queue …` — with a process reading NFQUEUE QUEUE. One reader per namespace;
   * close() unbinds it (bypass: packets then pass).
   */
  nfqueueBind(queue: number, verdict: (p: QueuedConnection) => boolean): QueueHandle;
}

/** The first packet of a new connection, as a queue reader sees it. */
export interface QueuedConnection {
  readonly src: string;
  readonly dst: string;
  /** `TCP`, `UDP`, `ICMP` or the protocol number. */
  readonly protocol: string;
  /** 0 for a protocol without ports. */
  readonly srcPort: number;
  readonly dstPort: number;
  /** Sent by a process of the namespace itself (root, on a node), not forwarded. */
  readonly local: boolean;
  /** Queued on the way out (`postrouting`), in (`input`), or as a DNS query coming in (`prerouting`). */
  readonly chain: 'postrouting' | 'input' | 'prerouting';
}

/** A bound NFQUEUE reader. */
export interface QueueHandle {
  close(): void;
}

/** An open TUN device; close() removes it (it is not persistent). */
export interface TunHandle {
  readonly name: string;
  write(packet: Uint8Array): void;
  close(): void;
}

/** A bound UDP socket. */
export interface UdpHandle {
  /** Equivalent to: sendto(DST:PORT). */
  sendTo(dst: string, port: number, data: Uint8Array): void;
  close(): void;
}

/** What a process printed and how it ended. */
export interface ProcessResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A process started in a sandbox. */
export interface ProcessHandle {
  /** Resolves when the process ends (or is stopped). */
  wait(): Promise<ProcessResult>;
  /** Stops it (SIGTERM to its PID namespace on Linux; a server stops listening in the emulator). */
  stop(): void;
  /** What it has written so far, stdout and stderr in the order written (a container's log); absent where the backend does not keep it. */
  output?(): string;
  /**
   * What it ended with, once it has ended (undefined while it runs); absent where the backend
   * learns of an exit only by wait(). In the emulator a program that keeps no server open has
   * ended when processStart returns (a bad flag, a port in use).
   */
  ended?(): ProcessResult | undefined;
}

/** Who sent a datagram or opened a connection to a listening socket, and to which local address. */
export interface SocketPeer {
  readonly addr: string;
  readonly port: number;
  readonly local: string;
}

/** The process holding a socket, as `ss -p` names it: its comm, PID and descriptor number. */
export interface SocketOwner {
  readonly comm: string;
  readonly pid: number;
  readonly fd: number;
}

/** Where a server socket is bound and who holds it (common to both protocols). */
export interface ListenBind {
  /**
   * The address bound (`127.0.0.1`, the node's own); default 0.0.0.0, every address. One UDP socket
   * per port: a second on another address of the same port is refused (EADDRINUSE), unlike Linux.
   */
  readonly addr?: string;
  /**
   * The socket is AF_INET6 on [::] with IPV6_V6ONLY off, taking IPv4 too: what a Go server's
   * net.Listen makes of a wildcard address. It answers as 0.0.0.0 does; `ss` prints it `*`.
   */
  readonly dualStack?: boolean;
  /** Who holds the socket (asked when `ss -p` reads it; undefined: a process ss cannot see). */
  readonly owner?: () => SocketOwner | undefined;
}

/**
 * A server socket of a process (a DNS or HTTP server): UDP datagrams to `port` are answered one by
 * one; a TCP connection's bytes are handed over as they accumulate, and the server says how many it
 * used, what it sends back and whether it closes.
 */
export type ListenSpec = ListenBind &
  (
    | { readonly proto: 'udp'; readonly port: number; onDatagram(data: Uint8Array, peer: SocketPeer): Uint8Array | undefined }
    | {
        readonly proto: 'tcp';
        readonly port: number;
        onStream(
          buffered: Uint8Array,
          peer: SocketPeer,
        ): { readonly used: number; readonly reply?: Uint8Array; readonly close?: boolean } | undefined;
      }
  );

/** What to send on a dialled connection and when its answer is whole. */
export interface DialSpec {
  readonly send?: Uint8Array;
  readonly timeoutMs: number;
  complete?(received: Uint8Array): boolean;
}

/** How a dialled connection went: connected or the errno of connect() (ECONNREFUSED…), what came back, whether time ran out. */
export interface DialResult {
  readonly connected: boolean;
  readonly errno?: string;
  readonly received: Uint8Array;
  readonly timedOut: boolean;
}

/** A node: its own network namespace, the named ones on it, and the sandboxes pods run in. */
export interface HostNetwork {
  readonly backend: 'sim' | 'linux';
  /** Equivalent to: `ip netns add NAME`. */
  netnsAdd(name: string): void;
  /** Equivalent to: `ip netns del NAME`. */
  netnsDel(name: string): void;
  /** Equivalent to: `ip netns list` (names only, sorted). */
  netnsList(): string[];
  /** A handle on the node's own namespace (no name) or a named one. */
  at(netns?: string): NetHandle;

  /**
   * A pod sandbox: a network namespace named `name` with its own IPC and UTS namespaces (and
   * `hostname`), which every process started in it shares, as a pause container's are.
   */
  sandboxAdd(name: string, opts: { readonly hostname: string }): void;
  /** Stops the sandbox's processes and removes its namespaces. */
  sandboxDel(name: string): void;
  /** Starts `argv` in the sandbox with its own mount and PID namespaces, as a container is. */
  processStart(sandbox: string, argv: readonly string[]): ProcessHandle;

  /**
   * A socket bound to `spec.addr` (default 0.0.0.0):`port` by a process of the sandbox (the node's
   * own namespace when `sandbox` is undefined). Equivalent to: a server's `socket(); bind(); listen()`;
   * stop() closes it. EADDRINUSE when the port is taken on that address or the wildcard.
   */
  listen(sandbox: string | undefined, spec: ListenSpec): ProcessHandle;

  /**
   * A TCP client of the node (or of the sandbox): connect() to `dst`:`port`, send `spec.send`, read
   * until the peer closes, `spec.complete` says the answer is whole, or `spec.timeoutMs` passes;
   * without `send` it closes once connected. `done` is called once, later, in the node's time (the
   * kubelet's probes). Absent where the backend cannot dial in-process (the linux backend).
   */
  dial?(sandbox: string | undefined, dst: string, port: number, spec: DialSpec, done: (r: DialResult) => void): void;

  /** Releases the node (on Linux: stops its lab host and everything in it). */
  close(): void;
}

/** An operation the node refused; the message carries the tool's own words. */
export class HostError extends Error {
  constructor(
    message: string,
    /** The command it equals, as one would type it. */
    readonly command: string,
    /** The tool's exit status (0 when the request was refused before it ran). */
    readonly status: number,
    /**
     * The kernel's answer when it refused (`EEXIST`: already there), so a component can make its
     * steps idempotent as the CNI plugins do. The sim backend asks the kernel directly; a tool's
     * refusal (the linux backend, or the sim's tool path) is read from its strerror() or extack
     * text (host/errno.ts), and left unset where the text names no single errno (a usage error).
     */
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/** The backend cannot do this at all (a kernel feature it lacks); never silently ignored. */
export class NotSupported extends HostError {
  constructor(
    /** The missing feature, e.g. `IPVS (ip_vs)`. */
    readonly feature: string,
    command: string,
    detail: string,
  ) {
    super(`Cannot run "${command}": ${feature} is not supported here: ${detail}`, command, 0);
    this.name = 'NotSupported';
  }
}
