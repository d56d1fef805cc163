import { Lab } from './lab.js';
import { kind } from './kind.js';
import { sh } from './shell.js';
export const FAMILIES = [sh, kind];
/** A lab serving every standard family. */
export function standardLab() {
    return new Lab(FAMILIES);
}
//# sourceMappingURL=families.js.map