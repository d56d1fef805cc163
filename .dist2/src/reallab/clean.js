// `knetlab clean`: stops real lab hosts a killed run left behind, removes their work
// directories, and unregisters the network namespaces LinuxHost registered on the machine
// (/run/netns/knetlab-XXXX). A lab host is a private unshare(net, mnt, pid) set, so stopping
// its first process (the PID namespace's init) takes every namespace and process of it along;
// nothing else outside those private namespaces was ever changed, so nothing else needs undoing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_ENV_PATH, WORKDIR_PREFIX } from './lab.js';
const MACHINE_NETNS = '/run/netns';
const REGISTERED_PREFIX = 'knetlab-';
/** Processes whose command line runs a lab's init: unshare … bash <root>/knetlab-reallab-XXXX/(driver|node).sh. */
function labProcesses(root) {
    const pids = [];
    for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid)
            continue;
        let cmdline;
        try {
            cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        }
        catch {
            continue;
        }
        const argv = cmdline.split('\0');
        if (argv[0]?.endsWith('unshare') && argv.some((a) => a.startsWith(join(root, WORKDIR_PREFIX)) && a.endsWith('.sh')))
            pids.push(Number(entry));
    }
    return pids;
}
function unregister(name) {
    return spawnSync('ip', ['netns', 'del', name], { env: { PATH: LAB_ENV_PATH }, stdio: 'ignore' }).status === 0;
}
/** Stops the lab hosts whose work directories are under `root`, removes those directories and their registrations. */
export function cleanLabs(root = tmpdir(), opts = {}) {
    const pids = labProcesses(root);
    for (const pid of pids) {
        // The lab runs as its own process group (unshare, then the PID namespace's init under it):
        // killing the group takes the init, and with it every process of the lab.
        for (const target of [-pid, pid]) {
            try {
                process.kill(target, 'SIGKILL');
            }
            catch {
                // Not a group leader, or already gone.
            }
        }
    }
    let removed = 0;
    let unregistered = 0;
    const registered = existsSync(MACHINE_NETNS) ? readdirSync(MACHINE_NETNS).filter((n) => n.startsWith(REGISTERED_PREFIX)) : [];
    for (const entry of readdirSync(root)) {
        if (!entry.startsWith(WORKDIR_PREFIX))
            continue;
        rmSync(join(root, entry), { recursive: true, force: true });
        removed++;
        const name = REGISTERED_PREFIX + entry.slice(WORKDIR_PREFIX.length);
        if (registered.includes(name) && unregister(name))
            unregistered++;
    }
    if (opts.orphans)
        for (const name of registered)
            if (existsSync(join(MACHINE_NETNS, name)) && unregister(name))
                unregistered++;
    return { stopped: pids.length, removed, unregistered };
}
//# sourceMappingURL=clean.js.map