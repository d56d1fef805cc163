// `knetlab diff FILE`: one scenario script, run on the emulator and on a fresh real lab host
// (real network namespaces on this machine), compared after normalisation. Exit 0 when the two
// print the same, 1 when they differ (the unified diff goes to stdout), 2 when the real lab
// cannot run here or the script holds a shell expansion the emulator does not perform.
import { readFileSync } from 'node:fs';
import { realLabUnavailableReason, runRealScenario } from '../reallab/index.js';
import { unemulatedExpansion } from '../shell/expansions.js';
import { runScenario } from '../shell/scenario.js';
import { normalise, unifiedDiff } from '../transcript/index.js';

export async function diffScenario(file: string, out: { stdout(t: string): void; stderr(t: string): void }): Promise<number> {
  let script: string;
  try {
    script = readFileSync(file, 'utf8');
  } catch (e) {
    out.stderr(
      `knetlab diff: cannot read script "${file}": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}\n`,
    );
    return 2;
  }
  // The real run hands each line to bash as root: a line bash would expand differently from the
  // emulator (`$(…)` runs a command on this machine) is refused before anything runs.
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const found = unemulatedExpansion(lines[i]!);
    if (found) {
      out.stderr(
        `knetlab diff: ${file}: line ${i + 1}: ${found} is not emulated, and the real run would let bash perform it as root: ${lines[i]!.trim()}\n`,
      );
      return 2;
    }
  }
  const why = realLabUnavailableReason();
  if (why) {
    out.stderr(`knetlab diff: ${why}\n`);
    return 2;
  }
  const emulated = normalise(await runScenario(script));
  const real = normalise(await runRealScenario(script));
  const diff = unifiedDiff(real, emulated, { from: `real/${file}`, to: `knetlab/${file}` });
  out.stdout(diff);
  return diff === '' ? 0 : 1;
}
