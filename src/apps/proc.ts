// What an emulated command gets when it runs: the host and namespace it runs in, its output
// streams, a way to run another command (for `ip netns exec`), and the files it may write.
// Runtime-neutral: the front end decides where stdout, stderr and files really go.
import type { Host, Netns, Walk } from '../kernel/index.js';

export interface Proc {
  readonly host: Host;
  /** The network namespace the command runs in (`ip netns exec` changes it). */
  readonly ns: Netns;
  /** The UTS namespace's host name, when it is not the host's own (a pod sandbox's). */
  readonly hostname?: string;
  /** For a command run as a background job (`tcpdump … &`), the virtual time it started. */
  readonly since?: number;
  /** Standard input, when the caller gave one (`iptables-restore`, `ip -batch -`); otherwise empty. */
  readonly stdin?: Uint8Array;
  /** Writes to standard output; the text includes its own newlines. */
  stdout(text: string): void;
  stderr(text: string): void;
  /** Runs another command line in `ns` with the same streams; returns its exit status. */
  exec(argv: readonly string[], ns: Netns): number;
  /** A command that keeps running after it returns (a server) registers how to stop it. */
  daemon?(stop: () => void): void;
  /** Whether a program of that name exists (what execvp would find). */
  which?(name: string): boolean;
  /** Creates or truncates a file (tcpdump -w, shell redirection). */
  writeFile(path: string, data: Uint8Array): void;
  /** Reads a file the host has (for `tcpdump -r`); undefined when it does not exist. */
  readFile(path: string): Uint8Array | undefined;
  /** When the caller follows packets (`knetlab demo`, `trace`), a new walk for the packet described by `label`. */
  trace?(label: string): Walk;
}

/** An emulated program: argv without the program name; returns the exit status. */
export type Command = (args: readonly string[], proc: Proc) => number;
