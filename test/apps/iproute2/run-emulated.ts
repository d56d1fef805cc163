// Runs a script of ip/bridge/brctl commands on a fresh emulated host, as the real lab runs it
// (one command per line, `ip netns exec` included), for the golden tests of src/apps/iproute2/testdata.
import { Host, Kernel, type Netns } from '../../../src/kernel/index.js';
import { formatTranscript, parseScenario, shellWords, type TranscriptEntry } from '../../../src/transcript/index.js';
import type { Command, Proc } from '../../../src/apps/proc.js';
import { brctl, bridge, ip } from '../../../src/apps/iproute2/index.js';

const COMMANDS: Record<string, Command> = { ip, bridge, brctl };

/** Runs a script of ip/bridge/brctl commands on a fresh emulated host; returns its raw transcript. */
export function runEmulated(script: string, seed = 'iproute2-golden'): string {
  const kernel = new Kernel({ seed });
  const host = new Host(kernel, 'lab');
  const entries: TranscriptEntry[] = parseScenario(script).map((c) => {
    let stdout = '';
    let stderr = '';
    const proc = (ns: Netns): Proc => ({
      host,
      ns,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      writeFile() {},
      readFile: () => undefined,
      exec(argv, target) {
        const cmd = COMMANDS[argv[0] ?? ''];
        if (!cmd) {
          stderr += `bash: line 1: ${argv[0]}: command not found\n`;
          return 127;
        }
        return cmd(argv.slice(1), proc(target));
      },
    });
    const exit = proc(host.root).exec(shellWords(c.text), host.root);
    kernel.clock.runUntil(kernel.clock.now() + 10);
    return { command: c.text, stdout, stderr, exit };
  });
  return formatTranscript(entries);
}
