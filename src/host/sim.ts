// The sim backend: the node is an emulated Linux host (kernel/), answering the same tool
// requests the linux backend sends to real namespaces, in-process and in virtual time.
import { Session, type SessionOptions } from '../shell/session.js';
import { ipSend, KernelError, tcpOf, type Netns } from '../kernel/index.js';
import { formatIpv4, parseIpv4, type Ipv4 } from '../wire/index.js';
import { HostError, type DialResult, type DialSpec, type ListenSpec, type ProcessHandle, type ProcessResult } from './network.js';
import { SimNetHandle } from './sim-net.js';
import { ToolsHost, type ToolsNetHandle } from './tools.js';
import { hostName, netnsName } from './validate.js';

interface SimSandbox {
  readonly hostname: string;
  readonly processes: ProcessHandle[];
}

/**
 * A program the emulator ran in a sandbox (processStart): one object per process, where a literal
 * of four closures cost a node ~250 bytes more per container.
 */
class SimProcess implements ProcessHandle {
  constructor(
    private readonly ran: { readonly stop: () => void; readonly output: () => string; readonly serving: () => boolean },
    private readonly result: ProcessResult,
  ) {}

  wait(): Promise<ProcessResult> {
    return Promise.resolve(this.result);
  }

  stop(): void {
    this.ran.stop();
  }

  output(): string {
    return this.ran.output();
  }

  ended(): ProcessResult | undefined {
    return this.ran.serving() ? undefined : this.result;
  }
}

export class SimHost extends ToolsHost {
  readonly backend = 'sim';
  /** The emulated host; a shell on it (`knetlab sh`) sees what components built. */
  readonly session: Session;
  private readonly sandboxes = new Map<string, SimSandbox>();

  constructor(opts: SessionOptions | Session = {}) {
    super();
    this.session = opts instanceof Session ? opts : new Session(opts);
  }

  /** Namespaces are configured and read through the kernel's rtnetlink functions, not the tools. */
  protected override openHandle(netns: string | undefined): ToolsNetHandle {
    return new SimNetHandle(this, netns, this.session.host);
  }

  override netnsAdd(name: string): void {
    netnsName(`add netns "${name}"`, 'name', name);
    if (this.session.host.netns(name))
      super.netnsAdd(name); // the tool's own refusal
    else this.session.host.addNetns(name);
  }

  override netnsList(): string[] {
    return this.session.host.netnsNames().sort();
  }

  run(argv: readonly string[], stdin?: string): ProcessResult {
    const { status, stdout, stderr } = this.session.exec(argv, stdin);
    return { status, stdout, stderr };
  }

  /** The emulated kernel has no IPC namespaces to make: a sandbox is its netns and the host name its processes see. */
  sandboxAdd(name: string, opts: { readonly hostname: string }): void {
    if (this.sandboxes.has(name)) throw new HostError(`Cannot add sandbox "${name}": it exists`, `sandbox add ${name}`, 0);
    hostName(`add sandbox "${name}"`, opts.hostname);
    this.netnsAdd(name);
    this.sandboxes.set(name, { hostname: opts.hostname, processes: [] });
  }

  sandboxDel(name: string): void {
    const sandbox = this.sandboxes.get(name);
    if (!sandbox) throw new HostError(`Cannot delete sandbox "${name}": no such sandbox`, `sandbox del ${name}`, 0);
    for (const p of sandbox.processes) p.stop();
    this.sandboxes.delete(name);
    this.netnsDel(name);
  }

  /**
   * Runs an emulated program in the sandbox's namespace. It runs to its end at once in virtual
   * time; a server (`python3 -m http.server`) keeps listening until stopped.
   */
  processStart(sandbox: string, argv: readonly string[]): ProcessHandle {
    const box = this.sandboxes.get(sandbox);
    if (!box) throw new HostError(`Cannot start "${argv.join(' ')}": no sandbox "${sandbox}"`, argv.join(' '), 0);
    const ran = this.session.exec(argv, undefined, box.hostname, undefined, { settle: false, netns: sandbox });
    const handle = new SimProcess(ran, { status: ran.status, stdout: ran.stdout, stderr: ran.stderr });
    box.processes.push(handle);
    return handle;
  }

  /** A TCP client in the node's namespace (or the sandbox's), run on the emulated stack in virtual time. */
  dial(sandbox: string | undefined, dst: string, port: number, spec: DialSpec, done: (r: DialResult) => void): void {
    const ns: Netns | undefined = sandbox === undefined ? this.session.host.root : this.session.host.netns(sandbox);
    const to = parseIpv4(dst);
    const clock = this.session.kernel.clock;
    let received = new Uint8Array(0);
    let connected = false;
    let finished = false;
    const finish = (r: Omit<DialResult, 'received' | 'connected'>) => {
      if (finished) return;
      finished = true;
      clock.cancel(timer);
      done({ connected, received, ...r });
    };
    const timer = clock.schedule(spec.timeoutMs, () => {
      conn?.close();
      finish({ timedOut: true });
    });
    if (!ns || to === undefined) return finish({ errno: 'EINVAL', timedOut: false });
    let conn: ReturnType<ReturnType<typeof tcpOf>['connect']> | undefined;
    try {
      conn = tcpOf(ns).connect(
        to,
        port,
        {},
        {
          onConnect(c) {
            connected = true;
            if (!spec.send) {
              c.close();
              finish({ timedOut: false });
            } else c.send(spec.send);
          },
          onData(c, data) {
            const all = new Uint8Array(received.length + data.length);
            all.set(received);
            all.set(data, received.length);
            received = all;
            if (spec.complete?.(received)) {
              c.close();
              finish({ timedOut: false });
            }
          },
          onEnd(c) {
            c.close();
            finish({ timedOut: false });
          },
          onError(_c, errno) {
            finish({ errno, timedOut: false });
          },
        },
      );
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      finish({ errno: e.errno, timedOut: false });
    }
  }

  /**
   * A server socket in the sandbox's namespace (or the node's own), answered in-process: a UDP
   * reply leaves from the port the query came to (with the query's walk, so a trace follows the
   * answer back); TCP is the emulated stack's.
   */
  override listen(sandbox: string | undefined, spec: ListenSpec): ProcessHandle {
    const what = `listen ${spec.proto} ${spec.addr ?? '0.0.0.0'}:${spec.port}`;
    const box = sandbox === undefined ? undefined : this.sandboxes.get(sandbox);
    if (sandbox !== undefined && !box) throw new HostError(`Cannot ${what}: no sandbox "${sandbox}"`, what, 0);
    const ns: Netns | undefined = sandbox === undefined ? this.session.host.root : this.session.host.netns(sandbox);
    if (!ns) throw new HostError(`Cannot ${what}: no sandbox "${sandbox}"`, what, 0);
    const peer = (addr: Ipv4, port: number, local: Ipv4) => ({ addr: formatIpv4(addr), port, local: formatIpv4(local) });
    const bound = spec.addr === undefined ? 0 : parseIpv4(spec.addr);
    if (bound === undefined) throw new HostError(`Cannot ${what}: "${spec.addr}" is not an IPv4 address`, what, 0, 'EINVAL');
    // bind() to an address the namespace does not have (net.ipv4.ip_nonlocal_bind off)
    if (bound !== 0 && !hasLocalAddress(ns, bound))
      throw new HostError(`Cannot ${what}: cannot assign requested address`, what, 0, 'EADDRNOTAVAIL');
    let stop: () => void;
    if (spec.proto === 'udp') {
      // one socket per UDP port here: a second bind to the same port is refused even on another address
      if (ns.udpHandlers.has(spec.port)) throw new HostError(`Cannot ${what}: address already in use`, what, 0, 'EADDRINUSE');
      if (bound !== 0) ns.udpBoundAddrs.set(spec.port, bound);
      const handler = ns.udpHandlers
        .set(spec.port, (skb, udp) => {
          const p = skb.data;
          if (udp.payload.kind !== 'raw') return;
          const reply = spec.onDatagram(udp.payload.bytes, peer(p.src, udp.srcPort, p.dst));
          if (!reply) return;
          try {
            ipSend(
              ns,
              {
                dst: p.src,
                src: p.dst,
                protocol: 17,
                payload: { kind: 'udp', srcPort: spec.port, dstPort: udp.srcPort, payload: { kind: 'raw', bytes: reply } },
              },
              skb.walk,
            );
          } catch (e) {
            if (!(e instanceof KernelError)) throw e; // sendto() failed: the reply is lost, as a server ignores it
          }
        })
        .get(spec.port);
      stop = () => {
        if (ns.udpHandlers.get(spec.port) !== handler) return;
        ns.udpHandlers.delete(spec.port);
        ns.udpBoundAddrs.delete(spec.port);
      };
    } else {
      try {
        tcpOf(ns).listen(
          spec.port,
          bound,
          (c) => {
            let buffered = new Uint8Array(0);
            return {
              onData(conn, data) {
                const all = new Uint8Array(buffered.length + data.length);
                all.set(buffered);
                all.set(data, buffered.length);
                buffered = all;
                for (;;) {
                  const r = spec.onStream(buffered, peer(c.remote, c.rport, c.local));
                  if (!r) return;
                  buffered = buffered.subarray(r.used);
                  if (r.reply) conn.send(r.reply);
                  if (r.close) return conn.close();
                  if (r.used === 0) return;
                }
              },
              onEnd(conn) {
                conn.close();
              },
            };
          },
          { dualStack: spec.dualStack === true, ...(spec.owner ? { owner: spec.owner } : {}) },
        );
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        throw new HostError(`Cannot ${what}: address already in use`, what, 0, 'EADDRINUSE');
      }
      stop = () => tcpOf(ns).unlisten(spec.port, bound);
    }
    const handle: ProcessHandle = { wait: () => Promise.resolve({ status: 0, stdout: '', stderr: '' }), stop };
    box?.processes.push(handle);
    return handle;
  }

  close(): void {
    for (const name of [...this.sandboxes.keys()]) this.sandboxDel(name);
  }
}

/** Whether bind() may take ADDR in NS: one of its addresses, or any of 127/8 (lo's local route covers it). */
function hasLocalAddress(ns: Netns, addr: Ipv4): boolean {
  return addr >>> 24 === 127 || ns.allAddrs().some((a) => a.local === addr);
}
