// kind's clusters in one lab: each a control plane (controllers.Cluster) with its Node objects and the
// add-ons kubeadm and kind install, on the `kind` docker network 172.18.0.0/16 (gateway .1). Node
// addresses are given in config order (the load balancer first when there is one), serially as docker's
// IPAM does — deterministic here, where kind creates node containers concurrently and Docker's order is
// not. Each node is a host of the lab's SimWorld on the `kind` bridge network (eth0 with its
// address, default route via the gateway, hostname = node name) with its own NodeFiles.
import type { KubeObject } from '../api/index.js';
import { Cluster } from '../controllers/index.js';
import {
  FLANNEL_IMAGE,
  runFlannelInit,
  startCoreDns,
  startEmbeddedDns,
  NetworkNames,
  startFlanneld,
  startKindnet,
  startKubeProxy,
  kubeProxyConfigText,
} from '../addons/index.js';
import { SimWorld, type SimHost } from '../host/index.js';
import {
  containerdStreamPort,
  controlPlaneSocketsFor,
  kubeProxySockets,
  Kubelet,
  listenDaemonSockets,
  nodeDaemonSockets,
  NodeProcesses,
  startWorkload,
  type ContainerProgram,
  type ContainerRunner,
  type DeadSandbox,
} from '../node/index.js';
import { EventQueue, NodeFiles, Rng } from '../sim/index.js';
import { formatIpv4, parseIpv4 } from '../wire/index.js';
import { KUBERNETES_VERSION, type KindConfig } from './config.js';
import { addons, COREDNS_IMAGE } from './addons.js';
import { enableNetworkMagic, networkMagicRestore } from './network-magic.js';
import { documentOf, kubeadmConfYaml, KubeadmPatchError, kubeadmDocuments, sortedJoin, type KubeadmNode } from './kubeadm-config.js';
import { componentArgs, nodeRegistration, type NodeRegistration } from './kubeadm-patches.js';

export const KIND_NETWORK = '172.18.0.0/16';
export const KIND_GATEWAY = '172.18.0.1';

export interface KindNodeInfo {
  /** Container name = hostname: `kind-control-plane`, `kind-worker2`. */
  name: string;
  role: 'control-plane' | 'worker' | 'external-load-balancer';
  ip: string;
  image: string;
}

export interface KindCluster {
  name: string;
  config: KindConfig;
  cluster: Cluster;
  nodes: KindNodeInfo[];
  /** Host port the API server is published on (127.0.0.1:<port>). */
  apiServerPort: number;
  /** Where the machine really binds the ports published on a wildcard address (`--publish-address`; kind's Docker binds 0.0.0.0). */
  publishAddress: string;
  /** Docker-ps order: creation order, newest first. */
  createdSeq: number;
}

/** A file or directory of a node container's image (no content: a directory). */
export interface NodeImageFile {
  readonly path: string;
  /** undefined: a directory. A function renders the text at the file's first read (NodeFiles.write). */
  readonly content?: string | (() => string);
  readonly mode: number;
  /** What the content encodes, for readers that would parse it back (NodeFiles.value). */
  readonly value?: unknown;
}

/** What a node container starts with; the lab passes the full kindest/node image (kind/image.ts). */
export type NodeImage = (node: {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly ip: string;
  /** What kubeadm renders a control plane's static pods for. */
  readonly cluster?: {
    readonly clusterName: string;
    readonly podSubnet: string;
    readonly serviceSubnet: string;
    readonly runtimeConfig: string;
    readonly featureGates?: string;
    /** The etcd members this control plane's etcd joins, itself last (only itself: kubeadm init's). */
    readonly etcdMembers: readonly { readonly name: string; readonly ip: string }[];
  };
}) => readonly NodeImageFile[];

/**
 * The part of kindest/node the data plane needs: the CNI directories and the four plugins kind's
 * base image installs (containernetworking/plugins v1.9.1: host-local, loopback, portmap, ptp).
 */
export const minimalNodeImage: NodeImage = () => [
  ...['/etc', '/etc/cni', '/etc/cni/net.d', '/opt', '/opt/cni', '/opt/cni/bin', '/run', '/var', '/var/lib'].map((path) => ({
    path,
    mode: 0o755,
  })),
  ...['host-local', 'loopback', 'portmap', 'ptp'].map((p) => ({
    path: `/opt/cni/bin/${p}`,
    content: `placeholder for the CNI plugin ${p} v1.9.1\n`,
    mode: 0o755,
  })),
];

/** A node container of a cluster as it runs: its host on the world (kernel, shell) and its files. */
export interface KindNode {
  readonly info: KindNodeInfo;
  readonly cluster: string;
  readonly host: SimHost;
  readonly files: NodeFiles;
  /** The node's kubelet (none on the load balancer). */
  kubelet?: Kubelet;
  /** The node's processes (systemd, containerd, kubelet, the pods' shims), from the kubelet's start; fresh after a restart. */
  processes?: NodeProcesses;
  /** The container is stopped: its kubelet is gone and its host off the network. */
  down?: boolean;
  /** Images `kind load docker-image` put in the node's containerd (references as given); they outlive restarts. */
  readonly loadedImages: Set<string>;
}

/** kind's external load balancer image (HA clusters), as of v0.32.0. */
const LB_IMAGE = 'docker.io/envoyproxy/envoy:v1.36.2';

/** kubelet's NotReady message while no CNI configuration is present. */
export const NOT_READY_MESSAGE =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

export class KindWorld {
  private clusters = new Map<string, KindCluster>();
  private usedIps = new Set<number>();
  private lastIp = parseIpv4(KIND_GATEWAY)!;
  private seq = 0;
  private readonly nodes = new Map<string, KindNode>();
  /** The lab's kind randomness (API server ports, kind's salutation). */
  readonly rng: Rng;
  /** The kubeconfig's current context (`kind-<name>`), as `kind create cluster` leaves it. */
  currentContext: string | undefined;
  /** The hosts and networks the node containers live in (the lab's, or one of its own). */
  readonly world: SimWorld;
  private readonly clock: EventQueue;
  private readonly image: NodeImage;
  /** The kind network's DNS names (Docker's embedded DNS answers them in every container on it). */
  readonly kindNames = new NetworkNames();
  private dnsStarts = 0;
  /**
   * Runs a container whose program is a shell script or a plain command of its image in the
   * container's own shell (the lab's container runtime sets it; node/script.ts); unset, such a
   * container idles.
   */
  scripts?: (
    node: KindNode,
    pod: KubeObject,
    container: Record<string, unknown>,
    sandbox: string | undefined,
  ) => ContainerProgram | undefined;

  constructor(world: SimWorld | EventQueue, seed: string | number = 'kind', opts: { readonly image?: NodeImage } = {}) {
    this.world = world instanceof SimWorld ? world : new SimWorld({ clock: world });
    this.clock = this.world.clock;
    this.rng = new Rng(seed);
    this.image = opts.image ?? minimalNodeImage;
  }

  /** A running node container by name (`kind-control-plane`), load balancer included. */
  node(name: string): KindNode | undefined {
    return this.nodes.get(name);
  }

  /** `docker network create kind` as kind does it on first use (172.18.0.0/16, gateway .1). */
  private kindNetwork(): void {
    if (this.world.getNetwork('kind')) return;
    this.world.network('kind', { subnet: KIND_NETWORK, gateway: KIND_GATEWAY });
  }

  /** `docker run --net kind --hostname NAME`: the node's host with eth0 on the kind network, and its image's files. */
  private runNode(config: KindConfig, info: KindNodeInfo): KindNode {
    const cluster = config.name;
    const files = new NodeFiles(() => this.clock.now());
    if (info.role !== 'external-load-balancer') {
      // kubeadm init's etcd is the first control plane alone; each joining one lists those before it and itself
      const planes = (this.clusters.get(cluster)?.nodes ?? []).filter((n) => n.role === 'control-plane');
      const etcdMembers = planes.slice(0, planes.findIndex((n) => n.name === info.name) + 1).map(({ name, ip }) => ({ name, ip }));
      for (const f of this.image({
        name: info.name,
        role: info.role,
        ip: info.ip,
        cluster: { ...kubeadmCluster(config, kubeadmNode(config, info)), etcdMembers },
      })) {
        if (f.content === undefined) files.mkdirp(f.path, { mode: f.mode });
        else files.write(f.path, f.content, { mode: f.mode, value: f.value });
      }
      // kind's "Writing configuration" step: the node's kubeadm config with its patches (its YAML rendered when first read)
      files.mkdirp('/kind', { mode: 0o755 });
      const docs = kubeadmDocuments(config, kubeadmNode(config, info));
      files.write('/kind/kubeadm.conf', () => kubeadmConfYaml(docs), { mode: 0o644 });
    }
    const node: KindNode = { info, cluster, host: this.plug(info, cluster, files), files, loadedImages: new Set() };
    this.nodes.set(info.name, node);
    return node;
  }

  /**
   * The node container's network namespace: a fresh host with eth0 on the kind network, Docker's
   * embedded DNS in it, then (a Kubernetes node's entrypoint) kind's network magic.
   */
  private plug(info: KindNodeInfo, cluster: string, files: NodeFiles): SimHost {
    if (info.role === 'external-load-balancer') return this.runContainer(info.name, [info.name], info.ip);
    const host = this.runContainer(info.name, [info.name], info.ip, networkMagicRestore(KIND_GATEWAY));
    enableNetworkMagic(files, KIND_GATEWAY, this.clusters.get(cluster)?.config.networking.dnsSearch);
    return host;
  }

  /**
   * `docker run --net kind` (a node, or a plain container such as the seeds' mypc): its host on the
   * kind network, its names in the network's DNS, Docker's embedded resolver in its namespace.
   */
  runContainer(host: string, names: readonly string[], ip: string, entrypointRestore?: (saved: string) => string): SimHost {
    this.kindNetwork();
    const h = this.world.host(host);
    this.world.connect(host, 'kind', { ip });
    this.kindNames.set(names, ip);
    startEmbeddedDns(h, this.kindNames, new Rng(`docker-dns/${names[0]}/${this.dnsStarts++}`), entrypointRestore);
    return h;
  }

  /** `docker stop` of a plain container on the kind network: its namespace goes, and its names leave the network's DNS. */
  stopContainer(host: string, names: readonly string[]): void {
    this.world.removeHost(host);
    this.kindNames.delete(names);
  }

  /**
   * `docker stop` of a node container: systemd, containerd, the kubelet and every pod end, and the
   * container's network namespace goes with all it held (links, routes, rules, sandboxes). The API
   * server keeps the Node and its pods: the node lifecycle controller notices the silent Lease.
   * Stopping a control-plane node does not stop the control plane here (coarse: kubectl still answers).
   */
  stopNode(name: string): void {
    const node = this.nodes.get(name);
    if (!node || node.down) return;
    node.kubelet?.stop();
    this.world.removeHost(name);
    this.kindNames.delete([name]);
    node.down = true;
  }

  /**
   * `docker start` of a stopped node container: a new network namespace (eth0 gets the address it had:
   * Docker gives it back while it is free), /run and /tmp empty again (kind mounts them as tmpfs), the
   * rest of its filesystem as it was; then a new kubelet, which replaces every pod's dead sandbox.
   */
  startNode(name: string): void {
    const node = this.nodes.get(name);
    if (!node?.down) return;
    for (const dir of ['/run', '/tmp']) {
      for (const entry of node.files.list(dir) ?? []) node.files.remove(`${dir}/${entry}`, { recursive: true });
    }
    const restarted: KindNode = {
      info: node.info,
      cluster: node.cluster,
      host: this.plug(node.info, node.cluster, node.files),
      files: node.files,
      loadedImages: node.loadedImages,
    };
    this.nodes.set(name, restarted);
    const kc = this.clusters.get(node.cluster);
    if (kc && node.kubelet) this.startKubelet(kc, restarted, node.kubelet.sandboxes());
  }

  get(name: string): KindCluster | undefined {
    return this.clusters.get(name);
  }

  /** Cluster names, sorted (kind get clusters). */
  names(): string[] {
    return [...this.clusters.keys()].sort();
  }

  /** The Cluster behind a kubeconfig context (`kind-<name>`), or behind the current one. */
  byContext(context = this.currentContext): KindCluster | undefined {
    if (!context?.startsWith('kind-')) return undefined;
    return this.clusters.get(context.slice(5));
  }

  contexts(): string[] {
    return this.names().map((n) => `kind-${n}`);
  }

  private nextIp(): string {
    const ip = this.freeIps(1)[0]!;
    this.usedIps.add(ip);
    this.lastIp = ip;
    return formatIpv4(ip);
  }

  /** The next `n` addresses docker's serial allocation would give (after the last one given, wrapping), none taken. */
  private freeIps(n: number): number[] {
    const base = parseIpv4('172.18.0.0')!;
    const found: number[] = [];
    for (let k = 1; k < 65534 && found.length < n; k++) {
      const ip = base + ((this.lastIp - base + k) % 65536);
      if (ip === base || ip === base + 65535 || ip === base + 1 || this.usedIps.has(ip)) continue;
      found.push(ip);
    }
    if (found.length < n) throw new Error('Pool overlaps with other one on this address space');
    return found;
  }

  /**
   * The node containers create() would run for `config`, in docker run's order (the load balancer
   * first), with the names and addresses they would get — nothing is taken yet.
   */
  plannedNodes(config: KindConfig): KindNodeInfo[] {
    const lb = config.nodes.filter((n) => n.role === 'control-plane').length > 1;
    const ips = this.freeIps(config.nodes.length + (lb ? 1 : 0)).map(formatIpv4);
    const nodes: KindNodeInfo[] = [];
    if (lb)
      nodes.push({ name: `${config.name}-external-load-balancer`, role: 'external-load-balancer', ip: ips.shift()!, image: LB_IMAGE });
    KindWorld.nodeNames(config).forEach((n, i) => nodes.push({ name: n.name, role: n.role, ip: ips[i]!, image: config.nodes[i]!.image }));
    return nodes;
  }

  /**
   * Where kind's create would fail on what the kubeadm configs of `config` say, before anything is
   * built: a patch that does not apply (the "Writing configuration" step), or a one-node cluster
   * whose patched taints leave out the control-plane taint kind then removes with `kubectl taint
   * nodes --all node-role.kubernetes.io/control-plane-` (kubectl: not found, exit 1).
   */
  kubeadmFailure(config: KindConfig): { readonly step: string; readonly error: string } | undefined {
    const nodes = this.plannedNodes(config).filter((n) => n.role !== 'external-load-balancer');
    let regs: NodeRegistration[];
    try {
      regs = nodes.map((n) => {
        kubeadmDocuments(config, kubeadmNode(config, n));
        return registration(config, n);
      });
    } catch (e) {
      if (!(e instanceof KubeadmPatchError)) throw e;
      return { step: 'Writing configuration 📜', error: `failed to generate kubeadm config content: ${e.message}` };
    }
    const taints = regs[0]?.taints;
    if (nodes.length === 1 && taints && !taints.some((t) => t.key === CONTROL_PLANE_TAINT)) {
      const cmd = `docker exec --privileged ${nodes[0]!.name} kubectl --kubeconfig=/etc/kubernetes/admin.conf taint nodes --all ${CONTROL_PLANE_TAINT}-`;
      return {
        step: 'Starting control-plane 🕹️',
        error: `failed to remove control plane taint: command "${cmd}" failed with error: exit status 1\nCommand Output: error: taint "${CONTROL_PLANE_TAINT}" not found`,
      };
    }
    return undefined;
  }

  /** Node container names as kind gives them: per role, the first without a suffix, then 2, 3, … */
  static nodeNames(config: KindConfig): { name: string; role: 'control-plane' | 'worker' }[] {
    const counts = new Map<string, number>();
    return config.nodes.map((n) => {
      const c = (counts.get(n.role) ?? 0) + 1;
      counts.set(n.role, c);
      return { name: `${config.name}-${n.role}${c > 1 ? c : ''}`, role: n.role };
    });
  }

  /** kubelet on a node: its pods' sandboxes through the CNI runtime; the images it knows run as programs (kindnetd, kube-proxy). */
  private startKubelet(kc: KindCluster, node: KindNode, previous?: readonly DeadSandbox[]): void {
    const { cluster } = kc;
    // the node's daemons' sockets, their holders looked up in the node's process table when ss asks
    const daemonContext = {
      nodeIp: node.info.ip,
      now: () => cluster.api.now(),
      pidOf: (comm: string) => node.processes?.list().find((p) => p.comm === comm)?.pid,
    };
    listenDaemonSockets(node.host, nodeDaemonSockets(containerdStreamPort(node.info.name)), daemonContext);
    const run: ContainerRunner = (pod, c, sandbox) => {
      const image = typeof c.image === 'string' ? c.image : '';
      if (image.startsWith('docker.io/kindest/kindnetd:')) {
        return startKindnet({
          node: node.info.name,
          api: cluster.api,
          host: node.host,
          files: node.files,
          clock: this.clock,
          podSubnet: kc.config.networking.podSubnet.split(',')[0]!,
        });
      }
      if (image.startsWith('registry.k8s.io/kube-proxy:')) {
        const sockets = listenDaemonSockets(node.host, kubeProxySockets(kubeProxyConfigText(cluster.api), node.info.ip), daemonContext);
        const proxy = startKubeProxy({
          node: node.info.name,
          api: cluster.api,
          host: node.host,
          clock: this.clock,
          event: (obj, type, reason, message) => cluster.events.record(obj, type, reason, message, 'kube-proxy', node.info.name),
        });
        return {
          stop: () => {
            for (const s of sockets) s.stop();
            proxy.stop();
          },
          ...(proxy.logs ? { logs: () => proxy.logs!() } : {}),
        };
      }
      if (
        image.startsWith(FLANNEL_IMAGE.slice(0, FLANNEL_IMAGE.indexOf(':') + 1)) &&
        (c.command as string[] | undefined)?.[0] === '/opt/bin/flanneld'
      ) {
        return startFlanneld({
          node: node.info.name,
          api: cluster.api,
          host: node.host,
          files: node.files,
          clock: this.clock,
          pod,
          container: c,
          rng: new Rng(`kind/${kc.name}/${node.info.name}/flanneld`),
          event: (obj, type, reason, message) => cluster.events.record(obj, type, reason, message, 'flanneld', node.info.name),
        });
      }
      if (c.image === COREDNS_IMAGE) {
        if (sandbox === undefined) return undefined;
        return startCoreDns({
          api: cluster.api,
          host: node.host,
          clock: this.clock,
          sandbox,
          rng: new Rng(`kind/${kc.name}/${pod.metadata.name}/coredns`),
        });
      }
      // a static pod's control-plane server: its sockets live as long as its container
      const cpSockets = controlPlaneSocketsFor(image, Array.isArray(c.command) ? c.command : [], node.info.ip);
      if (cpSockets && sandbox === undefined) {
        const sockets = listenDaemonSockets(node.host, cpSockets, daemonContext);
        return { stop: () => sockets.forEach((s) => s.stop()) };
      }
      return startWorkload(node.host, c, sandbox, (type, reason, message) =>
        cluster.events.record(pod, type, reason, message, 'kubelet', node.info.name),
      );
    };
    cluster.attachNodeAgent(node.info.name);
    node.kubelet = new Kubelet({
      node: node.info.name,
      nodeIp: node.info.ip,
      api: cluster.api,
      host: node.host,
      files: node.files,
      clock: this.clock,
      rng: new Rng(`kind/${kc.name}/${node.info.name}/kubelet`),
      event: (obj, type, reason, message) => cluster.events.record(obj, type, reason, message, 'kubelet', node.info.name),
      run,
      runInit: (pod, c) => runFlannelInit(cluster.api, node.files, pod, c),
      script: (pod, c, sandbox) => this.scripts?.(node, pod, c, sandbox),
      version: KUBERNETES_VERSION,
      ...(previous ? { previous } : {}),
    });
    const processes = new NodeProcesses({
      node: node.info.name,
      cluster: kc.name,
      ip: node.info.ip,
      labels: registration(kc.config, node.info).labels,
      index: kc.nodes.indexOf(node.info),
      now: () => cluster.api.now(),
    });
    node.processes = processes;
    node.kubelet.onSandboxStarted((pod, sandboxId, netns, containers, restarts) =>
      processes.sandboxStarted({ pod, sandboxId, netns, containers, restarts }),
    );
    node.kubelet.onTeardown((uid) => processes.sandboxStopped(uid));
  }

  /** Builds the cluster (everything kind's create actions leave behind). The caller has validated the config. */
  create(config: KindConfig, opts: { readonly apiServerPort?: number; readonly publishAddress?: string } = {}): KindCluster {
    if (this.clusters.has(config.name)) throw new Error(`node(s) already exist for a cluster with the name "${config.name}"`);
    const nodes = this.plannedNodes(config);
    for (let i = 0; i < nodes.length; i++) this.nextIp(); // take the planned addresses, in order
    const cluster = new Cluster({
      name: config.name,
      clock: this.clock,
      seed: `kind/${config.name}`,
      podSubnet: config.networking.podSubnet.split(',')[0]!,
      serviceSubnet: config.networking.serviceSubnet.split(',')[0]!,
    });
    const apiServerPort =
      opts.apiServerPort ?? (config.networking.apiServerPort > 0 ? config.networking.apiServerPort : this.rng.int(32768, 61000));
    const kc: KindCluster = {
      name: config.name,
      config,
      cluster,
      nodes,
      apiServerPort,
      publishAddress: opts.publishAddress ?? '127.0.0.1',
      createdSeq: this.seq++,
    };
    this.clusters.set(config.name, kc);
    for (const n of nodes) this.runNode(config, n);
    const k8sNodes = nodes.filter((n) => n.role !== 'external-load-balancer');
    const single = k8sNodes.length === 1;
    // kind's create actions in order: kubeadm init registers the first control plane (and kubeadm's
    // add-ons), kind installs the CNI, then the other nodes join, in config order. The first node is
    // Ready (kindnetd's conflist) before the others join, so CoreDNS lands on it as in kind.
    const join = (n: KindNodeInfo) => {
      cluster.store.createOwn(nodeObject(n, registration(config, n), single, cluster.store.timestamp()));
      cluster.settle();
      this.startKubelet(kc, this.nodes.get(n.name)!);
    };
    join(k8sNodes[0]!);
    cluster.setApiServerAddresses(k8sNodes.filter((n) => n.role === 'control-plane').map((n) => n.ip));
    const lb = nodes.find((n) => n.role === 'external-load-balancer');
    // kind's own objects, well-formed by construction (a test decodes them): not decoded against the schema again
    for (const o of addons(config, k8sNodes[0]!, lb?.name ?? k8sNodes[0]!.name)) cluster.store.createOwn(o);
    cluster.settle();
    for (const n of k8sNodes.slice(1)) join(n);
    cluster.settle();
    this.currentContext = `kind-${config.name}`;
    return kc;
  }

  /** Deletes a cluster's nodes; returns their names in `docker ps` order, or undefined when none existed. */
  delete(name: string): string[] | undefined {
    const kc = this.clusters.get(name);
    if (!kc) return undefined;
    this.clusters.delete(name);
    for (const n of kc.nodes) {
      this.usedIps.delete(parseIpv4(n.ip)!);
      const node = this.nodes.get(n.name);
      if (!node?.down) node?.kubelet?.stop();
      kc.cluster.detachNodeAgent(n.name);
      this.world.removeHost(n.name);
      this.kindNames.delete([n.name]);
      this.nodes.delete(n.name);
    }
    if (this.currentContext === `kind-${name}`) this.currentContext = undefined;
    return [...kc.nodes].reverse().map((n) => n.name);
  }
}

/** kubeadm's taint on a control plane, which kind removes from a one-node cluster (kubeadminit). */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';

/** A kind node as its kubeadm config knows it (its index in the config's nodes: its patches and labels). */
function kubeadmNode(config: KindConfig, n: { readonly name: string; readonly ip: string }): KubeadmNode {
  const names = nodeIndex(config);
  const index = names.get(n.name) ?? -1;
  return { name: n.name, role: config.nodes[index]?.role ?? 'worker', ip: n.ip, index };
}

/** Each node's index in the config by its name, made once per config: a node's setup asks several times, N² names for N nodes. */
const nodeIndexes = new WeakMap<KindConfig, Map<string, number>>();

function nodeIndex(config: KindConfig): ReadonlyMap<string, number> {
  let m = nodeIndexes.get(config);
  if (!m || m.size !== config.nodes.length) {
    m = new Map();
    for (const [i, x] of KindWorld.nodeNames(config).entries()) if (!m.has(x.name)) m.set(x.name, i);
    nodeIndexes.set(config, m);
  }
  return m;
}

/** The nodeRegistration kubeadm reads on this node: init's on the first node, join's on the others. */
export function registration(config: KindConfig, n: { readonly name: string; readonly ip: string }): NodeRegistration {
  const node = kubeadmNode(config, n);
  // kubeadm init runs on the first control plane
  return nodeRegistration(config, node, node.index === config.nodes.findIndex((x) => x.role === 'control-plane'));
}

/** kind's `k=v,…` strings (sorted by key) of the ClusterConfiguration it gives kubeadm, with the extraArgs of the node's patched one. */
function kubeadmCluster(config: KindConfig, node: KubeadmNode) {
  const gates = sortedJoin(config.featureGates);
  return {
    clusterName: config.name,
    podSubnet: config.networking.podSubnet,
    serviceSubnet: config.networking.serviceSubnet,
    runtimeConfig: sortedJoin(config.runtimeConfig),
    ...(gates ? { featureGates: gates } : {}),
    extraArgs: componentArgs(documentOf(kubeadmDocuments(config, node), 'ClusterConfiguration')),
  };
}

/**
 * The Node a kubelet registers for a kind node (kubeadm's labels, the --node-labels and --provider-id
 * of its kubeletExtraArgs, NotReady), tainted as kubeadm does (nodeRegistration.taints, or the
 * control-plane taint on a control plane) less what kind removes from a one-node cluster.
 */
function nodeObject(n: KindNodeInfo, reg: NodeRegistration, single: boolean, now: string): KubeObject {
  const cp = n.role === 'control-plane';
  const taints = (reg.taints ?? (cp ? [{ key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' }] : [])).filter(
    (t) => !single || t.key !== CONTROL_PLANE_TAINT,
  );
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...(cp && !single ? { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
        ...reg.labels,
      },
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      ...(reg.providerID ? { providerID: reg.providerID } : {}),
      ...(taints.length ? { taints } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'False', 'KubeletNotReady', NOT_READY_MESSAGE),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'containerd://2.3.1',
        kernelVersion: '',
        kubeProxyVersion: '',
        kubeletVersion: KUBERNETES_VERSION,
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 13 (trixie)',
        systemUUID: '',
      },
    },
  };
}
