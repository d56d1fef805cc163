// The docker daemon of a lab, as kind's nodes and the seeds' `docker run` containers see it: the
// container records (ID, name, image, command, labels, published ports, state and its times) and
// the networks (`bridge`, `host`, `none`, and kind's `kind`). kind nodes are not copied in: each
// docker command first syncs with the lab's KindWorld (a node appears when its cluster is created,
// and goes when it is deleted). Deterministic: IDs come from the lab's seed, times from its clock.
import {
  DEFAULT_IMAGE,
  KIND_GATEWAY,
  KIND_NODE_IMAGE_DIGEST,
  KIND_NETWORK,
  clusterHostPorts,
  type HostPort,
  type KindCluster,
  type KindNodeInfo,
  type KindWorld,
} from '../kind/index.js';
import { hashString, Rng } from '../sim/index.js';

/** Wall-clock milliseconds at virtual time 0 (as the API store's timestamps: 2026-01-01T00:00:00Z). */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited';

/** A published port (`docker port`, `docker ps` PORTS): as kind asked for it. */
export type PortBinding = HostPort;

export interface Mount {
  readonly type: 'volume' | 'bind';
  /** A volume's name ('' for a bind mount). */
  readonly name: string;
  readonly source: string;
  readonly destination: string;
  readonly rw: boolean;
}

export interface Container {
  readonly id: string;
  readonly name: string;
  /** The image as given to `docker run` (kind: with its @sha256 digest). */
  readonly image: string;
  readonly imageId: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** Virtual time of creation (ms). */
  readonly created: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly env: readonly string[];
  readonly hostname: string;
  readonly network: string;
  readonly ip: string;
  readonly mac: string;
  readonly ports: readonly PortBinding[];
  readonly mounts: readonly Mount[];
  readonly privileged: boolean;
  /** docker run --cap-add/--cap-drop as the CLI sent them (CAP_ names, sorted); recorded, not enforced. */
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly tty: boolean;
  readonly autoRemove: boolean;
  readonly stopSignal?: string;
  /** kind node (cluster name, role) or a plain container. */
  readonly kind?: { readonly cluster: string; readonly role: KindNodeInfo['role'] };
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  startedAt: number;
  finishedAt: number | undefined;
  restartCount: number;
  /** What the container's main process printed (docker logs). */
  log: string;
}

export interface DockerNetwork {
  readonly name: string;
  readonly id: string;
  readonly driver: 'bridge' | 'host' | 'null';
  readonly subnet?: string;
  readonly gateway?: string;
  readonly created: number;
  readonly options: Readonly<Record<string, string>>;
}

/** The bridge docker makes at install time (172.17.0.0/16): kind's network is the next pool. */
const DEFAULT_NETWORKS: readonly Omit<DockerNetwork, 'id' | 'created'>[] = [
  {
    name: 'bridge',
    driver: 'bridge',
    subnet: '172.17.0.0/16',
    gateway: '172.17.0.1',
    options: {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.enable_icc': 'true',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
      'com.docker.network.bridge.name': 'docker0',
      'com.docker.network.driver.mtu': '1500',
    },
  },
  { name: 'host', driver: 'host', options: {} },
  { name: 'none', driver: 'null', options: {} },
];

/** A lowercase hex string of `n` digits from `rng`. */
function hex(rng: Rng, n: number): string {
  let s = '';
  while (s.length < n) s += rng.u32().toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** Docker's MAC for an address on a bridge network (02:42 + the IPv4 address), as docker < 28 gave. */
export function macFromIp(ip: string): string {
  return `02:42:${ip
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .join(':')}`;
}

export class DockerEngine {
  private readonly byId = new Map<string, Container>();
  private readonly rng: Rng;
  readonly networks: DockerNetwork[] = [];
  private nextPid = 1200;

  constructor(
    private readonly kind: KindWorld,
    private readonly now: () => number,
    seed = 'docker',
  ) {
    this.rng = new Rng(seed);
    for (const n of DEFAULT_NETWORKS) this.networks.push({ ...n, id: hex(this.rng, 64), created: 0 });
  }

  /** Takes in kind's nodes created since the last call and drops those of deleted clusters. */
  sync(): void {
    const live = new Set<string>();
    const clusters = this.kind
      .names()
      .map((n) => this.kind.get(n)!)
      .sort((a, b) => a.createdSeq - b.createdSeq);
    for (const kc of clusters) {
      if (!this.network('kind'))
        this.networks.push({
          name: 'kind',
          driver: 'bridge',
          subnet: KIND_NETWORK,
          gateway: KIND_GATEWAY,
          id: hex(this.rng, 64),
          created: this.createdAt(kc),
          options: { 'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.driver.mtu': '1500' },
        });
      for (const n of kc.nodes) {
        live.add(n.name);
        if (!this.byName(n.name)) this.add(this.kindNode(kc, n));
      }
    }
    for (const c of [...this.byId.values()]) if (c.kind && !live.has(c.name)) this.byId.delete(c.id);
  }

  /** When kind created the cluster: its first Node's creationTimestamp (the API store's clock). */
  private createdAt(kc: KindCluster): number {
    const stamps = kc.cluster.store
      .list('nodes')
      .items.map((o) => o.metadata.creationTimestamp)
      .filter((t): t is string => typeof t === 'string')
      .sort();
    return stamps[0] ? Date.parse(stamps[0]) - EPOCH_MS : this.now();
  }

  private kindNode(kc: KindCluster, n: KindNodeInfo): Container {
    const created = this.createdAt(kc);
    const cp = n.role === 'control-plane';
    const lb = n.role === 'external-load-balancer';
    const ports = clusterHostPorts(kc).find((x) => x.node === n)!.ports;
    const volume = hex(this.rng, 64);
    const image = n.image === DEFAULT_IMAGE ? `${n.image}@${KIND_NODE_IMAGE_DIGEST}` : n.image;
    return {
      id: hex(this.rng, 64),
      name: n.name,
      image,
      imageId: `sha256:${hex(new Rng(`image/${n.image}`), 64)}`,
      entrypoint: lb ? ['/docker-entrypoint.sh'] : ['/usr/local/bin/entrypoint', '/sbin/init'],
      cmd: lb ? ['envoy', '-c', '/etc/envoy/envoy.yaml'] : [],
      created,
      labels: { 'io.x-k8s.kind.cluster': kc.name, 'io.x-k8s.kind.role': n.role },
      env: [
        ...(cp ? ['KUBECONFIG=/etc/kubernetes/admin.conf'] : []),
        'container=docker',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ],
      hostname: n.name,
      network: 'kind',
      ip: n.ip,
      mac: macFromIp(n.ip),
      ports,
      // kind: `--volume /var` (an anonymous volume) and `--volume /lib/modules:/lib/modules:ro`.
      mounts: lb
        ? []
        : [
            { type: 'bind', name: '', source: '/lib/modules', destination: '/lib/modules', rw: false },
            { type: 'volume', name: volume, source: `/var/lib/docker/volumes/${volume}/_data`, destination: '/var', rw: true },
          ],
      privileged: true,
      tty: true,
      autoRemove: false,
      ...(lb ? {} : { stopSignal: 'SIGRTMIN+3' }),
      kind: { cluster: kc.name, role: n.role },
      status: 'running',
      pid: this.pid(),
      exitCode: 0,
      startedAt: created,
      finishedAt: undefined,
      restartCount: 0,
      log: '',
    };
  }

  private pid(): number {
    this.nextPid += 1 + (this.rng.u32() % 400);
    return this.nextPid;
  }

  private add(c: Container): void {
    this.byId.set(c.id, c);
  }

  network(name: string): DockerNetwork | undefined {
    return this.networks.find((n) => n.name === name || n.id === name || (name.length >= 1 && n.id.startsWith(name)));
  }

  byName(name: string): Container | undefined {
    for (const c of this.byId.values()) if (c.name === name) return c;
    return undefined;
  }

  /**
   * The container a reference names, as the daemon resolves it (daemon/container/view.go): a full
   * ID, then a name (with or without its leading '/'), then a unique ID prefix.
   */
  find(ref: string): Container | undefined {
    const full = this.byId.get(ref);
    if (full) return full;
    const named = this.byName(ref.startsWith('/') ? ref.slice(1) : ref);
    if (named) return named;
    if (!/^[0-9a-f]+$/.test(ref)) return undefined;
    const hits = [...this.byId.values()].filter((c) => c.id.startsWith(ref));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Newest first, as the daemon lists them (docker ps). */
  list(all: boolean): Container[] {
    return [...this.byId.values()].filter((c) => all || c.status === 'running' || c.status === 'paused').reverse();
  }

  /** A plain container (docker run): the caller has checked the name and the address. */
  create(
    spec: Pick<
      Container,
      | 'name'
      | 'image'
      | 'entrypoint'
      | 'cmd'
      | 'env'
      | 'ip'
      | 'network'
      | 'privileged'
      | 'capAdd'
      | 'capDrop'
      | 'tty'
      | 'autoRemove'
      | 'labels'
    > & { hostname?: string },
  ): Container {
    const id = hex(this.rng, 64);
    const c: Container = {
      ...spec,
      id,
      imageId: `sha256:${hex(new Rng(`image/${spec.image}`), 64)}`,
      created: this.now(),
      hostname: spec.hostname ?? id.slice(0, 12),
      mac: macFromIp(spec.ip),
      ports: [],
      mounts: [],
      status: 'running',
      pid: this.pid(),
      exitCode: 0,
      startedAt: this.now(),
      finishedAt: undefined,
      restartCount: 0,
      log: '',
    };
    this.add(c);
    return c;
  }

  /** The next free address on `net` after the highest one in use (docker's IPAM allocates serially). */
  freeIp(net: DockerNetwork): string {
    const n = (a: string) => a.split('.').reduce((acc, b) => acc * 256 + Number(b), 0);
    const [base, len] = net.subnet!.split('/') as [string, string];
    const size = 2 ** (32 - Number(len));
    const first = n(base);
    const used = new Set([
      n(net.gateway!),
      ...this.list(true)
        .filter((c) => c.network === net.name)
        .map((c) => n(c.ip)),
    ]);
    const start = Math.max(...used);
    for (let k = 1; k < size; k++) {
      const ip = first + ((start - first + k) % size);
      if (ip === first || ip === first + size - 1 || used.has(ip)) continue;
      return [24, 16, 8, 0].map((s) => (ip >>> s) & 255).join('.');
    }
    throw new Error(`no available IPv4 addresses on network ${net.name}`);
  }

  /** docker's random `adjective_surname` name, from the lab's seed. */
  randomName(): string {
    const left = ['admiring', 'brave', 'clever', 'eager', 'focused', 'happy', 'jolly', 'nifty', 'quirky', 'vibrant'];
    const right = ['hopper', 'lovelace', 'turing', 'torvalds', 'ritchie', 'thompson', 'pike', 'kernighan', 'cerf', 'postel'];
    return `${left[this.rng.u32() % left.length]}_${right[this.rng.u32() % right.length]}`;
  }

  remove(c: Container): void {
    this.byId.delete(c.id);
  }

  /** The container's process is gone (docker stop/kill): Exited (code). */
  exited(c: Container, code: number): void {
    c.status = 'exited';
    c.exitCode = code;
    c.pid = 0;
    c.finishedAt = this.now();
  }

  started(c: Container): void {
    c.status = 'running';
    c.exitCode = 0;
    c.pid = this.pid();
    c.startedAt = this.now();
  }

  /** An ID of the daemon's own (exec instances, endpoints), from the lab's seed. */
  newId(): string {
    return hex(this.rng, 64);
  }
}

/** A stable ID for a name (network endpoints), independent of the order things were made in. */
export function stableId(name: string): string {
  return hex(new Rng(hashString(name)), 64);
}
