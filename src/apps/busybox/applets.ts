// `busybox APPLET ARGS`: the applets knetlab emulates in BusyBox's own words, for the busybox and
// Alpine images (their `ping`, `nslookup` and `wget` are these); other applets say they are not.
import type { Command } from '../proc.js';
import { busyboxPing } from '../ping/busybox.js';
import { busyboxNslookup } from '../dns/busybox-nslookup.js';
import { busyboxLegacyNslookup } from '../dns/busybox-nslookup-legacy.js';
import { busyboxWget } from './wget.js';

export const BUSYBOX_EMULATED: Readonly<Record<string, Command>> = { ping: busyboxPing, nslookup: busyboxNslookup, wget: busyboxWget };

/** BusyBox before 1.29 (busybox:1.28): its nslookup is the old getaddrinfo() one; the other applets as today's. */
const LEGACY: Readonly<Record<string, Command>> = { ...BUSYBOX_EMULATED, nslookup: busyboxLegacyNslookup };

export const busybox: Command = (args, proc) => applets(BUSYBOX_EMULATED, args, proc);
/** The binary of a busybox image before 1.29 (WorkloadImage.busyboxProgram). */
export const BUSYBOX_LEGACY = 'busybox-1.28';
export const busyboxLegacy: Command = (args, proc) => applets(LEGACY, args, proc);

function applets(table: Readonly<Record<string, Command>>, args: readonly string[], proc: Parameters<Command>[1]): number {
  const [applet, ...rest] = args;
  const run = applet === undefined ? undefined : table[applet];
  if (run) return run(rest, proc);
  proc.stderr(
    applet === undefined
      ? `knetlab: busybox without an applet is not emulated (emulated: ${Object.keys(BUSYBOX_EMULATED).join(', ')})\n`
      : `knetlab: busybox ${applet} is not emulated\n`,
  );
  return 1;
}
