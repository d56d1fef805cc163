// A node's kubelet with containerd's CRI behind it: for each pod bound to the node it makes the pause
// sandbox (a network namespace with the pod's hostname), runs the CNI ADD, starts the containers and
// writes the pod's status; on deletion it runs CNI DEL, removes the sandbox and ends the pod's
// graceful deletion. A failed sandbox gives kubelet's FailedCreatePodSandBox event with containerd's
// text and is retried with back-off on the lab clock. The node is Ready only while a CNI config exists.
// Its heartbeat is the node's Lease in kube-node-lease, renewed every 10 s. A kubelet started after
// its node container restarted finds the sandboxes containerd remembers dead: it tears their network
// down (CNI DEL, which frees their addresses) and makes each pod a new sandbox, its containers restarted.
import { ApiError, trueCondition, type ApiClient, type KubeObject } from '../api/index.js';
import { CniRuntime, type NetConfList } from '../cni/index.js';
import type { HostNetwork } from '../host/index.js';
import { agentStep, type NodeFiles, type Rng, type Scheduler } from '../sim/index.js';
import { startKubeletIptables } from './kubelet-iptables.js';
import { ContainerProber } from './prober.js';
import { serviceVarsAtStart, type ServiceVars } from './container-env.js';
import { CONFIG_MIRROR, mirrorOf, StaticPodSource } from './static-pods.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** kubelet's Ready message while the runtime's network is not ready (no CNI config). */
export const NETWORK_NOT_READY =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** What a container's image does once started (kindnetd, a web server…); stop() ends it. */
export interface ContainerProgram {
  stop(): void;
  /** What it has written so far, stdout and stderr as written (`kubectl logs`). */
  logs?(): string;
  /** Set when the program ended as soon as it started, with this status (a bare shell with no stdin, a bad flag). */
  readonly exitCode?: number;
  /** For a program that ends later (a script): `fn` hears its exit status once. */
  onExit?(fn: (exitCode: number) => void): void;
}

/**
 * Starts the program of `container` of `pod` in the pod's sandbox (`sandbox`: its network
 * namespace on the node; undefined for a hostNetwork pod), or undefined for an image that only sleeps.
 */
export type ContainerRunner = (pod: KubeObject, container: Obj, sandbox: string | undefined) => ContainerProgram | undefined;

/** A container the kubelet runs, as exec and logs reach it (the CRI's view). */
export interface RunningContainer {
  /** containerd's container id (64 hex digits). */
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** The pod's network namespace on the node; undefined for a hostNetwork pod (the node's own). */
  readonly netns: string | undefined;
  readonly program: ContainerProgram | undefined;
  /** The Service variables of its environment, as they were when it started (container-env.ts; shared, not copied). */
  readonly serviceVars: ServiceVars;
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
  /** A container whose program is a script or a plain command of its image (node/script.ts), run in virtual time; undefined: not one. */
  readonly script?: ContainerRunner;
  /** Runs an init container to completion (its effects on the node are done when it returns); undefined: an image that only exits 0. */
  readonly runInit?: (pod: KubeObject, container: Obj) => { readonly exitCode: number; readonly stderr: string } | undefined;
  /** The sandboxes of the kubelet that ran before the node container restarted (containerd's records of them). */
  readonly previous?: readonly DeadSandbox[];
  /** The kubelet's version (`v1.36.1`): its probes' User-Agent is kube-probe/MAJOR.MINOR. */
  readonly version?: string;
}

/** A sandbox containerd still has a record of after its node restarted, its processes and netns gone. */
export interface DeadSandbox {
  readonly key: string;
  readonly uid: string;
  readonly sandboxId: string;
  readonly netns: string | undefined;
  readonly net: NetConfList | undefined;
  /** The capability arguments ADD was given (DEL gets the same). */
  readonly capabilityArgs?: Readonly<Record<string, unknown>>;
  /** Each container's restart count so far; a container not in it has none. */
  readonly restarts: ReadonlyMap<string, number>;
}

/** The restart counts of a pod none of whose containers restarted (most pods): one empty map for all. */
const NO_RESTARTS: ReadonlyMap<string, number> = new Map();
/** The CNI runtime arguments of a pod without host ports (most pods), shared. */
const NO_CAPABILITY_ARGS: Readonly<Record<string, unknown>> = Object.freeze({});

/** A pod's sandbox and containers began to run: its sandbox id, network namespace (none for hostNetwork), containers and their restart counts. */
export type SandboxStartedHook = (
  pod: KubeObject,
  sandboxId: string,
  netns: string | undefined,
  containers: readonly RunningContainer[],
  restarts: ReadonlyMap<string, number>,
) => void;

interface RunningPod extends DeadSandbox {
  readonly programs: ContainerProgram[];
  readonly containers: readonly RunningContainer[];
  /** Its init containers that ran as scripts, running or ended (their logs stay readable). */
  readonly inits?: readonly RunningContainer[];
  /** Each container's probes, by container name: NO_PROBERS (shared, never written) until a container has one. */
  probers: Map<string, ContainerProber>;
}

/** The probers of every pod without probes (most pods): one empty map instead of one per pod. */
const NO_PROBERS: ReadonlyMap<string, ContainerProber> = new Map();

/** A pod's sandbox while its init containers run: what starting its app containers needs. */
interface Sandbox {
  readonly key: string;
  readonly pod: KubeObject;
  readonly restarted: DeadSandbox | undefined;
  readonly sandboxId: string;
  readonly netns: string | undefined;
  readonly net: NetConfList | undefined;
  readonly capabilityArgs: Record<string, unknown>;
  readonly podIp: string;
  /** When the sandbox was made (the pod's startTime). */
  readonly started: string;
}

/** A container's status before it runs: waiting for `reason` (ContainerCreating, PodInitializing). */
function waitingStatus(c: Obj, reason: string): Obj {
  return { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason } } };
}

/** A pod that ran to its end (restartPolicy Never): the kubelet starts nothing more for it. */
function finished(pod: KubeObject): boolean {
  const phase = (pod.status as Obj | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
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

/** A pod as the kubelet runs it: a mirror pod under its static pod's uid (the config hash; writes keep the stored uid). */
function asRun(pod: KubeObject | undefined): KubeObject | undefined {
  const hash = pod && mirrorOf(pod);
  return hash === undefined ? pod : { ...pod!, metadata: { ...pod!.metadata, uid: hash } };
}

/**
 * containerd's CRI: the pod's container ports with a hostPort as go-cni port mappings (protocol in
 * lower case), handed to plugins declaring the portMappings capability (toCNIPortMappings).
 */
function portMappings(pod: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown>[] = [];
  for (const c of ((pod.spec as Obj).containers ?? []) as Obj[]) {
    for (const p of (c.ports ?? []) as Obj[]) {
      if (!(Number(p.hostPort) > 0)) continue;
      out.push({
        hostPort: p.hostPort,
        containerPort: p.containerPort,
        protocol: String(p.protocol ?? 'TCP').toLowerCase(),
        ...(p.hostIP ? { hostIP: p.hostIP } : {}),
      });
    }
  }
  return out.length ? { portMappings: out } : (NO_CAPABILITY_ARGS as Record<string, unknown>);
}

/** go-cni's loopback network (WithLoNetwork), which containerd attaches to every sandbox. */
const LOOPBACK: NetConfList = { cniVersion: '0.3.1', name: 'cni-loopback', plugins: [{ type: 'loopback' }], file: '' };

const BACKOFF_MS = [10_000, 20_000, 40_000, 80_000, 160_000, 300_000];
/** kubelet.go's container restart back-off: 10 s, doubling, at most MaxContainerBackOff (5 min). */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** How soon after a container exits the kubelet's next sync sees it (PLEG's relist period). */
const SYNC_AFTER_EXIT_MS = 1_000;

/** A container's run as it ended: from its start (or now, when its status lost it), the exit code and containerd's reason. */
function ended(cs: Obj, exitCode: number, finishedAt: string): Obj {
  return {
    exitCode,
    reason: exitCode === 0 ? 'Completed' : 'Error',
    startedAt: cs.state?.running?.startedAt ?? finishedAt,
    finishedAt,
    containerID: cs.containerID,
  };
}

/** Go's time.Duration String() for whole seconds: `10s`, `1m20s`, `5m0s`. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}
/** nodeStatusUpdateFrequency, and the Lease's renew interval (a quarter of its 40 s duration). */
const NODE_STATUS_MS = 10_000;
const LEASE_DURATION_S = 40;

/** The conditions the kubelet reports, healthy, as setters.go words them (Ready is set apart). */
const HEALTHY_CONDITIONS: readonly (readonly [string, string, string])[] = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

/** The node conditions the kubelet posts, by type (status, reason, message), with the network ready or not: made once, read at every pod start. */
function wantConditions(ready: boolean): ReadonlyMap<string, readonly [string, string, string]> {
  return new Map<string, readonly [string, string, string]>([
    ...HEALTHY_CONDITIONS.map((c) => [c[0], ['False', c[1], c[2]]] as const),
    ['Ready', ready ? ['True', 'KubeletReady', 'kubelet is posting ready status'] : ['False', 'KubeletNotReady', NETWORK_NOT_READY]],
  ]);
}
const WANT_READY = wantConditions(true);
const WANT_NOT_READY = wantConditions(false);

/** The pod's Ready and ContainersReady conditions for its containers' statuses (status_manager's generators). */
function readiness(containers: readonly Obj[], at: string): Obj[] {
  const unready = containers.filter((cs) => cs.ready !== true).map((cs) => cs.name as string);
  const ok = unready.length === 0;
  const cond = (type: string) =>
    ok
      ? trueCondition(type, at)
      : {
          type,
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: at,
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${unready.join(' ')}]`,
        };
  return [cond('Ready'), cond('ContainersReady')];
}

/** A container state `running` since `at`, frozen and shared as trueCondition()'s are. */
function runningSince(at: string): Obj {
  if (sharedRunning.running.startedAt !== at) sharedRunning = Object.freeze({ running: Object.freeze({ startedAt: at }) });
  return sharedRunning;
}
let sharedRunning: { readonly running: { readonly startedAt: string } } = { running: { startedAt: '' } };
/** The lastState of a container that has not run before. */
const NO_LAST_STATE: Obj = Object.freeze({});

/** metav1.Time (seconds) and metav1.MicroTime (microseconds) of a virtual instant. */
let timeSecond = NaN;
let timeText = '';
const time = (ms: number) => {
  // pods start by the hundred within one virtual second: the text is made once per second
  const second = Math.floor(ms / 1000);
  if (second !== timeSecond) {
    timeSecond = second;
    timeText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
  }
  return timeText;
};
const microTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

export class Kubelet {
  readonly cni: CniRuntime;
  /** status.hostIPs of every pod it runs (frozen, so the store keeps it as it is). */
  private readonly hostIPs: readonly Obj[];
  private readonly pods = new Map<string, RunningPod>();
  private readonly failures = new Map<string, number>();
  private readonly queued = new Set<string>();
  private readonly unwatch: () => void;
  private stopped = false;
  private frozen = false;
  /** Pods whose sync fell due while the kubelet was frozen. */
  private readonly thawed: string[] = [];
  private readonly teardown: ((uid: string) => void)[] = [];
  private readonly startedHooks: SandboxStartedHook[] = [];
  /** Sandboxes of the kubelet before the node restarted, by pod key, until each pod has a new one. */
  private readonly dead = new Map<string, DeadSandbox>();
  /** Each crashed container's next back-off (pod key/container), as the kubelet's backOff keeps it. */
  private readonly backoff = new Map<string, number>();
  /** The file source of static pods (staticPodPath of the kubelet's config), if it names one. */
  private readonly statics: StaticPodSource | undefined;
  /** Each mirror pod's last status, which the status manager writes again to a mirror pod made anew. */
  private readonly mirrorStatus = new Map<string, Obj>();
  /** What the kubelet has logged (journald's kubelet unit; journalctl is not emulated). */
  private readonly logLines: string[] = [];
  /** The Running status startContainers is writing, stored as it is (its own watch event needs no sync). */
  private writingRunning: unknown;

  constructor(private readonly o: KubeletOptions) {
    this.hostIPs = Object.freeze([Object.freeze({ ip: o.nodeIp })]);
    this.cni = new CniRuntime(o.host, o.files, o.rng);
    // Run's initNetworkUtil: the kubelet's iptables chains, before any pod's sandbox
    startKubeletIptables(o.host, o.clock, () => this.stopped);
    for (const d of o.previous ?? []) this.dead.set(d.key, d);
    // the kubelet's pod source watches the pods bound to its node (fieldSelector spec.nodeName=NODE)
    this.unwatch = o.api.watch('pods', undefined, { fieldSelector: `spec.nodeName=${o.node}` }, (e) => {
      const p = e.object;
      if ((p.spec as Obj | undefined)?.nodeName !== o.node) return;
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      if (mirrorOf(p) !== undefined && (p.status as Obj | undefined)?.phase !== 'Pending') this.mirrorStatus.set(key, p.status as Obj);
      // the Running status this kubelet is writing (that very status object): a sync would find the pod as it left it
      if (e.type === 'MODIFIED' && this.writingRunning !== undefined && p.status === this.writingRunning) return;
      this.enqueue(key, 0);
    });
    this.statics = StaticPodSource.fromConfig(
      o.files,
      o.node,
      () => o.api.now(),
      (line) => this.logLines.push(line),
    );
    if (this.statics) {
      const statics = this.statics;
      const relist = () => {
        if (this.stopped) return;
        agentStep(o.clock, () => {
          if (!this.stopped && !this.frozen) for (const key of statics.relist()) this.enqueue(key, 0);
        });
        o.clock.schedule(statics.periodMs, relist);
      };
      relist();
    }
    this.renewLease();
    this.syncNodeStatus();
    // containerd's sandboxes of before the restart, and pods bound here while the node was down
    for (const p of o.api.list('pods', undefined, { fieldSelector: `spec.nodeName=${o.node}` }).items)
      this.enqueue(`${p.metadata.namespace}/${p.metadata.name}`, 0);
    const tick = () => {
      if (this.stopped) return;
      agentStep(o.clock, () => {
        if (this.stopped || this.frozen) return;
        this.renewLease();
        this.syncNodeStatus();
      });
      o.clock.schedule(NODE_STATUS_MS, tick);
    };
    o.clock.schedule(NODE_STATUS_MS, tick);
  }

  /** The kubelet stops (the node container went away): no more syncs, no more heartbeats. */
  stop(): void {
    this.stopped = true;
    this.unwatch();
    for (const p of this.pods.values()) {
      for (const prober of p.probers.values()) prober.stop();
      for (const prog of p.programs) prog.stop();
    }
  }

  /**
   * docker pause of the node: the kubelet's process is frozen, so its heartbeats and pod syncs wait
   * until it is thawed. (Coarse: the pods' own programs keep answering; a frozen server would not.)
   */
  freeze(frozen: boolean): void {
    this.frozen = frozen;
    if (frozen) return;
    for (const key of this.thawed.splice(0)) this.enqueue(key, 0);
    this.renewLease();
    this.syncNodeStatus();
    this.reassertReady();
  }

  /** The status manager's sync: a running pod the node controller marked not Ready (while the node was silent) is Ready again. */
  private reassertReady(): void {
    const now = time(this.o.api.now());
    for (const key of this.pods.keys()) {
      const [ns, name] = key.split('/') as [string, string];
      const pod = find(this.o.api, 'pods', ns, name);
      const status = pod?.status as Obj | undefined;
      const conditions = (status?.conditions ?? []) as Obj[];
      if (!pod || finished(pod) || !conditions.some((c) => c.type === 'Ready' && c.status !== 'True')) continue;
      this.o.api.updateStatus({
        ...pod,
        status: {
          ...status,
          conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'True', lastTransitionTime: now } : c)),
        },
      });
    }
  }

  /**
   * A container's main process ended with `exitCode` (a session attached to its shell closed). Under
   * restartPolicy Never it stays terminated (Completed, or Error with its code); once every container
   * has, the pod is Succeeded (all 0) or Failed, not Ready (PodCompleted). Coarse: the sandbox and its
   * network stay until the pod is deleted (the kubelet would stop the sandbox); other restart
   * policies are not emulated here (the container keeps running).
   */
  containerExited(ns: string, name: string, container: string, exitCode: number): void {
    const key = `${ns}/${name}`;
    const p = this.pods.get(key);
    const pod = asRun(find(this.o.api, 'pods', ns, name));
    if (!p || !pod || pod.metadata.uid !== p.uid) return;
    if (((pod.spec as Obj).ephemeralContainers ?? []).some((c: Obj) => c.name === container))
      return this.ephemeralContainerExited(p, pod, container, exitCode);
    const policy = (pod.spec as Obj).restartPolicy ?? 'Always';
    if (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0)) return this.crashed(key, pod, container, exitCode);
    if (policy !== 'Never' && policy !== 'OnFailure') return;
    p.containers.find((c) => c.name === container)?.program?.stop();
    const now = time(this.o.api.now());
    const status = pod.status as Obj;
    const statuses = ((status.containerStatuses ?? []) as Obj[]).map((cs) =>
      cs.name !== container || !cs.state?.running
        ? cs
        : {
            ...cs,
            ready: false,
            started: false,
            state: { terminated: ended(cs, exitCode, now) },
          },
    );
    const done = statuses.every((cs) => cs.state?.terminated);
    const notReady = (c: Obj) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? {
            ...c,
            status: 'False',
            lastTransitionTime: now,
            reason: done ? 'PodCompleted' : 'ContainersNotReady',
            ...(done ? {} : { message: `containers with unready status: [${container}]` }),
          }
        : c;
    this.o.api.updateStatus({
      ...pod,
      status: {
        ...status,
        ...(done ? { phase: statuses.every((cs) => cs.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed' } : {}),
        conditions: ((status.conditions ?? []) as Obj[]).map(notReady),
        containerStatuses: statuses,
      },
    });
  }

  /** An ephemeral container's process ended: it stays terminated (the pod and its other containers go on). */
  private ephemeralContainerExited(p: RunningPod, pod: KubeObject, container: string, exitCode: number): void {
    p.containers.find((c) => c.name === container)?.program?.stop();
    const finishedAt = time(this.o.api.now());
    const status = pod.status as Obj;
    const statuses = ((status.ephemeralContainerStatuses ?? []) as Obj[]).map((cs) =>
      cs.name !== container || !cs.state?.running ? cs : { ...cs, state: { terminated: ended(cs, exitCode, finishedAt) } },
    );
    this.o.api.updateStatus({ ...pod, status: { ...status, ephemeralContainerStatuses: statuses } });
  }

  /** The sandboxes containerd keeps records of (running ones, and dead ones not yet replaced), for the kubelet after a restart. */
  sandboxes(): DeadSandbox[] {
    return [
      ...this.dead.values(),
      ...[...this.pods.values()].map(({ key, uid, sandboxId, netns, net, restarts }) => ({ key, uid, sandboxId, netns, net, restarts })),
    ];
  }

  /** The node's heartbeat: its Lease in kube-node-lease, made on the first renewal (owned by the Node). */
  private renewLease(): void {
    const renewTime = microTime(this.o.api.now());
    const lease = find(this.o.api, 'leases', 'kube-node-lease', this.o.node);
    if (lease) {
      this.o.api.update({
        ...lease,
        spec: { ...(lease.spec as Obj), holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_S, renewTime },
      });
      return;
    }
    const node = find(this.o.api, 'nodes', undefined, this.o.node);
    if (!node) return;
    this.o.api.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.o.node,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.node, uid: node.metadata.uid! }],
      },
      spec: { holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_S, renewTime },
    });
  }

  /** Calls `fn` with a pod's uid once its sandbox and containers are torn down (the runtime frees their files). */
  onTeardown(fn: (uid: string) => void): void {
    this.teardown.push(fn);
  }

  /** Calls `fn` once a pod's sandbox and containers run (the node's process table follows them). */
  onSandboxStarted(fn: SandboxStartedHook): void {
    this.startedHooks.push(fn);
  }

  /** The running container `container` of pod `ns/name` on this node, or undefined when it does not run here (yet). */
  container(ns: string, name: string, container: string): RunningContainer | undefined {
    const p = this.pods.get(`${ns}/${name}`);
    return p?.containers.find((c) => c.name === container) ?? p?.inits?.find((c) => c.name === container);
  }

  private enqueue(key: string, delay: number): void {
    if (this.queued.has(key) && delay === 0) return;
    this.queued.add(key);
    this.o.clock.schedule(delay, () =>
      agentStep(this.o.clock, () => {
        this.queued.delete(key);
        if (this.frozen) this.thawed.push(key);
        else if (!this.stopped) this.syncPod(key);
      }),
    );
  }

  /**
   * The node's conditions as the kubelet sees them: Ready follows the runtime's network readiness (a
   * CNI config in /etc/cni/net.d), the others are healthy. Posted when they differ from the stored
   * ones (after a restart, the controller's Unknown ones).
   */
  syncNodeStatus(): void {
    const ready = this.cni.config() !== undefined;
    const node = find(this.o.api, 'nodes', undefined, this.o.node);
    if (!node) return;
    const want = ready ? WANT_READY : WANT_NOT_READY;
    const current = (node.status as Obj).conditions as Obj[];
    const stale = current.filter((c) => {
      const w = want.get(c.type);
      return w && (c.status !== w[0] || c.reason !== w[1] || c.message !== w[2]);
    });
    if (!stale.length) return;
    const now = time(this.o.api.now());
    const wasReady = current.find((c) => c.type === 'Ready')?.status === 'True';
    const conditions = current.map((c) => {
      const w = want.get(c.type);
      if (!w || !stale.includes(c)) return c;
      return {
        ...c,
        status: w[0],
        reason: w[1],
        message: w[2],
        lastHeartbeatTime: now,
        lastTransitionTime: c.status === w[0] ? c.lastTransitionTime : now,
      };
    });
    this.o.api.updateStatus({ ...node, status: { ...(node.status as Obj), conditions } });
    if (!ready || wasReady) return;
    this.o.event(node, 'Normal', 'NodeReady', `Node ${this.o.node} status is now: NodeReady`);
    // pods waiting for the network try again now
    for (const p of this.o.api.list('pods', undefined, { fieldSelector: `spec.nodeName=${this.o.node}` }).items)
      if (!this.pods.has(`${p.metadata.namespace}/${p.metadata.name}`)) this.enqueue(`${p.metadata.namespace}/${p.metadata.name}`, 0);
  }

  private hex(n: number): string {
    return this.o.rng.hex(n);
  }

  /** What the kubelet has logged so far. */
  log(): string {
    return this.logLines.join('');
  }

  /**
   * syncPod of a static pod (or of a mirror pod whose static pod is gone): the pod runs from its file
   * whatever happens to its mirror; a pod of an older manifest is killed and the new one started; a
   * mirror pod that is orphaned, outdated or being deleted is deleted at once, and a missing one is
   * made (owned by the Node) with the status the kubelet holds.
   */
  private syncStatic(key: string, desired: KubeObject | undefined, mirror: KubeObject | undefined): void {
    const [ns, name] = key.split('/') as [string, string];
    const running = this.pods.get(key);
    if (running && running.uid !== desired?.metadata.uid) {
      for (const c of running.containers)
        this.o.event(
          desired ?? { ...mirror!, metadata: { ...mirror!.metadata, uid: running.uid } },
          'Normal',
          'Killing',
          `Stopping container ${c.name}`,
        );
      this.killPod(key, running);
    }
    if (mirror && (!desired || mirror.metadata.deletionTimestamp || mirrorOf(mirror) !== desired.metadata.uid)) {
      try {
        this.o.api.delete('pods', ns, name, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      mirror = undefined;
    }
    if (!desired) {
      this.mirrorStatus.delete(key);
      return;
    }
    if (!mirror) {
      const node = find(this.o.api, 'nodes', undefined, this.o.node);
      if (!node || node.metadata.deletionTimestamp) return;
      const { uid: _uid, ...meta } = desired.metadata;
      const { status: _status, ...rest } = desired;
      mirror = this.o.api.create({
        ...rest,
        metadata: {
          ...meta,
          annotations: { ...meta.annotations, [CONFIG_MIRROR]: desired.metadata.uid! },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.node, uid: node.metadata.uid!, controller: true }],
        },
      });
      const held = this.mirrorStatus.get(key);
      if (held && this.pods.has(key)) this.o.api.updateStatus({ ...mirror, status: held });
    }
    if (!this.pods.has(key)) this.startPod(key, desired);
  }

  private syncPod(key: string): void {
    const [ns, name] = key.split('/') as [string, string];
    const pod = find(this.o.api, 'pods', ns, name);
    const desired = this.statics?.get(key);
    if (desired || (pod && mirrorOf(pod) !== undefined)) return this.syncStatic(key, desired, pod);
    const running = this.pods.get(key);
    if (running && (!pod || pod.metadata.uid !== running.uid || pod.metadata.deletionTimestamp)) {
      // kuberuntime's killContainer: one Killing event per container of a pod being deleted
      if (pod?.metadata.uid === running.uid)
        for (const c of running.containers) this.o.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
      this.killPod(key, running);
    }
    const dead = this.dead.get(key);
    if (dead) {
      this.dead.delete(key);
      this.releaseDead(dead);
    }
    if (!pod || (pod.spec as Obj).nodeName !== this.o.node) {
      this.failures.delete(key);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      this.o.api.delete('pods', ns, name, { gracePeriodSeconds: 0 });
      return;
    }
    if (finished(pod)) return;
    const live = this.pods.get(key);
    if (live) return this.startEphemeralContainers(key, pod, live);
    const restarted = dead?.uid === pod.metadata.uid ? dead : undefined;
    if (restarted) this.o.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    this.startPod(key, pod, restarted);
  }

  /** StopPodSandbox of a sandbox that died with the node: its network is torn down (the netns is gone already). */
  private releaseDead(d: DeadSandbox): void {
    if (d.net && d.netns !== undefined) {
      try {
        this.cni.del(d.net, { containerId: d.sandboxId, netns: d.netns, ifName: 'eth0', runtimeConfig: d.capabilityArgs });
      } catch {
        // containerd logs and carries on removing the sandbox
      }
    }
    for (const fn of this.teardown) fn(d.uid);
  }

  private killPod(key: string, p: RunningPod): void {
    for (const c of p.containers) this.backoff.delete(`${key}/${c.name}`);
    for (const prober of p.probers.values()) prober.stop();
    for (const prog of p.programs) prog.stop();
    if (p.netns !== undefined) {
      if (p.net) {
        try {
          this.cni.del(p.net, { containerId: p.sandboxId, netns: p.netns, ifName: 'eth0', runtimeConfig: p.capabilityArgs });
        } catch {
          // containerd logs and carries on removing the sandbox
        }
      }
      this.o.host.sandboxDel(p.netns);
    }
    this.pods.delete(key);
    for (const fn of this.teardown) fn(p.uid);
  }

  /** Makes the pod's sandbox and starts its containers; `restarted`: the sandbox it replaces, whose containers count a restart. */
  private startPod(key: string, pod: KubeObject, restarted?: DeadSandbox): void {
    const spec = pod.spec as Obj;
    const hostNetwork = spec.hostNetwork === true;
    const sandboxId = this.hex(32);
    let podIp = this.o.nodeIp;
    let netns: string | undefined;
    let net: NetConfList | undefined;
    const capabilityArgs = portMappings(pod);
    if (!hostNetwork) {
      net = this.cni.config();
      if (!net) {
        this.o.event(pod, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`);
        this.pending(pod);
        return; // retried when the node turns Ready
      }
      const u = this.hex(16);
      // joined, not a template literal: one flat string rather than a tree of concatenations kept with the netns
      netns = ['cni-', u.slice(0, 8), '-', u.slice(8, 12), '-', u.slice(12, 16), '-', u.slice(16, 20), '-', u.slice(20, 32)].join('');
      // the UTS namespace's name: spec.hostname, or else the pod's name (GeneratePodHostNameAndDomain)
      this.o.host.sandboxAdd(netns, { hostname: (pod.spec as { hostname?: string }).hostname || pod.metadata.name! });
      try {
        // containerd's go-cni attaches its loopback network first (lo up, 127.0.0.1), then the configured one.
        this.cni.add(LOOPBACK, { containerId: sandboxId, netns, ifName: 'lo' });
        const result = this.cni.add(net, { containerId: sandboxId, netns, ifName: 'eth0', runtimeConfig: capabilityArgs });
        podIp = result.ips?.[0]?.address.split('/')[0] ?? podIp;
      } catch (e) {
        // containerd tears the half-made network down (CNI DEL) before it removes the sandbox
        try {
          this.cni.del(net, { containerId: sandboxId, netns, ifName: 'eth0', runtimeConfig: capabilityArgs });
        } catch {
          // logged by containerd; the sandbox goes anyway
        }
        this.o.host.sandboxDel(netns);
        const n = this.failures.get(key) ?? 0;
        this.failures.set(key, n + 1);
        const msg = e instanceof Error ? e.message : String(e);
        this.o.event(
          pod,
          'Warning',
          'FailedCreatePodSandBox',
          `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId}": ${msg}`,
        );
        this.pending(pod);
        this.enqueue(key, BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)]!);
        return;
      }
    }
    const started = time(this.o.api.now());
    this.runInits({ key, pod, restarted, sandboxId, netns, net, capabilityArgs, podIp, started }, 0, []);
  }

  /**
   * The pod's init containers from `from` on, in order, each to completion before the next: one
   * the node runs at once (flannel's install-cni) here; a script in virtual time, the pod Pending
   * meanwhile (initializing), going on when it exits 0. Then the app containers start.
   */
  private runInits(sb: Sandbox, from: number, initStatuses: Obj[]): void {
    const { key, pod, netns } = sb;
    const inits = ((pod.spec as Obj).initContainers ?? []) as Obj[];
    for (let i = from; i < inits.length; i++) {
      const c = inits[i]!;
      const r = this.o.runInit?.(pod, c);
      const prog = r ? undefined : this.o.script?.(pod, c, netns);
      if (prog) return this.initializing(sb, initStatuses, i, prog);
      const { exitCode, stderr } = r ?? { exitCode: 0, stderr: '' };
      const containerID = `containerd://${this.hex(32)}`;
      if (exitCode !== 0) {
        if (netns !== undefined) {
          try {
            if (sb.net) this.cni.del(sb.net, { containerId: sb.sandboxId, netns, ifName: 'eth0', runtimeConfig: sb.capabilityArgs });
          } catch {
            // as containerd: logged, the sandbox goes anyway
          }
          this.o.host.sandboxDel(netns);
        }
        const n = this.failures.get(key) ?? 0;
        this.failures.set(key, n + 1);
        this.o.event(
          pod,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid}): ${stderr.trim()}`,
        );
        this.pending(pod);
        this.enqueue(key, BACKOFF_MS[Math.min(n, BACKOFF_MS.length - 1)]!);
        return;
      }
      this.containerStarted(pod, c.name);
      initStatuses.push({
        name: c.name,
        image: c.image,
        imageID: '',
        containerID,
        ready: true,
        restartCount: 0,
        started: false,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: sb.started, finishedAt: sb.started, containerID } },
      });
    }
    this.failures.delete(key);
    this.startContainers(sb, initStatuses);
  }

  /**
   * Init container `i` runs `prog` (a script): the pod is Pending, Initialized False, its app
   * containers waiting in PodInitializing, until it exits. Exit 0: the next one; otherwise it is
   * restarted with the kubelet's back-off (Init:Error, Init:CrashLoopBackOff), or under
   * restartPolicy Never the pod has Failed.
   */
  private initializing(sb: Sandbox, done: Obj[], i: number, prog: ContainerProgram, lastState: Obj = {}, restartCount = 0): void {
    const { key, pod } = sb;
    const c = ((pod.spec as Obj).initContainers as Obj[])[i]!;
    const id = this.hex(32);
    const rc: RunningContainer = {
      id,
      name: c.name,
      image: c.image,
      netns: sb.netns,
      program: prog,
      serviceVars: serviceVarsAtStart(this.o.api, pod),
    };
    const prev = this.pods.get(key);
    this.pods.set(key, {
      key,
      uid: pod.metadata.uid!,
      sandboxId: sb.sandboxId,
      netns: sb.netns,
      net: sb.net,
      capabilityArgs: sb.capabilityArgs,
      restarts: prev?.restarts ?? NO_RESTARTS,
      programs: [prog],
      containers: [rc],
      inits: [...(prev?.inits ?? []).filter((x) => x.name !== c.name), rc],
      probers: NO_PROBERS as Map<string, ContainerProber>,
    });
    this.containerStarted(pod, c.name);
    const startedAt = time(this.o.api.now());
    const current = {
      name: c.name,
      image: c.image,
      imageID: '',
      containerID: `containerd://${id}`,
      lastState,
      ready: false,
      restartCount,
      started: true,
      state: { running: { startedAt } },
    };
    this.writeInitStatus(sb, [...done, current]);
    const uid = pod.metadata.uid;
    prog.onExit?.((exitCode) =>
      agentStep(this.o.clock, () => {
        const p = this.pods.get(key);
        if (this.stopped || !p || p.uid !== uid || p.programs[0] !== prog) return;
        const finishedAt = time(this.o.api.now());
        const run = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt, containerID: current.containerID };
        if (exitCode === 0) {
          this.backoff.delete(`${key}/${c.name}`);
          return this.runInits(sb, i + 1, [...done, { ...current, ready: true, started: false, state: { terminated: run } }]);
        }
        this.initFailed(sb, done, i, current, run);
      }),
    );
  }

  /** An init container that exited non-zero: the pod fails (restartPolicy Never) or the container is restarted after the back-off. */
  private initFailed(sb: Sandbox, done: Obj[], i: number, current: Obj, run: Obj): void {
    const { key, pod } = sb;
    const c = ((pod.spec as Obj).initContainers as Obj[])[i]!;
    if ((pod.spec as Obj).restartPolicy === 'Never') {
      this.writeInitStatus(sb, [...done, { ...current, ready: false, started: false, state: { terminated: run } }], 'Failed');
      return;
    }
    const { delay, waiting } = this.backOff(key, pod, c.name);
    this.writeInitStatus(sb, [
      ...done,
      waiting
        ? { ...current, started: false, lastState: { terminated: run }, state: { waiting } }
        : { ...current, started: false, state: { terminated: run } },
    ]);
    const uid = pod.metadata.uid;
    this.o.clock.schedule(delay === 0 ? SYNC_AFTER_EXIT_MS : delay, () =>
      agentStep(this.o.clock, () => {
        const p = this.pods.get(key);
        if (this.stopped || p?.uid !== uid) return;
        const prog = this.o.script?.(pod, c, sb.netns);
        if (!prog) return;
        this.initializing(sb, done, i, prog, { terminated: run }, (current.restartCount as number) + 1);
      }),
    );
  }

  /**
   * The status of a pod still initializing (`phase` Pending, or Failed when an init container
   * failed under restartPolicy Never), as status_manager's generators word its conditions.
   */
  private writeInitStatus(sb: Sandbox, initStatuses: Obj[], phase: 'Pending' | 'Failed' = 'Pending'): void {
    const { pod } = sb;
    const cur = asRun(find(this.o.api, 'pods', pod.metadata.namespace, pod.metadata.name!));
    if (!cur || cur.metadata.uid !== pod.metadata.uid) return;
    const spec = pod.spec as Obj;
    const inits = spec.initContainers as Obj[];
    const statuses = inits.map((c) => initStatuses.find((s) => s.name === c.name) ?? waitingStatus(c, 'PodInitializing'));
    const status = cur.status as Obj;
    const now = time(this.o.api.now());
    const incomplete = statuses.filter((s) => s.state.terminated?.exitCode !== 0).map((s) => s.name as string);
    const containerStatuses = ((spec.containers ?? []) as Obj[]).map((c) => waitingStatus(c, 'PodInitializing'));
    const keep = (c: Obj) => {
      const old = ((status.conditions ?? []) as Obj[]).find((x) => x.type === c.type);
      return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
    };
    const scheduled = ((status.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled');
    const conditions = [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      {
        type: 'Initialized',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: now,
        reason: 'ContainersNotInitialized',
        message: `containers with incomplete status: [${incomplete.join(' ')}]`,
      },
      ...readiness(containerStatuses, now),
      ...(scheduled ? [scheduled] : []),
    ].map(keep);
    this.o.api.updateStatus({
      ...cur,
      status: {
        ...status,
        phase,
        conditions,
        hostIP: this.o.nodeIp,
        hostIPs: [{ ip: this.o.nodeIp }],
        podIP: sb.podIp,
        podIPs: [{ ip: sb.podIp }],
        startTime: status.startTime ?? sb.started,
        initContainerStatuses: statuses,
        containerStatuses,
      },
    });
  }

  /** The pod's app containers start in its sandbox, once its init containers have completed. */
  private startContainers(sb: Sandbox, initStatuses: Obj[]): void {
    const { key, restarted, sandboxId, netns, net, capabilityArgs, podIp } = sb;
    const pod = sb.pod;
    const spec = pod.spec as Obj;
    const started = time(this.o.api.now());
    const inits = this.pods.get(key)?.inits;
    const programs: ContainerProgram[] = [];
    const running: RunningContainer[] = [];
    // the statuses before a restart, by container (a new pod has none to look up)
    const before = restarted
      ? new Map<string, Obj>((((pod.status as Obj).containerStatuses ?? []) as Obj[]).map((cs) => [cs.name, cs]))
      : undefined;
    let restarts: Map<string, number> | undefined;
    const containers = (spec.containers as Obj[]).map((c) => {
      this.containerStarted(pod, c.name);
      const prog = this.launch(pod, c, netns);
      if (prog) programs.push(prog);
      this.whenEnded(pod, c.name, prog);
      const id = this.hex(32);
      running.push({ id, name: c.name, image: c.image, netns, program: prog, serviceVars: serviceVarsAtStart(this.o.api, pod) });
      const restartCount = restarted ? (restarted.restarts.get(c.name) ?? 0) + 1 : 0;
      if (restartCount > 0) (restarts ??= new Map()).set(c.name, restartCount);
      // a container that died with its node: the runtime lost its exit status (UNVERIFIED: reason Unknown, 255)
      const was = before?.get(c.name);
      const lastState = was?.state?.running
        ? {
            terminated: {
              exitCode: 255,
              reason: 'Unknown',
              startedAt: was.state.running.startedAt,
              finishedAt: started,
              containerID: was.containerID,
            },
          }
        : NO_LAST_STATE;
      // a readiness or startup probe keeps the container unready (and a startup probe, not started) until it succeeds
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        // joined: one flat string, not a concatenation of two, kept as long as the pod runs
        containerID: ['containerd://', id].join(''),
        lastState,
        ready: !ContainerProber.startsUnready(c),
        restartCount,
        started: !c.startupProbe,
        state: runningSince(started),
      };
    });
    // slice(): lists of their exact length, kept as long as the pod runs (push() grows a list with room for 16 more)
    const p: RunningPod = {
      key,
      uid: pod.metadata.uid!,
      sandboxId,
      netns,
      net,
      capabilityArgs,
      restarts: restarts ?? NO_RESTARTS,
      programs: programs.slice(),
      containers: running.slice(),
      inits,
      probers: NO_PROBERS as Map<string, ContainerProber>,
    };
    this.pods.set(key, p);
    for (const fn of this.startedHooks) fn(pod, sandboxId, netns, running, p.restarts);
    // a CNI agent may have written its config (after its own step, which runs first)
    if (programs.length) this.o.clock.schedule(0, () => agentStep(this.o.clock, () => this.stopped || this.syncNodeStatus()));
    const cur = this.o.api.get('pods', pod.metadata.namespace, pod.metadata.name!);
    const status = cur.status as Obj;
    const cond = (type: string) => trueCondition(type, started);
    const scheduled = ((status.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled');
    const ready = ((status.conditions ?? []) as Obj[]).find((c) => c.type === 'PodReadyToStartContainers' && c.status === 'True');
    // every object of this status is new here or a frozen one (stored, or shared by pods): the store may take it without a copy
    const next = {
      ...cur,
      status: {
        ...status,
        phase: 'Running',
        conditions: [ready ?? cond('PodReadyToStartContainers'), cond('Initialized'), ...readiness(containers, started), scheduled],
        hostIP: this.o.nodeIp,
        hostIPs: this.hostIPs,
        podIP: podIp,
        podIPs: [{ ip: podIp }],
        startTime: status.startTime ?? sb.started,
        containerStatuses: containers,
        ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      },
    };
    try {
      if (this.o.api.updateStatusOwn) {
        this.writingRunning = next.status;
        this.o.api.updateStatusOwn(next);
      } else this.o.api.updateStatus(next);
    } finally {
      this.writingRunning = undefined;
    }
    for (const c of spec.containers as Obj[])
      if (c.readinessProbe || c.livenessProbe || c.startupProbe) this.addProber(p, c.name, this.prober(key, pod, c, podIp));
  }

  /** Keeps a container's prober with its pod's, making the pod's own map on its first. */
  private addProber(p: RunningPod, container: string, prober: ContainerProber): void {
    if (p.probers === NO_PROBERS) p.probers = new Map();
    p.probers.set(container, prober);
  }

  /** A container's program: its script (in virtual time) or the image's own program. */
  private launch(pod: KubeObject, c: Obj, netns: string | undefined): ContainerProgram | undefined {
    return this.o.script?.(pod, c, netns) ?? this.o.run?.(pod, c, netns);
  }

  /**
   * The ephemeral containers added to a running pod (`kubectl debug POD`) that are not running yet:
   * each starts once in the pod's sandbox (its network namespace) and is never restarted.
   */
  private startEphemeralContainers(key: string, pod: KubeObject, p: RunningPod): void {
    const fresh = (((pod.spec as Obj).ephemeralContainers ?? []) as Obj[]).filter((c) => !p.containers.some((x) => x.name === c.name));
    if (fresh.length === 0) return;
    const startedAt = time(this.o.api.now());
    const added: RunningContainer[] = [];
    const statuses = fresh.map((c) => {
      this.containerStarted(pod, c.name);
      const program = this.launch(pod, c, p.netns);
      if (program?.onExit) this.whenEnded(pod, c.name, program);
      if (program) p.programs.push(program);
      const id = this.hex(32);
      added.push({ id, name: c.name, image: c.image, netns: p.netns, program, serviceVars: serviceVarsAtStart(this.o.api, pod) });
      return {
        name: c.name,
        image: c.image,
        imageID: '',
        containerID: `containerd://${id}`,
        lastState: {},
        ready: false,
        restartCount: 0,
        state: { running: { startedAt } },
      };
    });
    this.pods.set(key, { ...p, containers: [...p.containers, ...added] });
    const status = pod.status as Obj;
    this.o.api.updateStatus({
      ...pod,
      status: { ...status, ephemeralContainerStatuses: [...((status.ephemeralContainerStatuses ?? []) as Obj[]), ...statuses] },
    });
  }

  /** The probes of container `c` of the pod at `key`, reporting to its status. */
  private prober(key: string, pod: KubeObject, c: Obj, podIp: string): ContainerProber {
    const v = /^v?(\d+)\.(\d+)/.exec(this.o.version ?? 'v1.36.1');
    return new ContainerProber(c, podIp, {
      host: this.o.host,
      clock: this.o.clock,
      version: v ? `${v[1]}.${v[2]}` : '1.36',
      event: (type, reason, message) => this.o.event(pod, type, reason, message),
      setReady: (ready) => this.updateContainer(key, c.name, (cs) => ({ ...cs, ready })),
      // a container with no readiness probe is ready once started
      setStarted: () => this.updateContainer(key, c.name, (cs) => ({ ...cs, started: true, ...(c.readinessProbe ? {} : { ready: true }) })),
      restart: (message) => this.restartContainer(key, pod, c, podIp, message),
    });
  }

  /** Writes a change to one container's status and the pod's Ready and ContainersReady conditions that follow from it. */
  private updateContainer(key: string, name: string, change: (cs: Obj) => Obj): void {
    if (this.stopped || !this.pods.has(key)) return;
    const [ns, podName] = key.split('/') as [string, string];
    const cur = asRun(find(this.o.api, 'pods', ns, podName));
    if (!cur || cur.metadata.uid !== this.pods.get(key)!.uid) return;
    const status = cur.status as Obj;
    const containers = ((status.containerStatuses ?? []) as Obj[]).map((cs) => (cs.name === name ? change(cs) : cs));
    const now = time(this.o.api.now());
    const want = new Map(readiness(containers, now).map((c) => [c.type, c]));
    const conditions = ((status.conditions ?? []) as Obj[]).map((c) => {
      const w = want.get(c.type);
      if (!w) return c;
      return w.status === c.status ? { ...w, lastTransitionTime: c.lastTransitionTime } : w;
    });
    this.o.api.updateStatus({ ...cur, status: { ...status, conditions, containerStatuses: containers } });
  }

  /**
   * kuberuntime's answer to a failed liveness or startup probe: the container is killed (a Killing
   * event with the prober's message) and started again in the same sandbox, its restart count up,
   * its previous run in lastState. Coarse: no back-off between such restarts.
   */
  private restartContainer(key: string, pod: KubeObject, c: Obj, podIp: string, message: string): void {
    const p = this.pods.get(key);
    if (!p || this.stopped || !p.containers.some((x) => x.name === c.name)) return;
    this.o.event(pod, 'Normal', 'Killing', message);
    const now = time(this.o.api.now());
    // UNVERIFIED: a container killed by SIGTERM that does not handle it: exit code 143, reason Error
    this.relaunch(key, pod, c, podIp, (cs) => ended(cs, 143, now));
  }

  /** Starts container `c` of the pod at `key` again in its sandbox: a new container id, its restart count up, its last run (from its current status) as lastState. */
  private relaunch(key: string, pod: KubeObject, c: Obj, podIp: string, lastRun: (cs: Obj) => Obj): void {
    const p = this.pods.get(key);
    if (!p || this.stopped) return;
    const old = p.containers.find((x) => x.name === c.name);
    if (!old) return;
    p.probers.get(c.name)?.stop();
    old.program?.stop();
    const at = p.programs.indexOf(old.program as ContainerProgram);
    if (at >= 0) p.programs.splice(at, 1);
    this.containerStarted(pod, c.name);
    const prog = this.launch(pod, c, p.netns);
    if (prog) p.programs.push(prog);
    const id = this.hex(32);
    const containers = p.containers.map((x) =>
      x === old ? { id, name: c.name, image: c.image, netns: p.netns, program: prog, serviceVars: serviceVarsAtStart(this.o.api, pod) } : x,
    );
    const count = (p.restarts.get(c.name) ?? 0) + 1;
    const restarts = new Map(p.restarts).set(c.name, count);
    const next: RunningPod = { ...p, containers, restarts };
    this.pods.set(key, next);
    this.updateContainer(key, c.name, (cs) => ({
      ...cs,
      containerID: `containerd://${id}`,
      restartCount: count,
      ready: !ContainerProber.startsUnready(c),
      started: !c.startupProbe,
      lastState: { terminated: lastRun(cs) },
      state: { running: { startedAt: time(this.o.api.now()) } },
    }));
    if (c.readinessProbe || c.livenessProbe || c.startupProbe) this.addProber(next, c.name, this.prober(key, pod, c, podIp));
    this.whenEnded(pod, c.name, prog);
  }

  /** A program that ended as it started (a bare shell without stdin) is seen exiting by the next sync; a script, when it exits. */
  private whenEnded(pod: KubeObject, container: string, prog: ContainerProgram | undefined): void {
    const code = prog?.exitCode;
    const [ns, name] = [pod.metadata.namespace ?? 'default', pod.metadata.name!];
    if (code === undefined) {
      prog?.onExit?.((exitCode) => {
        // only the program still running for that container (not one a restart replaced)
        const now = this.pods.get(`${ns}/${name}`)?.containers.find((c) => c.name === container);
        if (!this.stopped && now?.program === prog) agentStep(this.o.clock, () => this.containerExited(ns, name, container, exitCode));
      });
      return;
    }
    this.o.clock.schedule(0, () => !this.stopped && this.containerExited(ns, name, container, code));
  }

  /**
   * A container that exited under restartPolicy Always (or OnFailure, failing): Completed or Error at
   * once; restarted at the next sync the first time, then after the kubelet's back-off (10 s,
   * doubling up to 5 min), waiting meanwhile in CrashLoopBackOff with a Warning BackOff event.
   * Coarse: the back-off is not forgotten after a long run.
   */
  private crashed(key: string, pod: KubeObject, container: string, exitCode: number): void {
    const c = ((pod.spec as Obj).containers as Obj[]).find((x) => x.name === container);
    const cs = (((pod.status as Obj).containerStatuses ?? []) as Obj[]).find((x) => x.name === container);
    if (!c || !cs?.state?.running) return;
    const run = ended(cs, exitCode, time(this.o.api.now()));
    const { delay, waiting } = this.backOff(key, pod, container);
    this.updateContainer(key, container, (x) =>
      waiting
        ? { ...x, ready: false, started: false, lastState: { terminated: run }, state: { waiting } }
        : { ...x, ready: false, started: false, state: { terminated: run } },
    );
    const uid = pod.metadata.uid;
    this.o.clock.schedule(delay === 0 ? SYNC_AFTER_EXIT_MS : delay, () => {
      const cur = this.pods.get(key);
      if (!cur || cur.uid !== uid) return;
      const now = asRun(find(this.o.api, 'pods', pod.metadata.namespace, pod.metadata.name!));
      if (now) this.relaunch(key, now, c, ((now.status as Obj).podIP as string) ?? '', () => run);
    });
  }

  /**
   * The restart back-off of a container that exited: the delay before it runs again (0 the first
   * time: at the next sync), the next one recorded (10 s, doubling up to 5 min). Past the first,
   * the Warning BackOff event, and the CrashLoopBackOff state it waits in meanwhile.
   */
  private backOff(key: string, pod: KubeObject, container: string): { delay: number; waiting?: Obj } {
    const backoffKey = `${key}/${container}`;
    const delay = this.backoff.get(backoffKey) ?? 0;
    this.backoff.set(backoffKey, Math.min(delay === 0 ? BACKOFF_INITIAL_MS : delay * 2, BACKOFF_MAX_MS));
    if (delay === 0) return { delay };
    const podRef = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    this.o.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container} in pod ${podRef}`);
    return {
      delay,
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(delay)} restarting failed container=${container} pod=${podRef}`,
      },
    };
  }

  /** kuberuntime's startContainer events (image pulls are not emulated: no Pulling/Pulled events). */
  private containerStarted(pod: KubeObject, name: string): void {
    this.o.event(pod, 'Normal', 'Created', `Created container: ${name}`);
    this.o.event(pod, 'Normal', 'Started', `Started container ${name}`);
  }

  /** A pod whose sandbox is not up: Pending, its containers waiting in ContainerCreating. */
  private pending(pod: KubeObject): void {
    const cur = this.o.api.get('pods', pod.metadata.namespace, pod.metadata.name!);
    const status = cur.status as Obj;
    if (status.containerStatuses) return;
    const now = time(this.o.api.now());
    this.o.api.updateStatus({
      ...cur,
      status: {
        ...status,
        phase: 'Pending',
        hostIP: this.o.nodeIp,
        hostIPs: [{ ip: this.o.nodeIp }],
        startTime: status.startTime ?? now,
        containerStatuses: ((pod.spec as Obj).containers as Obj[]).map((c) => waitingStatus(c, 'ContainerCreating')),
      },
    });
  }
}
