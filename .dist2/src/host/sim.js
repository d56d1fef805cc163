// The sim backend: the node is an emulated Linux host (kernel/), answering the same tool
// requests the linux backend sends to real namespaces, in-process and in virtual time.
import { Session } from '../shell/session.js';
import { HostError } from './network.js';
import { ToolsHost } from './tools.js';
import { hostName } from './validate.js';
export class SimHost extends ToolsHost {
    backend = 'sim';
    /** The emulated host; a shell on it (`knetlab sh`) sees what components built. */
    session;
    sandboxes = new Map();
    constructor(opts = {}) {
        super();
        this.session = opts instanceof Session ? opts : new Session(opts);
    }
    run(argv, stdin) {
        const { status, stdout, stderr } = this.session.exec(argv, stdin);
        return { status, stdout, stderr };
    }
    /** The emulated kernel has no IPC namespaces to make: a sandbox is its netns and the host name its processes see. */
    sandboxAdd(name, opts) {
        if (this.sandboxes.has(name))
            throw new HostError(`Cannot add sandbox "${name}": it exists`, `sandbox add ${name}`, 0);
        hostName(`add sandbox "${name}"`, opts.hostname);
        this.netnsAdd(name);
        this.sandboxes.set(name, { hostname: opts.hostname, processes: [] });
    }
    sandboxDel(name) {
        const sandbox = this.sandboxes.get(name);
        if (!sandbox)
            throw new HostError(`Cannot delete sandbox "${name}": no such sandbox`, `sandbox del ${name}`, 0);
        for (const p of sandbox.processes)
            p.stop();
        this.sandboxes.delete(name);
        this.netnsDel(name);
    }
    /**
     * Runs an emulated program in the sandbox's namespace. It runs to its end at once in virtual
     * time; a server (`python3 -m http.server`) keeps listening until stopped.
     */
    processStart(sandbox, argv) {
        const box = this.sandboxes.get(sandbox);
        if (!box)
            throw new HostError(`Cannot start "${argv.join(' ')}": no sandbox "${sandbox}"`, argv.join(' '), 0);
        const ran = this.session.exec(['ip', 'netns', 'exec', sandbox, ...argv], undefined, box.hostname);
        const result = { status: ran.status, stdout: ran.stdout, stderr: ran.stderr };
        const handle = { wait: () => Promise.resolve(result), stop: ran.stop };
        box.processes.push(handle);
        return handle;
    }
    close() {
        for (const name of [...this.sandboxes.keys()])
            this.sandboxDel(name);
    }
}
//# sourceMappingURL=sim.js.map