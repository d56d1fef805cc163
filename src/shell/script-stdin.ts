// Whether a script reads its own standard input (`knetlab sh -c 'iptables-restore' < FILE`,
// `cat rules | knetlab sh -c 'iptables-restore'`): only then does a front end read its stdin and
// send it, since reading a terminal, or a pipe nobody closes, would wait for ever, and reading the
// stdin of a calling script (`bash < lab.sh`) would swallow that script's next lines.
import { parseScript, ShellSyntaxError, type Stage } from './parse.js';
import { readsStdin, TEXT_TOOLS } from './text-tools.js';

/** The restore tools, which read stdin unless a file is named. */
const RESTORES = /^(ip6?tables(-legacy|-nft)?|ebtables|arptables)-restore$/;

/** Whether the first command of a pipeline (nothing piped in, no `< FILE`) reads its stdin. */
function stageReadsStdin(s: Stage, exists: (path: string) => boolean): boolean {
  if (s.input !== undefined) return false;
  const argv = s.argv;
  // the program a wrapper runs (`ip netns exec NS iptables-restore`) reads the same stdin
  const at = argv.findIndex((w) => RESTORES.test(w));
  if (at >= 0) return !argv.slice(at + 1).some((w) => !w.startsWith('-'));
  const name = argv[0];
  if (name === 'ip' || name === 'tc' || name === 'bridge')
    return argv.some((w, i) => (w === '-b' || w === '-batch') && argv[i + 1] === '-');
  if (name === 'ipset') return argv[1] === 'restore' && !argv.includes('-file');
  if (name === 'cat') return argv.length === 1 || argv.includes('-');
  if (name === 'nc') return true;
  return name !== undefined && TEXT_TOOLS.has(name) && readsStdin(argv, exists);
}

/** Whether some command of `script` reads the script's stdin; a script that does not parse reads nothing. */
export function scriptReadsStdin(script: string, exists: (path: string) => boolean): boolean {
  try {
    return parseScript(script).some((c) => stageReadsStdin(c, exists));
  } catch (e) {
    if (e instanceof ShellSyntaxError) return false;
    throw e;
  }
}
