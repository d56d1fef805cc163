// A lab driven by hand (tests, benches): a command's I/O captured in memory, its files given as text.
import type { CommandIo } from './command.js';
import type { Lab } from './lab.js';

export interface Captured extends CommandIo {
  out: string;
  err: string;
  /** What the command wrote to the client's files (tcpdump -w, redirections). */
  written: Map<string, Uint8Array>;
  /** The directories the command made on the client (kubectl cp). */
  made: Set<string>;
}

export interface ByHand {
  /** The client's files the command may read, as text. */
  readonly files?: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly signal?: AbortSignal;
}

/** A client path as a key: no leading `./`, no trailing slash; `.` is ''. */
const key = (p: string) =>
  p
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
    .replace(/^\.$/, '');

export function captured(opts: ByHand = {}): Captured {
  const files = opts.files ?? {};
  // The client's directories are those its files' paths (given, written or made) pass through.
  const readDir = (p: string): string[] | undefined => {
    const dir = key(p);
    const prefix = dir === '' ? '' : `${dir}/`;
    const names = new Set<string>();
    for (const f of [...Object.keys(files), ...c.written.keys(), ...c.made]) {
      const k = key(f);
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return names.size > 0 || c.made.has(dir) || dir === '' ? [...names].sort() : undefined;
  };
  const c: Captured = {
    out: '',
    err: '',
    written: new Map(),
    made: new Set(),
    stdout: (t) => void (c.out += t),
    stderr: (t) => void (c.err += t),
    readFile: (p) => (p in files ? new TextEncoder().encode(files[p]) : c.written.get(p)),
    writeFile: (p, d) => void c.written.set(p, d),
    readDir,
    makeDir: (p) => {
      const parts = key(p).split('/');
      for (let i = 1; i <= parts.length; i++) if (parts.slice(0, i).join('') !== '') c.made.add(parts.slice(0, i).join('/'));
    },
    signal: opts.signal ?? new AbortController().signal,
    ...(opts.stdin === undefined ? {} : { stdin: new TextEncoder().encode(opts.stdin) }),
  };
  return c;
}

/** Runs `argv` in `lab`: its status, what it printed, whether the lab journaled it. */
export async function runByHand(
  lab: Lab,
  argv: readonly string[],
  opts: ByHand = {},
): Promise<{ status: number; out: string; err: string; journaled: boolean }> {
  const c = captured(opts);
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err, journaled: r.record !== undefined };
}
