// Host benchmark: the same scenario — a flannel VXLAN overlay of N nodes with pods, built only
// through the host interface, then one cross-node ping — on the sim backend and on the linux
// backend (real namespaces, when this machine can run them), in one run: both times and the
// ratio. The linux figure is mostly process starts (one `ip -batch`, `sysctl` or `nsenter` each).
import { SimHost } from '../src/host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../src/reallab/index.js';
import { buildOverlay, podIp } from '../test/host/overlay.js';
const SIZES = [
    { nodes: 2, podsPerNode: 2 },
    { nodes: 4, podsPerNode: 8 },
];
async function timeOverlay(make, size) {
    const started = performance.now();
    const h = make();
    try {
        const pods = buildOverlay(h, size);
        const ping = await h.processStart(pods[0][0], ['ping', '-c', '1', '-W', '2', podIp(size.nodes - 1, 0)]).wait();
        if (ping.status !== 0)
            throw new Error(`the cross-node ping failed on ${h.backend}: ${ping.stdout}${ping.stderr}`);
    }
    finally {
        h.close();
    }
    return performance.now() - started;
}
export async function hostBench() {
    const unavailable = realLabUnavailableReason();
    console.log('host: a flannel overlay built through the host interface, then a cross-node ping (lab start and teardown included)');
    if (unavailable)
        console.log(`  linux backend not measured: ${unavailable}`);
    for (const size of SIZES) {
        const label = `${size.nodes} nodes x ${size.podsPerNode} pods`;
        if (process.stdout.isTTY)
            process.stdout.write(`  ${label}: building…\r`);
        const sim = await timeOverlay(() => new SimHost({ capture: false }), size);
        const linux = unavailable ? undefined : await timeOverlay(() => new LinuxHost(), size);
        const real = linux === undefined ? 'linux —' : `linux ${Math.round(linux).toLocaleString('en-US').padStart(6)} ms  (linux/sim ${(linux / sim).toFixed(0)}x)`;
        console.log(`  ${label.padEnd(20)} sim ${sim.toFixed(0).padStart(5)} ms   ${real}`);
    }
}
//# sourceMappingURL=host.js.map