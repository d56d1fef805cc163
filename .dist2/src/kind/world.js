import { Cluster } from '../controllers/index.js';
import { Rng } from '../sim/index.js';
import { formatIpv4, parseIpv4 } from '../wire/index.js';
import { KUBERNETES_VERSION } from './config.js';
import { addons } from './addons.js';
export const KIND_NETWORK = '172.18.0.0/16';
export const KIND_GATEWAY = '172.18.0.1';
/** kubelet's NotReady message while no CNI configuration is present. */
export const NOT_READY_MESSAGE = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
export class KindWorld {
    clock;
    clusters = new Map();
    usedIps = new Set();
    lastIp = parseIpv4(KIND_GATEWAY);
    seq = 0;
    /** The lab's kind randomness (API server ports, kind's salutation). */
    rng;
    /** The kubeconfig's current context (`kind-<name>`), as `kind create cluster` leaves it. */
    currentContext;
    constructor(clock, seed = 'kind') {
        this.clock = clock;
        this.rng = new Rng(seed);
    }
    get(name) {
        return this.clusters.get(name);
    }
    /** Cluster names, sorted (kind get clusters). */
    names() {
        return [...this.clusters.keys()].sort();
    }
    /** The Cluster behind a kubeconfig context (`kind-<name>`), or behind the current one. */
    byContext(context = this.currentContext) {
        if (!context?.startsWith('kind-'))
            return undefined;
        return this.clusters.get(context.slice(5));
    }
    contexts() {
        return this.names().map((n) => `kind-${n}`);
    }
    nextIp() {
        // docker's serial allocation: the next free address after the last one given, wrapping.
        const base = parseIpv4('172.18.0.0');
        for (let k = 1; k < 65534; k++) {
            const ip = base + ((this.lastIp - base + k) % 65536);
            if (ip === base || ip === base + 65535 || ip === base + 1 || this.usedIps.has(ip))
                continue;
            this.usedIps.add(ip);
            this.lastIp = ip;
            return formatIpv4(ip);
        }
        throw new Error('Pool overlaps with other one on this address space');
    }
    /** Node container names as kind gives them: per role, the first without a suffix, then 2, 3, … */
    static nodeNames(config) {
        const counts = new Map();
        return config.nodes.map((n) => {
            const c = (counts.get(n.role) ?? 0) + 1;
            counts.set(n.role, c);
            return { name: `${config.name}-${n.role}${c > 1 ? c : ''}`, role: n.role };
        });
    }
    /** Builds the cluster (everything kind's create actions leave behind). The caller has validated the config. */
    create(config) {
        if (this.clusters.has(config.name))
            throw new Error(`node(s) already exist for a cluster with the name "${config.name}"`);
        const cps = config.nodes.filter((n) => n.role === 'control-plane').length;
        const nodes = [];
        if (cps > 1)
            nodes.push({ name: `${config.name}-external-load-balancer`, role: 'external-load-balancer', ip: this.nextIp(), image: 'docker.io/envoyproxy/envoy:v1.36.2' });
        const names = KindWorld.nodeNames(config);
        config.nodes.forEach((n, i) => nodes.push({ name: names[i].name, role: n.role, ip: this.nextIp(), image: n.image }));
        const cluster = new Cluster({ name: config.name, clock: this.clock, seed: `kind/${config.name}`, podSubnet: config.networking.podSubnet.split(',')[0], serviceSubnet: config.networking.serviceSubnet.split(',')[0] });
        const apiServerPort = config.networking.apiServerPort > 0 ? config.networking.apiServerPort : this.rng.int(32768, 61000);
        const kc = { name: config.name, config, cluster, nodes, apiServerPort, createdSeq: this.seq++ };
        this.clusters.set(config.name, kc);
        const k8sNodes = nodes.filter((n) => n.role !== 'external-load-balancer');
        const single = k8sNodes.length === 1;
        // kubeadm init registers the first control plane; the others join after it, in config order here.
        for (const n of k8sNodes) {
            const spec = config.nodes[k8sNodes.indexOf(n)];
            cluster.store.create(nodeObject(config.name, n, spec.labels, single, cluster.store.timestamp()));
            cluster.settle();
        }
        cluster.setApiServerAddresses(k8sNodes.filter((n) => n.role === 'control-plane').map((n) => n.ip));
        for (const o of addons(config, k8sNodes[0]))
            cluster.store.create(o);
        cluster.settle();
        this.currentContext = `kind-${config.name}`;
        return kc;
    }
    /** Deletes a cluster's nodes; returns their names in `docker ps` order, or undefined when none existed. */
    delete(name) {
        const kc = this.clusters.get(name);
        if (!kc)
            return undefined;
        this.clusters.delete(name);
        for (const n of kc.nodes)
            this.usedIps.delete(parseIpv4(n.ip));
        if (this.currentContext === `kind-${name}`)
            this.currentContext = undefined;
        return [...kc.nodes].reverse().map((n) => n.name);
    }
}
/** The Node a kubelet registers for a kind node (kubeadm's labels, kind's provider ID, NotReady). */
function nodeObject(cluster, n, labels, single, now) {
    const cp = n.role === 'control-plane';
    const cond = (type, status, reason, message) => ({ type, status, lastHeartbeatTime: now, lastTransitionTime: now, reason, message });
    return {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
            name: n.name,
            labels: {
                'beta.kubernetes.io/arch': 'amd64',
                'beta.kubernetes.io/os': 'linux',
                'kubernetes.io/arch': 'amd64',
                'kubernetes.io/hostname': n.name,
                'kubernetes.io/os': 'linux',
                ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
                ...(cp && !single ? { 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
                ...labels,
            },
            annotations: {
                'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
                'node.alpha.kubernetes.io/ttl': '0',
                'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
            },
        },
        spec: {
            providerID: `kind://docker/${cluster}/${n.name}`,
            // kind removes the control-plane taint only from a single-node cluster.
            ...(cp && !single ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
        },
        status: {
            addresses: [
                { type: 'InternalIP', address: n.ip },
                { type: 'Hostname', address: n.name },
            ],
            conditions: [
                cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
                cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
                cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
                cond('Ready', 'False', 'KubeletNotReady', NOT_READY_MESSAGE),
            ],
            daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
            nodeInfo: {
                architecture: 'amd64',
                bootID: '',
                containerRuntimeVersion: 'containerd://2.3.1',
                kernelVersion: '',
                kubeProxyVersion: '',
                kubeletVersion: KUBERNETES_VERSION,
                machineID: '',
                operatingSystem: 'linux',
                osImage: 'Debian GNU/Linux 13 (trixie)',
                systemUUID: '',
            },
        },
    };
}
//# sourceMappingURL=world.js.map