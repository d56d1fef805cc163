// kind's entrypoint rewrite of Docker's DNS rules, against the nat table a kind node really shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NetworkNames, resolverRulesSaved, startEmbeddedDns } from '../addons/index.js';
import { SimWorld } from '../host/index.js';
import { Rng } from '../sim/index.js';
import { networkMagicRestore, rewriteDockerDnsRules } from './network-magic.js';

// `iptables-save -t nat` of a fresh container on a user-defined network (dockerd's setupIPTable)
const DOCKER_SAVE = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:41455
-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:36418
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 41455 -j SNAT --to-source :53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 36418 -j SNAT --to-source :53
COMMIT
`;

test('the network magic points the docker DNS rules at the docker host, for pods too (PREROUTING), with the SNAT source named', () => {
  assert.equal(
    rewriteDockerDnsRules(DOCKER_SAVE, '172.18.0.1'),
    `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER_OUTPUT - [0:0]
:DOCKER_POSTROUTING - [0:0]
-A OUTPUT -d 172.18.0.1/32 -j DOCKER_OUTPUT
-A PREROUTING -d 172.18.0.1/32 -j DOCKER_OUTPUT
-A POSTROUTING -d 172.18.0.1/32 -j DOCKER_POSTROUTING
-A DOCKER_OUTPUT -d 172.18.0.1/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:41455
-A DOCKER_OUTPUT -d 172.18.0.1/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:36418
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport 41455 -j SNAT --to-source 172.18.0.1:53
-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport 36418 -j SNAT --to-source 172.18.0.1:53
COMMIT
`,
  );
});

test('the network magic puts back the --dport 53 that iptables-nft 1.8.7/1.8.8 drop from a saved DNAT rule (kind#3054)', () => {
  const save = '-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -j DNAT --to-destination 127.0.0.11:36418\n';
  assert.equal(
    rewriteDockerDnsRules(save, '172.18.0.1'),
    '-A DOCKER_OUTPUT -d 172.18.0.1/32 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:36418\n',
  );
});

test("dockerd's rules read back as resolverRulesSaved says, and the magic restored from it leaves the table the entrypoint's save | sed | restore leaves", () => {
  const world = new SimWorld();
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const start = (name: string, ip: string, entrypoint?: (saved: string) => string) => {
    const h = world.host(name);
    world.connect(name, 'kind', { ip });
    const dns = startEmbeddedDns(h, new NetworkNames(), new Rng('same ports'), entrypoint);
    return { root: h.at(), dns };
  };
  const table = (h: { iptablesSave(t: string): string }) => h.iptablesSave('nat').replace(/^#.*\n/gm, '');
  const slow = start('a', '172.18.0.2');
  assert.equal(table(slow.root), resolverRulesSaved(slow.dns.udpPort, slow.dns.tcpPort));
  slow.root.iptablesRestore('nat', rewriteDockerDnsRules(slow.root.iptablesSave('nat'), '172.18.0.1'));
  const fast = start('b', '172.18.0.3', networkMagicRestore('172.18.0.1'));
  assert.equal(table(fast.root), table(slow.root));
  assert.match(table(fast.root), /-A PREROUTING -d 172\.18\.0\.1\/32 -j DOCKER_OUTPUT\n/);
});
