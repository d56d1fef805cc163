// kube-proxy's UDP conntrack reconciliation (pkg/proxy/conntrack/cleanup.go, CleanStaleEntries,
// run after every sync): UDP has no connection to close, so an entry made before a Service had
// endpoints, or DNATed to an endpoint that is gone, would keep steering a client that keeps
// sending from the same port into nothing. Every UDP entry aimed at a Service frontend
// (ClusterIP, load-balancer or external IP and the port, or any address and the NodePort) whose
// reply does not come from one of that port's serving endpoints is deleted. A Service port
// without serving endpoints is left alone; traffic policies and topology are not considered.
import type { ConntrackFilter, ConntrackRecord } from '../host/index.js';
import type { ServicePortInfo } from './model.js';

/** A UDP service port and the IPs of its serving endpoints. */
export interface UdpServicePort {
  readonly service: ServicePortInfo;
  readonly servingIPs: ReadonlySet<string>;
}

/** The `conntrack -D` filters that clear the stale entries among `entries`, in their order. */
export function staleUdpEntryFilters(ports: Iterable<UdpServicePort>, entries: readonly ConntrackRecord[]): ConntrackFilter[] {
  const byFrontend = new Map<string, ReadonlySet<string>>();
  const byNodePort = new Map<number, ReadonlySet<string>>();
  for (const { service: s, servingIPs } of ports) {
    if (s.protocol !== 'udp' || servingIPs.size === 0) continue;
    for (const ip of [s.clusterIP, ...s.loadBalancerVIPs, ...s.externalIPs]) byFrontend.set(`${ip}:${s.port}`, servingIPs);
    if (s.nodePort !== 0) byNodePort.set(s.nodePort, servingIPs);
  }
  const filters: ConntrackFilter[] = [];
  for (const e of entries) {
    if (e.protocol !== 'udp') continue;
    const replySrc = e.reply.src;
    const frontend = byFrontend.get(`${e.original.dst}:${e.original.dport}`);
    if (frontend && !frontend.has(replySrc)) {
      filters.push({ protocol: 'udp', origDst: e.original.dst, origDstPort: e.original.dport, replySrc });
    }
    const nodePort = byNodePort.get(e.original.dport);
    if (nodePort && !nodePort.has(replySrc)) filters.push({ protocol: 'udp', origDstPort: e.original.dport, replySrc });
  }
  return filters;
}
