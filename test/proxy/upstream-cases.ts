// The whole-payload cases transcribed from upstream's tests (test/proxy/upstream/), with the
// settings each needs: golden.test.ts compares knetlab's payload with each, and
// differential.test.ts restores each on the real and the emulated iptables.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostCapabilities, NodeFacts, ProxyConfig } from '../../src/proxy/index.js';
import { FAKE_CAPS, FAKE_CONFIG, FAKE_NODE } from './harness.js';

export const UPSTREAM_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/upstream');

export interface UpstreamCase {
  readonly test: string;
  /** The objects, `DIR/NAME.yaml`. */
  readonly objects: string;
  /** upstream's expected payload, `DIR/NAME.iptables`. */
  readonly expected: string;
  readonly config: ProxyConfig;
  readonly caps: HostCapabilities;
  readonly node: NodeFacts;
}

/** v1.32's proxier_test.go (test/proxy/upstream/README.md): NewFakeProxier as FAKE_* describe it. */
const V132: readonly { test: string; file: string }[] = [
  { test: 'TestOverallIPTablesRules', file: 'overall' },
  { test: 'TestBadIPs', file: 'bad-ips' },
];

// A v1.28-era proxier_test.go (test/proxy/upstream/v1.28/README.md), where more tests asserted
// whole payloads: its fake proxier names the node test-hostname and has no nfacct counters.
const V128_NODE: NodeFacts = { ...FAKE_NODE, hostname: 'test-hostname' };
const V128_CAPS: HostCapabilities = { randomFully: false, nfacct: false };
const V128_CASES: readonly {
  test: string;
  file: string;
  expected?: string;
  config?: Partial<ProxyConfig>;
  caps?: Partial<HostCapabilities>;
}[] = [
  { test: 'TestOverallIPTablesRulesWithMultipleServices', file: 'overall-multiple-services' },
  { test: 'TestLoadBalancer', file: 'load-balancer' },
  { test: 'TestNodePort', file: 'node-port' },
  { test: 'TestHealthCheckNodePort', file: 'health-check-node-port', config: { nodePortAddresses: ['127.0.0.0/8'] } },
  { test: 'TestMasqueradeRule', file: 'masquerade-rule' },
  { test: 'TestMasqueradeRule', file: 'masquerade-rule', expected: 'masquerade-rule-random-fully', caps: { randomFully: true } },
  { test: 'TestExternalTrafficPolicyLocal', file: 'external-traffic-policy-local' },
  { test: 'TestNonLocalExternalIPs', file: 'non-local-external-ips' },
  {
    test: 'TestEnableLocalhostNodePortsIPv4',
    file: 'localhost-node-ports-ipv4',
    expected: 'enable-localhost-node-ports-ipv4',
    config: { clusterCIDRs: [] },
  },
  {
    test: 'TestDisableLocalhostNodePortsIPv4',
    file: 'localhost-node-ports-ipv4',
    expected: 'disable-localhost-node-ports-ipv4',
    config: { clusterCIDRs: [], localhostNodePorts: false },
  },
  {
    test: 'TestDisableLocalhostNodePortsIPv4WithNodeAddress',
    file: 'localhost-node-ports-ipv4',
    expected: 'disable-localhost-node-ports-ipv4-with-node-address',
    config: { clusterCIDRs: [], localhostNodePorts: false, nodePortAddresses: ['127.0.0.0/8'] },
  },
  {
    test: 'TestOnlyLocalNodePortsNoClusterCIDR',
    file: 'only-local-node-ports',
    expected: 'only-local-node-ports-no-cluster-cidr',
    config: { clusterCIDRs: [], localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '2001:db8::/64'] },
  },
  {
    test: 'TestOnlyLocalNodePorts',
    file: 'only-local-node-ports',
    config: { localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '2001:db8::/64'] },
  },
  { test: 'TestInternalTrafficPolicyE2E', file: 'internal-traffic-policy-cluster' },
  { test: 'TestInternalTrafficPolicyE2E', file: 'internal-traffic-policy-local' },
  { test: 'TestInternalTrafficPolicyE2E', file: 'internal-traffic-policy-local-no-local-endpoints' },
  { test: 'TestTerminatingEndpointsTrafficPolicyLocal', file: 'terminating-local-ready-endpoints-exist' },
  { test: 'TestTerminatingEndpointsTrafficPolicyLocal', file: 'terminating-local-only-terminating-endpoints-exist' },
  { test: 'TestTerminatingEndpointsTrafficPolicyLocal', file: 'terminating-local-terminating-endpoints-on-remote-node' },
  { test: 'TestTerminatingEndpointsTrafficPolicyLocal', file: 'terminating-local-no-usable-endpoints' },
  { test: 'TestTerminatingEndpointsTrafficPolicyCluster', file: 'terminating-cluster-ready-endpoints-exist' },
  { test: 'TestTerminatingEndpointsTrafficPolicyCluster', file: 'terminating-cluster-only-terminating-endpoints-exist' },
  { test: 'TestTerminatingEndpointsTrafficPolicyCluster', file: 'terminating-cluster-terminating-endpoints-on-remote-node' },
  { test: 'TestTerminatingEndpointsTrafficPolicyCluster', file: 'terminating-cluster-no-usable-endpoints' },
];

export const UPSTREAM_CASES: readonly UpstreamCase[] = [
  ...V132.map((c) => ({ test: c.test, objects: c.file, expected: c.file, config: FAKE_CONFIG, caps: FAKE_CAPS, node: FAKE_NODE })),
  ...V128_CASES.map((c) => ({
    test: c.test,
    objects: `v1.28/${c.file}`,
    expected: `v1.28/${c.expected ?? c.file}`,
    config: { ...FAKE_CONFIG, ...c.config },
    caps: { ...V128_CAPS, ...c.caps },
    node: V128_NODE,
  })),
];
