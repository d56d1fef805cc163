// `knetlab clean`: stops real lab hosts a killed run left behind, removes their work
// directories, and unregisters the network namespaces LinuxHost registered on the machine
// (/run/netns/knetlab-XXXX). A lab host is a private unshare(net, mnt, pid) set, so stopping
// its first process (the PID namespace's init) takes every namespace and process of it along;
// nothing else outside those private namespaces was ever changed, so nothing else needs undoing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, normalize } from 'node:path';
import { LAB_ENV_PATH, LAB_REGISTRY, WORKDIR_PREFIX, unregisterLab } from './lab.js';

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
    if (argv[0]?.endsWith('unshare') && argv.some((a) => a.endsWith('.sh') && dirs.some((d) => a.startsWith(`${d}/`)))) pids.push(Number(entry));
  }
  return pids;
}

/** The work directories labs registered (whatever their work root); a file naming anything but a lab's directory is ignored. */
function registeredLabs(registry: string): string[] {
  if (!existsSync(registry)) return [];
  return readdirSync(registry).flatMap((file) => {
    const dir = readFileSync(join(registry, file), 'utf8');
    return file.startsWith(WORKDIR_PREFIX) && isAbsolute(dir) && basename(dir) === file && normalize(dir) === dir ? [dir] : [];
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
}

/**
 * Stops the lab hosts whose work directories are under `root` or registered (wherever they are),
 * removes those directories and their registrations.
 */
export function cleanLabs(root: string = tmpdir(), opts: CleanOptions = {}): { stopped: number; removed: number; unregistered: number } {
  const registry = opts.registry ?? LAB_REGISTRY;
  const dirs = [...new Set([
    ...readdirSync(root).filter((e) => e.startsWith(WORKDIR_PREFIX)).map((e) => join(root, e)),
    ...registeredLabs(registry),
  ])];
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
    const name = REGISTERED_PREFIX + basename(dir).slice(WORKDIR_PREFIX.length);
    if (registered.includes(name) && unregister(name)) unregistered++;
  }
  if (opts.orphans) for (const name of registered) if (existsSync(join(MACHINE_NETNS, name)) && unregister(name)) unregistered++;
  return { stopped: pids.length, removed, unregistered };
}
