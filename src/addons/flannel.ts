// flanneld as the kube-flannel DaemonSet's pod runs it (flannel main.go with --ip-masq
// --kube-subnet-mgr, v0.28.9) on one node, through host/ only:
//  1. net-conf.json from the mounted ConfigMap; the external interface (default route's, first IPv4);
//  2. the backend's device (vxlan: flannel.1 with the VtepMAC kept in the Node's backend-data);
//  3. the lease = the Node's spec.podCIDR, published as flannel.alpha.coreos.com/* annotations;
//  4. masquerade (nat FLANNEL-POSTRTG) and forward (filter FLANNEL-FWD) rules, re-ensured every 5 s;
//  5. /run/flannel/subnet.env, then "flannel is ready" and NetworkUnavailable=False on the Node;
//  6. a Node watch turning the other nodes' leases into routes, neighbours and FDB entries.
// It does not clean up when stopped, as flanneld leaves its device, routes and rules behind.
import { ApiError, type ApiClient, type KubeObject, type WatchEvent } from '../api/index.js';
import { HostError, type HostNetwork, type NetHandle, type ProcessHandle } from '../host/index.js';
import { agentStep, type NodeFiles, type Rng, type Scheduler } from '../sim/index.js';
import { parseIpv4, parsePrefix, type Prefix } from '../wire/index.js';
import {
  HostGwBackend,
  UDP_DEFAULT_PORT,
  UdpBackend,
  VxlanBackend,
  type Backend,
  type ExtIface,
  type PeerLease,
} from './flannel-backend.js';
import { contains, FlannelConfigError, formatCidr, parseNetConf, readSubnetEnvCidr, subnetEnv, type NetConf } from './flannel-config.js';
import { bootstrapRules, clearChain, forwardRules, masqRules, rulesExist, teardownRules, type FlannelRule } from './flannel-iptables.js';
import { readMounted, resolveMount } from './flannel-pod.js';
import { serveGoHttp } from './go-http.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** --kube-annotation-prefix's default and the keys under it (pkg/subnet/kube/annotations.go). */
export const ANNOTATION = {
  subnetKubeManaged: 'flannel.alpha.coreos.com/kube-subnet-manager',
  backendType: 'flannel.alpha.coreos.com/backend-type',
  backendData: 'flannel.alpha.coreos.com/backend-data',
  publicIp: 'flannel.alpha.coreos.com/public-ip',
  publicIpOverwrite: 'flannel.alpha.coreos.com/public-ip-overwrite',
} as const;

export const SUBNET_FILE = '/run/flannel/subnet.env';
const NET_CONF_PATH = '/etc/kube-flannel/net-conf.json';
/** --iptables-resync default (seconds). */
const IPTABLES_RESYNC_MS = 5_000;
/** route_network.go's routeCheckRetries: host-gw looks for missing routes every 10 s. */
const ROUTE_CHECK_MS = 10_000;

export interface FlanneldOptions {
  readonly node: string;
  readonly api: ApiClient;
  readonly host: HostNetwork;
  readonly files: NodeFiles;
  readonly clock: Scheduler;
  /** The VtepMAC of a first start (crypto/rand upstream; the lab's seeded randomness here). */
  readonly rng: Rng;
  /** The flannel pod and its kube-flannel container (args, mounts). */
  readonly pod: KubeObject;
  readonly container: Obj;
  /** Records an event about `obj` (a Warning when flanneld cannot do what was asked). */
  readonly event: (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** Whether the node's iptables has --random-fully (kind's nodes do). */
  readonly randomFully?: boolean;
}

export interface Flanneld {
  stop(): void;
  /** What flanneld has logged (`kubectl logs`), klog-formatted. */
  logs(): string;
  /** Whether subnet.env has been written ("flannel is ready", /readyz). */
  readonly ready: boolean;
}

function find(api: ApiClient, resource: string, ns: string | undefined, name: string): KubeObject | undefined {
  try {
    return api.get(resource, ns, name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A Go flag's value in `args` (`-name=v`, `--name=v`, `-name v` or `--name v`); the last one wins. */
function flagValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([^=]+)(?:=(.*))?$/.exec(args[i]!);
    if (m?.[1] === name) value = m[2] ?? args[++i];
  }
  return value;
}

/** A klog header: `I1205 18:06:33.123456       1 main.go:484] `. */
function klog(now: number, level: 'I' | 'W' | 'E', where: string, msg: string): string {
  const d = new Date(now);
  const t = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
  return `${level}${t}       1 ${where}] ${msg}\n`;
}

/** main.go LookupExtIface without --iface: the default route's device and its first IPv4 address. */
function externalInterface(root: NetHandle): ExtIface | undefined {
  const def = root.routeList().find((r) => r.dst === 'default' && r.dev);
  if (!def) return undefined;
  const addr = root.addrList().find((a) => a.dev === def.dev);
  const link = root.linkGet(def.dev!);
  return addr && link ? { name: def.dev!, ip: addr.local, mtu: link.mtu } : undefined;
}

/** nodeToLease(): a Node with flannel's annotations as a lease; undefined when it is not one. */
export function nodeLease(n: KubeObject): PeerLease | undefined {
  const a = n.metadata.annotations ?? {};
  if (a[ANNOTATION.subnetKubeManaged] !== 'true') return undefined;
  const cidr = (n.spec as Obj | undefined)?.podCIDR as string | undefined;
  const subnet = cidr ? parsePrefix(cidr) : undefined;
  const publicIp = a[ANNOTATION.publicIp];
  if (!subnet || !publicIp || parseIpv4(publicIp) === undefined) return undefined;
  let backendData: unknown = null;
  try {
    backendData = JSON.parse(a[ANNOTATION.backendData] ?? 'null');
  } catch {
    return undefined;
  }
  return { node: n.metadata.name!, subnet, publicIp, backendType: a[ANNOTATION.backendType] ?? '', backendData };
}

const leaseKey = (l: PeerLease) => `${l.backendType}|${JSON.stringify(l.backendData)}|${l.publicIp}|${formatCidr(l.subnet)}`;

/** Starts flanneld; failures to start are logged (and a Warning event on the pod) and leave it idle. */
export function startFlanneld(o: FlanneldOptions): Flanneld {
  return new FlanneldAgent(o);
}

class FlanneldAgent implements Flanneld {
  ready = false;
  private out = '';
  private stopped = false;
  private readonly root: NetHandle;
  private unwatch: (() => void) | undefined;
  private backend: Backend | undefined;
  private conf: NetConf | undefined;
  private lease: Prefix | undefined;
  private ext: ExtIface | undefined;
  /** The peers programmed, by node name. */
  private readonly peers = new Map<string, PeerLease>();
  private rules: FlannelRule[] = [];
  private healthz: ProcessHandle | undefined;

  constructor(private readonly o: FlanneldOptions) {
    this.root = o.host.at();
    o.clock.schedule(0, () => agentStep(o.clock, () => this.start()));
  }

  logs(): string {
    return this.out;
  }

  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    this.healthz?.stop();
    // the udp backend's TUN device and socket are the process's own: they go when it exits
    if (this.backend instanceof UdpBackend) this.backend.close();
  }

  private log(level: 'I' | 'W' | 'E', where: string, msg: string): void {
    this.out += klog(this.o.api.now(), level, where, msg);
  }

  /** A start that cannot go on: flanneld logs and exits (here: stays idle, with a Warning on its pod). */
  private fail(where: string, msg: string): void {
    this.log('E', where, msg);
    this.o.event(this.o.pod, 'Warning', 'FlanneldFailed', `flanneld on ${this.o.node}: ${msg}`);
  }

  /**
   * mustRunHealthz: /healthz answers while flanneld runs; /readyz once subnet.env is written (503
   * before). Coarse: the socket is bound to 0.0.0.0 whatever --healthz-ip says.
   */
  private serveHealthz(ip: string, port: number): void {
    this.log('I', 'main.go:554', `Start healthz server on ${ip}:${port}`);
    try {
      this.healthz = serveGoHttp(this.o.host, undefined, port, () => this.o.api.now(), {
        '/healthz': () => ({ body: 'flanneld is running' }),
        '/readyz': () => (this.ready ? { body: 'flanneld is ready' } : { status: 503, body: 'flanneld is not ready yet' }),
      });
    } catch (e) {
      // the linux backend serves no emulated sockets: flanneld goes on without its health server there
      if (!(e instanceof HostError)) throw e;
    }
  }

  private start(): void {
    if (this.stopped) return;
    const args = [...((this.o.container.args ?? []) as string[])];
    const ipMasq = args.includes('--ip-masq');
    const text = readMounted(this.o.api, this.o.files, resolveMount(this.o.pod, this.o.container, NET_CONF_PATH));
    if (text === undefined)
      return this.fail(
        'main.go:251',
        `Failed to create SubnetManager: failed to read net conf: open ${NET_CONF_PATH}: no such file or directory`,
      );
    let conf: NetConf;
    try {
      conf = parseNetConf(text);
    } catch (e) {
      if (!(e instanceof FlannelConfigError)) throw e;
      return this.fail('main.go:251', `Failed to create SubnetManager: ${e.message}`);
    }
    this.conf = conf;
    this.log('I', 'main.go:255', `Created subnet manager: Kubernetes Subnet Manager - ${this.o.node}`);
    this.log('I', 'main.go:258', 'Installing signal handlers');
    const healthzPort = Number(flagValue(args, 'healthz-port') ?? 0);
    if (healthzPort > 0) this.serveHealthz(flagValue(args, 'healthz-ip') ?? '0.0.0.0', healthzPort);
    this.log('I', 'main.go:540', `Found network config - Backend type: ${conf.backend.type}`);
    const ext = externalInterface(this.root);
    if (!ext)
      return this.fail(
        'main.go:328',
        'Failed to find any valid interface to use: failed to get default interface: unable to find default route',
      );
    this.ext = ext;
    this.log('I', 'match.go:269', `Using interface with name ${ext.name} and address ${ext.ip}`);
    const node = find(this.o.api, 'nodes', undefined, this.o.node);
    if (!node) return this.fail('main.go:384', `Error registering network: failed to acquire lease: node "${this.o.node}" not found`);
    const ann = node.metadata.annotations ?? {};
    let backend: Backend;
    try {
      if (conf.backend.type === 'vxlan') {
        const b = conf.backend;
        this.log(
          'I',
          'vxlan.go:128',
          `VXLAN config: VNI=${b.vni} Port=${b.port} GBP=${b.gbp} Learning=${b.learning} DirectRouting=${b.directRouting}`,
        );
        const stored = (() => {
          try {
            const d = JSON.parse(ann[ANNOTATION.backendData] ?? 'null') as { VtepMAC?: string } | null;
            return typeof d?.VtepMAC === 'string' ? d.VtepMAC : undefined;
          } catch {
            return undefined;
          }
        })();
        backend = new VxlanBackend(this.root, ext, b, stored ?? this.randomMac(), (m) => this.log('W', 'device.go:102', m));
      } else if (conf.backend.type === 'host-gw') {
        backend = new HostGwBackend(this.root, ext);
      } else if (conf.backend.type === 'udp') {
        backend = new UdpBackend(this.root, ext, conf.backend.port || UDP_DEFAULT_PORT, (m) =>
          this.log('I', m.startsWith('Subnet removed') ? 'udp_network_amd64.go:210' : 'udp_network_amd64.go:205', m),
        );
      } else {
        return this.fail('main.go:384', `Error registering network: failed to create backend: unknown backend type: ${conf.backend.type}`);
      }
    } catch (e) {
      if (!(e instanceof HostError)) throw e;
      return this.fail('main.go:384', `Error registering network: failed to create ${conf.backend.type} device: ${e.message}`);
    }
    this.backend = backend;
    const lease = this.acquireLease(node, backend, conf, ext);
    if (!lease) return;
    this.lease = lease;
    backend.configure(lease, conf.network);
    if (conf.enableNFTables) {
      // flannel's nftables traffic manager (tables flannel-ipv4/-ipv6) is not emulated: say so, program no rules
      this.log('I', 'nftables.go:43', 'Starting flannel in nftables mode...');
      const msg =
        "EnableNFTables is true: flannel's nftables masquerade and forward rules are not emulated by knetlab; this node gets none (set it to false for the iptables rules)";
      this.log('W', 'nftables.go:43', msg);
      this.o.event(this.o.pod, 'Warning', 'NFTablesNotEmulated', `flanneld on ${this.o.node}: ${msg}`);
    } else {
      this.log('I', 'iptables.go:50', 'Starting flannel in iptables mode...');
      if (ipMasq) this.setupMasq(conf.network, lease);
      this.log('I', 'iptables.go:212', 'Changing default FORWARD chain policy to ACCEPT');
      this.ensureRules(forwardRules(conf.network), true);
    }
    this.writeSubnetFile(conf, lease, backend.mtu, ipMasq);
    this.log('I', 'main.go:488', 'Running backend.');
    this.completeLease();
    this.watchLeases();
    const resync = () => {
      if (this.stopped) return;
      agentStep(this.o.clock, () => this.resync());
      this.o.clock.schedule(IPTABLES_RESYNC_MS, resync);
    };
    this.o.clock.schedule(IPTABLES_RESYNC_MS, resync);
    if (backend.recoverRoutes) {
      const check = () => {
        if (this.stopped) return;
        agentStep(this.o.clock, () => {
          if (this.stopped) return;
          try {
            for (const r of backend.recoverRoutes!(this.peers.values())) this.log('I', 'route_network.go:254', `Route recovered ${r}`);
          } catch (e) {
            if (!(e instanceof HostError)) throw e;
            this.log('E', 'route_network.go:249', `Error recovering route: ${e.message}`);
          }
        });
        this.o.clock.schedule(ROUTE_CHECK_MS, check);
      };
      this.o.clock.schedule(ROUTE_CHECK_MS, check);
    }
  }

  /** mac.NewHardwareAddr(): random, unicast, locally administered. */
  private randomMac(): string {
    const b = this.o.rng.bytes(6);
    b[0] = (b[0]! & 0xfe) | 0x02;
    return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
  }

  /** kubeSubnetManager.AcquireLease(): the podCIDR, and the annotations patched when any differs. */
  private acquireLease(node: KubeObject, backend: Backend, conf: NetConf, ext: ExtIface): Prefix | undefined {
    const cidr = (node.spec as Obj | undefined)?.podCIDR as string | undefined;
    if (!cidr) {
      this.fail('main.go:384', `Error registering network: failed to acquire lease: node "${this.o.node}" pod cidr not assigned`);
      return undefined;
    }
    const lease = parsePrefix(cidr)!;
    if (!contains(conf.network, lease)) {
      this.fail(
        'main.go:384',
        `Error registering network: failed to acquire lease: subnet "${formatCidr(conf.network)}" specified in the flannel net config doesn't contain "${cidr}" PodCIDR of the "${this.o.node}" node`,
      );
      return undefined;
    }
    const a = node.metadata.annotations ?? {};
    const overwrite = a[ANNOTATION.publicIpOverwrite];
    const want: Record<string, string> = {
      [ANNOTATION.backendData]: backend.backendData,
      [ANNOTATION.backendType]: backend.type,
      [ANNOTATION.publicIp]: overwrite || ext.ip,
      [ANNOTATION.subnetKubeManaged]: 'true',
    };
    if (Object.entries(want).some(([k, v]) => a[k] !== v)) {
      this.o.api.patch('nodes', undefined, this.o.node, 'strategic', { metadata: { annotations: want } });
    }
    return lease;
  }

  private setupMasq(network: Prefix, lease: Prefix): void {
    const prev = this.o.files.readText(SUBNET_FILE);
    const prevNetwork = readSubnetEnvCidr(prev, 'FLANNEL_NETWORK');
    const prevSubnet = readSubnetEnvCidr(prev, 'FLANNEL_SUBNET');
    const same = (a: Prefix | undefined, b: Prefix) => a !== undefined && a.addr === b.addr && a.len === b.len;
    if (!same(prevNetwork, network) || !same(prevSubnet, lease)) {
      const fmt = (p: Prefix | undefined) => (p ? formatCidr(p) : '0.0.0.0/0');
      this.log(
        'I',
        'iptables.go:101',
        `Current network or subnet (${formatCidr(network)}, ${formatCidr(lease)}) is not equal to previous one (${fmt(prevNetwork)}, ${fmt(prevSubnet)}), trying to recycle old iptables rules`,
      );
      if (prevNetwork && prevSubnet) teardownRules(this.root, masqRules(prevNetwork, prevSubnet, this.o.randomFully ?? true));
    }
    this.log('I', 'iptables.go:111', 'Setting up masking rules');
    this.ensureRules(masqRules(network, lease, this.o.randomFully ?? true), true);
  }

  /** CreateIP4Chain (flush) and bootstrap; the rules are then kept by the resync. */
  private ensureRules(rules: FlannelRule[], first: boolean): void {
    if (first) {
      const chain = rules.find((r) => r.chain.startsWith('FLANNEL-'))!;
      clearChain(this.root, chain.table, chain.chain);
      this.rules.push(...rules);
    }
    bootstrapRules(this.root, rules);
    this.log('I', 'iptables.go:358', 'bootstrap done');
  }

  private writeSubnetFile(conf: NetConf, lease: Prefix, mtu: number, ipMasq: boolean): void {
    this.o.files.mkdirp('/run/flannel');
    // writeFile(): a temp file renamed over the old one, mode 0644
    this.o.files.write(`${SUBNET_FILE}.tmp`, subnetEnv(conf.network, lease, mtu, ipMasq), { mode: 0o644 });
    this.o.files.rename(`${SUBNET_FILE}.tmp`, SUBNET_FILE);
    this.log('I', 'main.go:481', `Wrote subnet file to ${SUBNET_FILE}`);
    this.ready = true;
    this.log('I', 'main.go:484', 'flannel is ready');
  }

  /** CompleteLease(): NetworkUnavailable=False, reason FlannelIsUp. */
  private completeLease(): void {
    const node = find(this.o.api, 'nodes', undefined, this.o.node);
    if (!node) return;
    const now = new Date(this.o.api.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const cond = {
      type: 'NetworkUnavailable',
      status: 'False',
      lastHeartbeatTime: now,
      lastTransitionTime: now,
      reason: 'FlannelIsUp',
      message: 'Flannel is running on this node',
    };
    const conditions = (((node.status as Obj | undefined)?.conditions ?? []) as Obj[]).filter((c) => c.type !== 'NetworkUnavailable');
    this.o.api.updateStatus({ ...node, status: { ...(node.status as Obj), conditions: [cond, ...conditions] } });
  }

  /** The node informer: every node's lease (not ours) as added, updated or removed. */
  private watchLeases(): void {
    if (this.backend instanceof UdpBackend) this.log('I', 'udp_network_amd64.go:111', 'Watching for new subnet leases');
    else this.log('I', 'vxlan_network.go:68', 'watching for new subnet leases');
    this.unwatch = this.o.api.watch('nodes', undefined, {}, (e) => this.onNode(e));
    for (const n of this.o.api.list('nodes').items) this.onNode({ type: 'ADDED', object: n } as WatchEvent);
  }

  private onNode(e: WatchEvent): void {
    if (this.stopped || !this.backend || e.object.metadata.name === this.o.node) return;
    const name = e.object.metadata.name!;
    const had = this.peers.get(name);
    const lease = e.type === 'DELETED' ? undefined : nodeLease(e.object);
    try {
      if (!lease) {
        if (had && e.type === 'DELETED') {
          this.backend.removePeer(had);
          this.peers.delete(name);
        }
        return;
      }
      if (had && leaseKey(had) === leaseKey(lease)) return;
      // the udp backend's Run() takes every lease event whatever its type
      if (!(this.backend instanceof UdpBackend) && lease.backendType !== this.backend.type) {
        this.log(
          'W',
          'vxlan_network.go:272',
          `ignoring non-${this.backend.type} v4Subnet(${formatCidr(lease.subnet)}) v6Subnet(<nil>): type=${lease.backendType}`,
        );
        return;
      }
      if (!(this.backend instanceof UdpBackend))
        this.log(
          'I',
          'vxlan_network.go:270',
          `Received Subnet Event with VxLan: BackendType: ${lease.backendType}, PublicIP: ${lease.publicIp}, PublicIPv6: (nil), BackendData: ${JSON.stringify(lease.backendData)}, BackendV6Data: (nil)`,
        );
      this.backend.addPeer(lease);
      this.peers.set(name, lease);
    } catch (err) {
      if (!(err instanceof HostError)) throw err;
      this.log('E', 'vxlan_network.go:383', `failed to add vxlanRoute (${formatCidr(lease?.subnet ?? had!.subnet)}): ${err.message}`);
    }
  }

  /** Every --iptables-resync: missing rules are put back in order; a deleted flannel.1 is made again. */
  private resync(): void {
    if (this.stopped) return;
    for (const table of ['nat', 'filter'] as const) {
      const rules = this.rules.filter((r) => r.table === table);
      if (rules.length && !rulesExist(this.root, rules)) {
        this.log('I', 'iptables.go:493', 'Some iptables rules are missing; deleting and recreating rules');
        bootstrapRules(this.root, rules);
      }
    }
    if (this.backend && !this.backend.healthy() && this.conf && this.ext && this.lease) this.recreate();
  }

  /**
   * reCreateVxlan(): the device again with the same MAC and its address. As upstream, the peers'
   * neighbours, FDB entries and routes (gone with the old device) come back only with a lease event.
   */
  private recreate(): void {
    const old = this.backend as VxlanBackend;
    this.log('I', 'vxlan_network.go:102', 'vxlan device missing, attempting to recreate...');
    const b = new VxlanBackend(this.root, this.ext!, this.conf!.backend, old.mac, (m) => this.log('W', 'device.go:102', m));
    b.configure(this.lease!, this.conf!.network);
    this.backend = b;
    this.peers.clear();
    this.log('I', 'vxlan_network.go:238', `VXLAN device ${b.name} recreated successfully`);
  }
}
