// A flannel-style VXLAN overlay built only through the host interface, the way the CNI bridge
// plugin and flanneld build it: "nodes" are namespaces on one underlay bridge (as kind's node
// containers sit on the docker network), each with cni0, flannel.1 and pod sandboxes. Used by
// the differential test (sim and linux must end in the same state) and by bench/host.ts.
import type { HostNetwork } from '../../src/host/index.js';

export interface OverlayOptions {
  readonly nodes: number;
  readonly podsPerNode: number;
}

const nodeIp = (n: number) => `172.18.0.${n + 2}`;
const podIp = (n: number, p: number) => `10.244.${n}.${p + 2}`;

/** Builds the overlay; returns the pod sandboxes by node. */
export function buildOverlay(h: HostNetwork, o: OverlayOptions): string[][] {
  const machine = h.at();
  machine.batch(() => {
    // Docker gives its network bridge an address of its own, as here.
    machine.linkAdd({ kind: 'bridge', name: 'kind', mac: '02:42:ac:12:00:01' });
    machine.linkSet('kind', { up: true });
    machine.addrAdd('kind', '172.18.0.1/16');
  });
  const vtepMacs: string[] = [];
  const pods: string[][] = [];
  for (let n = 0; n < o.nodes; n++) {
    const name = `node${n}`;
    h.netnsAdd(name);
    machine.batch(() => {
      machine.linkAdd({ kind: 'veth', name: `veth-${name}`, peer: 'eth0', peerNetns: name });
      machine.linkSet(`veth-${name}`, { master: 'kind', up: true });
    });
    const node = h.at(name);
    node.batch(() => {
      node.linkSet('lo', { up: true });
      node.linkSet('eth0', { up: true });
      node.addrAdd('eth0', `${nodeIp(n)}/16`);
      // flanneld: the VTEP, and the node's /32 of its pod subnet on it.
      node.linkAdd({ kind: 'vxlan', name: 'flannel.1', vni: 1, local: nodeIp(n), dev: 'eth0', dstPort: 8472, learning: false });
      node.linkSet('flannel.1', { up: true });
      node.addrAdd('flannel.1', `10.244.${n}.0/32`);
      // CNI bridge plugin: the pod bridge with the gateway address. Given an address of its
      // own, so it does not follow its lowest port's (random, on both backends) as bridges do.
      node.linkAdd({ kind: 'bridge', name: 'cni0', mac: `02:42:0a:f4:${n.toString(16).padStart(2, '0')}:01` });
      node.linkSet('cni0', { up: true });
      node.addrAdd('cni0', `10.244.${n}.1/24`);
    });
    node.sysctlSet('net.ipv4.ip_forward', '1');
    vtepMacs.push(node.linkList().find((l) => l.name === 'flannel.1')!.mac);
    pods.push([]);
    for (let p = 0; p < o.podsPerNode; p++) {
      const pod = `pod-${n}-${p}`;
      h.sandboxAdd(pod, { hostname: pod });
      node.batch(() => {
        node.linkAdd({ kind: 'veth', name: `veth${p}`, peer: 'eth0', peerNetns: pod });
        node.linkSet(`veth${p}`, { master: 'cni0', up: true });
      });
      const inPod = h.at(pod);
      inPod.batch(() => {
        inPod.linkSet('lo', { up: true });
        inPod.linkSet('eth0', { up: true });
        inPod.addrAdd('eth0', `${podIp(n, p)}/24`);
        inPod.routeAdd({ dst: '10.244.0.0/16', via: `10.244.${n}.1` });
      });
      pods[n]!.push(pod);
    }
  }
  // flanneld on each node, for every other node's lease: route, neighbour and fdb entry.
  for (let n = 0; n < o.nodes; n++) {
    const node = h.at(`node${n}`);
    node.batch(() => {
      for (let m = 0; m < o.nodes; m++) {
        if (m === n) continue;
        node.neighReplace({ dst: `10.244.${m}.0`, dev: 'flannel.1', lladdr: vtepMacs[m]! });
        node.fdbAppend({ mac: vtepMacs[m]!, dev: 'flannel.1', dst: nodeIp(m) });
        node.routeReplace({ dst: `10.244.${m}.0/24`, via: `10.244.${m}.0`, dev: 'flannel.1', onlink: true });
      }
    });
  }
  return pods;
}

/** The pod address of pods[n][p]. */
export { podIp };

/**
 * Everything `ip -j`/`bridge -j` report in every namespace, as text with MACs replaced by
 * their order of appearance (they are random on both backends) and neighbour entries the
 * kernel learned left out (their states follow timers).
 */
export function snapshot(h: HostNetwork): string {
  const lines: string[] = [];
  for (const ns of [undefined, ...h.netnsList()]) {
    const at = h.at(ns);
    lines.push(`## ${ns ?? '(node)'}`);
    for (const l of at.linkList()) lines.push(`link ${JSON.stringify(l)}`);
    for (const a of at.addrList()) lines.push(`addr ${JSON.stringify(a)}`);
    for (const r of at.routeList()) lines.push(`route ${JSON.stringify(r)}`);
    for (const n of at.neighList().filter((e) => e.state.includes('PERMANENT'))) lines.push(`neigh ${JSON.stringify(n)}`);
    for (const f of at.fdbList().filter((e) => e.state === 'permanent' || e.state === 'static')) lines.push(`fdb ${JSON.stringify(f)}`);
  }
  const macs = new Map<string, string>();
  return (
    lines
      .join('\n')
      // A solicited-node group follows its link-local address, so its device's random MAC.
      .replace(/33:33:ff(:[0-9a-f]{2}){3}/g, '33:33:ff:xx:xx:xx')
      .replace(/\b(?!00:00:00:00:00:00|ff:ff:ff:ff:ff:ff|33:33:|01:00:5e:)[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/g, (m) => {
        if (!macs.has(m)) macs.set(m, `MAC${macs.size + 1}`);
        return macs.get(m)!;
      })
  );
}
