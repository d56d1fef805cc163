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
  /** Aborted when the user interrupts (Ctrl-C, SIGINT): a long-running program ends as the real one does then. */
  readonly signal?: AbortSignal;
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
  /** Creates or truncates a file (tcpdump -w, shell redirection); throws FileError when it cannot. */
  writeFile(path: string, data: Uint8Array): void;
  /** Reads a file the host has (for `tcpdump -r`); undefined when it does not exist. */
  readFile(path: string): Uint8Array | undefined;
  /** When the caller follows packets (`knetlab demo`, `trace`), a new walk for the packet described by `label`. */
  trace?(label: string): Walk;
}

/** An emulated program: argv without the program name; returns the exit status. */
export type Command = (args: readonly string[], proc: Proc) => number;

/** A file could not be written; `reason` is strerror's text (`No such file or directory`). */
export class FileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileError';
  }
}

/** strerror's text for the errno codes a front end's file system reports (Node's `code`). */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EFBIG: 'File too large',
  EINVAL: 'Invalid argument',
};

/** The FileError for whatever a front end's writeFile threw. */
export function fileError(path: string, e: unknown): FileError {
  if (e instanceof FileError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  return new FileError(path, Object.hasOwn(STRERROR, code) ? STRERROR[code]! : e instanceof Error ? e.message : String(e));
}
