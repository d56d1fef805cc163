// `npm run fuzz:input [-- --from N --to M]`: runs the input fuzzer over a seed range and prints
// each finding with its minimal input; exit 1 when there is one.
import { describe, fuzz } from './fuzz.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 0) {
    process.stderr.write(`fuzz:input: ${name} needs a whole number, not "${args[i + 1] ?? ''}"\n`);
    process.exit(2);
  }
  return v;
};
const from = flag('--from', 0);
const to = flag('--to', from + 5_000);
const started = Date.now();
const { runs, findings } = fuzz(from, to);
for (const f of findings) process.stdout.write(`seed ${f.seed}: ${f.problem}: ${f.detail}\n  minimal input: ${describe(f.input)}\n`);
process.stdout.write(
  `fuzz:input: ${runs} inputs (seeds ${from}..${to - 1}), ${findings.length} findings, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
process.exit(findings.length ? 1 : 0);
