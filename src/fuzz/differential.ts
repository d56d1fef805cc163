// `knetlab fuzz [--seed N] [--count K] [--minimize] [--jobs J]`: generates K scripts from seeds
// N, N+1, …, checks each against the real kernel (src/fuzz/check.ts) and reports the seeds
// whose emulated run differs. With --minimize each failing script is shrunk by delta debugging
// and written under fuzz-failures/ with both outputs. Exit 0 when every stable script agrees,
// 1 when one differs, 2 on bad usage or when the real lab cannot run here.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realLabUnavailableReason } from '../reallab/index.js';
import { unifiedDiff } from '../transcript/index.js';
import { checkScript, emulator, realKernel, type Emulate, type Reference, type Verdict } from './check.js';
import { generateScript } from './generate.js';
import { minimize } from './minimize.js';

export const FUZZ_USAGE = `  fuzz [--seed N] [--count K] [--minimize] [--jobs J] [--out DIR]
        generate K random scenario scripts from seeds N… (default 1, 100), run each twice on real
        network namespaces and once on the emulator (root, Linux); report the seeds that differ;
        --minimize shrinks each to its smallest differing script under DIR (default fuzz-failures/)
`;

export interface FuzzOptions {
  readonly seed: number;
  readonly count: number;
  readonly minimize: boolean;
  readonly jobs: number;
  readonly out: string;
}

export interface SeedResult {
  readonly seed: number;
  readonly script: string;
  readonly verdict: Verdict;
  /** With minimize: the smallest differing script and both outputs. */
  readonly minimized?: { readonly script: string; readonly real: string; readonly emulated: string; readonly diff: string };
}

export interface FuzzRun {
  readonly reference?: Reference;
  readonly emulate?: Emulate;
  readonly progress?: (r: SeedResult) => void;
}

/** Checks the scripts of `seeds`, `jobs` at a time, and returns their results in seed order. */
export async function fuzz(
  seeds: readonly number[],
  opts: { readonly minimize: boolean; readonly jobs: number },
  run: FuzzRun = {},
): Promise<SeedResult[]> {
  const reference = run.reference ?? realKernel;
  const emulate = run.emulate ?? emulator;
  const results: SeedResult[] = [];
  const queue = [...seeds];
  const worker = async (): Promise<void> => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const script = generateScript(seed);
      const verdict = await checkScript(script, reference, emulate);
      let r: SeedResult = { seed, script, verdict };
      if (verdict.kind === 'differ' && opts.minimize) r = { ...r, minimized: await shrink(script, reference, emulate) };
      results.push(r);
      run.progress?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
  return results.sort((a, b) => a.seed - b.seed);
}

/** The smallest sub-script whose reference and emulated outputs still differ. */
export async function shrink(script: string, reference: Reference, emulate: Emulate): Promise<NonNullable<SeedResult['minimized']>> {
  const lines = script.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const text = (ls: readonly string[]): string => `${ls.join('\n')}\n`;
  const small = await minimize(lines, async (ls) => (await reference(text(ls))) !== (await emulate(text(ls))));
  const s = text(small);
  const real = await reference(s);
  const emulated = await emulate(s);
  return { script: s, real, emulated, diff: unifiedDiff(real, emulated, { from: 'real', to: 'knetlab' }) };
}

function parseArgs(args: readonly string[]): FuzzOptions | string {
  const o = { seed: 1, count: 100, minimize: false, jobs: 2, out: 'fuzz-failures' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--minimize') {
      o.minimize = true;
      continue;
    }
    if (a === '--out') {
      const v = args[++i];
      if (v === undefined || v === '') return 'knetlab fuzz: --out needs a DIR';
      o.out = v;
      continue;
    }
    const key = ({ '--seed': 'seed', '--count': 'count', '--jobs': 'jobs' } as const)[a as '--seed'];
    if (key === undefined) return `knetlab fuzz: unknown option "${a}"`;
    const v = args[++i];
    if (v === undefined || !/^\d{1,9}$/.test(v)) return `knetlab fuzz: ${a} needs a whole number, not "${v ?? ''}"`;
    const n = Number(v);
    if (key !== 'seed' && (n < 1 || (key === 'jobs' && n > 16)))
      return `knetlab fuzz: ${a} must be ${key === 'jobs' ? 'from 1 to 16' : 'at least 1'}, not "${v}"`;
    o[key] = n;
  }
  return o;
}

/** The `knetlab fuzz` command. */
export async function fuzzCommand(args: readonly string[], out: { stdout(t: string): void; stderr(t: string): void }): Promise<number> {
  const opts = parseArgs(args);
  if (typeof opts === 'string') {
    out.stderr(`${opts}\n\nusage: knetlab\n${FUZZ_USAGE}`);
    return 2;
  }
  const why = realLabUnavailableReason();
  if (why) {
    out.stderr(`knetlab fuzz: ${why}\n`);
    return 2;
  }
  const seeds = Array.from({ length: opts.count }, (_, i) => opts.seed + i);
  const results = await fuzz(seeds, opts, {
    progress: (r) => {
      out.stdout(`seed ${r.seed}: ${r.verdict.kind}\n`);
      if (r.minimized === undefined) return;
      const dir = join(opts.out, `seed-${r.seed}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'script.sh'), r.script);
      writeFileSync(join(dir, 'minimized.sh'), r.minimized.script);
      writeFileSync(join(dir, 'real.txt'), r.minimized.real);
      writeFileSync(join(dir, 'knetlab.txt'), r.minimized.emulated);
      writeFileSync(join(dir, 'diff.txt'), r.minimized.diff);
      out.stdout(`  minimized to ${r.minimized.script.split('\n').length - 1} lines: ${dir}/minimized.sh\n`);
    },
  });
  const count = (k: Verdict['kind']): number => results.filter((r) => r.verdict.kind === k).length;
  const stable = results.length - count('unstable');
  out.stdout(
    `knetlab fuzz: ${count('agree')} of ${stable} stable scripts agree with the real kernel ` +
      `(${count('unstable')} of ${results.length} discarded: their two real runs differ)\n`,
  );
  const failing = results.filter((r) => r.verdict.kind === 'differ').map((r) => r.seed);
  if (failing.length > 0) out.stdout(`differing seeds: ${failing.join(' ')}\n`);
  return failing.length > 0 ? 1 : 0;
}
