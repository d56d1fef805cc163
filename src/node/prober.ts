// The kubelet's prober (pkg/kubelet/prober): one worker per probe of a container, ticking every
// periodSeconds from the container's start in virtual time. A probe is an httpGet (a GET over the
// node's TCP to the pod's address: success for a status in [200, 400)) or a tcpSocket (success once
// connected), each given timeoutSeconds. Before initialDelaySeconds a tick does nothing; while a
// startupProbe has not succeeded, the liveness and readiness workers do nothing either. A result
// counts once it repeats successThreshold (success) or failureThreshold (failure) times; each failed
// probe is a `Warning Unhealthy` event "<Type> probe failed: <output>" with kubelet's outputs
// (`HTTP probe failed with statuscode: 503`, Go's dial errors). Readiness sets the container's
// ready flag; a liveness or startup failure has the container restarted, and its worker waits for
// the new container. Coarse: exec and grpc probes are not run (they count as succeeding), the
// first tick has no random jitter, and redirects are not followed (a 3xx is a success). An HTTPS
// probe only connects (TLS is not emulated): a connection is a success.
import type { DialResult, HostNetwork } from '../host/index.js';
import type { Scheduler, TimerHandle } from '../sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

export interface ProberHooks {
  readonly host: HostNetwork;
  readonly clock: Scheduler;
  /** The kubelet's version as its probes' User-Agent names it (`1.36`). */
  readonly version: string;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The readiness result changed (the container's `ready`). */
  setReady(ready: boolean): void;
  /** The startup probe succeeded (the container's `started`). */
  setStarted(): void;
  /** A liveness or startup probe failed failureThreshold times: restart the container. */
  restart(message: string): void;
}

interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

/** The probes of one running container; stop() ends them (the container stops or restarts). */
export class ContainerProber {
  private readonly timers: TimerHandle[] = [];
  private stopped = false;
  private started: boolean;

  constructor(
    private readonly container: Obj,
    private readonly podIp: string,
    private readonly hooks: ProberHooks,
  ) {
    this.started = !container.startupProbe;
    const startAt = hooks.clock.now();
    for (const [type, probe] of [
      ['Startup', container.startupProbe],
      ['Readiness', container.readinessProbe],
      ['Liveness', container.livenessProbe],
    ] as const) {
      if (probe) this.worker(type, probe as Obj, startAt);
    }
  }

  /** Whether the container has a probe that keeps it unready until it succeeds. */
  static startsUnready(container: Obj): boolean {
    return container.readinessProbe !== undefined || container.startupProbe !== undefined;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.splice(0)) this.hooks.clock.cancel(t);
  }

  private worker(type: ProbeType, probe: Obj, startAt: number): void {
    const period = Number(probe.periodSeconds ?? 10) * 1000;
    const successThreshold = Number(probe.successThreshold ?? 1);
    const failureThreshold = Number(probe.failureThreshold ?? 3);
    let last: boolean | undefined;
    let run = 0;
    let onHold = false;
    let busy = false;
    const tick = () => {
      if (this.stopped) return;
      this.timers.push(this.hooks.clock.schedule(period, tick));
      if (onHold || busy) return;
      if (type !== 'Startup' && !this.started) return;
      if (type === 'Startup' && this.started) return;
      if (this.hooks.clock.now() - startAt < Number(probe.initialDelaySeconds ?? 0) * 1000) return;
      busy = true;
      this.probe(probe, (r) => {
        busy = false;
        if (this.stopped) return;
        if (!r.ok) this.hooks.event('Warning', 'Unhealthy', `${type} probe failed: ${r.output}`);
        run = last === r.ok ? run + 1 : 1;
        last = r.ok;
        if (r.ok ? run < successThreshold : run < failureThreshold) return;
        if (type === 'Readiness') this.hooks.setReady(r.ok);
        else if (r.ok && type === 'Startup' && !this.started) {
          this.started = true;
          this.hooks.setStarted();
        } else if (!r.ok) {
          onHold = true;
          run = 0;
          this.hooks.restart(`Container ${this.container.name} failed ${type.toLowerCase()} probe, will be restarted`);
        }
      });
    };
    this.timers.push(this.hooks.clock.schedule(0, tick));
  }

  /** One probe, its outcome reported once the connection is done or timed out. */
  private probe(probe: Obj, done: (o: Outcome) => void): void {
    const timeoutMs = Number(probe.timeoutSeconds ?? 1) * 1000;
    const dial = this.hooks.host.dial?.bind(this.hooks.host);
    if (!dial || (!probe.httpGet && !probe.tcpSocket)) {
      done({ ok: true, output: '' });
      return;
    }
    const target = (probe.httpGet ?? probe.tcpSocket) as Obj;
    const port = this.port(target.port);
    const host = (target.host as string | undefined) || this.podIp;
    if (port === undefined) {
      // prober.go: a named port the container does not declare
      done({ ok: false, output: `unable to find port "${String(target.port)}"` });
      return;
    }
    const addr = `${host}:${port}`;
    if (probe.tcpSocket) {
      dial(undefined, host, port, { timeoutMs }, (r) =>
        done(
          r.connected
            ? { ok: true, output: '' }
            : { ok: false, output: r.timedOut ? `dial tcp ${addr}: i/o timeout` : `dial tcp ${addr}: connect: ${connectError(r)}` },
        ),
      );
      return;
    }
    const path = String(target.path ?? '/').replace(/^(?!\/)/, '/');
    const url = `${String(target.scheme ?? 'HTTP').toLowerCase()}://${addr}${path}`;
    if (String(target.scheme ?? 'HTTP').toUpperCase() === 'HTTPS') {
      // TLS is not emulated: a connection counts as success, a failed dial fails as Go's client says
      dial(undefined, host, port, { timeoutMs }, (r) =>
        done(
          r.connected
            ? { ok: true, output: '' }
            : {
                ok: false,
                output: r.timedOut
                  ? `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
                  : `Get "${url}": dial tcp ${addr}: connect: ${connectError(r)}`,
              },
        ),
      );
      return;
    }
    const custom = ((target.httpHeaders ?? []) as Obj[]).map((h) => [String(h.name), String(h.value)] as const);
    const has = (n: string) => custom.some(([k]) => k.toLowerCase() === n.toLowerCase());
    // UNVERIFIED: the order Go's client writes these in
    const lines = [`GET ${path} HTTP/1.1`, `Host: ${has('Host') ? custom.find(([k]) => k.toLowerCase() === 'host')![1] : addr}`];
    if (!has('User-Agent')) lines.push(`User-Agent: kube-probe/${this.hooks.version}`);
    if (!has('Accept')) lines.push('Accept: */*');
    for (const [k, v] of custom) if (k.toLowerCase() !== 'host') lines.push(`${k}: ${v}`);
    lines.push('Connection: close', 'Accept-Encoding: gzip');
    const request = new TextEncoder().encode(`${lines.join('\r\n')}\r\n\r\n`);
    dial(undefined, host, port, { send: request, timeoutMs, complete: headComplete }, (r) => {
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(new TextDecoder('latin1').decode(r.received.subarray(0, 16)))?.[1];
      if (!r.connected) {
        done({
          ok: false,
          output: r.timedOut
            ? `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
            : `Get "${url}": dial tcp ${addr}: connect: ${connectError(r)}`,
        });
      } else if (status === undefined) {
        done({
          ok: false,
          output: r.timedOut
            ? `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`
            : `Get "${url}": EOF`,
        });
      } else {
        const code = Number(status);
        done(code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` });
      }
    });
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  private port(p: unknown): number | undefined {
    if (typeof p === 'number') return p;
    if (typeof p === 'string' && /^\d+$/.test(p)) return Number(p);
    const named = ((this.container.ports ?? []) as Obj[]).find((x) => x.name === p);
    return named ? Number(named.containerPort) : undefined;
  }
}

/** Whether an HTTP response's head (and the body its Content-Length announces) has arrived. */
function headComplete(received: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(received);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /^content-length:\s*(\d+)\s*$/im.exec(text.slice(0, end))?.[1];
  return length !== undefined && received.length - (end + 4) >= Number(length);
}

/** Go's text for connect()'s errno. */
function connectError(r: DialResult): string {
  switch (r.errno) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EHOSTUNREACH':
      return 'no route to host';
    case 'ENETUNREACH':
      return 'network is unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return String(r.errno ?? 'connection refused').toLowerCase();
  }
}
