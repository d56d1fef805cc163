// Attaching to a container's program, as `kubectl attach` does for `kubectl run -i` and
// `kubectl debug -i` (pkg/cmd/attach): wait until the container runs (or has ended), say how the
// session is recorded, then the program reads the client's stdin and its output comes back.
import type { KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, waitUntil } from './env.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The status of the pod's container `name`, among its containers' and its ephemeral containers'. */
export function containerStatus(pod: KubeObject, name: string): Obj | undefined {
  const status = pod.status as Obj | undefined;
  return [
    ...((status?.containerStatuses ?? []) as Obj[]),
    ...((status?.initContainerStatuses ?? []) as Obj[]),
    ...((status?.ephemeralContainerStatuses ?? []) as Obj[]),
  ].find((s) => s.name === name);
}

export interface AttachOptions {
  readonly ns: string;
  /** -i: the program reads the client's stdin. */
  readonly interactive: boolean;
  readonly tty: boolean;
  readonly quiet: boolean;
}

/** Attaches to `container` of the pod `created`; returns 0 (kubectl's status does not follow the program's), 1 when interrupted. */
export async function attachContainer(env: KubectlEnv, created: KubeObject, container: string, o: AttachOptions): Promise<number> {
  const name = created.metadata.name!;
  // waitForContainer: until the container runs (or has ended)
  const state = () => {
    const p = env.client.get('pods', o.ns, name);
    const st = containerStatus(p, container)?.state as Obj | undefined;
    return st?.running || st?.terminated ? p : undefined;
  };
  const ready = await waitUntil(
    env,
    () => state() !== undefined,
    (fn) => env.client.watch('pods', o.ns, {}, () => fn()),
  );
  if (!ready) return 1; // interrupted while it was being created
  if (!env.runtime?.attach) throw new KubectlError("knetlab: this cluster has no nodes' data plane (kubelet and containers) to attach to");
  if (!o.quiet) {
    env.io.stderr(
      'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n',
    );
    env.io.stderr("If you don't see a command prompt, try pressing enter.\n");
  }
  const r = await env.runtime.attach(state() ?? created, container, {
    ...(o.interactive && env.io.stdin ? { stdin: env.io.stdin } : {}),
    tty: o.tty,
  });
  env.io.stdout(r.stdout);
  env.io.stderr(r.stderr);
  return 0;
}
