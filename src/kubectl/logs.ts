// `kubectl logs [-f] [--tail N] [--prefix] (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER]`: the container's log as the kubelet
// keeps it (stdout and stderr as written). The default container as for exec (with its
// "Defaulted container" line), the API server's container check, and the kubelet's answer for a
// container that has not started (`container "c" in pod "p" is waiting to start: ContainerCreating`).
// -f prints what comes next until interrupted (on a manual clock, which it does not run, at the interrupt).

import { containerStatus } from './attach.js';
import { ApiError, type KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf, usageError } from './env.js';
import { type Parsed, parseFlags } from './flags.js';
import { defaultContainer, podArg, streamTarget } from './exec.js';

/** How often -f looks for new lines (virtual ms). */
const FOLLOW_POLL_MS = 1000;

function tail(text: string, n: number | undefined): string {
  if (n === undefined || n < 0) return text;
  const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
  return lines.slice(Math.max(0, lines.length - n)).join('');
}

/**
 * The kubelet's answer for a container that has not started (validateContainerLogStatus). One
 * waiting to restart (CrashLoopBackOff) after a run shows that last run's log.
 */
export function started(pod: KubeObject, container: string): void {
  const status = containerStatus(pod, container);
  const waiting = status?.state?.waiting?.reason as string | undefined;
  if (!status || (waiting && !status.lastState?.terminated?.containerID))
    throw new ApiError(
      400,
      'BadRequest',
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`,
    );
}

/**
 * -p: the kubelet's refusal when the container never ended (validateContainerLogStatus); the log
 * of an instance that did is not kept (not emulated).
 */
function previous(pod: KubeObject, container: string): never {
  if (!containerStatus(pod, container)?.lastState?.terminated)
    throw new ApiError(400, 'BadRequest', `previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  throw new KubectlError('knetlab: kubectl logs --previous of a restarted container is not emulated (its earlier log is not kept)');
}

/** --prefix: each line led by its source (`[pod/NAME/CONTAINER] `). */
function prefixed(text: string, prefix: string): string {
  return prefix === '' ? text : text.replace(/^(?=.)/gm, prefix);
}

/**
 * `kubectl logs -l SELECTOR`: the logs of each selected pod's default container in turn, the last
 * 10 lines of each unless --tail says otherwise (logs.go selectorTail). Following several pods
 * (-f with -l) is not emulated.
 */
function selected(env: KubectlEnv, args: readonly string[], selector: string, p: Parsed): number {
  if (args.length === 1) throw usageError('logs', 'only a selector (-l) or a POD name is allowed');
  if (args.length > 0) throw usageError('logs', USAGE);
  if (p.flags.follow === true) throw new KubectlError('knetlab: kubectl logs -f with a selector (-l) is not emulated');
  const ns = namespaceOf(env, p.flags.namespace);
  const pods = env.client.list('pods', ns, { labelSelector: selector }).items;
  if (pods.length === 0) {
    env.io.stderr(`No resources found in ${ns} namespace.\n`);
    return 0;
  }
  if (!env.runtime) throw new KubectlError("knetlab: this cluster has no nodes' data plane (kubelet and containers) to read logs from");
  const n = p.changed.has('tail') ? (p.flags.tail as number | undefined) : 10;
  for (const pod of pods) {
    const container = (p.flags.container as string | undefined) || defaultContainer(env, pod, false);
    started(pod, container);
    env.io.stdout(
      prefixed(tail(env.runtime.logs(pod, container), n), p.flags.prefix === true ? `[pod/${pod.metadata.name}/${container}] ` : ''),
    );
  }
  return 0;
}

// cmdutil.UsageErrorf(cmd, logsUsageErrStr) (kubectl v1.36 pkg/cmd/logs/logs.go)
const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

export async function logs(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'container', short: 'c', kind: 'string' },
    { name: 'follow', short: 'f', kind: 'bool' },
    { name: 'tail', kind: 'int' },
    { name: 'previous', short: 'p', kind: 'bool' },
    { name: 'timestamps', kind: 'bool' },
    { name: 'all-containers', kind: 'bool' },
    { name: 'since', kind: 'string' },
    { name: 'since-time', kind: 'string' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'prefix', kind: 'bool' },
  ]);
  for (const f of ['timestamps', 'all-containers', 'since', 'since-time']) {
    if (p.changed.has(f)) throw new KubectlError(`knetlab: kubectl logs --${f} is not emulated`);
  }
  const selector = p.flags.selector as string | undefined;
  if (selector) return selected(env, p.args, selector, p);
  // cmdutil.UsageErrorf(cmd, logsUsageErrStr) (kubectl v1.36 pkg/cmd/logs/logs.go)
  if (p.args.length === 0 || p.args.length > 2) throw usageError('logs', USAGE);
  const ns = namespaceOf(env, p.flags.namespace);
  const pod = podArg(env, ns, p.args[0]!);
  // `kubectl logs POD CONTAINER`: the old positional form of -c.
  const container = (p.flags.container as string | undefined) || p.args[1] || defaultContainer(env, pod, false);
  streamTarget(pod, container);
  if (p.flags.previous === true) previous(pod, container);
  started(pod, container);
  if (!env.runtime) throw new KubectlError("knetlab: this cluster has no nodes' data plane (kubelet and containers) to read logs from");
  let seen = env.runtime.logs(pod, container);
  env.io.stdout(
    prefixed(tail(seen, p.flags.tail as number | undefined), p.flags.prefix === true ? `[pod/${pod.metadata.name}/${container}] ` : ''),
  );
  const signal = env.io.signal;
  if (p.flags.follow !== true || !signal) return 0;
  const runtime = env.runtime;
  const more = () => {
    const now = runtime.logs(pod, container);
    if (now.length > seen.length) env.io.stdout(now.slice(seen.length));
    seen = now;
  };
  if (env.io.liveClock && env.io.wait) {
    // The clock follows the wall clock: look for new lines as time passes, until interrupted.
    while (!signal.aborted) {
      await env.io.wait(FOLLOW_POLL_MS);
      more();
    }
    return 0;
  }
  // A manual clock moves only when a command lets it: following does not run it; new lines show at the interrupt.
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  more();
  return 0;
}
