// kube-proxy's iptables payload against upstream's own expectations (pkg/proxy/iptables/
// proxier_test.go), byte for byte: inputs and expected outputs transcribed from upstream's tests
// into test/proxy/upstream/ (upstream-cases.ts lists them). These files are upstream's word, not
// ours: there is no UPDATE_GOLDEN for them.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { updatingGoldens } from '../golden.js';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_CONFIG,
  endpointChain,
  goHex08,
  IptablesProxier,
  proxyConfig,
  renderFirstSync,
  serviceChain,
} from '../../src/proxy/index.js';
import { assertLikeUpstream, assertSameText, FAKE_CAPS, FAKE_CONFIG, FAKE_NODE, loadObjects, renderLikeUpstreamTests } from './harness.js';
import { UPSTREAM_CASES, UPSTREAM_DIR } from './upstream-cases.js';

const DIR = UPSTREAM_DIR;

// Each upstream test that asserts a whole first-sync payload (upstream-cases.ts), as upstream's
// assertIPTablesRulesEqual compares it.
for (const c of UPSTREAM_CASES) {
  test(`${c.test} (${c.expected}): renders as upstream expects`, () => {
    const payload = renderLikeUpstreamTests(loadObjects(join(UPSTREAM_DIR, `${c.objects}.yaml`)), c.config, c.caps, c.node);
    assertLikeUpstream(payload, readFileSync(join(UPSTREAM_DIR, `${c.expected}.iptables`), 'utf8'), c.expected);
  });
}

// Beyond upstream's overall test, knetlab's own regression golden (UPDATE_GOLDEN=1 rewrites it);
// the assertions below pin the behaviour it shows.
const TESTDATA = join(dirname(fileURLToPath(import.meta.url)), '../../../test/proxy/testdata');

test('policies: ports and protocols, traffic policies, terminating endpoints, affinity, skipped Services', () => {
  const config = proxyConfig(loadObjects(join(TESTDATA, 'kind-kube-proxy.yaml'))[0]);
  const node = {
    hostname: 'kind-worker',
    nodeIP: '172.18.0.3',
    addresses: [
      { iface: 'lo', cidr: '127.0.0.1/8' },
      { iface: 'eth0', cidr: '172.18.0.3/16' },
    ],
  };
  const payload = renderLikeUpstreamTests(loadObjects(join(TESTDATA, 'policies.yaml')), config, { randomFully: true, nfacct: false }, node);
  const file = join(TESTDATA, 'policies.iptables');
  if (updatingGoldens()) writeFileSync(file, payload);
  assertSameText(payload, readFileSync(file, 'utf8'), 'policies');
  const has = (line: string) => assert.ok(payload.split('\n').includes(line), `missing: ${line}`);
  // internalTrafficPolicy Local: the cluster IP goes to the local-endpoints chain, holding only this node's endpoint.
  has(
    `-A KUBE-SERVICES -m comment --comment "ns2/itp-local:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 -j ${serviceChain('KUBE-SVL-', 'ns2/itp-local:http', 'tcp')}`,
  );
  assert.ok(!payload.includes('10.244.2.20'), 'the remote endpoint of an internal-Local service is not reachable from here');
  has(
    '-A KUBE-SERVICES -m comment --comment "ns2/itp-local-remote:http has no local endpoints" -m tcp -p tcp -d 10.96.0.21 --dport 80 -j DROP',
  );
  // externalTrafficPolicy Local: external traffic to the local endpoint only; health check port open.
  has(`-A ${serviceChain('KUBE-EXT-', 'ns3/etp-local:http', 'tcp')} -j ${serviceChain('KUBE-SVL-', 'ns3/etp-local:http', 'tcp')}`);
  has('-A KUBE-NODEPORTS -m comment --comment "ns3/etp-local:http health check node port" -m tcp -p tcp --dport 32000 -j ACCEPT');
  // Terminating but serving endpoints stand in when none is ready; a non-serving one never does.
  assert.ok(payload.includes('10.244.1.40:80') && payload.includes('10.244.2.40:80') && !payload.includes('10.244.2.41'));
  // Three endpoints: 1/3, then 1/2, then the rest.
  has(
    `-A ${serviceChain('KUBE-SVC-', 'ns1/multi:http', 'tcp')} -m comment --comment "ns1/multi:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.3333333333 -j ${endpointChain('ns1/multi:http', 'tcp', '10.244.1.5:8080')}`,
  );
  // ClientIP affinity on an unnamed port: `ns/name` alone in comments and hashes.
  has(
    `-A ${serviceChain('KUBE-SVC-', 'ns5/sticky', 'tcp')} -m comment --comment "ns5/sticky -> 10.244.1.50:8080" -m recent --name ${endpointChain('ns5/sticky', 'tcp', '10.244.1.50:8080')} --rcheck --seconds 600 --reap -j ${endpointChain('ns5/sticky', 'tcp', '10.244.1.50:8080')}`,
  );
  // Skipped: headless, ExternalName, IPv6-only; a Proxy-mode load-balancer IP is not programmed.
  for (const absent of ['headless', 'ns6/external', 'v6only', '172.18.255.201'])
    assert.ok(!payload.includes(absent), `${absent} is not programmed`);
});

/** The rules of one chain of one table, in order (upstream's assertIPTablesChainEqual). */
const chainRules = (payload: string, table: string, chain: string): string => {
  const block = payload.split(/(?<=^COMMIT\n)/m).find((b) => b.startsWith(`*${table}\n`)) ?? '';
  return block
    .split('\n')
    .filter((l) => l.startsWith(`-A ${chain} `))
    .map((l) => `${l}\n`)
    .join('');
};

test('TestMasqueradeRule: KUBE-POSTROUTING masquerades --random-fully only where the host supports it', () => {
  for (const randomFully of [false, true]) {
    const payload = renderLikeUpstreamTests([], FAKE_CONFIG, { randomFully, nfacct: true });
    assert.equal(
      chainRules(payload, 'nat', 'KUBE-POSTROUTING'),
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n' +
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000\n' +
        `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${randomFully ? ' --random-fully' : ''}\n`,
    );
  }
});

test('TestDropInvalidRule: KUBE-FORWARD drops INVALID (through the nfacct counter when it exists), not with conntrack tcpBeLiberal', () => {
  const rest =
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT\n' +
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n';
  const cases = [
    { tcpLiberal: false, nfacct: false, drop: '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n' },
    {
      tcpLiberal: false,
      nfacct: true,
      drop: '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP\n',
    },
    { tcpLiberal: true, nfacct: false, drop: '' },
  ];
  for (const c of cases) {
    const payload = renderLikeUpstreamTests(
      [],
      { ...FAKE_CONFIG, conntrackTCPBeLiberal: c.tcpLiberal },
      { randomFully: false, nfacct: c.nfacct },
    );
    assert.equal(chainRules(payload, 'filter', 'KUBE-FORWARD'), c.drop + rest, JSON.stringify(c));
  }
});

test('TestNodePorts: localhost NodePorts, nodePortAddresses and the KUBE-FIREWALL anti-martian rule', () => {
  const objects = loadObjects(join(DIR, 'overall.yaml'));
  const jumps = (payload: string) =>
    payload
      .split('\n')
      .filter((l) => l.includes('must be the last rule'))
      .map((l) => l.replace(/.*this chain" /, ''));
  // upstream asserts the whole KUBE-FIREWALL chain: the anti-martian rule, or nothing.
  const firewall = (payload: string) => {
    const rules = chainRules(payload, 'filter', 'KUBE-FIREWALL');
    assert.ok(
      rules === '' ||
        rules ===
          '-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n',
      rules,
    );
    return rules !== '';
  };
  let p = renderLikeUpstreamTests(objects, { ...FAKE_CONFIG, localhostNodePorts: true });
  assert.deepEqual(jumps(p), ['-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS']);
  assert.ok(firewall(p));
  p = renderLikeUpstreamTests(objects, { ...FAKE_CONFIG, localhostNodePorts: false });
  assert.deepEqual(jumps(p), ['-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS']);
  assert.ok(!firewall(p) && !p.includes('localhost_nps_accepted_pkts'));
  p = renderLikeUpstreamTests(objects, {
    ...FAKE_CONFIG,
    localhostNodePorts: false,
    nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'],
  });
  assert.deepEqual(jumps(p), ['-d 192.168.0.2 -j KUBE-NODEPORTS']);
  assert.ok(!firewall(p));
  p = renderLikeUpstreamTests(objects, {
    ...FAKE_CONFIG,
    localhostNodePorts: false,
    nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'],
  });
  assert.deepEqual(jumps(p), ['-d 192.168.0.2 -j KUBE-NODEPORTS', '-d 192.168.1.2 -j KUBE-NODEPORTS']);
  // nodePortAddresses without loopback turns localhost NodePorts off (NewProxier), and with them
  // the route_localnet sysctl the agent sets from the proxier's setting.
  p = renderLikeUpstreamTests(objects, { ...FAKE_CONFIG, nodePortAddresses: ['primary'] });
  assert.deepEqual(jumps(p), ['-d 192.168.0.2 -j KUBE-NODEPORTS']);
  assert.ok(!firewall(p));
  assert.equal(new IptablesProxier(FAKE_NODE, { ...FAKE_CONFIG, nodePortAddresses: ['primary'] }, FAKE_CAPS).localhostNodePorts, false);
  assert.equal(new IptablesProxier(FAKE_NODE, { ...FAKE_CONFIG, nodePortAddresses: ['127.0.0.0/8'] }, FAKE_CAPS).localhostNodePorts, true);
  // Any /0 means every address (IsZeroCIDR looks at the prefix length).
  p = renderLikeUpstreamTests(objects, { ...FAKE_CONFIG, nodePortAddresses: ['192.168.0.0/24', '10.0.0.0/0'] });
  assert.deepEqual(jumps(p), ['-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS']);
});

test('masqueradeAll marks every cluster IP connection; no cluster CIDR means no off-cluster masquerade rule', () => {
  const objects = loadObjects(join(DIR, 'overall.yaml'));
  let p = renderLikeUpstreamTests(objects, { ...FAKE_CONFIG, masqueradeAll: true });
  assert.ok(
    p.includes(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ\n',
    ),
  );
  p = renderLikeUpstreamTests(objects, DEFAULT_CONFIG);
  assert.ok(!p.includes('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP"'));
  assert.ok(!p.includes('pod traffic for'), 'no local detector, no pod short-circuit in KUBE-EXT');
});

test('the masquerade mark follows masqueradeBit, spelled as kube-proxy spells it (%#08x)', () => {
  assert.equal(goHex08(1 << 14), '0x00004000');
  const p = renderFirstSync({ objects: [], config: { ...DEFAULT_CONFIG, masqueradeBit: 3 }, node: FAKE_NODE, caps: FAKE_CAPS }).payload;
  assert.ok(p.includes('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00000008\n'));
});
