// The `sh` family: `knetlab sh [--host NAME] [--reset] (-c 'CMD; CMD' | FILE)` runs a script on an
// emulated standalone host of the lab, as bash -e would (`--real` never reaches the lab: the
// client runs it on real namespaces).
import { parseScript } from '../shell/parse.js';
import type { CommandFamily, CommandIo } from './command.js';
import type { Lab } from './lab.js';
import { commandReads } from './reads.js';

const HOST_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** Why NAME cannot name a host, or undefined when it can. */
export function checkHostName(name: string): string | undefined {
  return HOST_NAME.test(name) ? undefined : `knetlab: invalid host name "${name}": use letters, digits, '.', '_' and '-' (at most 63)`;
}

export const SH_USAGE = `usage: knetlab sh [--host NAME] [--reset] (-c 'CMD; CMD' | FILE)\n`;

interface ShArgs {
  readonly host: string;
  readonly reset: boolean;
  /** The script, or where its file was named (read through the client). */
  readonly script?: string;
  readonly file?: string;
}

function parseArgs(args: readonly string[]): ShArgs | { error: string } {
  let host = 'default';
  let reset = false;
  let script: string | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--host') {
      const v = args[++i];
      if (v === undefined) return { error: 'knetlab sh: --host needs a NAME' };
      host = v;
    } else if (a === '--reset') {
      reset = true;
    } else if (a === '-c') {
      const v = args[++i];
      if (v === undefined) return { error: 'knetlab sh: -c needs a script' };
      script = v;
      file = undefined;
    } else if (a.startsWith('-')) {
      return { error: `knetlab sh: unknown option "${a}"\n\n${SH_USAGE}` };
    } else {
      file = a;
      script = undefined;
    }
  }
  const bad = checkHostName(host);
  if (bad) return { error: bad };
  return { host, reset, script, file };
}

function scriptOf(a: ShArgs, readFile: CommandIo['readFile']): string | { error: string } | undefined {
  if (a.file === undefined) return a.script;
  const data = readFile(a.file);
  if (!data) return { error: `knetlab sh: cannot read script "${a.file}": No such file or directory` };
  return new TextDecoder().decode(data);
}

export const sh: CommandFamily = {
  name: 'sh',
  mutates(argv, readFile) {
    const a = parseArgs(argv);
    if ('error' in a) return false;
    if (a.reset) return true;
    const script = scriptOf(a, readFile);
    if (script === undefined || typeof script !== 'string') return false;
    try {
      return !parseScript(script).every(commandReads);
    } catch {
      return false; // a syntax error runs nothing
    }
  },
  async run(lab: Lab, argv, io) {
    const a = parseArgs(argv);
    if ('error' in a) {
      io.stderr(`${a.error}\n`);
      return 2;
    }
    const script = scriptOf(a, (p) => io.readFile(p));
    if (typeof script === 'object') {
      io.stderr(`${script.error}\n`);
      return 2;
    }
    if (a.reset) lab.removeHost(a.host);
    if (script === undefined) {
      if (a.reset) return 0;
      io.stderr(`knetlab sh: give a script with -c 'CMD' or a FILE\n\n${SH_USAGE}`);
      return 2;
    }
    return lab.host(a.host).runLive(
      script,
      io,
      () => lab.untilInterrupted(io.signal),
      (w) => lab.reach(w, io.signal),
    );
  },
};
