// `knetlab serve`: the lab server of one KNETLAB_HOME. It holds the Lab live in memory, answers
// thin clients on $KNETLAB_HOME/knetlab.sock (0600; TCP only with --listen, loopback, token),
// applies their commands one at a time in arrival order, journals each state-changing one
// durably before acknowledging it, and runs virtual time along the wall clock (or only on
// explicit waits with KNETLAB_CLOCK=manual).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dialPublished, publishedPorts, standardLab, type CommandIo, type Lab, type LabRun } from '../lab/index.js';
import { clientFiles } from './files.js';
import { blobKeeper, JournalWriter, loadJournal, readBlob } from './journal.js';
import { oldStoreProblem } from './old-store.js';
import { PortPublisher, type Publication } from './ports.js';
import { LineReader, parseRequest, type Reply, type RunRequest } from './protocol.js';

export const SOCKET_FILE = 'knetlab.sock';
export const JOURNAL_FILE = 'journal.jsonl';
export const LOG_FILE = 'server.log';
export const TOKEN_FILE = 'server.token';
/** How far the manual clock may run to deliver a published port's packets (virtual ms). */
const DELIVERY_MS = 10;
/** Longest Unix socket path (sun_path less its NUL). */
const SUN_PATH_MAX = 107;

export interface ServeOptions {
  readonly home: string;
  readonly clock: 'live' | 'manual';
  /** Also listen on TCP (loopback only), with a token in $KNETLAB_HOME/server.token. */
  readonly listen?: { readonly host: string; readonly port: number };
  readonly log: (line: string) => void;
  /** Given the way to stop the server gracefully (the front end calls it on SIGTERM). */
  readonly onSignal?: (stop: () => void) => void;
}

const pause = () => new Promise<void>((r) => setImmediate(r));

/** Whether a server answers on the socket. */
export function probe(path: string): Promise<boolean> {
  return new Promise((done) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });
}

/** Runs the server until it is told to stop (`knetlab server stop`, SIGTERM); returns the exit status. */
export async function serve(opts: ServeOptions): Promise<number> {
  mkdirSync(opts.home, { recursive: true, mode: 0o700 });
  const sock = join(opts.home, SOCKET_FILE);
  if (sock.length > SUN_PATH_MAX) {
    opts.log(`knetlab serve: the socket path ${sock} is longer than ${SUN_PATH_MAX} bytes; use a shorter KNETLAB_HOME`);
    return 1;
  }
  if (opts.listen && !['127.0.0.1', '::1', 'localhost'].includes(opts.listen.host)) {
    opts.log(`knetlab serve: --listen ${opts.listen.host}:${opts.listen.port}: only a loopback address (127.0.0.1, ::1) may be used`);
    return 2;
  }
  const old = oldStoreProblem(opts.home);
  if (old) {
    opts.log(old.trimEnd());
    return 1;
  }
  if (await probe(sock)) {
    opts.log(`knetlab serve: a lab server already runs on ${sock}`);
    return 1;
  }
  rmSync(sock, { force: true }); // a stale socket of a server that was killed
  const server = new LabServer(opts, sock);
  return server.run();
}

class LabServer {
  private lab: Lab = standardLab();
  private journal!: JournalWriter;
  private readonly journalPath: string;
  /** Commands start one at a time, in arrival order, each after the clock has caught up. */
  private turn: Promise<unknown> = Promise.resolve();
  private generation = 0;
  private readonly inFlight = new Set<AbortController>();
  private loadWarnings: string[] = [];
  private records = 0;
  private lastWall = performance.now();
  private tickQueued = false;
  private readonly started = new Date();
  private readonly unix: Server;
  private tcp?: Server;
  private inode = 0;
  private token?: string;
  private stopping?: Promise<void>;
  private stopped!: (status: number) => void;
  /** The machine ports the lab's containers publish (kind's extraPortMappings), really listened on. */
  private readonly ports: PortPublisher;

  constructor(
    private readonly opts: ServeOptions,
    private readonly sock: string,
  ) {
    this.journalPath = join(opts.home, JOURNAL_FILE);
    this.unix = createServer((s) => this.connection(s, false));
    this.ports = new PortPublisher({
      later: (f) => {
        this.turn = this.turn
          .then(() => {
            f();
            if (!this.lab.liveClock) this.deliver();
          })
          .catch((e: Error) => this.opts.log(`knetlab serve: published port: ${e.stack ?? e.message}`));
      },
      log: (line) => this.opts.log(line),
    });
  }

  async run(): Promise<number> {
    const done = new Promise<number>((r) => (this.stopped = r));
    const umask = process.umask(0o077);
    try {
      await new Promise<void>((ok, fail) => {
        this.unix.once('error', fail);
        this.unix.listen(this.sock, () => ok());
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(this.sock, 0o600);
    this.inode = statSync(this.sock).ino;
    if (this.opts.listen) {
      this.token = randomBytes(32).toString('hex');
      writeFileSync(join(this.opts.home, TOKEN_FILE), `${this.token}\n`, { mode: 0o600 });
      this.tcp = createServer((s) => this.connection(s, true));
      await new Promise<void>((ok, fail) => {
        this.tcp!.once('error', fail);
        this.tcp!.listen(this.opts.listen!.port, this.opts.listen!.host, () => ok());
      });
      const a = this.tcp.address();
      this.opts.log(
        `knetlab serve: listening on ${typeof a === 'object' && a ? `${a.address}:${a.port}` : ''} (token in ${join(this.opts.home, TOKEN_FILE)})`,
      );
    }
    this.opts.log(`knetlab serve: pid ${process.pid}, socket ${this.sock}, clock ${this.opts.clock}`);
    // Clients may connect while the journal replays: their commands wait their turn behind it.
    this.turn = this.load().catch((e: Error) => {
      this.opts.log(e.message);
      void this.stop(1);
    });
    this.opts.onSignal?.(() => void this.stop(0));
    const watch = setInterval(() => this.watch(), 1000);
    const ticker = setInterval(() => this.queueTick(), 20);
    const status = await done;
    clearInterval(watch);
    clearInterval(ticker);
    return status;
  }

  /** Rebuilds the lab from the journal on disk. */
  private async load(): Promise<void> {
    const t0 = performance.now();
    const { records, warnings } = loadJournal(this.journalPath);
    for (const w of warnings) this.opts.log(w);
    this.loadWarnings.push(...warnings);
    const lab = standardLab();
    for (const r of records) await lab.replay(r, (name) => readBlob(this.journalPath, name));
    lab.liveClock = this.opts.clock === 'live';
    this.lab = lab;
    this.records = records.length;
    this.journal ??= new JournalWriter(this.journalPath);
    this.lastWall = performance.now();
    this.opts.log(`knetlab serve: replayed ${records.length} journal records in ${Math.round(performance.now() - t0)} ms`);
    await this.ports.reconcile(this.publications(lab));
  }

  /** Lets the virtual clock catch up with the wall clock (live mode). */
  private async tick(): Promise<void> {
    const now = performance.now();
    const delta = now - this.lastWall;
    this.lastWall = now;
    if (this.lab.liveClock && delta > 0) await this.lab.advanceStepwise(delta, pause);
  }

  /** While commands run (a capture, a ping until Ctrl-C) or published ports carry connections, time flows without new commands. */
  private queueTick(): void {
    if (!this.lab.liveClock || (this.inFlight.size === 0 && !this.ports.busy) || this.tickQueued || this.stopping) return;
    this.tickQueued = true;
    this.turn = this.turn.then(async () => {
      this.tickQueued = false;
      await this.tick();
    });
  }

  /** The ports the lab's containers publish, each client carried as docker-proxy carries it. */
  private publications(lab: Lab): Publication[] {
    return publishedPorts(lab).map((p) => ({
      ip: p.ip,
      port: p.port,
      what: `container ${p.container}`,
      dial: (events) => dialPublished(this.lab, p, events),
    }));
  }

  /**
   * On the manual clock, the events of the next few virtual milliseconds: a carried connection's
   * packets cross the emulated network (hops take microseconds) without the clock jumping ahead.
   */
  private deliver(): void {
    const clock = this.lab.clock;
    const until = clock.now() + DELIVERY_MS;
    for (let next = clock.nextAt(); next !== undefined && next <= until; next = clock.nextAt()) clock.runUntil(next);
  }

  /** Exits when another server took the socket over (two clients started one each at once). */
  private watch(): void {
    let ino = 0;
    try {
      ino = statSync(this.sock).ino;
    } catch {
      ino = 0;
    }
    if (ino !== this.inode) {
      this.opts.log(`knetlab serve: ${this.sock} is no longer this server's socket; stopping`);
      this.inode = -1;
      void this.stop(0);
    }
  }

  private connection(socket: Socket, tcp: boolean): void {
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    let pending = '';
    let flushQueued = false;
    const send = (reply: Reply) => {
      if (socket.destroyed || !socket.writable) return;
      pending += `${JSON.stringify(reply)}\n`;
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(() => {
          flushQueued = false;
          if (!socket.destroyed && socket.writable) socket.write(pending);
          pending = '';
        });
      }
    };
    const finish = (status: number) => {
      send({ exit: status });
      setImmediate(() => socket.end());
    };
    const interrupt = new AbortController();
    let requested = false;
    const reader = new LineReader(
      (line) => {
        if (requested) {
          if (/"signal"\s*:\s*"INT"/.test(line)) interrupt.abort();
          return;
        }
        requested = true;
        const req = parseRequest(line);
        if ('error' in req) {
          this.opts.log(`knetlab serve: refused a request: ${req.error}`);
          send({ err: `knetlab: ${req.error}\n` });
          return finish(2);
        }
        if (tcp && !this.tokenMatches(req.token)) {
          send({ err: 'knetlab: this connection needs the token in $KNETLAB_HOME/server.token\n' });
          return finish(2);
        }
        if ('control' in req) {
          if (req.control === 'status') {
            send({ out: this.status() });
            return finish(0);
          }
          send({ out: 'knetlab server: stopping\n' });
          finish(0);
          // Stop once the answer is out (the client closes on it), or soon anyway.
          const stop = setTimeout(() => void this.stop(0), 1000);
          socket.once('close', () => {
            clearTimeout(stop);
            void this.stop(0);
          });
          return;
        }
        void this.runCommand(req, send, interrupt).then(finish, (e: Error) => {
          this.opts.log(`knetlab serve: ${e.stack ?? e.message}`);
          send({ err: `knetlab: internal error in the lab server: ${e.message}\n` });
          finish(70);
        });
      },
      () => {
        send({ err: 'knetlab: malformed request: longer than the server accepts\n' });
        finish(2);
        socket.destroy();
      },
    );
    socket.on('data', (chunk: string) => reader.push(chunk));
    // A client that goes away interrupts its command, as a closed terminal would.
    socket.on('close', () => interrupt.abort());
  }

  private tokenMatches(token: string | undefined): boolean {
    if (!this.token || token === undefined) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async runCommand(req: RunRequest, send: (r: Reply) => void, interrupt: AbortController): Promise<number> {
    if (this.stopping) {
      send({ err: 'knetlab: the lab server is stopping; try again\n' });
      return 1;
    }
    const { keep, blobs } = blobKeeper();
    const io: CommandIo = {
      keep,
      stdout: (t) => send({ out: t }),
      stderr: (t) => send({ err: t }),
      ...(req.stdin === undefined ? {} : { stdin: Buffer.from(req.stdin, 'base64') }),
      signal: interrupt.signal,
      ...clientFiles(req.cwd),
      bindPorts: (ports) => this.ports.bind(ports),
      listen: (ip, port, open) => this.ports.forward(ip, port, open),
      ...(req.client ? { client: req.client } : {}),
      wallClock: () => performance.timeOrigin + performance.now(),
    };
    this.inFlight.add(interrupt);
    let result: LabRun;
    let generation: number;
    try {
      const started = this.turn.then(async () => {
        await this.tick();
        // the family's modules load in this command's turn: its run then starts at once, in order
        const loading = this.lab.prepare(req.argv);
        if (loading) await loading;
        for (const w of this.loadWarnings.splice(0)) send({ err: `${w}\n` });
        generation = this.generation;
        return { done: this.lab.run(req.argv, io) };
      });
      this.turn = started.catch(() => undefined);
      result = await (await started).done;
    } finally {
      this.inFlight.delete(interrupt);
    }
    await this.ports.reconcile(this.publications(this.lab));
    if (generation! !== this.generation) {
      send({ err: 'knetlab: this command was undone: the lab server went back to its last journaled state while it ran\n' });
      return 1;
    }
    if (!result.record) {
      await this.journal.settled();
      return result.status;
    }
    try {
      await this.journal.append(result.record, blobs);
      this.records++;
      return result.status;
    } catch (e) {
      this.opts.log(`knetlab serve: ${(e as Error).message}`);
      send({
        err: `knetlab: ${(e as Error).message}: this command was undone (with any that followed it); the lab is back at its last journaled state\n`,
      });
      this.rollBack();
      return 1;
    }
  }

  /** After a failed journal write: the lab in memory goes back to what the journal holds. */
  private rollBack(): void {
    this.generation++;
    for (const c of this.inFlight) c.abort();
    this.turn = this.turn
      .then(() => this.load())
      .catch((e: Error) => {
        this.opts.log(e.message);
        void this.stop(1);
      });
  }

  private status(): string {
    const hosts = this.lab.hostNames();
    return [
      `knetlab server: running (pid ${process.pid}) since ${this.started.toISOString()}`,
      `socket: ${this.sock}${this.tcp ? `; also TCP ${JSON.stringify(this.tcp.address())}` : ''}`,
      `clock: ${this.opts.clock}, virtual time ${(this.lab.clock.now() / 1000).toFixed(3)} s`,
      `hosts: ${hosts.length ? hosts.join(', ') : '(none)'}`,
      `journal: ${this.journalPath}, ${this.records} records`,
      `running commands: ${this.inFlight.size}`,
      '',
    ].join('\n');
  }

  /** Stops accepting, interrupts what runs, lets the journal settle, removes the socket. */
  stop(status: number): Promise<void> {
    this.stopping ??= (async () => {
      this.opts.log('knetlab serve: stopping');
      this.unix.close();
      this.tcp?.close();
      this.ports.close();
      for (const c of this.inFlight) c.abort();
      for (let i = 0; i < 250 && this.inFlight.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await this.turn.catch(() => undefined);
      if (this.journal) {
        await this.journal.settled();
        this.journal.close();
      }
      if (this.inode !== -1) {
        rmSync(this.sock, { force: true });
        if (this.token) rmSync(join(this.opts.home, TOKEN_FILE), { force: true });
      }
      this.opts.log('knetlab serve: stopped');
      this.stopped(status);
    })();
    return this.stopping;
  }
}
