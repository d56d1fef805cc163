// What one kubectl invocation works with: the API client, the client's streams and files, the
// kubeconfig, the namespace in force; and how errors end a command (kubectl's cmdutil.CheckErr).

import { ApiError, type ApiClient, type KubeObject, type ResourceInfo } from '../api/index.js';
import { UsageError } from './flags.js';
import type { ContainerRuntime, PodStream, StreamEvents } from './exec.js';

/** The streams and files of the client (the shape of the lab's CommandIo, plus directory listing for `-f DIR`). */
export interface KubectlIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly stdin?: Uint8Array;
  readFile(path: string): Uint8Array | undefined;
  /** Entries of a directory (names), or undefined when `path` is not one. */
  readDir?(path: string): string[] | undefined;
  /** Creates or replaces a client file (kubectl cp out of a pod). */
  writeFile?(path: string, data: Uint8Array): void;
  /** Creates a client directory and its parents (kubectl cp of a directory). */
  makeDir?(path: string): void;
  /**
   * The body at an http(s) URL (`-f https://…`): the lab has no network, so it answers only the
   * manifests it knows; undefined for any other address.
   */
  readUrl?(url: string): Uint8Array | undefined;
  readonly signal?: AbortSignal;
  /** The client process as -v's log lines name it. */
  readonly client?: ClientProcess;
  /** The machine's time in ms, sub-millisecond, for what kubectl prints of it (-v's klog lines); absent: the cluster's clock. */
  wallClock?(): number;
  /** Lets `ms` of virtual time pass (the lab's clock), for --timeout; without it waits end only on the signal. */
  wait?(ms: number): Promise<unknown>;
  /**
   * A manual clock's next event: runs it if it is due within `withinMs` of virtual time and says
   * whether it ran. Absent, or false, when the clock is live (time moves by itself) or nothing is due.
   */
  step?(withinMs: number): boolean | Promise<boolean>;
  /** Whether virtual time follows the wall clock (the lab server's default); a manual clock moves only when a command lets it. */
  readonly liveClock?: boolean;
  /**
   * Listens on a TCP port of this machine while the command runs (port 0: any free one), each
   * client carried over `open`; rejects with Go's net.Listen text. Only the lab server has it.
   */
  listen?(ip: string, port: number, open: (events: StreamEvents) => PodStream): Promise<{ readonly port: number; close(): void }>;
}

/** The process the user ran kubectl as (the front end's), for -v's log lines. */
export interface ClientProcess {
  /** The kubeconfig file kubectl would load: $KUBECONFIG's first entry, else ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Its PID (klog's thread id column). */
  readonly pid?: number;
}

/** Go's time.ParseDuration for --timeout values: `30s`, `1m30s`, `500ms`, `0`, `-1s`. */
export function parseGoDuration(s: string): number {
  if (s === '0') return 0;
  const m = /^([+-])?((?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s);
  if (!m) throw new KubectlError(`invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`);
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) total += parseFloat(part[1]!) * unit[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

/**
 * Resolves true when `check` holds (tested now and after each watch event), false when the
 * timeout's virtual time passes or the client interrupts. timeoutMs undefined: no timeout.
 */
export async function waitUntil(
  env: KubectlEnv,
  check: () => boolean,
  subscribe: (onChange: () => void) => () => void,
  timeoutMs?: number,
): Promise<boolean> {
  if (check()) return true;
  if (timeoutMs === 0) return false;
  const signal = env.io.signal;
  // A manual clock moves only when a waiter lets it: event by event, so that the controllers and
  // kubelets progress meanwhile and the wait ends at the instant its condition holds.
  // the deadline on the API's clock, each step asked for what is left of it (the lab's clock counts
  // from its own start: an absolute deadline would never come, and a wait never time out)
  const until = timeoutMs === undefined ? Infinity : env.client.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) break;
    const stepped = env.io.step?.(until - env.client.now());
    // a promise: a container script the step resumed runs first
    if (!(typeof stepped === 'boolean' || stepped === undefined ? stepped : await stepped)) break;
    if (check()) return true;
  }
  const canTimeOut = timeoutMs !== undefined && env.io.wait !== undefined;
  if (!canTimeOut && (!signal || signal.aborted)) return false;
  let stop = () => {};
  const result = await new Promise<boolean>((resolve) => {
    stop = subscribe(() => {
      if (check()) resolve(true);
    });
    signal?.addEventListener('abort', () => resolve(false), { once: true });
    // what is left of the deadline (the steps above may have used it all)
    if (canTimeOut) void env.io.wait!(Math.max(0, until - env.client.now())).then(() => resolve(check()));
  });
  stop();
  return result;
}

export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

/** The kubeconfig as kubectl sees it (kind writes `kind-<name>` contexts into it). */
export interface KubeConfig {
  currentContext: string;
  contexts: KubeContext[];
  /** The API server URL of a cluster entry, e.g. `https://127.0.0.1:40123`. */
  server(cluster: string): string | undefined;
  useContext(name: string): void;
}

export interface KubectlEnv {
  client: ApiClient;
  io: KubectlIo;
  config?: KubeConfig;
  /** The nodes' container runtime (exec, logs), when the cluster has a data plane. */
  runtime?: ContainerRuntime;
}

/** An error kubectl prints as `error: <message>`. */
export class KubectlError extends Error {}

/** cmdutil.UsageErrorf: the message, then where the command's help is. */
export function usageError(command: string, message: string): KubectlError {
  return new KubectlError(`${message}\nSee 'kubectl ${command} -h' for help and examples`);
}

/** An error already printed in full (several lines, or a format of its own). */
export class RawError extends Error {}

/** kubectl's StandardErrorMessage / checkErr: how an error reads on stderr. */
export function errorText(e: unknown, command?: string): string {
  if (e instanceof ApiError) {
    const causes = e.details?.causes ?? [];
    if (e.reason === 'Invalid' && (e.details?.kind || e.details?.name)) {
      const prefix = `The ${e.details?.kind ?? ''} "${e.details?.name ?? ''}" is invalid: `;
      if (causes.length === 0) return `${prefix}${e.message}\n`;
      if (causes.length === 1) return `${prefix}${causes[0]!.field}: ${causes[0]!.message}\n`;
      return `${prefix}\n${causes.map((c) => `* ${c.field}: ${c.message}\n`).join('')}`;
    }
    return `Error from server (${e.reason}): ${e.message}\n`;
  }
  if (e instanceof UsageError) return `error: ${e.message}\nSee 'kubectl${command ? ` ${command}` : ''} --help' for usage.\n`;
  if (e instanceof RawError) return e.message.endsWith('\n') ? e.message : `${e.message}\n`;
  if (e instanceof KubectlError) return `error: ${e.message}\n`;
  throw e;
}

/** cmdutil.AddSourceToErr: `error when creating "x.yaml": ` before a server error's message. */
export function withSource(verb: string, source: string | undefined, e: unknown): unknown {
  if (!source || !(e instanceof ApiError) || e.reason === 'Invalid') return e;
  return new ApiError(e.status, e.reason, `error when ${verb} "${source}": ${e.message}`, e.details);
}

/** The namespace in force: --namespace, else the context's, else `default`. */
export function namespaceOf(env: KubectlEnv, flag: unknown): string {
  if (typeof flag === 'string' && flag !== '') return flag;
  const cfg = env.config;
  const ctx = cfg?.contexts.find((c) => c.name === cfg.currentContext);
  return ctx?.namespace || 'default';
}

/** `pod/nginx`, `deployment.apps/web`: how kubectl names an object in its messages. */
export function objectRef(info: ResourceInfo, name: string): string {
  return `${(info.group ? `${info.kind}.${info.group}` : info.kind).toLowerCase()}/${name}`;
}

export function nameOf(obj: KubeObject): string {
  return obj.metadata?.name ?? '';
}
