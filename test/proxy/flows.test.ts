// upstream's packet-flow tests (pkg/proxy/iptables/proxier_test.go v1.32, runPacketFlowTests)
// through the emulated kernel: the same Services and EndpointSlices, the same flows and expected
// outputs (SCTP flows left out: the harness opens TCP and UDP connections only).
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fakeNode, runFlows } from './flow-harness.js';
import { FAKE_CONFIG, loadObjects } from './harness.js';

const testNodeIP = '192.168.0.2';
const testExternalClient = '203.0.113.2';
const testExternalClientBlocked = '203.0.113.130';

type Obj = Record<string, unknown>;
const service = (ns: string, name: string, spec: Obj, status?: Obj): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace: ns, name },
  spec,
  ...(status ? { status } : {}),
});
const lb = (...ips: string[]): Obj => ({ loadBalancer: { ingress: ips.map((ip) => ({ ip })) } });
interface Ep {
  readonly ip: string;
  readonly node?: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}
const slice = (ns: string, svc: string, ports: Obj[], eps: readonly Ep[]): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { namespace: ns, name: `${svc}-1`, labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: eps.map((e) => ({
    addresses: [e.ip],
    ...(e.node ? { nodeName: e.node } : {}),
    ...(e.ready === undefined ? {} : { conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating } }),
  })),
  ports,
});
const tcp = (name: string, port: number): Obj => ({ name, port, protocol: 'TCP' });

test('TestLoadBalancer: source ranges filter the LB IPs, not the NodePort', () => {
  const node = fakeNode([
    service(
      'ns1',
      'svc1',
      {
        type: 'LoadBalancer',
        clusterIP: '172.30.0.41',
        ports: [{ ...tcp('p80', 80), nodePort: 3001 }],
        loadBalancerSourceRanges: ['192.168.0.0/24', ' 203.0.113.0/25'],
      },
      lb('1.2.3.4', '5.6.7.8'),
    ),
    slice('ns1', 'svc1', [tcp('p80', 80)], [{ ip: '10.180.0.1' }]),
  ]);
  const ep = '10.180.0.1:80';
  runFlows(node, [
    { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ep },
    { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: ep, masq: true },
    {
      name: 'nodePort bypasses LoadBalancerSourceRanges',
      sourceIP: testExternalClientBlocked,
      destIP: testNodeIP,
      destPort: 3001,
      output: ep,
      masq: true,
    },
    { name: 'accepted external to LB1', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
    { name: 'accepted external to LB2', sourceIP: testExternalClient, destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
    { name: 'blocked external to LB1', sourceIP: testExternalClientBlocked, destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
    { name: 'blocked external to LB2', sourceIP: testExternalClientBlocked, destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
    { name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
    { name: 'pod to LB2 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
    {
      name: 'node to LB1 (allowed by LoadBalancerSourceRanges)',
      sourceIP: testNodeIP,
      destIP: '1.2.3.4',
      destPort: 80,
      output: ep,
      masq: true,
    },
    {
      name: 'node to LB2 (allowed by LoadBalancerSourceRanges)',
      sourceIP: testNodeIP,
      destIP: '5.6.7.8',
      destPort: 80,
      output: ep,
      masq: true,
    },
    {
      name: 'same node to LB1, SNATted to LB1 (implicitly allowed)',
      sourceIP: '1.2.3.4',
      destIP: '1.2.3.4',
      destPort: 80,
      output: ep,
      masq: true,
    },
    {
      name: 'same node to LB2, SNATted to LB2 (implicitly allowed)',
      sourceIP: '5.6.7.8',
      destIP: '5.6.7.8',
      destPort: 80,
      output: ep,
      masq: true,
    },
  ]);
});

test('TestNoEndpointsReject: a service without endpoints rejects on its cluster IP, external IP, NodePort and LB IP', () => {
  const node = fakeNode([
    service(
      'ns1',
      'svc1',
      { type: 'LoadBalancer', clusterIP: '172.30.0.41', externalIPs: ['192.168.99.11'], ports: [{ ...tcp('p80', 80), nodePort: 3001 }] },
      lb('1.2.3.4'),
    ),
  ]);
  runFlows(node, [
    { name: 'pod to cluster IP with no endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: 'REJECT' },
    {
      name: 'external to external IP with no endpoints',
      sourceIP: testExternalClient,
      destIP: '192.168.99.11',
      destPort: 80,
      output: 'REJECT',
    },
    { name: 'pod to NodePort with no endpoints', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
    { name: 'external to NodePort with no endpoints', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
    { name: 'pod to LoadBalancer IP with no endpoints', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
    {
      name: 'external to LoadBalancer IP with no endpoints',
      sourceIP: testExternalClient,
      destIP: '1.2.3.4',
      destPort: 80,
      output: 'REJECT',
    },
  ]);
});

test('TestClusterIPGeneral: ports, target ports and protocols of ClusterIP services (TCP and UDP flows)', () => {
  const node = fakeNode([
    service('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [tcp('http', 80)] }),
    service('ns2', 'svc2', {
      clusterIP: '172.30.0.42',
      ports: [
        tcp('http', 80),
        { ...tcp('https', 443), targetPort: 8443 },
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        { ...tcp('dns-tcp', 53), targetPort: 5353 },
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ],
    }),
    slice('ns1', 'svc1', [tcp('http', 80)], [{ ip: '10.180.0.1', node: 'test-node' }]),
    slice(
      'ns2',
      'svc2',
      [
        tcp('http', 80),
        tcp('https', 8443),
        { name: 'dns-udp', port: 53, protocol: 'UDP' },
        tcp('dns-tcp', 5353),
        { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      ],
      [
        { ip: '10.180.0.1', node: 'test-node' },
        { ip: '10.180.2.1', node: 'node2' },
      ],
    ),
  ]);
  runFlows(node, [
    { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80' },
    { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
    {
      name: 'clusterIP with multiple endpoints',
      sourceIP: '10.180.0.2',
      destIP: '172.30.0.42',
      destPort: 80,
      output: '10.180.0.1:80, 10.180.2.1:80',
    },
    {
      name: 'clusterIP with TargetPort',
      sourceIP: '10.180.0.2',
      destIP: '172.30.0.42',
      destPort: 443,
      output: '10.180.0.1:8443, 10.180.2.1:8443',
    },
    {
      name: 'clusterIP with TCP, UDP, and SCTP on same port (TCP)',
      sourceIP: '10.180.0.2',
      protocol: 'TCP',
      destIP: '172.30.0.42',
      destPort: 53,
      output: '10.180.0.1:5353, 10.180.2.1:5353',
    },
    {
      name: 'clusterIP with TCP, UDP, and SCTP on same port (UDP)',
      sourceIP: '10.180.0.2',
      protocol: 'UDP',
      destIP: '172.30.0.42',
      destPort: 53,
      output: '10.180.0.1:53, 10.180.2.1:53',
    },
    {
      name: 'TCP-only port does not match UDP traffic',
      sourceIP: '10.180.0.2',
      protocol: 'UDP',
      destIP: '172.30.0.42',
      destPort: 80,
      output: '',
    },
    { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: '' },
  ]);
});

test('TestNodePorts (IPv4): localhost NodePorts and nodePortAddresses decide which node IPs take NodePorts', () => {
  const cases = [
    { name: 'localhost-nodeports enabled', localhostNodePorts: true, nodePortAddresses: [] as string[], allowAltNodeIP: true },
    { name: 'localhost-nodeports disabled', localhostNodePorts: false, nodePortAddresses: [], allowAltNodeIP: true },
    {
      name: 'localhost-nodeports disabled, localhost in nodeport-addresses',
      localhostNodePorts: false,
      nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'],
      allowAltNodeIP: false,
    },
    {
      name: 'localhost-nodeports enabled, multiple nodeport-addresses',
      localhostNodePorts: false,
      nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'],
      allowAltNodeIP: true,
    },
  ];
  for (const c of cases) {
    const node = fakeNode(
      [
        service('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41', ports: [{ ...tcp('p80', 80), nodePort: 3001 }] }),
        slice('ns1', 'svc1', [tcp('p80', 80)], [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'test-node' }]),
      ],
      { ...FAKE_CONFIG, localhostNodePorts: c.localhostNodePorts, nodePortAddresses: c.nodePortAddresses },
    );
    const output = '10.180.0.1:80, 10.180.2.1:80';
    runFlows(node, [
      { name: `${c.name}: pod to cluster IP`, sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output },
      { name: `${c.name}: external to nodePort`, sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output, masq: true },
      { name: `${c.name}: node to nodePort`, sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output, masq: true },
      c.localhostNodePorts
        ? {
            name: `${c.name}: localhost to nodePort gets masqueraded`,
            sourceIP: '127.0.0.1',
            destIP: '127.0.0.1',
            destPort: 3001,
            output,
            masq: true,
          }
        : { name: `${c.name}: localhost to nodePort is ignored`, sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: '' },
      c.allowAltNodeIP
        ? {
            name: `${c.name}: external to nodePort on secondary IP`,
            sourceIP: testExternalClient,
            destIP: '192.168.1.2',
            destPort: 3001,
            output,
            masq: true,
          }
        : {
            name: `${c.name}: secondary nodeIP ignores NodePorts`,
            sourceIP: testExternalClient,
            destIP: '192.168.1.2',
            destPort: 3001,
            output: '',
          },
    ]);
  }
});

const localPolicyService = (etp: 'Local' | 'Cluster') =>
  service(
    'ns1',
    'svc1',
    {
      type: 'LoadBalancer',
      externalTrafficPolicy: etp,
      clusterIP: '172.30.0.41',
      externalIPs: ['192.168.99.11'],
      ports: [{ ...tcp('p80', 80), nodePort: 3001, targetPort: 80 }],
      ...(etp === 'Local' ? { healthCheckNodePort: 30000 } : {}),
    },
    lb('1.2.3.4'),
  );
const twoEndpoints = slice('ns1', 'svc1', [tcp('p80', 80)], [{ ip: '10.180.0.1' }, { ip: '10.180.2.1', node: 'test-node' }]);

test('TestExternalTrafficPolicyLocal: outside traffic reaches only the local endpoint, unmasqueraded; pods reach all', () => {
  const node = fakeNode([localPolicyService('Local'), twoEndpoints]);
  const both = '10.180.0.1:80, 10.180.2.1:80';
  const local = '10.180.2.1:80';
  runFlows(node, [
    {
      name: 'pod to cluster IP hits both endpoints, unmasqueraded',
      sourceIP: '10.0.0.2',
      destIP: '172.30.0.41',
      destPort: 80,
      output: both,
    },
    {
      name: 'pod to external IP hits both endpoints, unmasqueraded',
      sourceIP: '10.0.0.2',
      destIP: '192.168.99.11',
      destPort: 80,
      output: both,
    },
    {
      name: 'external to external IP hits only local endpoint, unmasqueraded',
      sourceIP: testExternalClient,
      destIP: '192.168.99.11',
      destPort: 80,
      output: local,
    },
    { name: 'pod to LB IP hits only both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both },
    {
      name: 'external to LB IP hits only local endpoint, unmasqueraded',
      sourceIP: testExternalClient,
      destIP: '1.2.3.4',
      destPort: 80,
      output: local,
    },
    { name: 'pod to NodePort hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both },
    {
      name: 'external to NodePort hits only local endpoint, unmasqueraded',
      sourceIP: testExternalClient,
      destIP: testNodeIP,
      destPort: 3001,
      output: local,
    },
  ]);
});

test('TestExternalTrafficPolicyCluster: traffic to externally-facing IPs is masqueraded', () => {
  const node = fakeNode([localPolicyService('Cluster'), twoEndpoints]);
  const both = '10.180.0.1:80, 10.180.2.1:80';
  runFlows(node, [
    {
      name: 'pod to cluster IP hits both endpoints, unmasqueraded',
      sourceIP: '10.0.0.2',
      destIP: '172.30.0.41',
      destPort: 80,
      output: both,
    },
    {
      name: 'pod to external IP hits both endpoints, masqueraded',
      sourceIP: '10.0.0.2',
      destIP: '192.168.99.11',
      destPort: 80,
      output: both,
      masq: true,
    },
    {
      name: 'external to external IP hits both endpoints, masqueraded',
      sourceIP: testExternalClient,
      destIP: '192.168.99.11',
      destPort: 80,
      output: both,
      masq: true,
    },
    {
      name: 'pod to LB IP hits both endpoints, masqueraded',
      sourceIP: '10.0.0.2',
      destIP: '1.2.3.4',
      destPort: 80,
      output: both,
      masq: true,
    },
    {
      name: 'external to LB IP hits both endpoints, masqueraded',
      sourceIP: testExternalClient,
      destIP: '1.2.3.4',
      destPort: 80,
      output: both,
      masq: true,
    },
    {
      name: 'pod to NodePort hits both endpoints, masqueraded',
      sourceIP: '10.0.0.2',
      destIP: testNodeIP,
      destPort: 3001,
      output: both,
      masq: true,
    },
    {
      name: 'external to NodePort hits both endpoints, masqueraded',
      sourceIP: testExternalClient,
      destIP: testNodeIP,
      destPort: 3001,
      output: both,
      masq: true,
    },
  ]);
});

const unnamed80 = { name: '', port: 80, protocol: 'TCP' };
const readyOn = (ip: string, node: string): Ep => ({ ip, node, ready: true });

test('TestInternalTrafficPolicy: Local sends pods to this node’s endpoints only, drops without any, rejects without endpoints', () => {
  const cases = [
    {
      name: 'internalTrafficPolicy is cluster',
      itp: 'Cluster',
      eps: [readyOn('10.0.1.1', 'test-node'), readyOn('10.0.1.2', 'node1'), readyOn('10.0.1.3', 'node2')],
      output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80',
    },
    {
      name: 'internalTrafficPolicy is local and there is one local endpoint',
      itp: 'Local',
      eps: [readyOn('10.0.1.1', 'test-node'), readyOn('10.0.1.2', 'node1'), readyOn('10.0.1.3', 'node2')],
      output: '10.0.1.1:80',
    },
    {
      name: 'internalTrafficPolicy is local and there are multiple local endpoints',
      itp: 'Local',
      eps: [readyOn('10.0.1.1', 'test-node'), readyOn('10.0.1.2', 'test-node'), readyOn('10.0.1.3', 'node2')],
      output: '10.0.1.1:80, 10.0.1.2:80',
    },
    {
      name: 'internalTrafficPolicy is local and there are no local endpoints',
      itp: 'Local',
      eps: [readyOn('10.0.1.1', 'node0'), readyOn('10.0.1.2', 'node1'), readyOn('10.0.1.3', 'node2')],
      output: 'DROP',
    },
  ];
  for (const c of cases) {
    const svc = service('ns1', 'svc1', {
      clusterIP: '172.30.1.1',
      selector: { foo: 'bar' },
      ports: [unnamed80],
      internalTrafficPolicy: c.itp,
    });
    const flow = { sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80 };
    runFlows(fakeNode([svc, slice('ns1', 'svc1', [unnamed80], c.eps)]), [{ name: c.name, ...flow, output: c.output }]);
    runFlows(fakeNode([svc]), [{ name: `${c.name}: endpoints deleted`, ...flow, output: 'REJECT' }]);
  }
});

const terminating = (ip: string, node: string, serving: boolean): Ep => ({ ip, node, ready: false, serving, terminating: true });
const running = (ip: string, node: string): Ep => ({ ip, node, ready: true, serving: true, terminating: false });

function terminatingCases(etp: 'Local' | 'Cluster') {
  const svc = service(
    'ns1',
    'svc1',
    {
      clusterIP: '172.30.1.1',
      type: 'LoadBalancer',
      externalTrafficPolicy: etp,
      ports: [{ ...unnamed80, targetPort: 80 }],
      healthCheckNodePort: 30000,
    },
    lb('1.2.3.4'),
  );
  const pod = { sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80 };
  const external = { sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80 };
  return { svc, pod, external };
}

test('TestTerminatingEndpointsTrafficPolicyLocal: serving terminating endpoints stand in only when no local endpoint is ready', () => {
  const { svc, pod, external } = terminatingCases('Local');
  const cases = [
    {
      name: 'ready endpoints exist',
      eps: [
        running('10.0.1.1', 'test-node'),
        running('10.0.1.2', 'test-node'),
        terminating('10.0.1.3', 'test-node', true),
        terminating('10.0.1.4', 'test-node', false),
        running('10.0.1.5', 'node-1'),
      ],
      pod: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80',
      external: '10.0.1.1:80, 10.0.1.2:80',
    },
    {
      name: 'only terminating endpoints exist',
      eps: [
        terminating('10.0.1.2', 'test-node', true),
        terminating('10.0.1.3', 'test-node', true),
        terminating('10.0.1.4', 'test-node', false),
        running('10.0.1.5', 'node-1'),
      ],
      pod: '10.0.1.5:80',
      external: '10.0.1.2:80, 10.0.1.3:80',
    },
    { name: 'terminating endpoints on remote node', eps: [terminating('10.0.1.5', 'node-1', true)], pod: '10.0.1.5:80', external: 'DROP' },
    {
      name: 'no usable endpoints on any node',
      eps: [terminating('10.0.1.5', 'test-node', false), terminating('10.0.1.5', 'node-1', false)],
      pod: 'REJECT',
      external: 'REJECT',
    },
  ];
  for (const c of cases) {
    runFlows(fakeNode([svc, slice('ns1', 'svc1', [unnamed80], c.eps)]), [
      { name: `${c.name}: pod to clusterIP`, ...pod, output: c.pod },
      { name: `${c.name}: external to LB`, ...external, output: c.external },
    ]);
  }
  runFlows(fakeNode([svc]), [
    { name: 'pod to clusterIP after endpoints deleted', ...pod, output: 'REJECT' },
    { name: 'external to LB after endpoints deleted', ...external, output: 'REJECT' },
  ]);
});

test('TestTerminatingEndpointsTrafficPolicyCluster: serving terminating endpoints stand in only when none is ready anywhere', () => {
  const { svc, pod, external } = terminatingCases('Cluster');
  const cases = [
    {
      name: 'ready endpoints exist',
      eps: [
        running('10.0.1.1', 'test-node'),
        running('10.0.1.2', 'test-node'),
        terminating('10.0.1.3', 'another-node', true),
        terminating('10.0.1.4', 'another-node', false),
        running('10.0.1.5', 'another-node'),
      ],
      output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80',
    },
    {
      name: 'only terminating endpoints exist',
      eps: [
        terminating('10.0.1.2', 'test-node', true),
        terminating('10.0.1.3', 'test-node', true),
        terminating('10.0.1.4', 'another-node', false),
        terminating('10.0.1.5', 'another-node', true),
      ],
      output: '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80',
    },
    { name: 'terminating endpoints on remote node', eps: [terminating('10.0.1.5', 'node-1', true)], output: '10.0.1.5:80' },
    {
      name: 'no usable endpoints on any node',
      eps: [terminating('10.0.1.5', 'test-node', false), terminating('10.0.1.5', 'node-1', false)],
      output: 'REJECT',
    },
  ];
  for (const c of cases) {
    const masq = c.output !== 'REJECT';
    runFlows(fakeNode([svc, slice('ns1', 'svc1', [unnamed80], c.eps)]), [
      { name: `${c.name}: pod to clusterIP`, ...pod, output: c.output },
      { name: `${c.name}: external to LB`, ...external, output: c.output, masq },
    ]);
  }
  runFlows(fakeNode([svc]), [
    { name: 'pod to clusterIP after endpoints deleted', ...pod, output: 'REJECT' },
    { name: 'external to LB after endpoints deleted', ...external, output: 'REJECT' },
  ]);
});

test('TestInternalExternalMasquerade: which flows are masqueraded, with and without a local traffic detector and masqueradeAll', () => {
  const lbService = (ns: string, name: string, ip: string, nodePort: number, lbIP: string, extra: Obj) =>
    service(
      ns,
      name,
      { type: 'LoadBalancer', clusterIP: ip, ports: [{ ...tcp('p80', 80), nodePort }], healthCheckNodePort: nodePort + 27000, ...extra },
      lb(lbIP),
    );
  const objects = [
    lbService('ns1', 'svc1', '172.30.0.41', 3001, '1.2.3.4', {}),
    lbService('ns2', 'svc2', '172.30.0.42', 3002, '5.6.7.8', { externalTrafficPolicy: 'Local' }),
    lbService('ns3', 'svc3', '172.30.0.43', 3003, '9.10.11.12', { internalTrafficPolicy: 'Local' }),
    ...[1, 2, 3].map((i) =>
      slice(
        `ns${i}`,
        `svc${i}`,
        [tcp('p80', 80)],
        [
          { ip: `10.180.0.${i}`, node: 'test-node' },
          { ip: `10.180.1.${i}`, node: 'remote' },
        ],
      ),
    ),
  ];
  const both = (i: number) => `10.180.0.${i}:80, 10.180.1.${i}:80`;
  const local = (i: number) => `10.180.0.${i}:80`;
  const pod = '10.0.0.2';
  const ext = testExternalClient;
  // upstream's base flows, in its order within each service
  const flows = [
    { name: 'pod to ClusterIP', sourceIP: pod, destIP: '172.30.0.41', destPort: 80, output: both(1), masq: false },
    { name: 'pod to NodePort', sourceIP: pod, destIP: testNodeIP, destPort: 3001, output: both(1), masq: true },
    { name: 'pod to LB', sourceIP: pod, destIP: '1.2.3.4', destPort: 80, output: both(1), masq: true },
    { name: 'node to ClusterIP', sourceIP: testNodeIP, destIP: '172.30.0.41', destPort: 80, output: both(1), masq: true },
    { name: 'node to NodePort', sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output: both(1), masq: true },
    { name: 'localhost to NodePort', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: both(1), masq: true },
    { name: 'node to LB', sourceIP: testNodeIP, destIP: '1.2.3.4', destPort: 80, output: both(1), masq: true },
    { name: 'external to ClusterIP', sourceIP: ext, destIP: '172.30.0.41', destPort: 80, output: both(1), masq: true },
    { name: 'external to NodePort', sourceIP: ext, destIP: testNodeIP, destPort: 3001, output: both(1), masq: true },
    { name: 'external to LB', sourceIP: ext, destIP: '1.2.3.4', destPort: 80, output: both(1), masq: true },
    { name: 'pod to ClusterIP with eTP:Local', sourceIP: pod, destIP: '172.30.0.42', destPort: 80, output: both(2), masq: false },
    { name: 'pod to NodePort with eTP:Local', sourceIP: pod, destIP: testNodeIP, destPort: 3002, output: both(2), masq: false },
    { name: 'pod to LB with eTP:Local', sourceIP: pod, destIP: '5.6.7.8', destPort: 80, output: both(2), masq: false },
    { name: 'node to ClusterIP with eTP:Local', sourceIP: testNodeIP, destIP: '172.30.0.42', destPort: 80, output: both(2), masq: true },
    { name: 'node to NodePort with eTP:Local', sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output: both(1), masq: true },
    {
      name: 'localhost to NodePort with eTP:Local',
      sourceIP: '127.0.0.1',
      destIP: '127.0.0.1',
      destPort: 3002,
      output: both(2),
      masq: true,
    },
    { name: 'node to LB with eTP:Local', sourceIP: testNodeIP, destIP: '5.6.7.8', destPort: 80, output: both(2), masq: true },
    { name: 'external to ClusterIP with eTP:Local', sourceIP: ext, destIP: '172.30.0.42', destPort: 80, output: both(2), masq: true },
    { name: 'external to NodePort with eTP:Local', sourceIP: ext, destIP: testNodeIP, destPort: 3002, output: local(2), masq: false },
    { name: 'external to LB with eTP:Local', sourceIP: ext, destIP: '5.6.7.8', destPort: 80, output: local(2), masq: false },
    { name: 'pod to ClusterIP with iTP:Local', sourceIP: pod, destIP: '172.30.0.43', destPort: 80, output: local(3), masq: false },
    { name: 'pod to NodePort with iTP:Local', sourceIP: pod, destIP: testNodeIP, destPort: 3003, output: both(3), masq: true },
    { name: 'pod to LB with iTP:Local', sourceIP: pod, destIP: '9.10.11.12', destPort: 80, output: both(3), masq: true },
    { name: 'node to ClusterIP with iTP:Local', sourceIP: testNodeIP, destIP: '172.30.0.43', destPort: 80, output: local(3), masq: true },
    { name: 'node to NodePort with iTP:Local', sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3003, output: both(3), masq: true },
    {
      name: 'localhost to NodePort with iTP:Local',
      sourceIP: '127.0.0.1',
      destIP: '127.0.0.1',
      destPort: 3003,
      output: both(3),
      masq: true,
    },
    { name: 'node to LB with iTP:Local', sourceIP: testNodeIP, destIP: '9.10.11.12', destPort: 80, output: both(3), masq: true },
    { name: 'external to ClusterIP with iTP:Local', sourceIP: ext, destIP: '172.30.0.43', destPort: 80, output: local(3), masq: true },
    { name: 'external to NodePort with iTP:Local', sourceIP: ext, destIP: testNodeIP, destPort: 3003, output: both(3), masq: true },
    { name: 'external to LB with iTP:Local', sourceIP: ext, destIP: '9.10.11.12', destPort: 80, output: both(3), masq: true },
  ];
  type Override = { output?: string; masq?: boolean };
  const noDetector: Record<string, Override> = {
    'node to ClusterIP': { masq: false },
    'node to ClusterIP with eTP:Local': { masq: false },
    'node to ClusterIP with iTP:Local': { masq: false },
    'external to ClusterIP': { masq: false },
    'external to ClusterIP with eTP:Local': { masq: false },
    'external to ClusterIP with iTP:Local': { masq: false },
    'pod to NodePort with eTP:Local': { output: local(2) },
    'pod to LB with eTP:Local': { output: local(2) },
  };
  const masqueradeAll: Record<string, Override> = {
    'pod to ClusterIP': { masq: true },
    'pod to ClusterIP with eTP:Local': { masq: true },
    'pod to ClusterIP with iTP:Local': { masq: true },
  };
  const cases = [
    { name: 'base', masqueradeAll: false, localDetector: true, overrides: {} },
    { name: 'no LocalTrafficDetector', masqueradeAll: false, localDetector: false, overrides: noDetector },
    { name: 'masqueradeAll', masqueradeAll: true, localDetector: true, overrides: masqueradeAll },
    {
      name: 'masqueradeAll, no LocalTrafficDetector',
      masqueradeAll: true,
      localDetector: false,
      overrides: {
        ...masqueradeAll,
        'pod to NodePort with eTP:Local': noDetector['pod to NodePort with eTP:Local']!,
        'pod to LB with eTP:Local': noDetector['pod to LB with eTP:Local']!,
      },
    },
  ];
  for (const c of cases) {
    const config = { ...FAKE_CONFIG, masqueradeAll: c.masqueradeAll, ...(c.localDetector ? {} : { clusterCIDRs: [] }) };
    const o = c.overrides as Record<string, Override>;
    runFlows(
      fakeNode(objects, config),
      flows.map((f) => ({ ...f, ...o[f.name], name: `${c.name}: ${f.name}` })),
    );
  }
});

test('TestHealthCheckNodePort: the filter table accepts the health check NodePort, and stops when the Service goes', () => {
  const svc = service('ns1', 'svc1', {
    type: 'LoadBalancer',
    clusterIP: '172.30.0.42',
    ports: [{ ...tcp('p80', 80), nodePort: 3001 }],
    healthCheckNodePort: 30000,
    externalTrafficPolicy: 'Local',
  });
  const config = { ...FAKE_CONFIG, nodePortAddresses: ['127.0.0.0/8'] };
  const flow = { sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000 };
  // INPUT drops what no rule accepts, so an ACCEPT shows (as the reset of a port nobody listens on).
  runFlows(fakeNode([svc], config, 'DROP'), [{ name: 'firewall accepts HealthCheckNodePort', ...flow, output: 'ACCEPT' }]);
  runFlows(fakeNode([], config, 'DROP'), [{ name: 'HealthCheckNodePort no longer has any rule', ...flow, output: 'DROP' }]);
});

test('TestTracePacket: its flows, on the rules kube-proxy renders for TestOverallIPTablesRules’ objects', () => {
  // upstream traces these against a static copy of TestOverallIPTablesRules' expected rules.
  const objects = loadObjects(join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/upstream/overall.yaml'));
  runFlows(fakeNode(objects, FAKE_CONFIG, 'DROP'), [
    { name: 'no match', sourceIP: '10.0.0.2', destIP: '10.0.0.3', destPort: 80, output: '' },
    { name: 'single endpoint', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80' },
    { name: 'multiple endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.44', destPort: 80, output: '10.180.0.4:80, 10.180.0.5:80' },
    { name: 'LOCAL, KUBE-MARK-MASQ', sourceIP: testNodeIP, destIP: '192.168.99.22', destPort: 80, output: '10.180.0.2:80', masq: true },
    { name: 'DROP', sourceIP: testExternalClient, destIP: '192.168.99.22', destPort: 80, output: 'DROP' },
    { name: 'ACCEPT (NodePortHealthCheck)', sourceIP: testNodeIP, destIP: testNodeIP, destPort: 30000, output: 'ACCEPT' },
    { name: 'REJECT', sourceIP: '10.0.0.2', destIP: '172.30.0.46', destPort: 80, output: 'REJECT' },
  ]);
});

// Flows of the v1.28-era tests whose payloads test/proxy/upstream/v1.28/ holds, with those files'
// Services and EndpointSlices; their node, test-hostname there, is fakeNode's test-node here.
const v128 = (file: string) =>
  loadObjects(join(dirname(fileURLToPath(import.meta.url)), `../../../test/proxy/upstream/v1.28/${file}.yaml`)).map((o) =>
    JSON.parse(JSON.stringify(o).replaceAll('"test-hostname"', '"test-node"')),
  );

test('TestNonLocalExternalIPs (v1.28 era): an external IP of a Cluster-policy Service is masqueraded, reaching all endpoints', () => {
  const both = '10.180.0.1:80, 10.180.2.1:80';
  runFlows(fakeNode(v128('non-local-external-ips')), [
    { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
    { name: 'external to external IP', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
  ]);
});

test('TestOnlyLocalNodePorts and ...NoClusterCIDR (v1.28 era): a Local NodePort on one node IP; pods short-circuit only with a detector', () => {
  const both = '10.180.0.1:80, 10.180.2.1:80';
  const local = '10.180.2.1:80';
  for (const detector of [true, false]) {
    const config = {
      ...FAKE_CONFIG,
      localhostNodePorts: false,
      nodePortAddresses: ['192.168.0.0/24', '2001:db8::/64'],
      ...(detector ? {} : { clusterCIDRs: [] }),
    };
    runFlows(fakeNode(v128('only-local-node-ports'), config), [
      { name: 'pod to cluster IP hit both endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      {
        name: 'external to NodePort hits only local endpoint',
        sourceIP: testExternalClient,
        destIP: testNodeIP,
        destPort: 3001,
        output: local,
      },
      detector
        ? { name: 'pod to NodePort hits both endpoints', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both }
        : { name: 'pod to NodePort hits only local endpoint', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: local },
    ]);
  }
});
