// One generated script against the oracle, as `knetlab diff` compares them: the real kernel
// runs it twice (a script whose two real runs differ after normalising shows timing, not the
// kernel's logic, and is discarded), then the emulator runs it; any difference is a failure.
import { runRealScenario } from '../reallab/index.js';
import { runScenario } from '../shell/scenario.js';
import { normalise, unifiedDiff } from '../transcript/index.js';

/** Where the truth comes from: the real kernel by default; tests may substitute a recorded one. */
export type Reference = (script: string) => Promise<string>;

export const realKernel: Reference = async (script) => normalise(await runRealScenario(script, { commandTimeoutS: 20 }));

/**
 * The virtual time the emulator lets pass after each command, as the real lab host takes about so
 * long a command (its bash and its settle loop; 0.1-0.5 s seen on this machine): timers of a second
 * or less (the second IGMP and MLD reports) have then fired by the next command or two on both.
 */
export const FUZZ_PACE_MS = 250;

/** Runs a script on the emulator and gives its normalised transcript. */
export type Emulate = (script: string) => Promise<string>;

/** The emulator's normalised transcript; a crash becomes a transcript line, so it counts as a difference. */
export async function emulator(script: string): Promise<string> {
  try {
    return normalise(await runScenario(script, { paceMs: FUZZ_PACE_MS }));
  } catch (e) {
    return `knetlab crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
  }
}

export type Verdict =
  | { readonly kind: 'agree' }
  | { readonly kind: 'unstable'; readonly diff: string }
  | { readonly kind: 'differ'; readonly real: string; readonly emulated: string; readonly diff: string };

/** Runs `script` twice on the reference (at once: the runs are independent labs) and once on the emulator. */
export async function checkScript(script: string, reference: Reference = realKernel, emulate: Emulate = emulator): Promise<Verdict> {
  const [a, b] = await Promise.all([reference(script), reference(script)]);
  if (a !== b) return { kind: 'unstable', diff: unifiedDiff(a, b, { from: 'real/run1', to: 'real/run2' }) };
  return compare(script, a, emulate);
}

/** The emulator's transcript of `script` against a reference transcript already taken. */
export async function compare(script: string, real: string, emulate: Emulate = emulator): Promise<Verdict> {
  const emulated = await emulate(script);
  const diff = unifiedDiff(real, emulated, { from: 'real', to: 'knetlab' });
  return diff === '' ? { kind: 'agree' } : { kind: 'differ', real, emulated, diff };
}
