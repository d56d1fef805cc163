// Runs a scenario script (test/scenarios/*.sh: one command per line, failures do not stop it)
// on a fresh emulated host and records its transcript, for comparison with the real one.
import { formatTranscript, parseScenario, type TranscriptEntry } from '../transcript/index.js';
import { Session } from './session.js';

/**
 * `paceMs`: virtual time that passes after each command besides its own (default none). The real
 * lab host takes a few hundred milliseconds a command (bash, then its settle loop of `ip` calls),
 * so what the kernel does on its own timers within a second (IGMP and MLD repeats) has happened
 * by the next command or two there; the fuzzer runs the emulator at a like pace.
 */
export async function runScenario(script: string, opts: { seed?: string; paceMs?: number } = {}): Promise<string> {
  const session = new Session({ host: 'lab', seed: opts.seed ?? 'scenario' });
  const files = new Map<string, Uint8Array>();
  const entries: TranscriptEntry[] = [];
  for (const c of parseScenario(script)) {
    let stdout = '';
    let stderr = '';
    const exit = await session.runText(c.text, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      writeFile: (p, d) => files.set(p, d),
      readFile: (p) => files.get(p),
    });
    if (opts.paceMs) session.kernel.clock.runUntil(session.kernel.clock.now() + opts.paceMs);
    entries.push({ command: c.text, stdout, stderr, exit });
  }
  return formatTranscript(entries);
}
