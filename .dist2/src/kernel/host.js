// A host as a user of `ip netns` sees it: a root network namespace and the named namespaces
// bind-mounted under its /run/netns. Several hosts can share one Kernel (kind's nodes do).
import { KernelError } from './errors.js';
export class Host {
    kernel;
    name;
    root;
    named = new Map();
    constructor(kernel, name) {
        this.kernel = kernel;
        this.name = name;
        this.root = kernel.createNetns(name);
        // A booted host has its loopback up (and so 127.0.0.1/8), as every init system leaves it.
        this.root.setUp(this.root.linkByName('lo'));
    }
    /** `ip netns add NAME`: a fresh namespace with only a loopback device, down. */
    addNetns(name) {
        if (this.named.has(name))
            throw new KernelError('EEXIST');
        const ns = this.kernel.createNetns(`${this.name}/${name}`);
        this.named.set(name, ns);
        return ns;
    }
    /** `ip netns del NAME`: the mount goes; the namespace dies with it (no process holds it here). */
    delNetns(name) {
        const ns = this.named.get(name);
        if (!ns)
            throw new KernelError('ENOENT');
        this.named.delete(name);
        this.kernel.destroyNetns(ns);
    }
    netns(name) {
        return this.named.get(name);
    }
    /** Named namespaces, newest first, as `ip netns list` reads /run/netns. */
    netnsNames() {
        return [...this.named.keys()].reverse();
    }
    /** The name under which `ns` is mounted, if any (how iproute2 prints `link-netns NAME`). */
    nameOf(ns) {
        for (const [n, v] of this.named)
            if (v === ns)
                return n;
        return undefined;
    }
    /** Resolves `netns` arguments: a name, or a PID (1 is the host's root namespace). */
    resolve(ref) {
        if (/^\d+$/.test(ref))
            return ref === '1' ? this.root : undefined;
        return this.named.get(ref);
    }
}
//# sourceMappingURL=host.js.map