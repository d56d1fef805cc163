// The machine's side of published ports (kind's extraPortMappings): real TCP listeners the lab server
// keeps in step with what the lab publishes, each accepted connection carried into the emulated
// machine as docker-proxy carries it — a new emulated connection from the network's gateway to the
// container, bytes copied both ways while virtual time runs.
import { createServer, type Server, type Socket } from 'node:net';
import type { BindFailure, MachinePort, PublishedPort } from '../lab/index.js';
import type { TcpConn, TcpEvents } from '../kernel/index.js';

/** What the publisher needs of the server: the lab, one command at a time. */
export interface PortLab {
  /** Runs `f` on the lab in its turn, after the commands before it. */
  later(f: () => void): void;
  /** docker-proxy's connection to the container (called in the lab's turn). */
  dial(p: PublishedPort, events: TcpEvents): TcpConn;
  log(line: string): void;
}

/** Go's text for a bind error, as Docker quotes it. */
const GO_ERRNO: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

const keyOf = (p: MachinePort) => `${p.ip}:${p.port}`;

export class PortPublisher {
  private readonly listeners = new Map<string, { readonly server: Server; readonly clients: Set<Socket>; target?: PublishedPort }>();
  private carried = 0;

  constructor(private readonly lab: PortLab) {}

  /** Whether client connections are being carried (virtual time must run for them). */
  get busy(): boolean {
    return this.carried > 0;
  }

  /** `docker run --publish`: binds each port not bound yet; the first that fails, with Go's error text. */
  async bind(ports: readonly MachinePort[]): Promise<BindFailure | undefined> {
    for (const [index, p] of ports.entries()) {
      if (this.listeners.has(keyOf(p))) continue;
      try {
        await this.listen(p);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        return { index, error: GO_ERRNO[code] ?? (e as Error).message };
      }
    }
    return undefined;
  }

  /** Listens on exactly the ports the lab publishes now: new ones bound, gone ones closed. */
  async reconcile(published: readonly PublishedPort[]): Promise<void> {
    const wanted = new Map(published.map((p) => [keyOf(p), p]));
    for (const [key, l] of this.listeners) {
      if (wanted.has(key)) continue;
      this.unlisten(l);
      this.listeners.delete(key);
    }
    for (const [key, p] of wanted) {
      try {
        if (!this.listeners.has(key)) await this.listen(p);
        this.listeners.get(key)!.target = p;
      } catch (e) {
        this.lab.log(`knetlab serve: cannot publish ${key} for container ${p.container}: ${(e as Error).message}`);
      }
    }
  }

  close(): void {
    for (const l of this.listeners.values()) this.unlisten(l);
    this.listeners.clear();
  }

  /** docker-proxy stops with its container: the port closes and the connections it carried drop. */
  private unlisten(l: { readonly server: Server; readonly clients: Set<Socket> }): void {
    l.server.close();
    for (const s of l.clients) s.destroy();
  }

  private listen(p: MachinePort): Promise<void> {
    const key = keyOf(p);
    const server = createServer((s) => this.carry(key, s));
    return new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(p.port, p.ip, () => {
        server.off('error', fail);
        server.on('error', (e) => this.lab.log(`knetlab serve: published port ${key}: ${e.message}`));
        this.listeners.set(key, { server, clients: new Set() });
        ok();
      });
    });
  }

  /** One client: its bytes go to a new emulated connection to the container, the answer comes back. */
  private carry(key: string, socket: Socket): void {
    const l = this.listeners.get(key);
    const target = l?.target;
    if (!target) return void socket.destroy(); // bound for a container still being created
    l.clients.add(socket);
    this.carried++;
    let conn: TcpConn | undefined;
    let connected = false;
    let clientEnded = false;
    const queued: Uint8Array[] = [];
    let over = false;
    const finish = () => {
      if (over) return;
      over = true;
      this.carried--;
      l.clients.delete(socket);
      socket.destroy();
    };
    socket.on('error', () => {});
    this.lab.later(() => {
      try {
        conn = this.lab.dial(target, {
          onConnect: (c) => {
            connected = true;
            for (const d of queued.splice(0)) c.send(d);
            if (clientEnded) c.close();
          },
          onData: (_c, d) => void socket.write(d),
          onEnd: () => void socket.end(),
          // docker-proxy drops the client when it cannot reach the container
          onError: () => finish(),
        });
      } catch {
        finish();
      }
    });
    socket.on('data', (d: Buffer) => this.lab.later(() => (connected ? conn!.send(new Uint8Array(d)) : queued.push(new Uint8Array(d)))));
    socket.on('end', () =>
      this.lab.later(() => {
        clientEnded = true;
        if (connected) conn!.close();
      }),
    );
    socket.on('close', () => {
      this.lab.later(() => conn?.close());
      finish();
    });
  }
}
