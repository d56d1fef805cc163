// The command families every lab serves. A new family (kind, kubectl, docker) is added here, once.
import type { CommandFamily } from './command.js';
import { Lab } from './lab.js';
import { docker } from './docker.js';
import { kind } from './kind.js';
import { kubectl } from './kubectl.js';
import { sh } from './shell.js';
import { trace } from './trace.js';

export const FAMILIES: readonly CommandFamily[] = [sh, kind, kubectl, docker, trace];

/** A lab serving every standard family. */
export function standardLab(): Lab {
  return new Lab(FAMILIES);
}
