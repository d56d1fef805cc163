// A Kubernetes cluster's control plane as one value: the API server's store, the controllers of
// kube-controller-manager and the scheduler, all on the lab's virtual clock. Runtime-neutral.
// Controllers react to watches by queueing work as zero-delay events; settle() runs them to
// quiescence at the current virtual instant (after each kubectl command, say), so `kubectl create
// deployment` followed by `kubectl get pods` sees the pods.
import { type ApiClient, type KubeObject, type ObjectStore, type ServiceAllocators, startApiServer } from '../api/index.js';
import { Rng, type Scheduler } from '../sim/index.js';
import { DaemonSetController } from './daemonset.js';
import { DeploymentController } from './deployment.js';
import { EndpointsController } from './endpoints.js';
import { EventRecorder } from './events.js';
import { GarbageCollector } from './gc.js';
import { JobController } from './job.js';
import { PodTerminator } from './kubeletless.js';
import { NamespaceController } from './namespaces.js';
import { NodeIpam } from './nodeipam.js';
import { NodeLifecycle } from './nodelifecycle.js';
import { ReplicaSetController } from './replicaset.js';
import { DefaultScheduler } from './scheduler.js';
import { StatefulSetController } from './statefulset.js';
import { TaintEviction } from './taint-eviction.js';

/** The clock a cluster runs on: the lab's event queue. */
export interface ClusterClock extends Scheduler {
  runDue(): void;
}

export interface ClusterOptions {
  name: string;
  clock: ClusterClock;
  /** Seeds every random choice (uids, names, IPs, scheduling ties). Default: the name. */
  seed?: string | number;
  /** kind's `networking.podSubnet`, kube-controller-manager's --cluster-cidr. */
  podSubnet?: string;
  /** kcm's --node-cidr-mask-size (kubeadm sets none: /24). */
  nodeCidrMaskSize?: number;
  serviceSubnet?: string;
  nodePortRange?: string;
  /** Wall-clock milliseconds at virtual time 0. */
  epochMs?: number;
}

export class Cluster {
  readonly name: string;
  readonly store: ObjectStore;
  readonly services: ServiceAllocators;
  readonly events: EventRecorder;
  readonly podSubnet: string;
  readonly serviceSubnet: string;
  private readonly clock: ClusterClock;
  private agents = new Set<string>();

  constructor(opts: ClusterOptions) {
    this.name = opts.name;
    this.clock = opts.clock;
    this.podSubnet = opts.podSubnet ?? '10.244.0.0/16';
    this.serviceSubnet = opts.serviceSubnet ?? '10.96.0.0/16';
    const rng = new Rng(opts.seed ?? opts.name);
    const { store, services } = startApiServer({
      clock: opts.clock,
      rng,
      serviceCIDR: this.serviceSubnet,
      nodePortRange: opts.nodePortRange ?? '30000-32767',
      ...(opts.epochMs !== undefined ? { epochMs: opts.epochMs } : {}),
    });
    this.store = store;
    this.services = services;
    this.events = new EventRecorder(store);
    const ca = `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...rng.bytes(48)))}\n-----END CERTIFICATE-----\n`;
    new NamespaceController(store, opts.clock, ca);
    new NodeLifecycle(store, opts.clock, this.events);
    new TaintEviction(store, opts.clock, this.events);
    new NodeIpam(store, this.podSubnet, opts.nodeCidrMaskSize ?? 24, this.events);
    new DefaultScheduler(store, opts.clock, rng, this.events);
    new DeploymentController(store, opts.clock, this.events);
    new ReplicaSetController(store, opts.clock, this.events);
    new DaemonSetController(store, opts.clock, this.events);
    new StatefulSetController(store, opts.clock, this.events);
    new JobController(store, opts.clock, this.events);
    new EndpointsController(store, opts.clock);
    new GarbageCollector(store, opts.clock);
    new PodTerminator(store, opts.clock, (n) => this.agents.has(n));
    this.settle();
  }

  /** The API as kubectl and components use it. */
  get api(): ApiClient {
    return this.store;
  }

  /** Runs every controller to quiescence at the current virtual instant. */
  settle(): void {
    this.clock.runDue();
  }

  /** A node agent (kubelet) now owns pods on `node`: their termination is its business. */
  attachNodeAgent(node: string): void {
    this.agents.add(node);
  }

  detachNodeAgent(node: string): void {
    this.agents.delete(node);
  }

  /**
   * The API server's own endpoints: Endpoints and EndpointSlice `kubernetes` in `default`, port
   * `https` 6443 on the control-plane addresses (what kube-apiserver's endpoint reconciler writes).
   */
  setApiServerAddresses(ips: readonly string[]): void {
    const s = this.store;
    const svc = s.get('services', 'default', 'kubernetes');
    const ep: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
    };
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    };
    void svc;
    for (const [resource, obj] of [
      ['endpoints', ep],
      ['endpointslices', slice],
    ] as const) {
      const cur = s.find(resource, 'default', 'kubernetes');
      if (cur) s.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: cur.metadata.resourceVersion } });
      else s.create(obj);
    }
    this.settle();
  }
}
