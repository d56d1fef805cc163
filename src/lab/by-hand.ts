// A lab driven by hand (tests, benches): a command's I/O captured in memory, its files given as text.
import type { CommandIo } from './command.js';
import type { Lab } from './lab.js';

export interface Captured extends CommandIo {
  out: string;
  err: string;
  /** What the command wrote to the client's files (tcpdump -w, redirections). */
  written: Map<string, Uint8Array>;
}

export interface ByHand {
  /** The client's files the command may read, as text. */
  readonly files?: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly signal?: AbortSignal;
}

export function captured(opts: ByHand = {}): Captured {
  const files = opts.files ?? {};
  const c: Captured = {
    out: '',
    err: '',
    written: new Map(),
    stdout: (t) => void (c.out += t),
    stderr: (t) => void (c.err += t),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : c.written.get(p)),
    writeFile: (p, d) => void c.written.set(p, d),
    signal: opts.signal ?? new AbortController().signal,
    ...(opts.stdin === undefined ? {} : { stdin: new TextEncoder().encode(opts.stdin) }),
  };
  return c;
}

/** Runs `argv` in `lab`: its status, what it printed, whether the lab journaled it. */
export async function runByHand(lab: Lab, argv: readonly string[], opts: ByHand = {}): Promise<{ status: number; out: string; err: string; journaled: boolean }> {
  const c = captured(opts);
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err, journaled: r.record !== undefined };
}
