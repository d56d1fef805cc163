// A kind node's process table, as `ps`, `pstree`, `lsns` and `crictl inspect` read it: the node
// container's own systemd, journald, containerd and kubelet, then per pod sandbox a
// containerd-shim-runc-v2 holding the pause process and one process per container. PIDs are drawn
// in order from one counter, threads included (a thread takes a PID as a process does), so the
// numbers follow the start order as on a booted node. Namespaces carry inode numbers as the kernel
// gives them (nsfs inodes, counted upward): the host's time and user namespaces, the node
// container's own mnt/uts/ipc/pid/net/cgroup, per sandbox net/uts/ipc/mnt/pid made for pause, per
// container mnt/pid/cgroup of its own joined to the sandbox's net/uts/ipc (containerd's
// WithPodNamespaces). A hostNetwork sandbox keeps the node's net and uts.
// Thread counts, CPU rates and memory sizes are fixed plausible values per program (knetlab runs no
// real processes): they say how a real node looks, not what it measured.
import type { KubeObject } from '../api/index.js';
import { containerArgv, imageOf } from './images/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
export type NsType = (typeof NS_TYPES)[number];
export type Namespaces = Readonly<Record<NsType, number>>;

/** The host's initial time and user namespaces (the kernel's fixed inodes, PROC_TIME_INIT_INO and PROC_USER_INIT_INO). */
export const TIME_INIT_INO = 4026531834;
export const USER_INIT_INO = 4026531837;
/** The first inode of a namespace made after boot (PROC_DYNAMIC_FIRST_INO is 0xF0000000; the host's own take the first few hundred). */
const FIRST_NODE_INO = 4026532799;

/** /proc/sys/kernel/pid_max of a 64-bit host under systemd (which raises it to 4194304): ps sizes its PID columns by its digits. */
export const PID_MAX = 4194304;
/** CPUs the node sees (nginx's `worker_processes auto` starts one worker each). UNVERIFIED: depends on the machine; fixed here. */
export const NODE_CPUS = 4;
/** MemTotal of the node in kB (ps %MEM). Fixed, as NODE_CPUS. */
export const NODE_MEM_KB = 8_000_000;

/** The pause image kind's containerd config names (sandbox_image). */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';

export interface Process {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  /** The process name (comm: at most 15 characters of the executable's name). */
  readonly comm: string;
  /** The command line (/proc/PID/cmdline); a process that rewrote it (nginx) shows the new one. */
  readonly cmdline: readonly string[];
  /** PIDs of its threads other than the main one. */
  readonly threads: readonly number[];
  readonly ns: Namespaces;
  /** Virtual ms it started at. */
  readonly start: number;
  /** Share of one CPU it keeps busy (ps %CPU and TIME). */
  readonly cpu: number;
  readonly vszKb: number;
  readonly rssKb: number;
  /** ps STAT: S sleeping, with s session leader, l multi-threaded, < high priority. */
  readonly stat: string;
  /** The sandbox network namespace on the node (ip netns name); undefined: the node's own. */
  readonly netns: string | undefined;
}

/** What the table knows of a started sandbox, from the kubelet. */
export interface SandboxStart {
  readonly pod: KubeObject;
  readonly sandboxId: string;
  readonly netns: string | undefined;
  readonly containers: readonly { readonly name: string; readonly id: string; readonly image: string }[];
  /** Each container's restart count (crictl ATTEMPT). */
  readonly restarts?: ReadonlyMap<string, number>;
}

/** A pod sandbox and its containers as containerd lists them (crictl). */
export interface SandboxRecord {
  readonly id: string;
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly attempt: number;
  readonly created: number;
  readonly netns: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly shimPid: number;
  readonly pausePid: number;
  readonly containers: readonly ContainerRecord[];
}

export interface ContainerRecord {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly attempt: number;
  readonly created: number;
  /** The container's first process, and its helpers (nginx's workers). */
  readonly pid: number;
  readonly pids: readonly number[];
  readonly args: readonly string[];
}

interface Profile {
  readonly threads: number;
  readonly cpu: number;
  readonly vszKb: number;
  readonly rssKb: number;
  readonly uid?: number;
}

/** Fixed, plausible figures per program (see the head comment). */
const PROFILES: Readonly<Record<string, Profile>> = {
  systemd: { threads: 0, cpu: 0.0005, vszKb: 21_500, rssKb: 12_400 },
  'systemd-journal': { threads: 0, cpu: 0.0002, vszKb: 33_200, rssKb: 13_900 },
  containerd: { threads: 15, cpu: 0.01, vszKb: 2_480_000, rssKb: 52_000 },
  kubelet: { threads: 15, cpu: 0.02, vszKb: 2_560_000, rssKb: 78_000 },
  'containerd-shim': { threads: 11, cpu: 0.0005, vszKb: 1_238_000, rssKb: 13_500 },
  pause: { threads: 0, cpu: 0, vszKb: 1_020, rssKb: 512, uid: 65535 },
  'kube-proxy': { threads: 8, cpu: 0.002, vszKb: 1_290_000, rssKb: 47_000 },
  kindnetd: { threads: 12, cpu: 0.001, vszKb: 1_276_000, rssKb: 31_000 },
  'kube-apiserver': { threads: 14, cpu: 0.04, vszKb: 1_520_000, rssKb: 270_000 },
  etcd: { threads: 13, cpu: 0.02, vszKb: 11_700_000, rssKb: 48_000 },
  'kube-controller': { threads: 9, cpu: 0.01, vszKb: 1_320_000, rssKb: 58_000 },
  'kube-scheduler': { threads: 10, cpu: 0.003, vszKb: 1_290_000, rssKb: 26_000 },
  coredns: { threads: 10, cpu: 0.002, vszKb: 1_280_000, rssKb: 21_000, uid: 65532 },
  'local-path-prov': { threads: 9, cpu: 0.001, vszKb: 1_270_000, rssKb: 18_000 },
  flanneld: { threads: 10, cpu: 0.001, vszKb: 1_350_000, rssKb: 25_000 },
  'metrics-server': { threads: 12, cpu: 0.002, vszKb: 1_300_000, rssKb: 30_000, uid: 1000 },
  nginx: { threads: 0, cpu: 0, vszKb: 11_400, rssKb: 7_500 },
  whoami: { threads: 5, cpu: 0, vszKb: 1_230_000, rssKb: 6_000 },
};
const DEFAULT_PROFILE: Profile = { threads: 0, cpu: 0, vszKb: 4_400, rssKb: 3_100 };

/**
 * `base` with the namespaces of `over` in its place, keys in the order of a node's root namespaces
 * (a spread of both cost microseconds per process), written out whole: an object filled key by key
 * kept all but four of them in a separate property array.
 */
function withNamespaces(base: Namespaces, over: Partial<Namespaces>): Namespaces {
  return {
    time: over.time ?? base.time,
    user: over.user ?? base.user,
    mnt: over.mnt ?? base.mnt,
    uts: over.uts ?? base.uts,
    ipc: over.ipc ?? base.ipc,
    pid: over.pid ?? base.pid,
    net: over.net ?? base.net,
    cgroup: over.cgroup ?? base.cgroup,
  };
}

/** Shared by every process without threads of its own, and the command lines every sandbox's pause and nginx workers show. */
const NO_THREADS: readonly number[] = Object.freeze([]);
const NO_ARGV: readonly string[] = Object.freeze([]);

/** The containerd shim's command line for a sandbox. */
function shimArgv(sandboxId: string): string[] {
  return [
    '/usr/local/bin/containerd-shim-runc-v2',
    '-namespace',
    'k8s.io',
    '-id',
    sandboxId,
    '-address',
    '/run/containerd/containerd.sock',
  ];
}

/** Where the processes being laid out take their PIDs and namespace inodes from. */
interface Cursor {
  pid: number;
  ino: number;
}

/**
 * A sandbox's record with what lays its processes out again: they are made when read (ps, lsns,
 * crictl inspect), not kept (a pod's seven processes were ~2.5 KB kept per pod).
 */
interface Sandbox extends SandboxRecord {
  readonly hostNetwork: boolean;
  /** The first namespace inode its processes took. */
  readonly firstIno: number;
  /** The PID after its last process's (and last thread's). */
  readonly endPid: number;
}
const PAUSE_ARGV: readonly string[] = Object.freeze(['/pause']);
const NGINX_WORKER_ARGV: readonly string[] = Object.freeze(['nginx: worker process']);

/** ps STAT from the table's letters: S, then the given ones, then l for a multi-threaded process (once). */
const STATS = new Map<string, string>();
function statOf(stat: string, threads: number): string {
  const key = threads ? `${stat}+` : stat;
  let out = STATS.get(key);
  if (out === undefined) STATS.set(key, (out = `S${stat}${threads && !stat.includes('l') ? 'l' : ''}`));
  return out;
}

/** The kernel's comm: the executable's base name, cut to TASK_COMM_LEN - 1. */
export function commOf(argv0: string): string {
  return argv0.slice(argv0.lastIndexOf('/') + 1).slice(0, 15);
}

/** Kubernetes' $(VAR) expansion of a container's command and args, from its plain and fieldRef env. */
function expand(words: readonly string[], pod: KubeObject, container: Obj): string[] {
  const env = new Map<string, string>();
  for (const e of (container.env ?? []) as Obj[]) {
    if (typeof e.value === 'string') env.set(e.name, e.value);
    const field = e.valueFrom?.fieldRef?.fieldPath as string | undefined;
    if (field === 'spec.nodeName') env.set(e.name, String((pod.spec as Obj).nodeName ?? ''));
    else if (field === 'metadata.name') env.set(e.name, pod.metadata.name ?? '');
    else if (field === 'metadata.namespace') env.set(e.name, pod.metadata.namespace ?? '');
    else if (field === 'status.podIP') env.set(e.name, String((pod.status as Obj | undefined)?.podIP ?? ''));
  }
  return words.map((w) => w.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env.get(v) ?? m));
}

/** The container's command line as the runtime starts it; an image knetlab does not know runs its pod command, or its name. */
export function containerCmdline(pod: KubeObject, container: Obj): string[] {
  const image = typeof container.image === 'string' ? imageOf(container.image) : undefined;
  // an image knetlab does not know: its entrypoint taken as /<name> (coredns's /coredns, kindnetd's /bin/kindnetd is close enough)
  const repo = String(container.image ?? container.name)
    .split('@')[0]!
    .replace(/:[^/]*$/, '');
  const guessed = `/${repo.slice(repo.lastIndexOf('/') + 1)}`;
  let argv = image ? containerArgv(image, container) : containerArgv({ entrypoint: [guessed], cmd: [] }, container);
  // an entrypoint script that execs its arguments leaves them as the process (nginx's docker-entrypoint.sh)
  if (argv[0] === '/docker-entrypoint.sh' && argv.length > 1) argv = argv.slice(1);
  if (argv.length === 0) argv = [guessed];
  return expand(argv, pod, container);
}

export interface NodeProcessesOptions {
  readonly node: string;
  readonly cluster: string;
  readonly ip: string;
  /** kind's node labels (kubelet --node-labels). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Which node of the host this is (0, 1, …): the node's namespaces are counted after those of the nodes before it. */
  readonly index: number;
  readonly now: () => number;
}

export class NodeProcesses implements ProcessView {
  private readonly procs = new Map<number, Process>();
  /** Sandboxes in start order (so in PID order), with what makes their processes again when read: only the node's own are kept. */
  private readonly sandboxesByUid = new Map<string, Sandbox>();
  private nextPid = 1;
  private nextIno: number;
  /** The node container's own namespaces (PID 1's). */
  readonly root: Namespaces;
  readonly booted: number;

  constructor(private readonly o: NodeProcessesOptions) {
    this.booted = o.now();
    this.nextIno = FIRST_NODE_INO + o.index * 256;
    const [mnt, uts, ipc, pid, net, cgroup] = [this.ino(), this.ino(), this.ino(), this.ino(), this.ino(), this.ino()];
    this.root = { time: TIME_INIT_INO, user: USER_INIT_INO, mnt: mnt!, uts: uts!, ipc: ipc!, pid: pid!, net: net!, cgroup: cgroup! };
    // systemd's early boot: its own helpers come and go before the units start (UNVERIFIED: the PIDs a fresh kind node gives them)
    this.spawn(0, ['/sbin/init'], 'systemd', 's');
    this.nextPid = 96;
    this.spawn(1, ['/lib/systemd/systemd-journald'], 'systemd-journal', 's');
    this.nextPid = 109;
    this.spawn(1, ['/usr/local/bin/containerd'], 'containerd', 'sl');
    this.nextPid = 226;
    this.spawn(1, this.kubeletArgv(), 'kubelet', 'sl');
  }

  /** kubelet's command line: 10-kubeadm.conf's ExecStart with kubeadm-flags.env as kind's kubeadm config fills it. */
  private kubeletArgv(): string[] {
    const labels = Object.entries(this.o.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock',
      `--node-ip=${this.o.ip}`,
      `--node-labels=${labels}`,
      `--pod-infra-container-image=${PAUSE_IMAGE}`,
      `--provider-id=kind://docker/${this.o.cluster}/${this.o.node}`,
      '--runtime-cgroups=/system.slice/containerd.service',
    ];
  }

  private ino(): number {
    return this.nextIno++;
  }

  /** The namespaces of a process given `over`; the processes of one container (nginx's master and workers) share one record. */
  private namespacesOf(over: Partial<Namespaces>): Namespaces {
    if (over !== this.lastOver) this.lastNs = withNamespaces(this.root, (this.lastOver = over));
    return this.lastNs!;
  }
  private lastOver: Partial<Namespaces> | undefined;
  private lastNs: Namespaces | undefined;

  /** A process of the node's own (systemd, containerd, the kubelet), kept in the table. */
  private spawn(ppid: number, cmdline: readonly string[], comm: string, stat: string): Process {
    const at = { pid: this.nextPid, ino: this.nextIno };
    const p = this.made(at, ppid, cmdline, comm, undefined, stat, this.o.now(), true)!;
    this.nextPid = at.pid;
    this.procs.set(p.pid, p);
    return p;
  }

  /**
   * The process `comm` started at `start` would be, its PID and its threads' taken from `at` (which
   * moves past them); with `make` false only `at` moves (a sandbox's PIDs are drawn when it starts,
   * its processes made when read).
   */
  private made(
    at: Cursor,
    ppid: number,
    cmdline: readonly string[],
    comm: string,
    over: { ns?: Partial<Namespaces>; netns?: string | undefined; uid?: number } | undefined,
    stat: string,
    start: number,
    make: boolean,
  ): Process | undefined {
    const profile = PROFILES[comm] ?? DEFAULT_PROFILE;
    const pid = at.pid++;
    const nthreads = profile.threads;
    if (!make) {
      at.pid += nthreads;
      return undefined;
    }
    let threads: readonly number[] = NO_THREADS;
    if (nthreads > 0) {
      // made at its length (push() would leave room for 16 more)
      const own = new Array<number>(nthreads);
      for (let i = 0; i < nthreads; i++) own[i] = at.pid++;
      threads = own;
    }
    return {
      pid,
      ppid,
      uid: over?.uid ?? profile.uid ?? 0,
      comm,
      cmdline,
      threads,
      ns: over?.ns ? this.namespacesOf(over.ns) : this.root,
      start,
      cpu: profile.cpu,
      vszKb: profile.vszKb,
      rssKb: profile.rssKb,
      stat: statOf(stat, nthreads),
      netns: over?.netns,
    };
  }

  /** The containerd shim, pause and containers of a sandbox the kubelet started. */
  sandboxStarted(s: SandboxStart): SandboxRecord {
    const pod = s.pod;
    const spec = pod.spec as Obj;
    const hostNetwork = spec.hostNetwork === true;
    const specs = (spec.containers ?? []) as Obj[];
    const started = s.containers.map((c) => ({
      c,
      args: containerCmdline(pod, specs.find((x) => x.name === c.name) ?? { name: c.name, image: c.image }),
    }));
    const now = this.o.now();
    const first = { pid: this.nextPid, ino: this.nextIno };
    const at = { ...first };
    const own: number[] = []; // the shim's and pause's
    const pids: number[][] = [];
    this.layOut(s.sandboxId, s.netns, hostNetwork, started, now, at, (_p, container, pid) => {
      if (container < 0) own.push(pid);
      else (pids[container] ??= []).push(pid);
    });
    this.nextPid = at.pid;
    this.nextIno = at.ino;
    const rec: Sandbox = {
      id: s.sandboxId,
      uid: pod.metadata.uid!,
      name: pod.metadata.name!,
      namespace: pod.metadata.namespace ?? 'default',
      attempt: 0,
      created: now,
      netns: s.netns,
      labels: (pod.metadata.labels ?? {}) as Record<string, string>,
      shimPid: own[0]!,
      pausePid: own[1]!,
      containers: started.map(({ c, args }, i) => ({
        id: c.id,
        name: c.name,
        image: c.image,
        attempt: s.restarts?.get(c.name) ?? 0,
        created: now,
        pid: pids[i]![0]!,
        // at its length: kept as long as the sandbox runs (push() leaves room for 16 more)
        pids: pids[i]!.slice(),
        args,
      })),
      hostNetwork,
      firstIno: first.ino,
      endPid: at.pid,
    };
    this.sandboxesByUid.set(rec.uid, rec);
    return rec;
  }

  /**
   * A sandbox's processes in the order they start, from `at`: the shim, pause, then each container's
   * (nginx: its master, then `worker_processes auto` workers running as nginx, uid 101). Each is told
   * to `each` with the index of its container (-1 for the shim and pause) and its PID; `made` lays
   * them out without making them.
   */
  private layOut(
    sandboxId: string,
    netns: string | undefined,
    hostNetwork: boolean,
    containers: readonly { readonly args: readonly string[] }[],
    start: number,
    at: Cursor,
    each: (p: Process | undefined, container: number, pid: number) => void,
    make = false,
  ): void {
    const shimPid = at.pid;
    each(this.made(at, 1, shimArgv(sandboxId), 'containerd-shim', undefined, 'l', start, make), -1, shimPid);
    // containerd makes the sandbox's network namespace (CNI's) before runc makes pause's others
    const net = hostNetwork ? this.root.net : at.ino++;
    const mnt = at.ino++;
    const uts = hostNetwork ? this.root.uts : at.ino++;
    const pns = { net, mnt, uts, ipc: at.ino++, pid: at.ino++ };
    // the options objects are written whole (no spreads: V8 takes microseconds for those)
    const pausePid = at.pid;
    each(this.made(at, shimPid, PAUSE_ARGV, 'pause', { ns: pns, netns }, 's', start, make), -1, pausePid);
    containers.forEach(({ args }, i) => {
      const ns = { net: pns.net, uts: pns.uts, ipc: pns.ipc, mnt: at.ino++, pid: at.ino++, cgroup: at.ino++ };
      const over = { ns, netns };
      const comm = commOf(args[0]!);
      const pid = at.pid;
      if (comm === 'nginx') {
        // nginx rewrites its title
        each(this.made(at, shimPid, make ? [`nginx: master process ${args.join(' ')}`] : NO_ARGV, 'nginx', over, 's', start, make), i, pid);
        const worker = { ns, netns, uid: 101 };
        for (let w = 0; w < NODE_CPUS; w++) {
          const wpid = at.pid;
          each(this.made(at, pid, NGINX_WORKER_ARGV, 'nginx', worker, '', start, make), i, wpid);
        }
      } else {
        each(this.made(at, shimPid, args, comm, over, 's', start, make), i, pid);
      }
    });
  }

  /** A sandbox's processes, made now as they were laid out when it started. */
  private processesOf(rec: Sandbox, out: Process[]): void {
    const at = { pid: rec.shimPid, ino: rec.firstIno };
    this.layOut(rec.id, rec.netns, rec.hostNetwork, rec.containers, rec.created, at, (p) => out.push(p!), true);
  }

  /** A pod's sandbox was torn down: its shim and everything under it exit. */
  sandboxStopped(uid: string): void {
    this.sandboxesByUid.delete(uid);
  }

  /** Every process, by PID. */
  list(): Process[] {
    const out = [...this.procs.values()];
    for (const rec of this.sandboxesByUid.values()) this.processesOf(rec, out);
    return out.sort((a, b) => a.pid - b.pid);
  }

  get(pid: number): Process | undefined {
    const own = this.procs.get(pid);
    if (own) return own;
    for (const rec of this.sandboxesByUid.values()) {
      if (pid < rec.shimPid || pid >= rec.endPid) continue;
      const out: Process[] = [];
      this.processesOf(rec, out);
      return out.find((p) => p.pid === pid);
    }
    return undefined;
  }

  sandboxes(): SandboxRecord[] {
    return [...this.sandboxesByUid.values()];
  }

  now(): number {
    return this.o.now();
  }
}

/** What ps and pgrep read: the processes one PID namespace sees, and the time. */
export interface ProcessView {
  list(): Process[];
  now(): number;
}

/**
 * The processes of container `containerId` as seen from inside it (its own PID namespace, as
 * `kubectl exec … ps` shows them): numbered from 1 in start order, threads taking numbers too, the
 * container's first process the namespace's init (PPID 0). Undefined for an unknown container.
 */
export function containerView(table: NodeProcesses, containerId: string): ProcessView | undefined {
  const c = table
    .sandboxes()
    .flatMap((s) => s.containers)
    .find((x) => x.id === containerId);
  const first = c && table.get(c.pid);
  if (!first) return undefined;
  const inside = table.list().filter((p) => p.ns.pid === first.ns.pid);
  const number = new Map<number, number>();
  let next = 1;
  for (const p of inside) {
    number.set(p.pid, next++);
    for (const t of p.threads) number.set(t, next++);
  }
  const list = inside.map((p) => ({
    ...p,
    pid: number.get(p.pid)!,
    ppid: number.get(p.ppid) ?? 0,
    threads: p.threads.map((t) => number.get(t)!),
  }));
  return { list: () => list, now: () => table.now() };
}

/** ps/lsns USER: the name /etc/passwd of the node gives the uid, else the number. */
export function userName(uid: number): string {
  return uid === 0 ? 'root' : String(uid);
}
