// A node's kubelet with containerd's CRI behind it: for each pod bound to the node it makes the pause
// sandbox (a network namespace with the pod's hostname), runs the CNI ADD, starts the containers and
// writes the pod's status; on deletion it runs CNI DEL, removes the sandbox and ends the pod's
// graceful deletion. A failed sandbox gives kubelet's FailedCreatePodSandBox event with containerd's
// text and is retried with back-off on the lab clock. The node is Ready only while a CNI config exists.
import { ApiError, type ApiClient, type KubeObject } from '../api/index.js';
import { CniRuntime, type NetConfList } from '../cni/index.js';
import type { HostNetwork } from '../host/index.js';
import { agentStep, type NodeFiles, type Rng, type Scheduler } from '../sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** kubelet's Ready message while the runtime's network is not ready (no CNI config). */
export const NETWORK_NOT_READY = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** What a container's image does once started (kindnetd, a web server…); stop() ends it. */
export interface ContainerProgram {
  stop(): void;
  /** What it has written so far, stdout and stderr as written (`kubectl logs`). */
  logs?(): string;
}

/**
 * Starts the program of `container` of `pod` in the pod's sandbox (`sandbox`: its network
 * namespace on the node; undefined for a hostNetwork pod), or undefined for an image that only sleeps.
 */
export type ContainerRunner = (pod: KubeObject, container: Obj, sandbox: string | undefined) => ContainerProgram | undefined;

/** A container the kubelet runs, as exec and logs reach it (the CRI's view). */
export interface RunningContainer {
  readonly name: string;
  readonly image: string;
  /** The pod's network namespace on the node; undefined for a hostNetwork pod (the node's own). */
  readonly netns: string | undefined;
  readonly program: ContainerProgram | undefined;
}

export interface KubeletOptions {
  readonly node: string;
  readonly nodeIp: string;
  readonly api: ApiClient;
  readonly host: HostNetwork;
  readonly files: NodeFiles;
  readonly clock: Scheduler;
  /** Seeds sandbox and container ids, veth names. */
  readonly rng: Rng;
  /** Records an event about `obj` from `kubelet` on this node. */
  readonly event: (obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  readonly run?: ContainerRunner;
  /** Runs an init container to completion (its effects on the node are done when it returns); undefined: an image that only exits 0. */
  readonly runInit?: (pod: KubeObject, container: Obj) => { readonly exitCode: number; readonly stderr: string } | undefined;
}

interface RunningPod {
  readonly uid: string;
  readonly sandboxId: string;
  /** undefined for a hostNetwork pod. */
  readonly netns: string | undefined;
  readonly net: NetConfList | undefined;
  readonly programs: ContainerProgram[];
  readonly containers: readonly RunningContainer[];
}

/** get() that answers undefined for an object that is gone (a list per lookup made a node's pods cost quadratic time). */
function find(api: ApiClient, resource: string, ns: string | undefined, name: string): KubeObject | undefined {
  try {
    return api.get(resource, ns, name);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return undefined;
    throw e;
  }
}

/** go-cni's loopback network (WithLoNetwork), which containerd attaches to every sandbox. */
const LOOPBACK: NetConfList = { cniVersion: '0.3.1', name: 'cni-loopback', plugins: [{ type: 'loopback' }], file: '' };

const BACKOFF_MS = [10_000, 20_000, 40_000, 80_000, 160_000, 300_000];
const NODE_STATUS_MS = 10_000;

export class Kubelet {
  readonly cni: CniRuntime;
  private readonly pods = new Map<string, RunningPod>();
  private readonly failures = new Map<string, number>();
  private readonly queued = new Set<string>();
  private readonly unwatch: () => void;
  private stopped = false;
  private ready: boolean | undefined;
  private readonly teardown: ((uid: string) => void)[] = [];

  constructor(private readonly o: KubeletOptions) {
    this.cni = new CniRuntime(o.host, o.files, o.rng);
    this.unwatch = o.api.watch('pods', undefined, {}, (e) => {
      const p = e.object;
      if ((p.spec as Obj | undefined)?.nodeName === o.node) this.enqueue(`${p.metadata.namespace}/${p.metadata.name}`, 0);
    });
    this.syncNodeStatus();
    const tick = () => {
      if (this.stopped) return;
      agentStep(o.clock, () => this.stopped || this.syncNodeStatus());
      o.clock.schedule(NODE_STATUS_MS, tick);
    };
    o.clock.schedule(NODE_STATUS_MS, tick);
  }

  /** The kubelet stops (the node container went away): no more syncs. */
  stop(): void {
    this.stopped = true;
    this.unwatch();
    for (const p of this.pods.values()) for (const prog of p.programs) prog.stop();
  }

  /** Calls `fn` with a pod's uid once its sandbox and containers are torn down (the runtime frees their files). */
  onTeardown(fn: (uid: string) => void): void {
    this.teardown.push(fn);
  }

  /** The running container `container` of pod `ns/name` on this node, or undefined when it does not run here (yet). */
  container(ns: string, name: string, container: string): RunningContainer | undefined {
    return this.pods.get(`${ns}/${name}`)?.containers.find((c) => c.name === container);
  }

  private enqueue(key: string, delay: number): void {
    if (this.queued.has(key) && delay === 0) return;
    this.queued.add(key);
    this.o.clock.schedule(delay, () =>
      agentStep(this.o.clock, () => {
        this.queued.delete(key);
        if (!this.stopped) this.syncPod(key);
      }),
    );
  }

  /** The Ready condition follows the runtime's network readiness (a CNI config in /etc/cni/net.d). */
  syncNodeStatus(): void {
    const ready = this.cni.config() !== undefined;
    if (ready === this.ready) return;
    const node = find(this.o.api, 'nodes', undefined, this.o.node);
    if (!node) return;
    this.ready = ready;
    const now = new Date(this.o.api.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = ((node.status as Obj).conditions as Obj[]).map((c) =>
      c.type !== 'Ready' ? c
      : ready ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }
      : { ...c, status: 'False', reason: 'KubeletNotReady', message: NETWORK_NOT_READY, lastHeartbeatTime: now, lastTransitionTime: now },
    );
    this.o.api.updateStatus({ ...node, status: { ...(node.status as Obj), conditions } });
    if (ready) this.o.event(node, 'Normal', 'NodeReady', `Node ${this.o.node} status is now: NodeReady`);
    // pods waiting for the network try again now
    if (ready) for (const p of this.o.api.list('pods').items) if ((p.spec as Obj).nodeName === this.o.node && !this.pods.has(`${p.metadata.namespace}/${p.metadata.name}`)) this.enqueue(`${p.metadata.namespace}/${p.metadata.name}`, 0);
  }

  private hex(n: number): string {
    return [...this.o.rng.bytes(n)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  private syncPod(key: string): void {
    const [ns, name] = key.split('/') as [string, string];
    const pod = find(this.o.api, 'pods', ns, name);
    const running = this.pods.get(key);
    if (running && (!pod || pod.metadata.uid !== running.uid || pod.metadata.deletionTimestamp)) this.killPod(key, running);
    if (!pod || (pod.spec as Obj).nodeName !== this.o.node) {
      this.failures.delete(key);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      this.o.api.delete('pods', ns, name, { gracePeriodSeconds: 0 });
      return;
    }
    if (this.pods.has(key)) return;
    this.startPod(key, pod);
  }

  private killPod(key: string, p: RunningPod): void {
    for (const prog of p.programs) prog.stop();
    if (p.netns !== undefined) {
      if (p.net) {
        try {
          this.cni.del(p.net, { containerId: p.sandboxId, netns: p.netns, ifName: 'eth0' });
        } catch {
          // containerd logs and carries on removing the sandbox
        }
      }
      this.o.host.sandboxDel(p.netns);
    }
    this.pods.delete(key);
    for (const fn of this.teardown) fn(p.uid);
  }

  private startPod(key: string, pod: KubeObject): void {
    const spec = pod.spec as Obj;
    const hostNetwork = spec.hostNetwork === true;
    const sandboxId = this.hex(32);
    let podIp = this.o.nodeIp;
    let netns: string | undefined;
    let net: NetConfList | undefined;
    if (!hostNetwork) {
      net = this.cni.config();
      if (!net) {
        this.o.event(pod, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`);
        this.pending(pod);
        return; // retried when the node turns Ready
      }
      const u = this.hex(16);
      netns = `cni-${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20, 32)}`;
      this.o.host.sandboxAdd(netns, { hostname: pod.metadata.name! });
      try {
        // containerd's go-cni attaches its loopback network first (lo up, 127.0.0.1), then the configured one.
        this.cni.add(LOOPBACK, { containerId: sandboxId, netns, ifName: 'lo' });
        const result = this.cni.add(net, { containerId: sandboxId, netns, ifName: 'eth0' });
        podIp = result.ips?.[0]?.address.split('/')[0] ?? podIp;
      } catch (e) {
        this.o.host.sandboxDel(netns);
        const n = this.failures.get(key) ?? 0;
        this.failures.set(key, n + 1);
        const msg = e instanceof Error ? e.message : String(e);
        this.o.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId}": ${msg}`);
        this.pending(pod);
        this.enqueue(key, BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)]!);
        return;
      }
    }
    const started = new Date(this.o.api.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // init containers, in order, each to completion before the next (a failure is retried with back-off)
    const initStatuses: Obj[] = [];
    for (const c of (spec.initContainers ?? []) as Obj[]) {
      const r = this.o.runInit?.(pod, c) ?? { exitCode: 0, stderr: '' };
      const containerID = `containerd://${this.hex(32)}`;
      if (r.exitCode !== 0) {
        if (netns !== undefined) {
          try {
            if (net) this.cni.del(net, { containerId: sandboxId, netns, ifName: 'eth0' });
          } catch {
            // as containerd: logged, the sandbox goes anyway
          }
          this.o.host.sandboxDel(netns);
        }
        const n = this.failures.get(key) ?? 0;
        this.failures.set(key, n + 1);
        this.o.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid}): ${r.stderr.trim()}`);
        this.pending(pod);
        this.enqueue(key, BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)]!);
        return;
      }
      initStatuses.push({ name: c.name, image: c.image, imageID: '', containerID, ready: true, restartCount: 0, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started, containerID } } });
    }
    this.failures.delete(key);
    const programs: ContainerProgram[] = [];
    const running: RunningContainer[] = [];
    const containers = (spec.containers as Obj[]).map((c) => {
      const prog = this.o.run?.(pod, c, netns);
      if (prog) programs.push(prog);
      running.push({ name: c.name, image: c.image, netns, program: prog });
      return {
        name: c.name, image: c.image, imageID: '', containerID: `containerd://${this.hex(32)}`,
        ready: true, restartCount: 0, started: true, state: { running: { startedAt: started } },
      };
    });
    this.pods.set(key, { uid: pod.metadata.uid!, sandboxId, netns, net, programs, containers: running });
    // a CNI agent may have written its config (after its own step, which runs first)
    if (programs.length) this.o.clock.schedule(0, () => agentStep(this.o.clock, () => this.stopped || this.syncNodeStatus()));
    const cur = this.o.api.get('pods', pod.metadata.namespace, pod.metadata.name!);
    const status = cur.status as Obj;
    const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started });
    const scheduled = ((status.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled');
    this.o.api.updateStatus({
      ...cur,
      status: {
        ...status,
        phase: 'Running',
        conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), scheduled],
        hostIP: this.o.nodeIp, hostIPs: [{ ip: this.o.nodeIp }],
        podIP: podIp, podIPs: [{ ip: podIp }],
        startTime: status.startTime ?? started,
        containerStatuses: containers,
        ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      },
    });
  }

  /** A pod whose sandbox is not up: Pending, its containers waiting in ContainerCreating. */
  private pending(pod: KubeObject): void {
    const cur = this.o.api.get('pods', pod.metadata.namespace, pod.metadata.name!);
    const status = cur.status as Obj;
    if (status.containerStatuses) return;
    const now = new Date(this.o.api.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.o.api.updateStatus({
      ...cur,
      status: {
        ...status, phase: 'Pending', hostIP: this.o.nodeIp, hostIPs: [{ ip: this.o.nodeIp }], startTime: status.startTime ?? now,
        containerStatuses: ((pod.spec as Obj).containers as Obj[]).map((c) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } } })),
      },
    });
  }
}
