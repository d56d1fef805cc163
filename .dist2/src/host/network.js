// The host interface: the one way components (CNI plugins, kube-proxy, flanneld, calico,
// MetalLB) configure a node, as the real ones do through netlink, iptables-restore and ipset.
// Operations are named after iproute2 (vishvananda/netlink's habit); every doc comment names
// the command it equals. Records are what `ip -j` prints, typed and IPv4-only.
/** An operation the node refused; the message carries the tool's own words. */
export class HostError extends Error {
    command;
    status;
    constructor(message, 
    /** The command it equals, as one would type it. */
    command, 
    /** The tool's exit status (0 when the request was refused before it ran). */
    status) {
        super(message);
        this.command = command;
        this.status = status;
        this.name = 'HostError';
    }
}
/** The backend cannot do this at all (a kernel feature it lacks); never silently ignored. */
export class NotSupported extends HostError {
    feature;
    constructor(
    /** The missing feature, e.g. `IPVS (ip_vs)`. */
    feature, command, detail) {
        super(`Cannot run "${command}": ${feature} is not supported here: ${detail}`, command, 0);
        this.feature = feature;
        this.name = 'NotSupported';
    }
}
//# sourceMappingURL=network.js.map