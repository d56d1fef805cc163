// kube-proxy's UDP conntrack reconciliation (pkg/proxy/conntrack/cleanup.go): which entries go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConntrackRecord } from '../host/index.js';
import { staleUdpEntryFilters } from './conntrack.js';
import type { ServicePortInfo } from './model.js';

const service = (over: Partial<ServicePortInfo>): ServicePortInfo =>
  ({
    namespace: 'ns',
    name: 'dns',
    portName: 'dns',
    nameString: 'ns/dns:dns',
    protocol: 'udp',
    clusterIP: '10.96.0.10',
    port: 53,
    nodePort: 0,
    externalIPs: [],
    loadBalancerVIPs: [],
    loadBalancerSourceRanges: [],
    healthCheckNodePort: 0,
    sessionAffinityClientIP: false,
    stickyMaxAgeSeconds: 0,
    externalPolicyLocal: false,
    internalPolicyLocal: false,
    ...over,
  }) as ServicePortInfo;

const entry = (protocol: ConntrackRecord['protocol'], dst: string, dport: number, replySrc: string): ConntrackRecord => ({
  protocol,
  original: { src: '10.244.1.5', dst, sport: 40000, dport },
  reply: { src: replySrc, dst: '10.244.1.5', sport: dport, dport: 40000 },
});

test('UDP entries to a frontend that no serving endpoint answers are deleted; served, TCP and other ports stay', () => {
  const ports = [
    {
      service: service({ externalIPs: ['192.0.2.7'], loadBalancerVIPs: ['198.51.100.1'], nodePort: 30053 }),
      servingIPs: new Set(['10.244.2.3']),
    },
  ];
  const entries = [
    entry('udp', '10.96.0.10', 53, '10.244.2.3'), // served: stays
    entry('udp', '10.96.0.10', 53, '10.244.9.9'), // DNATed to a gone endpoint
    entry('udp', '10.96.0.10', 53, '10.96.0.10'), // made before the rules: never DNATed
    entry('udp', '192.0.2.7', 53, '10.244.9.9'), // externalIP
    entry('udp', '198.51.100.1', 53, '10.244.9.9'), // load-balancer IP
    entry('udp', '172.18.0.3', 30053, '10.244.9.9'), // NodePort on any address
    entry('tcp', '10.96.0.10', 53, '10.244.9.9'), // TCP: the connection ends by itself
    entry('udp', '10.96.0.10', 54, '10.244.9.9'), // another port
  ];
  assert.deepEqual(staleUdpEntryFilters(ports, entries), [
    { protocol: 'udp', origDst: '10.96.0.10', origDstPort: 53, replySrc: '10.244.9.9' },
    { protocol: 'udp', origDst: '10.96.0.10', origDstPort: 53, replySrc: '10.96.0.10' },
    { protocol: 'udp', origDst: '192.0.2.7', origDstPort: 53, replySrc: '10.244.9.9' },
    { protocol: 'udp', origDst: '198.51.100.1', origDstPort: 53, replySrc: '10.244.9.9' },
    { protocol: 'udp', origDstPort: 30053, replySrc: '10.244.9.9' },
  ]);
});

test('a UDP Service without serving endpoints keeps its entries', () => {
  const ports = [{ service: service({}), servingIPs: new Set<string>() }];
  assert.deepEqual(staleUdpEntryFilters(ports, [entry('udp', '10.96.0.10', 53, '10.244.9.9')]), []);
});
