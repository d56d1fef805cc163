// The Lab: everything one KNETLAB_HOME holds — its emulated hosts, keyed by name (and, with the
// cluster issues, its clusters) — on ONE virtual clock, and the command families that act on it.
// The lab server keeps one live in memory; `knetlab sh --no-server`, tests and the browser make
// their own. Runtime-neutral: no Node modules, no real time (a front end drives the live clock
// by calling advance()).
import { SimWorld } from '../host/index.js';
import type { KindWorld } from '../kind/index.js';
import { EventQueue, type NodeFiles } from '../sim/index.js';
import { Session } from '../shell/session.js';
import type { BindFailure, CommandFamily, CommandIo } from './command.js';
import { BLOB_MIN_BYTES, fromBase64, toBase64, type JournalRecord } from './journal.js';

/** Kind's layers (the Kubernetes API, controllers, node agents, docker): loaded by Lab.loadKind(), not before. */
export type KindLayer = typeof import('../kind/index.js');
type Continuations = Pick<typeof import('../node/index.js'), 'macrotask' | 'takeResumed'>;
/** Before kind's layers load no container script exists, so none can have been resumed. */
const NO_SCRIPTS: Continuations = { macrotask: () => Promise.resolve(), takeResumed: () => false };

/** What Lab.run() did: the exit status, and the journal record when the invocation may have changed state. */
export interface LabRun {
  readonly status: number;
  readonly record?: JournalRecord;
}

const NEVER = new AbortController().signal;
/** How often a wait with an early end looks whether it may end (virtual ms). */
const SETTLE_POLL_MS = 10;

export class Lab {
  /** The world's one clock and event queue: every host's kernel schedules on it. */
  readonly clock = new EventQueue();
  /** The hosts that share wires (kind nodes, containers on the `kind` network) and their networks, on the lab's clock. */
  readonly world = new SimWorld({ clock: this.clock });
  private kindWorld: KindWorld | undefined;
  private kindModules: KindLayer | undefined;
  private kindLoading: Promise<KindWorld> | undefined;
  private scripts: Continuations = NO_SCRIPTS;
  private readonly hostsByName = new Map<string, Session>();
  private readonly families = new Map<string, CommandFamily>();
  private live = false;
  private replaying = false;

  /** A lab with the given command families (see families.ts for the standard set). */
  constructor(families: readonly CommandFamily[] = []) {
    for (const f of families) this.register(f);
  }

  /**
   * The lab's kind clusters (the `kind` docker network, kubeconfig contexts); kubectl finds its
   * cluster here. Made by loadKind(), which the families that act on clusters await first (a lab
   * that only runs `sh` never loads kind's layers: half of knetlab's modules).
   */
  get kind(): KindWorld {
    if (!this.kindWorld) throw new Error("the lab's kind world is not loaded yet: await lab.loadKind() first");
    return this.kindWorld;
  }

  /** Kind's layers when loaded (loadKind), else undefined: then the lab has no cluster, node or container. */
  get kindLayer(): KindLayer | undefined {
    return this.kindModules;
  }

  /** Loads kind's layers and makes the lab's kind world, once; undefined when that is done already. */
  loadKind(): Promise<KindWorld> | undefined {
    if (this.kindWorld) return undefined;
    this.kindLoading ??= Promise.all([import('../kind/index.js'), import('../node/index.js'), import('./runtime.js')]).then(
      ([kind, node, runtime]) => {
        const world = new kind.KindWorld(this.world, 'kind', { image: kind.nodeImageFiles });
        // containers whose program is a script run it in their own shell, in virtual time
        world.scripts = runtime.labScripts(this);
        this.scripts = node;
        this.kindModules = kind;
        this.kindWorld = world;
        return world;
      },
    );
    return this.kindLoading;
  }

  /**
   * What family `argv[0]` needs loaded before it runs (its modules, kind's layers), or undefined
   * when it is ready. Lab.run() awaits it; a front end that applies commands in arrival order
   * awaits it first, in the command's turn, so that the run itself starts at once.
   */
  prepare(argv: readonly string[]): Promise<void> | undefined {
    const family = argv[0] === undefined ? undefined : this.families.get(argv[0]);
    return family?.prepare?.(this);
  }

  /** Adds a family of commands (`sh`, `kind`, `kubectl`, `docker`); its name must be new. */
  register(family: CommandFamily): void {
    if (this.families.has(family.name)) throw new Error(`Cannot register command family "${family.name}": it is registered already`);
    this.families.set(family.name, family);
  }

  family(name: string): CommandFamily | undefined {
    return this.families.get(name);
  }

  /**
   * The shell of host NAME: a kind node container's when one runs by that name, else the emulated
   * standalone host NAME, made fresh (seeded by its name) on first use.
   */
  host(name: string): Session {
    const node = this.kindWorld?.node(name);
    if (node) return node.host.session;
    let h = this.hostsByName.get(name);
    if (!h) {
      h = new Session({ host: name, seed: name, clock: this.clock });
      this.hostsByName.set(name, h);
    }
    return h;
  }

  /** The filesystem of kind node NAME (`/etc/cni/net.d`, `/opt/cni/bin`…), or undefined when no node runs by that name. */
  nodeFiles(name: string): NodeFiles | undefined {
    return this.kindWorld?.node(name)?.files;
  }

  /** Forgets host NAME; the next host(NAME) starts afresh. */
  removeHost(name: string): void {
    this.hostsByName.delete(name);
  }

  hostNames(): string[] {
    return [...this.hostsByName.keys()];
  }

  /**
   * Runs `family argv…` (argv[0] names the family). The record comes back when the family says the
   * invocation may change state: the front end journals it (and acknowledges only once it is kept).
   * Commands that do not await run to their end before anything else touches the lab; a front end
   * serving many clients applies them in arrival order.
   */
  async run(argv: readonly string[], io: CommandIo): Promise<LabRun> {
    const [name, ...args] = argv;
    const family = name === undefined ? undefined : this.families.get(name);
    if (!family) {
      io.stderr(`knetlab: unknown command "${name ?? ''}"\n`);
      return { status: 2 };
    }
    const loading = family.prepare?.(this);
    if (loading) await loading;
    const at = this.clock.now();
    const read = new Map<string, Uint8Array>();
    const dirs: Record<string, string[]> = {};
    let until: number | undefined;
    const onAbort = () => (until ??= this.clock.now());
    io.signal.addEventListener('abort', onAbort, { once: true });
    const binds: (BindFailure | null)[] = [];
    const bindPorts = io.bindPorts;
    const recording: CommandIo = {
      ...(bindPorts && {
        bindPorts: async (ports) => {
          const failure = await bindPorts(ports);
          binds.push(failure ?? null);
          return failure;
        },
      }),
      ...(io.listen && { listen: io.listen }),
      ...(io.client && { client: io.client }),
      ...(io.wallClock && { wallClock: io.wallClock }),
      stdout: (t) => io.stdout(t),
      stderr: (t) => io.stderr(t),
      stdin: io.stdin,
      signal: io.signal,
      writeFile: (p, d) => io.writeFile(p, d),
      ...(io.makeDir && { makeDir: io.makeDir }),
      ...(io.readDir && {
        readDir: (p: string) => {
          const names = io.readDir!(p);
          if (names) dirs[p] = names;
          return names;
        },
      }),
      readFile: (p) => {
        const data = io.readFile(p);
        if (data) read.set(p, data);
        return data;
      },
    };
    const mutates = family.mutates(args, recording.readFile);
    let status: number;
    try {
      status = await family.run(this, args, recording);
    } catch (e) {
      // A bug, not bad input. The lab keeps what the command did before it; the record keeps the
      // command, whose replay stops at the same point (the emulator is deterministic).
      io.stderr(`knetlab: internal error in "${family.name}": ${e instanceof Error ? e.message : String(e)}\n`);
      status = 70;
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
    if (!mutates) return { status };
    // Large inputs are kept by content where the front end can (a restore payload is megabytes: as
    // base64 inside the record it was copied four times over); the rest stays inline.
    const byContent = (data: Uint8Array) => (io.keep && data.length >= BLOB_MIN_BYTES ? io.keep(data) : undefined);
    const reads: Record<string, string> = {};
    const blobs: Record<string, string> = {};
    for (const [p, data] of read) {
      const name = byContent(data);
      if (name === undefined) reads[p] = toBase64(data);
      else blobs[p] = name;
    }
    const stdinBlob = io.stdin === undefined ? undefined : byContent(io.stdin);
    const record: JournalRecord = {
      family: family.name,
      argv: args,
      at,
      reads,
      ...(Object.keys(blobs).length ? { blobs } : {}),
      ...(Object.keys(dirs).length ? { dirs } : {}),
      ...(io.stdin === undefined ? {} : stdinBlob === undefined ? { stdin: toBase64(io.stdin) } : { stdinBlob }),
      ...(until === undefined ? {} : { until }),
      ...(binds.length ? { binds } : {}),
    };
    return { status, record };
  }

  /**
   * Applies a journaled invocation again, silently: the clock first runs to the time it started at,
   * it reads the bytes it read then, and it is interrupted at the virtual time it was interrupted.
   * Waits take no real time during a replay. `blob` gives the bytes of a blob the record names
   * (the front end's store; a record without blobs needs none).
   */
  async replay(record: JournalRecord, blob?: (name: string) => Uint8Array): Promise<number> {
    const family = this.families.get(record.family);
    if (!family) throw new Error(`Cannot replay a "${record.family}" command: no such command family in this lab`);
    const loading = family.prepare?.(this);
    if (loading) await loading;
    const live = this.live;
    this.live = false;
    // the clock runs to then as it ran live: a container script an event resumes has its turn
    await this.waitUntil(record.at, NEVER);
    const interrupt = new AbortController();
    if (record.until !== undefined) {
      if (record.until <= this.clock.now()) interrupt.abort();
      else this.clock.schedule(record.until - this.clock.now(), () => interrupt.abort());
    }
    const stored = (name: string): Uint8Array => {
      if (!blob) throw new Error(`Cannot replay a record that reads blob ${name}: no blob store was given`);
      return blob(name);
    };
    this.replaying = true;
    const binds = [...(record.binds ?? [])];
    try {
      return await family.run(this, record.argv, {
        // The machine's ports are bound again by the front end after the replay, not here.
        ...(record.binds && { bindPorts: () => Promise.resolve(binds.shift() ?? undefined) }),
        stdout() {},
        stderr() {},
        writeFile() {},
        makeDir() {},
        readDir: (p) => (record.dirs && Object.hasOwn(record.dirs, p) ? [...record.dirs[p]!] : undefined),
        readFile: (p) =>
          Object.hasOwn(record.reads, p)
            ? fromBase64(record.reads[p]!)
            : record.blobs && Object.hasOwn(record.blobs, p)
              ? stored(record.blobs[p]!)
              : undefined,
        ...(record.stdin !== undefined
          ? { stdin: fromBase64(record.stdin) }
          : record.stdinBlob !== undefined
            ? { stdin: stored(record.stdinBlob) }
            : {}),
        signal: interrupt.signal,
      });
    } catch {
      return 70; // as when it first ran (Lab.run)
    } finally {
      this.live = live;
      this.replaying = false;
    }
  }

  /**
   * Whether virtual time follows the wall clock (the lab server's default): then a front end calls
   * advance() as real time passes, and wait() resolves when the clock gets there. Otherwise (tests,
   * KNETLAB_CLOCK=manual, replays) only explicit waits move the clock, and wait() moves it at once.
   */
  get liveClock(): boolean {
    return this.live;
  }

  set liveClock(on: boolean) {
    this.live = on;
  }

  /** Lets `ms` of virtual time pass on every host (timers fire: neighbours age, conntrack expires). */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /**
   * Advances a live clock by `ms` one event at a time, awaiting `pause()` after each (a front end
   * passes a macrotask turn, setImmediate), so a command waiting on the clock resumes at its event's
   * time and schedules its next wait from there: ping's one-second interval does not slip.
   */
  async advanceStepwise(ms: number, pause: () => Promise<void>): Promise<void> {
    const target = this.clock.now() + ms;
    for (let next = this.clock.nextAt(); next !== undefined && next <= target; next = this.clock.nextAt()) {
      this.clock.runUntil(next);
      this.scripts.takeResumed(this.clock); // the pause below is the resumed script's turn
      await pause();
    }
    this.clock.runUntil(target);
  }

  /**
   * For a command that runs until Ctrl-C (a capture): resolves when `signal` is aborted. During a
   * replay the clock runs on to the time the command was interrupted at.
   */
  async untilInterrupted(signal: AbortSignal): Promise<void> {
    if (this.replaying) {
      for (let next = this.clock.nextAt(); !signal.aborted && next !== undefined; next = this.clock.nextAt()) {
        this.clock.runUntil(next);
        if (this.scripts.takeResumed(this.clock)) await this.scripts.macrotask();
      }
    }
    if (signal.aborted) return;
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }

  /**
   * For ping between its echoes: resolves once the clock reaches `w.until`, once `w.settled()`
   * (checked every SETTLE_POLL_MS of virtual time) or when `signal` is aborted.
   */
  async reach(w: { readonly until: number; readonly settled?: () => boolean }, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.clock.now() < w.until && w.settled?.() !== true) {
      await this.waitUntil(w.settled ? Math.min(w.until, this.clock.now() + SETTLE_POLL_MS) : w.until, signal);
    }
  }

  /**
   * For long-running commands: resolves once `ms` of virtual time has passed, or at once when
   * `signal` is aborted (then with false). With a manual clock the clock jumps there now.
   */
  wait(ms: number, signal: AbortSignal = NEVER): Promise<boolean> {
    return this.waitUntil(this.clock.now() + ms, signal);
  }

  /**
   * A manual clock's next event, when it is due by `until`: runs it and returns true. False on a
   * live clock (time moves by itself) or when nothing is due by then.
   */
  step(until: number): boolean | Promise<boolean> {
    const next = this.live ? undefined : this.clock.nextAt();
    if (next === undefined || next > until) return false;
    this.clock.runUntil(next);
    // a container script the event resumed runs first (node/continuations.ts)
    return this.scripts.takeResumed(this.clock) ? this.scripts.macrotask().then(() => true) : true;
  }

  /** wait() to the virtual time `target`. */
  private waitUntil(target: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (!this.live) {
      // Event by event, so that an interrupt stops the clock at its own time; a container script
      // an event resumed runs up to its next wait before the clock moves on (node/continuations.ts).
      while (!signal.aborted && this.clock.now() < target) {
        const next = this.clock.nextAt();
        this.clock.runUntil(next !== undefined && next < target ? next : target);
        if (this.scripts.takeResumed(this.clock)) return this.scripts.macrotask().then(() => this.waitUntil(target, signal));
      }
      return Promise.resolve(!signal.aborted);
    }
    return new Promise((resolve) => {
      const timer = this.clock.scheduleAt(Math.max(target, this.clock.now()), () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
      const onAbort = () => {
        this.clock.cancel(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
