// `kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT…`: listeners on this machine's loopback
// (127.0.0.1 and ::1, or --address) while the command runs, each client carried to the port inside
// the pod's network namespace (kubelet's port-forward dials localhost there). Messages as client-go's
// portforward.go and kubectl's portforward.go print them.
import type { KubeObject } from '../api/index.js';
import { type KubectlEnv, KubectlError, namespaceOf } from './env.js';
import { podArg } from './exec.js';
import { parseFlags } from './flags.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Forward {
  local: number;
  readonly remote: number;
}

/** client-go's parsePorts: `5000`, `8888:5000`, `:5000` / `0:5000` (any free local port). */
function parsePorts(specs: readonly string[]): { local: number; remote: string }[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new KubectlError(`invalid port format '${spec}'`);
    const localText = parts.length === 1 ? parts[0]! : parts[0] || '0';
    const remote = parts.length === 1 ? parts[0]! : parts[1]!;
    const local = Number(localText);
    if (!/^\d+$/.test(localText) || local > 65535)
      throw new KubectlError(
        `error parsing local port '${localText}': strconv.ParseUint: parsing "${localText}": ${/^\d+$/.test(localText) ? 'value out of range' : 'invalid syntax'}`,
      );
    return { local, remote };
  });
}

/** kubectl's translateServicePortToTargetPort / convertPodNamedPortToNumber: the pod's port for each remote. */
function remotePort(remote: string, pod: KubeObject, service: KubeObject | undefined): number {
  const containerPorts = ((pod.spec as Obj).containers as Obj[]).flatMap((c) => (c.ports ?? []) as Obj[]);
  const named = (name: string) => {
    const p = containerPorts.find((x) => x.name === name);
    if (!p) throw new KubectlError(`Pod '${pod.metadata.name}' does not have a named port '${name}'`);
    return p.containerPort as number;
  };
  if (service) {
    const ports = ((service.spec as Obj).ports ?? []) as Obj[];
    const sp = /^\d+$/.test(remote) ? ports.find((p) => p.port === Number(remote)) : ports.find((p) => p.name === remote);
    if (!sp) throw new KubectlError(`Service ${service.metadata.name} does not have a service port ${remote}`);
    const target = sp.targetPort ?? sp.port;
    return typeof target === 'number' ? target : /^\d+$/.test(String(target)) ? Number(target) : named(String(target));
  }
  if (/^\d+$/.test(remote)) {
    const n = Number(remote);
    if (n === 0) throw new KubectlError('remote port must be > 0');
    if (n > 65535)
      throw new KubectlError(`error parsing remote port '${remote}': strconv.ParseUint: parsing "${remote}": value out of range`);
    return n;
  }
  return named(remote);
}

export async function portForward(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'address', kind: 'strings' },
    { name: 'pod-running-timeout', kind: 'string' },
  ]);
  if (p.args.length < 2) throw new KubectlError('TYPE/NAME and list of ports are required for port-forward');
  const ns = namespaceOf(env, p.flags.namespace);
  const [target, ...specs] = p.args as [string, ...string[]];
  const slash = target.indexOf('/');
  const service =
    slash > 0 && ['svc', 'service', 'services'].includes(target.slice(0, slash))
      ? env.client.get('services', ns, target.slice(slash + 1))
      : undefined;
  const parsed = parsePorts(specs);
  const pod = podArg(env, ns, target);
  const forwards: Forward[] = parsed.map((f) => ({ local: f.local, remote: remotePort(f.remote, pod, service) }));
  const phase = (pod.status as Obj | undefined)?.phase;
  if (phase !== 'Running') throw new KubectlError(`unable to forward port because pod is not running. Current status=${phase ?? ''}`);
  const addresses = ((p.flags.address as string[] | undefined) ?? ['localhost']).flatMap((a) => a.split(','));
  const listen = env.io.listen;
  if (!listen || !env.runtime)
    throw new KubectlError(
      "knetlab: kubectl port-forward listens on this machine's ports, which only the lab server does (run it without --no-server)",
    );
  const runtime = env.runtime;
  // parseAddresses: localhost is 127.0.0.1 and ::1 (either may fail), an address must bind; sorted.
  const binds = [
    ...new Map(
      addresses.flatMap(
        (a) =>
          (a === 'localhost'
            ? [
                ['127.0.0.1', 'all'],
                ['::1', 'all'],
              ]
            : [[a, 'any']]) as [string, 'all' | 'any'][],
      ),
    ).entries(),
  ].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [a] of binds)
    if (a !== '127.0.0.1' && a !== '::1' && !/^[\d.]+$/.test(a) && !a.includes(':')) throw new KubectlError(`${a} is not a valid IP`);
  const closers: (() => void)[] = [];
  let lost: string | undefined;
  let anyListening = false;
  // Until Ctrl-C, or until a connection to the pod fails (client-go closes the stream connection then).
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  env.io.signal?.addEventListener('abort', () => stop(), { once: true });
  for (const f of forwards) {
    const errors: string[] = [];
    // listenOnPort: localhost fails only when both of its addresses do; an address asked for must bind
    const ok = { all: 0, any: 0 };
    const failed = { all: 0, any: 0 };
    for (const [ip, mode] of binds) {
      try {
        const l = await listen(ip, f.local, (events) => {
          env.io.stdout(`Handling connection for ${f.local}\n`);
          return runtime.portForward(pod, f.remote, {
            ...events,
            onError: (reason) => {
              // client-go: the kubelet's error arrives on the error stream; the connection to the pod is closed.
              lost ??= `an error occurred forwarding ${f.local} -> ${f.remote}: ${reason}`;
              stop();
              events.onError?.(reason);
            },
          });
        });
        f.local = l.port;
        closers.push(l.close);
        ok[mode]++;
        env.io.stdout(`Forwarding from ${ip.includes(':') ? `[${ip}]` : ip}:${l.port} -> ${f.remote}\n`);
      } catch (e) {
        errors.push(`unable to create listener: Error ${(e as Error).message}`);
        failed[mode]++;
      }
    }
    if ((ok.all === 0 && failed.all > 0) || failed.any > 0)
      env.io.stderr(`Unable to listen on port ${f.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    else anyListening = true;
  }
  try {
    if (!anyListening)
      throw new KubectlError(
        `unable to listen on any of the requested ports: [${forwards.map((f) => `{${f.local} ${f.remote}}`).join(' ')}]`,
      );
    if (!env.io.signal?.aborted) await stopped;
    if (lost !== undefined) {
      env.io.stderr(`${klogError(env.client.now())} portforward.go:424] "Unhandled Error" err="${lost.replace(/"/g, '\\"')}"\n`);
      throw new KubectlError('lost connection to pod');
    }
    return 0;
  } finally {
    for (const close of closers) close();
  }
}

/** klog's header of an error line, at the lab's time (the thread id column is left out: kubectl's is not the lab's to know). */
function klogError(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `E${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}`;
}
