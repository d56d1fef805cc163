// A host as a user of `ip netns` sees it: a root network namespace and the named namespaces
// bind-mounted under its /run/netns. Several hosts can share one Kernel (kind's nodes do).
import { KernelError } from './errors.js';
import type { Kernel } from './kernel.js';
import type { Netns } from './netns.js';

export class Host {
  readonly root: Netns;
  private readonly named = new Map<string, Netns>();

  constructor(
    readonly kernel: Kernel,
    readonly name: string,
  ) {
    this.root = kernel.createNetns(name);
    // A booted host has its loopback up (and so 127.0.0.1/8), as every init system leaves it.
    this.root.setUp(this.root.linkByName('lo')!);
  }

  /** `ip netns add NAME`: a fresh namespace with only a loopback device, down. */
  addNetns(name: string): Netns {
    if (this.named.has(name)) throw new KernelError('EEXIST');
    // joined: one flat string, not a concatenation of three, kept with every pod's namespace
    const ns = this.kernel.createNetns([this.name, name].join('/'));
    this.named.set(name, ns);
    return ns;
  }

  /** `ip netns del NAME`: the mount goes; the namespace dies with it (no process holds it here). */
  delNetns(name: string): void {
    const ns = this.named.get(name);
    if (!ns) throw new KernelError('ENOENT');
    this.named.delete(name);
    this.kernel.destroyNetns(ns);
  }

  netns(name: string): Netns | undefined {
    return this.named.get(name);
  }

  /** Named namespaces, newest first, as `ip netns list` reads /run/netns. */
  netnsNames(): string[] {
    return [...this.named.keys()].reverse();
  }

  /** The name under which `ns` is mounted, if any (how iproute2 prints `link-netns NAME`). */
  nameOf(ns: Netns): string | undefined {
    for (const [n, v] of this.named) if (v === ns) return n;
    return undefined;
  }

  /** Resolves `netns` arguments: a name, or a PID (1 is the host's root namespace). */
  resolve(ref: string): Netns | undefined {
    if (/^\d+$/.test(ref)) return ref === '1' ? this.root : undefined;
    return this.named.get(ref);
  }
}
