import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4 } from '../wire/index.js';
import { mergeEndpoints, parseCidr, parseIpv4Sloppy, servicePorts, sliceEndpoints } from './model.js';

test('parseIpv4Sloppy() reads zero-padded octets as decimal, as netutils.ParseIPSloppy does', () => {
  assert.equal(formatIpv4(parseIpv4Sloppy('172.30.0.041')!), '172.30.0.41');
  assert.equal(formatIpv4(parseIpv4Sloppy('010.000.00.0008')!), '10.0.0.8');
  for (const bad of ['1.2.3.256', '1.2.3', '1.2.3.4.5', '1.2.3.0x4', ' 1.2.3.4', '1..3.4'])
    assert.equal(parseIpv4Sloppy(bad), undefined, bad);
});

test('parseCidr() takes a zero-padded prefix length and prints the network', () => {
  assert.equal(parseCidr('203.0.113.000/025')?.text, '203.0.113.0/25');
  assert.equal(parseCidr('10.1.2.3/008')?.text, '10.0.0.0/8');
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('10.0.0.0/'), undefined);
});

test('servicePorts() writes a Service’s zero-padded addresses in canonical form (TestBadIPs)', () => {
  const [p] = servicePorts({
    kind: 'Service',
    metadata: { namespace: 'ns1', name: 'svc1' },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.041',
      externalIPs: ['192.168.099.022'],
      loadBalancerSourceRanges: ['203.0.113.000/025'],
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
    },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.004' }] } },
  });
  assert.equal(p!.clusterIP, '172.30.0.41');
  assert.deepEqual(p!.externalIPs, ['192.168.99.22']);
  assert.deepEqual(p!.loadBalancerVIPs, ['1.2.3.4']);
  assert.deepEqual(
    p!.loadBalancerSourceRanges.map((c) => c.text),
    ['203.0.113.0/25'],
  );
});

test('mergeEndpoints() keeps one endpoint per ip:port, the running one over a terminating one, wherever each runs', () => {
  const slice = (name: string, endpoints: unknown[]) =>
    sliceEndpoints(
      {
        kind: 'EndpointSlice',
        metadata: { namespace: 'ns', name, labels: { 'kubernetes.io/service-name': 'svc' } },
        addressType: 'IPv4',
        endpoints,
        ports: [{ name: 'p', port: 80, protocol: 'TCP' }],
      },
      'node-a',
    );
  const terminatingLocal = { addresses: ['10.0.0.1'], nodeName: 'node-a', conditions: { ready: false, serving: true, terminating: true } };
  const runningRemote = { addresses: ['10.0.0.1'], nodeName: 'node-b' };
  for (const order of [
    [slice('a', [terminatingLocal]), slice('b', [runningRemote])],
    [slice('b', [runningRemote]), slice('a', [terminatingLocal])],
  ]) {
    const [eps] = [...mergeEndpoints(order).values()];
    assert.equal(eps!.length, 1);
    assert.ok(!eps![0]!.terminating && !eps![0]!.isLocal, 'the running one, whichever slice comes first');
  }
});
