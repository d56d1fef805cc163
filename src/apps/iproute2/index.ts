// The emulated iproute2 (`ip`, `bridge`) and bridge-utils (`brctl`) commands.
import type { Command } from '../proc.js';

const notYet = (name: string): Command => (_args, proc) => {
  proc.stderr(`${name}: not implemented yet\n`);
  return 1;
};

export const ip: Command = notYet('ip');
export const bridge: Command = notYet('bridge');
export const brctl: Command = notYet('brctl');
