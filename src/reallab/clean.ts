// `knetlab clean`: stops real lab hosts a killed run left behind and removes their work
// directories. A lab host is a private unshare(net, mnt, pid) set, so stopping its first process
// (the PID namespace's init) takes every namespace and process of it along; nothing outside
// those private namespaces was ever changed, so nothing else needs undoing.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKDIR_PREFIX } from './lab.js';


/** Processes whose command line runs a lab driver: unshare … bash <tmp>/knetlab-reallab-XXXX/driver.sh. */
function labProcesses(root: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const argv = cmdline.split('\0');
    if (argv[0]?.endsWith('unshare') && argv.some((a) => a.startsWith(join(root, WORKDIR_PREFIX)) && a.endsWith('/driver.sh'))) pids.push(Number(entry));
  }
  return pids;
}

/** Stops the lab hosts whose work directories are under `root` and removes those directories. */
export function cleanLabs(root: string = tmpdir()): { stopped: number; removed: number } {
  const pids = labProcesses(root);
  for (const pid of pids) {
    // The lab runs as its own process group (unshare, then the PID namespace's init under it):
    // killing the group takes the init, and with it every process of the lab.
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Not a group leader, or already gone.
      }
    }
  }
  let removed = 0;
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith(WORKDIR_PREFIX)) continue;
    rmSync(join(root, entry), { recursive: true, force: true });
    removed++;
  }
  return { stopped: pids.length, removed };
}
