// A shell session on one emulated host: runs scripts as `bash -e` would (stop at the first
// failing command, with its status), resolving commands from the emulated tools.
import { Host, Kernel, type Netns, type Walk } from '../kernel/index.js';
import { FileError, fileError, type Command, type Proc } from '../apps/proc.js';
import { ping, pingRun, type PingWait } from '../apps/ping/ping.js';
import { sysctl } from '../apps/procps/sysctl.js';
import { ss } from '../apps/ss/ss.js';
import { nc } from '../apps/nc/nc.js';
import { capturesUntilInterrupted, tcpdump } from '../apps/tcpdump/tcpdump.js';
import { curl } from '../apps/curl/curl.js';
import { iperf3 } from '../apps/iperf3/iperf3.js';
import { dig } from '../apps/dns/dig.js';
import { getent, host, nslookup } from '../apps/dns/tools.js';
import { python3 } from '../apps/http/server.js';
import { nginx, nginxEntrypoint } from '../apps/http/nginx.js';
import { whoami } from '../apps/http/whoami.js';
import { serveHostname } from '../apps/http/serve-hostname.js';
import { GENERIC_CONTAINER, genericContainer } from '../apps/http/generic.js';
import { BUSYBOX_LEGACY, busybox, busyboxLegacy } from '../apps/busybox/applets.js';
import { iptables, iptablesRestore, iptablesSave } from '../apps/iptables/index.js';
import { ipset } from '../apps/ipset/index.js';
import { ipvsadm } from '../apps/ipvsadm/index.js';
import { conntrack } from '../apps/conntrack/conntrack.js';
import { ip, bridge, brctl } from '../apps/iproute2/index.js';
import { cat, echo, falseCmd, hostname, openRedirect, sleep, trueCmd, writeRedirect } from './builtins.js';
import type { EventQueue } from '../sim/index.js';
import { parseScript, ShellSyntaxError, type SimpleCommand, type Stage } from './parse.js';
import { readsStdin, runTextTool, TEXT_TOOLS, type TextRun } from './text-tools.js';

/** Where a session's output and files go; the front end decides (a terminal, a buffer, a disk). */
export interface SessionIo {
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array | undefined;
  trace?(label: string): Walk;
  /** Aborted on an interrupt (Ctrl-C): the running program ends as on SIGINT, and the script stops (status 130). */
  readonly signal?: AbortSignal;
  /**
   * The script's own standard input (`knetlab sh -c 'iptables-restore' < FILE`): its commands share
   * it, so the first one that reads its stdin takes it all, as they would read one file to its end.
   */
  readonly stdin?: Uint8Array;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  ip,
  bridge,
  brctl,
  ping,
  tcpdump,
  sysctl,
  curl,
  dig,
  host,
  nslookup,
  getent,
  python3,
  cat,
  echo,
  hostname,
  sleep,
  true: trueCmd,
  false: falseCmd,
  iptables,
  'iptables-save': iptablesSave,
  'iptables-restore': iptablesRestore,
  ipset,
  ipvsadm,
  conntrack,
  ss,
  nc,
  iperf3,
  // workload images' servers, started by the kubelet in a pod's sandbox (traefik/whoami's entrypoint is /whoami)
  nginx,
  '/docker-entrypoint.sh': nginxEntrypoint,
  '/whoami': whoami,
  '/serve_hostname': serveHostname,
  [GENERIC_CONTAINER]: genericContainer,
  // BusyBox's applets in its own words (`busybox ping`), for the busybox and Alpine images
  busybox,
  [BUSYBOX_LEGACY]: busyboxLegacy,
};

export interface SessionOptions {
  /** The host's name (its hostname and the label of its root namespace). */
  host?: string;
  seed?: number | string;
  capture?: boolean;
  /** The world's clock, shared with other hosts of a lab; a fresh one otherwise. */
  clock?: EventQueue;
}

/** What one command printed, and its exit status. */
export interface ToolRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How Session.exec started a command: what its process and the programs it runs inherit. */
interface ExecOptions {
  readonly stdin?: Uint8Array;
  /** Where a command reads when nothing is piped in: the script's stdin, taken on the first read. */
  readonly scriptStdin?: () => Uint8Array | undefined;
  readonly daemons?: (() => void)[];
  readonly hostname?: string;
  /** Whether the clock runs on 1 ms after each program (frames in flight land); not for a process a runtime starts, which takes no time. */
  readonly settle?: boolean;
}

/** A parsed command as runOne() runs it; a capture carries the virtual time it started listening. */
interface CommandToRun extends Stage {
  readonly line: number;
  readonly since?: number;
}

/** Where a stage of a pipeline reads and writes: what the stage before printed, and the next stage. */
interface PipeEnds {
  readonly stdin?: Uint8Array;
  readonly scriptStdin?: () => Uint8Array | undefined;
  readonly stdout?: (text: string) => void;
}

/**
 * What steps() waits on: a foreground capture's Ctrl-C, ping's next wait, or a text tool (just-bash
 * runs asynchronously), whose run the front end sends back.
 */
type Pause = 'interrupt' | PingWait | Promise<TextRun>;

const UTF8 = new TextEncoder();
const TEXT = new TextDecoder();
const NO_INPUT = new Uint8Array();

/** A capture started with `&`: it listens from `since` and prints at `wait` (or the script's end). */
interface Job {
  readonly command: SimpleCommand;
  readonly since: number;
}

/** `tcpdump …` or `ip netns exec NS tcpdump …`: the one kind of job worth running in the background. */
function isCapture(argv: readonly string[]): boolean {
  return argv[0] === 'tcpdump' || (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv[4] === 'tcpdump');
}

/** `ping …` or `ip netns exec NS ping …` with its output on the terminal: worth running against a live clock. */
function pingOf(argv: readonly string[], redirects: SimpleCommand['redirects']): { ns?: string; args: readonly string[] } | undefined {
  if (redirects.length > 0) return undefined;
  if (argv[0] === 'ping') return { args: argv.slice(1) };
  if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv[3] !== undefined && argv[4] === 'ping')
    return { ns: argv[3], args: argv.slice(5) };
  return undefined;
}

/** A capture with neither a packet count (-c) nor a file to read (-r): the real one runs until Ctrl-C. */
function runsUntilInterrupted(argv: readonly string[]): boolean {
  return capturesUntilInterrupted(argv.slice(argv.indexOf('tcpdump') + 1));
}

const SILENT: SessionIo = { stdout() {}, stderr() {}, writeFile() {}, readFile: () => undefined };

export class Session {
  readonly kernel: Kernel;
  readonly host: Host;

  constructor(opts: SessionOptions = {}) {
    this.kernel = new Kernel({ seed: opts.seed ?? opts.host ?? 'knetlab', capture: opts.capture, clock: opts.clock });
    this.host = new Host(this.kernel, opts.host ?? 'knetlab');
  }

  /**
   * Runs a script; returns the status of the last command run (the failing one under -e).
   * Synchronous, so without the text tools (grep, jq… are asynchronous): runText() has them.
   */
  run(script: string, io: SessionIo): number {
    const steps = this.steps(script, io, { live: false, text: false });
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /** run() with the text tools a script pipes into. */
  async runText(script: string, io: SessionIo): Promise<number> {
    const steps = this.steps(script, io, { live: false, text: true });
    let step = steps.next();
    while (!step.done) step = steps.next(step.value instanceof Promise ? await step.value : undefined);
    return step.value;
  }

  /**
   * Runs a script for a client that stays connected (the lab server): a foreground capture that
   * would run until Ctrl-C (`tcpdump -i DEV` without -c or -r) captures from when it starts until
   * `interrupted()` settles, then prints or writes what it saw, as tcpdump does on SIGINT; the script
   * goes on after it (tcpdump exits normally on SIGINT, so bash carries on).
   */
  async runLive(script: string, io: SessionIo, interrupted: () => Promise<void>, reach: (w: PingWait) => Promise<void>): Promise<number> {
    const steps = this.steps(script, io, { live: true, text: true });
    let step = steps.next();
    while (!step.done) {
      const p = step.value;
      if (p instanceof Promise) step = steps.next(await p);
      else {
        await (p === 'interrupt' ? interrupted() : reach(p));
        step = steps.next();
      }
    }
    return step.value;
  }

  /**
   * The script's commands in order; when `live`, it yields where a foreground capture waits for
   * Ctrl-C and where ping waits; with `text`, where a text tool runs.
   */
  private *steps(
    script: string,
    io: SessionIo,
    { live, text }: { readonly live: boolean; readonly text: boolean },
  ): Generator<Pause, number, TextRun | undefined> {
    let commands: SimpleCommand[];
    try {
      commands = parseScript(script);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      io.stderr(`bash: line ${e.line}: ${e.message}\n`);
      return 2;
    }
    let status = 0;
    let stdinLeft = io.stdin;
    const takeStdin = (): Uint8Array | undefined => {
      const s = stdinLeft;
      stdinLeft = undefined;
      return s;
    };
    const jobs: Job[] = [];
    const finishJobs = (): void => {
      for (const j of jobs.splice(0)) this.runOne({ ...j.command, since: j.since }, io);
    };
    for (const c of commands) {
      if ((c.join === '&&' && status !== 0) || (c.join === '||' && status === 0)) continue;
      if (c.background && isCapture(c.argv)) {
        jobs.push({ command: c, since: this.kernel.clock.now() });
        status = 0;
        continue;
      }
      if (c.argv[0] === 'wait' && c.argv.length === 1) {
        finishJobs();
        status = 0;
        continue;
      }
      const pinged = live ? pingOf(c.argv, c.redirects) : undefined;
      const pingNs = pinged && (pinged.ns === undefined ? this.host.root : this.host.netns(pinged.ns));
      if (live && isCapture(c.argv) && runsUntilInterrupted(c.argv)) {
        const since = this.kernel.clock.now();
        yield 'interrupt';
        status = yield* this.runPipeline({ ...c, since }, io, text, takeStdin);
      } else if (pinged && pingNs) {
        // Each wait of ping's is the front end's to serve, so its replies come in real time and
        // Ctrl-C stops it where it is (a replay's waits run the clock at once, to the same interrupt).
        status = yield* pingRun(pinged.args, this.proc(pingNs, undefined, io, c.line), true);
        // iputils exits normally on SIGINT (after its statistics), so bash carries on.
        this.kernel.clock.runUntil(this.kernel.clock.now() + 1);
      } else {
        status = yield* this.runPipeline(c, io, text, takeStdin);
        if (io.signal?.aborted) {
          finishJobs();
          return 130;
        }
      }
      // bash -e: a failure ends the script unless a following `||` handles it.
      if (status !== 0 && c.join !== '||') {
        const next = commands[commands.indexOf(c) + 1];
        if (!next || next.join !== '||') {
          finishJobs();
          return status;
        }
      }
    }
    finishJobs();
    return status;
  }

  /**
   * Runs one command (argv, no shell syntax) with `stdin`, as a program started by another
   * program would be, and returns what it printed; a server it leaves listening can be stopped
   * with the returned `stop`. `settle: false` starts a process as a container runtime does: the
   * clock does not run meanwhile (configuring takes no time). `netns`: run as `ip netns exec NETNS
   * ARGV...` runs it (with `settle: false`, a known program in a namespace that exists goes to its
   * namespace directly, as ip would send it, without parsing ip's command line: a container's start).
   */
  exec(
    argv: readonly string[],
    stdin?: string,
    hostname?: string,
    signal?: AbortSignal,
    opts: { readonly settle?: boolean; readonly netns?: string; readonly files?: Pick<SessionIo, 'readFile' | 'writeFile'> } = {},
  ): ToolRun & { readonly stop: () => void; readonly output: () => string; readonly serving: () => boolean } {
    const run = new ExecRun();
    // The files a tool reads and writes (tcpdump -w/-r) are its caller's: a container's, say.
    const io: SessionIo = {
      ...SILENT,
      ...opts.files,
      stdout: (t) => run.write(t, false),
      stderr: (t) => run.write(t, true),
      ...(signal ? { signal } : {}),
    };
    const input = stdin === undefined ? undefined : new TextEncoder().encode(stdin);
    const proc = this.proc(this.host.root, undefined, io, 1, { stdin: input, daemons: run.daemons, hostname, settle: opts.settle });
    const { netns } = opts;
    const ns = netns !== undefined && opts.settle === false ? this.host.netns(netns) : undefined;
    run.returned(
      ns && argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0])
        ? proc.exec(argv, ns)
        : proc.exec(netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv], this.host.root),
    );
    return run;
  }

  /**
   * Runs a pipeline's stages in turn, each on what the one before printed, and returns the last
   * one's status (no pipefail). Bash runs them at once; these tools never wait on their input, so
   * in turn gives the same output. A text tool (grep, awk, jq…) is yielded to the front end.
   */
  private *runPipeline(
    c: SimpleCommand & { readonly since?: number },
    io: SessionIo,
    text: boolean,
    takeStdin: () => Uint8Array | undefined,
  ): Generator<Pause, number, TextRun | undefined> {
    const stages: readonly Stage[] = [c, ...(c.pipeTo ?? [])];
    let stdin: Uint8Array | undefined;
    let status = 0;
    for (const [i, s] of stages.entries()) {
      let piped = '';
      const stdout = i < stages.length - 1 ? (t: string) => void (piped += t) : undefined;
      const input = s.input === undefined ? stdin : io.readFile(s.input);
      const name = s.argv[0]!;
      if (s.input !== undefined && !input) {
        io.stderr(`bash: line ${c.line}: ${s.input}: No such file or directory\n`);
        status = 1;
      } else if (!Object.hasOwn(COMMANDS, name) && TEXT_TOOLS.has(name)) {
        // a text tool reads the script's stdin when it is first and names no file it can read
        const own = i === 0 && s.input === undefined && readsStdin(s.argv, (p) => io.readFile(p) !== undefined) ? takeStdin() : undefined;
        const ran = text ? yield runTextTool(s.argv, TEXT.decode(input ?? own ?? NO_INPUT), (p) => io.readFile(p), io.signal) : undefined;
        if (ran) status = this.runOne({ ...s, line: c.line }, io, { stdout }, ran);
        else {
          io.stderr(`knetlab: line ${c.line}: ${name}: text tools need Session.runText (this run is synchronous)\n`);
          status = 127;
        }
      } else {
        status = this.runOne({ ...s, line: c.line, ...(i === 0 && c.since !== undefined ? { since: c.since } : {}) }, io, {
          ...(input ? { stdin: input } : i === 0 ? { scriptStdin: takeStdin } : {}),
          ...(stdout ? { stdout } : {}),
        });
      }
      stdin = stdout ? UTF8.encode(piped) : undefined;
    }
    return status;
  }

  /** Runs one command with its redirections; `ran`: a text tool's run, whose output is delivered the same way. */
  private runOne(c: CommandToRun, io: SessionIo, pipe: PipeEnds = {}, ran?: TextRun): number {
    let out = '';
    let err = '';
    const toFile = c.redirects.find((r) => r.fd === 1);
    const errFile = c.redirects.find((r) => r.fd === 2);
    // bash opens (and truncates) a redirect's file before it starts the command; one it cannot open stops the command.
    for (const r of [toFile, errFile]) {
      const failed =
        r && r.target !== '&1' ? openRedirect(r.target, r.append, this.proc(this.host.root, c.since, io, c.line), c.line) : undefined;
      if (failed) {
        io.stderr(`${failed}\n`);
        return 1;
      }
    }
    const terminal = pipe.stdout ?? ((t: string) => io.stdout(t));
    const proc = this.proc(
      this.host.root,
      c.since,
      {
        ...io,
        stdout: (t) => (toFile ? (out += t) : terminal(t)),
        stderr: (t) => (errFile ? (errFile.target === '&1' ? (toFile ? (out += t) : terminal(t)) : (err += t)) : io.stderr(t)),
      },
      c.line,
      pipe.stdin ? { stdin: pipe.stdin } : pipe.scriptStdin ? { scriptStdin: pipe.scriptStdin } : {},
    );
    let status: number;
    if (ran) {
      proc.stdout(ran.stdout);
      proc.stderr(ran.stderr);
      status = ran.status;
    } else status = proc.exec(c.argv, this.host.root);
    for (const [r, text] of [
      [toFile, out],
      [errFile?.target === '&1' ? undefined : errFile, err],
    ] as const) {
      if (!r) continue;
      const failed = writeRedirect(r.target, text, r.append, proc, c.line);
      if (failed) {
        io.stderr(`${failed}\n`);
        status = 1;
      }
    }
    return status;
  }

  private proc(ns: Netns, since: number | undefined, io: SessionIo, line: number, started: ExecOptions = {}): Proc {
    return new SessionProc(this, ns, since, io, line, started);
  }
}

/**
 * A command Session.exec ran: its status and what it printed when it returned, and, as long as a
 * server it left behind runs (every nginx pod's), both streams in the order written and the way to
 * stop it. One object in place of a record and the closures over its output.
 */
class ExecRun {
  status = 0;
  /** What the command printed before it returned (later writes go to output() only). */
  stdout = '';
  stderr = '';
  /** The servers it left listening, each with its stop. */
  readonly daemons: (() => void)[] = [];
  private all = '';
  private done = false;

  write(text: string, toStderr: boolean): void {
    if (!this.done) {
      if (toStderr) this.stderr += text;
      else this.stdout += text;
    }
    this.all += text;
  }

  returned(status: number): void {
    this.status = status;
    this.done = true;
  }

  stop(): void {
    for (const stop of this.daemons.splice(0)) stop();
  }

  /** Both streams in the order written, also after the command returned (a server's log lines). */
  output(): string {
    return this.all;
  }

  /** A server it left behind (a listening socket) keeps the program running. */
  serving(): boolean {
    return this.daemons.length > 0;
  }
}

/**
 * What a program the session runs gets (see Proc). A class, not a literal: the lazy `stdin` getter
 * made each literal a slow object of its own (a container's start made two, ~800 bytes kept each).
 * The streams are getters that make an arrow function when read: programs pass them around
 * detached, and a server keeps its Proc as long as it listens (every nginx pod), which kept six
 * functions and their context each when they were made up front.
 */
class SessionProc implements Proc {
  readonly host: Host;
  readonly hostname: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** The input given, or the script's once a program read it (it is taken only by a program that reads its own). */
  private input: Uint8Array | undefined;

  constructor(
    private readonly session: Session,
    readonly ns: Netns,
    readonly since: number | undefined,
    private readonly io: SessionIo,
    private readonly line: number,
    private readonly started: ExecOptions,
  ) {
    this.host = session.host;
    this.hostname = started.hostname;
    this.signal = io.signal;
    this.input = started.stdin;
  }

  get daemon(): ((stop: () => void) => void) | undefined {
    const daemons = this.started.daemons;
    return daemons ? (stop) => void daemons.push(stop) : undefined;
  }

  get trace(): ((label: string) => Walk) | undefined {
    const io = this.io;
    return io.trace ? (label) => io.trace!(label) : undefined;
  }

  get stdout(): (text: string) => void {
    const io = this.io;
    return (t) => io.stdout(t);
  }

  get stderr(): (text: string) => void {
    const io = this.io;
    return (t) => io.stderr(t);
  }

  get writeFile(): (path: string, data: Uint8Array) => void {
    const io = this.io;
    return (p, d) => {
      try {
        io.writeFile(p, d);
      } catch (e) {
        throw fileError(p, e);
      }
    };
  }

  get readFile(): (path: string) => Uint8Array | undefined {
    const io = this.io;
    return (p) => io.readFile(p);
  }

  get stdin(): Uint8Array | undefined {
    return (this.input ??= this.started.scriptStdin?.());
  }

  which(name: string): boolean {
    return Object.hasOwn(COMMANDS, name);
  }

  exec(argv: readonly string[], target: Netns): number {
    const { io, line, started, session } = this;
    const [name, ...args] = argv;
    // Own properties only: `toString` or `__proto__` is no command.
    const cmd = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!cmd) {
      io.stderr(`bash: line ${line}: ${name}: command not found\n`);
      return 127;
    }
    let status: number;
    try {
      status = cmd(args, new SessionProc(session, target, this.since, io, line, started));
    } catch (e) {
      // A tool that does not report a file it cannot write itself: the error and status 1, not a crash.
      if (!(e instanceof FileError)) throw e;
      io.stderr(`${name}: ${e.message}\n`);
      status = 1;
    }
    // Frames still in flight when a command returns land before the next one starts.
    if (started.settle !== false) session.kernel.clock.runUntil(session.kernel.clock.now() + 1);
    return status;
  }
}
