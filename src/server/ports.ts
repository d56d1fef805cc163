// The machine's side of ports the lab publishes: real TCP listeners whose clients are carried into
// the emulated world — kind's extraPortMappings (kept in step with the clusters, each client carried
// as docker-proxy carries it) and `kubectl port-forward` (listening while the command runs). Bytes
// are copied both ways while virtual time runs.
import { createServer, type Server, type Socket } from 'node:net';
import type { BindFailure, CarriedStream, MachinePort, StreamEvents } from '../lab/index.js';

/** Opens the emulated connection for one client (called in the lab's turn). */
export type Dial = (events: StreamEvents) => CarriedStream;

/** What the publisher needs of the server: the lab, one command at a time. */
export interface PortLab {
  /** Runs `f` on the lab in its turn, after the commands before it. */
  later(f: () => void): void;
  log(line: string): void;
}

/** A published port: where the machine listens, and how its clients reach the container. */
export interface Publication extends MachinePort {
  readonly dial: Dial;
  readonly what: string;
}

interface Listener {
  readonly server: Server;
  readonly clients: Set<Socket>;
  dial?: Dial;
  /** A command's listener (port-forward), which reconcile() leaves alone. */
  readonly command: boolean;
}

/** Go's text for a bind error, as Docker and kubectl quote it. */
const GO_ERRNO: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

const goError = (e: unknown) => GO_ERRNO[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message;
const keyOf = (p: MachinePort) => `${p.ip}:${p.port}`;

export class PortPublisher {
  private readonly listeners = new Map<string, Listener>();
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
        await this.listen(p, false);
      } catch (e) {
        return { index, error: goError(e) };
      }
    }
    return undefined;
  }

  /** Listens on exactly the ports the lab publishes now: new ones bound, gone ones closed. */
  async reconcile(published: readonly Publication[]): Promise<void> {
    const wanted = new Map(published.map((p) => [keyOf(p), p]));
    for (const [key, l] of this.listeners) {
      if (l.command || wanted.has(key)) continue;
      this.unlisten(key);
    }
    for (const [key, p] of wanted) {
      try {
        const l = this.listeners.get(key) ?? (await this.listen(p, false));
        l.dial = p.dial;
      } catch (e) {
        this.lab.log(`knetlab serve: cannot publish ${key} for ${p.what}: ${(e as Error).message}`);
      }
    }
  }

  /** A command's listener (port 0: any free one); rejects with Go's `listen tcp4 ADDR: bind: …` text. */
  async forward(ip: string, port: number, dial: Dial): Promise<{ port: number; close(): void }> {
    let l: Listener;
    try {
      l = await this.listen({ ip, port }, true);
    } catch (e) {
      throw new Error(`listen tcp${ip.includes(':') ? '6' : '4'} ${ip.includes(':') ? `[${ip}]` : ip}:${port}: bind: ${goError(e)}`);
    }
    l.dial = dial;
    const bound = (l.server.address() as { port: number }).port;
    return { port: bound, close: () => this.unlisten(`${ip}:${bound}`) };
  }

  close(): void {
    for (const key of [...this.listeners.keys()]) this.unlisten(key);
  }

  /** The port closes and the connections it carried drop (docker-proxy stops with its container). */
  private unlisten(key: string): void {
    const l = this.listeners.get(key);
    if (!l) return;
    this.listeners.delete(key);
    l.server.close();
    for (const s of l.clients) s.destroy();
  }

  private listen(p: MachinePort, command: boolean): Promise<Listener> {
    const server = createServer((s) => this.carry(l, s));
    const l: Listener = { server, clients: new Set(), command };
    return new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(p.port, p.ip, () => {
        server.off('error', fail);
        const key = `${p.ip}:${(server.address() as { port: number }).port}`;
        server.on('error', (e) => this.lab.log(`knetlab serve: listener ${key}: ${e.message}`));
        this.listeners.set(key, l);
        ok(l);
      });
    });
  }

  /** One client: its bytes go to a new emulated connection, the answer comes back. */
  private carry(l: Listener, socket: Socket): void {
    const dial = l.dial;
    if (!dial) return void socket.destroy(); // bound for a container still being created
    l.clients.add(socket);
    this.carried++;
    let stream: CarriedStream | undefined;
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
        stream = dial({
          onConnect: () => {
            connected = true;
            for (const d of queued.splice(0)) stream!.send(d);
            if (clientEnded) stream!.close();
          },
          onData: (d) => void socket.write(d),
          onEnd: () => void socket.end(),
          // the client is dropped when its peer cannot be reached
          onError: () => finish(),
        });
      } catch (e) {
        this.lab.log(`knetlab serve: carrying a client: ${(e as Error).message}`);
        finish();
      }
    });
    socket.on('data', (d: Buffer) => this.lab.later(() => (connected ? stream!.send(new Uint8Array(d)) : queued.push(new Uint8Array(d)))));
    socket.on('end', () =>
      this.lab.later(() => {
        clientEnded = true;
        if (connected) stream!.close();
      }),
    );
    socket.on('close', () => {
      this.lab.later(() => stream?.close());
      finish();
    });
  }
}
