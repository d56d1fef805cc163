// `busybox APPLET ARGS`: the applets knetlab emulates in BusyBox's own words, for the busybox and
// Alpine images (their `ping`, `nslookup` and `wget` are these); other applets say they are not.
import type { Command } from '../proc.js';
import { busyboxPing } from '../ping/busybox.js';
import { busyboxNslookup } from '../dns/busybox-nslookup.js';
import { busyboxWget } from './wget.js';

export const BUSYBOX_EMULATED: Readonly<Record<string, Command>> = { ping: busyboxPing, nslookup: busyboxNslookup, wget: busyboxWget };

export const busybox: Command = (args, proc) => {
  const [applet, ...rest] = args;
  const run = applet === undefined ? undefined : BUSYBOX_EMULATED[applet];
  if (run) return run(rest, proc);
  proc.stderr(
    applet === undefined
      ? `knetlab: busybox without an applet is not emulated (emulated: ${Object.keys(BUSYBOX_EMULATED).join(', ')})\n`
      : `knetlab: busybox ${applet} is not emulated\n`,
  );
  return 1;
};
