// The input fuzzer: seeded mutations of valid command lines and documents (corpus.ts), each run
// in-process on a fresh emulated host with state, checked for three failures a user must never
// see: a JavaScript exception escaping (a crash), a run past its wall-time or virtual-time budget
// that an interrupt does not end (a hang), and a failing configuration command that changed state
// it did not mean to change (compared in `ip -j` dumps, iptables-save, ipset save, ipvsadm -S).
// A failing input is minimised (words and lines dropped or shortened while it still fails).
import { performance } from 'node:perf_hooks';
import { Session, type SessionIo } from '../shell/session.js';
import { COMMAND_LINES, DOCUMENTS, LATER_DOCUMENTS, SETUP } from './corpus.js';
import { mutateText, mutateWords, Rng } from './mutate.js';

export type FuzzInput =
  /** A command run as a program runs another (no shell): any bytes in any word. */
  | { readonly kind: 'argv'; readonly argv: readonly string[] }
  /** A line given to the shell, as a user types it. */
  | { readonly kind: 'script'; readonly text: string }
  /** A tool reading a document on standard input. */
  | { readonly kind: 'stdin'; readonly argv: readonly string[]; readonly text: string };

export interface Finding {
  readonly seed: number;
  readonly problem: 'crash' | 'hang' | 'state';
  readonly detail: string;
  readonly input: FuzzInput;
}

export interface Budget {
  /** Real time after which the run is interrupted (as Ctrl-C); twice that and it is a hang. */
  readonly wallMs: number;
  /** Virtual time after which the run is interrupted; a run that lets more pass than twice that is a hang. */
  readonly virtualMs: number;
}

export const DEFAULT_BUDGET: Budget = { wallMs: 2_000, virtualMs: 3_600_000 };

/** The input of one seed: mutations (one to three) of one corpus entry. */
export function inputFor(seed: number): FuzzInput {
  const rng = new Rng(seed);
  const docs = [...DOCUMENTS, ...LATER_DOCUMENTS];
  const rounds = 1 + rng.int(3);
  if (rng.int(5) === 0) {
    const doc = rng.pick(docs);
    let text = doc.text;
    for (let i = 0; i < rounds; i++) text = mutateText(text, rng);
    return { kind: 'stdin', argv: rng.int(4) === 0 ? mutateWords(doc.argv, rng) : [...doc.argv], text };
  }
  let words = rng.pick(COMMAND_LINES).split(' ');
  for (let i = 0; i < rounds; i++) words = mutateWords(words, rng);
  return rng.int(3) === 0 ? { kind: 'script', text: words.join(' ') } : { kind: 'argv', argv: words };
}

/** Programs whose failures may still change state: traffic and time (neighbour entries, captures, sleeps). */
const ACTIVE = new Set(['ping', 'curl', 'tcpdump', 'sleep', 'python3']);

/** The program an argv runs, past `ip netns exec NS` and `ip -n NS`. */
function program(argv: readonly string[]): string {
  if (argv[0] === 'ip' && argv[1] === 'netns' && argv[2] === 'exec' && argv.length > 4) return program(argv.slice(4));
  return argv[0] ?? '';
}

/** Which parts of the state a failing input may change (undefined: any). */
function mayChange(input: FuzzInput): ((part: string) => boolean) | undefined {
  if (input.kind === 'stdin') {
    const tool = program(input.argv);
    if (tool === 'iptables-restore') {
      // Tables commit one by one, as the real one does: only the tables the text names may change.
      const named = new Set([...input.text.matchAll(/^\*(\S+)/gm)].map((m) => m[1]!));
      return (part) => part.startsWith('iptables ') && named.has(part.split(' ')[2]!);
    }
    if (tool === 'ipset') return (part) => part.startsWith('ipset ');
    return undefined; // ip -batch applies the lines before the failing one, as iproute2 does.
  }
  const argv = input.kind === 'argv' ? input.argv : input.text.trim().split(/\s+/);
  if (input.kind === 'script' && /[;&|\n]/.test(input.text)) return undefined;
  if (argv.some((w) => ACTIVE.has(w)) || argv.includes('-batch') || argv.includes('-b')) return undefined;
  return () => false;
}

/** The state a user would inspect, by part: `net NS`, `iptables NS TABLE`, `ipset NS`, `ipvs NS`. */
export function snapshot(session: Session): Map<string, string> {
  const parts = new Map<string, string>();
  const out = (argv: string[]) => session.exec(argv).stdout;
  const namespaces = [
    '',
    ...out(['ip', 'netns', 'list'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]!),
  ];
  parts.set('netns', namespaces.join(' '));
  for (const ns of namespaces) {
    const at = (argv: string[]) => out(ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv);
    parts.set(
      `net ${ns}`,
      [
        at(['ip', '-j', 'link', 'show']),
        at(['ip', '-4', '-j', 'addr', 'show']),
        at(['ip', '-4', '-j', 'route', 'show', 'table', 'all']),
        at(['ip', '-4', '-j', 'neigh', 'show']),
        at(['bridge', '-j', 'fdb', 'show']),
      ].join('\n'),
    );
    for (const table of ['filter', 'nat', 'mangle', 'raw']) {
      parts.set(
        `iptables ${ns} ${table}`,
        at(['iptables-save', '-t', table])
          .replace(/^#.*\n/gm, '')
          .replace(/\[\d+:\d+\]/g, '[*]'),
      );
    }
    parts.set(`ipset ${ns}`, at(['ipset', 'save']));
    parts.set(`ipvs ${ns}`, at(['ipvsadm', '-S', '-n']));
  }
  return parts;
}

/** A host with the corpus' state, made once per input so that inputs never see each other's effects. */
function freshHost(): Session {
  const session = new Session({ host: 'fuzz', seed: 'fuzz' });
  let err = '';
  const status = session.run(SETUP, { stdout() {}, stderr: (t) => (err += t), writeFile() {}, readFile: () => undefined });
  if (status !== 0) throw new Error(`the fuzzer's setup failed (${status}): ${err}`);
  return session;
}

/** An interrupt that comes when the budget is spent (read by long-running programs between their steps). */
function budgetSignal(session: Session, budget: Budget, startedAt: number): AbortSignal {
  const v0 = session.kernel.clock.now();
  const signal = {
    get aborted() {
      return performance.now() - startedAt > budget.wallMs || session.kernel.clock.now() - v0 > budget.virtualMs;
    },
    addEventListener() {},
    removeEventListener() {},
  };
  return signal as unknown as AbortSignal;
}

/** What one run found, and whether the host may serve the next input (its state is `before` still). */
interface Outcome {
  readonly found?: Omit<Finding, 'seed' | 'input'>;
  readonly clean: boolean;
}

/** Runs one input on `session`, whose state is `before`. */
function runOn(session: Session, before: Map<string, string>, input: FuzzInput, budget: Budget): Outcome {
  const files = new Map<string, Uint8Array>();
  const startedAt = performance.now();
  const v0 = session.kernel.clock.now();
  const io: SessionIo = {
    stdout() {},
    stderr() {},
    writeFile: (p, d) => void files.set(p, d),
    readFile: (p) => files.get(p),
    signal: budgetSignal(session, budget, startedAt),
  };
  let status: number;
  try {
    if (input.kind === 'script') status = session.run(input.text, io);
    else {
      const r = session.exec(input.argv, input.kind === 'stdin' ? input.text : undefined, undefined, io.signal);
      status = r.status;
      r.stop();
    }
  } catch (e) {
    return {
      found: { problem: 'crash', detail: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e) },
      clean: false,
    };
  }
  const wall = performance.now() - startedAt;
  const virtual = session.kernel.clock.now() - v0;
  if (wall > 2 * budget.wallMs)
    return {
      found: { problem: 'hang', detail: `ran ${Math.round(wall)} ms of real time (budget ${budget.wallMs} ms, then interrupted)` },
      clean: false,
    };
  if (virtual > 2 * budget.virtualMs)
    return { found: { problem: 'hang', detail: `let ${virtual} ms of virtual time pass (budget ${budget.virtualMs} ms)` }, clean: false };
  if (status === 0) return { clean: false };
  const allowed = mayChange(input);
  if (!allowed) return { clean: false };
  let after: Map<string, string>;
  try {
    after = snapshot(session);
  } catch (e) {
    return {
      found: { problem: 'crash', detail: `reading the state afterwards: ${e instanceof Error ? e.stack : String(e)}` },
      clean: false,
    };
  }
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  const unintended = changed.filter((k) => !allowed(k));
  if (unintended.length)
    return { found: { problem: 'state', detail: `exit ${status}, yet changed: ${unintended.join(', ')}` }, clean: false };
  return { clean: changed.length === 0 };
}

/** Runs one input on a fresh host; returns what went wrong, or undefined. */
export function check(input: FuzzInput, budget: Budget = DEFAULT_BUDGET): Omit<Finding, 'seed' | 'input'> | undefined {
  const session = freshHost();
  return runOn(session, snapshot(session), input, budget).found;
}

/** Smaller inputs that still fail the same way: words or lines dropped, words cut short. */
export function minimize(input: FuzzInput, problem: Finding['problem'], budget: Budget = DEFAULT_BUDGET, tries = 300): FuzzInput {
  const fails = (i: FuzzInput) => check(i, budget)?.problem === problem;
  let best = input;
  let progress = true;
  while (progress && tries > 0) {
    progress = false;
    for (const candidate of shrink(best)) {
      if (--tries < 0) break;
      if (fails(candidate)) {
        best = candidate;
        progress = true;
        break;
      }
    }
  }
  return best;
}

function* shrinkWords(words: readonly string[]): Generator<string[]> {
  for (let i = 0; i < words.length; i++) yield [...words.slice(0, i), ...words.slice(i + 1)];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length > 1) yield [...words.slice(0, i), w.slice(0, Math.ceil(w.length / 2)), ...words.slice(i + 1)];
    if (w.length > 1) yield [...words.slice(0, i), w.slice(Math.floor(w.length / 2)), ...words.slice(i + 1)];
  }
}

function* shrink(input: FuzzInput): Generator<FuzzInput> {
  if (input.kind === 'argv') {
    for (const argv of shrinkWords(input.argv)) if (argv.length) yield { kind: 'argv', argv };
  } else if (input.kind === 'script') {
    for (const words of shrinkWords(input.text.split(' '))) if (words.length) yield { kind: 'script', text: words.join(' ') };
  } else {
    const lines = input.text.split('\n');
    for (const kept of shrinkWords(lines)) yield { ...input, text: kept.join('\n') };
    for (const argv of shrinkWords(input.argv)) if (argv.length) yield { ...input, argv };
  }
}

/** How an input reads in a report: the command as one would type it, the document after it. */
export function describe(input: FuzzInput): string {
  const show = (s: string) => (s.length > 200 ? `${JSON.stringify(s.slice(0, 200))}… (${s.length} characters)` : JSON.stringify(s));
  if (input.kind === 'script') return `shell: ${show(input.text)}`;
  const argv = `argv: [${input.argv.map(show).join(', ')}]`;
  return input.kind === 'argv' ? argv : `${argv} with stdin ${show(input.text)}`;
}

/** Runs seeds [from, to) (or up to the first finding); failures are minimised. */
export function fuzz(
  from: number,
  to: number,
  opts: { readonly budget?: Budget; readonly stopAtFirst?: boolean } = {},
): { readonly runs: number; readonly findings: Finding[] } {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const findings: Finding[] = [];
  // A host serves input after input while they fail and leave it as it was; any change, and the
  // next input gets a fresh one (inputs never see each other's effects on state).
  let host: { session: Session; state: Map<string, string> } | undefined;
  let seed = from;
  for (; seed < to && !(opts.stopAtFirst && findings.length); seed++) {
    const input = inputFor(seed);
    if (!host) {
      const session = freshHost();
      host = { session, state: snapshot(session) };
    }
    const { found, clean } = runOn(host.session, host.state, input, budget);
    if (!clean) host = undefined;
    if (found) findings.push({ seed, ...found, input: minimize(input, found.problem, budget) });
  }
  return { runs: seed - from, findings };
}
