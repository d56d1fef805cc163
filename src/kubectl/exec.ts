// `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]` as kubectl v1.36's
// pkg/cmd/exec/exec.go runs it: the command after `--` (the old form without it is refused),
// the default container (kubectl.kubernetes.io/default-container, else the first, named on stderr
// when the pod has several: podcmd.FindOrDefaultContainerByName), the API server's checks of the
// container name and the pod's node (pkg/registry/core/pod/strategy.go streamLocation: a Status,
// printed as `Error from server (BadRequest): ...`), the kubelet's refusal of a container that is
// not running (plain text through the upgrade: `unable to upgrade connection: container not found
// ("c")`), and the remote command's exit status (`command terminated with exit code N`).
// The command runs in the node's container runtime, which the lab provides (KubectlEnv.runtime).
// Not emulated: the terminal (-t does not switch to raw mode or merge stderr into stdout).

import { ApiError, type KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf, usageError } from './env.js';
import { parseFlags } from './flags.js';
import { resolveResource } from './resources.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a command run in a container printed and its exit status. */
export interface ExecResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A member of a tar stream: a regular file or a directory (symlinks and devices are not carried). */
export interface TarMember {
  /** As tar stores it: relative, no leading '/'. */
  readonly name: string;
  readonly type: 'file' | 'dir';
  readonly data?: Uint8Array;
  readonly mode: number;
}

/** What `tar cf -` in a container produced. */
export interface TarResult {
  readonly status: number;
  readonly stderr: string;
  readonly members: readonly TarMember[];
}

/** The nodes' container runtime as kubectl reaches it through the API server and the kubelet. */
export interface ContainerRuntime {
  /**
   * Runs `command` in `container` of `pod` (kubelet's exec). Throws KubectlError with the kubelet's
   * text (`unable to upgrade connection: ...`) when the container does not run.
   */
  exec(
    pod: KubeObject,
    container: string,
    command: readonly string[],
    opts: { readonly stdin?: Uint8Array; readonly tty: boolean },
  ): Promise<ExecResult>;
  /**
   * `tar cf - PATH` in the container: the members it writes (names as tar stores them) and its
   * stderr and status; throws KubectlError as exec does (no tar in the image, container not running).
   */
  tarCreate?(pod: KubeObject, container: string, path: string): Promise<TarResult>;
  /** `tar -xmf - -C DIR` in the container, fed `members`; throws as exec does. */
  tarExtract?(pod: KubeObject, container: string, dir: string, members: readonly TarMember[]): Promise<ExecResult>;
  /**
   * kubectl attach: the container's own program (its command, else the image's entrypoint and CMD)
   * fed `stdin`, as a session attached from its start; throws KubectlError as exec does.
   */
  attach?(pod: KubeObject, container: string, opts: { readonly stdin?: Uint8Array; readonly tty: boolean }): Promise<ExecResult>;
  /** The container's log so far (kubelet's containerLogs); throws KubectlError as exec does. */
  logs(pod: KubeObject, container: string): string;
  /**
   * kubelet's port-forward: a connection to localhost:`port` in the pod's network namespace;
   * `events.onError` gets the kubelet's error text when nothing answers there.
   */
  portForward(pod: KubeObject, port: number, events: StreamEvents): PodStream;
}

/** What a forwarded connection reports. */
export interface StreamEvents {
  onConnect?(): void;
  onData?(data: Uint8Array): void;
  onEnd?(): void;
  onError?(reason: string): void;
}

/** A forwarded connection's sending side. */
export interface PodStream {
  send(data: Uint8Array): void;
  close(): void;
}

/** kubectl >= 1.31 refuses the old form without `--` (cmdutil.UsageErrorf; earlier versions warned that it was deprecated). */
const NO_DASH = 'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead';

/** podcmd.FindOrDefaultContainerByName without a name: the annotated default, else the first (said when there are several). */
export function defaultContainer(env: KubectlEnv, pod: KubeObject, quiet: boolean): string {
  const spec = pod.spec as Obj;
  const containers = (spec.containers ?? []) as Obj[];
  const init = (spec.initContainers ?? []) as Obj[];
  const ephemeral = (spec.ephemeralContainers ?? []) as Obj[];
  if (containers.length === 0) throw new KubectlError(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && [...containers, ...init, ...ephemeral].some((c) => c.name === annotated)) return annotated;
  const first = containers[0]!.name as string;
  if (!quiet && (containers.length > 1 || init.length > 0 || ephemeral.length > 0)) {
    const all = [...containers.map((c) => c.name), ...ephemeral.map((c) => `${c.name} (ephem)`), ...init.map((c) => `${c.name} (init)`)];
    env.io.stderr(`Defaulted container "${first}" out of: ${all.join(', ')}\n`);
  }
  return first;
}

/** The controllers whose pods kubectl finds by their selector (polymorphichelpers SelectorsForObject). */
const BY_SELECTOR = new Set(['deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs', 'services', 'replicationcontrollers']);

/**
 * podutils.ActivePods reversed, as attachablePodForObject sorts a controller's pods: scheduled
 * before unscheduled, Running before Pending, ready before not, ready longer, fewer restarts, older.
 */
function mostActiveFirst(a: KubeObject, b: KubeObject): number {
  const st = (p: KubeObject) => (p.status ?? {}) as Obj;
  const scheduled = (p: KubeObject) => ((p.spec as Obj).nodeName ? 1 : 0);
  const phase = (p: KubeObject) => (({ Pending: 0, Unknown: 1, Running: 2 }) as Record<string, number>)[st(p).phase as string] ?? 0;
  const readyCond = (p: KubeObject) => ((st(p).conditions ?? []) as Obj[]).find((c) => c.type === 'Ready' && c.status === 'True');
  const readySince = (p: KubeObject) => (readyCond(p)?.lastTransitionTime as string | undefined) ?? '';
  const restarts = (p: KubeObject) =>
    ((st(p).containerStatuses ?? []) as Obj[]).reduce((n, c) => Math.max(n, (c.restartCount as number) ?? 0), 0);
  const created = (p: KubeObject) => p.metadata.creationTimestamp ?? '';
  return (
    scheduled(b) - scheduled(a) ||
    phase(b) - phase(a) ||
    (readyCond(b) ? 1 : 0) - (readyCond(a) ? 1 : 0) ||
    readySince(a).localeCompare(readySince(b)) ||
    restarts(a) - restarts(b) ||
    created(a).localeCompare(created(b))
  );
}

/** The pod a POD or TYPE/NAME argument names: a pod, or the most active pod of a controller or service (attachablePodForObject). */
export function podArg(env: KubectlEnv, ns: string, arg: string): KubeObject {
  const slash = arg.indexOf('/');
  if (slash < 0) return env.client.get('pods', ns, arg);
  const info = resolveResource(env.client, arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (info.resource === 'pods') return env.client.get('pods', ns, name);
  const obj = env.client.get(info.resource, info.namespaced ? ns : undefined, name);
  // %T of the typed object: the Go package is the API version (*v1.ConfigMap, *v1.Deployment)
  const goType = `*${info.version}.${info.kind}`;
  if (!BY_SELECTOR.has(info.resource)) throw new KubectlError(`cannot attach to ${goType}: selector for ${goType} not implemented`);
  const spec = obj.spec as Obj;
  const labels = (
    info.resource === 'services' || info.resource === 'replicationcontrollers' ? spec.selector : spec.selector?.matchLabels
  ) as Record<string, string> | undefined;
  if (!labels || Object.keys(labels).length === 0) throw new KubectlError(`cannot attach to ${goType}: invalid label selector`);
  // matchExpressions are not read: the controllers knetlab runs select by matchLabels.
  const pods = env.client.list('pods', ns, {
    labelSelector: Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
  }).items;
  // GetFirstPod would wait --pod-running-timeout for one to appear; knetlab's cluster has settled already.
  if (pods.length === 0) throw new KubectlError('timed out waiting for the condition');
  return [...pods].sort(mostActiveFirst)[0]!;
}

/** The API server's streamLocation checks: the container must be in the spec, the pod on a node. */
export function streamTarget(pod: KubeObject, container: string): void {
  const spec = pod.spec as Obj;
  const name = pod.metadata.name!;
  const all = [
    ...((spec.containers ?? []) as Obj[]),
    ...((spec.initContainers ?? []) as Obj[]),
    ...((spec.ephemeralContainers ?? []) as Obj[]),
  ];
  if (!all.some((c) => c.name === container)) throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
  if (!spec.nodeName) throw new ApiError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
}

export async function exec(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  // cobra's ArgsLenAtDash: how many positional arguments came before `--`.
  const dash = argv.indexOf('--');
  const before = dash < 0 ? argv : argv.slice(0, dash);
  const p = parseFlags(before, [
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'stdin', short: 'i', kind: 'bool' },
    { name: 'tty', short: 't', kind: 'bool' },
    { name: 'quiet', short: 'q', kind: 'bool' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'pod-running-timeout', kind: 'string' },
  ]);
  const argsIn = [...p.args, ...(dash < 0 ? [] : argv.slice(dash + 1))];
  const atDash = dash < 0 ? -1 : p.args.length;
  const quiet = p.flags.quiet === true;
  if (((p.flags.filename as string[] | undefined) ?? []).length > 0)
    throw new KubectlError('knetlab: kubectl exec -f is not emulated; name the pod');
  const resource = argsIn.length > 0 && atDash !== 0 ? argsIn[0] : undefined;
  let command: string[] = [];
  if (atDash > -1) command = argsIn.slice(atDash);
  else if (argsIn.length > 1) throw usageError('exec', NO_DASH);
  if (resource === undefined) throw new KubectlError('pod, type/name or --filename must be specified');
  if (command.length === 0) throw new KubectlError('you must specify at least one command for the container');
  const ns = namespaceOf(env, p.flags.namespace);
  const pod = podArg(env, ns, resource);
  const phase = (pod.status as Obj | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new KubectlError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = (p.flags.container as string | undefined) || defaultContainer(env, pod, quiet);
  streamTarget(pod, container);
  if (!env.runtime)
    throw new KubectlError('knetlab: this cluster has no nodes\' data plane (kubelet and containers) to run "kubectl exec" on');
  const stdin = p.flags.stdin === true ? env.io.stdin : undefined;
  const r = await env.runtime.exec(pod, container, command, {
    ...(stdin ? { stdin } : {}),
    tty: p.flags.tty === true && p.flags.stdin === true,
  });
  env.io.stdout(r.stdout);
  env.io.stderr(r.stderr);
  if (r.status !== 0) {
    // client-go's remotecommand: a non-zero exit is CodeExitError; kubectl's CheckErr prints its text as is.
    env.io.stderr(`command terminated with exit code ${r.status}\n`);
    return r.status;
  }
  return 0;
}
