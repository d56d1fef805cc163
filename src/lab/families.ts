// The command families every lab serves. A new family (kind, kubectl, docker) is added here, once.
// All but sh load on their first use, with kind's layers: `knetlab sh` starts without the
// Kubernetes API, the node agents, docker's world or YAML (half of knetlab's modules).
import type { CommandFamily } from './command.js';
import { Lab } from './lab.js';
import { sh } from './shell.js';

/** A family whose module (and the lab's kind world) loads when a command of it first runs. */
function onDemand(name: string, load: () => Promise<CommandFamily>): CommandFamily {
  let family: CommandFamily | undefined;
  let loading: Promise<void> | undefined;
  return {
    name,
    prepare(lab) {
      if (family && lab.loadKind() === undefined) return undefined;
      return (loading ??= load().then((f) => void (family = f))).then(() => lab.loadKind()).then(() => undefined);
    },
    // Lab.run() prepares the family first; unprepared, a command may change state (see CommandFamily).
    mutates: (argv, readFile) => (family ? family.mutates(argv, readFile) : true),
    run: (lab, argv, io) => {
      if (!family) throw new Error(`the "${name}" family runs only once prepared (Lab.run prepares it)`);
      return family.run(lab, argv, io);
    },
  };
}

export const FAMILIES: readonly CommandFamily[] = [
  sh,
  onDemand('kind', async () => (await import('./kind.js')).kind),
  onDemand('kubectl', async () => (await import('./kubectl.js')).kubectl),
  onDemand('docker', async () => (await import('./docker.js')).docker),
  onDemand('trace', async () => (await import('./trace.js')).trace),
];

/** A lab serving every standard family. */
export function standardLab(): Lab {
  return new Lab(FAMILIES);
}
