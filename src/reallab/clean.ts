// `knetlab clean`: stops real lab hosts a killed run left behind, removes their work
// directories, and unregisters the network namespaces LinuxHost registered on the machine
// (/run/netns/knetlab-XXXX). A lab host is a private unshare(net, mnt, pid) set, so stopping
// its first process (the PID namespace's init) takes every namespace and process of it along;
// nothing else outside those private namespaces was ever changed, so nothing else needs undoing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, normalize } from 'node:path';
import { LAB_ENV_PATH, LAB_REGISTRY, WORKDIR_PREFIX, processStart, unregisterLab } from './lab.js';
import { labNetnsName } from './linux-host.js';

const MACHINE_NETNS = '/run/netns';
const REGISTERED_PREFIX = 'knetlab-';

/** Processes whose command line runs a lab's init: unshare … bash DIR/(driver|node).sh, for one of `dirs`. */
function labProcesses(dirs: readonly string[]): number[] {
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
    if (argv[0]?.endsWith('unshare') && argv.some((a) => a.endsWith('.sh') && dirs.some((d) => a.startsWith(`${d}/`))))
      pids.push(Number(entry));
  }
  return pids;
}

interface Registration {
  readonly dir: string;
  /** The program that made the lab still runs (same PID, same start time). */
  readonly ownerAlive: boolean;
}

/** The labs registered (whatever their work root); a file naming anything but a lab's directory is ignored. */
function registeredLabs(registry: string): Registration[] {
  if (!existsSync(registry)) return [];
  return readdirSync(registry).flatMap((file) => {
    const [dir = '', owner = ''] = readFileSync(join(registry, file), 'utf8').split('\n');
    if (!(file.startsWith(WORKDIR_PREFIX) && isAbsolute(dir) && basename(dir) === file && normalize(dir) === dir)) return [];
    const m = /^owner (\d+) (\d+)$/.exec(owner);
    return [{ dir, ownerAlive: m !== null && processStart(Number(m[1])) === m[2] }];
  });
}

function unregister(name: string): boolean {
  return spawnSync('ip', ['netns', 'del', name], { env: { PATH: LAB_ENV_PATH }, stdio: 'ignore' }).status === 0;
}

export interface CleanOptions {
  /**
   * Also unregister every `knetlab-*` namespace on the machine whose lab has no work directory
   * under the root (`knetlab clean` does; a test with a root of its own must not).
   */
  readonly orphans?: boolean;
  /** Where labs register themselves (default LAB_REGISTRY); tests use their own. */
  readonly registry?: string;
  /** Also stop labs whose program still runs (by default they are counted as skipped and left alone). */
  readonly force?: boolean;
}

/**
 * Stops the lab hosts whose work directories are under `root` or registered (wherever they are),
 * removes those directories and their registrations. A registered lab whose program still runs
 * is in use, not left behind: it is skipped unless `force`.
 */
export function cleanLabs(
  root: string = tmpdir(),
  opts: CleanOptions = {},
): { stopped: number; removed: number; unregistered: number; skipped: number } {
  const registry = opts.registry ?? LAB_REGISTRY;
  const registrations = registeredLabs(registry);
  const live = new Set(opts.force ? [] : registrations.filter((r) => r.ownerAlive).map((r) => r.dir));
  const dirs = [
    ...new Set([
      ...readdirSync(root)
        .filter((e) => e.startsWith(WORKDIR_PREFIX))
        .map((e) => join(root, e)),
      ...registrations.map((r) => r.dir),
    ]),
  ].filter((d) => !live.has(d));
  const pids = labProcesses(dirs);
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
  let unregistered = 0;
  const registered = existsSync(MACHINE_NETNS) ? readdirSync(MACHINE_NETNS).filter((n) => n.startsWith(REGISTERED_PREFIX)) : [];
  for (const dir of dirs) {
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      removed++;
    }
    unregisterLab(dir, registry);
    const name = labNetnsName(dir);
    if (registered.includes(name) && unregister(name)) unregistered++;
  }
  const inUse = new Set([...live].map(labNetnsName));
  if (opts.orphans)
    for (const name of registered) if (!inUse.has(name) && existsSync(join(MACHINE_NETNS, name)) && unregister(name)) unregistered++;
  return { stopped: pids.length, removed, unregistered, skipped: live.size };
}
