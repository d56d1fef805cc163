// The nodes' container runtime as `kubectl exec` and `kubectl logs` reach it: the kubelet of the
// pod's node knows its running containers; a command runs in the container's shell (just-bash over
// the container's own files, with the image's commands), its network tools on the node's kernel in
// the pod's network namespace, as processes of the pod's sandbox are. Containers of one pod share
// that namespace (same IP, localhost reaches the other container's listener), not their files.
import type { KubeObject } from '../api/index.js';
import {
  EPOCH_MS,
  execArgv,
  withMounts,
  type BindMount,
  tarCreate as dockerTarCreate,
  tarExtract as dockerTarExtract,
  type ContainerShell,
  type Files,
  type TarFlavour,
  type Tool,
} from '../docker/index.js';
import { KubectlError, RawError, type ContainerRuntime } from '../kubectl/index.js';
import {
  containerArgv,
  containerView,
  imageOf,
  kubeletEnv,
  podResolvConf,
  runScript,
  scriptArgv,
  serviceVarsAtStart,
  type Kubelet,
  type RunningContainer,
  type WorkloadImage,
} from '../node/index.js';
import { MUSL_LOADER } from '../apps/dns/resolver.js';
import { BUSYBOX_EMULATED } from '../apps/busybox/applets.js';
import { NodeFiles, Rng } from '../sim/index.js';
import { fromBase64 } from './journal.js';
import { projectedFiles } from './projected.js';
import type { Lab } from './lab.js';
import { containerRunning } from './docker-state.js';
import { tcpEvents } from './published.js';
import { procNet, tcpOf } from '../kernel/index.js';
import { parseIpv4 } from '../wire/index.js';
import { ps } from './procs/ps.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The emulated network tools a container's shell runs on its node's kernel (those the image has). */
const NET_TOOLS = [
  'ip',
  'bridge',
  'ping',
  'tcpdump',
  'sysctl',
  'curl',
  'iptables',
  'iptables-save',
  'iptables-restore',
  'ipset',
  'ipvsadm',
  'conntrack',
  'python3',
  'dig',
  'host',
  'nslookup',
  'getent',
  'ss',
  'nc',
  'iperf3',
];

/** An image knetlab does not know: Debian's base tools, as most images built on it have. */
const UNKNOWN_IMAGE_COMMANDS = [
  'bash',
  'sh',
  'cat',
  'echo',
  'ls',
  'grep',
  'sed',
  'awk',
  'head',
  'tail',
  'tar',
  'test',
  'sleep',
  'env',
  'printenv',
  'hostname',
  'date',
  'true',
  'false',
];

/**
 * The pod's /etc/hosts as the kubelet writes it (kubelet_pods.go ensureHostsFile): for a pod on the
 * pod network managedHostsFileContent (its default entries, then each pod IP with
 * `<hostname>.<subdomain>.<ns>.svc.<domain>` before the hostname when it has a subdomain); for a
 * hostNetwork pod nodeHostsFileContent (the node's own file under its header); then the
 * `spec.hostAliases`, one line an IP (hostsEntriesFromHostAliases).
 */
function hostsFile(pod: KubeObject, nodeHosts: () => string): string {
  const spec = pod.spec as Obj;
  const aliases = (spec.hostAliases ?? []) as Obj[];
  const fromAliases = aliases.length
    ? `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${((a.hostnames ?? []) as string[]).join('\t')}\n`).join('')}`
    : '';
  if (spec.hostNetwork === true) return `# Kubernetes-managed hosts file (host network).\n${nodeHosts()}${fromAliases}`;
  const hostname = podHostname(pod);
  const names =
    typeof spec.subdomain === 'string' && spec.subdomain
      ? `${hostname}.${spec.subdomain}.${pod.metadata.namespace ?? 'default'}.svc.cluster.local\t${hostname}`
      : hostname;
  const status = (pod.status ?? {}) as Obj;
  const ips = ((status.podIPs ?? []) as Obj[]).map((p) => p.ip as string);
  if (!ips.length) ips.push((status.podIP as string | undefined) ?? '');
  return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ips.map((ip) => `${ip}\t${names}\n`).join('')}${fromAliases}`;
}

// The files of each container, by pod uid and container name, made on first exec; freed when the
// kubelet tears the pod down (containerd removes the containers' snapshots with the pod).
const containerFiles = new WeakMap<Lab, Map<string, Map<string, Files>>>();
const watched = new WeakSet<Kubelet>();

/** How many pods' container files the runtime holds (tests: deleted pods leave none behind). */
export function runtimePodsHeld(lab: Lab): number {
  return containerFiles.get(lab)?.size ?? 0;
}

/**
 * A pod's hostname: its `spec.hostname` or else its name (kubelet's GeneratePodHostNameAndDomain), or
 * its node's for a hostNetwork pod (which shares the node's UTS namespace).
 */
function podHostname(pod: KubeObject): string {
  const spec = pod.spec as Obj;
  if (spec.hostNetwork === true && typeof spec.nodeName === 'string') return spec.nodeName;
  return typeof spec.hostname === 'string' && spec.hostname ? spec.hostname : pod.metadata.name!;
}

/** The container's hostPath volumes, bind mounts of the node's files (kubectl debug node's /host, kindnet's /etc/cni/net.d). */
function hostMounts(pod: KubeObject, container: Obj, nodeFiles: Files): BindMount[] {
  const volumes = new Map<string, Obj>((((pod.spec as Obj).volumes ?? []) as Obj[]).map((v) => [v.name as string, v]));
  const out: BindMount[] = [];
  for (const m of (container.volumeMounts ?? []) as Obj[]) {
    const source = volumes.get(m.name)?.hostPath?.path;
    if (typeof source === 'string' && typeof m.mountPath === 'string') out.push({ at: m.mountPath, files: nodeFiles, source });
  }
  return out;
}

function filesOf(
  lab: Lab,
  cluster: string,
  kubelet: Kubelet,
  pod: KubeObject,
  container: Obj,
  dnsIp: string | undefined,
  hostResolvConf: string,
  nodeFiles: Files,
): Files {
  return withMounts(
    containerTree(lab, cluster, kubelet, pod, container, dnsIp, hostResolvConf, nodeFiles),
    hostMounts(pod, container, nodeFiles),
  );
}

function containerTree(
  lab: Lab,
  cluster: string,
  kubelet: Kubelet,
  pod: KubeObject,
  container: Obj,
  dnsIp: string | undefined,
  hostResolvConf: string,
  nodeFiles: Files,
): Files {
  let all = containerFiles.get(lab);
  if (!all) containerFiles.set(lab, (all = new Map()));
  if (!watched.has(kubelet)) {
    watched.add(kubelet);
    const held = all;
    kubelet.onTeardown((uid) => held.delete(uid));
  }
  const uid = pod.metadata.uid!;
  let pf = all.get(uid);
  if (!pf) all.set(uid, (pf = new Map()));
  const key = container.name as string;
  let f = pf.get(key);
  if (f) return f;
  f = new NodeFiles(() => lab.clock.now());
  for (const d of [
    '/bin',
    '/etc',
    '/lib',
    '/proc',
    '/root',
    '/tmp',
    '/usr',
    '/usr/bin',
    '/usr/local',
    '/usr/local/bin',
    '/usr/sbin',
    '/sbin',
    '/var',
    '/var/run',
    '/var/run/secrets',
  ])
    f.mkdirp(d);
  const name = podHostname(pod);
  f.write('/etc/hostname', `${name}\n`, { mode: 0o644 });
  f.write(
    '/etc/hosts',
    hostsFile(pod, () => new TextDecoder().decode(nodeFiles.read('/etc/hosts') ?? new Uint8Array())),
    { mode: 0o644 },
  );
  f.write('/etc/resolv.conf', podResolvConf(pod, { clusterDns: dnsIp ? [dnsIp] : [], clusterDomain: 'cluster.local', hostResolvConf }), {
    mode: 0o644,
  });
  const image = typeof container.image === 'string' ? imageOf(container.image) : undefined;
  // Alpine's musl: its loader is how a program's resolver shows which C library it has
  if (image?.libc === 'musl') f.write(MUSL_LOADER, '\x7fELF knetlab placeholder for musl\n', { mode: 0o755 });
  for (const c of image?.commands ?? UNKNOWN_IMAGE_COMMANDS)
    f.write(`/usr/bin/${c}`, `\x7fELF knetlab placeholder for ${c}\n`, { mode: 0o755 });
  mountVolumes(
    f,
    pod,
    container,
    (kind, name) => lab.kind.get(cluster)?.cluster.api.get(kind, pod.metadata.namespace ?? 'default', name),
    Math.floor((EPOCH_MS + lab.clock.now()) / 1000),
  );
  pf.set(key, f);
  return f;
}

/**
 * The container's configMap and secret volumes, as the kubelet's volume plugins fill them (keys, or
 * `items` at their paths, `subPath` for one file; defaultMode 0644). Coarse: the files are plain
 * files, without the atomic writer's `..data` symlinks; written when the container's files are
 * first looked at, not kept in step with later edits.
 */
function mountVolumes(
  f: Files,
  pod: KubeObject,
  container: Obj,
  get: (kind: 'configmaps' | 'secrets', name: string) => KubeObject | undefined,
  nowS: number,
): void {
  const volumes = new Map<string, Obj>((((pod.spec as Obj).volumes ?? []) as Obj[]).map((v) => [v.name as string, v]));
  for (const m of (container.volumeMounts ?? []) as Obj[]) {
    const v = volumes.get(m.name);
    if (v?.projected) {
      // the ServiceAccount's kube-api-access-* volume, among others (projected.ts)
      const at = String(m.mountPath).replace(/\/+$/, '');
      const mode = (v.projected.defaultMode as number | undefined) ?? 0o644;
      for (const [path, data] of projectedFiles(pod, v.projected, get, nowS)) {
        const full = `${at}/${path}`;
        f.mkdirp(full.slice(0, full.lastIndexOf('/')));
        f.write(full, data, { mode });
      }
      continue;
    }
    const source = v?.configMap ?? v?.secret;
    if (!source) continue;
    let obj: KubeObject | undefined;
    try {
      obj = get(v!.configMap ? 'configmaps' : 'secrets', (source.name ?? source.secretName) as string);
    } catch {
      continue; // a missing optional source leaves the directory empty
    }
    const data: Record<string, Uint8Array> = {};
    const enc = new TextEncoder();
    for (const [k, text] of Object.entries(((obj as Obj | undefined)?.data ?? {}) as Record<string, string>))
      data[k] = v!.secret ? fromBase64(text) : enc.encode(text);
    const items = ((source.items ?? Object.keys(data).map((key) => ({ key, path: key }))) as Obj[]).filter(
      (i) => data[i.key] !== undefined,
    );
    const mode = (source.defaultMode as number | undefined) ?? 0o644;
    const at = String(m.mountPath).replace(/\/+$/, '');
    if (m.subPath) {
      const item = items.find((i) => i.path === m.subPath);
      if (item) {
        f.mkdirp(at.slice(0, at.lastIndexOf('/')) || '/');
        f.write(at, data[item.key]!, { mode: (item.mode as number | undefined) ?? mode });
      }
      continue;
    }
    f.mkdirp(at);
    for (const i of items) {
      const path = `${at}/${i.path}`;
      f.mkdirp(path.slice(0, path.lastIndexOf('/')));
      f.write(path, data[i.key]!, { mode: (i.mode as number | undefined) ?? mode });
    }
  }
}

/** BusyBox's tar in BusyBox and Alpine images, GNU tar in the others (Debian's). */
function tarFlavour(image: WorkloadImage | undefined): TarFlavour {
  return image?.busybox?.includes('tar') ? 'busybox' : 'gnu';
}

function clusterDnsIp(lab: Lab): string | undefined {
  try {
    return (lab.kind.byContext()?.cluster.api.get('services', 'kube-system', 'kube-dns').spec as Obj | undefined)?.clusterIP as
      | string
      | undefined;
  } catch {
    return undefined;
  }
}

/** The running container, or kubelet's refusal as kubectl prints it. */
function running(lab: Lab, pod: KubeObject, container: string) {
  const nodeName = (pod.spec as Obj).nodeName as string;
  const node = lab.kind.node(nodeName);
  if (node && !containerRunning(lab, nodeName)) {
    // UNVERIFIED (transcripts): the API server cannot reach a stopped node's kubelet; its proxy's error, which kubectl prints as an unknown-reason Status.
    throw new RawError(`Error from server: error dialing backend: dial tcp ${node.info.ip}:10250: connect: no route to host`);
  }
  const c = node?.kubelet?.container(pod.metadata.namespace ?? 'default', pod.metadata.name!, container);
  // kubelet GetExec/GetAttach: no such running container; the text reaches kubectl through the upgrade.
  if (!node || !c) throw new KubectlError(`unable to upgrade connection: container not found ("${container}")`);
  return { node, c };
}

/** The kind node a container runs on. */
type KindNode = NonNullable<ReturnType<Lab['kind']['node']>>;

/**
 * The container's shell as the runtime's exec makes it: its files, the image's network tools on the
 * node's kernel in the pod's network namespace, the environment containerd gives its processes.
 */
function containerShell(
  lab: Lab,
  node: KindNode,
  pod: KubeObject,
  c: Pick<RunningContainer, 'id' | 'netns' | 'serviceVars'>,
  spec: Obj,
  image: WorkloadImage | undefined,
  files: Files,
  hooks: Pick<ContainerShell, 'signal' | 'sleep' | 'log'>,
  tty = false,
): ContainerShell {
  const signal = hooks.signal ?? NEVER;
  const session = node.host.session;
  const hostname = podHostname(pod);
  const tools: Record<string, Tool> = {};
  // The tools read and write the container's files (/etc/resolv.conf, /etc/hosts), from its working directory /.
  const abs = (p: string) => (p.startsWith('/') ? p : `/${p}`);
  const io = { readFile: (p: string) => files.read(abs(p)), writeFile: (p: string, d: Uint8Array) => files.write(abs(p), d) };
  // BusyBox's applets print BusyBox's output: ping, nslookup and wget are emulated (`busybox ping`), the others say they are not.
  const applets = Object.keys(BUSYBOX_EMULATED).filter((t) => image?.busybox?.includes(t));
  for (const name of [...NET_TOOLS.filter((t) => !image?.busybox?.includes(t)), ...applets]) {
    tools[name] = (args, stdin) => {
      const program = image?.busybox?.includes(name) ? [image.busyboxProgram ?? 'busybox', name] : [name];
      const argv = c.netns === undefined ? [...program, ...args] : ['ip', 'netns', 'exec', c.netns, ...program, ...args];
      const r = session.exec(argv, stdin === '' ? undefined : stdin, hostname, signal, { files: io });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
  }
  // procps' ps (netshoot's) sees the container's own PID namespace; BusyBox's ps is not emulated
  const view = node.processes ? containerView(node.processes, c.id) : undefined;
  if (view && image?.commands.includes('ps') && !image.busybox?.includes('ps')) tools.ps = (args) => ps(view, args);
  // containerd's order: PATH (WithDefaultPathEnv), HOSTNAME, the kubelet's variables; TERM for a
  // tty exec; runc adds HOME last when unset (the images' own ENV lines are not modelled)
  const env: Record<string, string> = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: hostname };
  for (const [k, v] of kubeletEnv(spec, c.serviceVars)) env[k] = v;
  if (tty) env.TERM = 'xterm';
  env.HOME ??= '/root';
  const netns = c.netns === undefined ? session.host.root : session.host.netns(c.netns);
  return {
    files,
    ...(netns ? { sysctl: netns.sysctl, procNet: procNet(netns) } : {}),
    hostname,
    env,
    tools,
    sh: image?.busybox?.includes('sh') ? 'ash' : 'dash',
    now: () => lab.clock.now(),
    ...hooks,
    signal,
  };
}

const NEVER = new AbortController().signal;

/**
 * The lab's runner of containers whose program is a script or a plain command of their image
 * (node/script.ts): the script runs in the shell `kubectl exec` would get, started when the kubelet
 * has written the pod's status (its IP in /etc/hosts), sleeping on the lab's clock.
 */
export function labScripts(lab: Lab): NonNullable<Lab['kind']['scripts']> {
  return (node, pod, spec, netns) => {
    const image = typeof spec.image === 'string' ? imageOf(spec.image) : undefined;
    const argv = scriptArgv(image, spec);
    if (!argv) return undefined;
    const api = lab.kind.get(node.cluster)?.cluster.api;
    return runScript(lab.clock, async (hooks) => {
      let cur = pod;
      try {
        cur = api?.get('pods', pod.metadata.namespace, pod.metadata.name!) ?? pod;
      } catch {
        // deleted meanwhile: its files are made from what the kubelet was given
      }
      const files = filesOf(
        lab,
        node.cluster,
        node.kubelet!,
        cur,
        spec,
        clusterDnsIp(lab),
        node.files.readText('/etc/resolv.conf') ?? '',
        node.files,
      );
      const serviceVars = api ? serviceVarsAtStart(api, cur) : [];
      const shell = containerShell(lab, node, cur, { id: '', netns, serviceVars }, spec, image, files, hooks);
      return execArgv(shell, image?.commands ?? UNKNOWN_IMAGE_COMMANDS, argv);
    });
  };
}

/** The container runtime of the lab's kind nodes, for the kubectl family. */
export function labRuntime(lab: Lab, signal: AbortSignal): ContainerRuntime {
  /** The running container, its spec, image and files. */
  const open = (pod: KubeObject, container: string) => {
    const { node, c } = running(lab, pod, container);
    const spec = [...((pod.spec as Obj).containers as Obj[]), ...(((pod.spec as Obj).ephemeralContainers ?? []) as Obj[])].find(
      (x) => x.name === container,
    ) ?? { name: container, image: c.image };
    const image = typeof spec.image === 'string' ? imageOf(spec.image) : undefined;
    const files = filesOf(
      lab,
      node.cluster,
      node.kubelet!,
      pod,
      spec,
      clusterDnsIp(lab),
      node.files.readText('/etc/resolv.conf') ?? '',
      node.files,
    );
    return { node, c, spec, image, files };
  };
  /** containerd's exec failure for a program not in the image, as the kubelet returns it to kubectl. */
  const notFound = (pod: KubeObject, container: string, name: string) => {
    // containerd's exec id: random; seeded here by the container and the time, so a failed exec draws from no shared randomness
    const id = [...new Rng(`${pod.metadata.uid}/${container}/exec/${lab.clock.now()}`).bytes(32)]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    // UNVERIFIED (transcripts)
    return new KubectlError(
      `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": ${name.includes('/') ? `stat ${name}: no such file or directory` : 'executable file not found in $PATH'}: unknown`,
    );
  };
  /** kubectl cp's tar: the image must have it. */
  const withTar = (pod: KubeObject, container: string) => {
    const opened = open(pod, container);
    if (!(opened.image?.commands ?? UNKNOWN_IMAGE_COMMANDS).includes('tar')) throw notFound(pod, container, 'tar');
    return opened;
  };
  return {
    async exec(pod, container, command, opts) {
      const { node, c, spec, image, files } = open(pod, container);
      const shell = containerShell(
        lab,
        node,
        pod,
        c,
        spec,
        image,
        files,
        { signal, sleep: async (ms) => void (await lab.wait(ms, signal)) },
        opts.tty,
      );
      const stdin = opts.stdin ? new TextDecoder().decode(opts.stdin) : undefined;
      const r = await execArgv(shell, image?.commands ?? UNKNOWN_IMAGE_COMMANDS, command, stdin);
      if (r === undefined) throw notFound(pod, container, command[0]!);
      return r;
    },
    async attach(pod, container, opts) {
      const { spec, image } = open(pod, container);
      // the image's program; an image knetlab does not know is taken as one whose CMD is a shell
      const argv = image ? containerArgv(image, spec) : Array.isArray(spec.command) ? [...spec.command, ...(spec.args ?? [])] : ['sh'];
      if (argv.length === 0) throw new KubectlError(`knetlab: image ${String(spec.image)} has no program to attach to`);
      const r = await this.exec(pod, container, argv, opts);
      // attached from its start, the session is the container's main process: its end is the container's
      if (spec.stdin === true) {
        const { node } = running(lab, pod, container);
        node.kubelet?.containerExited(pod.metadata.namespace ?? 'default', pod.metadata.name!, container, r.status);
      }
      return r;
    },
    async tarCreate(pod, container, path) {
      const { image, files } = withTar(pod, container);
      return dockerTarCreate(files, path, tarFlavour(image));
    },
    async tarExtract(pod, container, dir, members) {
      const { image, files } = withTar(pod, container);
      return { stdout: '', ...dockerTarExtract(files, dir, members, tarFlavour(image)) };
    },
    logs(pod, container) {
      const { c } = running(lab, pod, container);
      return c.program?.logs?.() ?? '';
    },
    portForward(pod, port, events) {
      const first = ((pod.spec as Obj).containers as Obj[])[0]!.name as string;
      const { node, c } = running(lab, pod, first);
      const ns = c.netns === undefined ? node.host.session.host.root : node.host.session.host.netns(c.netns);
      if (!ns) throw new KubectlError(`unable to upgrade connection: pod ${pod.metadata.name} has no network namespace`);
      const key = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
      const sandbox =
        node
          .kubelet!.sandboxes()
          .filter((s) => s.key === key)
          .at(-1)?.sandboxId ?? '';
      // UNVERIFIED (transcripts): containerd's portforward failure as the kubelet sends it on the error stream.
      const refused = (errno: string) =>
        `error forwarding port ${port} to pod ${sandbox}, uid : failed to execute portforward in network namespace "/var/run/netns/${c.netns ?? ''}": failed to connect to localhost:${port} inside namespace "${sandbox}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${errno === 'ECONNREFUSED' ? 'connection refused' : errno} IPv6 dial tcp6: address localhost: no suitable address found `;
      return tcpOf(ns).connect(LOCALHOST, port, {}, tcpEvents({ ...events, onError: (errno) => events.onError?.(refused(errno)) }));
    },
  };
}

const LOCALHOST = parseIpv4('127.0.0.1')!;
