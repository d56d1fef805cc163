// The command contract of a lab: what a front end (the lab server, `knetlab sh --no-server`, a test,
// later the browser) hands a command, and how a family of commands (`sh`, `kind`, `kubectl`, `docker`)
// plugs into the Lab. Runtime-neutral: the front end decides where output and files really go.
import type { PodStream as CarriedStream, StreamEvents } from '../kubectl/index.js';
import type { Lab } from './lab.js';

/** A command's streams and the client's files. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** What the client piped in; undefined when it gave none (a terminal). */
  readonly stdin?: Uint8Array;
  /**
   * A file of the client's, by a path relative to its working directory (or absolute); undefined
   * when it does not exist. Journaled by the Lab, so that a replay reads the same bytes.
   */
  readFile(path: string): Uint8Array | undefined;
  /** Creates or replaces a file on the client's disk (tcpdump -w, shell redirection, kubectl cp). */
  writeFile(path: string, data: Uint8Array): void;
  /** The names in a directory of the client's, or undefined when `path` is not one (kubectl cp of a directory). Journaled by the Lab. */
  readDir?(path: string): string[] | undefined;
  /** Creates a directory of the client's and its parents (kubectl cp into a new directory). */
  makeDir?(path: string): void;
  /**
   * Keeps bytes the command read (a file, its stdin) by content for the journal and returns their
   * blob name (BLOB_NAME); the front end writes the blob before the record that names it. Without
   * it, the record carries them inline (base64).
   */
  keep?(data: Uint8Array): string;
  /** Aborted when the client interrupts (Ctrl-C) or goes away; long-running commands end then. */
  readonly signal: AbortSignal;
  /**
   * Binds TCP ports of the machine for a container's published ports (the lab server does; other
   * front ends publish nothing and leave this out). Answers the first that could not be bound, with
   * Go's error text (`address already in use`), or undefined when all were. Journaled by the Lab.
   */
  bindPorts?(ports: readonly MachinePort[]): Promise<BindFailure | undefined>;
  /**
   * Listens on a TCP port of the machine while the command runs (kubectl port-forward; port 0: any
   * free one): each client is carried over the stream `open` gives. Resolves with the port bound, or
   * rejects with Go's net.Listen error text. Only the lab server has it.
   */
  listen?(ip: string, port: number, open: (events: StreamEvents) => CarriedStream): Promise<{ readonly port: number; close(): void }>;
  /** The process the user ran (its PID, the kubeconfig its kubectl would load), as `kubectl -v` logs them. */
  readonly client?: ClientProcess;
  /** The machine's time in ms, sub-millisecond (real time; the lab's own clock is virtual), for what a tool prints of it. */
  wallClock?(): number;
}

/** A carried client's emulated connection: what it reports, and its sending side (kubectl's port-forward streams are the same). */
export type { StreamEvents, PodStream as CarriedStream } from '../kubectl/index.js';
import type { ClientProcess } from '../kubectl/index.js';

/** A TCP port of the machine: where a published port is really bound. */
export interface MachinePort {
  readonly ip: string;
  readonly port: number;
}

export interface BindFailure {
  /** Which of the ports asked for. */
  readonly index: number;
  readonly error: string;
}

/** One invocation: argv without the family's name (`['-c', 'ip link']` for `knetlab sh -c 'ip link'`). */
export type LabCommand = (lab: Lab, argv: readonly string[], io: CommandIo) => Promise<number>;

/** A family of commands under one name, registered with Lab.register(). */
export interface CommandFamily {
  /** The word that selects the family: `sh`, `kind`, `kubectl`, `docker`. */
  readonly name: string;
  readonly run: LabCommand;
  /**
   * Whether the invocation may change the lab's state (hosts, clusters, virtual time). Only those are
   * journaled and replayed when the server restarts, so answer true when unsure: a read wrongly
   * called a write costs a journal record; a write called a read is lost on restart. `readFile`
   * reads the client's files (a script named on the command line).
   */
  mutates(argv: readonly string[], readFile: (path: string) => Uint8Array | undefined): boolean;
  /**
   * Loads what the family needs before it runs (its modules, the lab's kind world) and resolves
   * when that is done; undefined once it is ready. Lab.run() and Lab.replay() await it first.
   */
  prepare?(lab: Lab): Promise<void> | undefined;
}
